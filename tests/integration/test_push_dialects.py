"""`schemamend db push`: safe by default, idempotent, and backed up before it loses data.

On each dialect: the second push of the same schema changes nothing; a push
that would drop a column holding data stops and changes nothing; with
`--accept-data-loss` it drops the column after copying its values into the
repair's backup.
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
    schema.write_text(schema.read_text(encoding="utf-8").replace("  bio    String?\n", ""), encoding="utf-8")


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

    _execute(url, f"INSERT INTO {q('Account')} ({q('email')}, {q('bio')}) VALUES ('a@x.io', 'keep me')")
    before = introspect(url)

    _without_bio(schema)
    stopped = db_push(str(schema), url=url)
    assert stopped.stopped and stopped.exit_code == 2
    assert stopped.repair.applied is None
    held = [i.describe() for i in stopped.plan.held]
    assert held == ["drop column Account.bio"]
    assert "--accept-data-loss" in stopped.plan.held[0].reason
    assert introspect(url) == before

    accepted = db_push(str(schema), url=url, accept_data_loss=True)
    assert accepted.applied and accepted.exit_code == 0, accepted.repair.remaining
    (backup,) = [i.step for i in accepted.plan.to_apply if isinstance(i.step, rs.BackupTable)]
    assert backup.source.name == "Account" and "bio" in backup.columns
    assert accepted.backups
    table = backup.backup
    qualified = q(table.name) if table.namespace is None else f"{q(table.namespace)}.{q(table.name)}"
    with connect(parse_url(url)) as conn:
        rows = conn.query(f"SELECT {q('bio')} FROM {qualified}")
        account = next(t for t in introspect(conn).tables if t.ref.name == "Account")
    assert [tuple(r) for r in rows] == [("keep me",)]
    assert "bio" not in {c.name for c in account.columns}
    assert db_push(str(schema), url=url).no_changes


def test_push_warns_when_the_database_has_migration_history(tmp_path: Path, sqlite_url: str) -> None:
    from schemamend.commands.dev import migrate_dev
    from schemamend.commands.migrate import deploy

    schema = _project(tmp_path, sqlite_url)
    migrate_dev(str(schema), name="init", url=sqlite_url)
    assert deploy(str(schema), url=sqlite_url).ok
    _without_bio(schema)
    schema.write_text(
        schema.read_text(encoding="utf-8").replace("  email  String  @unique\n", "  email  String  @unique\n  nick   String?\n"),
        encoding="utf-8",
    )
    report = db_push(str(schema), url=sqlite_url, accept_data_loss=True)
    assert report.has_history and report.applied
    assert any("_prisma_migrations" in w and "migrate dev --create-only" in w for w in report.warnings)


def test_db_push_cli_exit_codes_and_json(tmp_path: Path, sqlite_url: str) -> None:
    schema = _project(tmp_path, sqlite_url)
    runner = CliRunner()
    first = runner.invoke(cli, ["db", "push", "--schema", str(schema), "--url", sqlite_url])
    assert first.exit_code == 0, first.output
    assert "now matches the schema" in first.output
    again = runner.invoke(cli, ["db", "push", "--schema", str(schema), "--url", sqlite_url])
    assert again.exit_code == 0 and "no changes" in again.output
    _execute(sqlite_url, "INSERT INTO \"Account\" (\"email\", \"bio\") VALUES ('b@x.io', 'text')")
    _without_bio(schema)
    stopped = runner.invoke(cli, ["db", "push", "--schema", str(schema), "--url", sqlite_url, "--json"])
    assert stopped.exit_code == 2, stopped.output
    payload = json.loads(stopped.output)
    assert payload["stopped"] and not payload["applied"] and not payload["noChanges"]
    assert payload["risks"]["destructive"] == 1
