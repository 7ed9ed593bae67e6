"""Introspecting PostgreSQL leaves nothing behind once the schema is dropped.

The reader freezes what it built (see `tests/gc_support.py`), the open
connection included, so neither the schema nor either connection kind may
hold a reference cycle.
"""

from __future__ import annotations

import pytest

from schemamend.db import connect, parse_url
from schemamend.introspect import introspect
from tests.gc_support import cyclic_garbage_from_schemamend, flush_earlier_garbage

pytestmark = pytest.mark.postgres

SETUP = """
CREATE TYPE "Role" AS ENUM ('USER', 'ADMIN');
CREATE TABLE "User" (id SERIAL PRIMARY KEY, email TEXT NOT NULL UNIQUE, role "Role" NOT NULL DEFAULT 'USER');
CREATE TABLE "Post" (id SERIAL PRIMARY KEY, title TEXT, author_id INT REFERENCES "User"(id) ON DELETE CASCADE);
CREATE INDEX "Post_title_idx" ON "Post" (title DESC);
"""


@pytest.fixture
def url(pg_url: str) -> str:
    with connect(parse_url(pg_url)) as conn:
        conn.execute(SETUP)
    return pg_url


def test_introspecting_by_url_is_freed_by_reference_counting(url: str) -> None:
    introspect(url)  # imports and caches made on first use are not garbage
    flush_earlier_garbage()
    schema = introspect(url)
    assert {table.name for table in schema.tables} == {"User", "Post"}
    del schema
    assert cyclic_garbage_from_schemamend() == []


def test_introspecting_through_an_open_connection_is_freed_too(url: str) -> None:
    with connect(parse_url(url)) as conn:
        introspect(conn)
    flush_earlier_garbage()
    with connect(parse_url(url)) as conn:
        schema = introspect(conn)
    assert len(schema.enums) == 1
    del schema, conn
    assert cyclic_garbage_from_schemamend() == []
