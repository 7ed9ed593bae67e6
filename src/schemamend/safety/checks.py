"""Checks as data: what each planned step risks, decided without touching the database.

`plan_checks(steps)` is pure: it looks at typed steps only (never at SQL
text) and says, per step, which risk it carries unconditionally and which
it carries only if a fact about the live data turns out true (the table
has rows, a column holds NULLs, values repeat, rows reference missing
parents). `schemamend.safety.facts` measures those facts; `verdict`
combines both into the words a user reads.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from schemamend.diff import changes as ch
from schemamend.diff.equivalence import same_type
from schemamend.model import sql
from schemamend.safety import steps as rs
from schemamend.safety.steps import PlanStep

#: Above this many rows, building an index or validating a table holds a lock long enough to matter.
LOCKING_ROWS = 100_000


class Risk(StrEnum):
    SAFE = "safe"
    LOCKING = "locking"
    MAY_FAIL = "may-fail"
    DESTRUCTIVE = "destructive"

    @property
    def severity(self) -> int:
        return _SEVERITY[self]


_SEVERITY = {Risk.SAFE: 0, Risk.LOCKING: 1, Risk.MAY_FAIL: 2, Risk.DESTRUCTIVE: 3}


class CheckCode(StrEnum):
    """Stable codes: JSON output and tests rely on them; never renumber, only add."""

    # safe
    CREATE_SCHEMA = "create-schema"
    CREATE_EXTENSION = "create-extension"
    CREATE_ENUM = "create-enum"
    ADD_ENUM_VALUE = "add-enum-value"
    CREATE_TABLE = "create-table"
    ADD_COLUMN = "add-column"
    CREATE_INDEX = "create-index"
    ADD_FOREIGN_KEY = "add-foreign-key"
    DROP_NOT_NULL = "drop-not-null"
    CHANGE_DEFAULT = "change-default"
    WIDEN_TYPE = "widen-type"
    BACKUP = "backup"
    REDEFINE_TABLE = "redefine-table"
    ADD_PRIMARY_KEY = "add-primary-key"
    RECREATE_PRIMARY_KEY = "recreate-primary-key"
    RENAME_PRIMARY_KEY = "rename-primary-key"
    RECREATE_FOREIGN_KEY = "recreate-foreign-key"
    # may-fail
    UNCLASSIFIED = "unclassified"
    NOT_NULL_COLUMN_ON_ROWS = "not-null-column-on-rows"
    SET_NOT_NULL_OVER_NULLS = "set-not-null-over-nulls"
    UNIQUE_OVER_DUPLICATES = "unique-over-duplicates"
    FOREIGN_KEY_VIOLATIONS = "foreign-key-violations"
    REDEFINE_OVER_NULLS = "redefine-over-nulls"
    # locking
    INDEX_BUILD_LOCKS_TABLE = "index-build-locks-table"
    REWRITE_LOCKS_TABLE = "rewrite-locks-table"
    KEY_CHECK_LOCKS_TABLE = "key-check-locks-table"
    # destructive
    DROP_TABLE = "drop-table"
    DROP_COLUMN = "drop-column"
    DROP_ENUM = "drop-enum"
    DROP_ENUM_VALUE = "drop-enum-value"
    CHANGE_TYPE = "change-type"
    DROP_INDEX = "drop-index"
    DROP_FOREIGN_KEY = "drop-foreign-key"
    REDEFINE_DROPS_VALUES = "redefine-drops-values"
    DROP_PRIMARY_KEY = "drop-primary-key"


# ── facts: questions about live data ─────────────────────────────────────────


@dataclass(frozen=True, slots=True)
class RowCount:
    table: sql.TableRef


@dataclass(frozen=True, slots=True)
class NullCount:
    """Rows whose `column` is NULL; examples are their primary keys."""

    table: sql.TableRef
    column: str
    key: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class NonNullCount:
    table: sql.TableRef
    column: str


@dataclass(frozen=True, slots=True)
class DuplicateCount:
    """Rows that share their values of `columns` with another row (NULLs never collide)."""

    table: sql.TableRef
    columns: tuple[str, ...]
    predicate: str | None = None


@dataclass(frozen=True, slots=True)
class OrphanCount:
    """Rows of `table` whose foreign-key columns point at no row of the referenced table.

    `parent_exists` is False when the referenced table is created by this
    plan: then every row with its key columns set is an orphan.
    """

    table: sql.TableRef
    foreign_key: sql.ForeignKey
    parent_exists: bool


@dataclass(frozen=True, slots=True)
class EnumValueCount:
    """Rows whose enum `column` holds one of `values` (a list column: any of them)."""

    table: sql.TableRef
    column: str
    values: tuple[str, ...]
    is_list: bool = False


Fact = RowCount | NullCount | NonNullCount | DuplicateCount | OrphanCount | EnumValueCount


class Condition(StrEnum):
    ALWAYS = "always"  # the risk holds whatever the data
    POSITIVE = "positive"  # the risk holds when the fact counts at least one row
    SEVERAL = "several"  # the risk holds when the fact counts more than one row
    LARGE = "large"  # the risk holds when the fact counts more than LOCKING_ROWS rows


@dataclass(frozen=True, slots=True)
class Check:
    """One risk a step may carry, and the fact that decides whether it does."""

    step: PlanStep
    code: CheckCode
    risk: Risk
    condition: Condition = Condition.ALWAYS
    fact: Fact | None = None  # measured for wording or for the condition


# ── the pure planner ───────────────────────────────────────────────────────


def plan_checks(steps: list[PlanStep], live: sql.Schema | None = None) -> list[Check]:
    """Every check the steps need, in step order. No I/O.

    `live` (the introspected schema, already in hand) tells which tables
    exist and their primary keys (for example keys); without it, any table
    that the steps do not create is taken to exist.
    """
    context = _Context(
        created={s.next.ref for s in steps if isinstance(s, ch.CreateTable)},
        added={(s.table, s.next.name): s.next for s in steps if isinstance(s, ch.AddColumn)},
        live=live,
        dropped_keys={s.table: s.previous for s in steps if isinstance(s, ch.DropPrimaryKey)},
        added_keys={s.table for s in steps if isinstance(s, ch.AddPrimaryKey)},
        added_foreign_keys={(s.table, s.next) for s in steps if isinstance(s, ch.AddForeignKey)},
    )
    checks: list[Check] = []
    for step in steps:
        checks += _checks_for(step, context)
    return checks


@dataclass(frozen=True)
class _Context:
    """What the whole plan creates: facts about those objects need no query."""

    created: set[sql.TableRef]  # tables the plan creates (they hold no rows)
    added: dict[tuple[sql.TableRef, str], sql.Column]  # columns the plan adds to existing tables
    live: sql.Schema | None
    dropped_keys: dict[sql.TableRef, sql.PrimaryKey] = field(default_factory=dict)
    added_keys: set[sql.TableRef] = field(default_factory=set)
    added_foreign_keys: set[tuple[sql.TableRef, sql.ForeignKey]] = field(default_factory=set)

    def added_columns(self, ref: sql.TableRef, names: Sequence[str]) -> list[sql.Column]:
        return [self.added[(ref, n)] for n in names if (ref, n) in self.added]


def _checks_for(step: PlanStep, context: _Context) -> list[Check]:
    match step:
        case ch.CreateSchema():
            return [Check(step, CheckCode.CREATE_SCHEMA, Risk.SAFE)]
        case ch.CreateExtension():
            return [Check(step, CheckCode.CREATE_EXTENSION, Risk.SAFE)]
        case ch.CreateEnum():
            return [Check(step, CheckCode.CREATE_ENUM, Risk.SAFE)]
        case rs.AddEnumValue():
            return [Check(step, CheckCode.ADD_ENUM_VALUE, Risk.SAFE)]
        case ch.AlterEnum():
            return _alter_enum(step, context)
        case ch.RedefineTables():
            return _redefine_tables(step, context)
        case ch.CreateTable():
            return [Check(step, CheckCode.CREATE_TABLE, Risk.SAFE)]
        case rs.CreateBackupNamespace() | rs.BackupTable():
            return [Check(step, CheckCode.BACKUP, Risk.SAFE)]
        case ch.AddColumn(table=ref, next=column):
            return _add_column(step, ref, column)
        case ch.AlterColumn(table=ref, previous=old, next=new):
            return _alter_column(step, ref, old, new, context.live)
        case (
            ch.CreateIndex(table=ref, next=index)
            | rs.CreateIndexConcurrently(table=ref, next=index)
        ):
            return _create_index(step, ref, index, context)
        case ch.AddForeignKey(table=ref, next=fk) | rs.AddForeignKeyNotValid(table=ref, next=fk):
            return _add_foreign_key(step, ref, fk, context)
        case rs.ValidateForeignKey(table=ref, next=fk):
            orphans = OrphanCount(ref, fk, parent_exists=True)
            return [
                Check(
                    step,
                    CheckCode.FOREIGN_KEY_VIOLATIONS,
                    Risk.MAY_FAIL,
                    Condition.POSITIVE,
                    orphans,
                )
            ]
        case ch.DropTable(previous=table):
            return [Check(step, CheckCode.DROP_TABLE, Risk.DESTRUCTIVE, fact=RowCount(table.ref))]
        case ch.DropColumn(table=ref, previous=column):
            values = NonNullCount(ref, column.name)
            return [Check(step, CheckCode.DROP_COLUMN, Risk.DESTRUCTIVE, fact=values)]
        case ch.DropEnum():
            return [Check(step, CheckCode.DROP_ENUM, Risk.DESTRUCTIVE)]
        case rs.DropEnumValue():
            return [Check(step, CheckCode.DROP_ENUM_VALUE, Risk.DESTRUCTIVE)]
        case ch.DropIndex() | rs.DropIndexConcurrently():
            return [Check(step, CheckCode.DROP_INDEX, Risk.DESTRUCTIVE)]
        case ch.DropForeignKey(table=ref, previous=fk):
            if (ref, fk) in context.added_foreign_keys:
                # Dropped to be added again unchanged (around a key or column type change).
                return [Check(step, CheckCode.RECREATE_FOREIGN_KEY, Risk.SAFE)]
            return [Check(step, CheckCode.DROP_FOREIGN_KEY, Risk.DESTRUCTIVE)]
        case ch.DropPrimaryKey(table=ref):
            if ref in context.added_keys:
                return [Check(step, CheckCode.RECREATE_PRIMARY_KEY, Risk.SAFE)]
            return [Check(step, CheckCode.DROP_PRIMARY_KEY, Risk.DESTRUCTIVE)]
        case ch.AddPrimaryKey(table=ref, next=key):
            return _add_primary_key(step, ref, key, context)
        case ch.RenamePrimaryKey():
            return [Check(step, CheckCode.RENAME_PRIMARY_KEY, Risk.SAFE)]
    # A step kind this classifier does not know yet: never applied unasked.
    return [Check(step, CheckCode.UNCLASSIFIED, Risk.MAY_FAIL)]


def _alter_enum(step: ch.AlterEnum, context: _Context) -> list[Check]:
    """Added values alone are safe. A removed value loses what rows hold it (the conversion of
    each column through text fails on them), and converting a column rewrites its table."""
    if not step.recreates:
        return [Check(step, CheckCode.ADD_ENUM_VALUE, Risk.SAFE)]
    checks: list[Check] = []
    rewritten: list[sql.TableRef] = []
    for use in step.converted:
        if use.table in context.created:
            continue
        fact = EnumValueCount(use.table, use.column.name, step.removed, use.column.is_list)
        checks.append(
            Check(step, CheckCode.DROP_ENUM_VALUE, Risk.DESTRUCTIVE, Condition.POSITIVE, fact)
        )
        if use.table not in rewritten:
            rewritten.append(use.table)
    checks += [
        Check(step, CheckCode.REWRITE_LOCKS_TABLE, Risk.LOCKING, Condition.LARGE, RowCount(ref))
        for ref in rewritten
    ]
    return checks or [Check(step, CheckCode.ADD_ENUM_VALUE, Risk.SAFE)]


def _redefine_tables(step: ch.RedefineTables, context: _Context) -> list[Check]:
    """Each rebuilt table: copied whole (locking when large); what the copy cannot keep or fill."""
    checks: list[Check] = []
    for previous, new in step.tables:
        ref = previous.ref
        checks.append(Check(step, CheckCode.REDEFINE_TABLE, Risk.SAFE))
        for old in previous.columns:
            column = new.column(old.name)
            if (
                column is None
                or not same_type(old.type, column.type)
                or old.is_list != column.is_list
            ):
                values = NonNullCount(ref, old.name)
                checks.append(
                    Check(step, CheckCode.REDEFINE_DROPS_VALUES, Risk.DESTRUCTIVE, fact=values)
                )
            elif column.is_required and not old.is_required and column.default is None:
                fact: Fact = NullCount(ref, column.name, _key_of(ref, context.live))
                checks.append(
                    Check(
                        step, CheckCode.REDEFINE_OVER_NULLS, Risk.MAY_FAIL, Condition.POSITIVE, fact
                    )
                )
        for column in new.columns:
            fills_itself = column.default is not None or column.auto_increment or column.generated
            if previous.column(column.name) is None and column.is_required and not fills_itself:
                checks.append(
                    Check(
                        step,
                        CheckCode.REDEFINE_OVER_NULLS,
                        Risk.MAY_FAIL,
                        Condition.POSITIVE,
                        RowCount(ref),
                    )
                )
        checks.append(
            Check(step, CheckCode.REWRITE_LOCKS_TABLE, Risk.LOCKING, Condition.LARGE, RowCount(ref))
        )
    return checks


def _add_column(step: PlanStep, ref: sql.TableRef, column: sql.Column) -> list[Check]:
    checks = [Check(step, CheckCode.ADD_COLUMN, Risk.SAFE)]
    fills_itself = column.default is not None or column.auto_increment or column.generated
    if column.is_required and not fills_itself:
        checks.append(
            Check(
                step,
                CheckCode.NOT_NULL_COLUMN_ON_ROWS,
                Risk.MAY_FAIL,
                Condition.POSITIVE,
                RowCount(ref),
            )
        )
    return checks


def _alter_column(
    step: PlanStep, ref: sql.TableRef, old: sql.Column, new: sql.Column, live: sql.Schema | None
) -> list[Check]:
    checks: list[Check] = []
    if old.type != new.type and old.is_list == new.is_list and widens(old.type, new.type):
        checks.append(Check(step, CheckCode.WIDEN_TYPE, Risk.SAFE))
        checks.append(
            Check(step, CheckCode.REWRITE_LOCKS_TABLE, Risk.LOCKING, Condition.LARGE, RowCount(ref))
        )
    elif (
        old.type != new.type
        or old.is_list != new.is_list
        or old.auto_increment != new.auto_increment
    ):
        checks.append(
            Check(step, CheckCode.CHANGE_TYPE, Risk.DESTRUCTIVE, fact=NonNullCount(ref, old.name))
        )
    if new.is_required and not old.is_required:
        fact = NullCount(ref, new.name, _key_of(ref, live))
        checks.append(
            Check(step, CheckCode.SET_NOT_NULL_OVER_NULLS, Risk.MAY_FAIL, Condition.POSITIVE, fact)
        )
    elif old.is_required and not new.is_required:
        checks.append(Check(step, CheckCode.DROP_NOT_NULL, Risk.SAFE))
    if old.default != new.default:
        checks.append(Check(step, CheckCode.CHANGE_DEFAULT, Risk.SAFE))
    return checks


_WIDER_INTEGERS = {
    ("INT", "BIGINT"),
    ("INTEGER", "BIGINT"),
    ("SMALLINT", "INTEGER"),
    ("SMALLINT", "INT"),
}


def widens(old: sql.ColumnType, new: sql.ColumnType) -> bool:
    """Whether every value of `old` fits `new` unchanged (a longer string, a bigger integer,
    more digits, an inline enum with more values)."""
    if (old.name.upper(), new.name.upper()) in _WIDER_INTEGERS:
        return not old.args and not new.args
    if old.family != new.family or old.name != new.name or old.enum != new.enum:
        return False
    if old.family is sql.TypeFamily.ENUM:
        return old.enum is None and _is_subsequence(old.args, new.args)
    if len(old.args) == len(new.args) == 1 and old.family is sql.TypeFamily.STRING:
        return _number(new.args[0]) >= _number(old.args[0])
    if len(old.args) == len(new.args) == 2 and old.family is sql.TypeFamily.DECIMAL:
        precision_grows = _number(new.args[0]) - _number(old.args[0])
        return old.args[1] == new.args[1] and precision_grows >= 0
    return False


def _is_subsequence(part: tuple[str, ...], whole: tuple[str, ...]) -> bool:
    remaining = iter(whole)
    return all(value in remaining for value in part)


def _number(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        return -1


def _create_index(
    step: PlanStep, ref: sql.TableRef, index: sql.Index, context: _Context
) -> list[Check]:
    checks = [Check(step, CheckCode.CREATE_INDEX, Risk.SAFE)]
    if ref in context.created:
        return checks
    measurable = not any(c.expression for c in index.columns)
    if index.kind is sql.IndexKind.UNIQUE and measurable:
        checks += _duplicate_checks(step, ref, index, context)
    checks.append(
        Check(step, CheckCode.INDEX_BUILD_LOCKS_TABLE, Risk.LOCKING, Condition.LARGE, RowCount(ref))
    )
    return checks


def _add_primary_key(
    step: PlanStep, ref: sql.TableRef, key: sql.PrimaryKey, context: _Context
) -> list[Check]:
    """Like a unique index: its values must not repeat (unless the key only gets its columns'
    new types: they were unique before; the type change itself is judged on its own), and
    building it blocks writes to a large table."""
    checks = [Check(step, CheckCode.ADD_PRIMARY_KEY, Risk.SAFE)]
    if ref in context.created:
        return checks
    columns = tuple(c.name for c in key.columns)
    before = context.dropped_keys.get(ref)
    if before is None or tuple(c.name for c in before.columns) != columns:
        index = sql.Index(key.name or "", sql.IndexKind.UNIQUE, key.columns)
        checks += _duplicate_checks(step, ref, index, context)
    checks.append(
        Check(step, CheckCode.INDEX_BUILD_LOCKS_TABLE, Risk.LOCKING, Condition.LARGE, RowCount(ref))
    )
    return checks


def _duplicate_checks(
    step: PlanStep, ref: sql.TableRef, index: sql.Index, context: _Context
) -> list[Check]:
    columns = tuple(c.name for c in index.columns)
    added = context.added_columns(ref, columns)
    if not added:
        fact: Fact = DuplicateCount(ref, columns, index.predicate)
        return [
            Check(step, CheckCode.UNIQUE_OVER_DUPLICATES, Risk.MAY_FAIL, Condition.POSITIVE, fact)
        ]
    if any(c.default is None for c in added):
        return []  # a new column starts NULL in every row, and NULLs never collide
    # New columns hold one default value in every row: rows collide where the other columns do.
    existing = tuple(c for c in columns if c not in {a.name for a in added})
    if existing:
        fact = DuplicateCount(ref, existing, index.predicate)
        return [
            Check(step, CheckCode.UNIQUE_OVER_DUPLICATES, Risk.MAY_FAIL, Condition.POSITIVE, fact)
        ]
    return [
        Check(
            step, CheckCode.UNIQUE_OVER_DUPLICATES, Risk.MAY_FAIL, Condition.SEVERAL, RowCount(ref)
        )
    ]


def _add_foreign_key(
    step: PlanStep, ref: sql.TableRef, fk: sql.ForeignKey, context: _Context
) -> list[Check]:
    checks = [Check(step, CheckCode.ADD_FOREIGN_KEY, Risk.SAFE)]
    if ref in context.created:
        return checks  # a new table holds no rows
    added = context.added_columns(ref, fk.columns)
    if added and any(c.default is None for c in added):
        return checks  # a new key column starts NULL in every row: nothing to violate
    if added:
        # Every row gets the default: each row with a value violates the key unless a parent has it.
        fact: Fact = RowCount(ref)
    else:
        parent_ready = fk.referenced_table not in context.created and not context.added_columns(
            fk.referenced_table, fk.referenced_columns
        )
        fact = OrphanCount(ref, fk, parent_exists=parent_ready)
    checks.append(
        Check(step, CheckCode.FOREIGN_KEY_VIOLATIONS, Risk.MAY_FAIL, Condition.POSITIVE, fact)
    )
    checks.append(
        Check(step, CheckCode.KEY_CHECK_LOCKS_TABLE, Risk.LOCKING, Condition.LARGE, RowCount(ref))
    )
    return checks


def _key_of(ref: sql.TableRef, live: sql.Schema | None) -> tuple[str, ...]:
    table = live.table(ref) if live is not None else None
    if table is None or table.primary_key is None:
        return ()
    return tuple(c.name for c in table.primary_key.columns if not c.expression)
