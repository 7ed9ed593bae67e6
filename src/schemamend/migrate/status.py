"""Comparing the migrations folder with `_prisma_migrations` (no writes)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from schemamend.migrate.folder import MigrationsFolder
from schemamend.migrate.history import HistoryRecord


@dataclass(frozen=True)
class FailedEntry:
    name: str
    started_at: datetime
    logs: str | None


@dataclass
class HistoryStatus:
    folder_count: int
    has_history_table: bool
    applied: list[str] = field(default_factory=list)  # in the folder, applied, checksum matches
    pending: list[str] = field(default_factory=list)  # in the folder, not applied (deploy applies them)
    failed: list[FailedEntry] = field(default_factory=list)  # failed, not resolved: blocks deploys
    rolled_back: list[str] = field(default_factory=list)  # has a rolled-back attempt
    edited: list[str] = field(default_factory=list)  # applied, then the file changed
    missing_from_folder: list[str] = field(default_factory=list)  # recorded, no such folder

    @property
    def up_to_date(self) -> bool:
        return not (self.pending or self.failed or self.edited or self.missing_from_folder)


def history_status(folder: MigrationsFolder, records: list[HistoryRecord], has_table: bool) -> HistoryStatus:
    status = HistoryStatus(folder_count=len(folder.migrations), has_history_table=has_table)
    by_name: dict[str, list[HistoryRecord]] = {}
    for record in records:
        by_name.setdefault(record.migration_name, []).append(record)

    for migration in folder.migrations:
        rows = by_name.get(migration.name, [])
        live = [r for r in rows if not r.is_rolled_back]
        if any(r.is_rolled_back for r in rows):
            status.rolled_back.append(migration.name)
        finished = [r for r in live if r.finished_at is not None]
        if not live:
            status.pending.append(migration.name)
        elif finished:
            if all(migration.matches(r.checksum) for r in finished):
                status.applied.append(migration.name)
            else:
                status.edited.append(migration.name)

    folder_names = set(folder.names)
    seen: set[str] = set()
    for record in records:
        if record.is_failed:
            status.failed.append(FailedEntry(record.migration_name, record.started_at, record.logs))
        name = record.migration_name
        if name not in folder_names and name not in seen and not record.is_rolled_back:
            status.missing_from_folder.append(name)
            seen.add(name)
    return status
