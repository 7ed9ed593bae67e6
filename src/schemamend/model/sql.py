"""The SQL-level schema: namespaces, tables, columns, keys, indexes, foreign keys.

This is the neutral model both sides of every comparison use: a dialect
*calculates* it from the declared datamodel, introspection *describes* it from
a live database. Types and default expressions are data (the database's own
type names), never dialect code. Frozen dataclasses, standard library only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class ColumnArity(StrEnum):
    REQUIRED = "required"  # NOT NULL
    NULLABLE = "nullable"
    LIST = "list"  # an array column (nullable, as Prisma declares scalar lists)


class TypeFamily(StrEnum):
    """What a column holds, independent of how the database spells it."""

    STRING = "string"
    INT = "int"
    BIGINT = "bigint"
    FLOAT = "float"
    DECIMAL = "decimal"
    BOOLEAN = "boolean"
    DATETIME = "datetime"
    JSON = "json"
    BYTES = "bytes"
    ENUM = "enum"
    UNSUPPORTED = "unsupported"


@dataclass(frozen=True, slots=True)
class ColumnType:
    """A column type as the database names it.

    `name` is the database's type name without arguments ("TEXT", "VARCHAR",
    "TIMESTAMP"), or the raw text of an unsupported type. `args` are its
    arguments as text: ("3",) for TIMESTAMP(3), ("10", "2") for DECIMAL(10,2);
    for an inline enum type (MySQL) they are the allowed values.
    `enum` names the schema's EnumType for columns of a named enum type.
    """

    family: TypeFamily
    name: str
    args: tuple[str, ...] = ()
    enum: str | None = None
    enum_namespace: str | None = None


class DefaultKind(StrEnum):
    VALUE = "value"  # one literal (`literal`)
    LIST = "list"  # an array literal (`items`)
    NOW = "now"  # the current timestamp
    EXPRESSION = "expression"  # raw SQL (`expression`), e.g. dbgenerated("gen_random_uuid()")


class LiteralKind(StrEnum):
    STRING = "string"  # text: the unescaped value
    NUMBER = "number"  # text: as written ("1.50", "-3")
    BOOLEAN = "boolean"  # text: "true" / "false"
    ENUM = "enum"  # text: the value's database name
    JSON = "json"  # text: the JSON document
    BYTES = "bytes"  # text: lower-case hex of the bytes
    DATETIME = "datetime"  # text: ISO 8601 as written in the schema


@dataclass(frozen=True, slots=True)
class Literal:
    """A literal value: its kind and its text (see LiteralKind for how each kind is written)."""

    kind: LiteralKind
    text: str


@dataclass(frozen=True, slots=True)
class ColumnDefault:
    """A column's default: a literal, an array literal, the current timestamp or raw SQL."""

    kind: DefaultKind
    literal: Literal | None = None
    items: tuple[Literal, ...] = ()
    expression: str | None = None
    constraint_name: str | None = None


@dataclass(frozen=True, slots=True)
class Column:
    """One column: name, type, arity (NOT NULL, nullable or array) and default."""

    name: str
    type: ColumnType
    arity: ColumnArity
    default: ColumnDefault | None = None
    auto_increment: bool = False
    # A stored generated column's expression, as the database prints it (introspection only).
    generated: str | None = None

    @property
    def is_required(self) -> bool:
        return self.arity is ColumnArity.REQUIRED

    @property
    def is_list(self) -> bool:
        return self.arity is ColumnArity.LIST


class SortOrder(StrEnum):
    ASC = "asc"
    DESC = "desc"


@dataclass(frozen=True, slots=True)
class IndexColumn:
    """One part of an index or primary key: a column (or an expression) and its options."""

    name: str
    sort: SortOrder | None = None  # None: not specified (the database default, ascending)
    length: int | None = None  # prefix length (MySQL)
    operator_class: str | None = None  # PostgreSQL operator class, as the database spells it
    expression: bool = False  # `name` is an expression's text, not a column (expression indexes)


class IndexKind(StrEnum):
    NORMAL = "normal"
    UNIQUE = "unique"
    FULLTEXT = "fulltext"


@dataclass(frozen=True, slots=True)
class PrimaryKey:
    """A table's primary key: its constraint name and its columns, in order."""

    name: str | None  # None where the database does not name primary keys (SQLite)
    columns: tuple[IndexColumn, ...]


@dataclass(frozen=True, slots=True)
class Index:
    """An index (a unique constraint is an index of kind UNIQUE), with its columns in order."""

    name: str
    kind: IndexKind
    columns: tuple[IndexColumn, ...]
    algorithm: str | None = None  # "HASH", "GIN", ... None: the database default
    predicate: str | None = None  # the WHERE of a partial index, as the database prints it


class ReferentialAction(StrEnum):
    NO_ACTION = "no action"
    RESTRICT = "restrict"
    CASCADE = "cascade"
    SET_NULL = "set null"
    SET_DEFAULT = "set default"


@dataclass(frozen=True, slots=True)
class TableRef:
    """A table's address: namespace (None: the connection's default) and name."""

    namespace: str | None
    name: str

    def __str__(self) -> str:
        return f"{self.namespace}.{self.name}" if self.namespace else self.name


@dataclass(frozen=True, slots=True)
class ForeignKey:
    """A foreign key: its columns, the table and columns they reference, and its actions."""

    name: str | None  # None where the database leaves it unnamed
    columns: tuple[str, ...]
    referenced_table: TableRef
    referenced_columns: tuple[str, ...]
    on_delete: ReferentialAction
    on_update: ReferentialAction
    deferrable: bool = False
    initially_deferred: bool = False


@dataclass(frozen=True, slots=True)
class Table:
    """A table with its columns, primary key, indexes and foreign keys."""

    name: str
    columns: tuple[Column, ...]
    primary_key: PrimaryKey | None = None
    indexes: tuple[Index, ...] = ()
    foreign_keys: tuple[ForeignKey, ...] = ()
    namespace: str | None = None
    # Rows in the live table (an estimate on servers that keep one); never part of equality.
    row_estimate: int | None = field(default=None, compare=False)

    @property
    def ref(self) -> TableRef:
        return TableRef(self.namespace, self.name)

    def column(self, name: str) -> Column | None:
        for column in self.columns:
            if column.name == name:
                return column
        return None


@dataclass(frozen=True, slots=True)
class EnumType:
    """A named enum type (PostgreSQL CREATE TYPE ... AS ENUM) and its values, in order."""

    name: str
    values: tuple[str, ...]
    namespace: str | None = None


@dataclass(frozen=True, slots=True)
class View:
    """A view, with its definition as the database prints it (None where it is not read)."""

    name: str
    definition: str | None = None
    namespace: str | None = None


@dataclass(frozen=True, slots=True)
class Namespace:
    """A namespace (PostgreSQL schema) the schema declares or the database holds."""

    name: str


@dataclass(frozen=True, slots=True)
class Extension:
    """A database extension (PostgreSQL CREATE EXTENSION)."""

    name: str
    schema: str | None = None
    version: str | None = None


@dataclass(frozen=True, slots=True)
class Schema:
    """Everything one database holds that migrations manage."""

    namespaces: tuple[Namespace, ...] = ()
    extensions: tuple[Extension, ...] = ()
    enums: tuple[EnumType, ...] = ()
    tables: tuple[Table, ...] = ()
    views: tuple[View, ...] = ()
    _tables_by_ref: dict[TableRef, Table] = field(default_factory=dict, compare=False, repr=False)

    def table(self, ref: TableRef) -> Table | None:
        if not self._tables_by_ref:
            self._tables_by_ref.update({t.ref: t for t in self.tables})
        return self._tables_by_ref.get(ref)

    def enum(self, name: str, namespace: str | None = None) -> EnumType | None:
        for enum in self.enums:
            if enum.name == name and enum.namespace == namespace:
                return enum
        return None

    @property
    def is_empty(self) -> bool:
        return not (self.enums or self.tables or self.views)
