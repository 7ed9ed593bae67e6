"""Baselines on disk: naming the baseline, archiving the migrations it supersedes.

Layout after `schemamend baseline`:

    prisma/migrations/
      migration_lock.toml
      20251107235959_baseline/migration.sql        builds the whole schema from empty
    prisma/migrations_archive/
      20251107235959_baseline/                     one batch per baseline
        README.md                                  why these were moved, and how to undo it
        20251108_add_onboarding_applications/migration.sql
        ...

The baseline's timestamp is one second earlier than the oldest migration it
supersedes: a migration written meanwhile on another branch (newer than the
old history) still sorts after the baseline and applies on top of it. The
superseded migrations leave `migrations/` because every folder there runs on
a fresh database (they would fail after the baseline, which already created
their objects); they are moved, never deleted. Their `_prisma_migrations`
rows stay as the record of what ran; the doctor recognises them as archived.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from schemamend.migrate.folder import LOCK_NAME, SCRIPT_NAME, MigrationsFolder

ARCHIVE_DIR_NAME = "migrations_archive"
BASELINE_SUFFIX = "baseline"
README_NAME = "README.md"
_DIGITS = re.compile(r"^(\d+)_")
_FALLBACK_TIMESTAMP = "00000000000000"


def archive_root(migrations_dir: Path) -> Path:
    """Where superseded migrations go: beside the migrations folder, never inside it."""
    return migrations_dir.parent / ARCHIVE_DIR_NAME


def archived_migrations(migrations_dir: Path) -> dict[str, str]:
    """Archived migration name → the baseline that superseded it."""
    root = archive_root(migrations_dir)
    found: dict[str, str] = {}
    if not root.is_dir():
        return found
    for batch in sorted(p for p in root.iterdir() if p.is_dir()):
        for migration in sorted(p for p in batch.iterdir() if p.is_dir()):
            if (migration / SCRIPT_NAME).is_file():
                found.setdefault(migration.name, batch.name)
    return found


def _timestamp_of(name: str) -> datetime | None:
    match = _DIGITS.match(name)
    if match is None or len(match.group(1)) < 8:
        return None
    digits = match.group(1)[:14].ljust(14, "0")
    try:
        return datetime.strptime(digits, "%Y%m%d%H%M%S").replace(tzinfo=UTC)
    except ValueError:
        return None


def baseline_name(existing: Sequence[str], now: datetime | None = None) -> str:
    """`<timestamp>_baseline`, sorting before every existing folder name."""
    moment = now or datetime.now(UTC)
    if existing:
        first = min(existing)
        stamp = _timestamp_of(first)
        name = (
            f"{(stamp - timedelta(seconds=1)):%Y%m%d%H%M%S}_{BASELINE_SUFFIX}"
            if stamp is not None
            else f"{_FALLBACK_TIMESTAMP}_{BASELINE_SUFFIX}"
        )
        if name < first:
            return name
        return f"{_FALLBACK_TIMESTAMP}_{BASELINE_SUFFIX}"
    return f"{moment:%Y%m%d%H%M%S}_{BASELINE_SUFFIX}"


@dataclass(frozen=True)
class BaselineFiles:
    """What was written and moved (enough to undo it)."""

    baseline_dir: Path
    archive_dir: Path | None
    moved: tuple[tuple[Path, Path], ...]  # (from, to)
    wrote_lock: bool


def _readme(name: str, archived: Sequence[str], provider: str) -> str:
    lines = [
        f"# Migrations superseded by `{name}`",
        "",
        f"`schemamend baseline` replaced these migrations with `migrations/{name}/migration.sql`,",
        "which builds the whole declared schema from an empty database. They could not stay in",
        "`migrations/`: on a fresh database they would run after the baseline and fail on objects",
        "it already created. On existing databases their `_prisma_migrations` rows remain the",
        "record of what ran.",
        "",
        f"Provider: {provider}. Moved here:",
        "",
        *[f"- `{n}`" for n in archived],
        "",
        "To undo: move these folders back into `migrations/`, delete the baseline folder, and",
        f"mark its history row rolled back (`_prisma_migrations.migration_name = '{name}'`).",
        "",
    ]
    return "\n".join(lines)


def write_baseline(
    folder: MigrationsFolder, name: str, script: str, provider: str
) -> BaselineFiles:
    """Write `<name>/migration.sql` and move every other migration into the archive."""
    root = folder.path
    root.mkdir(parents=True, exist_ok=True)
    superseded = [m for m in folder.migrations if m.name != name]
    archive_dir = archive_root(root) / name if superseded else None
    moved: list[tuple[Path, Path]] = []
    baseline_dir = root / name
    wrote_lock = False
    try:
        if archive_dir is not None:
            archive_dir.mkdir(parents=True, exist_ok=False)
            for migration in superseded:
                source = migration.path.parent
                target = archive_dir / migration.name
                shutil.move(str(source), str(target))
                moved.append((source, target))
            (archive_dir / README_NAME).write_text(
                _readme(name, [m.name for m in superseded], provider), encoding="utf-8"
            )
        baseline_dir.mkdir()
        (baseline_dir / SCRIPT_NAME).write_text(script, encoding="utf-8", newline="\n")
        lock = root / LOCK_NAME
        if not lock.exists():
            lock.write_text(
                "# Please do not edit this file manually\n"
                "# It should be added in your version-control system (e.g., Git)\n"
                f'provider = "{provider}"\n',
                encoding="utf-8",
            )
            wrote_lock = True
    except BaseException:
        undo_baseline(BaselineFiles(baseline_dir, archive_dir, tuple(moved), wrote_lock))
        raise
    return BaselineFiles(baseline_dir, archive_dir, tuple(moved), wrote_lock)


def undo_baseline(files: BaselineFiles) -> None:
    """Put everything back as it was before `write_baseline`."""
    if files.baseline_dir.exists():
        shutil.rmtree(files.baseline_dir)
    for source, target in reversed(files.moved):
        if target.exists() and not source.exists():
            shutil.move(str(target), str(source))
    if files.archive_dir is not None and files.archive_dir.exists():
        readme = files.archive_dir / README_NAME
        if readme.exists():
            readme.unlink()
        if not any(files.archive_dir.iterdir()):
            files.archive_dir.rmdir()
        parent = files.archive_dir.parent
        if parent.exists() and not any(parent.iterdir()):
            parent.rmdir()
    if files.wrote_lock:
        lock = files.baseline_dir.parent / LOCK_NAME
        if lock.exists():
            lock.unlink()
