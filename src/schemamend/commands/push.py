"""`schemamend db push`: the database in line with the schema file, without touching history.

    report = db_push("prisma/schema.prisma", url=...)                 # safe steps only
    report = db_push("prisma/schema.prisma", url=..., accept_data_loss=True)

The plan is the repair's (`commands.repair`): the differ's changes from the
live database to the schema, each judged by `schemamend.safety`, with
Prisma's steps where its push takes them (`RepairOptions.prisma_steps`): an
enum type that loses a value is recreated (held while rows hold the value:
the conversion would fail), and SQLite tables are rebuilt to change or drop
columns (destructive when a column is dropped or retyped; held while NULLs
would fail the copy). Unlike a repair, a push is all or nothing: when any step would be held back
(`may-fail`, `destructive` without `accept_data_loss`, `locking` without
`allow_locking`, or unsupported in place), nothing is applied and the plan
is returned. `accept_data_loss` applies destructive steps after the same
backups as `repair --allow-destructive`. No migration is written and
`_prisma_migrations` is not touched; when the database has that table, the
report warns that history will drift. A missing database (or SQLite file) is
created, and on PostgreSQL the URL's `?schema=` schema, as Prisma's push does.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from schemamend.commands.repair import RepairOptions, RepairPlan, RepairReport, repair
from schemamend.db import DatabaseMissing, DatabaseUrl, connect
from schemamend.migrate.history import History
from schemamend.migrate.project import load_project

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_STOPPED = 2


@dataclass
class PushReport:
    database: str  # redacted URL
    repair: RepairReport
    has_history: bool  # the database has `_prisma_migrations`: pushing makes history drift
    created_database: bool = False
    warnings: list[str] = field(default_factory=list)

    @property
    def plan(self) -> RepairPlan:
        return self.repair.plan

    @property
    def no_changes(self) -> bool:
        return self.plan.is_empty

    @property
    def stopped(self) -> bool:
        """Something could not be applied safely: nothing was applied."""
        return bool(self.plan.held)

    @property
    def applied(self) -> bool:
        return self.repair.applied is not None and not self.repair.applied.failed

    @property
    def backups(self) -> tuple[str, ...]:
        return self.repair.backups

    @property
    def exit_code(self) -> int:
        if not self.repair.ok:
            return EXIT_ERROR
        if self.stopped or self.repair.remaining:
            return EXIT_STOPPED
        return EXIT_OK


def db_push(
    schema: str | None = None,
    *,
    url: str | None = None,
    accept_data_loss: bool = False,
    allow_locking: bool = False,
    cwd: Path | None = None,
    environ: Mapping[str, str] | None = None,
) -> PushReport:
    """Push the schema to the database (see the module docstring)."""
    project = load_project(schema, url=url, cwd=cwd, environ=environ)
    created = _ensure_database(project.url)
    # `create`: on PostgreSQL, the URL's `?schema=` schema is created when missing, as Prisma does
    # on connecting (`CREATE SCHEMA "name"`), before the repair reads the database.
    with connect(project.url, create=True) as conn:
        has_history = History(conn).exists()
    options = RepairOptions(
        allow_destructive=accept_data_loss, allow_locking=allow_locking, prisma_steps=True
    )
    result = repair(
        schema,
        url=url,
        options=options,
        confirm=_nothing_held,
        cwd=cwd,
        environ=environ,
    )
    report = PushReport(project.url.redacted(), _in_push_words(result), has_history, created)
    if has_history and not report.no_changes:
        report.warnings.append(
            "this database has a _prisma_migrations table: a push changes it without a migration, "
            "so history (the migrations folder) no longer builds it. Prefer "
            f"`schemamend migrate dev --create-only --name <name>{_schema_arg(schema)}`, then "
            "`schemamend migrate deploy`."
        )
    return report


_FLAG_WORDS = (("--allow-destructive", "--accept-data-loss"), ("the repair", "the push"))


def _in_push_words(report: RepairReport) -> RepairReport:
    """The plan's reasons name the push's flags, not the repair's."""

    def words(text: str) -> str:
        for old, new in _FLAG_WORDS:
            text = text.replace(old, new)
        return text

    items = tuple(replace(i, reason=words(i.reason)) if i.reason else i for i in report.plan.items)
    return replace(report, plan=replace(report.plan, items=items))


def _nothing_held(plan: RepairPlan) -> bool:
    """A push applies the whole plan or nothing."""
    return not plan.held


def _ensure_database(url: DatabaseUrl) -> bool:
    """Create a missing database (or SQLite file), as Prisma's push does. True if created."""
    try:
        connect(url).close()
        return False
    except DatabaseMissing:
        connect(url, create=True).close()
        return True


def _schema_arg(schema: str | None) -> str:
    return f" --schema {schema}" if schema else ""
