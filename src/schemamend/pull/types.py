"""Column types → schema field types, per dialect.

Each dialect's type map (`dialects/<db>/types.py`) says which column type a
scalar type gets by default and which SQL type each `@db.*` attribute names.
Pulling reads those maps backwards: a column whose type is its scalar type's
default gets no attribute; any other gets the `@db.*` attribute naming it.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field

from schemamend.model.sql import ColumnType, TypeFamily

SCALARS = {
    TypeFamily.STRING: "String",
    TypeFamily.INT: "Int",
    TypeFamily.BIGINT: "BigInt",
    TypeFamily.FLOAT: "Float",
    TypeFamily.DECIMAL: "Decimal",
    TypeFamily.BOOLEAN: "Boolean",
    TypeFamily.DATETIME: "DateTime",
    TypeFamily.JSON: "Json",
    TypeFamily.BYTES: "Bytes",
}

# Provider → the module holding its type map.
_TYPE_MODULES = {
    "postgresql": "schemamend.dialects.postgres.types",
    "postgres": "schemamend.dialects.postgres.types",
    "mysql": "schemamend.dialects.mysql.types",
    "sqlite": "schemamend.dialects.sqlite.types",
}

# Native types that are valid only for some scalar types (the others are shared, e.g. Decimal).
_NATIVE_SCALARS: dict[str, frozenset[str]] = {
    "Int": frozenset({"Int"}),
    "BigInt": frozenset({"BigInt"}),
    "Integer": frozenset({"Int"}),
    "Boolean": frozenset({"Boolean"}),
    "Json": frozenset({"Json"}),
    "JsonB": frozenset({"Json"}),
    "Decimal": frozenset({"Decimal"}),
    "DoublePrecision": frozenset({"Float"}),
    "Double": frozenset({"Float"}),
    "Float": frozenset({"Float"}),
    "Real": frozenset({"Float"}),
}


@dataclass(frozen=True)
class FieldType:
    """A field's type as the schema writes it: `String`, `@db.VarChar(200)`, `Unsupported(...)`."""

    name: str
    native: str | None = None  # the attribute without `@db.`: "VarChar(200)"
    unsupported: bool = False


@dataclass(frozen=True)
class TypeTable:
    defaults: dict[str, tuple[str, tuple[str, ...]]]  # scalar → (SQL name, arguments)
    natives: dict[str, str] = field(default_factory=dict)  # @db name → SQL name

    def field_type(self, column_type: ColumnType) -> FieldType:
        scalar = SCALARS.get(column_type.family)
        if scalar is None:
            return FieldType(_unsupported(column_type), unsupported=True)
        default = self.defaults.get(scalar)
        if default is not None and default == (column_type.name, column_type.args):
            return FieldType(scalar)
        native = self._native_name(scalar, column_type.name)
        if native is None:
            if default is not None and default[0] == column_type.name and not self.natives:
                return FieldType(scalar)
            return FieldType(_unsupported(column_type), unsupported=True)
        args = f"({', '.join(column_type.args)})" if column_type.args else ""
        return FieldType(scalar, native + args)

    def _native_name(self, scalar: str, sql_name: str) -> str | None:
        for native, name in self.natives.items():
            if name == sql_name and scalar in _NATIVE_SCALARS.get(native, frozenset({scalar})):
                return native
        return None


def _unsupported(column_type: ColumnType) -> str:
    text = column_type.name
    if column_type.args:
        text += f"({','.join(column_type.args)})"
    return 'Unsupported("' + text.replace('"', '\\"') + '")'


def type_table(provider: str) -> TypeTable:
    module = importlib.import_module(_TYPE_MODULES[provider])
    defaults: dict[str, tuple[str, tuple[str, ...]]] = {}
    for scalar, value in module.DEFAULT_TYPES.items():
        if isinstance(value[0], TypeFamily):  # SQLite: (family, name)
            defaults[scalar] = (value[1], ())
        else:
            defaults[scalar] = (value[0], tuple(value[1]))
    return TypeTable(defaults, dict(getattr(module, "NATIVE_TYPES", {})))
