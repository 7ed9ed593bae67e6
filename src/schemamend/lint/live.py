"""What the live database tells the catalog: column types and enum values it already has.

Tables made outside the history (`db push`, by hand) have no CREATE in the
migrations folder, so without this the linter would not know a column's type
before an ALTER ... TYPE, nor an enum's values before they are replaced.
Only types and values are taken: which tables the history creates stays the
history's business (the missing-object rule depends on it).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from schemamend.lint.catalog import TypeSig
from schemamend.model import sql

# Introspected type names (as the database prints them) → the parser's names for them.
_PARSER_NAMES = {
    "TEXT": "text",
    "VARCHAR": "varchar",
    "CHARACTER VARYING": "varchar",
    "CHAR": "bpchar",
    "CHARACTER": "bpchar",
    "SMALLINT": "int2",
    "INTEGER": "int4",
    "INT": "int4",
    "BIGINT": "int8",
    "REAL": "float4",
    "DOUBLE PRECISION": "float8",
    "DECIMAL": "numeric",
    "NUMERIC": "numeric",
}


@dataclass(frozen=True)
class LiveTypes:
    columns: dict[str, dict[str, TypeSig]] = field(default_factory=dict)
    enums: dict[str, tuple[str, ...]] = field(default_factory=dict)


def live_types(schema: sql.Schema) -> LiveTypes:
    columns = {
        table.name: {column.name: _type_sig(column) for column in table.columns}
        for table in schema.tables
    }
    enums = {enum.name: tuple(enum.values) for enum in schema.enums}
    return LiveTypes(columns, enums)


def _type_sig(column: sql.Column) -> TypeSig:
    kind = column.type
    name = kind.enum or _PARSER_NAMES.get(kind.name.upper(), kind.name.lower())
    mods = tuple(int(a) for a in kind.args if a.isdigit()) if kind.enum is None else ()
    return TypeSig(name, mods, column.arity is sql.ColumnArity.LIST)
