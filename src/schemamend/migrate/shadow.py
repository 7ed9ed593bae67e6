"""Replaying history in a shadow database: a throwaway database that only the replay sees.

PostgreSQL and MySQL: a new database on the same server, dropped afterwards
(the user needs the right to create databases, as for Prisma's shadow
database). SQLite: a private in-memory database.

The comparison of the shadow database with the live one needs the schema
differ (issue #4); `compare_live_with_shadow` is the hook it will fill. Until
then it answers `None` ("cannot compare") and callers say so.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from schemamend.db import Connection, Family, StatementFailed, connect, memory_sqlite
from schemamend.migrate.folder import MigrationScript
from schemamend.migrate.split import Statement, split_statements


@dataclass(frozen=True)
class ReplayFailure:
    migration: str
    statement: Statement
    db_code: str
    db_message: str

    def describe(self) -> str:
        return (
            f"migration `{self.migration}` failed at statement {self.statement.index} "
            f"({self.statement.lines}): {self.db_message}"
        )


@dataclass(frozen=True)
class ReplayResult:
    replayed: tuple[str, ...]
    failure: ReplayFailure | None

    @property
    def ok(self) -> bool:
        return self.failure is None


@dataclass(frozen=True)
class Comparison:
    """What the differ found between the live database and the shadow replay."""

    differences: tuple[str, ...]  # human-readable, one change per line

    @property
    def same(self) -> bool:
        return not self.differences


def compare_live_with_shadow(live: Connection, shadow: Connection) -> Comparison | None:
    """HOOK for the differ (issue #4): introspect both databases and diff them.

    Returns None while the differ does not exist: callers then report that the
    comparison could not be made. Do not treat None as "same".
    """
    return None


@contextmanager
def shadow_database(live: Connection) -> Iterator[Connection]:
    """A fresh, empty database next to `live`, dropped when the block ends."""
    if live.family is Family.SQLITE:
        conn = memory_sqlite()
        try:
            yield conn
        finally:
            conn.close()
        return
    name = f"schemamend_shadow_{secrets.token_hex(6)}"
    url = live.create_scratch_database(name)
    try:
        shadow = connect(url)
        try:
            yield shadow
        finally:
            shadow.close()
    finally:
        live.drop_scratch_database(url)


def replay(shadow: Connection, migrations: Sequence[MigrationScript]) -> ReplayResult:
    """Run each migration's statements in order (no history rows), stopping at the first error."""
    done: list[str] = []
    for migration in migrations:
        for statement in split_statements(migration.text, shadow.family):
            try:
                shadow.execute(statement.text)
            except StatementFailed as exc:
                if shadow.in_transaction():
                    shadow.rollback_quietly()
                failure = ReplayFailure(migration.name, statement, exc.db_code, exc.db_message)
                return ReplayResult(tuple(done), failure)
        done.append(migration.name)
    return ReplayResult(tuple(done), None)
