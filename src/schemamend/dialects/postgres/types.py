"""PostgreSQL column types for Prisma scalar types and `@db.*` native types."""

from __future__ import annotations

from schemamend.model import datamodel as dm
from schemamend.model.sql import ColumnType, TypeFamily

FAMILIES = {
    "String": TypeFamily.STRING,
    "Boolean": TypeFamily.BOOLEAN,
    "Int": TypeFamily.INT,
    "BigInt": TypeFamily.BIGINT,
    "Float": TypeFamily.FLOAT,
    "Decimal": TypeFamily.DECIMAL,
    "DateTime": TypeFamily.DATETIME,
    "Json": TypeFamily.JSON,
    "Bytes": TypeFamily.BYTES,
}

# Scalar type without @db.* → (type name, arguments)
DEFAULT_TYPES: dict[str, tuple[str, tuple[str, ...]]] = {
    "String": ("TEXT", ()),
    "Boolean": ("BOOLEAN", ()),
    "Int": ("INTEGER", ()),
    "BigInt": ("BIGINT", ()),
    "Float": ("DOUBLE PRECISION", ()),
    "Decimal": ("DECIMAL", ("65", "30")),
    "DateTime": ("TIMESTAMP", ("3",)),
    "Json": ("JSONB", ()),
    "Bytes": ("BYTEA", ()),
}

# @db.<Name> → SQL type name (arguments are kept as written)
NATIVE_TYPES = {
    "Text": "TEXT",
    "Char": "CHAR",
    "VarChar": "VARCHAR",
    "Bit": "BIT",
    "VarBit": "VARBIT",
    "Uuid": "UUID",
    "Xml": "XML",
    "Inet": "INET",
    "Citext": "CITEXT",
    "Boolean": "BOOLEAN",
    "Integer": "INTEGER",
    "SmallInt": "SMALLINT",
    "Oid": "OID",
    "BigInt": "BIGINT",
    "DoublePrecision": "DOUBLE PRECISION",
    "Real": "REAL",
    "Decimal": "DECIMAL",
    "Money": "MONEY",
    "Timestamp": "TIMESTAMP",
    "Timestamptz": "TIMESTAMPTZ",
    "Date": "DATE",
    "Time": "TIME",
    "Timetz": "TIMETZ",
    "Json": "JSON",
    "JsonB": "JSONB",
    "ByteA": "BYTEA",
}

# autoincrement(): the integer type → its serial pseudo-type
SERIAL_TYPES = {"INTEGER": "SERIAL", "BIGINT": "BIGSERIAL", "SMALLINT": "SMALLSERIAL"}


def scalar_column_type(field: dm.ScalarField) -> ColumnType:
    family = FAMILIES.get(field.type_name, TypeFamily.UNSUPPORTED)
    native = field.native_type
    if native is not None:
        name = NATIVE_TYPES.get(native.name, native.name.upper())
        return ColumnType(family, name, tuple(a.strip() for a in native.args))
    name, args = DEFAULT_TYPES.get(field.type_name, (field.type_name, ()))
    return ColumnType(family, name, args)
