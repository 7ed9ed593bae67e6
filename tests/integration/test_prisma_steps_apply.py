"""AlterEnum (PostgreSQL) and RedefineTables (SQLite) scripts applied to real databases.

A live database drifts from its schema; `migrate diff --from-url --to-schema
--script` must give a script that applies, keeps every row, and leaves no
difference behind. Where rows hold an enum value the schema removes, the
script fails as one transaction (nothing changes) and the safety check counts
those rows beforehand.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import psycopg
import pytest

from schemamend.commands.diff import State, migrate_diff
from schemamend.dialects.postgres.dialect import DIALECT as POSTGRES
from schemamend.diff import changes as ch
from schemamend.safety.checks import CheckCode, plan_checks
from schemamend.safety.facts import measure

PG_LIVE = """
CREATE TYPE "Role" AS ENUM ('USER', 'ADMIN', 'GUEST');
CREATE TYPE "Tier" AS ENUM ('FREE');
CREATE TABLE "User" (
    "id" SERIAL NOT NULL,
    "role" "Role" NOT NULL DEFAULT 'USER',
    "roles" "Role"[],
    "tier" "Tier" NOT NULL DEFAULT 'FREE',
    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);
CREATE TABLE "Post" (
    "id" SERIAL NOT NULL,
    "r" "Role" NOT NULL DEFAULT 'GUEST',
    CONSTRAINT "Post_pkey" PRIMARY KEY ("id")
);
INSERT INTO "User" ("role", "roles") VALUES ('USER', '{USER,ADMIN}'), ('ADMIN', NULL), ('USER', '{}');
INSERT INTO "Post" ("r") VALUES ('ADMIN'), ('USER');
"""

PG_SCHEMA = """
datasource db {
  provider = "postgresql"
}

enum Role {
  USER
  ADMIN
  OWNER
}

enum Tier {
  FREE
  PRO
}

model User {
  id    Int    @id @default(autoincrement())
  role  Role   @default(USER)
  roles Role[]
  tier  Tier   @default(FREE)
}

model Post {
  id Int  @id @default(autoincrement())
  r  Role @default(ADMIN)
}
"""


def _pg_rows(url: str) -> list[tuple[object, ...]]:
    with psycopg.connect(url) as conn:
        users = conn.execute(
            'SELECT "id", "role"::text, "roles"::text, "tier"::text FROM "User" ORDER BY "id"'
        ).fetchall()
        posts = conn.execute('SELECT "id", "r"::text FROM "Post" ORDER BY "id"').fetchall()
    return [*users, *posts]


def _diff(url: str, schema: Path) -> str:
    return migrate_diff(State("url", url), State("schema", str(schema))).script


@pytest.mark.postgres
def test_enum_recreation_keeps_every_row_and_leaves_no_difference(
    pg_url: str, tmp_path: Path
) -> None:
    schema = tmp_path / "schema.prisma"
    schema.write_text(PG_SCHEMA, encoding="utf-8")
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute(PG_LIVE.encode())
    before = _pg_rows(pg_url)
    script = _diff(pg_url, schema)
    assert "CREATE TYPE \"Role_new\" AS ENUM ('USER', 'ADMIN', 'OWNER')" in script
    assert "ALTER TYPE \"Tier\" ADD VALUE 'PRO'" in script
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute(script.encode())
        labels = conn.execute(
            "SELECT t.typname, e.enumlabel FROM pg_enum e JOIN pg_type t ON t.oid = e.enumtypid "
            "ORDER BY t.typname, e.enumsortorder"
        ).fetchall()
        default = conn.execute(
            "SELECT column_default FROM information_schema.columns WHERE table_name = 'Post' AND column_name = 'r'"
        ).fetchone()
    assert _pg_rows(pg_url) == before
    assert labels == [
        ("Role", "USER"),
        ("Role", "ADMIN"),
        ("Role", "OWNER"),
        ("Tier", "FREE"),
        ("Tier", "PRO"),
    ]
    assert default == ("'ADMIN'::\"Role\"",)
    assert _diff(pg_url, schema) == "-- This is an empty migration.\n\n"


@pytest.mark.postgres
def test_rows_holding_a_removed_value_are_counted_and_the_script_changes_nothing(
    pg_url: str, tmp_path: Path
) -> None:
    schema = tmp_path / "schema.prisma"
    schema.write_text(PG_SCHEMA, encoding="utf-8")
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute(PG_LIVE.encode())
        conn.execute(
            """INSERT INTO "User" ("role", "roles") VALUES ('GUEST', '{GUEST}'), ('USER', '{USER,GUEST}')"""
        )
    report = migrate_diff(State("url", pg_url), State("schema", str(schema)))
    checks = [c for c in plan_checks(list(report.changes)) if c.code is CheckCode.DROP_ENUM_VALUE]
    assert all(isinstance(c.step, ch.AlterEnum) for c in checks)
    with psycopg.connect(pg_url, autocommit=True) as conn:
        counted = measure(
            [c.fact for c in checks if c.fact is not None],
            lambda q: conn.execute(q.encode()).fetchall(),
            POSTGRES.quote_identifier,
        )
        assert {(f.table.name, f.column): m.count for f, m in counted.items()} == {  # type: ignore[union-attr]
            ("User", "role"): 1,
            ("User", "roles"): 2,
            ("Post", "r"): 0,
        }
        before = _pg_rows(pg_url)
        with pytest.raises(psycopg.errors.InvalidTextRepresentation):
            conn.execute(report.script.encode())
        conn.execute("ROLLBACK")
        labels = conn.execute("SELECT count(*) FROM pg_type WHERE typname LIKE 'Role%'").fetchone()
    assert _pg_rows(pg_url) == before
    assert labels == (1,)


SQLITE_LIVE = """
CREATE TABLE "User" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "email" TEXT NOT NULL,
    "name" TEXT,
    "age" TEXT,
    "legacy" TEXT
);
CREATE UNIQUE INDEX "User_email_key" ON "User"("email");
CREATE TABLE "Post" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "title" TEXT NOT NULL,
    "authorId" INTEGER NOT NULL
);
INSERT INTO "User" ("email", "name", "age", "legacy") VALUES ('a@x', 'Ann', '41', 'old'), ('b@x', NULL, NULL, NULL);
INSERT INTO "Post" ("title", "authorId") VALUES ('first', 1), ('second', 2);
"""

SQLITE_SCHEMA = """
datasource db {
  provider = "sqlite"
}

model User {
  id    Int     @id @default(autoincrement())
  email String  @unique
  name  String  @default("anon")
  age   Int?
  posts Post[]

  @@index([name])
}

model Post {
  id       Int    @id @default(autoincrement())
  title    String
  authorId Int
  author   User   @relation(fields: [authorId], references: [id], onDelete: Cascade)
}
"""


@pytest.mark.sqlite
def test_sqlite_rebuild_keeps_every_row_and_leaves_no_difference(
    sqlite_url: str, tmp_path: Path
) -> None:
    path = sqlite_url.removeprefix("file:")
    schema = tmp_path / "schema.prisma"
    schema.write_text(SQLITE_SCHEMA, encoding="utf-8")
    with sqlite3.connect(path) as db:
        db.executescript(SQLITE_LIVE)
    script = _diff(sqlite_url, schema)
    assert script.startswith("-- RedefineTables\n")
    db = sqlite3.connect(path)
    db.executescript(script)
    users = db.execute(
        'SELECT "id", "email", "name", "age", typeof("age") FROM "User" ORDER BY "id"'
    ).fetchall()
    posts = db.execute('SELECT "id", "title", "authorId" FROM "Post" ORDER BY "id"').fetchall()
    columns = [row[1] for row in db.execute('PRAGMA table_info("User")')]
    keys = db.execute('PRAGMA foreign_key_list("Post")').fetchall()
    indexes = {
        row[0]
        for row in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
        )
    }
    db.close()
    # NULL names take the new default; the dropped column is gone; ages keep their values.
    assert users == [(1, "a@x", "Ann", 41, "integer"), (2, "b@x", "anon", None, "null")]
    assert posts == [(1, "first", 1), (2, "second", 2)]
    assert columns == ["id", "email", "name", "age"]
    assert [(k[2], k[3], k[4], k[6]) for k in keys] == [("User", "authorId", "id", "CASCADE")]
    assert indexes == {"User_email_key", "User_name_idx"}
    assert _diff(sqlite_url, schema) == "-- This is an empty migration.\n\n"
