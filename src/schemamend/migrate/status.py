"""Comparing the migrations folder with `_prisma_migrations` (no writes)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from schemamend.migrate.baseline import archived_migrations
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
    pending: list[str] = field(
        default_factory=list
    )  # in the folder, not applied (deploy applies them)
    failed: list[FailedEntry] = field(default_factory=list)  # failed, not resolved: blocks deploys
    rolled_back: list[str] = field(default_factory=list)  # has a rolled-back attempt
    edited: list[str] = field(default_factory=list)  # applied, then the file changed
    missing_from_folder: list[str] = field(
        default_factory=list
    )  # recorded, in neither folder nor archive
    # recorded, moved to migrations_archive/<baseline>/ by `schemamend baseline`: expected, not a failure
    archived: dict[str, str] = field(
        default_factory=dict
    )  # name -> the baseline that superseded it

    @property
    def up_to_date(self) -> bool:
        return not (self.pending or self.failed or self.edited or self.missing_from_folder)


def history_status(
    folder: MigrationsFolder,
    records: list[HistoryRecord],
    has_table: bool,
    archived: Mapping[str, str] | None = None,
) -> HistoryStatus:
    """Classify every migration; `archived` defaults to what the archive beside the folder holds."""
    superseded = archived_migrations(folder.path) if archived is None else archived
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
        if name in folder_names or name in seen or record.is_rolled_back:
            continue
        seen.add(name)
        if name in superseded:
            status.archived[name] = superseded[name]
        else:
            status.missing_from_folder.append(name)
    return status
