"""Shared pytest fixtures: the ../shared folder and throwaway databases.

Markers (registered in pyproject.toml):

- ``shared``: the test reads ``../shared`` (the fixture ``shared_dir`` adds it automatically).
- ``postgres`` / ``mysql`` / ``sqlite``: the test talks to that database (added automatically to
  tests that use ``pg_url`` / ``mysql_url`` / ``sqlite_url``), so ``-m "not mysql"`` works.

Environment:

- ``SCHEMAMEND_SHARED``: path of the shared folder (default: ``<repo>/../shared``).
- ``SCHEMAMEND_REQUIRE_SHARED=1``: a missing shared folder fails the session instead of skipping.
- ``SCHEMAMEND_REQUIRE_DB=1``: an unreachable database server fails the test instead of skipping.
- ``SCHEMAMEND_SKIP_DB=1``: skip database tests without probing (ignored with REQUIRE_DB).
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent

PG_HOST = "127.0.0.1"
PG_PORT = 5432
PG_USER = "postgres"
MYSQL_HOST = "127.0.0.1"
MYSQL_PORT = 3306
MYSQL_USER = "root"
CONNECT_TIMEOUT_S = 5

# Fixture name -> marker added to every test that uses it.
_FIXTURE_MARKERS = {
    "shared_dir": "shared",
    "pg_url": "postgres",
    "pg_server": "postgres",
    "mysql_url": "mysql",
    "mysql_server": "mysql",
    "sqlite_url": "sqlite",
}


def _env_flag(name: str) -> bool:
    return os.environ.get(name, "").strip() == "1"


def _shared_path() -> Path:
    override = os.environ.get("SCHEMAMEND_SHARED")
    return Path(override).resolve() if override else (REPO_ROOT.parent / "shared").resolve()


def _unavailable(message: str) -> None:
    """Fail (databases required) or skip (optional) with one clear line."""
    if _env_flag("SCHEMAMEND_REQUIRE_DB"):
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


# --------------------------------------------------------------------------- collection


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        fixturenames = getattr(item, "fixturenames", ())
        for fixture_name, marker in _FIXTURE_MARKERS.items():
            if fixture_name in fixturenames and item.get_closest_marker(marker) is None:
                item.add_marker(getattr(pytest.mark, marker))

    shared = _shared_path()
    if shared.is_dir():
        return
    if _env_flag("SCHEMAMEND_REQUIRE_SHARED"):
        raise pytest.UsageError(
            f"schemamend tests: shared folder not found at {shared} "
            "(SCHEMAMEND_REQUIRE_SHARED=1); put shared/ beside the repository "
            "or set SCHEMAMEND_SHARED"
        )
    skip = pytest.mark.skip(reason="../shared not present")
    for item in items:
        if item.get_closest_marker("shared") is not None:
            item.add_marker(skip)


# --------------------------------------------------------------------------- shared/


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The shared material folder (``../shared`` next to the repository)."""
    path = _shared_path()
    if not path.is_dir():
        # Only reachable when collection did not mark the test; keep the same policy.
        if _env_flag("SCHEMAMEND_REQUIRE_SHARED"):
            pytest.fail(f"shared folder not found at {path}", pytrace=False)
        pytest.skip("../shared not present")
    return path


# --------------------------------------------------------------------------- databases


def _new_db_name() -> str:
    return f"sm_test_{secrets.token_hex(6)}"


@dataclass
class PostgresServer:
    """The local PostgreSQL server used by the tests (superuser ``postgres``, trust auth)."""

    host: str = PG_HOST
    port: int = PG_PORT
    user: str = PG_USER
    _error: str | None = field(default=None, repr=False)

    def url(self, database: str) -> str:
        return f"postgresql://{self.user}@{self.host}:{self.port}/{database}"

    def admin_connect(self) -> Any:
        """An autocommit connection to the ``postgres`` maintenance database."""
        import psycopg

        return psycopg.connect(
            host=self.host,
            port=self.port,
            user=self.user,
            dbname="postgres",
            autocommit=True,
            connect_timeout=CONNECT_TIMEOUT_S,
        )

    def require(self) -> None:
        """Skip or fail the calling test unless the server answers."""
        if self._error is None:
            try:
                with self.admin_connect() as conn:
                    conn.execute("SELECT 1")
                self._error = ""
            except Exception as exc:
                self._error = " ".join(str(exc).split()) or type(exc).__name__
        if self._error:
            _unavailable(f"PostgreSQL not reachable at {self.host}:{self.port}: {self._error}")

    def database_exists(self, name: str) -> bool:
        with self.admin_connect() as conn:
            row = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        return row is not None

    @contextmanager
    def throwaway(self) -> Iterator[str]:
        """Create an empty database, yield its URL, drop it (even if connections remain)."""
        self.require()
        name = _new_db_name()
        with self.admin_connect() as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        try:
            yield self.url(name)
        finally:
            with self.admin_connect() as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@dataclass
class MySQLServer:
    """The local MariaDB server used by the tests (``root`` with an empty password)."""

    host: str = MYSQL_HOST
    port: int = MYSQL_PORT
    user: str = MYSQL_USER
    _error: str | None = field(default=None, repr=False)

    def url(self, database: str) -> str:
        return f"mysql://{self.user}@{self.host}:{self.port}/{database}"

    def admin_connect(self, database: str | None = None) -> Any:
        import pymysql

        return pymysql.connect(
            host=self.host,
            port=self.port,
            user=self.user,
            password="",
            database=database,
            autocommit=True,
            connect_timeout=CONNECT_TIMEOUT_S,
        )

    def require(self) -> None:
        if self._error is None:
            try:
                conn = self.admin_connect()
                conn.close()
                self._error = ""
            except Exception as exc:
                self._error = " ".join(str(exc).split()) or type(exc).__name__
        if self._error:
            _unavailable(f"MariaDB/MySQL not reachable at {self.host}:{self.port}: {self._error}")

    def database_exists(self, name: str) -> bool:
        conn = self.admin_connect()
        try:
            with conn.cursor() as cur:
                cur.execute(
                    "SELECT 1 FROM information_schema.schemata WHERE schema_name = %s", (name,)
                )
                return cur.fetchone() is not None
        finally:
            conn.close()

    @contextmanager
    def throwaway(self) -> Iterator[str]:
        self.require()
        name = _new_db_name()
        conn = self.admin_connect()
        try:
            with conn.cursor() as cur:
                cur.execute(f"CREATE DATABASE `{name}`")
        finally:
            conn.close()
        try:
            yield self.url(name)
        finally:
            conn = self.admin_connect()
            try:
                with conn.cursor() as cur:
                    cur.execute(f"DROP DATABASE IF EXISTS `{name}`")
            finally:
                conn.close()


def _skip_db_requested() -> bool:
    return _env_flag("SCHEMAMEND_SKIP_DB") and not _env_flag("SCHEMAMEND_REQUIRE_DB")


@pytest.fixture(scope="session")
def pg_server() -> PostgresServer:
    if _skip_db_requested():
        pytest.skip("SCHEMAMEND_SKIP_DB=1")
    return PostgresServer()


@pytest.fixture(scope="session")
def mysql_server() -> MySQLServer:
    if _skip_db_requested():
        pytest.skip("SCHEMAMEND_SKIP_DB=1")
    return MySQLServer()


@pytest.fixture
def pg_url(pg_server: PostgresServer) -> Iterator[str]:
    """URL of a fresh, empty PostgreSQL database, dropped after the test."""
    with pg_server.throwaway() as url:
        yield url


@pytest.fixture
def mysql_url(mysql_server: MySQLServer) -> Iterator[str]:
    """URL of a fresh, empty MariaDB database, dropped after the test."""
    with mysql_server.throwaway() as url:
        yield url


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """Prisma-style SQLite URL of a database file in the test's temporary folder."""
    return f"file:{tmp_path / 'dev.db'}"
