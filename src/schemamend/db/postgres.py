"""PostgreSQL through psycopg 3, or through our own wire client (`pg_wire`) for paths that only read."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import replace

from schemamend.db import pg_wire
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
from schemamend.dialects.postgres.quoting import quote_identifier

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing at start-up
if TYPE_CHECKING:
    from typing import Any

    from schemamend.db.base import Row

# Prisma Migrate's advisory lock key: holding it keeps Prisma and schemamend from migrating at once.
ADVISORY_LOCK_KEY = 72707369
_LOCK_POLL_S = 0.2

# URL parameters handed to libpq as they are.
_LIBPQ_PARAMS = ("sslmode", "sslcert", "sslkey", "sslrootcert", "application_name", "options")


def _driver() -> Any:
    try:
        import psycopg
    except ImportError as exc:  # pragma: no cover - a dependency
        raise DriverMissing(
            "PostgreSQL support needs psycopg 3", hint="pip install 'psycopg[binary]'"
        ) from exc
    return psycopg


def connect_kwargs(
    url: DatabaseUrl, connect_timeout: float, database: str | None = None
) -> dict[str, Any]:
    kwargs: dict[str, Any] = {
        "host": url.param("host") or url.host,
        "port": url.port,
        "dbname": database or url.database,
        "autocommit": True,
        "connect_timeout": max(1, round(connect_timeout)),
    }
    if url.user:
        kwargs["user"] = url.user
    if url.password is not None:
        kwargs["password"] = url.password
    for key in _LIBPQ_PARAMS:
        value = url.param(key)
        if value:
            kwargs[key] = value
    return kwargs


def open_raw(url: DatabaseUrl, connect_timeout: float, database: str | None = None) -> Any:
    """A psycopg connection, with connection failures mapped to Prisma's P1000/P1001/P1003."""
    psycopg = _driver()
    try:
        return psycopg.connect(**connect_kwargs(url, connect_timeout, database))
    except psycopg.Error as exc:
        raise _connect_error(url, database or url.database, exc) from None


def _connect_error(url: DatabaseUrl, database: str, exc: Exception) -> Exception:
    text = url.scrub(" ".join(str(exc).split()))
    lowered = text.lower()
    if "does not exist" in lowered and "database" in lowered:
        return DatabaseMissing(
            f"Database `{database}` does not exist on the database server at `{url.location}`."
        )
    if "password authentication failed" in lowered or "no password supplied" in lowered:
        return AuthenticationFailed(
            f"Authentication failed against database server at `{url.location}`, the provided "
            f"database credentials for `{url.user}` are not valid."
        )
    return DatabaseUnreachable(
        f"Can't reach database server at `{url.location}`: {text}",
        hint=f"make sure your database server is running at `{url.location}`",
    )


class PostgresConnection(Connection):
    family = Family.POSTGRESQL
    placeholder = "%s"
    transactional_ddl = True
    named_enums = True

    def __init__(self, url: DatabaseUrl, raw: Any) -> None:
        super().__init__(url)
        self._raw = raw
        self.execute(f"SET search_path TO {quote_identifier(url.schema)}")

    @classmethod
    def open(cls, url: DatabaseUrl, connect_timeout: float, create: bool) -> PostgresConnection:
        try:
            raw = open_raw(url, connect_timeout)
        except DatabaseMissing:
            if not create:
                raise
            _create_database(url, connect_timeout)
            raw = open_raw(url, connect_timeout)
        conn = cls(url, raw)
        if create:
            conn.ensure_schema()
        return conn

    def ensure_schema(self) -> None:
        """Create the URL's schema if it is missing, as Prisma does on connecting.

        Looked up first: `CREATE SCHEMA IF NOT EXISTS` needs the CREATE privilege on the
        database even when the schema exists, which an application role often lacks.
        """
        schema = self.url.schema
        rows = self.query("SELECT EXISTS(SELECT 1 FROM pg_namespace WHERE nspname = %s)", (schema,))
        if not rows[0][0]:
            self.execute(f"CREATE SCHEMA IF NOT EXISTS {quote_identifier(schema)}")

    # -- SQL

    def execute(self, sql: str, params: Sequence[object] = ()) -> None:
        self._run(sql, params, fetch=False)

    def query(self, sql: str, params: Sequence[object] = ()) -> list[Row]:
        return self._run(sql, params, fetch=True)

    def _run(self, sql: str, params: Sequence[object], fetch: bool) -> list[Row]:
        psycopg = _driver()
        try:
            with self._raw.cursor() as cur:
                cur.execute(sql, tuple(params) if params else None)
                return list(cur.fetchall()) if fetch else []
        except psycopg.Error as exc:
            raise _statement_error(self.url, exc) from None

    def in_transaction(self) -> bool:
        from psycopg.pq import TransactionStatus

        return bool(self._raw.info.transaction_status != TransactionStatus.IDLE)

    def close(self) -> None:
        with suppress(Exception):  # closing a broken connection
            self._raw.close()

    # -- lock

    @contextmanager
    def migration_lock(self, timeout_s: float) -> Iterator[None]:
        deadline = time.monotonic() + timeout_s
        while not self.query("SELECT pg_try_advisory_lock(%s)", (ADVISORY_LOCK_KEY,))[0][0]:
            if time.monotonic() >= deadline:
                raise LockTimeout(
                    f"Timed out after {timeout_s:g} s waiting for the migration lock "
                    f"(pg_advisory_lock({ADVISORY_LOCK_KEY})): another `migrate deploy` "
                    "(schemamend or Prisma) is running against this database.",
                    hint="wait for it to finish, or raise --lock-timeout",
                )
            time.sleep(_LOCK_POLL_S)
        try:
            yield
        finally:
            with suppress(DatabaseError):  # the session is gone, and the lock with it
                self.query("SELECT pg_advisory_unlock(%s)", (ADVISORY_LOCK_KEY,))

    # -- catalog

    def qualified(self, table: str) -> str:
        return f"{quote_identifier(self.url.schema)}.{quote_identifier(table)}"

    def table_names(self) -> set[str]:
        rows = self.query(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = %s AND c.relkind IN ('r', 'p')",
            (self.url.schema,),
        )
        return {r[0] for r in rows}

    def column_names(self, table: str) -> set[str]:
        rows = self.query(
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_schema = %s AND table_name = %s",
            (self.url.schema, table),
        )
        return {r[0] for r in rows}

    def enum_names(self) -> set[str]:
        rows = self.query(
            "SELECT t.typname FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace "
            "WHERE n.nspname = %s AND t.typtype = 'e'",
            (self.url.schema,),
        )
        return {r[0] for r in rows}

    def is_empty(self) -> bool:
        rows = self.query(
            "SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = %s AND c.relkind IN ('r', 'p', 'v', 'm', 'f') "
            "UNION ALL SELECT 1 FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace "
            "WHERE n.nspname = %s AND t.typtype = 'e' LIMIT 1",
            (self.url.schema, self.url.schema),
        )
        return not rows

    def server_version(self) -> str:
        return str(self.query("SHOW server_version")[0][0])

    # -- scratch databases

    def create_scratch_database(self, name: str) -> DatabaseUrl:
        self.execute(f"CREATE DATABASE {quote_identifier(name)}")
        params = tuple((k, v) for k, v in self.url.params if k != "schema")
        return replace(self.url, database=name, params=params)

    def drop_scratch_database(self, url: DatabaseUrl) -> None:
        self.execute(f"DROP DATABASE IF EXISTS {quote_identifier(url.database)} WITH (FORCE)")


# Statements that change the session, replayed when a PostgresReader moves to psycopg.
_SESSION_SETTING = re.compile(r"\s*(SET|RESET)\s", re.IGNORECASE)


class PostgresReader(PostgresConnection):
    """A connection for paths that only read (introspection): it speaks the protocol itself
    (`pg_wire`), which starts ~100 ms sooner than importing psycopg.

    Whatever that client does not cover moves the session to psycopg, transparently:
    at connect time (an authentication method, TLS setting, ... it lacks), or when a
    query returns a type it does not convert (the query is then run again through
    psycopg, so a statement run here must be safe to repeat: a read). The session's
    SET and RESET statements (the search path first) are replayed on the new session;
    an open transaction cannot move, and the statement then fails.
    """

    def __init__(
        self, url: DatabaseUrl, wire: pg_wire.WireConnection, connect_timeout: float
    ) -> None:
        self._wire: pg_wire.WireConnection | None = wire
        self._connect_timeout = connect_timeout
        self._settings: list[tuple[str, Sequence[object]]] = []
        super().__init__(url, None)

    @classmethod
    def open(cls, url: DatabaseUrl, connect_timeout: float, create: bool) -> PostgresConnection:
        if create:  # creating the database writes
            return PostgresConnection.open(url, connect_timeout, create)
        try:
            wire = pg_wire.connect(connect_kwargs(url, connect_timeout))
        except pg_wire.NotSupported:
            return PostgresConnection.open(url, connect_timeout, create)
        except pg_wire.ConnectFailed as exc:
            raise _connect_error(url, url.database, exc) from None
        return cls(url, wire, connect_timeout)

    @property
    def uses_psycopg(self) -> bool:
        return self._wire is None

    def _run(self, sql: str, params: Sequence[object], fetch: bool) -> list[Row]:
        wire = self._wire
        if wire is None:
            return super()._run(sql, params, fetch)
        try:
            rows = wire.query(sql, params)
        except pg_wire.NotSupported:
            self._move_to_psycopg()
            return super()._run(sql, params, fetch)
        except pg_wire.ServerError as exc:
            raise _statement_error(self.url, exc) from None
        except pg_wire.ConnectionLost as exc:
            raise _connection_lost(self.url, exc) from None
        if _SESSION_SETTING.match(sql):
            self._settings.append((sql, params))
        return rows if fetch else []

    def query_batch(self, statements: Sequence[tuple[str, Sequence[object]]]) -> list[list[Row]]:
        wire = self._wire
        if wire is None or not statements:
            return super().query_batch(statements)
        try:
            return wire.query_batch(statements)
        except pg_wire.NotSupported:
            self._move_to_psycopg()
            return super().query_batch(statements)
        except pg_wire.ServerError as exc:
            raise _statement_error(self.url, exc) from None
        except pg_wire.ConnectionLost as exc:
            raise _connection_lost(self.url, exc) from None

    def _move_to_psycopg(self) -> None:
        wire = self._wire
        assert wire is not None
        if wire.transaction_status != "I":
            raise DatabaseError(
                "This statement needs psycopg, and the open transaction cannot move to it.",
                hint="run it outside the transaction",
            )
        wire.close()
        self._wire = None
        self._raw = open_raw(self.url, self._connect_timeout)
        for sql, params in self._settings:
            super()._run(sql, params, fetch=False)

    def in_transaction(self) -> bool:
        if self._wire is not None:
            return self._wire.transaction_status != "I"
        return super().in_transaction()

    def close(self) -> None:
        if self._wire is not None:
            self._wire.close()
        else:
            super().close()


def _create_database(url: DatabaseUrl, connect_timeout: float) -> None:
    raw = open_raw(url, connect_timeout, database="postgres")
    try:
        with raw.cursor() as cur:
            cur.execute(f"CREATE DATABASE {quote_identifier(url.database)}")
    except _driver().Error as exc:
        if getattr(exc, "sqlstate", None) != "42P04":  # created meanwhile by someone else
            raise _statement_error(url, exc) from None
    finally:
        raw.close()


def _statement_error(url: DatabaseUrl, exc: Any) -> DatabaseError:
    diag = getattr(exc, "diag", None)
    primary = getattr(diag, "message_primary", None) if diag is not None else None
    message = f"ERROR: {primary}" if primary else " ".join(str(exc).split()) or type(exc).__name__
    detail = getattr(diag, "message_detail", None) if diag is not None else None
    if detail:
        message += f"\nDETAIL: {detail}"
    code = getattr(exc, "sqlstate", None) or ""
    if not code and _is_connection_loss(exc):
        return DatabaseUnreachable(
            f"Lost the connection to the database server at `{url.location}`: {url.scrub(message)}"
        )
    return StatementFailed(code, url.scrub(message))


def _is_connection_loss(exc: Any) -> bool:
    psycopg = _driver()
    return isinstance(exc, psycopg.OperationalError | psycopg.InterfaceError)


def _connection_lost(url: DatabaseUrl, exc: pg_wire.ConnectionLost) -> DatabaseUnreachable:
    return DatabaseUnreachable(
        f"Lost the connection to the database server at `{url.location}`: {exc}"
    )
