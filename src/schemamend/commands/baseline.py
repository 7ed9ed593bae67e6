"""`schemamend baseline`: a migration that builds the declared schema from empty.

Order of work, each step only when the one before succeeded:

1. check: no failed migration is recorded (it would keep blocking deploys);
2. verify: the live database matches the declared schema (introspect + diff),
   and the baseline script, replayed on an empty shadow database, builds
   what the live database holds (replay + compare);
3. write: `migrations/<timestamp>_baseline/migration.sql` (rendered like
   `prisma migrate diff --from-empty`), the superseded migrations moved to
   `migrations_archive/<baseline>/` (see `migrate.baseline` for why);
4. record: the baseline as applied in `_prisma_migrations` (created if the
   database was pushed); if that fails the files are put back.

When verification fails nothing is written: the report lists the differences.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from schemamend.commands.doctor import Inputs, read_inputs
from schemamend.commands.migrate import DEFAULT_LOCK_TIMEOUT_S, EXIT_DRIFT, EXIT_OK, Target
from schemamend.commands.render import plan_from_empty
from schemamend.db import Connection, DatabaseError, connect
from schemamend.errors import SchemamendError
from schemamend.migrate.baseline import (
    archive_root,
    baseline_name,
    undo_baseline,
    write_baseline,
)
from schemamend.migrate.drift import compare
from schemamend.migrate.folder import read_migrations_folder
from schemamend.migrate.history import History
from schemamend.migrate.resolve import mark_applied
from schemamend.migrate.status import history_status


class BaselineRefused(SchemamendError):
    code = "SM310"
    exit_code = 2


@dataclass
class BaselineReport:
    target: Target
    name: str
    path: Path  # the baseline's migration.sql
    statements: int
    tables: int
    archived: list[str] = field(default_factory=list)
    archive_dir: Path | None = None
    never_applied: list[str] = field(default_factory=list)  # archived, but not applied here
    checks: list[str] = field(default_factory=list)  # what was verified, in order
    refused: list[str] = field(default_factory=list)  # differences that stopped it
    written: bool = False
    recorded: bool = False
    dry_run: bool = False
    already: bool = False  # history already builds the schema: nothing to do
    sql: str = ""

    @property
    def ok(self) -> bool:
        return not self.refused

    @property
    def exit_code(self) -> int:
        return EXIT_OK if self.ok else EXIT_DRIFT

    def explanation(self) -> list[str]:
        """Why the baseline is named and placed as it is (printed after it is written)."""
        lines = [
            f"`{self.name}` builds the whole schema ({self.tables} tables) from an empty database: "
            "`migrate deploy` on a fresh database now runs it first.",
        ]
        if self.archived:
            lines.append(
                f"The {len(self.archived)} migration(s) it supersedes were moved (not deleted) to "
                f"{self.archive_dir}: left in the folder, they would run after the baseline on a "
                "fresh database and fail on objects it already created."
            )
            lines.append(
                "Its timestamp is just before the oldest of them, so migrations written meanwhile "
                "on other branches still run after it."
            )
        if self.recorded:
            lines.append(
                "It is recorded as applied on this database (nothing was executed here); the "
                "old rows of `_prisma_migrations` stay as the record of what ran."
            )
        lines.append("Commit the migrations folder and the archive together.")
        return lines

    def to_json(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "exitCode": self.exit_code,
            "baseline": self.name,
            "path": str(self.path),
            "statements": self.statements,
            "tables": self.tables,
            "archived": self.archived,
            "archiveDir": str(self.archive_dir) if self.archive_dir else None,
            "neverApplied": self.never_applied,
            "checks": self.checks,
            "differences": self.refused,
            "written": self.written,
            "recorded": self.recorded,
            "dryRun": self.dry_run,
            "alreadyBaselined": self.already,
        }


def baseline(
    schema: str | None = None,
    *,
    url: str | None = None,
    migrations_dir: str | Path | None = None,
    name: str | None = None,
    dry_run: bool = False,
    shadow_database_url: str | None = None,
    lock_timeout_s: float = DEFAULT_LOCK_TIMEOUT_S,
    cwd: Path | None = None,
    environ: Mapping[str, str] | None = None,
) -> BaselineReport:
    """Write and record a baseline migration, after checking the live database matches it."""
    inputs = read_inputs(schema, url, migrations_dir, cwd, environ)
    plan = plan_from_empty(inputs.datamodel)
    script = plan.migration_sql
    chosen = name or baseline_name(inputs.folder.names)
    report = BaselineReport(
        target=Target.of(inputs.project),
        name=chosen,
        path=inputs.folder.path / chosen / "migration.sql",
        statements=sum(len(step.statements) for step in plan.steps),
        tables=len(plan.schema.tables),
        sql=script,
        dry_run=dry_run,
    )
    if inputs.folder.get(chosen) is not None:
        raise BaselineRefused(f"the migrations folder already has a migration named `{chosen}`")
    with connect(inputs.project.url) as conn:
        _check_history(conn, inputs, report)
        _verify_live(conn, inputs, report)
        if report.refused:
            return report
        _verify_replay(conn, inputs, script, report, shadow_database_url)
        if report.refused or report.already or dry_run:
            return report
        files = write_baseline(inputs.folder, chosen, script, inputs.project.provider)
        report.written = True
        report.archived = [m.name for m in inputs.folder.migrations]
        report.archive_dir = files.archive_dir or archive_root(inputs.folder.path)
        try:
            folder = read_migrations_folder(inputs.folder.path)
            mark_applied(conn, folder, chosen, lock_timeout_s=lock_timeout_s)
        except BaseException:
            undo_baseline(files)
            report.written = False
            raise
        report.recorded = True
    return report


def _check_history(conn: Connection, inputs: Inputs, report: BaselineReport) -> None:
    history = History(conn)
    has_table = history.exists()
    records = history.records() if has_table else []
    status = history_status(inputs.folder, records, has_table)
    if status.failed:
        names = ", ".join(f"`{f.name}`" for f in status.failed)
        raise BaselineRefused(
            f"failed migrations are recorded ({names}): they would keep blocking deploys",
            hint="resolve them first: `schemamend migrate resolve --rolled-back NAME`",
        )
    report.never_applied = list(status.pending) if has_table else list(inputs.folder.names)
    state = "no `_prisma_migrations` table" if not has_table else f"{len(status.applied)} applied"
    report.checks.append(
        f"history: {state}, {len(inputs.folder.migrations)} migration(s) in the folder"
    )


def _verify_live(conn: Connection, inputs: Inputs, report: BaselineReport) -> None:
    from schemamend.commands.doctor import read_live

    drift = compare(read_live(conn, inputs), inputs.declared, inputs.dialect.capabilities)
    if drift.in_sync:
        report.checks.append("the live database matches the declared schema")
        return
    report.refused += [f"missing {f.label()}" for f in drift.missing if not f.in_missing_table]
    report.refused += [
        f"different {d.label()}: "
        + "; ".join(f"{a.name} is {a.live}, declared {a.declared}" for a in d.aspects)
        for d in drift.different
    ]


def _verify_replay(
    conn: Connection, inputs: Inputs, script: str, report: BaselineReport, shadow_url: str | None
) -> None:
    """Replay the baseline (and, to detect a finished baseline, the current history) in shadows."""
    from schemamend.commands.doctor import shadow_server
    from schemamend.migrate.folder import MigrationScript
    from schemamend.migrate.shadow import compare_live_with_shadow, replay, shadow_database

    candidate = MigrationScript(report.name, report.path, script.encode("utf-8"))
    try:
        server = conn if shadow_url is None else connect(shadow_server(inputs, shadow_url))
        with shadow_database(server) as shadow:
            outcome = replay(shadow, [candidate])
            if outcome.failure is not None:
                report.refused.append(f"the baseline does not replay: {outcome.failure.describe()}")
                return
            comparison = compare_live_with_shadow(conn, shadow)
        if server is not conn:
            server.close()
    except DatabaseError as exc:
        raise BaselineRefused(
            f"cannot verify the baseline: no shadow database could be created ({exc.message})",
            hint="the user needs the right to create databases (as for Prisma's shadow database), "
            "or pass --shadow-database-url with a server where it has it",
        ) from None
    if comparison is None:
        raise BaselineRefused(
            "cannot verify the baseline: this database cannot be introspected yet"
        )
    if not comparison.same:
        report.refused += list(comparison.differences)
        return
    report.checks.append(
        "the baseline, replayed on an empty shadow database, builds what the live database holds"
    )
    if _history_already_builds(conn, inputs):
        report.already = True


def _history_already_builds(conn: Connection, inputs: Inputs) -> bool:
    """The folder replays cleanly, builds the declared schema, and is fully applied here."""
    from schemamend.commands.doctor import replay_in_shadow

    if not inputs.folder.migrations:
        return False
    history = History(conn)
    if not history.exists():
        return False
    status = history_status(inputs.folder, history.records(), True)
    if status.pending or status.failed or status.edited or status.missing_from_folder:
        return False
    replayed = replay_in_shadow(conn, inputs.folder, inputs)
    return replayed.ok and not replayed.differences
