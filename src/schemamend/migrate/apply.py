"""Applying pending migrations, each one recorded in `_prisma_migrations`.

Where DDL is transactional (PostgreSQL, SQLite) a migration's statements and
its history row commit together in one transaction: a crash at any point
leaves the migration either applied and recorded, or absent. A migration
that fails is rolled back, then recorded as failed (finished_at NULL, logs =
the error), which blocks later deploys until it is resolved, as in Prisma.

Where it is not (MySQL), or where the script manages transactions itself
(BEGIN/COMMIT) or holds statements that cannot run inside one (CREATE INDEX
CONCURRENTLY, VACUUM), the steps are Prisma's: a row first, then the
statements one by one, then finished_at; a failure records exactly which
statements ran before it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from schemamend.db import Connection, Family, StatementFailed
from schemamend.migrate.errors import DatabaseSchemaNotEmpty, FoundFailedMigrations
from schemamend.migrate.folder import MigrationScript, MigrationsFolder
from schemamend.migrate.history import History, HistoryRecord, now
from schemamend.migrate.split import Statement, split_statements

# Statements that open or close a transaction themselves.
_TRANSACTION_CONTROL = (("BEGIN",), ("START", "TRANSACTION"), ("COMMIT",), ("END",))

# Statements a database refuses to run inside a transaction block, per family.
_OUTSIDE_TRANSACTION: dict[Family, tuple[tuple[str, ...], ...]] = {
    Family.POSTGRESQL: (
        ("VACUUM",),
        ("CREATE", "DATABASE"),
        ("DROP", "DATABASE"),
        ("ALTER", "SYSTEM"),
        ("CREATE", "TABLESPACE"),
        ("DROP", "TABLESPACE"),
    ),
    Family.SQLITE: (("VACUUM",),),
    Family.MYSQL: (),
}
_CONCURRENTLY_VERBS = ("CREATE", "DROP", "REINDEX")


def needs_own_transactions(statements: list[Statement], family: Family) -> bool:
    """Whether the script cannot be wrapped in one transaction by us."""
    outside = _OUTSIDE_TRANSACTION[family]
    for st in statements:
        words = st.keywords(5)
        if not words:
            continue
        if words[0] == "ROLLBACK" and (len(words) == 1 or words[1] not in ("TO",)):
            return True
        if any(words[: len(p)] == p for p in _TRANSACTION_CONTROL + outside):
            return True
        if (
            family is Family.POSTGRESQL
            and words[0] in _CONCURRENTLY_VERBS
            and "CONCURRENTLY" in words
        ):
            return True
    return False


@dataclass(frozen=True)
class AppliedMigration:
    name: str
    statements: int
    seconds: float
    atomic: bool  # statements and history row committed in one transaction


@dataclass(frozen=True)
class FailedMigration:
    name: str
    path: str
    statement: Statement
    total_statements: int
    db_code: str
    db_message: str
    atomic: bool
    committed: tuple[Statement, ...]  # statements that ran before the failure and stayed applied
    rolled_back: tuple[Statement, ...]  # statements that ran and were undone
    logs: str


@dataclass
class ApplyResult:
    found: int  # migrations in the folder
    history_created: bool = False
    applied: list[AppliedMigration] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # applied meanwhile by another deployer
    failed: FailedMigration | None = None

    @property
    def ok(self) -> bool:
        return self.failed is None


ProgressCallback = Callable[[str], None]


def pending_migrations(
    folder: MigrationsFolder, records: list[HistoryRecord]
) -> list[MigrationScript]:
    """Folder migrations with no history row that is not rolled back (Prisma's rule)."""
    recorded = {r.migration_name for r in records if not r.is_rolled_back}
    return [m for m in folder.migrations if m.name not in recorded]


def raise_on_failed(records: list[HistoryRecord]) -> None:
    failed = [r for r in records if r.is_failed]
    if not failed:
        return
    lines = []
    for record in failed:
        logs = (record.logs or "").strip()
        suffix = f" with the following logs:\n{logs}" if logs else ""
        started = record.started_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")[:-3] + " UTC"
        lines.append(f"The `{record.migration_name}` migration started at {started} failed{suffix}")
    raise FoundFailedMigrations("\n".join(lines) + "\n", [r.migration_name for r in failed])


def ensure_history(conn: Connection, history: History) -> bool:
    """Create `_prisma_migrations` in an empty database (P3005 if not empty). True if created."""
    if history.exists():
        return False
    if not conn.is_empty() and not history.exists():
        raise DatabaseSchemaNotEmpty()
    history.create()
    return True


def apply_pending(
    conn: Connection,
    folder: MigrationsFolder,
    *,
    lock_timeout_s: float = 60.0,
    progress: ProgressCallback | None = None,
) -> ApplyResult:
    """Take the migration lock and apply every pending migration in order."""
    result = ApplyResult(found=len(folder.migrations))
    with conn.migration_lock(lock_timeout_s):
        history = History(conn)
        result.history_created = ensure_history(conn, history)
        records = history.records()
        raise_on_failed(records)
        for migration in pending_migrations(folder, records):
            if progress is not None:
                progress(migration.name)
            outcome = _apply_one(conn, history, migration)
            if outcome is None:
                result.skipped.append(migration.name)
            elif isinstance(outcome, FailedMigration):
                result.failed = outcome
                break
            else:
                result.applied.append(outcome)
    return result


def _apply_one(
    conn: Connection, history: History, migration: MigrationScript
) -> AppliedMigration | FailedMigration | None:
    statements = split_statements(migration.text, conn.family)
    if conn.transactional_ddl and not needs_own_transactions(statements, conn.family):
        return _apply_atomic(conn, history, migration, statements)
    return _apply_stepwise(conn, history, migration, statements)


class _AlreadyApplied(Exception):
    pass


def _apply_atomic(
    conn: Connection, history: History, migration: MigrationScript, statements: list[Statement]
) -> AppliedMigration | FailedMigration | None:
    started_at = now()
    clock = time.monotonic()
    ran: list[Statement] = []
    current: Statement | None = None
    try:
        with conn.transaction():
            # Another deployer may have applied it between our read and this transaction
            # (SQLite has no session lock; the transaction's write lock is the lock).
            records = history.records()
            raise_on_failed(records)
            if any(r.migration_name == migration.name and not r.is_rolled_back for r in records):
                raise _AlreadyApplied()
            for statement in statements:
                current = statement
                conn.execute(statement.text)
                ran.append(statement)
            current = None
            history.record_applied(migration.name, migration.checksum, started_at)
    except _AlreadyApplied:
        return None
    except StatementFailed as exc:
        if current is None:
            raise  # the history row itself could not be written: not the migration's fault
        failure = _failure(migration, statements, current, exc, True, (), tuple(ran))
        history.record_failed(migration.name, migration.checksum, started_at, failure.logs)
        return failure
    return AppliedMigration(migration.name, len(statements), time.monotonic() - clock, True)


def _apply_stepwise(
    conn: Connection, history: History, migration: MigrationScript, statements: list[Statement]
) -> AppliedMigration | FailedMigration:
    started_at: datetime = now()
    clock = time.monotonic()
    record_id = history.record_started(migration.name, migration.checksum, started_at)
    ran: list[Statement] = []
    committed_upto = 0
    for statement in statements:
        try:
            conn.execute(statement.text)
        except StatementFailed as exc:
            open_tx = conn.in_transaction()
            if open_tx:
                conn.rollback_quietly()
            committed = tuple(ran[:committed_upto]) if open_tx else tuple(ran)
            undone = tuple(ran[committed_upto:]) if open_tx else ()
            failure = _failure(migration, statements, statement, exc, False, committed, undone)
            history.mark_failed(record_id, failure.logs)
            return failure
        ran.append(statement)
        if not conn.in_transaction():
            committed_upto = len(ran)
    if conn.in_transaction():  # the script left a transaction open: finish what it started
        conn.execute("COMMIT")
    history.mark_finished(record_id)
    return AppliedMigration(migration.name, len(statements), time.monotonic() - clock, False)


def _failure(
    migration: MigrationScript,
    statements: list[Statement],
    statement: Statement,
    exc: StatementFailed,
    atomic: bool,
    committed: tuple[Statement, ...],
    rolled_back: tuple[Statement, ...],
) -> FailedMigration:
    failure = FailedMigration(
        name=migration.name,
        path=str(migration.path),
        statement=statement,
        total_statements=len(statements),
        db_code=exc.db_code,
        db_message=exc.db_message,
        atomic=atomic,
        committed=committed,
        rolled_back=rolled_back,
        logs="",
    )
    return _with_logs(failure)


def describe_ran(failure: FailedMigration) -> str:
    """What the failed migration left behind, in one sentence."""
    if failure.atomic:
        return "Nothing was applied: the migration ran in one transaction, which was rolled back."
    if not failure.committed:
        return "No statement of the migration was applied before the failure."
    spans = ", ".join(f"{s.index} ({s.lines})" for s in failure.committed)
    return (
        f"Statements that ran and remain applied: {spans}. Check them before resolving "
        "(the database could not roll them back)."
    )


def _with_logs(failure: FailedMigration) -> FailedMigration:
    st = failure.statement
    code = failure.db_code or "unknown"
    logs = (
        f"Migration `{failure.name}` failed at statement {st.index} of "
        f"{failure.total_statements} ({st.lines} of migration.sql):\n"
        f"{st.text}\n\n"
        f"Database error code: {code}\n\n"
        f"Database error:\n{failure.db_message}\n\n"
        f"{describe_ran(failure)}"
    )
    return FailedMigration(**{**failure.__dict__, "logs": logs})
