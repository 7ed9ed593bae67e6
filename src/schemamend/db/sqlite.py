"""SQLite through the standard library's sqlite3.

Exclusivity comes from the database file itself: every migration runs in a
`BEGIN IMMEDIATE` transaction, which takes the file's write lock for its whole
duration, so two deployers (schemamend or Prisma) never write at once.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from schemamend.db.base import Connection
from schemamend.db.errors import DatabaseMissing, DatabaseUnreachable, StatementFailed
from schemamend.db.url import DatabaseUrl, Family
from schemamend.dialects.sqlite.quoting import quote_identifier

if TYPE_CHECKING:
    from schemamend.db.base import Row


class SqliteConnection(Connection):
    family = Family.SQLITE
    placeholder = "?"
    transactional_ddl = True
    begin_statement = "BEGIN IMMEDIATE"

    def __init__(self, url: DatabaseUrl, raw: sqlite3.Connection) -> None:
        super().__init__(url)
        self._raw = raw

    @classmethod
    def open(cls, url: DatabaseUrl, busy_timeout_s: float, create: bool) -> SqliteConnection:
        path = url.path
        assert path is not None
        if not create and not path.exists():
            raise DatabaseMissing(f"SQLite database `{path.name}` does not exist at {path}")
        if create:
            path.parent.mkdir(parents=True, exist_ok=True)
        try:
            raw = sqlite3.connect(
                str(path), timeout=busy_timeout_s, isolation_level=None, check_same_thread=False
            )
            raw.execute("SELECT 1")
        except sqlite3.Error as exc:
            raise DatabaseUnreachable(f"Can't open SQLite database at {path}: {exc}") from None
        return cls(url, raw)

    @classmethod
    def memory(cls) -> SqliteConnection:
        raw = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
        return cls(DatabaseUrl(Family.SQLITE, database=":memory:", path=Path(":memory:")), raw)

    def set_busy_timeout(self, seconds: float) -> None:
        self._raw.execute(f"PRAGMA busy_timeout = {max(0, int(seconds * 1000))}")

    # -- SQL

    def execute(self, sql: str, params: Sequence[object] = ()) -> None:
        self._run(sql, params)

    def query(self, sql: str, params: Sequence[object] = ()) -> list[Row]:
        return self._run(sql, params)

    def _run(self, sql: str, params: Sequence[object]) -> list[Row]:
        try:
            cursor = self._raw.execute(sql, tuple(params))
            return [tuple(r) for r in cursor.fetchall()]
        except sqlite3.Error as exc:
            code = getattr(exc, "sqlite_errorname", "") or type(exc).__name__
            raise StatementFailed(code, str(exc)) from None

    def in_transaction(self) -> bool:
        return self._raw.in_transaction

    def close(self) -> None:
        self._raw.close()

    # -- lock: per-transaction (BEGIN IMMEDIATE); nothing to hold between migrations

    @contextmanager
    def migration_lock(self, timeout_s: float) -> Iterator[None]:
        self.set_busy_timeout(timeout_s)
        yield

    # -- catalog

    def qualified(self, table: str) -> str:
        return quote_identifier(table)

    def table_names(self) -> set[str]:
        rows = self.query(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
        return {r[0] for r in rows}

    def column_names(self, table: str) -> set[str]:
        return {r[1] for r in self.query(f"PRAGMA table_info({quote_identifier(table)})")}

    def is_empty(self) -> bool:
        return not self.query(
            "SELECT 1 FROM sqlite_master WHERE type IN ('table', 'view') "
            "AND name NOT LIKE 'sqlite_%' LIMIT 1"
        )

    def server_version(self) -> str:
        return sqlite3.sqlite_version

    # -- scratch databases: in memory

    def create_scratch_database(self, name: str) -> DatabaseUrl:
        return replace(self.url, database=":memory:", path=Path(":memory:"))

    def drop_scratch_database(self, url: DatabaseUrl) -> None:
        return None
