"""`schemamend migrate dev --create-only`: the next migration, written from history and the schema.

On each dialect: the first migration writes `migration_lock.toml` too; a
change writes only the new folder; no change writes nothing; the folder
deployed to an empty database has no drift against the schema. Changes that
may fail or lose data get Prisma's warning block, and the statements to edit
get a `-- schemamend:` comment above them.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from schemamend.cli.main import cli
from schemamend.commands.dev import DevError, migrate_dev, migration_slug, next_timestamp
from schemamend.commands.diff import State, migrate_diff
from schemamend.commands.migrate import deploy
from schemamend.db import parse_url
from schemamend.migrate.folder import read_migrations_folder

BASE = """datasource db {{
  provider = "{provider}"
}}

model Account {{
  id    Int    @id @default(autoincrement())
  email String @unique
  bio   String?
}}
"""

CHANGED = """datasource db {{
  provider = "{provider}"
}}

model Account {{
  id       Int     @id @default(autoincrement())
  email    String  @unique
  bio      String?
  nickname String?
  notes    Note[]

  @@index([nickname])
}}

model Note {{
  id        Int     @id @default(autoincrement())
  body      String
  accountId Int
  account   Account @relation(fields: [accountId], references: [id])
}}
"""

DIALECTS = [
    pytest.param("sqlite_url", id="sqlite"),
    pytest.param("pg_url", id="postgresql"),
    pytest.param("mysql_url", id="mariadb"),
]


def _schema(root: Path, template: str, url: str) -> Path:
    path = root / "prisma" / "schema.prisma"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(template.format(provider=parse_url(url).family.value), encoding="utf-8")
    return path


def _fresh_url(fixture: str, request: pytest.FixtureRequest, tmp_path: Path) -> Any:
    if fixture == "sqlite_url":
        return None, f"file:{tmp_path / 'fresh.db'}"
    server = request.getfixturevalue("pg_server" if fixture == "pg_url" else "mysql_server")
    return server, None


@pytest.mark.parametrize("fixture", DIALECTS)
def test_create_only_writes_each_change_once_and_the_folder_builds_the_schema(
    fixture: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    url = request.getfixturevalue(fixture)
    schema = _schema(tmp_path, BASE, url)
    migrations = schema.parent / "migrations"

    init = migrate_dev(str(schema), name="init", url=url)
    assert init.wrote_lock and init.path is not None and init.path.is_file()
    assert (
        (migrations / "migration_lock.toml")
        .read_text(encoding="utf-8")
        .endswith(f'provider = "{parse_url(url).family.value}"\n')
    )
    assert init.risk_counts()["safe"] == len(init.steps)

    assert migrate_dev(str(schema), name="again", url=url).is_empty
    assert len(read_migrations_folder(migrations).migrations) == 1

    _schema(tmp_path, CHANGED, url)
    change = migrate_dev(str(schema), name="add notes", url=url)
    assert change.name is not None and change.name.endswith("_add_notes")
    assert not change.wrote_lock and not change.warnings
    assert "-- CreateTable" in change.script and "-- CreateIndex" in change.script
    assert read_migrations_folder(migrations).names == [init.name, change.name]
    assert migrate_dev(str(schema), name="again", url=url).is_empty

    server, fresh = _fresh_url(fixture, request, tmp_path)
    if server is None:
        _assert_no_drift(schema, fresh)
    else:
        with server.throwaway() as fresh_url:
            _assert_no_drift(schema, fresh_url)


def _assert_no_drift(schema: Path, url: str) -> None:
    assert deploy(str(schema), url=url).ok
    drift = migrate_diff(State("url", url), State("schema", str(schema)))
    assert drift.is_empty, drift.describe_changes()


def test_apply_deploys_the_new_migration(tmp_path: Path, sqlite_url: str) -> None:
    schema = _schema(tmp_path, BASE, sqlite_url)
    report = migrate_dev(str(schema), name="init", url=sqlite_url, apply=True)
    assert report.applied is not None and report.exit_code == 0
    drift = migrate_diff(State("url", sqlite_url), State("schema", str(schema)))
    assert drift.is_empty, drift.describe_changes()


def test_unsafe_changes_get_prisma_warnings_and_edit_comments(tmp_path: Path, pg_url: str) -> None:
    schema = _schema(tmp_path, BASE, pg_url)
    migrate_dev(str(schema), name="init", url=pg_url)
    text = schema.read_text(encoding="utf-8")
    schema.write_text(
        text.replace("  bio   String?\n", "  about String?\n  plan  String\n"), encoding="utf-8"
    )
    report = migrate_dev(str(schema), name="profile", url=pg_url)
    assert report.script.startswith(
        "/*\n  Warnings:\n\n"
        "  - You are about to drop the column `bio` on the `Account` table. All the data in the "
        "column will be lost.\n"
        "  - Added the required column `plan` to the `Account` table without a default value. "
        "This is not possible if the table is not empty.\n\n*/\n"
    )
    # One ALTER TABLE, as Prisma writes it; the notes of its clauses above it.
    statement = (
        'ALTER TABLE "Account" DROP COLUMN "bio",\nADD COLUMN     "about" TEXT,\n'
        'ADD COLUMN     "plan" TEXT NOT NULL;\n'
    )
    assert report.script.endswith(statement)
    notes = report.script[: -len(statement)].split("-- AlterTable\n")[-1].splitlines()
    assert notes[1] == '-- schemamend: ALTER TABLE "Account" RENAME COLUMN "bio" TO "about";'
    assert "required and has no default" in notes[2]
    assert all(line.startswith("-- schemamend: ") for line in notes)
    counts = report.risk_counts()
    assert counts["destructive"] == 1 and counts["may-fail"] == 1


def test_a_history_that_does_not_replay_is_refused(tmp_path: Path, sqlite_url: str) -> None:
    schema = _schema(tmp_path, BASE, sqlite_url)
    broken = schema.parent / "migrations" / "20240101000000_broken"
    broken.mkdir(parents=True)
    (broken / "migration.sql").write_text(
        'ALTER TABLE "nope" ADD COLUMN "x" INTEGER;\n', encoding="utf-8"
    )
    with pytest.raises(DevError, match="does not replay"):
        migrate_dev(str(schema), name="next", url=sqlite_url)


def test_names_and_timestamps_sort_as_prisma_writes_them(tmp_path: Path) -> None:
    assert migration_slug("Add Users-x! ö") == "add_users_x_oe"
    with pytest.raises(DevError):
        migration_slug("!!!")
    folder_path = tmp_path / "migrations"
    (folder_path / "20991231235959_future").mkdir(parents=True)
    (folder_path / "20991231235959_future" / "migration.sql").write_text("", encoding="utf-8")
    now = datetime(2026, 1, 1, tzinfo=UTC)
    assert next_timestamp(read_migrations_folder(folder_path), now) == "21000101000000"
    assert next_timestamp(read_migrations_folder(tmp_path / "none"), now) == "20260101000000"


def test_cli_prints_the_file_and_its_risks(tmp_path: Path, sqlite_url: str) -> None:
    schema = _schema(tmp_path, BASE, sqlite_url)
    runner = CliRunner()
    args = ["migrate", "dev", "--create-only", "--name", "init", "--schema", str(schema)]
    result = runner.invoke(cli, args)  # SQLite: no URL needed, the shadow is in memory
    assert result.exit_code == 0, result.output
    assert (
        "Wrote" in result.output and "CREATE TABLE" in result.output and "Risks:" in result.output
    )
    again = runner.invoke(cli, [*args, "--json"])
    assert again.exit_code == 0, again.output
    payload = json.loads(again.output)
    assert payload["migration"] is None and payload["script"] is None


ENUM_SCHEMA = """datasource db {{
  provider = "postgresql"
}}

enum Plan {{
  FREE
  {extra}PRO
}}

model Account {{
  id   Int  @id @default(autoincrement())
  plan Plan @default({default})
}}
"""


@pytest.mark.parametrize(("params", "namespace"), [("", "public"), ("?schema=app", "app")])
def test_a_removed_enum_value_recreates_the_type_with_prisma_warning(
    params: str, namespace: str, tmp_path: Path, pg_url: str, pg_server: Any
) -> None:
    pg_url += params
    schema = tmp_path / "prisma" / "schema.prisma"
    schema.parent.mkdir(parents=True)
    schema.write_text(ENUM_SCHEMA.format(extra="TRIAL\n  ", default="TRIAL"), encoding="utf-8")
    migrate_dev(str(schema), name="init", url=pg_url)
    schema.write_text(ENUM_SCHEMA.format(extra="", default="FREE"), encoding="utf-8")

    report = migrate_dev(str(schema), name="drop trial", url=pg_url)
    assert report.warnings == (
        "The values [TRIAL] on the enum `Plan` will be removed. If these variants are still used in "
        "the database, this will fail.",
    )
    assert report.script.startswith(
        f"/*\n  Warnings:\n\n  - {report.warnings[0]}\n\n*/\n-- AlterEnum\nBEGIN;\n"
    )
    assert 'ALTER TYPE "Plan_new" RENAME TO "Plan";' in report.script
    # The namespace history was replayed in (the URL's), as Prisma names it.
    assert f'ALTER TABLE "{namespace}"."Account" ALTER COLUMN "plan" DROP DEFAULT;' in report.script
    assert f'DROP TYPE "{namespace}"."Plan_old";' in report.script
    assert report.risk_counts()["destructive"] == 1
    with pg_server.throwaway() as fresh:
        _assert_no_drift(schema, fresh + params)


SQLITE_BEFORE = """datasource db {
  provider = "sqlite"
}

model Account {
  id    Int     @id @default(autoincrement())
  email String?
  age   String
  level Int     @default(0)
  bio   String?
}
"""

SQLITE_AFTER = """datasource db {
  provider = "sqlite"
}

model Account {
  id    Int    @id @default(autoincrement())
  email String
  age   Int
  level Int    @default(1)
}
"""


def test_sqlite_column_changes_rebuild_the_table_with_prisma_warnings(
    tmp_path: Path, sqlite_url: str
) -> None:
    schema = tmp_path / "prisma" / "schema.prisma"
    schema.parent.mkdir(parents=True)
    schema.write_text(SQLITE_BEFORE, encoding="utf-8")
    migrate_dev(str(schema), name="init", url=sqlite_url)
    schema.write_text(SQLITE_AFTER, encoding="utf-8")

    report = migrate_dev(str(schema), name="tighten", url=sqlite_url)
    assert report.warnings == (
        "You are about to drop the column `bio` on the `Account` table. All the data in the column "
        "will be lost.",
        "You are about to alter the column `age` on the `Account` table. The data in that column could "
        "be lost. The data in that column will be cast from `String` to `Int`.",
        "Made the column `email` on table `Account` required. This step will fail if there are "
        "existing NULL values in that column.",
    )
    sections = [line for line in report.script.splitlines() if line.startswith("-- ")]
    assert sections == ["-- RedefineTables"]
    assert 'INSERT INTO "new_Account" ("age", "email", "id", "level") SELECT' in report.script
    counts = report.risk_counts()
    assert counts["destructive"] == 1 and sum(counts.values()) == 1
    _assert_no_drift(schema, f"file:{tmp_path / 'fresh.db'}")
