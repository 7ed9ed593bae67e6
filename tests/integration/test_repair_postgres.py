"""`schemamend repair` on a real PostgreSQL: the reference incident and every guarantee of issue #6.

Each test builds a live state with plain SQL, runs the repair through its
Python API (or the CLI), then reads the database again: what was created,
what was left alone, and per-table checksums proving no existing row changed.
"""

from __future__ import annotations

import json
import secrets
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from schemamend.cli.main import cli
from schemamend.commands.repair import RepairOptions, RepairReport, remaining_differences, repair
from schemamend.db import connect, parse_url
from schemamend.dialects.registry import dialect_for
from schemamend.introspect import introspect
from schemamend.migrate.repair_apply import (
    Action,
    Outcome,
    PlannedStep,
    RepairFailed,
    RepairPrivilegeMissing,
)
from schemamend.model import sql
from schemamend.psl import load_schema
from schemamend.safety import CheckCode, Risk
from tests.conftest import PostgresServer

pytestmark = pytest.mark.postgres

DATASOURCE = 'datasource db {\n  provider = "postgresql"\n  url      = env("DATABASE_URL")\n}\n\n'

INCIDENT_TABLES = {
    "developer_projects",
    "budget_line_items",
    "project_expenses",
    "project_funding",
    "project_invoices",
    "project_forecasts",
    "project_milestones",
}
INCIDENT_ENUMS = {
    "ProjectStatus",
    "ExpenseCategory",
    "FundingSource",
    "InvoiceStatus",
    "MilestoneStatus",
}
KEPT_TABLES = ("users", "customer_plans", "onboarding_applications")


# ── helpers ───────────────────────────────────────────────────────────────


def run_sql(url: str, script: str) -> None:
    with connect(parse_url(url)) as conn:
        conn.execute(script)


def checksum(url: str, table: str, key: str = "id") -> tuple[int, str]:
    """Row count and md5 over every row's text, in key order."""
    with connect(parse_url(url)) as conn:
        row = conn.query(
            f"SELECT COUNT(*), md5(COALESCE(string_agg(t::text, '|' ORDER BY t.\"{key}\"), '')) FROM \"{table}\" t"
        )[0]
    return int(row[0]), str(row[1])


def shape(table: sql.Table | None) -> object:
    """A table's columns, key, indexes and foreign keys (the last two in name order)."""
    assert table is not None
    return (
        table.columns,
        table.primary_key,
        sorted(table.indexes, key=lambda i: i.name),
        sorted(table.foreign_keys, key=lambda f: f.name or ""),
    )


def write_schema(tmp_path: Path, models: str) -> str:
    path = tmp_path / "schema.prisma"
    path.write_text(DATASOURCE + models, encoding="utf-8")
    return str(path)


def run_repair(schema: str, url: str, **options: bool) -> RepairReport:
    return repair(schema, url=url, options=RepairOptions(**options))


def item(report: RepairReport, text: str) -> PlannedStep:
    matches = [i for i in report.plan.items if text in i.describe()]
    assert len(matches) == 1, f"{text!r} in plan: {[i.describe() for i in report.plan.items]}"
    return matches[0]


def schema_diff(url: str, schema: str) -> list[str]:
    dialect = dialect_for("postgresql")
    declared = dialect.calculate(load_schema(Path(schema)).require())
    with connect(parse_url(url)) as conn:
        return remaining_differences(conn, dialect, declared)


# ── the reference incident ─────────────────────────────────────────────────


@pytest.fixture
def production(shared_dir: Path, pg_url: str) -> str:
    if shutil.which("psql") is None:
        pytest.skip("psql is needed to build the scenario's production database")
    script = shared_dir / "scenarios" / "seed-incident" / "make-production.sh"
    subprocess.run(["sh", str(script), pg_url], check=True, capture_output=True)
    return pg_url


@pytest.mark.shared
def test_incident_repair_creates_exactly_the_missing_tables_and_enums_and_keeps_every_row(
    production: str, shared_dir: Path
) -> None:
    schema = str(shared_dir / "scenarios" / "seed-incident" / "prisma" / "schema.prisma")
    before = introspect(production)
    sums = {t: checksum(production, t) for t in KEPT_TABLES}

    report = run_repair(schema, production)

    after = introspect(production)
    created_tables = {t.name for t in after.tables} - {t.name for t in before.tables}
    created_enums = {e.name for e in after.enums} - {e.name for e in before.enums}
    assert created_tables == INCIDENT_TABLES
    assert created_enums == INCIDENT_ENUMS
    declared = dialect_for("postgresql").calculate(load_schema(Path(schema)).require())
    for name in INCIDENT_TABLES:
        ref = next(t.ref for t in after.tables if t.name == name)
        assert shape(after.table(ref)) == shape(declared.table(ref)), f"{name}: as declared"
    for name in KEPT_TABLES:
        ref = next(t.ref for t in before.tables if t.name == name)
        assert after.table(ref) == before.table(ref), f"{name} is untouched"
        assert checksum(production, name) == sums[name], f"every row of {name} is unchanged"
    assert all(i.verdict.risk is Risk.SAFE and i.action is Action.APPLY for i in report.plan.items)
    assert report.remaining == () and report.exit_code == 0
    assert schema_diff(production, schema) == []


@pytest.mark.shared
def test_incident_repair_twice_has_nothing_left_to_do(production: str, shared_dir: Path) -> None:
    schema = str(shared_dir / "scenarios" / "seed-incident" / "prisma" / "schema.prisma")
    run_repair(schema, production)
    again = run_repair(schema, production)
    assert again.plan.is_empty and again.applied is None and again.exit_code == 0


# ── what the schema no longer declares ───────────────────────────────────────

USERS_ONLY = """
model User {
  id    String @id
  email String @unique

  @@map("users")
}
"""

USERS_WITH_EXTRAS = """
CREATE TABLE "users" (
    "id" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "legacy_score" INTEGER,
    CONSTRAINT "users_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "users_email_key" ON "users"("email");
INSERT INTO "users" VALUES ('u1', 'a@x', 10), ('u2', 'b@x', NULL), ('u3', 'c@x', 30);
CREATE TABLE "legacy_notes" ("id" INTEGER PRIMARY KEY, "body" TEXT);
INSERT INTO "legacy_notes" VALUES (1, 'first'), (2, 'it''s kept'), (3, NULL);
"""


def test_an_extra_table_and_a_dropped_column_are_left_alone_and_reported(
    pg_url: str, tmp_path: Path
) -> None:
    run_sql(pg_url, USERS_WITH_EXTRAS)
    schema = write_schema(tmp_path, USERS_ONLY)
    sums = {t: checksum(pg_url, t) for t in ("users", "legacy_notes")}

    report = run_repair(schema, pg_url)

    drop_table = item(report, "drop table legacy_notes")
    drop_column = item(report, "drop column users.legacy_score")
    for held in (drop_table, drop_column):
        assert held.verdict.risk is Risk.DESTRUCTIVE and held.action is Action.HOLD
    assert "3 rows" in drop_table.verdict.summary
    assert "2 non-null values" in drop_column.verdict.summary
    assert {t: checksum(pg_url, t) for t in ("users", "legacy_notes")} == sums
    assert report.exit_code == 2
    assert set(report.remaining) == {"drop table legacy_notes", "drop column users.legacy_score"}


def test_allow_destructive_first_copies_every_removed_value_into_a_named_backup(
    pg_url: str, tmp_path: Path
) -> None:
    run_sql(pg_url, USERS_WITH_EXTRAS)
    schema = write_schema(tmp_path, USERS_ONLY)

    report = run_repair(schema, pg_url, allow_destructive=True)

    assert report.plan.backup is not None and report.plan.backup.startswith("_schemamend_backup_")
    assert report.exit_code == 0 and schema_diff(pg_url, schema) == []
    backup = report.plan.backup
    assert set(report.backups) == {f"{backup}.legacy_notes", f"{backup}.users__legacy_score"}
    with connect(parse_url(pg_url)) as conn:
        notes = conn.query(f'SELECT "id", "body" FROM "{backup}"."legacy_notes" ORDER BY 1')
        scores = conn.query(
            f'SELECT "id", "legacy_score" FROM "{backup}"."users__legacy_score" ORDER BY 1'
        )
        assert "legacy_notes" not in conn.table_names()
        assert "legacy_score" not in conn.column_names("users")
    assert notes == [(1, "first"), (2, "it's kept"), (3, None)]
    assert scores == [("u1", 10), ("u2", None), ("u3", 30)]


# ── may-fail: checked against the rows ──────────────────────────────────────


def test_a_required_column_without_default_on_a_table_with_rows_is_may_fail_and_not_applied(
    pg_url: str, tmp_path: Path
) -> None:
    run_sql(pg_url, USERS_WITH_EXTRAS.split('CREATE TABLE "legacy_notes"')[0])
    run_sql(pg_url, 'ALTER TABLE "users" DROP COLUMN "legacy_score"')
    schema = write_schema(
        tmp_path,
        USERS_ONLY.replace("email String @unique", "email String @unique\n  tenant String")
        + "\nmodel Tag {\n  id Int @id\n}\n",
    )

    report = run_repair(schema, pg_url)

    add = item(report, "add column users.tenant")
    assert add.verdict.risk is Risk.MAY_FAIL and add.action is Action.HOLD
    finding = add.verdict.finding(CheckCode.NOT_NULL_COLUMN_ON_ROWS)
    assert finding is not None and finding.count == 3 and "3 rows" in finding.message
    with connect(parse_url(pg_url)) as conn:
        assert "tenant" not in conn.column_names("users")
        assert "Tag" in conn.table_names(), "the safe steps of the same plan are applied"
    assert report.exit_code == 2 and report.remaining == ("add column users.tenant",)


def test_a_unique_index_over_duplicates_is_may_fail_with_the_repeated_values(
    pg_url: str, tmp_path: Path
) -> None:
    run_sql(
        pg_url,
        'CREATE TABLE "users" ("id" TEXT NOT NULL, "email" TEXT NOT NULL, CONSTRAINT "users_pkey" PRIMARY KEY ("id"));'
        "INSERT INTO \"users\" VALUES ('u1', 'same@x'), ('u2', 'same@x'), ('u3', 'other@x');",
    )
    schema = write_schema(tmp_path, USERS_ONLY)

    report = run_repair(schema, pg_url)

    index = item(report, "create unique index users_email_key")
    assert index.verdict.risk is Risk.MAY_FAIL and index.action is Action.HOLD
    assert "same@x" in index.verdict.summary
    assert report.exit_code == 2


# ── foreign keys over existing rows ──────────────────────────────────────────

USERS_AND_PROJECTS = (
    USERS_ONLY.replace("email String @unique", "email    String    @unique\n  projects Project[]")
    + """
model Project {
  id      String @id
  ownerId String @map("owner_id")
  owner   User   @relation(fields: [ownerId], references: [id])

  @@map("projects")
}
"""
)

PROJECTS_ONLY = """
CREATE TABLE "projects" ("id" TEXT NOT NULL, "owner_id" TEXT NOT NULL, CONSTRAINT "projects_pkey" PRIMARY KEY ("id"));
INSERT INTO "projects" VALUES ('p1', 'u1'), ('p2', 'u1'), ('p3', 'u2');
"""


def constraint_validated(url: str, name: str) -> bool:
    with connect(parse_url(url)) as conn:
        return bool(
            conn.query("SELECT convalidated FROM pg_constraint WHERE conname = %s", (name,))[0][0]
        )


def test_orphans_of_a_parent_the_repair_creates_leave_the_key_not_valid_with_the_count(
    pg_url: str, tmp_path: Path
) -> None:
    run_sql(pg_url, PROJECTS_ONLY)
    schema = write_schema(tmp_path, USERS_AND_PROJECTS)
    sums = checksum(pg_url, "projects")

    report = run_repair(schema, pg_url)

    assert report.applied is not None and not report.applied.failed
    [left] = report.applied.left_not_valid
    assert left.item.describe().startswith("add foreign key projects_owner_id_fkey")
    assert left.violations is not None and left.violations.count == 3
    assert set(left.violations.examples) == {"owner_id = 'u1'", "owner_id = 'u2'"}
    assert not constraint_validated(pg_url, "projects_owner_id_fkey")
    assert checksum(pg_url, "projects") == sums
    assert any("projects_owner_id_fkey" in r and "3 existing row(s)" in r for r in report.remaining)


def test_a_key_that_no_row_violates_is_created_not_valid_then_validated(
    pg_url: str, tmp_path: Path
) -> None:
    run_sql(
        pg_url,
        PROJECTS_ONLY
        + 'CREATE TABLE "users" ("id" TEXT NOT NULL, "email" TEXT NOT NULL, CONSTRAINT "users_pkey" PRIMARY KEY ("id"));'
        + 'CREATE UNIQUE INDEX "users_email_key" ON "users"("email");'
        + "INSERT INTO \"users\" VALUES ('u1', 'a@x'), ('u2', 'b@x');",
    )
    schema = write_schema(tmp_path, USERS_AND_PROJECTS)

    report = run_repair(schema, pg_url)

    key = item(report, "projects_owner_id_fkey")
    assert key.action is Action.APPLY_NOT_VALID
    assert report.applied is not None
    assert [r.outcome for r in report.applied.results] == [Outcome.VALIDATED]
    assert constraint_validated(pg_url, "projects_owner_id_fkey")
    assert report.exit_code == 0


# ── enum values ──────────────────────────────────────────────────────────


def test_missing_enum_values_are_added_in_place_in_declared_order(
    pg_url: str, tmp_path: Path
) -> None:
    run_sql(
        pg_url,
        "CREATE TYPE \"Role\" AS ENUM ('ADMIN', 'USER');"
        'CREATE TABLE "users" ("id" TEXT NOT NULL, "role" "Role" NOT NULL, CONSTRAINT "users_pkey" PRIMARY KEY ("id"));'
        "INSERT INTO \"users\" VALUES ('u1', 'ADMIN'), ('u2', 'USER');",
    )
    schema = write_schema(
        tmp_path,
        'enum Role {\n  ADMIN\n  GUEST\n  USER\n}\n\nmodel User {\n  id   String @id\n  role Role\n\n  @@map("users")\n}\n',
    )
    sums = checksum(pg_url, "users")

    report = run_repair(schema, pg_url)

    assert [i.describe() for i in report.plan.items] == ["add value GUEST to enum Role"]
    assert report.exit_code == 0
    [role] = introspect(pg_url).enums
    assert role.values == ("ADMIN", "GUEST", "USER")
    assert checksum(pg_url, "users") == sums


# ── failures leave nothing half-done ───────────────────────────────────────


def test_a_failing_statement_rolls_the_whole_repair_back(pg_url: str, tmp_path: Path) -> None:
    # A table already holds the name the new unique index needs: CREATE TABLE succeeds, the index fails.
    run_sql(pg_url, 'CREATE TABLE "clash" ("id" INTEGER PRIMARY KEY)')
    schema = write_schema(
        tmp_path,
        'model Thing {\n  id   Int    @id\n  name String\n\n  @@unique([name], map: "clash")\n  @@map("things")\n}\n',
    )
    before = introspect(pg_url)

    with pytest.raises(RepairFailed, match="rolled back") as failure:
        run_repair(schema, pg_url)

    assert "clash" in failure.value.message
    assert introspect(pg_url) == before, "the table created before the failure is gone too"


@pytest.fixture
def restricted_role(pg_server: PostgresServer, pg_url: str) -> Iterator[str]:
    """A role that may connect and read, but not CREATE in the public schema (PostgreSQL 15+ default)."""
    name = f"sm_repair_{secrets.token_hex(4)}"
    database = parse_url(pg_url).database
    run_sql(pg_url, f"CREATE ROLE {name} LOGIN PASSWORD 'hunter2-secret'")
    run_sql(
        pg_url,
        f'GRANT CONNECT ON DATABASE "{database}" TO {name}; GRANT USAGE ON SCHEMA public TO {name}',
    )
    run_sql(
        pg_url,
        f"REVOKE CREATE ON SCHEMA public FROM PUBLIC; GRANT SELECT ON ALL TABLES IN SCHEMA public TO {name}",
    )
    try:
        yield f"postgresql://{name}:hunter2-secret@{pg_server.host}:{pg_server.port}/{database}"
    finally:
        run_sql(pg_url, f"DROP OWNED BY {name}")
        with pg_server.admin_connect() as admin:
            admin.execute(f"DROP ROLE IF EXISTS {name}")


@pytest.mark.shared
def test_a_user_without_create_privilege_gets_a_clear_message_and_an_unchanged_database(
    production: str, restricted_role: str, shared_dir: Path
) -> None:
    schema = str(shared_dir / "scenarios" / "seed-incident" / "prisma" / "schema.prisma")
    before = introspect(production)

    with pytest.raises(RepairPrivilegeMissing) as failure:
        run_repair(schema, restricted_role)

    message = failure.value.message
    assert "CREATE privilege" in message and "permission denied for schema public" in message
    assert "database is unchanged" in message
    assert "hunter2-secret" not in message + (failure.value.hint or "")
    assert introspect(production) == before


# ── the command line ───────────────────────────────────────────────────────


def cli_run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["repair", *args])
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.shared
def test_cli_without_yes_and_without_a_terminal_refuses_instead_of_waiting(
    production: str, shared_dir: Path
) -> None:
    schema = str(shared_dir / "scenarios" / "seed-incident" / "prisma" / "schema.prisma")
    before = introspect(production)
    code, out, err = cli_run("--schema", schema, "--url", production)
    assert code == 1
    assert "--yes" in err and "--dry-run" in err
    assert "create table ×7" in out, "the plan is shown before refusing"
    assert introspect(production) == before


@pytest.mark.shared
def test_cli_dry_run_prints_the_plan_and_exits_2_then_yes_applies_and_exits_0(
    production: str, shared_dir: Path
) -> None:
    schema = str(shared_dir / "scenarios" / "seed-incident" / "prisma" / "schema.prisma")
    url = production.replace("postgres@", "postgres:not-printed@")
    code, out, _ = cli_run("--schema", schema, "--url", url, "--dry-run")
    assert code == 2 and "Dry run: nothing was changed (28 step(s) would be applied)" in out
    assert "not-printed" not in out and "postgres:***@" in out

    code, out, _ = cli_run("--schema", schema, "--url", url, "--yes")
    assert code == 0 and "Applied 28 step(s) in one transaction." in out
    assert "The database now matches the schema." in out


def test_cli_json_lists_every_step_with_risk_findings_and_outcome(
    pg_url: str, tmp_path: Path
) -> None:
    run_sql(pg_url, USERS_WITH_EXTRAS)
    schema = write_schema(tmp_path, USERS_ONLY + "\nmodel Tag {\n  id Int @id\n}\n")
    code, out, _ = cli_run("--schema", schema, "--url", pg_url, "--yes", "--json")
    data = json.loads(out)
    assert code == 2 and data["ok"] is True
    steps = {s["step"]: s for s in data["steps"]}
    assert steps["create table Tag"]["outcome"] == "applied"
    dropped = steps["drop table legacy_notes"]
    assert dropped["risk"] == "destructive" and dropped["action"] == "held back"
    assert dropped["findings"][0]["code"] == "drop-table" and dropped["findings"][0]["count"] == 3
    assert set(data["remaining"]) == {"drop table legacy_notes", "drop column users.legacy_score"}


# ── large tables and dependent objects ───────────────────────────────────────


def test_an_index_on_a_large_table_is_locking_and_built_concurrently_after_the_transaction(
    pg_url: str, tmp_path: Path
) -> None:
    run_sql(
        pg_url,
        'CREATE TABLE "events" ("id" INTEGER NOT NULL, "kind" TEXT NOT NULL, CONSTRAINT "events_pkey" PRIMARY KEY ("id"));'
        "INSERT INTO \"events\" SELECT g, 'k' || (g % 7) FROM generate_series(1, 100001) g;",
    )
    schema = write_schema(
        tmp_path,
        'model Event {\n  id   Int    @id\n  kind String\n\n  @@index([kind])\n  @@map("events")\n}\n'
        "\nmodel Tag {\n  id Int @id\n}\n",
    )

    report = run_repair(schema, pg_url)

    index = item(report, "events_kind_idx")
    assert index.verdict.risk is Risk.LOCKING and index.action is Action.AFTER
    assert "100,001 rows" in index.verdict.summary and "events" in index.verdict.summary
    assert index.statements == ('CREATE INDEX CONCURRENTLY "events_kind_idx" ON "events"("kind")',)
    assert report.applied is not None and not report.applied.failed
    assert report.exit_code == 0 and schema_diff(pg_url, schema) == []


def test_views_over_repaired_tables_keep_working(pg_url: str, tmp_path: Path) -> None:
    run_sql(pg_url, USERS_WITH_EXTRAS)
    run_sql(pg_url, 'CREATE VIEW "user_emails" AS SELECT "id", "email" FROM "users"')
    schema = write_schema(tmp_path, USERS_AND_PROJECTS)

    report = run_repair(schema, pg_url, allow_destructive=True)

    assert report.exit_code == 0
    with connect(parse_url(pg_url)) as conn:
        assert conn.query('SELECT COUNT(*) FROM "user_emails"') == [(3,)]


def test_a_drop_that_would_break_a_view_fails_and_rolls_everything_back(
    pg_url: str, tmp_path: Path
) -> None:
    run_sql(pg_url, USERS_WITH_EXTRAS)
    run_sql(pg_url, 'CREATE VIEW "scores" AS SELECT "id", "legacy_score" FROM "users"')
    schema = write_schema(tmp_path, USERS_AND_PROJECTS)
    before = introspect(pg_url)

    with pytest.raises(RepairFailed, match="other objects depend on it") as failure:
        run_repair(schema, pg_url, allow_destructive=True)

    assert "rolled back" in failure.value.message
    assert introspect(pg_url) == before
    with connect(parse_url(pg_url)) as conn:
        assert conn.query('SELECT COUNT(*) FROM "scores"') == [(3,)]


def test_an_enum_value_used_by_a_new_default_is_committed_before_the_transaction(
    pg_url: str, tmp_path: Path
) -> None:
    run_sql(pg_url, "CREATE TYPE \"Role\" AS ENUM ('ADMIN', 'USER')")
    schema = write_schema(
        tmp_path,
        "enum Role {\n  ADMIN\n  GUEST\n  USER\n}\n\n"
        'model User {\n  id   String @id\n  role Role   @default(GUEST)\n\n  @@map("users")\n}\n',
    )

    report = run_repair(schema, pg_url)

    value = item(report, "add value GUEST to enum Role")
    assert value.action is Action.BEFORE and "used by a later step" in value.reason
    assert report.exit_code == 0 and schema_diff(pg_url, schema) == []


def test_an_empty_database_gets_extensions_and_tables_but_no_schema_that_already_exists(
    pg_url: str, tmp_path: Path
) -> None:
    path = tmp_path / "schema.prisma"
    path.write_text(
        DATASOURCE.replace(
            'env("DATABASE_URL")\n', 'env("DATABASE_URL")\n  extensions = [pgcrypto]\n'
        )
        + 'generator client {\n  provider        = "prisma-client-js"\n'
        '  previewFeatures = ["postgresqlExtensions"]\n}\n\n'
        'model Thing {\n  id String @id @default(dbgenerated("gen_random_uuid()")) @db.Uuid\n}\n',
        encoding="utf-8",
    )

    report = run_repair(str(path), pg_url)

    assert [i.describe() for i in report.plan.items] == [
        "create extension pgcrypto",
        "create table Thing",
    ]
    assert report.exit_code == 0 and schema_diff(pg_url, str(path)) == []
