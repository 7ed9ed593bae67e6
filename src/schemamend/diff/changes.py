"""Typed schema changes: what a migration does, as data.

Each change names the object it creates (`next`), removes (`previous`) or
alters (both). Renderers turn changes into SQL per dialect; safety checks judge
changes, never SQL text. `STEP` is the step's name as Prisma Migrate prints it
in the comment above each statement ("-- CreateTable").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from schemamend.model.sql import (
    Column,
    EnumType,
    Extension,
    ForeignKey,
    Index,
    Namespace,
    PrimaryKey,
    Table,
    TableRef,
)


@dataclass(frozen=True, slots=True)
class CreateSchema:
    STEP: ClassVar[str] = "CreateSchema"
    next: Namespace


@dataclass(frozen=True, slots=True)
class CreateExtension:
    STEP: ClassVar[str] = "CreateExtension"
    next: Extension


@dataclass(frozen=True, slots=True)
class CreateEnum:
    STEP: ClassVar[str] = "CreateEnum"
    next: EnumType


@dataclass(frozen=True, slots=True)
class EnumColumn:
    """A column of an altered enum type (its table's address, and the column as declared there)."""

    table: TableRef
    column: Column


@dataclass(frozen=True, slots=True)
class AlterEnum:
    """The values of an existing enum type change (PostgreSQL: one `-- AlterEnum` step).

    Only added values: `ALTER TYPE ... ADD VALUE` each. Any value removed: the
    type is recreated as `<name>_new` with `next`'s values, the columns are
    converted through text, the old type is dropped; defaults of those columns
    are dropped first (`dropped_defaults`, previous tables) and set again
    after (`restored_defaults`, next columns). Prisma's order and addresses.
    """

    STEP: ClassVar[str] = "AlterEnum"
    previous: EnumType
    next: EnumType
    dropped_defaults: tuple[EnumColumn, ...] = ()
    converted: tuple[EnumColumn, ...] = ()
    restored_defaults: tuple[EnumColumn, ...] = ()
    # Where an unqualified `previous` lives when read from a database (Prisma names it in DROP TYPE).
    live_namespace: str | None = None

    @property
    def added(self) -> tuple[str, ...]:
        return tuple(v for v in self.next.values if v not in self.previous.values)

    @property
    def removed(self) -> tuple[str, ...]:
        return tuple(v for v in self.previous.values if v not in self.next.values)

    @property
    def recreates(self) -> bool:
        return bool(self.removed)


@dataclass(frozen=True, slots=True)
class DropEnum:
    STEP: ClassVar[str] = "DropEnum"
    previous: EnumType


@dataclass(frozen=True, slots=True)
class CreateTable:
    STEP: ClassVar[str] = "CreateTable"
    next: Table


@dataclass(frozen=True, slots=True)
class DropTable:
    STEP: ClassVar[str] = "DropTable"
    previous: Table


@dataclass(frozen=True, slots=True)
class RedefineTables:
    """Tables rebuilt to their next definition, rows copied (SQLite: one `-- RedefineTables` step).

    SQLite cannot alter or drop a column, nor add or drop a foreign key or a
    primary key, in place. The rebuild also recreates the table's indexes, so
    index and column changes of these tables have no step of their own.
    """

    STEP: ClassVar[str] = "RedefineTables"
    tables: tuple[tuple[Table, Table], ...]  # (previous, next), in the previous schema's order


@dataclass(frozen=True, slots=True)
class AddColumn:
    STEP: ClassVar[str] = "AlterTable"
    table: TableRef
    next: Column


@dataclass(frozen=True, slots=True)
class DropColumn:
    STEP: ClassVar[str] = "AlterTable"
    table: TableRef
    previous: Column


@dataclass(frozen=True, slots=True)
class AlterColumn:
    STEP: ClassVar[str] = "AlterTable"
    table: TableRef
    previous: Column
    next: Column
    # The column belongs to the previous table's primary key (a type change touches the key too).
    in_primary_key: bool = False


@dataclass(frozen=True, slots=True)
class DropPrimaryKey:
    """The table's primary key constraint is dropped (PostgreSQL: `DROP CONSTRAINT "T_pkey"`,
    in the table's ALTER TABLE before its column changes)."""

    STEP: ClassVar[str] = "AlterTable"
    table: TableRef
    previous: PrimaryKey


@dataclass(frozen=True, slots=True)
class AddPrimaryKey:
    """A primary key constraint is added (PostgreSQL: `ADD CONSTRAINT "T_pkey" PRIMARY KEY (...)`,
    in the table's ALTER TABLE after its column changes). With a `DropPrimaryKey` of the same
    table, the key is re-created: Prisma does so when its columns, their order or their types
    change."""

    STEP: ClassVar[str] = "AlterTable"
    table: TableRef
    next: PrimaryKey


@dataclass(frozen=True, slots=True)
class RenamePrimaryKey:
    """Only the primary key constraint's name changes (`RENAME CONSTRAINT`)."""

    STEP: ClassVar[str] = "AlterTable"
    table: TableRef
    previous: PrimaryKey
    next: PrimaryKey


@dataclass(frozen=True, slots=True)
class CreateIndex:
    STEP: ClassVar[str] = "CreateIndex"
    table: TableRef
    next: Index


@dataclass(frozen=True, slots=True)
class DropIndex:
    STEP: ClassVar[str] = "DropIndex"
    table: TableRef
    previous: Index


@dataclass(frozen=True, slots=True)
class AddForeignKey:
    STEP: ClassVar[str] = "AddForeignKey"
    table: TableRef
    next: ForeignKey


@dataclass(frozen=True, slots=True)
class DropForeignKey:
    STEP: ClassVar[str] = "DropForeignKey"
    table: TableRef
    previous: ForeignKey


Change = (
    CreateSchema
    | CreateExtension
    | CreateEnum
    | AlterEnum
    | DropEnum
    | CreateTable
    | DropTable
    | RedefineTables
    | AddColumn
    | DropColumn
    | AlterColumn
    | DropPrimaryKey
    | AddPrimaryKey
    | RenamePrimaryKey
    | CreateIndex
    | DropIndex
    | AddForeignKey
    | DropForeignKey
)


def describe(change: Change) -> str:
    """One readable line per change (for test failures and logs)."""
    match change:
        case CreateSchema(next=ns):
            return f"create schema {ns.name}"
        case CreateExtension(next=extension):
            return f"create extension {extension.name}"
        case CreateEnum(next=enum):
            return f"create enum {enum.name} ({', '.join(enum.values)})"
        case AlterEnum(next=enum):
            parts = [f"add {', '.join(change.added)}"] if change.added else []
            parts += [f"remove {', '.join(change.removed)}"] if change.removed else []
            return f"alter enum {enum.name} ({'; '.join(parts)})"
        case DropEnum(previous=enum):
            return f"drop enum {enum.name}"
        case CreateTable(next=table):
            return f"create table {table.ref}"
        case DropTable(previous=table):
            return f"drop table {table.ref}"
        case RedefineTables(tables=pairs):
            return f"redefine table{'s' if len(pairs) > 1 else ''} {', '.join(str(t.ref) for t, _ in pairs)}"
        case AddColumn(table=ref, next=column):
            return f"add column {ref}.{column.name}"
        case DropColumn(table=ref, previous=column):
            return f"drop column {ref}.{column.name}"
        case AlterColumn(table=ref, next=column):
            return f"alter column {ref}.{column.name}"
        case DropPrimaryKey(table=ref, previous=key):
            return f"drop primary key {key.name or ''} on {ref}".replace("  ", " ")
        case AddPrimaryKey(table=ref, next=key):
            columns = ", ".join(c.name for c in key.columns)
            return f"add primary key {key.name or ''} on {ref} ({columns})".replace("  ", " ")
        case RenamePrimaryKey(table=ref, previous=old, next=new):
            return f"rename primary key {old.name} to {new.name} on {ref}"
        case CreateIndex(table=ref, next=index):
            return f"create {index.kind.value} index {index.name} on {ref}"
        case DropIndex(table=ref, previous=index):
            return f"drop index {index.name} on {ref}"
        case AddForeignKey(table=ref, next=fk):
            return f"add foreign key {fk.name} on {ref} -> {fk.referenced_table}"
        case DropForeignKey(table=ref, previous=fk):
            return f"drop foreign key {fk.name} on {ref}"
