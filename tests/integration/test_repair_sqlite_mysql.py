"""`schemamend repair` on SQLite and MariaDB: the same guarantees, within what each database allows.

SQLite runs the whole repair in one transaction; MariaDB commits every DDL
statement on its own, so the plan says so and a failure names exactly the
steps that had run. The production state is the declared schema minus the
tables of the late migrations, built with the dialect's own SQL, plus rows.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from schemamend.commands.repair import (
    DatabaseChangedSincePlan,
    RepairOptions,
    RepairPlan,
    RepairReport,
    remaining_differences,
    repair,
)
from schemamend.db import Connection, connect, parse_url
from schemamend.dialects.registry import dialect_for
from schemamend.diff.changes import CreateTable
from schemamend.diff.differ import diff_from_empty
from schemamend.introspect import introspect
from schemamend.migrate.repair_apply import (
    Action,
    PlannedStep,
    RepairFailed,
    RepairPrivilegeMissing,
    apply_plan,
)
from schemamend.model import sql
from schemamend.psl import load_schema
from schemamend.safety import CheckCode, Risk, evaluate, plan_checks
from tests.conftest import MySQLServer

SCHEMA = """datasource db {
  provider = "PROVIDER"
  url      = env("DATABASE_URL")
}

model User {
  id       String        @id
  email    String        @unique
  name     String?
  role     String        @default("DEVELOPER")
  plan     CustomerPlan?
  projects Project[]
  EXTRA_USER_FIELD

  @@map("users")
}

model CustomerPlan {
  id       String @id
  userId   String @unique @map("user_id")
  user     User   @relation(fields: [userId], references: [id], onDelete: Cascade)
  planName String @map("plan_name")

  @@map("customer_plans")
}

model Project {
  id         String      @id
  ownerId    String      @map("owner_id")
  owner      User        @relation(fields: [ownerId], references: [id])
  slug       String      @unique
  milestones Milestone[]

  @@index([ownerId])
  @@map("projects")
}

model Milestone {
  id        String  @id
  projectId String  @map("project_id")
  project   Project @relation(fields: [projectId], references: [id], onDelete: Cascade)
  title     String
  position  Int     @default(0)

  @@index([projectId, position])
  @@map("milestones")
}
"""

EARLY_TABLES = ("users", "customer_plans")
LATE_TABLES = {"projects", "milestones"}
ROWS: dict[str, list[tuple[str | None, ...]]] = {
    "users": [
        ("u1", "a@x", "Ada", "ADMIN"),
        ("u2", "b@x", None, "DEVELOPER"),
        ("u3", "c@x", "Cy", "DEVELOPER"),
    ],
    "customer_plans": [("c1", "u2", "Builder"), ("c2", "u3", "Investor")],
}


@pytest.fixture(
    params=[
        pytest.param("sqlite", marks=pytest.mark.sqlite),
        pytest.param("mysql", marks=pytest.mark.mysql),
    ]
)
def target(request: pytest.FixtureRequest) -> tuple[str, str]:
    """(provider, URL of an empty database)."""
    provider: str = request.param
    url: str = request.getfixturevalue("sqlite_url" if provider == "sqlite" else "mysql_url")
    return provider, url


# ── helpers ───────────────────────────────────────────────────────────────


def write_schema(tmp_path: Path, provider: str, extra_user_field: str = "") -> str:
    path = tmp_path / "schema.prisma"
    text = SCHEMA.replace("PROVIDER", provider).replace("EXTRA_USER_FIELD", extra_user_field)
    path.write_text(text, encoding="utf-8")
    return str(path)


def declared(schema: str, provider: str) -> sql.Schema:
    return dialect_for(provider).calculate(load_schema(Path(schema)).require())


def build_production(url: str, schema: str, provider: str, *extra_sql: str) -> None:
    """The early tables exactly as the dialect creates them, with rows; the late ones missing."""
    dialect = dialect_for(provider)
    full = declared(schema, provider)
    early = sql.Schema(tables=tuple(t for t in full.tables if t.name in EARLY_TABLES))
    with connect(parse_url(url), create=True) as conn:
        for change in diff_from_empty(early, dialect.capabilities):
            for statement in dialect.render(change):
                conn.execute(statement)
        for table, table_rows in ROWS.items():
            for row in table_rows:
                marks = ", ".join(["%s"] * len(row))
                conn.execute(
                    conn.sql(f"INSERT INTO {dialect.quote_identifier(table)} VALUES ({marks})"), row
                )
        for statement in extra_sql:
            conn.execute(statement)


def rows(url: str, table: str) -> list[tuple[Any, ...]]:
    with connect(parse_url(url)) as conn:
        quoted = conn.qualified(table)
        return [tuple(r) for r in conn.query(f"SELECT * FROM {quoted} ORDER BY 1")]


def run_repair(schema: str, url: str, **options: bool) -> RepairReport:
    return repair(schema, url=url, options=RepairOptions(**options))


def item(report: RepairReport, text: str) -> PlannedStep:
    matches = [i for i in report.plan.items if text in i.describe()]
    assert len(matches) == 1, f"{text!r} in plan: {[i.describe() for i in report.plan.items]}"
    return matches[0]


def left_to_do(url: str, schema: str, provider: str) -> list[str]:
    with connect(parse_url(url)) as conn:
        return remaining_differences(conn, dialect_for(provider), declared(schema, provider))


# ── the incident ─────────────────────────────────────────────────────────


def test_repair_creates_only_the_missing_tables_and_keeps_every_row(
    target: tuple[str, str], tmp_path: Path
) -> None:
    provider, url = target
    schema = write_schema(tmp_path, provider)
    build_production(url, schema, provider)
    before = introspect(url)
    kept = {t: rows(url, t) for t in EARLY_TABLES}

    report = run_repair(schema, url)

    after = introspect(url)
    assert {t.name for t in after.tables} - {t.name for t in before.tables} == LATE_TABLES
    for table in before.tables:
        assert after.table(table.ref) == table, f"{table.name} is untouched"
    assert {t: rows(url, t) for t in EARLY_TABLES} == kept
    assert all(i.verdict.risk is Risk.SAFE for i in report.plan.items)
    assert report.exit_code == 0 and left_to_do(url, schema, provider) == []
    assert report.applied is not None and report.applied.transactional is (provider == "sqlite")


def test_mysql_plan_says_ddl_is_not_transactional(mysql_url: str, tmp_path: Path) -> None:
    schema = write_schema(tmp_path, "mysql")
    build_production(mysql_url, schema, "mysql")
    report = run_repair(schema, mysql_url, dry_run=True)
    assert not report.plan.transactional
    assert any("one by one" in note for note in report.plan.notes)
    assert report.exit_code == 2 and report.applied is None
    assert {t.name for t in introspect(mysql_url).tables} == set(EARLY_TABLES)


# ── what the schema no longer declares ───────────────────────────────────────


def test_extra_table_and_column_are_held_back_then_backed_up_and_removed_when_allowed(
    target: tuple[str, str], tmp_path: Path
) -> None:
    provider, url = target
    schema = write_schema(tmp_path, provider)
    q = dialect_for(provider).quote_identifier
    build_production(
        url,
        schema,
        provider,
        f"ALTER TABLE {q('users')} ADD COLUMN {q('legacy_score')} INTEGER",
        f"UPDATE {q('users')} SET {q('legacy_score')} = 7 WHERE {q('id')} = 'u1'",
        f"CREATE TABLE {q('legacy_notes')} ({q('id')} INTEGER PRIMARY KEY, {q('body')} TEXT)",
        f"INSERT INTO {q('legacy_notes')} VALUES (1, 'first'), (2, NULL)",
    )
    users_before = rows(url, "users")

    held = run_repair(schema, url)

    for text in ("drop table legacy_notes", "drop column users.legacy_score"):
        step = item(held, text)
        assert step.verdict.risk is Risk.DESTRUCTIVE and step.action is Action.HOLD
    assert rows(url, "users") == users_before and rows(url, "legacy_notes") == [
        (1, "first"),
        (2, None),
    ]
    assert held.exit_code == 2

    removed = run_repair(schema, url, allow_destructive=True)

    assert removed.exit_code == 0 and left_to_do(url, schema, provider) == []
    backups = sorted(removed.backups)
    assert len(backups) == 2 and all(b.startswith("_schemamend_backup_") for b in backups)
    notes_backup = next(b for b in backups if b.endswith("_legacy_notes"))
    score_backup = next(b for b in backups if b.endswith("_users__legacy_score"))
    assert rows(url, notes_backup) == [(1, "first"), (2, None)]
    assert rows(url, score_backup) == [("u1", 7), ("u2", None), ("u3", None)]


# ── may-fail ─────────────────────────────────────────────────────────────


def test_required_column_without_default_on_rows_is_may_fail_with_the_count(
    target: tuple[str, str], tmp_path: Path
) -> None:
    provider, url = target
    build_production(url, write_schema(tmp_path, provider), provider)
    schema = write_schema(tmp_path, provider, extra_user_field="tenant   String")

    report = run_repair(schema, url)

    add = item(report, "add column users.tenant")
    assert add.verdict.risk is Risk.MAY_FAIL and add.action is Action.HOLD
    finding = add.verdict.finding(CheckCode.NOT_NULL_COLUMN_ON_ROWS)
    assert finding is not None and finding.count == 3
    with connect(parse_url(url)) as conn:
        assert "tenant" not in conn.column_names("users")
        assert conn.table_names() >= LATE_TABLES, "the safe part is applied"
    assert report.exit_code == 2


# ── what a database cannot do in place ───────────────────────────────────────


def test_sqlite_reports_a_key_it_cannot_add_to_an_existing_table_and_applies_the_rest(
    sqlite_url: str, tmp_path: Path
) -> None:
    schema = write_schema(tmp_path, "sqlite")
    full = declared(schema, "sqlite")
    dialect = dialect_for("sqlite")
    users = next(t for t in full.tables if t.name == "users")
    plans = next(t for t in full.tables if t.name == "customer_plans")
    plans_without_key = sql.Table(plans.name, plans.columns, plans.primary_key, plans.indexes, ())
    with connect(parse_url(sqlite_url), create=True) as conn:
        for table in (users, plans_without_key):
            for change in diff_from_empty(sql.Schema(tables=(table,)), dialect.capabilities):
                for statement in dialect.render(change):
                    conn.execute(statement)

    report = run_repair(schema, sqlite_url)

    key = item(report, "add foreign key customer_plans_user_id_fkey")
    assert key.action is Action.UNSUPPORTED and "cannot" in key.reason
    assert report.exit_code == 2
    assert any("customer_plans_user_id_fkey" in r for r in report.remaining)
    assert {t.name for t in introspect(sqlite_url).tables} >= LATE_TABLES


# ── failures on a database without transactional DDL ─────────────────────────────


def test_mysql_failure_names_exactly_the_steps_that_ran_before_it(mysql_url: str) -> None:
    dialect = dialect_for("mysql")
    column = sql.Column("id", sql.ColumnType(sql.TypeFamily.INT, "INT"), sql.ColumnArity.REQUIRED)
    first = CreateTable(sql.Table("first", (column,)))
    clash = CreateTable(sql.Table("first", (column,)))  # the same name again: the second fails
    third = CreateTable(sql.Table("third", (column,)))
    items = []
    for step in (first, clash, third):
        verdict = evaluate(plan_checks([step]), {})[0]
        items.append(PlannedStep(step, verdict, Action.APPLY, tuple(dialect.render(step))))

    with connect(parse_url(mysql_url)) as conn:
        assert isinstance(conn, Connection) and not conn.transactional_ddl
        with pytest.raises(RepairFailed) as failure:
            apply_plan(conn, dialect, items)
        assert conn.table_names() == {"first"}

    message = failure.value.message
    assert "not transactional" in message and "- create table first" in message
    assert "Nothing after it ran." in message


def test_mysql_adds_enum_values_by_widening_the_inline_type_and_keeps_the_rows(
    mysql_url: str, tmp_path: Path
) -> None:
    def enum_schema(*values: str) -> str:
        path = tmp_path / f"schema_{len(values)}.prisma"
        body = "\n  ".join(values)
        path.write_text(
            'datasource db {\n  provider = "mysql"\n  url      = env("DATABASE_URL")\n}\n\n'
            f"enum Role {{\n  {body}\n}}\n\n"
            'model User {\n  id   String @id\n  role Role   @default(USER)\n\n  @@map("users")\n}\n',
            encoding="utf-8",
        )
        return str(path)

    old, new = enum_schema("ADMIN", "USER"), enum_schema("ADMIN", "GUEST", "USER")
    dialect = dialect_for("mysql")
    with connect(parse_url(mysql_url)) as conn:
        for change in diff_from_empty(declared(old, "mysql"), dialect.capabilities):
            for statement in dialect.render(change):
                conn.execute(statement)
        conn.execute("INSERT INTO `users` VALUES ('u1', 'ADMIN'), ('u2', 'USER')")

    report = run_repair(new, mysql_url)

    step = item(report, "alter column users.role")
    assert step.verdict.risk is Risk.SAFE and step.verdict.finding(CheckCode.WIDEN_TYPE) is not None
    assert report.exit_code == 0 and left_to_do(mysql_url, new, "mysql") == []
    assert rows(mysql_url, "users") == [("u1", "ADMIN"), ("u2", "USER")]


def test_sqlite_cannot_add_a_required_column_without_default_even_to_an_empty_table(
    sqlite_url: str, tmp_path: Path
) -> None:
    schema = write_schema(tmp_path, "sqlite")
    build_production(
        sqlite_url, schema, "sqlite", 'DELETE FROM "customer_plans"', 'DELETE FROM "users"'
    )
    schema = write_schema(tmp_path, "sqlite", extra_user_field="tenant   String")

    report = run_repair(schema, sqlite_url)

    add = item(report, "add column users.tenant")
    assert add.verdict.risk is Risk.SAFE, "the table is empty: no row would be left without a value"
    assert add.action is Action.UNSUPPORTED and "table rebuild" in add.reason
    assert report.applied is not None and not report.applied.failed, "the rest is applied"
    assert {t.name for t in introspect(sqlite_url).tables} >= LATE_TABLES
    assert report.remaining == ("add column users.tenant",)


def test_a_database_changed_while_waiting_for_confirmation_is_not_repaired_blindly(
    sqlite_url: str, tmp_path: Path
) -> None:
    schema = write_schema(tmp_path, "sqlite")
    build_production(sqlite_url, schema, "sqlite")

    def someone_else_migrates(plan: RepairPlan) -> bool:
        with connect(parse_url(sqlite_url)) as conn:
            conn.execute('CREATE TABLE "projects" ("id" TEXT NOT NULL PRIMARY KEY)')
        return True

    with pytest.raises(DatabaseChangedSincePlan):
        repair(schema, url=sqlite_url, confirm=someone_else_migrates)

    assert {t.name for t in introspect(sqlite_url).tables} == {*EARLY_TABLES, "projects"}


def test_declining_the_confirmation_changes_nothing(sqlite_url: str, tmp_path: Path) -> None:
    schema = write_schema(tmp_path, "sqlite")
    build_production(sqlite_url, schema, "sqlite")
    shown: list[RepairPlan] = []

    def decline(plan: RepairPlan) -> bool:
        shown.append(plan)
        return False

    report = repair(schema, url=sqlite_url, confirm=decline)

    assert report.cancelled and report.applied is None and report.exit_code == 2
    assert len(shown) == 1 and len(shown[0].to_apply) == len(report.plan.to_apply) > 0
    assert {t.name for t in introspect(sqlite_url).tables} == set(EARLY_TABLES)


@pytest.fixture
def mysql_reader(mysql_server: MySQLServer, mysql_url: str) -> Iterator[str]:
    """A MariaDB user that may read the test database but not CREATE in it."""
    name = f"sm_ro_{secrets.token_hex(4)}"
    database = parse_url(mysql_url).database
    admin = mysql_server.admin_connect()
    try:
        with admin.cursor() as cur:
            cur.execute(f"CREATE USER '{name}'@'%' IDENTIFIED BY 'ro-secret'")
            cur.execute(f"GRANT SELECT ON `{database}`.* TO '{name}'@'%'")
        yield f"mysql://{name}:ro-secret@{mysql_server.host}:{mysql_server.port}/{database}"
    finally:
        with admin.cursor() as cur:
            cur.execute(f"DROP USER IF EXISTS '{name}'@'%'")
        admin.close()


def test_mysql_user_without_create_privilege_gets_a_clear_message_and_no_change(
    mysql_url: str, mysql_reader: str, tmp_path: Path
) -> None:
    schema = write_schema(tmp_path, "mysql")
    build_production(mysql_url, schema, "mysql")
    before = introspect(mysql_url)

    with pytest.raises(RepairPrivilegeMissing) as failure:
        run_repair(schema, mysql_reader)

    message = failure.value.message
    assert "lacks the CREATE privilege" in message and "the database is unchanged" in message
    assert "ro-secret" not in message
    assert introspect(mysql_url) == before
