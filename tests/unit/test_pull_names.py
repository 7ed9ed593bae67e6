"""`db pull` naming and types, without a database (the rules learnt from `prisma db pull`)."""

from __future__ import annotations

import pytest

from schemamend.model.sql import ColumnType, TypeFamily
from schemamend.pull.names import enum_value_name, quote, sanitize
from schemamend.pull.types import FieldType, type_table


@pytest.mark.parametrize(
    ("database_name", "schema_name"),
    [
        ("users", "users"),
        ("my-table", "my_table"),
        ("2fa", "fa"),
        ("first name", "first_name"),
        ("_Join", "Join"),
    ],
)
def test_invalid_identifiers_are_sanitized(database_name: str, schema_name: str) -> None:
    assert sanitize(database_name) == schema_name


def test_an_enum_value_with_nothing_left_gets_a_placeholder() -> None:
    assert enum_value_name("1st") == "st"
    assert enum_value_name("123") == "EMPTY_ENUM_VALUE"


def test_strings_are_escaped_for_the_schema() -> None:
    assert quote('{"a": "b\\c"}') == '"{\\"a\\": \\"b\\\\c\\"}"'


@pytest.mark.parametrize(
    ("column_type", "field_type"),
    [
        (ColumnType(TypeFamily.STRING, "TEXT"), FieldType("String")),
        (ColumnType(TypeFamily.STRING, "VARCHAR", ("200",)), FieldType("String", "VarChar(200)")),
        (ColumnType(TypeFamily.DATETIME, "TIMESTAMP", ("3",)), FieldType("DateTime")),
        (
            ColumnType(TypeFamily.DATETIME, "TIMESTAMP", ("6",)),
            FieldType("DateTime", "Timestamp(6)"),
        ),
        (ColumnType(TypeFamily.INT, "INTEGER"), FieldType("Int")),
        (ColumnType(TypeFamily.INT, "SMALLINT"), FieldType("Int", "SmallInt")),
        (ColumnType(TypeFamily.DECIMAL, "DECIMAL", ("65", "30")), FieldType("Decimal")),
        (ColumnType(TypeFamily.JSON, "JSON"), FieldType("Json", "Json")),
        (
            ColumnType(TypeFamily.UNSUPPORTED, "circle"),
            FieldType('Unsupported("circle")', unsupported=True),
        ),
    ],
)
def test_postgresql_types_get_db_attributes_only_when_not_the_default(
    column_type: ColumnType, field_type: FieldType
) -> None:
    assert type_table("postgresql").field_type(column_type) == field_type


def test_sqlite_and_mysql_defaults() -> None:
    assert type_table("sqlite").field_type(ColumnType(TypeFamily.FLOAT, "REAL")) == FieldType(
        "Float"
    )
    assert type_table("mysql").field_type(
        ColumnType(TypeFamily.STRING, "VARCHAR", ("191",))
    ) == FieldType("String")
    assert type_table("mysql").field_type(ColumnType(TypeFamily.STRING, "TEXT")) == FieldType(
        "String", "Text"
    )
