"""`migrate deploy`, `migrate status`, `migrate resolve` and the start-up `deploy`.

Each function is the Python API of its verb: it returns a report and never
prints. Errors are raised as SchemamendError subclasses carrying Prisma's
codes where Prisma has one (P1001, P3005, P3008, P3009, P3011, P3012, P3017,
P3018, P3019).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from schemamend.db import Connection, DatabaseError, DatabaseMissing, connect, connect_with_retry
from schemamend.errors import SchemamendError
from schemamend.migrate.apply import ApplyResult, apply_pending
from schemamend.migrate.errors import MigrateError, ResolveVerificationFailed
from schemamend.migrate.folder import MigrationsFolder, read_migrations_folder
from schemamend.migrate.history import History
from schemamend.migrate.live_check import LiveCheck, check_declared_objects
from schemamend.migrate.project import Project, load_project
from schemamend.migrate.resolve import (
    MarkedApplied,
    RolledBack,
    Verification,
    check_applicable,
    mark_applied,
    mark_rolled_back,
    verify_applied,
)
from schemamend.migrate.status import HistoryStatus, history_status

DEFAULT_LOCK_TIMEOUT_S = 60.0

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_DRIFT = 2


@dataclass(frozen=True)
class Target:
    """What a report says about where it ran (never the password)."""

    schema_path: Path
    provider: str
    datasource: str  # the datasource block's name
    database_name: str  # database name (SQLite: file name)
    location: str  # host:port, or the SQLite file's path
    database: str  # redacted URL
    namespace: str  # PostgreSQL schema / MySQL database / SQLite file name
    url_source: str
    migrations_dir: Path

    @classmethod
    def of(cls, project: Project) -> Target:
        return cls(
            project.schema_path,
            project.provider,
            project.datasource.name,
            project.url.database,
            project.url.location,
            project.url.redacted(),
            project.url.schema,
            project.url_source,
            project.migrations_dir,
        )


@dataclass
class DeployReport:
    target: Target
    result: ApplyResult

    @property
    def ok(self) -> bool:
        return self.result.ok

    @property
    def exit_code(self) -> int:
        return EXIT_OK if self.ok else EXIT_ERROR


@dataclass
class StatusReport:
    target: Target
    status: HistoryStatus
    database_exists: bool = True

    @property
    def exit_code(self) -> int:
        return EXIT_OK if self.status.up_to_date else EXIT_ERROR


@dataclass
class ResolveReport:
    target: Target
    action: str  # "applied" or "rolled-back"
    name: str
    verification: Verification | None = None
    applied: MarkedApplied | None = None
    rolled_back: RolledBack | None = None


@dataclass
class StartupReport:
    target: Target
    attempts: int
    waited_s: float
    result: ApplyResult | None = None
    live_check: LiveCheck | None = None
    error: SchemamendError | None = None  # what stopped it (after connecting)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return (
            self.error is None
            and self.result is not None
            and self.result.ok
            and self.live_check is not None
            and self.live_check.ok
        )

    @property
    def exit_code(self) -> int:
        if self.ok:
            return EXIT_OK
        if self.error is None and self.result is not None and self.result.ok:
            return EXIT_DRIFT  # migrations fine, declared objects missing
        return EXIT_ERROR


def _open(
    schema: str | None,
    url: str | None,
    migrations_dir: str | Path | None,
    cwd: Path | None,
    environ: Mapping[str, str] | None,
) -> tuple[Project, MigrationsFolder]:
    project = load_project(schema, url=url, migrations_dir=migrations_dir, cwd=cwd, environ=environ)
    folder = read_migrations_folder(project.migrations_dir)
    folder.check_provider(project.provider)
    return project, folder


def deploy(
    schema: str | None = None,
    *,
    url: str | None = None,
    migrations_dir: str | Path | None = None,
    lock_timeout_s: float = DEFAULT_LOCK_TIMEOUT_S,
    cwd: Path | None = None,
    environ: Mapping[str, str] | None = None,
    progress: Callable[[str], None] | None = None,
) -> DeployReport:
    """Apply every pending migration (creating the database if it does not exist)."""
    project, folder = _open(schema, url, migrations_dir, cwd, environ)
    with connect(project.url, create=True) as conn:
        result = apply_pending(conn, folder, lock_timeout_s=lock_timeout_s, progress=progress)
    return DeployReport(Target.of(project), result)


def status(
    schema: str | None = None,
    *,
    url: str | None = None,
    migrations_dir: str | Path | None = None,
    cwd: Path | None = None,
    environ: Mapping[str, str] | None = None,
) -> StatusReport:
    """Compare the migrations folder with the database's history (reads only)."""
    project, folder = _open(schema, url, migrations_dir, cwd, environ)
    try:
        conn = connect(project.url, read_only=True)
    except DatabaseMissing:  # nothing applied yet; deploy would create it
        return StatusReport(Target.of(project), history_status(folder, [], False), False)
    with conn:
        history = History(conn)
        has_table = history.exists()
        records = history.records() if has_table else []
    return StatusReport(Target.of(project), history_status(folder, records, has_table))


def resolve(
    schema: str | None = None,
    *,
    applied: str | None = None,
    rolled_back: str | None = None,
    force: bool = False,
    url: str | None = None,
    migrations_dir: str | Path | None = None,
    lock_timeout_s: float = DEFAULT_LOCK_TIMEOUT_S,
    cwd: Path | None = None,
    environ: Mapping[str, str] | None = None,
) -> ResolveReport:
    """Record NAME as rolled back (a failed migration, to retry it) or as applied.

    `--applied` first replays history up to NAME in a shadow database and
    compares it with the live one; it refuses when they differ, unless `force`.
    """
    if (applied is None) == (rolled_back is None):
        raise MigrateError("pass exactly one of --applied NAME or --rolled-back NAME")
    project, folder = _open(schema, url, migrations_dir, cwd, environ)
    target = Target.of(project)
    with connect(project.url) as conn:
        if rolled_back is not None:
            done = mark_rolled_back(conn, rolled_back, lock_timeout_s=lock_timeout_s)
            return ResolveReport(target, "rolled-back", rolled_back, rolled_back=done)
        assert applied is not None
        check_applicable(folder, applied)
        verification = Verification(skipped=True) if force else _verify(conn, folder, applied)
        if verification.refuses:
            assert verification.comparison is not None
            raise ResolveVerificationFailed(
                f"The database does not contain what the migrations up to `{applied}` create:\n"
                + "\n".join(f"  {d}" for d in verification.comparison.differences),
                hint="apply the missing part first, or pass --force to record it anyway",
            )
        marked = mark_applied(conn, folder, applied, lock_timeout_s=lock_timeout_s)
    return ResolveReport(target, "applied", applied, verification=verification, applied=marked)


def _verify(conn: Connection, folder: MigrationsFolder, name: str) -> Verification:
    try:
        return verify_applied(conn, folder, name)
    except DatabaseError as exc:  # e.g. no right to create a shadow database
        return Verification(unavailable=f"no shadow database: {exc.message}")


def startup_deploy(
    schema: str | None = None,
    *,
    wait_s: float = 0.0,
    url: str | None = None,
    migrations_dir: str | Path | None = None,
    lock_timeout_s: float = DEFAULT_LOCK_TIMEOUT_S,
    cwd: Path | None = None,
    environ: Mapping[str, str] | None = None,
    on_retry: Callable[[int, DatabaseError, float], None] | None = None,
) -> StartupReport:
    """The start-up command: wait for the database, migrate, then check declared objects exist.

    Never falls back to anything destructive. Raises before connecting (bad
    schema, no URL, unreachable after `wait_s`); afterwards every outcome is
    in the report.
    """
    from schemamend.psl import load_schema

    project, folder = _open(schema, url, migrations_dir, cwd, environ)
    datamodel = load_schema(project.schema_path).require()
    began = time.monotonic()
    conn, attempts = connect_with_retry(project.url, wait_s=wait_s, create=True, on_retry=on_retry)
    report = StartupReport(Target.of(project), attempts, time.monotonic() - began)
    with conn:
        try:
            report.result = apply_pending(conn, folder, lock_timeout_s=lock_timeout_s)
        except SchemamendError as exc:
            report.error = exc
            return report
        if not report.result.ok:
            return report
        report.live_check = check_declared_objects(conn, datamodel)
    return report
