"""MySQL / MariaDB column types for Prisma scalar types and `@db.*` native types."""

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

DEFAULT_TYPES: dict[str, tuple[str, tuple[str, ...]]] = {
    "String": ("VARCHAR", ("191",)),
    "Boolean": ("BOOLEAN", ()),
    "Int": ("INTEGER", ()),
    "BigInt": ("BIGINT", ()),
    "Float": ("DOUBLE", ()),
    "Decimal": ("DECIMAL", ("65", "30")),
    "DateTime": ("DATETIME", ("3",)),
    "Json": ("JSON", ()),
    "Bytes": ("LONGBLOB", ()),
}

# @db.<Name> → SQL type name (arguments are kept as written)
NATIVE_TYPES = {
    "Int": "INTEGER",
    "UnsignedInt": "INTEGER UNSIGNED",
    "SmallInt": "SMALLINT",
    "UnsignedSmallInt": "SMALLINT UNSIGNED",
    "TinyInt": "TINYINT",
    "UnsignedTinyInt": "TINYINT UNSIGNED",
    "MediumInt": "MEDIUMINT",
    "UnsignedMediumInt": "MEDIUMINT UNSIGNED",
    "BigInt": "BIGINT",
    "UnsignedBigInt": "BIGINT UNSIGNED",
    "Decimal": "DECIMAL",
    "Float": "FLOAT",
    "Double": "DOUBLE",
    "Bit": "BIT",
    "Char": "CHAR",
    "VarChar": "VARCHAR",
    "Binary": "BINARY",
    "VarBinary": "VARBINARY",
    "TinyBlob": "TINYBLOB",
    "Blob": "BLOB",
    "MediumBlob": "MEDIUMBLOB",
    "LongBlob": "LONGBLOB",
    "TinyText": "TINYTEXT",
    "Text": "TEXT",
    "MediumText": "MEDIUMTEXT",
    "LongText": "LONGTEXT",
    "Date": "DATE",
    "Time": "TIME",
    "DateTime": "DATETIME",
    "Timestamp": "TIMESTAMP",
    "Year": "YEAR",
    "Json": "JSON",
}


def scalar_column_type(field: dm.ScalarField) -> ColumnType:
    family = FAMILIES.get(field.type_name, TypeFamily.UNSUPPORTED)
    native = field.native_type
    if native is not None:
        name = NATIVE_TYPES.get(native.name, native.name.upper())
        return ColumnType(family, name, tuple(a.strip() for a in native.args))
    name, args = DEFAULT_TYPES.get(field.type_name, (field.type_name, ()))
    return ColumnType(family, name, args)


def enum_column_type(values: tuple[str, ...]) -> ColumnType:
    """MySQL enums are inline column types: ENUM('A', 'B')."""
    return ColumnType(TypeFamily.ENUM, "ENUM", values)
