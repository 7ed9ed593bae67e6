"""MySQL and MariaDB through PyMySQL."""

from __future__ import annotations

import importlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from schemamend.db.base import Connection
from schemamend.db.errors import (
    AuthenticationFailed,
    DatabaseError,
    DatabaseMissing,
    DatabaseUnreachable,
    DriverMissing,
    LockTimeout,
    StatementFailed,
)
from schemamend.db.url import DatabaseUrl, Family
from schemamend.dialects.mysql.quoting import quote_identifier

if TYPE_CHECKING:
    from schemamend.db.base import Row

# Prisma Migrate's named lock on MySQL (`SELECT GET_LOCK('prisma_migrate', 10)`).
LOCK_NAME = "prisma_migrate"
_ER_BAD_DB = 1049
_ER_ACCESS_DENIED = 1045
_ER_DB_CREATE_EXISTS = 1007
_CLIENT_ERRORS = range(2000, 3000)  # CR_* : the client could not talk to the server


def _driver() -> Any:
    try:
        return importlib.import_module("pymysql")
    except ImportError as exc:  # pragma: no cover - a dependency
        raise DriverMissing("MySQL support needs PyMySQL", hint="pip install PyMySQL") from exc


def open_raw(url: DatabaseUrl, connect_timeout: float, database: str | None) -> Any:
    pymysql = _driver()
    kwargs: dict[str, Any] = {
        "host": url.host or "localhost",
        "port": url.port,
        "user": url.user or "root",
        "password": url.password or "",
        "database": database,
        "autocommit": True,
        "connect_timeout": max(1, round(connect_timeout)),
        "charset": "utf8mb4",
    }
    socket = url.param("socket")
    if socket:
        kwargs["unix_socket"] = socket
    if url.param("sslaccept") or url.param("sslcert"):
        kwargs["ssl"] = {"ca": url.param("sslcert")} if url.param("sslcert") else {}
    try:
        return pymysql.connect(**kwargs)
    except pymysql.MySQLError as exc:
        raise _connect_error(url, database or "", exc) from None


def _connect_error(url: DatabaseUrl, database: str, exc: Any) -> DatabaseError:
    code = exc.args[0] if exc.args and isinstance(exc.args[0], int) else 0
    text = url.scrub(" ".join(str(exc.args[-1] if exc.args else exc).split()))
    if code == _ER_BAD_DB:
        return DatabaseMissing(
            f"Database `{database}` does not exist on the database server at `{url.location}`."
        )
    if code == _ER_ACCESS_DENIED:
        return AuthenticationFailed(
            f"Authentication failed against database server at `{url.location}`, the provided "
            f"database credentials for `{url.user}` are not valid."
        )
    return DatabaseUnreachable(
        f"Can't reach database server at `{url.location}`: {text}",
        hint=f"make sure your database server is running at `{url.location}`",
    )


class MysqlConnection(Connection):
    family = Family.MYSQL
    placeholder = "%s"
    transactional_ddl = False

    def __init__(self, url: DatabaseUrl, raw: Any) -> None:
        super().__init__(url)
        self._raw = raw
        self._in_tx = False

    @classmethod
    def open(cls, url: DatabaseUrl, connect_timeout: float, create: bool) -> MysqlConnection:
        try:
            raw = open_raw(url, connect_timeout, url.database)
        except DatabaseMissing:
            if not create:
                raise
            admin = open_raw(url, connect_timeout, None)
            try:
                with admin.cursor() as cur:
                    cur.execute(
                        f"CREATE DATABASE IF NOT EXISTS {quote_identifier(url.database)} "
                        "CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"
                    )
            finally:
                admin.close()
            raw = open_raw(url, connect_timeout, url.database)
        return cls(url, raw)

    # -- SQL

    def execute(self, sql: str, params: Sequence[object] = ()) -> None:
        self._run(sql, params)

    def query(self, sql: str, params: Sequence[object] = ()) -> list[Row]:
        return self._run(sql, params)

    def _run(self, sql: str, params: Sequence[object]) -> list[Row]:
        pymysql = _driver()
        try:
            with self._raw.cursor() as cur:
                cur.execute(sql, tuple(params) if params else None)
                rows = cur.fetchall()
        except pymysql.MySQLError as exc:
            code = exc.args[0] if exc.args and isinstance(exc.args[0], int) else 0
            message = self.url.scrub(str(exc.args[-1]) if exc.args else str(exc))
            if code in _CLIENT_ERRORS:
                raise DatabaseUnreachable(
                    f"Lost the connection to the database server at `{self.url.location}`: {message}"
                ) from None
            raise StatementFailed(str(code) if code else "", message) from None
        return [tuple(r) for r in rows] if rows else []

    def in_transaction(self) -> bool:
        status = getattr(self._raw, "server_status", 0)
        return bool(status & 1)  # SERVER_STATUS_IN_TRANS

    def close(self) -> None:
        with suppress(Exception):  # closing a broken connection
            self._raw.close()

    # -- lock

    @contextmanager
    def migration_lock(self, timeout_s: float) -> Iterator[None]:
        got = self.query("SELECT GET_LOCK(%s, %s)", (LOCK_NAME, max(0, int(timeout_s))))[0][0]
        if got != 1:
            raise LockTimeout(
                f"Timed out after {timeout_s:g} s waiting for the migration lock "
                f"(GET_LOCK('{LOCK_NAME}')): another `migrate deploy` (schemamend or Prisma) "
                "is running against this database.",
                hint="wait for it to finish, or raise --lock-timeout",
            )
        try:
            yield
        finally:
            with suppress(DatabaseError):
                self.query("SELECT RELEASE_LOCK(%s)", (LOCK_NAME,))

    # -- catalog

    def qualified(self, table: str) -> str:
        return quote_identifier(table)

    def table_names(self) -> set[str]:
        rows = self.query(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = DATABASE() AND table_type = 'BASE TABLE'"
        )
        return {r[0] for r in rows}

    def column_names(self, table: str) -> set[str]:
        rows = self.query(
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_schema = DATABASE() AND table_name = %s",
            (table,),
        )
        return {r[0] for r in rows}

    def is_empty(self) -> bool:
        return not self.query(
            "SELECT 1 FROM information_schema.tables WHERE table_schema = DATABASE() LIMIT 1"
        )

    def server_version(self) -> str:
        return str(self.query("SELECT VERSION()")[0][0])

    # -- scratch databases

    def create_scratch_database(self, name: str) -> DatabaseUrl:
        self.execute(f"CREATE DATABASE {quote_identifier(name)}")
        return replace(self.url, database=name)

    def drop_scratch_database(self, url: DatabaseUrl) -> None:
        self.execute(f"DROP DATABASE IF EXISTS {quote_identifier(url.database)}")
