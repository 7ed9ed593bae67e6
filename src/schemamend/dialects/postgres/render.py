"""Changes → PostgreSQL statements, in Prisma Migrate's layout."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

from schemamend.dialects.base import UnsupportedChangeError as UnsupportedChangeError
from schemamend.dialects.literals import sql_datetime
from schemamend.dialects.postgres.quoting import quote_identifier as quote_identifier
from schemamend.dialects.postgres.quoting import quote_string as quote_string
from schemamend.dialects.postgres.type_changes import Cast, column_change
from schemamend.diff import changes as ch
from schemamend.diff.equivalence import same_default, same_type
from schemamend.model import sql

if TYPE_CHECKING:  # repair steps (see the repair section at the end)
    from schemamend.safety.steps import AddEnumValue, BackupTable, RepairRenderable

INDENT = "    "

ACTIONS = {
    sql.ReferentialAction.CASCADE: "CASCADE",
    sql.ReferentialAction.RESTRICT: "RESTRICT",
    sql.ReferentialAction.NO_ACTION: "NO ACTION",
    sql.ReferentialAction.SET_NULL: "SET NULL",
    sql.ReferentialAction.SET_DEFAULT: "SET DEFAULT",
}

SERIAL_TYPES = {"INTEGER": "SERIAL", "BIGINT": "BIGSERIAL", "SMALLINT": "SMALLSERIAL"}


def qualified(namespace: str | None, name: str) -> str:
    if namespace is None:
        return quote_identifier(name)
    return f"{quote_identifier(namespace)}.{quote_identifier(name)}"


def table_name(ref: sql.TableRef) -> str:
    return qualified(ref.namespace, ref.name)


# ── types and defaults ─────────────────────────────────────────────────────────


def base_type(column_type: sql.ColumnType) -> str:
    if column_type.enum is not None:
        return qualified(column_type.enum_namespace, column_type.enum)
    if column_type.args:
        return f"{column_type.name}({','.join(column_type.args)})"
    return column_type.name


def column_type(column: sql.Column) -> str:
    if column.auto_increment and column.type.name in SERIAL_TYPES and not column.type.args:
        return SERIAL_TYPES[column.type.name]
    rendered = base_type(column.type)
    return f"{rendered}[]" if column.is_list else rendered


def literal(value: sql.Literal) -> str:
    match value.kind:
        case sql.LiteralKind.NUMBER | sql.LiteralKind.BOOLEAN:
            return value.text
        case sql.LiteralKind.BYTES:
            return quote_string("\\x" + value.text)
        case sql.LiteralKind.DATETIME:
            return quote_string(sql_datetime(value.text))
        case _:
            return quote_string(value.text)


def default_expression(column: sql.Column) -> str | None:
    default = column.default
    if default is None or column.auto_increment:
        return None
    match default.kind:
        case sql.DefaultKind.NOW:
            return "CURRENT_TIMESTAMP"
        case sql.DefaultKind.EXPRESSION:
            return default.expression
        case sql.DefaultKind.LIST:
            array_type = f"{base_type(column.type)}[]"
            return f"ARRAY[{', '.join(literal(v) for v in default.items)}]::{array_type}"
        case _:
            return literal(default.literal) if default.literal else None


def column_definition(column: sql.Column) -> str:
    return quote_identifier(column.name) + _column_tail(
        column.type, column.arity, column.default, column.auto_increment
    )


@lru_cache(maxsize=4096)
def _column_tail(
    type_: sql.ColumnType,
    arity: sql.ColumnArity,
    default: sql.ColumnDefault | None,
    auto_increment: bool,
) -> str:
    """Everything after the column's name; big schemas repeat a few of these thousands of times."""
    column = sql.Column("", type_, arity, default, auto_increment)
    tail = " " + column_type(column)
    if arity is sql.ColumnArity.REQUIRED:
        tail += " NOT NULL"
    expression = default_expression(column)
    if expression is not None:
        tail += f" DEFAULT {expression}"
    return tail


# ── statements ───────────────────────────────────────────────────────────────


def create_table(table: sql.Table) -> str:
    body = ",\n".join([INDENT + column_definition(c) for c in table.columns])
    key = table.primary_key
    if key is not None:
        columns = ",".join(quote_identifier(c.name) for c in key.columns)
        constraint = f"CONSTRAINT {quote_identifier(key.name)} " if key.name else ""
        body += f",\n\n{INDENT}{constraint}PRIMARY KEY ({columns})"
    return f"CREATE TABLE {table_name(table.ref)} (\n{body}\n)"


def index_column(column: sql.IndexColumn) -> str:
    out = quote_identifier(column.name)
    if column.operator_class:
        out += f" {column.operator_class}"
    if column.sort is not None:
        out += f" {column.sort.value.upper()}"
    return out


def create_index(ref: sql.TableRef, index: sql.Index) -> str:
    unique = "UNIQUE " if index.kind is sql.IndexKind.UNIQUE else ""
    columns = ", ".join(index_column(c) for c in index.columns)
    using = f" USING {index.algorithm} " if index.algorithm else ""
    where = f" WHERE ({index.predicate})" if index.predicate else ""
    name = quote_identifier(index.name)
    return f"CREATE {unique}INDEX {name} ON {table_name(ref)}{using}({columns}){where}"


def foreign_key_clause(fk: sql.ForeignKey) -> str:
    columns = ", ".join(quote_identifier(c) for c in fk.columns)
    referenced = ", ".join(quote_identifier(c) for c in fk.referenced_columns)
    return (
        f"FOREIGN KEY ({columns}) REFERENCES {table_name(fk.referenced_table)}({referenced})"
        f" ON DELETE {ACTIONS[fk.on_delete]} ON UPDATE {ACTIONS[fk.on_update]}"
    )


def add_foreign_key(ref: sql.TableRef, fk: sql.ForeignKey) -> str:
    name = quote_identifier(fk.name or "")
    return f"ALTER TABLE {table_name(ref)} ADD CONSTRAINT {name} {foreign_key_clause(fk)}"


def create_extension(extension: sql.Extension) -> str:
    out = f"CREATE EXTENSION IF NOT EXISTS {quote_identifier(extension.name)}"
    if extension.schema:
        out += f" WITH SCHEMA {quote_identifier(extension.schema)}"
    if extension.version:
        out += f" VERSION {quote_identifier(extension.version)}"
    return out


def create_enum(enum: sql.EnumType) -> str:
    values = ", ".join(quote_string(v) for v in enum.values)
    return f"CREATE TYPE {qualified(enum.namespace, enum.name)} AS ENUM ({values})"


def render(change: ch.Change) -> list[str]:
    """The statements (without `;`) of one change."""
    # The changes a big schema has thousands of, before trying every pattern below.
    if isinstance(change, ch.CreateTable):
        return [create_table(change.next)]
    if isinstance(change, ch.CreateIndex):
        return [create_index(change.table, change.next)]
    if isinstance(change, ch.AddForeignKey):
        return [add_foreign_key(change.table, change.next)]
    match change:
        case ch.CreateSchema(next=namespace):
            return [f"CREATE SCHEMA IF NOT EXISTS {quote_identifier(namespace.name)}"]
        case ch.CreateExtension(next=extension):
            return [create_extension(extension)]
        case ch.CreateEnum(next=enum):
            return [create_enum(enum)]
        case ch.AlterEnum():
            return alter_enum(change)
        case ch.DropEnum(previous=enum):
            return [f"DROP TYPE {qualified(enum.namespace, enum.name)}"]
        case ch.CreateTable(next=table):
            return [create_table(table)]
        case ch.DropTable(previous=table):
            return [f"DROP TABLE {table_name(table.ref)}"]
        case ch.AddColumn(table=ref, next=column):
            return [f"ALTER TABLE {table_name(ref)} ADD COLUMN     {column_definition(column)}"]
        case ch.DropColumn(table=ref, previous=column):
            return [f"ALTER TABLE {table_name(ref)} DROP COLUMN {quote_identifier(column.name)}"]
        case ch.CreateIndex(table=ref, next=index):
            return [create_index(ref, index)]
        case ch.DropIndex(table=ref, previous=index):
            return [f"DROP INDEX {qualified(ref.namespace, index.name)}"]
        case ch.AddForeignKey(table=ref, next=fk):
            return [add_foreign_key(ref, fk)]
        case ch.DropForeignKey(table=ref, previous=fk):
            return [
                f"ALTER TABLE {table_name(ref)} DROP CONSTRAINT {quote_identifier(fk.name or '')}"
            ]
        case ch.AlterColumn() | ch.DropPrimaryKey() | ch.AddPrimaryKey():
            return render_alter_table([change])
        case ch.RenamePrimaryKey(table=ref, previous=old, next=new):
            return [
                f"ALTER TABLE {table_name(ref)} RENAME CONSTRAINT {quote_identifier(old.name or '')} "
                f"TO {quote_identifier(new.name or '')}"
            ]
        case _:
            raise UnsupportedChangeError(f"PostgreSQL: cannot render {ch.describe(change)} yet")


# ── altered enums: values added in place, or the type recreated ──────────────

MANY_ENUM_VALUES_NOTE = (
    "-- This migration adds more than one value to an enum.\n"
    "-- With PostgreSQL versions 11 and earlier, this is not possible\n"
    "-- in a single migration. This can be worked around by creating\n"
    "-- multiple migrations, each migration adding only one value to\n"
    "-- the enum.\n\n\n"
)


def alter_enum(change: ch.AlterEnum) -> list[str]:
    """Prisma's AlterEnum: `ADD VALUE` per added value, or, when a value goes, the type recreated
    in one transaction (the old type is dropped under the namespace it was read from)."""
    enum = change.next
    if not change.recreates:
        name = qualified(enum.namespace, enum.name)
        added = [f"ALTER TYPE {name} ADD VALUE {quote_string(v)}" for v in change.added]
        if len(added) > 1:  # Prisma's note rides on the first statement (SQL comments)
            added[0] = MANY_ENUM_VALUES_NOTE + added[0]
        return added
    new_name = qualified(enum.namespace, f"{enum.name}_new")
    statements = [
        "BEGIN",
        create_enum(sql.EnumType(f"{enum.name}_new", enum.values, enum.namespace)),
    ]
    statements += [
        f"ALTER TABLE {table_name(use.table)} ALTER COLUMN {quote_identifier(use.column.name)} DROP DEFAULT"
        for use in change.dropped_defaults
    ]
    for use in change.converted:
        column = quote_identifier(use.column.name)
        target = f"{new_name}[]" if use.column.is_list else new_name
        statements.append(
            f"ALTER TABLE {table_name(use.table)} ALTER COLUMN {column} TYPE {target} USING ({column}::text::{target})"
        )
    statements += [
        f"ALTER TYPE {qualified(enum.namespace, enum.name)} RENAME TO {quote_identifier(enum.name + '_old')}",
        f"ALTER TYPE {new_name} RENAME TO {quote_identifier(enum.name)}",
        f"DROP TYPE {qualified(change.previous.namespace or change.live_namespace, enum.name + '_old')}",
    ]
    statements += [
        f"ALTER TABLE {table_name(use.table)} ALTER COLUMN {quote_identifier(use.column.name)} "
        f"SET DEFAULT {default_expression(use.column)}"
        for use in change.restored_defaults
    ]
    return [*statements, "COMMIT"]


# ── altered tables: Prisma's one ALTER TABLE per table ─────────────────────────

_NUMERIC = frozenset(
    {sql.TypeFamily.INT, sql.TypeFamily.BIGINT, sql.TypeFamily.FLOAT, sql.TypeFamily.DECIMAL}
)


AlterTableChange = (
    ch.AddColumn | ch.DropColumn | ch.AlterColumn | ch.DropPrimaryKey | ch.AddPrimaryKey
)


def render_alter_table(changes: Sequence[AlterTableChange]) -> list[str]:
    """Column changes of one table as one statement, a clause per line (Prisma's layout), between
    the primary key dropped and added again when its columns or their types change; then the
    sequences of widened autoincrement columns widened too."""
    clauses = [clause for change in changes for clause in _column_clauses(change)]
    statements = [f"ALTER TABLE {table_name(changes[0].table)} " + ",\n".join(clauses)]
    for change in changes:
        if isinstance(change, ch.AlterColumn):
            statements += widened_sequence(change.table, change.previous, change.next)
    return statements


_INTEGER_WIDTHS = {"SMALLINT": 2, "INTEGER": 4, "BIGINT": 8}
_NAME_BYTES = 63  # PostgreSQL's longest identifier


def widened_sequence(ref: sql.TableRef, old: sql.Column, new: sql.Column) -> list[str]:
    """`ALTER SEQUENCE ... AS <type>` when an autoincrement column gets a wider integer type.

    A serial column's sequence has the column's type and stops at its largest value; the column
    widened alone would still run out of numbers there. (Prisma writes `SET DATA TYPE BIGSERIAL`,
    which PostgreSQL rejects, and nothing for the sequence.) The sequence is named as
    PostgreSQL names a serial column's: `<table>_<column>_seq`, cut to 63 bytes.
    """
    if not (old.auto_increment and new.auto_increment) or old.is_list or new.is_list:
        return []
    before = _INTEGER_WIDTHS.get(old.type.name.upper())
    after = _INTEGER_WIDTHS.get(new.type.name.upper())
    if before is None or after is None or after <= before or old.type.args or new.type.args:
        return []
    sequence = qualified(ref.namespace, serial_sequence_name(ref.name, new.name))
    return [f"ALTER SEQUENCE {sequence} AS {new.type.name.upper()}"]


def serial_sequence_name(table: str, column: str) -> str:
    """PostgreSQL's name for a serial column's sequence (`makeObjectName`): the longer of the two
    names is shortened, a byte at a time, until `<table>_<column>_seq` fits in 63 bytes."""
    a, b = table.encode(), column.encode()
    room = _NAME_BYTES - len("_") - len("_seq")
    keep_a, keep_b = len(a), len(b)
    while keep_a + keep_b > room:
        if keep_a > keep_b:
            keep_a -= 1
        else:
            keep_b -= 1
    return f"{_clip(a, keep_a)}_{_clip(b, keep_b)}_seq"


def _clip(name: bytes, length: int) -> str:
    """The first `length` bytes, without splitting a character."""
    return name[:length].decode("utf-8", errors="ignore")


def _column_clauses(change: AlterTableChange) -> list[str]:
    match change:
        case ch.DropPrimaryKey(previous=key):
            return [f"DROP CONSTRAINT {quote_identifier(key.name or '')}"]
        case ch.AddPrimaryKey(next=key):
            columns = ", ".join(quote_identifier(c.name) for c in key.columns)
            constraint = f"CONSTRAINT {quote_identifier(key.name)} " if key.name else ""
            return [f"ADD {constraint}PRIMARY KEY ({columns})"]
        case ch.AddColumn(next=column):
            return [f"ADD COLUMN     {column_definition(column)}"]
        case ch.DropColumn(previous=column):
            return [f"DROP COLUMN {quote_identifier(column.name)}"]
        case ch.AlterColumn(previous=old, next=new):
            return _alter_clauses(change, old, new)


def _alter_clauses(change: ch.AlterColumn, old: sql.Column, new: sql.Column) -> list[str]:
    """Nullability, then default, then type: the order Prisma writes them in."""
    if old.auto_increment != new.auto_increment or old.generated != new.generated:
        raise UnsupportedChangeError(
            f"PostgreSQL: cannot render {ch.describe(change)} (identity or generation) yet"
        )
    if recreates_column(change):
        # No cast: Prisma drops the column and adds it again, with its new definition.
        return [
            f"DROP COLUMN {quote_identifier(old.name)}",
            f"ADD COLUMN     {column_definition(new)}",
        ]
    column = f"ALTER COLUMN {quote_identifier(new.name)}"
    clauses: list[str] = []
    if new.is_required and not old.is_required:
        clauses.append(f"{column} SET NOT NULL")
    elif old.is_required and not new.is_required:
        clauses.append(f"{column} DROP NOT NULL")
    if not same_default(old.default, new.default):
        default = default_expression(new)
        clauses.append(f"{column} SET DEFAULT {default}" if default else f"{column} DROP DEFAULT")
    if not same_type(old.type, new.type) or old.is_list != new.is_list:
        # A column of the primary key: the differ drops and adds the key around this statement.
        # An identity column keeps its sequence: its type alone, where Prisma writes the serial
        # pseudo-type (`SET DATA TYPE BIGSERIAL`), which PostgreSQL rejects.
        if column_change(old, new) is None and not _castable(old, new):
            raise UnsupportedChangeError(
                f"PostgreSQL: cannot render {ch.describe(change)} from {column_type(old)} to {column_type(new)} "
                "yet (Prisma drops and recreates such a column)"
            )
        clauses.append(f"{column} SET DATA TYPE {_data_type(new)}")
    return clauses


def recreates_column(change: ch.AlterColumn) -> bool:
    """Whether Prisma drops and re-adds the column (its type has no cast) rather than altering it.
    An identity column is never recreated here (see `_alter_clauses`); a column of the primary
    key is, between the key dropped and added again."""
    old, new = change.previous, change.next
    if new.auto_increment or old.auto_increment:
        return False
    if same_type(old.type, new.type) and old.is_list == new.is_list:
        return False
    return column_change(old, new) is Cast.RECREATE


def _data_type(column: sql.Column) -> str:
    """The type alone: an identity column keeps its sequence, so never SERIAL here."""
    rendered = base_type(column.type)
    return f"{rendered}[]" if column.is_list else rendered


def _castable(old: sql.Column, new: sql.Column) -> bool:
    """Type changes PostgreSQL casts in place; others Prisma writes as drop + add (not done here)."""
    a, b = old.type, new.type
    if old.is_list != new.is_list or sql.TypeFamily.ENUM in (a.family, b.family):
        return False
    if a.name == b.name or b.family is sql.TypeFamily.STRING:
        return True
    return (
        a.family in _NUMERIC and b.family in _NUMERIC
    ) or a.family is b.family is sql.TypeFamily.DATETIME


# ── repair statements (schemamend repair; see schemamend.safety.steps) ─────────


def _alter_column(ref: sql.TableRef, old: sql.Column, new: sql.Column) -> list[str]:
    column = quote_identifier(new.name)
    actions: list[str] = []
    if old.type != new.type or old.is_list != new.is_list:
        rendered = f"{base_type(new.type)}[]" if new.is_list else base_type(new.type)
        actions.append(
            f"ALTER COLUMN {column} SET DATA TYPE {rendered} USING ({column}::{rendered})"
        )
    if new.is_required and not old.is_required:
        actions.append(f"ALTER COLUMN {column} SET NOT NULL")
    elif old.is_required and not new.is_required:
        actions.append(f"ALTER COLUMN {column} DROP NOT NULL")
    if old.default != new.default:
        default = default_expression(new)
        actions.append(
            f"ALTER COLUMN {column} SET DEFAULT {default}"
            if default
            else f"ALTER COLUMN {column} DROP DEFAULT"
        )
    if not actions:
        return []
    return [
        f"ALTER TABLE {table_name(ref)} " + ",\n".join(actions),
        *widened_sequence(ref, old, new),
    ]


def _enum_value(step: AddEnumValue) -> str:
    text = f"ALTER TYPE {qualified(step.enum.namespace, step.enum.name)} ADD VALUE {quote_string(step.value)}"
    if step.after is not None:
        return f"{text} AFTER {quote_string(step.after)}"
    if step.before is not None:
        return f"{text} BEFORE {quote_string(step.before)}"
    return text


def _create_index_concurrently(ref: sql.TableRef, index: sql.Index) -> str:
    unique = "UNIQUE " if index.kind is sql.IndexKind.UNIQUE else ""
    columns = ", ".join(index_column(c) for c in index.columns)
    using = f" USING {index.algorithm} " if index.algorithm else ""
    return (
        f"CREATE {unique}INDEX CONCURRENTLY {quote_identifier(index.name)} "
        f"ON {table_name(ref)}{using}({columns})"
    )


def _backup_table(step: BackupTable) -> str:
    columns = ", ".join(quote_identifier(c) for c in step.columns) if step.columns else "*"
    return (
        f"CREATE TABLE {table_name(step.backup)} AS SELECT {columns} FROM {table_name(step.source)}"
    )


def render_repair(step: RepairRenderable) -> list[str]:
    """The statements of a repair step (or of a column alteration)."""
    from schemamend.safety import steps as rs

    match step:
        case ch.AlterColumn(table=ref, previous=old, next=new):
            return _alter_column(ref, old, new)
        case rs.AddEnumValue():
            return [_enum_value(step)]
        case rs.AddForeignKeyNotValid(table=ref, next=fk):
            return [add_foreign_key(ref, fk) + " NOT VALID"]
        case rs.ValidateForeignKey(table=ref, next=fk):
            return [
                f"ALTER TABLE {table_name(ref)} VALIDATE CONSTRAINT {quote_identifier(fk.name or '')}"
            ]
        case rs.CreateIndexConcurrently(table=ref, next=index):
            return [_create_index_concurrently(ref, index)]
        case rs.DropIndexConcurrently(table=ref, previous=index):
            return [f"DROP INDEX CONCURRENTLY IF EXISTS {qualified(ref.namespace, index.name)}"]
        case rs.CreateBackupNamespace(name=name):
            return [f"CREATE SCHEMA {quote_identifier(name)}"]
        case rs.BackupTable():
            return [_backup_table(step)]
    raise UnsupportedChangeError(f"PostgreSQL: cannot {rs.describe_step(step)}")
