"""`db pull` on SQLite and MariaDB: a pulled schema describes its database exactly, and the
render → apply → introspect round trip leaves nothing for the differ."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest

from schemamend.commands.diff import State as DiffState
from schemamend.commands.diff import migrate_diff
from schemamend.commands.render import render_from_empty
from schemamend.db import Family, connect, parse_url
from schemamend.dialects.registry import dialect_for
from schemamend.diff.changes import describe
from schemamend.diff.differ import diff_schemas
from schemamend.introspect import introspect
from schemamend.migrate.split import split_statements
from schemamend.model.datamodel import Datamodel
from schemamend.psl import check_text, load_schema
from schemamend.pull import pull_schema


def corpus(shared_dir: Path, provider: str) -> list[tuple[Path, Datamodel]]:
    reference = shared_dir / "scenarios" / "seed-incident" / "prisma" / "schema.prisma"
    found = []
    for path in [reference, *sorted((shared_dir / "corpus" / "real-world").rglob("schema.prisma"))]:
        datamodel = load_schema(path).require()
        if datamodel.datasource is not None and datamodel.datasource.provider == provider:
            found.append((path, datamodel))
    return found


def scenario_as(shared_dir: Path, provider: str) -> Datamodel:
    """The reference scenario's schema with another provider (its native types exist on MySQL too)."""
    text = (shared_dir / "scenarios" / "seed-incident" / "prisma" / "schema.prisma").read_text()
    return check_text(text.replace('provider = "postgresql"', f'provider = "{provider}"')).require()


def changes(
    url: str, provider: str, declared_text: str | None = None, datamodel: Datamodel | None = None
) -> list[str]:
    live = introspect(url)
    dialect = dialect_for(provider)
    if datamodel is None:
        datamodel = check_text(declared_text or pull_schema(live, provider).text).require()
    return [
        describe(c) for c in diff_schemas(live, dialect.calculate(datamodel), dialect.capabilities)
    ]


# ── SQLite ─────────────────────────────────────────────────────────────────


def build_sqlite(path: Path, script: str) -> str:
    db = sqlite3.connect(path)
    db.executescript(script)
    db.close()
    return f"file:{path}"


@pytest.mark.sqlite
@pytest.mark.shared
def test_every_sqlite_corpus_schema_pulls_and_round_trips(shared_dir: Path, tmp_path: Path) -> None:
    schemas = corpus(shared_dir, "sqlite")
    assert schemas
    for i, (path, datamodel) in enumerate(schemas):
        url = build_sqlite(tmp_path / f"db{i}.db", render_from_empty(datamodel, "sqlite"))
        assert changes(url, "sqlite", datamodel=datamodel) == [], path
        assert changes(url, "sqlite") == [], path


@pytest.mark.sqlite
def test_sqlite_pull_names_relations_and_keeps_autoincrement(tmp_path: Path) -> None:
    url = build_sqlite(
        tmp_path / "dev.db",
        """
        CREATE TABLE "User" ("id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, "email" TEXT NOT NULL);
        CREATE UNIQUE INDEX "User_email_key" ON "User"("email");
        CREATE TABLE "Post" (
            "id" TEXT NOT NULL PRIMARY KEY,
            "authorId" INTEGER NOT NULL,
            "score" REAL NOT NULL DEFAULT 1.5,
            "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
            CONSTRAINT "Post_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User" ("id")
                ON DELETE CASCADE ON UPDATE CASCADE
        );
        """,
    )
    text = pull_schema(introspect(url), "sqlite").text
    assert text == (
        'datasource db {\n  provider = "sqlite"\n}\n\n'
        "model Post {\n"
        "  id        String   @id\n"
        "  authorId  Int\n"
        "  score     Float    @default(1.5)\n"
        "  createdAt DateTime @default(now())\n"
        "  User      User     @relation(fields: [authorId], references: [id], onDelete: Cascade)\n"
        "}\n\n"
        "model User {\n"
        "  id    Int    @id @default(autoincrement())\n"
        "  email String @unique\n"
        "  Post  Post[]\n"
        "}\n"
    )
    assert changes(url, "sqlite", text) == []


SQLITE_FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "pull" / "sqlite"


@pytest.mark.sqlite
def test_sqlite_indexes_come_in_index_list_order(tmp_path: Path) -> None:
    """Prisma reads a table's indexes in `PRAGMA index_list` order (the newest first), not by
    name: `db pull` lists `@@unique` and `@@index` that way, and a diff from the database drops
    them that way. The expected files are what Prisma 7.10.1 printed for index_order.sql
    (`db pull --print`; `migrate diff --from-config-datasource --to-schema
    index_order.fewer.prisma --script`)."""
    url = build_sqlite(
        tmp_path / "dev.db", (SQLITE_FIXTURES / "index_order.sql").read_text(encoding="utf-8")
    )
    live = introspect(url)

    assert [i.name for i in live.tables[0].indexes] == [
        "T_a_d_key", "T_b_idx", "T_d_a_idx", "T_b_c_key", "T_a_idx", "T_c_idx",
    ]  # fmt: skip
    assert pull_schema(live, "sqlite").text == (SQLITE_FIXTURES / "index_order.prisma").read_text(
        encoding="utf-8"
    )
    assert changes(url, "sqlite") == []
    fewer = DiffState("schema", str(SQLITE_FIXTURES / "index_order.fewer.prisma"))
    dropped = migrate_diff(DiffState("url", url), fewer).script
    assert dropped == (SQLITE_FIXTURES / "index_order.drop.sql").read_text(encoding="utf-8")


# ── MariaDB ────────────────────────────────────────────────────────────────


def run_mysql(url: str, script: str) -> None:
    with connect(parse_url(url)) as conn:
        for statement in split_statements(script, Family.MYSQL):
            conn.execute(statement.text)


@pytest.mark.mysql
@pytest.mark.shared
def test_every_mysql_corpus_schema_pulls_and_round_trips(
    shared_dir: Path, mysql_server: Any
) -> None:
    schemas = corpus(shared_dir, "mysql")
    assert schemas
    for path, datamodel in schemas:
        with mysql_server.throwaway() as url:
            run_mysql(url, render_from_empty(datamodel, "mysql"))
            assert changes(url, "mysql", datamodel=datamodel) == [], path
            assert changes(url, "mysql") == [], path


@pytest.mark.mysql
@pytest.mark.shared
def test_the_reference_scenario_on_mariadb_pulls_and_round_trips(
    shared_dir: Path, mysql_url: str
) -> None:
    datamodel = scenario_as(shared_dir, "mysql")
    run_mysql(mysql_url, render_from_empty(datamodel, "mysql"))
    assert changes(mysql_url, "mysql", datamodel=datamodel) == []
    assert changes(mysql_url, "mysql") == []


@pytest.mark.mysql
def test_mysql_inline_enums_become_enums_named_after_model_and_field(mysql_url: str) -> None:
    run_mysql(
        mysql_url,
        "CREATE TABLE `orders` (`id` INTEGER NOT NULL AUTO_INCREMENT, "
        "`status` ENUM('NEW', 'PAID') NOT NULL DEFAULT 'NEW', `note` VARCHAR(255) NULL, PRIMARY KEY (`id`))",
    )
    text = pull_schema(introspect(mysql_url), "mysql").text
    assert "  status orders_status @default(NEW)\n" in text
    assert "  note   String?       @db.VarChar(255)\n" in text
    assert "enum orders_status {\n  NEW\n  PAID\n}\n" in text
    assert changes(mysql_url, "mysql", text) == []
