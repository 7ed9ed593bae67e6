"""Replaying history in a shadow database: a throwaway database that only the replay sees.

PostgreSQL and MySQL: a new database on the same server, dropped afterwards
(the user needs the right to create databases, as for Prisma's shadow
database). SQLite: a private in-memory database.

`compare_live_with_shadow` introspects both databases and sorts the
differences with `migrate.drift` (filled in by the incident workflow, issue #6).
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
    """Whether `live` contains what the replay built in `shadow`: introspect both and diff.

    The differences are the changes that would make the live database hold
    everything the shadow holds (missing or different objects, one per line);
    objects only the live database has (later migrations, hand-made tables)
    are not differences: the question is "does live contain the replay?".
    """
    from schemamend.dialects.registry import dialect_for
    from schemamend.introspect import introspect
    from schemamend.migrate.drift import compare

    capabilities = dialect_for(live.family.value).capabilities
    try:
        live_schema, shadow_schema = introspect(live), introspect(shadow)
    except ModuleNotFoundError:  # no introspection for this family yet: cannot compare
        return None
    drift = compare(live_schema, shadow_schema, capabilities)
    lines = [f"missing {f.label()}" for f in drift.missing if not f.in_missing_table]
    lines += [
        f"different {d.label()}: "
        + "; ".join(f"{a.name} {a.live} (history builds {a.declared})" for a in d.aspects)
        for d in drift.different
    ]
    return Comparison(tuple(lines))


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
