"""`schemamend repair`: bring the live database to the declared schema, safely.

    report = repair("prisma/schema.prisma", options=RepairOptions(dry_run=True))
    for item in report.plan.items:
        print(item.verdict.risk, item.describe(), item.action, item.statements)
    report = repair("prisma/schema.prisma", confirm=lambda plan: ask_someone(plan))

The plan is the diff from the live database to the declared schema (plus
enum values to add), each step judged by `schemamend.safety`: `safe`
steps are applied; `may-fail`, `destructive` and `locking` ones are held
back unless a flag allows them (`allow_destructive` copies everything it
removes into a backup first). Steps that need a held-back step are held
too. Afterwards the database is read again and what remains is reported.
Nothing here prints; the CLI turns the report into text.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from hashlib import sha1
from pathlib import Path

from schemamend.db import Connection, connect
from schemamend.dialects.base import Capabilities, Dialect
from schemamend.dialects.registry import dialect_for
from schemamend.diff import changes as ch
from schemamend.diff.differ import database_namespace, diff_schemas
from schemamend.diff.equivalence import same_type
from schemamend.errors import SchemamendError
from schemamend.migrate.project import load_project
from schemamend.migrate.repair_apply import (
    LOCK_TIMEOUT_S,
    Action,
    ApplyResult,
    PlannedStep,
    RepairFailed,
    apply_plan,
)
from schemamend.model import sql
from schemamend.safety import (
    CheckCode,
    Risk,
    Verdict,
    describe_step,
    enum_value_steps,
    evaluate,
    facts_needed,
    measure,
    plan_checks,
)
from schemamend.safety import steps as rs
from schemamend.safety.steps import PlanStep

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_CHANGES_REMAIN = 2

BACKUP_PREFIX = "_schemamend_backup"


@dataclass(frozen=True)
class RepairOptions:
    dry_run: bool = False
    allow_destructive: bool = False
    allow_locking: bool = False
    # `db push` only: where an enum type loses a value, Prisma's AlterEnum (the type recreated),
    # and where SQLite cannot alter a table in place, Prisma's RedefineTables (the table rebuilt).
    # A repair leaves it off: it never removes enum values and judges columns one by one.
    prisma_steps: bool = False


@dataclass(frozen=True)
class RepairPlan:
    """What the repair would do, decided before anything changes."""

    database: str  # redacted URL
    provider: str
    transactional: bool  # every applied step runs in one transaction
    items: tuple[PlannedStep, ...]
    backup: str | None  # the backup schema (or table prefix) when something is removed
    notes: tuple[str, ...] = ()

    @property
    def to_apply(self) -> tuple[PlannedStep, ...]:
        return tuple(i for i in self.items if i.action.runs)

    @property
    def held(self) -> tuple[PlannedStep, ...]:
        return tuple(i for i in self.items if not i.action.runs)

    @property
    def is_empty(self) -> bool:
        return not self.items

    def risk_counts(self) -> dict[str, int]:
        counts = {risk.value: 0 for risk in Risk}
        for item in self.items:
            counts[item.verdict.risk.value] += 1
        return counts


@dataclass(frozen=True)
class RepairReport:
    plan: RepairPlan
    options: RepairOptions
    applied: ApplyResult | None = None  # None: dry run, cancelled, or nothing to apply
    cancelled: bool = False
    remaining: tuple[str, ...] = ()  # differences left after the repair (or now, on a dry run)
    backups: tuple[str, ...] = ()  # backup tables written, by name

    @property
    def ok(self) -> bool:
        return self.applied is None or not self.applied.failed

    @property
    def exit_code(self) -> int:
        if not self.ok:
            return EXIT_ERROR
        return EXIT_CHANGES_REMAIN if self.remaining else EXIT_OK


Confirm = Callable[[RepairPlan], bool]


class DatabaseChangedSincePlan(RepairFailed):
    code = "SM062"


def repair(
    schema: str | None = None,
    *,
    url: str | None = None,
    options: RepairOptions | None = None,
    confirm: Confirm | None = None,
    cwd: Path | None = None,
    environ: Mapping[str, str] | None = None,
) -> RepairReport:
    """Plan the repair, ask `confirm` (None: go ahead), apply it, and report what remains."""
    from schemamend.psl import load_schema

    options = options or RepairOptions()
    project = load_project(schema, url=url, cwd=cwd, environ=environ)
    datamodel = load_schema(project.schema_path).require()
    dialect = dialect_for(project.provider)
    declared = dialect.calculate(datamodel)
    with connect(project.url) as conn:
        plan = plan_repair(conn, dialect, declared, options)
        if options.dry_run or not plan.to_apply:
            return RepairReport(plan, options, remaining=tuple(i.describe() for i in plan.items))
        if confirm is not None and not confirm(plan):
            return RepairReport(
                plan, options, cancelled=True, remaining=tuple(i.describe() for i in plan.items)
            )
        with conn.migration_lock(timeout_s=LOCK_TIMEOUT_S):
            _check_unchanged(plan, plan_repair(conn, dialect, declared, options))
            applied = apply_plan(conn, dialect, plan.to_apply)
        remaining = remaining_differences(conn, dialect, declared, options.prisma_steps)
    remaining += [
        f"{r.item.describe()}: {r.violations.count if r.violations else '?'} existing row(s) violate it"
        for r in applied.left_not_valid
    ]
    backups = tuple(str(i.step.backup) for i in plan.to_apply if isinstance(i.step, rs.BackupTable))
    return RepairReport(plan, options, applied, remaining=tuple(remaining), backups=backups)


def _check_unchanged(confirmed: RepairPlan, fresh: RepairPlan) -> None:
    """Someone may have changed the database while the plan waited for confirmation."""

    def key(plan: RepairPlan) -> list[tuple[str, str]]:
        return [(i.describe(), i.action.value) for i in plan.items if not _is_backup(i.step)]

    if key(confirmed) != key(fresh):
        raise DatabaseChangedSincePlan(
            "the database changed while the plan waited for confirmation; nothing was applied",
            hint="run the repair again to see the new plan",
        )


def _is_backup(step: PlanStep) -> bool:
    return isinstance(step, rs.BackupTable | rs.CreateBackupNamespace)


# ── planning ─────────────────────────────────────────────────────────────


def live_schema(conn: Connection, declared: sql.Schema) -> sql.Schema:
    from schemamend.introspect import introspect

    # Objects carry a namespace only when the datasource lists `schemas`; read those, else the URL's.
    qualified = {t.namespace for t in declared.tables} | {e.namespace for e in declared.enums}
    namespaces = sorted(n for n in qualified if n is not None) or None
    return introspect(conn, namespaces=namespaces)


def planned_steps(
    live: sql.Schema, declared: sql.Schema, dialect: Dialect, prisma_steps: bool = False
) -> list[PlanStep]:
    """The differ's changes from live to declared, with missing enum values after the new enums.

    `prisma_steps` (`db push`): enum types that lose a value are recreated (`AlterEnum`), tables
    SQLite cannot alter in place are rebuilt (`RedefineTables`); values added to an enum type
    that keeps all of its values stay `AddEnumValue` steps (committed first where a later step
    uses them).
    """
    if not prisma_steps:
        changes: list[PlanStep] = list(diff_schemas(live, declared, dialect.capabilities))
        values: list[PlanStep] = list(enum_value_steps(live, declared))
    else:
        found = diff_schemas(
            live,
            declared,
            dialect.capabilities,
            prisma_steps=True,
            live_namespace=database_namespace(live),
        )
        recreated = {
            (c.previous.namespace, c.previous.name)
            for c in found
            if isinstance(c, ch.AlterEnum) and c.recreates
        }
        changes = [c for c in found if not (isinstance(c, ch.AlterEnum) and not c.recreates)]
        values = [
            s
            for s in enum_value_steps(live, declared)
            if (s.enum.namespace, s.enum.name) not in recreated
        ]
    position = sum(1 for c in changes if isinstance(c, ch.CreateSchema | ch.CreateEnum))
    return changes[:position] + values + changes[position:]


def _without_existing_schemas(conn: Connection, steps: list[PlanStep]) -> list[PlanStep]:
    """Introspection lists only the schemas that hold something: an empty one still exists."""
    wanted = [s.next.name for s in steps if isinstance(s, ch.CreateSchema)]
    if not wanted:
        return steps
    marks = ", ".join(["%s"] * len(wanted))
    rows = conn.query(
        conn.sql(
            f"SELECT schema_name FROM information_schema.schemata WHERE schema_name IN ({marks})"
        ),
        wanted,
    )
    existing = {str(r[0]) for r in rows}
    return [s for s in steps if not (isinstance(s, ch.CreateSchema) and s.next.name in existing)]


def plan_repair(
    conn: Connection, dialect: Dialect, declared: sql.Schema, options: RepairOptions
) -> RepairPlan:
    """Read the live database, diff, measure the facts the checks need, decide each step."""
    live = live_schema(conn, declared)
    steps = _without_existing_schemas(
        conn, planned_steps(live, declared, dialect, options.prisma_steps)
    )
    checks = plan_checks(steps, live)
    facts = measure(
        facts_needed(checks),
        conn.query,
        dialect.quote_identifier,
        live=live,
        qualify_namespaces=dialect.capabilities.namespaces,
    )
    verdicts = evaluate(checks, facts)
    created = {s.next.ref for s in steps if isinstance(s, ch.CreateTable)}
    items = [_rendered(_decide(v, dialect, options, created), dialect) for v in verdicts]
    items = _block_dependents(items)
    items = _use_enum_values_first(items, conn)
    backup = _backup_name() if any(_removes_data(i) for i in items if i.action.runs) else None
    if backup is not None:
        items = _with_backups(items, backup, live, dialect)
    notes = _plan_notes(conn, items)
    return RepairPlan(
        conn.url.redacted(),
        dialect.name,
        conn.transactional_ddl,
        tuple(items),
        backup,
        notes,
    )


def _decide(
    verdict: Verdict,
    dialect: Dialect,
    options: RepairOptions,
    created: set[sql.TableRef],
) -> PlannedStep:
    step = verdict.step
    caps = dialect.capabilities
    if isinstance(step, rs.DropEnumValue):
        return PlannedStep(
            step, verdict, Action.UNSUPPORTED, (), "repair never removes enum values"
        )
    # Prisma's steps (push): rows that make the step fail hold it back, whatever the flags allow.
    if isinstance(step, ch.AlterEnum) and verdict.finding(CheckCode.DROP_ENUM_VALUE) is not None:
        return PlannedStep(
            step,
            verdict,
            Action.HOLD,
            (),
            "held back: rows hold the removed values; change them first",
        )
    if isinstance(step, ch.RedefineTables) and any(
        f.risk is Risk.MAY_FAIL for f in verdict.findings
    ):
        reason = "held back until those rows are fixed (the copy would fail)"
        if verdict.risk is Risk.DESTRUCTIVE and not options.allow_destructive:
            reason += "; it also needs --allow-destructive"
        return PlannedStep(step, verdict, Action.HOLD, (), reason)
    if (
        isinstance(step, ch.AddForeignKey)
        and step.table not in created
        and caps.not_valid_foreign_keys
    ):
        # NOT VALID neither fails on violating rows nor holds a lock while checking them.
        mitigated = {CheckCode.FOREIGN_KEY_VIOLATIONS, CheckCode.KEY_CHECK_LOCKS_TABLE}
        only_orphans = all(f.risk is Risk.SAFE or f.code in mitigated for f in verdict.findings)
        if only_orphans:
            not_valid = rs.AddForeignKeyNotValid(step.table, step.next)
            return PlannedStep(
                not_valid,
                replace(verdict, step=not_valid),
                Action.APPLY_NOT_VALID,
                (),
                "created NOT VALID; validated only if no existing row violates it",
            )
    match verdict.risk:
        case Risk.SAFE if _needs_rebuild_to_add(step, caps):
            return PlannedStep(
                step,
                verdict,
                Action.UNSUPPORTED,
                (),
                f"{dialect.name} cannot add a required column without a default to an existing "
                "table (only a table rebuild can): give it a default, or add it with a migration",
            )
        case Risk.SAFE:
            return PlannedStep(step, verdict, Action.APPLY, ())
        case Risk.LOCKING:
            return _locking(step, verdict, dialect, options)
        case Risk.DESTRUCTIVE if options.allow_destructive:
            return PlannedStep(step, verdict, Action.APPLY, (), "allowed by --allow-destructive")
        case Risk.DESTRUCTIVE:
            return PlannedStep(
                step, verdict, Action.HOLD, (), "held back: needs --allow-destructive"
            )
        case _ if verdict.finding(CheckCode.UNCLASSIFIED) is not None:
            return PlannedStep(
                step, verdict, Action.HOLD, (), "held back: apply it with a migration"
            )
        case _:
            return PlannedStep(
                step, verdict, Action.HOLD, (), "held back until those rows are fixed"
            )


def _needs_rebuild_to_add(step: PlanStep, caps: Capabilities) -> bool:
    if not isinstance(step, ch.AddColumn) or caps.add_required_column_without_default:
        return False
    column = step.next
    return column.is_required and column.default is None and not column.auto_increment


def _locking(
    step: PlanStep, verdict: Verdict, dialect: Dialect, options: RepairOptions
) -> PlannedStep:
    if isinstance(step, ch.CreateIndex) and dialect.capabilities.concurrent_index_builds:
        concurrent = rs.CreateIndexConcurrently(step.table, step.next)
        cleanup = tuple(dialect.render_repair(rs.DropIndexConcurrently(step.table, step.next)))
        return PlannedStep(
            concurrent,
            replace(verdict, step=concurrent),
            Action.AFTER,
            (),
            "built without blocking writes, after the transaction",
            cleanup,
        )
    if options.allow_locking:
        return PlannedStep(step, verdict, Action.APPLY, (), "allowed by --allow-locking")
    return PlannedStep(step, verdict, Action.HOLD, (), "held back: needs --allow-locking")


def _rendered(item: PlannedStep, dialect: Dialect) -> PlannedStep:
    try:
        statements = _render(item.step, dialect)
    except SchemamendError as exc:
        if not item.action.runs:
            return item
        return replace(item, action=Action.UNSUPPORTED, statements=(), reason=exc.message)
    return replace(item, statements=tuple(statements))


def _render(step: PlanStep, dialect: Dialect) -> list[str]:
    """Repair steps and column alterations through the dialect's repair section, the rest as usual."""
    if isinstance(step, rs.RepairRenderable):
        return dialect.render_repair(step)
    statements = dialect.render(step)
    if (
        isinstance(step, ch.AlterEnum)
        and statements[:1] == ["BEGIN"]
        and statements[-1:] == ["COMMIT"]
    ):
        return statements[1:-1]  # the plan's own transaction holds it
    return statements


# ── dependencies: a step that needs a held-back step is held too ──────────────


def _block_dependents(items: list[PlannedStep]) -> list[PlannedStep]:
    """Hold every step whose prerequisite does not run before it (until nothing changes).

    A prerequisite may come later in the plan too: a drop that frees a name, a
    unique index a foreign key needs, an index built after the transaction.
    """
    out = list(items)
    changed = True
    while changed:
        changed = False
        for index, item in enumerate(out):
            if not item.action.runs:
                continue
            blocker = next(
                (
                    o
                    for o in out
                    if o is not item and _unavailable(o, item) and depends_on(item.step, o.step)
                ),
                None,
            )
            if blocker is not None:
                reason = f"needs: {blocker.describe()}"
                if blocker.action.runs:
                    reason += " (built after the transaction: run the repair again afterwards)"
                out[index] = replace(item, action=Action.BLOCKED, reason=reason)
                changed = True
    return out


def _unavailable(prerequisite: PlannedStep, item: PlannedStep) -> bool:
    if not prerequisite.action.runs:
        return True
    return prerequisite.action is Action.AFTER and item.action is not Action.AFTER


def depends_on(step: PlanStep, other: PlanStep) -> bool:
    """Whether `step` cannot run unless `other` does."""
    if isinstance(other, ch.CreateTable) and other.next.ref in _tables_touched(step):
        return True
    if isinstance(other, ch.CreateSchema):
        return any(ref.namespace == other.next.name for ref in _tables_touched(step))
    if isinstance(other, ch.CreateEnum | rs.AddEnumValue):
        enum = other.next if isinstance(other, ch.CreateEnum) else other.enum
        return any(
            c.type.enum == enum.name and c.type.enum_namespace == enum.namespace
            for c in _columns_created(step)
        )
    needed = _columns_needed(step)
    if isinstance(other, ch.AddColumn | ch.AlterColumn):
        return (other.table, other.next.name) in needed
    if isinstance(other, ch.DropPrimaryKey):  # a table has one key: the old one goes first
        return isinstance(step, ch.AddPrimaryKey) and step.table == other.table
    if isinstance(other, ch.AddPrimaryKey):  # a foreign key needs the key it references
        fk = _foreign_key(step)
        return (
            fk is not None
            and fk.referenced_table == other.table
            and set(fk.referenced_columns) == {c.name for c in other.next.columns}
        )
    if isinstance(other, ch.DropForeignKey) and isinstance(step, ch.DropPrimaryKey):
        # PostgreSQL refuses to drop a key a foreign key depends on.
        return other.previous.referenced_table == step.table
    if isinstance(other, ch.CreateIndex) and other.next.kind is sql.IndexKind.UNIQUE:
        fk = _foreign_key(step)
        return (
            fk is not None
            and fk.referenced_table == other.table
            and set(fk.referenced_columns) == {c.name for c in other.next.columns}
        )
    if isinstance(other, ch.DropIndex) and isinstance(
        step, ch.CreateIndex | rs.CreateIndexConcurrently
    ):
        return other.previous.name == step.next.name
    if isinstance(other, ch.DropForeignKey):
        fk = _foreign_key(step)
        if fk is not None and fk.name == other.previous.name and other.table == _fk_table(step):
            return True
        if isinstance(step, ch.DropTable | ch.DropColumn):
            return other.previous.referenced_table in _tables_touched(step)
    if isinstance(step, ch.DropEnum) and isinstance(
        other, ch.DropColumn | ch.DropTable | ch.AlterColumn
    ):
        return any(c.type.enum == step.previous.name for c in _columns_removed(other))
    return False


def _tables_touched(step: PlanStep) -> set[sql.TableRef]:
    match step:
        case ch.CreateTable(next=table):
            return {fk.referenced_table for fk in table.foreign_keys} - {table.ref}
        case ch.DropTable(previous=table):
            return {table.ref}
        case ch.AddForeignKey(table=ref, next=fk) | rs.AddForeignKeyNotValid(table=ref, next=fk):
            return {ref, fk.referenced_table}
        case (
            ch.AddColumn(table=ref)
            | ch.DropColumn(table=ref)
            | ch.AlterColumn(table=ref)
            | ch.CreateIndex(table=ref)
            | rs.CreateIndexConcurrently(table=ref)
            | ch.DropIndex(table=ref)
            | ch.DropForeignKey(table=ref)
            | ch.DropPrimaryKey(table=ref)
            | ch.AddPrimaryKey(table=ref)
            | ch.RenamePrimaryKey(table=ref)
        ):
            return {ref}
        case rs.BackupTable(source=source):
            return {source}
    return set()


def _columns_created(step: PlanStep) -> tuple[sql.Column, ...]:
    match step:
        case ch.CreateTable(next=table):
            return table.columns
        case ch.AddColumn(next=column) | ch.AlterColumn(next=column):
            return (column,)
    return ()


def _columns_removed(step: PlanStep) -> tuple[sql.Column, ...]:
    match step:
        case ch.DropTable(previous=table):
            return table.columns
        case ch.DropColumn(previous=column) | ch.AlterColumn(previous=column):
            return (column,)
    return ()


def _columns_needed(step: PlanStep) -> set[tuple[sql.TableRef, str]]:
    match step:
        case (
            ch.CreateIndex(table=ref, next=index)
            | rs.CreateIndexConcurrently(table=ref, next=index)
        ):
            return {(ref, c.name) for c in index.columns if not c.expression}
        case ch.AddForeignKey(table=ref, next=fk) | rs.AddForeignKeyNotValid(table=ref, next=fk):
            return {(ref, c) for c in fk.columns} | {
                (fk.referenced_table, c) for c in fk.referenced_columns
            }
        case ch.CreateTable(next=table):
            return {
                (fk.referenced_table, c) for fk in table.foreign_keys for c in fk.referenced_columns
            }
        case ch.AddPrimaryKey(table=ref, next=key):
            return {(ref, c.name) for c in key.columns}
    return set()


def _foreign_key(step: PlanStep) -> sql.ForeignKey | None:
    match step:
        case ch.AddForeignKey(next=fk) | rs.AddForeignKeyNotValid(next=fk):
            return fk
    return None


def _fk_table(step: PlanStep) -> sql.TableRef | None:
    match step:
        case ch.AddForeignKey(table=ref) | rs.AddForeignKeyNotValid(table=ref):
            return ref
    return None


# ── enum values a transaction would use ────────────────────────────────────


def _use_enum_values_first(items: list[PlannedStep], conn: Connection) -> list[PlannedStep]:
    """PostgreSQL cannot use an enum value added in the same transaction (nor add one in a
    transaction block before version 12): such values are committed first."""
    in_transaction = _enum_values_allowed_in_transaction(conn, items)
    out: list[PlannedStep] = []
    for item in items:
        step = item.step
        if isinstance(step, rs.AddEnumValue) and item.action is Action.APPLY:
            used = any(
                o.action.runs and _uses_enum_value(o.step, step.enum, step.value) for o in items
            )
            if used or not in_transaction:
                why = (
                    "used by a later step"
                    if used
                    else "this server cannot add it inside a transaction"
                )
                item = replace(item, action=Action.BEFORE, reason=f"committed first: {why}")
        out.append(item)
    return out


def _enum_values_allowed_in_transaction(conn: Connection, items: list[PlannedStep]) -> bool:
    if not any(isinstance(i.step, rs.AddEnumValue) for i in items):
        return True
    try:
        major = int(conn.server_version().split(".")[0])
    except (ValueError, IndexError):
        return True
    return major >= 12


def _uses_enum_value(step: PlanStep, enum: sql.EnumType, value: str) -> bool:
    for column in _columns_created(step):
        if column.type.enum != enum.name or column.default is None:
            continue
        literals = [column.default.literal, *column.default.items]
        if any(lit is not None and lit.text == value for lit in literals):
            return True
    return False


# ── backups ─────────────────────────────────────────────────────────────


def _removes_data(item: PlannedStep) -> bool:
    step = item.step
    if isinstance(step, ch.DropTable | ch.DropColumn):
        return True
    if isinstance(step, ch.RedefineTables):
        return any(f.code is CheckCode.REDEFINE_DROPS_VALUES for f in item.verdict.findings)
    return isinstance(step, ch.AlterColumn) and any(
        f.code is CheckCode.CHANGE_TYPE for f in item.verdict.findings
    )


def _backup_name() -> str:
    return f"{BACKUP_PREFIX}_{datetime.now(UTC):%Y%m%d%H%M%S}"


def _with_backups(
    items: list[PlannedStep], backup: str, live: sql.Schema, dialect: Dialect
) -> list[PlannedStep]:
    """Copies of everything the applied steps remove, first in the plan."""
    copies: list[rs.PlanStep] = []
    if dialect.capabilities.namespaces:
        copies.append(rs.CreateBackupNamespace(backup))
    for item in items:
        if not item.action.runs or not _removes_data(item):
            continue
        if isinstance(item.step, ch.RedefineTables):
            copies += _rebuild_backups(item.step, backup, live, dialect)
            continue
        copies.append(_backup_step(item.step, backup, live, dialect))
    planned = [_backup_item(step, dialect) for step in copies]
    return planned + items


def _backup_item(step: rs.PlanStep, dialect: Dialect) -> PlannedStep:
    verdict = evaluate(plan_checks([step]), {})[0]
    item = PlannedStep(step, verdict, Action.APPLY, (), "backup of what the repair removes")
    return _rendered(item, dialect)


def _backup_step(step: PlanStep, backup: str, live: sql.Schema, dialect: Dialect) -> rs.BackupTable:
    match step:
        case ch.DropTable(previous=table):
            return rs.BackupTable(table.ref, _backup_ref(backup, table.ref, None, dialect))
        case ch.DropColumn(table=ref, previous=column) | ch.AlterColumn(table=ref, previous=column):
            owner = live.table(ref)
            key = [c.name for c in owner.primary_key.columns] if owner and owner.primary_key else []
            columns = [c.name for c in owner.columns] if owner and not key else key
            if column.name not in columns:
                columns.append(column.name)
            return rs.BackupTable(
                ref, _backup_ref(backup, ref, column.name, dialect), tuple(columns)
            )
    raise AssertionError(f"nothing to back up for {describe_step(step)}")  # pragma: no cover


def _rebuild_backups(
    step: ch.RedefineTables, backup: str, live: sql.Schema, dialect: Dialect
) -> list[rs.BackupTable]:
    """Per rebuilt table, the columns the rebuild drops or retypes, with the table's key."""
    copies: list[rs.BackupTable] = []
    for previous, new in step.tables:
        lost = [
            c.name
            for c in previous.columns
            if (kept := new.column(c.name)) is None
            or not same_type(c.type, kept.type)
            or c.is_list != kept.is_list
        ]
        if not lost:
            continue
        owner = live.table(previous.ref) or previous
        key = [c.name for c in owner.primary_key.columns] if owner.primary_key else []
        columns = (
            key + [c for c in lost if c not in key] if key else [c.name for c in owner.columns]
        )
        column = lost[0] if len(lost) == 1 else None
        copies.append(
            rs.BackupTable(
                previous.ref, _backup_ref(backup, previous.ref, column, dialect), tuple(columns)
            )
        )
    return copies


def _backup_ref(
    backup: str, ref: sql.TableRef, column: str | None, dialect: Dialect
) -> sql.TableRef:
    caps = dialect.capabilities
    base = ref.name if ref.namespace is None else f"{ref.namespace}__{ref.name}"
    name = f"{base}__{column}" if column else base
    if caps.namespaces:
        return sql.TableRef(backup, _fit(name, caps.max_identifier_length))
    return sql.TableRef(None, _fit(f"{backup}_{name}", caps.max_identifier_length))


def _fit(name: str, limit: int) -> str:
    if len(name) <= limit:
        return name
    digest = sha1(name.encode()).hexdigest()[:8]
    return f"{name[: limit - 9]}_{digest}"


# ── notes and what remains ──────────────────────────────────────────────────


def _plan_notes(conn: Connection, items: Sequence[PlannedStep]) -> tuple[str, ...]:
    notes: list[str] = []
    if not conn.transactional_ddl and any(i.action.runs for i in items):
        notes.append(
            "This database commits every DDL statement on its own: the steps run one by one, and if "
            "one fails, the report lists exactly which ran before it."
        )
    return tuple(notes)


def remaining_differences(
    conn: Connection, dialect: Dialect, declared: sql.Schema, prisma_steps: bool = False
) -> list[str]:
    """What still differs between the live database and the declared schema."""
    live = live_schema(conn, declared)
    steps = _without_existing_schemas(conn, planned_steps(live, declared, dialect, prisma_steps))
    return [describe_step(s) for s in steps]
