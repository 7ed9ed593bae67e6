"""The lint rules' claims hold on a real PostgreSQL server.

Each script runs as Prisma runs a migration: the whole file in one simple-query call, which
PostgreSQL executes as one implicit transaction. What the rule says will fail, fails, with the
error the rule's message announces; the fix the rule proposes runs.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "lint"

SETUP = """
CREATE TYPE "Role" AS ENUM ('MEMBER', 'ADMIN');
CREATE TABLE "users" ("id" TEXT PRIMARY KEY, "email" TEXT, "name" TEXT, "role" "Role" NOT NULL DEFAULT 'MEMBER');
CREATE TABLE "orders" ("id" TEXT PRIMARY KEY, "user_id" TEXT, "total_cents" INTEGER);
INSERT INTO "users" VALUES ('u1', 'a@example.com', NULL, 'MEMBER'), ('u2', 'b@example.com', 'B', 'ADMIN');
INSERT INTO "orders" VALUES ('o1', 'u1', 100), ('o2', 'u1', 200);
"""


@pytest.fixture
def conn(pg_url: str) -> Iterator[psycopg.Connection]:
    with psycopg.connect(pg_url, autocommit=True) as connection:
        connection.execute(SETUP)
        yield connection


def run_script(conn: psycopg.Connection, sql: str) -> str | None:
    """The error PostgreSQL reports for the script, or None when it runs."""
    try:
        conn.execute(sql)  # type: ignore[call-overload]
    except psycopg.Error as exc:
        return str(exc)
    return None


def test_sml012_new_enum_value_used_in_the_same_script_fails(conn: psycopg.Connection) -> None:
    sql = (FIXTURES / "SML012-enum-value-used-in-transaction.sql").read_text(encoding="utf-8")
    error = run_script(conn, sql)
    assert error is not None and "unsafe use of new value" in error
    # the fix: add the value in one migration, use it in the next
    assert run_script(conn, "ALTER TYPE \"Role\" ADD VALUE 'OWNER';") is None
    assert run_script(conn, 'UPDATE "users" SET "role" = \'OWNER\' WHERE "id" = \'u1\';') is None


def test_sml009_concurrently_in_a_multi_statement_script_fails(conn: psycopg.Connection) -> None:
    script = 'CREATE INDEX CONCURRENTLY "orders_total_idx" ON "orders"("total_cents");\nSELECT 1;'
    error = run_script(conn, script)
    assert error is not None and "cannot run inside a transaction block" in error
    # the fix: the statement alone in its migration
    assert (
        run_script(conn, 'CREATE INDEX CONCURRENTLY "orders_total_idx" ON "orders"("total_cents");')
        is None
    )


def test_sml004_required_column_without_default_fails_on_rows(conn: psycopg.Connection) -> None:
    error = run_script(conn, 'ALTER TABLE "orders" ADD COLUMN "currency" TEXT NOT NULL;')
    assert error is not None and "contains null values" in error
    assert (
        run_script(
            conn, 'ALTER TABLE "orders" ADD COLUMN "currency" TEXT NOT NULL DEFAULT \'EUR\';'
        )
        is None
    )


def test_sml005_set_not_null_fails_on_nulls(conn: psycopg.Connection) -> None:
    sql = (FIXTURES / "SML005-set-not-null.sql").read_text(encoding="utf-8")
    error = run_script(conn, sql)
    assert error is not None and "contains null values" in error


def test_sml006_unique_index_fails_on_duplicates(conn: psycopg.Connection) -> None:
    error = run_script(conn, 'CREATE UNIQUE INDEX "orders_user_id_key" ON "orders"("user_id");')
    assert error is not None and "could not create unique index" in error


def test_sml011_enum_value_removed_fails_on_rows_holding_it(conn: psycopg.Connection) -> None:
    migrations = sorted((FIXTURES / "SML011-enum-value-removed").glob("*/migration.sql"))
    init, drop_guest = (p.read_text(encoding="utf-8") for p in migrations)
    conn.execute('DROP TABLE "users" CASCADE; DROP TYPE "Role";')
    assert run_script(conn, init) is None
    conn.execute("INSERT INTO \"users\" VALUES ('u1', 'GUEST')")
    error = run_script(conn, drop_guest)
    assert error is not None and 'invalid input value for enum "Role_new": "GUEST"' in error
