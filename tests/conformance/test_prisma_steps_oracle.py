"""AlterEnum and RedefineTables print byte for byte as Prisma 7.10.1 prints them.

The live databases of tests/integration/test_prisma_steps_apply.py, read in
the ways Prisma reads them: PostgreSQL's default `public` schema, another
schema named by `?schema=`, and a multiSchema datasource (the type and the
tables in different schemas); SQLite. Our `migrate diff --from-url
--to-schema --script` must equal `prisma migrate diff --from-config-datasource`
(Prisma's output cached as in scripts/drift_conformance.py).
"""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import psycopg
import pytest

from schemamend.commands.diff import State, migrate_diff
from scripts.drift_conformance import prisma_script
from tests.integration.test_prisma_steps_apply import (
    PG_LIVE,
    PG_SCHEMA,
    SQLITE_LIVE,
    SQLITE_SCHEMA,
)

pytestmark = [pytest.mark.shared, pytest.mark.oracle]

MULTI_LIVE = """
CREATE SCHEMA "auth";
CREATE SCHEMA "app";
CREATE TYPE "auth"."Role" AS ENUM ('USER', 'ADMIN', 'GUEST');
CREATE TABLE "app"."Post" (
    "id" SERIAL NOT NULL, "r" "auth"."Role" NOT NULL DEFAULT 'GUEST', "rs" "auth"."Role"[],
    CONSTRAINT "Post_pkey" PRIMARY KEY ("id")
);
CREATE TABLE "auth"."User" (
    "id" SERIAL NOT NULL, "role" "auth"."Role" NOT NULL DEFAULT 'USER',
    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);
"""

MULTI_SCHEMA = """
datasource db {
  provider = "postgresql"
  schemas  = ["auth", "app"]
}

enum Role {
  USER
  ADMIN

  @@schema("auth")
}

model User {
  id   Int  @id @default(autoincrement())
  role Role @default(USER)

  @@schema("auth")
}

model Post {
  id Int    @id @default(autoincrement())
  r  Role   @default(ADMIN)
  rs Role[]

  @@schema("app")
}
"""


def _compare(shared_dir: Path, tmp_path: Path, url: str, schema_text: str, label: str) -> None:
    schema = tmp_path / "schema.prisma"
    schema.write_text(schema_text, encoding="utf-8")
    key = "steps-" + hashlib.sha256("\0".join([label, schema_text]).encode()).hexdigest()[:32]
    oracle = shared_dir / "tools" / "prisma-oracle" / "oracle.sh"
    theirs = prisma_script(oracle, schema, url, key)
    ours = migrate_diff(State("url", url), State("schema", str(schema))).script
    assert ours.strip() + "\n" == theirs


@pytest.mark.postgres
@pytest.mark.parametrize("namespace", ["public", "other"])
def test_alter_enum_matches_prisma(
    namespace: str, pg_url: str, shared_dir: Path, tmp_path: Path
) -> None:
    with psycopg.connect(pg_url, autocommit=True) as conn:
        if namespace != "public":
            conn.execute(f'CREATE SCHEMA "{namespace}"'.encode())
            conn.execute(f'SET search_path TO "{namespace}"'.encode())
        conn.execute(PG_LIVE.encode())
    url = pg_url if namespace == "public" else f"{pg_url}?schema={namespace}"
    _compare(shared_dir, tmp_path, url, PG_SCHEMA, f"postgresql:{namespace}:{PG_LIVE}")


@pytest.mark.postgres
def test_alter_enum_across_schemas_matches_prisma(
    pg_url: str, shared_dir: Path, tmp_path: Path
) -> None:
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute(MULTI_LIVE.encode())
    _compare(shared_dir, tmp_path, pg_url, MULTI_SCHEMA, f"postgresql:multi:{MULTI_LIVE}")


@pytest.mark.sqlite
def test_redefine_tables_matches_prisma(sqlite_url: str, shared_dir: Path, tmp_path: Path) -> None:
    with sqlite3.connect(sqlite_url.removeprefix("file:")) as db:
        db.executescript(SQLITE_LIVE)
    _compare(shared_dir, tmp_path, sqlite_url, SQLITE_SCHEMA, f"sqlite:{SQLITE_LIVE}")
