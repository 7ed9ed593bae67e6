"""Status: the folder compared with history rows (pure, no database)."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from pathlib import Path

from schemamend.migrate.folder import MigrationScript, MigrationsFolder
from schemamend.migrate.history import HistoryRecord, decode_timestamp
from schemamend.migrate.status import history_status

T0 = datetime(2024, 1, 1, tzinfo=UTC)


def folder(*names: str) -> MigrationsFolder:
    scripts = tuple(
        MigrationScript(n, Path(n) / "migration.sql", f"-- {n}\n".encode()) for n in names
    )
    return MigrationsFolder(Path("migrations"), "postgresql", scripts)


def row(
    name: str,
    n: int,
    *,
    finished: bool = True,
    rolled_back: bool = False,
    script: str | None = None,
) -> HistoryRecord:
    data = (script if script is not None else f"-- {name}\n").encode()
    return HistoryRecord(
        id=f"id{n}",
        checksum=hashlib.sha256(data).hexdigest(),
        finished_at=T0 + timedelta(minutes=n) if finished else None,
        migration_name=name,
        logs=None if finished else "ERROR: boom",
        rolled_back_at=T0 + timedelta(minutes=n, seconds=30) if rolled_back else None,
        started_at=T0 + timedelta(minutes=n),
        applied_steps_count=1 if finished else 0,
    )


def test_everything_applied_is_up_to_date() -> None:
    status = history_status(folder("a", "b"), [row("a", 1), row("b", 2)], True)

    assert status.up_to_date and status.applied == ["a", "b"]


def test_each_kind_of_difference_is_reported_on_its_own() -> None:
    records = [
        row("a", 1),
        row("b", 2, script="-- edited later\n"),
        row("c", 3, finished=False),
        row("gone", 4),
    ]

    status = history_status(folder("a", "b", "c", "d"), records, True)

    assert status.applied == ["a"]
    assert status.edited == ["b"]
    assert [f.name for f in status.failed] == ["c"]
    assert status.pending == ["d"]
    assert status.missing_from_folder == ["gone"]
    assert not status.up_to_date


def test_rows_of_migrations_a_baseline_archived_are_expected_not_missing() -> None:
    records = [
        row("old1", 1),
        row("old2", 2),
        row("0_baseline", 3, script="-- 0_baseline\n"),
        row("gone", 4),
    ]
    archive = {"old1": "0_baseline", "old2": "0_baseline"}

    status = history_status(folder("0_baseline"), records, True, archived=archive)

    assert status.archived == archive
    assert status.missing_from_folder == ["gone"]
    assert not history_status(
        folder("0_baseline"), records[:3], True, archived=archive
    ).missing_from_folder
    assert history_status(folder("0_baseline"), records[:3], True, archived=archive).up_to_date


def test_a_rolled_back_attempt_is_pending_again_until_reapplied() -> None:
    rolled = [row("a", 1, finished=False, rolled_back=True)]

    before = history_status(folder("a"), rolled, True)
    after = history_status(folder("a"), [*rolled, row("a", 2)], True)

    assert before.pending == ["a"] and before.failed == [] and before.rolled_back == ["a"]
    assert after.up_to_date and after.rolled_back == ["a"]


def test_no_history_table_means_everything_is_pending() -> None:
    status = history_status(folder("a"), [], False)

    assert status.pending == ["a"] and not status.has_history_table


def test_timestamps_in_every_stored_form_decode_to_utc() -> None:
    expected = datetime(2026, 11, 25, 12, 45, 33, 781000, tzinfo=UTC)

    assert decode_timestamp("2026-11-25T12:45:33.781+00:00") == expected  # Prisma on SQLite
    assert decode_timestamp("2026-11-25 12:45:33.781") == expected  # DEFAULT current_timestamp
    assert decode_timestamp(1795610733781) == expected  # Unix milliseconds
    assert (
        decode_timestamp(datetime(2026, 11, 25, 12, 45, 33, 781000)) == expected
    )  # MySQL DATETIME
    assert decode_timestamp(None) is None
