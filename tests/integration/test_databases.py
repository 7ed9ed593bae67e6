"""Smoke tests for the database fixtures in tests/conftest.py."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import pytest

if TYPE_CHECKING:
    from tests.conftest import MySQLServer, PostgresServer


def _db_name(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


@pytest.mark.postgres
def test_pg_url_is_a_fresh_writable_database(pg_url: str) -> None:
    import psycopg

    assert pg_url.startswith("postgresql://postgres@127.0.0.1:5432/sm_test_")
    with psycopg.connect(pg_url, autocommit=True) as conn:
        tables = conn.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"
        ).fetchone()
        assert tables == (0,)
        conn.execute("CREATE TABLE item (id serial PRIMARY KEY, name text NOT NULL)")
        conn.execute("INSERT INTO item (name) VALUES (%s), (%s)", ("a", "b"))
        rows = conn.execute("SELECT id, name FROM item ORDER BY id").fetchall()
    assert rows == [(1, "a"), (2, "b")]


@pytest.mark.postgres
def test_pg_throwaway_database_is_dropped_even_with_open_connection(
    pg_server: PostgresServer,
) -> None:
    import psycopg

    with pg_server.throwaway() as url:
        name = _db_name(url)
        assert pg_server.database_exists(name)
        # A connection left open must not stop the drop (DROP DATABASE ... WITH (FORCE)).
        leftover = psycopg.connect(url, autocommit=True)
        leftover.execute("CREATE TABLE t (x int)")
    try:
        assert not pg_server.database_exists(name)
    finally:
        leftover.close()


@pytest.mark.mysql
def test_mysql_url_is_a_fresh_writable_database(mysql_url: str, mysql_server: MySQLServer) -> None:
    assert mysql_url.startswith("mysql://root@127.0.0.1:3306/sm_test_")
    conn = mysql_server.admin_connect(database=_db_name(mysql_url))
    try:
        with conn.cursor() as cur:
            cur.execute("SHOW TABLES")
            assert cur.fetchall() == ()
            cur.execute(
                "CREATE TABLE item (id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(50) NOT NULL)"
            )
            cur.execute("INSERT INTO item (name) VALUES (%s), (%s)", ("a", "b"))
            cur.execute("SELECT id, name FROM item ORDER BY id")
            assert cur.fetchall() == ((1, "a"), (2, "b"))
    finally:
        conn.close()


@pytest.mark.mysql
def test_mysql_throwaway_database_is_dropped(mysql_server: MySQLServer) -> None:
    with mysql_server.throwaway() as url:
        name = _db_name(url)
        assert mysql_server.database_exists(name)
    assert not mysql_server.database_exists(name)


def test_sqlite_url_points_into_tmp_path(sqlite_url: str, tmp_path: Path) -> None:
    assert sqlite_url == f"file:{tmp_path / 'dev.db'}"
    path = sqlite_url.removeprefix("file:")
    conn = sqlite3.connect(path)
    try:
        conn.execute("CREATE TABLE item (id INTEGER PRIMARY KEY, name TEXT NOT NULL)")
        conn.execute("INSERT INTO item (name) VALUES ('a')")
        assert conn.execute("SELECT id, name FROM item").fetchall() == [(1, "a")]
    finally:
        conn.close()
    assert Path(path).is_file()


@pytest.mark.shared
def test_shared_dir_has_the_prisma_oracle(shared_dir: Path) -> None:
    assert (shared_dir / "tools" / "prisma-oracle" / "oracle.sh").is_file()
