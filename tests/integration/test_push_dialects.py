"""`schemamend db push`: safe by default, idempotent, and backed up before it loses data.

On each dialect: the second push of the same schema changes nothing; a push
that would drop a column holding data stops and changes nothing; with
`--accept-data-loss` it drops the column after copying its values into the
repair's backup. Prisma's steps: an enum value is removed (the type
recreated) once no row holds it; a SQLite table is rebuilt keeping its rows,
without a flag when nothing is lost, with `--accept-data-loss` (and a backup)
when columns are dropped or retyped, never while NULLs would fail the copy.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from schemamend.cli.main import cli
from schemamend.commands.push import db_push
from schemamend.db import connect, parse_url
from schemamend.dialects.registry import dialect_for
from schemamend.introspect import introspect
from schemamend.safety import steps as rs

SCHEMA = """datasource db {{
  provider = "{provider}"
}}

model Account {{
  id     Int     @id @default(autoincrement())
  email  String  @unique
  bio    String?
  notes  Note[]
}}

model Note {{
  id        Int     @id @default(autoincrement())
  body      String
  accountId Int
  account   Account @relation(fields: [accountId], references: [id])

  @@index([body])
}}
"""

DIALECTS = [
    pytest.param("sqlite_url", id="sqlite"),
    pytest.param("pg_url", id="postgresql"),
    pytest.param("mysql_url", id="mariadb"),
]


def _project(root: Path, url: str, text: str | None = None) -> Path:
    provider = parse_url(url).family.value
    schema = root / "prisma" / "schema.prisma"
    schema.parent.mkdir(parents=True, exist_ok=True)
    schema.write_text(text or SCHEMA.format(provider=provider), encoding="utf-8")
    return schema


def _without_bio(schema: Path) -> None:
    schema.write_text(
        schema.read_text(encoding="utf-8").replace("  bio    String?\n", ""), encoding="utf-8"
    )


def _execute(url: str, statement: str) -> None:
    with connect(parse_url(url)) as conn, conn.transaction():
        conn.execute(statement)


def _quote(url: str, name: str) -> str:
    return dialect_for(parse_url(url).family.value).quote_identifier(name)


@pytest.mark.parametrize("fixture", DIALECTS)
def test_pushing_the_same_schema_twice_changes_nothing_the_second_time(
    fixture: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    url = request.getfixturevalue(fixture)
    schema = _project(tmp_path, url)
    first = db_push(str(schema), url=url)
    assert first.applied and first.exit_code == 0, first.repair.remaining
    assert not first.repair.remaining
    second = db_push(str(schema), url=url)
    assert second.no_changes and second.exit_code == 0, [i.describe() for i in second.plan.items]
    assert second.repair.applied is None


@pytest.mark.parametrize("fixture", DIALECTS)
def test_a_push_that_would_drop_a_column_with_data_stops_until_data_loss_is_accepted(
    fixture: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    url = request.getfixturevalue(fixture)
    schema = _project(tmp_path, url)
    assert db_push(str(schema), url=url).exit_code == 0

    def q(name: str) -> str:
        return _quote(url, name)

    _execute(
        url, f"INSERT INTO {q('Account')} ({q('email')}, {q('bio')}) VALUES ('a@x.io', 'keep me')"
    )
    before = introspect(url)

    _without_bio(schema)
    stopped = db_push(str(schema), url=url)
    assert stopped.stopped and stopped.exit_code == 2
    assert stopped.repair.applied is None
    held = [i.describe() for i in stopped.plan.held]
    # SQLite rebuilds the table to drop a column, as Prisma's push does.
    assert held == [
        "redefine table Account" if fixture == "sqlite_url" else "drop column Account.bio"
    ]
    assert "--accept-data-loss" in stopped.plan.held[0].reason
    assert introspect(url) == before

    accepted = db_push(str(schema), url=url, accept_data_loss=True)
    assert accepted.applied and accepted.exit_code == 0, accepted.repair.remaining
    (backup,) = [i.step for i in accepted.plan.to_apply if isinstance(i.step, rs.BackupTable)]
    assert backup.source.name == "Account" and "bio" in backup.columns
    assert accepted.backups
    table = backup.backup
    qualified = (
        q(table.name) if table.namespace is None else f"{q(table.namespace)}.{q(table.name)}"
    )
    with connect(parse_url(url)) as conn:
        rows = conn.query(f"SELECT {q('bio')} FROM {qualified}")
        account = next(t for t in introspect(conn).tables if t.ref.name == "Account")
    assert [tuple(r) for r in rows] == [("keep me",)]
    assert "bio" not in {c.name for c in account.columns}
    assert db_push(str(schema), url=url).no_changes


def test_push_warns_when_the_database_has_migration_history(
    tmp_path: Path, sqlite_url: str
) -> None:
    from schemamend.commands.dev import migrate_dev
    from schemamend.commands.migrate import deploy

    schema = _project(tmp_path, sqlite_url)
    migrate_dev(str(schema), name="init", url=sqlite_url)
    assert deploy(str(schema), url=sqlite_url).ok
    _without_bio(schema)
    schema.write_text(
        schema.read_text(encoding="utf-8").replace(
            "  email  String  @unique\n", "  email  String  @unique\n  nick   String?\n"
        ),
        encoding="utf-8",
    )
    report = db_push(str(schema), url=sqlite_url, accept_data_loss=True)
    assert report.has_history and report.applied
    assert any(
        "_prisma_migrations" in w and "migrate dev --create-only" in w for w in report.warnings
    )


def test_db_push_cli_exit_codes_and_json(tmp_path: Path, sqlite_url: str) -> None:
    schema = _project(tmp_path, sqlite_url)
    runner = CliRunner()
    first = runner.invoke(cli, ["db", "push", "--schema", str(schema), "--url", sqlite_url])
    assert first.exit_code == 0, first.output
    assert "now matches the schema" in first.output
    again = runner.invoke(cli, ["db", "push", "--schema", str(schema), "--url", sqlite_url])
    assert again.exit_code == 0 and "no changes" in again.output
    _execute(sqlite_url, 'INSERT INTO "Account" ("email", "bio") VALUES (\'b@x.io\', \'text\')')
    _without_bio(schema)
    stopped = runner.invoke(
        cli, ["db", "push", "--schema", str(schema), "--url", sqlite_url, "--json"]
    )
    assert stopped.exit_code == 2, stopped.output
    payload = json.loads(stopped.output)
    assert payload["stopped"] and not payload["applied"] and not payload["noChanges"]
    assert payload["risks"]["destructive"] == 1


# ── Prisma's steps: an enum type recreated, a SQLite table rebuilt ──────────────

ENUM_SCHEMA = """datasource db {{
  provider = "postgresql"
}}

enum Plan {{
  FREE
  {extra}PRO
}}

model Account {{
  id    Int    @id @default(autoincrement())
  plan  Plan   @default({default})
  plans Plan[]
}}
"""


def _enum_values(url: str, name: str) -> list[str]:
    with connect(parse_url(url)) as conn:
        rows = conn.query(
            "SELECT e.enumlabel FROM pg_enum e JOIN pg_type t ON t.oid = e.enumtypid "
            f"WHERE t.typname = '{name}' ORDER BY e.enumsortorder"
        )
    return [str(r[0]) for r in rows]


@pytest.mark.parametrize("params", ["", "?schema=app"])
def test_push_removes_an_enum_value_once_no_row_holds_it(
    params: str, tmp_path: Path, pg_url: str
) -> None:
    pg_url += params  # the push creates schema `app` (test_pg_missing_schema.py)
    schema = _project(tmp_path, pg_url, ENUM_SCHEMA.format(extra="TRIAL\n  ", default="TRIAL"))
    assert db_push(str(schema), url=pg_url).exit_code == 0
    _execute(
        pg_url,
        """INSERT INTO "Account" ("plan", "plans") VALUES ('FREE', '{FREE,PRO}'), ('TRIAL', '{TRIAL}'), """
        """('PRO', NULL)""",
    )
    schema.write_text(ENUM_SCHEMA.format(extra="", default="FREE"), encoding="utf-8")

    # Rows hold TRIAL: converting them would fail, so nothing runs, even with --accept-data-loss.
    for accept in (False, True):
        stopped = db_push(str(schema), url=pg_url, accept_data_loss=accept)
        assert stopped.stopped and stopped.exit_code == 2 and stopped.repair.applied is None
        (held,) = stopped.plan.held
        assert held.describe() == "alter enum Plan (remove TRIAL)"
        assert held.verdict.risk.value == "destructive" and "change them first" in held.reason
        counts = sorted(f.count for f in held.verdict.findings if f.code.value == "drop-enum-value")
        assert counts == [1, 1]  # one row in `plan`, one in `plans`
        assert _enum_values(pg_url, "Plan") == ["FREE", "TRIAL", "PRO"]

    _execute(
        pg_url,
        """UPDATE "Account" SET "plan" = 'FREE', "plans" = '{FREE}' WHERE "plan" = 'TRIAL'""",
    )
    pushed = db_push(str(schema), url=pg_url)
    assert pushed.applied and pushed.exit_code == 0, pushed.repair.remaining
    assert not pushed.backups  # nothing held the value: nothing lost
    (recreated,) = [
        i for i in pushed.plan.to_apply if i.describe() == "alter enum Plan (remove TRIAL)"
    ]
    assert f'DROP TYPE "{parse_url(pg_url).schema}"."Plan_old"' in recreated.statements
    assert "BEGIN" not in recreated.statements  # it runs in the push's own transaction
    assert _enum_values(pg_url, "Plan") == ["FREE", "PRO"]
    with connect(parse_url(pg_url)) as conn:
        rows = conn.query('SELECT "id", "plan"::text, "plans"::text FROM "Account" ORDER BY "id"')
        default = conn.query(
            "SELECT column_default FROM information_schema.columns "
            "WHERE table_name = 'Account' AND column_name = 'plan'"
        )
    assert [tuple(r) for r in rows] == [
        (1, "FREE", "{FREE,PRO}"),
        (2, "FREE", "{FREE}"),
        (3, "PRO", None),
    ]
    assert default[0][0] == "'FREE'::\"Plan\""
    assert db_push(str(schema), url=pg_url).no_changes


SQLITE_BEFORE = """datasource db {
  provider = "sqlite"
}

model Account {
  id    Int     @id @default(autoincrement())
  email String?
  age   String
  level Int     @default(0)
  bio   String?
  notes Note[]
}

model Note {
  id        Int     @id @default(autoincrement())
  accountId Int
  account   Account @relation(fields: [accountId], references: [id])
}
"""


def _sqlite_rows(url: str, statement: str) -> list[tuple[object, ...]]:
    with connect(parse_url(url)) as conn:
        return [tuple(r) for r in conn.query(statement)]


def test_push_rebuilds_a_sqlite_table_keeping_its_rows(tmp_path: Path, sqlite_url: str) -> None:
    schema = _project(tmp_path, sqlite_url, SQLITE_BEFORE)
    assert db_push(str(schema), url=sqlite_url).exit_code == 0
    _execute(
        sqlite_url,
        """INSERT INTO "Account" ("email", "age", "bio") VALUES ('a@x.io', '41', 'first'), (NULL, '7', NULL)""",
    )
    _execute(sqlite_url, """INSERT INTO "Note" ("accountId") VALUES (1), (2), (2)""")

    # A new default only: the rebuild loses nothing and runs without a flag.
    schema.write_text(SQLITE_BEFORE.replace("@default(0)", "@default(1)"), encoding="utf-8")
    rebuilt = db_push(str(schema), url=sqlite_url)
    assert rebuilt.applied and rebuilt.exit_code == 0, [i.reason for i in rebuilt.plan.items]
    assert [i.describe() for i in rebuilt.plan.to_apply] == ["redefine table Account"]
    assert _sqlite_rows(
        sqlite_url, 'SELECT "id", "email", "age", "level", "bio" FROM "Account" ORDER BY "id"'
    ) == [
        (1, "a@x.io", "41", 0, "first"),
        (2, None, "7", 0, None),
    ]

    # Required email, numeric age, no bio: bio's values are lost, and a NULL email cannot be copied.
    changed = (
        SQLITE_BEFORE.replace("@default(0)", "@default(1)")
        .replace("  email String?\n", "  email String\n")
        .replace("  age   String\n", "  age   Int\n")
        .replace("  bio   String?\n", "")
    )
    schema.write_text(changed, encoding="utf-8")
    before = introspect(sqlite_url)
    stopped = db_push(str(schema), url=sqlite_url)
    (held,) = stopped.plan.held
    assert stopped.stopped and held.verdict.risk.value == "destructive"
    assert "--accept-data-loss" in held.reason
    codes = {f.code.value for f in held.verdict.findings}
    assert {"redefine-drops-values", "redefine-over-nulls"} <= codes
    still = db_push(str(schema), url=sqlite_url, accept_data_loss=True)
    assert still.stopped and still.repair.applied is None  # the NULL email would fail the copy
    assert introspect(sqlite_url) == before

    _execute(sqlite_url, """UPDATE "Account" SET "email" = 'b@x.io' WHERE "email" IS NULL""")
    accepted = db_push(str(schema), url=sqlite_url, accept_data_loss=True)
    assert accepted.applied and accepted.exit_code == 0, accepted.repair.remaining
    (backup,) = [i.step for i in accepted.plan.to_apply if isinstance(i.step, rs.BackupTable)]
    assert backup.source.name == "Account" and backup.columns == ("id", "age", "bio")
    assert _sqlite_rows(sqlite_url, f'SELECT * FROM "{backup.backup.name}" ORDER BY "id"') == [
        (1, "41", "first"),
        (2, "7", None),
    ]
    assert _sqlite_rows(
        sqlite_url, 'SELECT "id", "email", "age", "level" FROM "Account" ORDER BY "id"'
    ) == [
        (1, "a@x.io", 41, 0),
        (2, "b@x.io", 7, 0),
    ]
    assert _sqlite_rows(sqlite_url, 'SELECT "id", "accountId" FROM "Note" ORDER BY "id"') == [
        (1, 1),
        (2, 2),
        (3, 2),
    ]
    assert _sqlite_rows(sqlite_url, "PRAGMA foreign_key_check") == []
    assert db_push(str(schema), url=sqlite_url).no_changes
