"""Database access: URLs, connections, transactions and locks.

This package is the only place that imports database drivers (psycopg,
PyMySQL, sqlite3); everything else talks to a `Connection`.

    url = parse_url("postgresql://app:secret@db:5432/app?schema=public")
    with connect(url) as conn:
        with conn.migration_lock(timeout_s=60):
            ...
"""

from __future__ import annotations

import time
from collections.abc import Callable

from schemamend.db.base import Connection
from schemamend.db.errors import (
    AuthenticationFailed,
    DatabaseError,
    DatabaseMissing,
    DatabaseUnreachable,
    InvalidDatabaseUrl,
    LockTimeout,
    StatementFailed,
)
from schemamend.db.url import PROVIDER_FAMILIES, DatabaseUrl, Family, parse_url

__all__ = [
    "PROVIDER_FAMILIES",
    "AuthenticationFailed",
    "Connection",
    "DatabaseError",
    "DatabaseMissing",
    "DatabaseUnreachable",
    "DatabaseUrl",
    "Family",
    "InvalidDatabaseUrl",
    "LockTimeout",
    "StatementFailed",
    "connect",
    "connect_with_retry",
    "memory_sqlite",
    "parse_url",
]

DEFAULT_CONNECT_TIMEOUT_S = 5.0


def connect(
    url: DatabaseUrl,
    *,
    connect_timeout: float = DEFAULT_CONNECT_TIMEOUT_S,
    create: bool = False,
    read_only: bool = False,
) -> Connection:
    """Open a connection; with `create`, a missing database (or SQLite file) is created.

    `read_only`: the caller only reads (introspection), so PostgreSQL may be reached
    through schemamend's own wire client, which starts faster than psycopg; statements
    it cannot run are run again through psycopg, so they must be safe to repeat.
    """
    if url.family is Family.POSTGRESQL:
        from schemamend.db.postgres import PostgresConnection, PostgresReader

        opener = PostgresReader if read_only else PostgresConnection
        return opener.open(url, connect_timeout, create)
    if url.family is Family.MYSQL:
        from schemamend.db.mysql import MysqlConnection

        return MysqlConnection.open(url, connect_timeout, create)
    from schemamend.db.sqlite import SqliteConnection

    return SqliteConnection.open(url, connect_timeout, create)


def memory_sqlite() -> Connection:
    """A private in-memory SQLite database (shadow replays)."""
    from schemamend.db.sqlite import SqliteConnection

    return SqliteConnection.memory()


RetryCallback = Callable[[int, DatabaseError, float], None]


def connect_with_retry(
    url: DatabaseUrl,
    *,
    wait_s: float,
    create: bool = False,
    on_retry: RetryCallback | None = None,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> tuple[Connection, int]:
    """Connect, retrying while the server is unreachable, for at most `wait_s` seconds.

    Backoff doubles from 0.5 s up to 5 s. Returns the connection and the
    number of attempts. Authentication errors and bad URLs are not retried:
    waiting cannot fix them.
    """
    deadline = clock() + max(0.0, wait_s)
    delay = 0.5
    attempt = 0
    while True:
        attempt += 1
        remaining = deadline - clock()
        try:
            timeout = min(DEFAULT_CONNECT_TIMEOUT_S, max(1.0, remaining))
            return connect(url, connect_timeout=timeout, create=create), attempt
        except DatabaseUnreachable as exc:
            remaining = deadline - clock()
            if remaining < 0.1:  # no time left for another meaningful attempt
                raise
            pause = min(delay, remaining)
            if on_retry is not None:
                on_retry(attempt, exc, pause)
            sleep(pause)
            delay = min(delay * 2, 5.0)
