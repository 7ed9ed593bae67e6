"""The connection protocol the rest of schemamend sees: SQL in, rows out, errors mapped.

Every connection runs in autocommit mode; transactions are explicit
(`transaction()`), so a caller always knows what is atomic. Each subclass is
the one place that knows its driver, its catalog queries and its lock.
"""

from __future__ import annotations

import abc
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress

from schemamend.db.url import DatabaseUrl, Family

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing at start-up
if TYPE_CHECKING:
    from typing import Any

    Row = tuple[Any, ...]


class Connection(abc.ABC):
    """An open connection to one database (PostgreSQL schema, MySQL database or SQLite file)."""

    family: Family
    #: Parameter marker of the driver ("%s" or "?").
    placeholder: str = "%s"
    #: DDL can be rolled back (PostgreSQL, SQLite) - each migration then runs in one transaction.
    transactional_ddl: bool = True
    #: The database has named enum types (CREATE TYPE ... AS ENUM).
    named_enums: bool = False

    def __init__(self, url: DatabaseUrl) -> None:
        self.url = url

    # -- SQL ---------------------------------------------------------------------------------

    @abc.abstractmethod
    def execute(self, sql: str, params: Sequence[object] = ()) -> None:
        """Run one statement; raises StatementFailed."""

    @abc.abstractmethod
    def query(self, sql: str, params: Sequence[object] = ()) -> list[Row]:
        """Run one query and return all rows; raises StatementFailed."""

    def query_batch(self, statements: Sequence[tuple[str, Sequence[object]]]) -> list[list[Row]]:
        """Run independent queries and return each one's rows, in order. A connection that
        can pipeline them (PostgreSQL's reader) sends them at once; here, one by one."""
        return [self.query(sql, params) for sql, params in statements]

    def sql(self, text: str) -> str:
        """`text` written with `%s` markers, in this driver's marker style."""
        return text if self.placeholder == "%s" else text.replace("%s", self.placeholder)

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """BEGIN ... COMMIT, or ROLLBACK when the block raises."""
        self.execute(self.begin_statement)
        try:
            yield
        except BaseException:
            self.rollback_quietly()
            raise
        self.execute("COMMIT")

    begin_statement = "BEGIN"

    def rollback_quietly(self) -> None:
        """Roll back an open transaction, if any; never raises (the connection may be broken)."""
        with suppress(Exception):  # best effort after a failure that is already reported
            self.execute("ROLLBACK")

    @abc.abstractmethod
    def in_transaction(self) -> bool:
        """Whether a transaction is open (a script's own BEGIN may have opened one)."""

    @abc.abstractmethod
    def close(self) -> None: ...

    def __enter__(self) -> Connection:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- locking -----------------------------------------------------------------------------

    @abc.abstractmethod
    @contextmanager
    def migration_lock(self, timeout_s: float) -> Iterator[None]:
        """The lock Prisma Migrate takes, held for the block (raises LockTimeout)."""

    # -- catalog -----------------------------------------------------------------------------

    @abc.abstractmethod
    def qualified(self, table: str) -> str:
        """A quoted, schema-qualified table name for this connection's namespace."""

    @abc.abstractmethod
    def table_names(self) -> set[str]:
        """Base tables in this connection's namespace."""

    @abc.abstractmethod
    def column_names(self, table: str) -> set[str]: ...

    def enum_names(self) -> set[str]:
        """Named enum types in this connection's namespace (empty where there are none)."""
        return set()

    def is_empty(self) -> bool:
        """No tables, views or types: what Prisma requires before creating history (P3005)."""
        return not self.table_names()

    @abc.abstractmethod
    def server_version(self) -> str: ...

    # -- throwaway databases (shadow replays) -------------------------------------------------

    @abc.abstractmethod
    def create_scratch_database(self, name: str) -> DatabaseUrl:
        """Create an empty database beside this one and return its URL."""

    @abc.abstractmethod
    def drop_scratch_database(self, url: DatabaseUrl) -> None: ...
