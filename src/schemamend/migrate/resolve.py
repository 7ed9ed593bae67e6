"""`resolve`: record a failed migration as rolled back, or a migration as applied."""

from __future__ import annotations

from dataclasses import dataclass, field

from schemamend.db import Connection
from schemamend.errors import SchemamendError
from schemamend.migrate.errors import (
    CannotRollBackSucceededMigration,
    CannotRollBackUnappliedMigration,
    MigrationAlreadyApplied,
    MigrationToMarkAppliedNotFound,
)
from schemamend.migrate.folder import MigrationsFolder
from schemamend.migrate.history import History
from schemamend.migrate.shadow import (
    Comparison,
    ReplayResult,
    compare_live_with_shadow,
    replay,
    shadow_database,
)


@dataclass
class Verification:
    """What `resolve --applied` could establish before recording the migration."""

    replay: ReplayResult | None = None
    comparison: Comparison | None = None
    skipped: bool = False  # --force
    unavailable: str | None = None  # why no replay could be made (e.g. no right to create one)

    @property
    def verified(self) -> bool:
        return self.comparison is not None and self.comparison.same

    @property
    def refuses(self) -> bool:
        """The live database provably lacks what history up to the migration creates."""
        return self.comparison is not None and not self.comparison.same


@dataclass
class RolledBack:
    name: str
    record_ids: list[str] = field(default_factory=list)


@dataclass
class MarkedApplied:
    name: str
    record_id: str
    superseded_failed: list[str]  # ids of failed attempts marked rolled back first


def mark_rolled_back(conn: Connection, name: str, *, lock_timeout_s: float) -> RolledBack:
    with conn.migration_lock(lock_timeout_s):
        history = History(conn)
        relevant = [r for r in history.records() if r.migration_name == name]
        if not relevant:
            raise CannotRollBackUnappliedMigration(name)
        if all(r.finished_at is not None for r in relevant):
            raise CannotRollBackSucceededMigration(name)
        result = RolledBack(name)
        for record in relevant:
            if record.is_failed:
                history.mark_rolled_back(record.id)
                result.record_ids.append(record.id)
        return result


def check_applicable(folder: MigrationsFolder, name: str) -> None:
    if folder.get(name) is None:
        raise MigrationToMarkAppliedNotFound(name)


def verify_applied(conn: Connection, folder: MigrationsFolder, name: str) -> Verification:
    """Replay the folder up to `name` in a shadow database, then compare it with `conn`."""
    verification = Verification()
    with shadow_database(conn) as shadow:
        verification.replay = replay(shadow, folder.up_to(name))
        if verification.replay.ok:
            try:
                verification.comparison = compare_live_with_shadow(conn, shadow)
            except SchemamendError as exc:
                verification.unavailable = f"the databases could not be compared: {exc.message}"
    return verification


def mark_applied(
    conn: Connection, folder: MigrationsFolder, name: str, *, lock_timeout_s: float
) -> MarkedApplied:
    migration = folder.get(name)
    if migration is None:
        raise MigrationToMarkAppliedNotFound(name)
    with conn.migration_lock(lock_timeout_s):
        history = History(conn)
        if not history.exists():
            history.create()  # Prisma's baseline: no emptiness check here
        relevant = [r for r in history.records() if r.migration_name == name]
        if any(r.finished_at is not None for r in relevant):
            raise MigrationAlreadyApplied(name)
        superseded = []
        for record in relevant:
            if record.is_failed:
                history.mark_rolled_back(record.id)
                superseded.append(record.id)
        record_id = history.mark_applied(name, migration.checksum)
        return MarkedApplied(name, record_id, superseded)
