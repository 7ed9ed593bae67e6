"""`schemamend doctor`: what is wrong with a database, why, and the commands that fix it.

    report = doctor("prisma/schema.prisma", url="postgresql://...")
    report.drift.missing        # declared, absent from the database
    report.causes               # explanations, each from evidence checked here
    report.fixes                # exact commands, safest first
    report.exit_code            # 0 healthy, 2 drift (errors raise: exit 1)

It reads only: the live schema (introspection), `_prisma_migrations`, the
migrations folder, and a replay of that folder in a throwaway shadow
database (dropped afterwards). Nothing in the live database is changed.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from schemamend.commands.migrate import EXIT_DRIFT, EXIT_OK, Target
from schemamend.db import Connection, DatabaseError, DatabaseUrl, connect, parse_url
from schemamend.dialects.base import Dialect
from schemamend.dialects.registry import dialect_for
from schemamend.migrate import history_check
from schemamend.migrate.drift import Drift, Finding, compare
from schemamend.migrate.folder import MigrationsFolder, read_migrations_folder
from schemamend.migrate.history import History
from schemamend.migrate.project import Project, load_project
from schemamend.migrate.status import history_status
from schemamend.model import sql
from schemamend.model.datamodel import Datamodel

ERROR = "error"
WARNING = "warning"
NOTE = "note"

_MAX_COUNTED_EXTRAS = 50


@dataclass(frozen=True)
class Cause:
    code: str  # stable: no-history-table, no-baseline, tables-not-in-history, ...
    severity: str  # error (drift), warning, note
    message: str

    def to_json(self) -> dict[str, Any]:
        return {"code": self.code, "severity": self.severity, "message": self.message}


@dataclass(frozen=True)
class Fix:
    command: str
    why: str

    def to_json(self) -> dict[str, Any]:
        return {"command": self.command, "why": self.why}


@dataclass
class Replay:
    """History replayed on an empty shadow database."""

    ran: bool = False
    replayed: tuple[str, ...] = ()
    failed_at: str | None = None
    error: str | None = None
    statement: str | None = None
    unavailable: str | None = None  # why no replay could be made
    differences: list[str] = field(default_factory=list)  # replayed schema vs declared

    @property
    def ok(self) -> bool:
        return self.ran and self.failed_at is None

    def to_json(self) -> dict[str, Any]:
        return {
            "ran": self.ran,
            "ok": self.ok if self.ran else None,
            "replayed": list(self.replayed),
            "failedAt": self.failed_at,
            "error": self.error,
            "unavailable": self.unavailable,
            "differencesFromSchema": self.differences,
        }


@dataclass
class HistoryFacts:
    folder: Path
    has_table: bool
    migrations: list[str] = field(default_factory=list)
    applied: list[str] = field(default_factory=list)
    pending: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    edited: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)  # recorded, in neither folder nor archive
    archived: list[str] = field(default_factory=list)  # recorded, superseded by a baseline
    nonstandard: list[history_check.NameIssue] = field(default_factory=list)
    duplicates: list[history_check.DuplicateName] = field(default_factory=list)
    replay: Replay = field(default_factory=Replay)

    def to_json(self) -> dict[str, Any]:
        return {
            "folder": str(self.folder),
            "table": self.has_table,
            "migrations": self.migrations,
            "applied": self.applied,
            "pending": self.pending,
            "failed": self.failed,
            "edited": self.edited,
            "unknown": self.unknown,
            "archived": self.archived,
            "nonStandardNames": [{"name": i.name, "problem": i.problem} for i in self.nonstandard],
            "duplicateNames": [
                {"name": d.suffix, "folders": list(d.folders)} for d in self.duplicates
            ],
            "replay": self.replay.to_json(),
        }


@dataclass
class DoctorReport:
    target: Target
    dialect: str
    declared_tables: int
    live_tables: int
    drift: Drift
    history: HistoryFacts
    causes: list[Cause] = field(default_factory=list)
    fixes: list[Fix] = field(default_factory=list)
    strict: bool = False
    seconds: float = 0.0

    @property
    def healthy(self) -> bool:
        return not any(c.severity == ERROR for c in self.causes)

    @property
    def exit_code(self) -> int:
        return EXIT_OK if self.healthy else EXIT_DRIFT

    def to_json(self) -> dict[str, Any]:
        return {
            "healthy": self.healthy,
            "exitCode": self.exit_code,
            "schema": str(self.target.schema_path),
            "provider": self.target.provider,
            "database": self.target.database,
            "declaredTables": self.declared_tables,
            "liveTables": self.live_tables,
            "missing": [f.to_json() for f in self.drift.missing],
            "different": [d.to_json() for d in self.drift.different],
            "extra": [f.to_json() for f in self.drift.extra],
            "history": self.history.to_json(),
            "causes": [c.to_json() for c in self.causes],
            "fixes": [f.to_json() for f in self.fixes],
            "seconds": round(self.seconds, 3),
        }


# ── shared inputs (doctor, verify, baseline) ───────────────────────────────────


@dataclass
class Inputs:
    project: Project
    folder: MigrationsFolder
    datamodel: Datamodel
    dialect: Dialect
    declared: sql.Schema


def read_inputs(
    schema: str | None,
    url: str | None,
    migrations_dir: str | Path | None,
    cwd: Path | None,
    environ: Mapping[str, str] | None,
) -> Inputs:
    """The project, its migrations folder and the declared schema (raises on invalid input)."""
    from schemamend.psl import load_schema

    project = load_project(schema, url=url, migrations_dir=migrations_dir, cwd=cwd, environ=environ)
    folder = read_migrations_folder(project.migrations_dir)
    folder.check_provider(project.provider)
    datamodel = load_schema(project.schema_path).require()
    dialect = dialect_for(project.provider)
    return Inputs(project, folder, datamodel, dialect, dialect.calculate(datamodel))


def read_live(conn: Connection, inputs: Inputs) -> sql.Schema:
    """The database's schema: the namespaces the datasource lists, else the URL's."""
    from schemamend.introspect import declared_namespaces, introspect

    return introspect(conn, namespaces=declared_namespaces(inputs.datamodel))


def count_rows(
    conn: Connection,
    table: str,
    column: str | None = None,
    quote: Callable[[str], str] | None = None,
) -> int | None:
    """Rows in a live table (non-NULL values of `column`), or None when it cannot be counted."""
    target = conn.qualified(table)
    where = f" WHERE {quote(column)} IS NOT NULL" if column is not None and quote else ""
    try:
        rows = conn.query(f"SELECT COUNT(*) FROM {target}{where}")
    except DatabaseError:
        return None
    return int(rows[0][0]) if rows else None


def with_row_counts(conn: Connection, dialect: Dialect, extra: Sequence[Finding]) -> list[Finding]:
    """Extra tables and columns, with the data they hold (counted exactly; a few only)."""
    out: list[Finding] = []
    counted = 0
    for finding in extra:
        if counted < _MAX_COUNTED_EXTRAS and finding.kind in ("table", "column"):
            counted += 1
            if finding.kind == "table":
                rows = count_rows(conn, finding.name)
            else:
                rows = count_rows(conn, finding.table or "", finding.name, dialect.quote_identifier)
            finding = Finding(
                finding.kind,
                finding.name,
                finding.table,
                finding.detail,
                finding.in_missing_table,
                rows,
            )
        out.append(finding)
    return out


# ── the command ────────────────────────────────────────────────────────────────


def doctor(
    schema: str | None = None,
    *,
    url: str | None = None,
    migrations_dir: str | Path | None = None,
    replay_history: bool = True,
    shadow_database_url: str | None = None,
    strict: bool = False,
    cwd: Path | None = None,
    environ: Mapping[str, str] | None = None,
) -> DoctorReport:
    """Compare the live database with the schema file and with the migration history.

    `shadow_database_url`: the server where the throwaway replay database is
    created (default: the live database's server). `strict`: objects in the
    database that the schema does not declare count as drift (by default they
    are reported as notes, never as problems).
    """

    began = time.monotonic()
    inputs = read_inputs(schema, url, migrations_dir, cwd, environ)
    # The replay (create, fill, read and drop a shadow database) runs on its own connection
    # while the live database is read: both mostly wait on the server.
    with ThreadPoolExecutor(max_workers=1) as pool:
        replayed = (
            pool.submit(_replay_on_own_connection, inputs, shadow_database_url)
            if replay_history
            else None
        )
        with connect(inputs.project.url, read_only=True) as conn:
            live = read_live(conn, inputs)
            drift = compare(live, inputs.declared, inputs.dialect.capabilities)
            drift.extra = with_row_counts(conn, inputs.dialect, drift.extra)
            history = _history_facts(conn, inputs)
        if replayed is not None:
            history.replay = replayed.result()
    report = DoctorReport(
        target=Target.of(inputs.project),
        dialect=inputs.dialect.name,
        declared_tables=len(inputs.declared.tables),
        live_tables=len(live.tables),
        drift=drift,
        history=history,
        strict=strict,
    )
    report.causes = explain(report, inputs, live)
    report.fixes = fixes_for(report, schema, url)
    report.seconds = time.monotonic() - began
    return report


def shadow_server(inputs: Inputs, shadow_database_url: str | None) -> DatabaseUrl:
    """Where shadow databases are created: the given server, else the live database's."""
    if shadow_database_url is None:
        return inputs.project.url
    return parse_url(shadow_database_url, base_dir=inputs.project.schema_path.parent)


def _replay_on_own_connection(inputs: Inputs, shadow_database_url: str | None) -> Replay:
    try:
        conn = connect(shadow_server(inputs, shadow_database_url))
    except DatabaseError as exc:
        return Replay(unavailable=f"the shadow database server is not reachable ({exc.message})")
    with conn:
        return replay_in_shadow(conn, inputs.folder, inputs)


def _history_facts(conn: Connection, inputs: Inputs) -> HistoryFacts:
    folder = inputs.folder
    history = History(conn)
    has_table = history.exists()
    records = history.records() if has_table else []
    status = history_status(folder, records, has_table)
    facts = HistoryFacts(
        folder=folder.path,
        has_table=has_table,
        migrations=folder.names,
        applied=status.applied,
        # Without a history table, deploy applies every migration, but only to an empty database.
        pending=status.pending if has_table or conn.is_empty() else [],
        failed=[f.name for f in status.failed],
        edited=status.edited,
        unknown=status.missing_from_folder,
        archived=list(status.archived),
        nonstandard=history_check.nonstandard_names(folder),
        duplicates=history_check.duplicate_names(folder),
    )
    return facts


def replay_in_shadow(conn: Connection, folder: MigrationsFolder, inputs: Inputs) -> Replay:
    """Replay the whole folder on an empty shadow database; compare what it built with the schema."""
    from schemamend.migrate.shadow import replay, shadow_database

    result = Replay()
    try:
        with shadow_database(conn) as shadow:
            outcome = replay(shadow, folder.migrations)
            result.ran = True
            result.replayed = outcome.replayed
            if outcome.failure is not None:
                result.failed_at = outcome.failure.migration
                result.error = _first_line(outcome.failure.db_message)
                result.statement = outcome.failure.statement.summary()
                return result
            built = read_live(shadow, inputs)
    except DatabaseError as exc:
        result.unavailable = f"no shadow database could be created ({exc.message})"
        return result
    except ModuleNotFoundError:
        result.unavailable = "the replayed database cannot be read yet (no introspection for it)"
        return result
    history_drift = compare(built, inputs.declared, inputs.dialect.capabilities)
    result.differences = [
        f"missing {f.label()}" for f in history_drift.missing if not f.in_missing_table
    ]
    result.differences += [f"different {d.label()}" for d in history_drift.different]
    return result


def _first_line(message: str) -> str:
    lines = message.strip().splitlines() or [""]
    return re.sub(r"^(ERROR|FATAL):\s*", "", lines[0])


# ── explanations ───────────────────────────────────────────────────────────────


def _names(items: Sequence[str], limit: int = 8) -> str:
    shown = ", ".join(f"`{n}`" for n in items[:limit])
    return shown + (f" and {len(items) - limit} more" if len(items) > limit else "")


def _plural(count: int, word: str) -> str:
    if count == 1:
        return f"1 {word}"
    plural = word + ("es" if word.endswith(("x", "s")) else "s")
    if word == "index":
        plural = "indexes"
    return f"{count} {plural}"


def drift_counts(drift: Drift, findings: Sequence[Finding] | None = None) -> str:
    """ "7 tables, 5 enums, 8 indexes and 9 foreign keys" """
    items = list(drift.missing if findings is None else findings)
    order = ["table", "column", "enum", "enum value", "index", "unique", "foreign key"]
    words = {"unique": "unique constraint"}
    parts = []
    for kind in order:
        count = sum(1 for f in items if f.kind == kind)
        if count:
            parts.append(_plural(count, words.get(kind, kind)))
    if len(parts) > 1:
        return ", ".join(parts[:-1]) + " and " + parts[-1]
    return parts[0] if parts else "nothing"


def explain(report: DoctorReport, inputs: Inputs, live: sql.Schema) -> list[Cause]:
    """Causes, each from a fact checked above; errors first."""
    created_by = history_check.created_tables(inputs.folder)
    live_names = {t.name for t in live.tables}
    # Declared tables the database has although no migration creates them: a push, or DDL by hand.
    pre_history = [
        t.name for t in inputs.declared.tables if t.name in live_names and t.name not in created_by
    ]
    causes = _drift_causes(report.drift)
    if not report.history.has_table and live_names:
        causes.append(
            Cause(
                "no-history-table",
                ERROR,
                "the database has no `_prisma_migrations` table — it was created with a schema "
                "push (`db push`) or by hand, so no migration is recorded as applied",
            )
        )
    causes += _replay_causes(report.history.replay, inputs, pre_history)
    not_created = [f.name for f in report.drift.missing_of("table") if f.name not in created_by]
    if not_created:
        subject = (
            f"these {len(not_created)} tables are declared but no migration creates them"
            if len(not_created) > 1
            else "this table is declared but no migration creates it"
        )
        causes.append(
            Cause(
                "tables-not-in-history",
                ERROR,
                f"{subject}: {_names(not_created)} — `migrate deploy` can never create them "
                "(the schema changed without a migration)",
            )
        )
    causes += _history_state_causes(report.history)
    causes += _folder_causes(report.history)
    if report.history.replay.unavailable:
        causes.append(
            Cause(
                "replay-unavailable",
                NOTE,
                f"history was not replayed: {report.history.replay.unavailable}",
            )
        )
    causes += _extra_causes(report.drift, report.strict)
    return causes


def _drift_causes(drift: Drift) -> list[Cause]:
    causes = []
    if drift.missing:
        causes.append(
            Cause(
                "missing-objects",
                ERROR,
                f"the database lacks {drift_counts(drift)} that the schema declares",
            )
        )
    if drift.different:
        causes.append(
            Cause(
                "different-objects",
                ERROR,
                f"{len(drift.different)} object(s) exist but differ from the schema: "
                + "; ".join(d.label() for d in drift.different[:5]),
            )
        )
    return causes


def _replay_causes(replay: Replay, inputs: Inputs, pre_history: list[str]) -> list[Cause]:
    """What replaying history on an empty database showed (or, without a replay, the scripts)."""
    no_baseline = (
        f"no baseline migration: no migration creates {_names(pre_history)}, which the database "
        "has (made by a schema push or by hand)"
    )
    if replay.ran and replay.failed_at is not None:
        text = (
            "history cannot build the schema: replaying it on an empty shadow database fails at "
            f"`{replay.failed_at}` ({replay.error})"
        )
        if pre_history:
            return [Cause("no-baseline", ERROR, f"{text} — {no_baseline}")]
        return [Cause("replay-fails", ERROR, text)]
    if not replay.ran and pre_history and inputs.folder.migrations:
        text = (
            f"{no_baseline}, so history cannot build the schema from empty (read from the scripts)"
        )
        return [Cause("no-baseline", ERROR, text)]
    if replay.ok and not inputs.folder.migrations and inputs.declared.tables:
        return [
            Cause(
                "no-migrations",
                ERROR,
                f"the migrations folder {inputs.folder.path} holds no migration: a fresh database "
                "cannot be built from history",
            )
        ]
    if replay.ok and replay.differences:
        return [
            Cause(
                "history-differs-from-schema",
                ERROR,
                f"the migrations build a schema that differs from the declared one "
                f"({len(replay.differences)} difference(s), e.g. {replay.differences[0]}): the "
                "schema changed without a migration",
            )
        ]
    return []


def _extra_causes(drift: Drift, strict: bool) -> list[Cause]:
    if not drift.extra:
        return []
    held = [f"`{f.name}` ({f.rows} rows)" for f in drift.extra_of("table") if f.rows is not None]
    text = f"the database has {drift_counts(drift, drift.extra)} that the schema does not declare"
    if held:
        text += ": " + ", ".join(held[:6])
    text += "; they are left alone (never dropped unless you ask for it)"
    return [Cause("undeclared-objects", ERROR if strict else NOTE, text)]


def _history_state_causes(history: HistoryFacts) -> list[Cause]:
    causes = []
    for name in history.failed:
        causes.append(
            Cause(
                "failed-migration",
                ERROR,
                f"the migration `{name}` failed and is not resolved: deploys are blocked",
            )
        )
    if history.edited:
        causes.append(
            Cause(
                "edited-migrations",
                ERROR,
                f"{_names(history.edited)} changed after being applied (checksum differs from "
                "the one recorded)",
            )
        )
    if history.pending:
        causes.append(
            Cause("pending-migrations", ERROR, f"not applied yet: {_names(history.pending)}")
        )
    if history.unknown:
        causes.append(
            Cause(
                "unknown-migrations",
                WARNING,
                f"recorded as applied but absent from the folder: {_names(history.unknown)}",
            )
        )
    if history.archived:
        causes.append(
            Cause(
                "archived-migrations",
                NOTE,
                f"{len(history.archived)} applied migration(s) were superseded by a baseline "
                "and archived",
            )
        )
    return causes


def _folder_causes(history: HistoryFacts) -> list[Cause]:
    causes = []
    for duplicate in history.duplicates:
        causes.append(
            Cause(
                "duplicate-migration-name",
                WARNING,
                f"{len(duplicate.folders)} migrations have the same name `{duplicate.suffix}`: "
                f"{_names(list(duplicate.folders))} (a migration written again instead of fixed)",
            )
        )
    for issue in history.nonstandard:
        causes.append(
            Cause("nonstandard-migration-name", WARNING, f"`{issue.name}`: {issue.problem}")
        )
    return causes


# ── fixes ──────────────────────────────────────────────────────────────────────


def command_line(verb: str, schema: str | None, url: str | None, *extra: str) -> str:
    parts = ["schemamend", verb]
    if schema:
        parts += ["--schema", schema]
    if url:
        parts += ["--url", "'<URL>'"]
    return " ".join([*parts, *extra])


def fixes_for(report: DoctorReport, schema: str | None, url: str | None) -> list[Fix]:
    """The commands that fix what the causes describe, safest first."""
    codes = {c.code for c in report.causes if c.severity == ERROR}
    history = report.history
    fixes: list[Fix] = []
    if not codes:
        return fixes
    for name in history.failed:
        fixes.append(
            Fix(
                command_line("migrate resolve", schema, url, "--rolled-back", name),
                f"after checking what `{name}` left behind: mark it rolled back so deploys run again",
            )
        )
    if history.pending and not history.failed:
        fixes.append(
            Fix(command_line("migrate deploy", schema, url), "apply the pending migrations")
        )
    replay = history.replay
    history_builds_schema = replay.ok and not replay.differences and bool(history.migrations)
    deploy_fixes_it = bool(history.pending) and history_builds_schema and not history.failed
    if codes & {"missing-objects", "different-objects"} and not deploy_fixes_it:
        fixes.append(
            Fix(
                command_line("repair", schema, url, "--dry-run"),
                "show the repair plan, every statement classified (changes nothing)",
            )
        )
        fixes.append(
            Fix(
                command_line("repair", schema, url),
                "create what is missing in one transaction; drops and rewrites nothing",
            )
        )
    if codes & {
        "no-baseline",
        "replay-fails",
        "no-history-table",
        "tables-not-in-history",
        "history-differs-from-schema",
        "no-migrations",
    }:
        fixes.append(
            Fix(
                command_line("baseline", schema, url),
                "write a baseline migration that builds the schema from empty, archive the "
                "migrations it supersedes, and record it as applied (after checking the "
                "database matches it)",
            )
        )
    fixes.append(Fix(command_line("verify", schema, url), "check every declared table and column"))
    fixes.append(Fix(command_line("doctor", schema, url), "confirm the database is healthy"))
    return fixes
