"""SQLite column types for Prisma scalar types (SQLite has no `@db.*` types)."""

from __future__ import annotations

from schemamend.model import datamodel as dm
from schemamend.model.sql import ColumnType, TypeFamily

DEFAULT_TYPES = {
    "String": (TypeFamily.STRING, "TEXT"),
    "Boolean": (TypeFamily.BOOLEAN, "BOOLEAN"),
    "Int": (TypeFamily.INT, "INTEGER"),
    "BigInt": (TypeFamily.BIGINT, "BIGINT"),
    "Float": (TypeFamily.FLOAT, "REAL"),
    "Decimal": (TypeFamily.DECIMAL, "DECIMAL"),
    "DateTime": (TypeFamily.DATETIME, "DATETIME"),
    "Json": (TypeFamily.JSON, "JSONB"),
    "Bytes": (TypeFamily.BYTES, "BLOB"),
}

ENUM_TYPE = "TEXT"  # enums are plain text columns


def scalar_column_type(field: dm.ScalarField) -> ColumnType:
    family, name = DEFAULT_TYPES.get(field.type_name, (TypeFamily.UNSUPPORTED, field.type_name))
    return ColumnType(family, name)
