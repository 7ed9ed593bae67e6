"""Repair steps: statements a repair needs beyond the differ's changes.

The differ's changes (`schemamend.diff.changes`) say what a migration does;
a repair also adds enum values in place, creates foreign keys without
checking existing rows first (`NOT VALID`), validates them later, builds
indexes without blocking writes, and copies what it removes into a backup.
Each is typed data that the dialect renders (`Dialect.render_repair`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from schemamend.diff.changes import AlterColumn, Change
from schemamend.model.sql import EnumType, ForeignKey, Index, Schema, TableRef


@dataclass(frozen=True, slots=True)
class AddEnumValue:
    """`ALTER TYPE ... ADD VALUE`: never a rebuild of the type and its columns."""

    STEP: ClassVar[str] = "AlterEnum"
    enum: EnumType  # the live type
    value: str
    after: str | None = None  # keep the declared order: add right after this value
    before: str | None = None


@dataclass(frozen=True, slots=True)
class DropEnumValue:
    STEP: ClassVar[str] = "AlterEnum"
    enum: EnumType
    value: str


@dataclass(frozen=True, slots=True)
class AddForeignKeyNotValid:
    """The constraint guards new writes at once; existing rows are checked by `ValidateForeignKey`."""

    STEP: ClassVar[str] = "AddForeignKey"
    table: TableRef
    next: ForeignKey


@dataclass(frozen=True, slots=True)
class ValidateForeignKey:
    STEP: ClassVar[str] = "ValidateForeignKey"
    table: TableRef
    next: ForeignKey


@dataclass(frozen=True, slots=True)
class CreateIndexConcurrently:
    """An index build that does not block writes; runs outside any transaction."""

    STEP: ClassVar[str] = "CreateIndex"
    table: TableRef
    next: Index


@dataclass(frozen=True, slots=True)
class DropIndexConcurrently:
    """Cleans up after a failed concurrent build (it leaves an invalid index behind)."""

    STEP: ClassVar[str] = "DropIndex"
    table: TableRef
    previous: Index


@dataclass(frozen=True, slots=True)
class CreateBackupNamespace:
    STEP: ClassVar[str] = "Backup"
    name: str


@dataclass(frozen=True, slots=True)
class BackupTable:
    """A copy of `columns` (every column when empty) of `source` into the new table `backup`."""

    STEP: ClassVar[str] = "Backup"
    source: TableRef
    backup: TableRef
    columns: tuple[str, ...] = ()


RepairStep = (
    AddEnumValue
    | DropEnumValue
    | AddForeignKeyNotValid
    | ValidateForeignKey
    | CreateIndexConcurrently
    | DropIndexConcurrently
    | CreateBackupNamespace
    | BackupTable
)

#: Everything a repair plan holds: the differ's changes and the repair's own steps.
PlanStep = Change | RepairStep

#: What `Dialect.render_repair` renders: repair steps, and column alterations.
RepairRenderable = RepairStep | AlterColumn


def describe_step(step: PlanStep) -> str:
    """One readable line per step (plans, logs and test failures)."""
    from schemamend.diff.changes import describe

    match step:
        case AddEnumValue(enum=enum, value=value):
            return f"add value {value} to enum {enum.name}"
        case DropEnumValue(enum=enum, value=value):
            return f"drop value {value} from enum {enum.name}"
        case AddForeignKeyNotValid(table=ref, next=fk):
            return f"add foreign key {fk.name} on {ref} -> {fk.referenced_table} (NOT VALID)"
        case ValidateForeignKey(table=ref, next=fk):
            return f"validate foreign key {fk.name} on {ref}"
        case CreateIndexConcurrently(table=ref, next=index):
            return f"create {index.kind.value} index {index.name} on {ref} concurrently"
        case DropIndexConcurrently(table=ref, previous=index):
            return f"drop index {index.name} on {ref} concurrently"
        case CreateBackupNamespace(name=name):
            return f"create backup schema {name}"
        case BackupTable(source=source, backup=backup, columns=columns):
            what = f"columns {', '.join(columns)} of " if columns else ""
            return f"copy {what}{source} into {backup}"
        case _:
            return describe(step)


def enum_value_steps(live: Schema, declared: Schema) -> list[AddEnumValue | DropEnumValue]:
    """Values to add to (or that the schema no longer has in) enum types that exist on both sides.

    The differ matches enum types by name only; a repair also fills in missing values.
    """
    steps: list[AddEnumValue | DropEnumValue] = []
    for wanted in declared.enums:
        current = live.enum(wanted.name, wanted.namespace)
        if current is None:
            continue
        present = list(current.values)
        for position, value in enumerate(wanted.values):
            if value in present:
                continue
            after = wanted.values[position - 1] if position > 0 else None
            before = present[0] if after is None and present else None
            steps.append(AddEnumValue(current, value, after=after, before=before))
            present.append(value)
        steps += [DropEnumValue(current, v) for v in current.values if v not in wanted.values]
    return steps
