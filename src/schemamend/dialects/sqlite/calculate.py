"""Datamodel → SQL schema for SQLite."""

from __future__ import annotations

from dataclasses import replace

from schemamend.dialects.calculator import SchemaCalculator
from schemamend.dialects.sqlite.render import quote_identifier, quote_string
from schemamend.dialects.sqlite.types import ENUM_TYPE, scalar_column_type
from schemamend.model import datamodel as dm
from schemamend.model import sql


class SqliteCalculator(SchemaCalculator):
    def quote_identifier(self, name: str) -> str:
        return quote_identifier(name)

    def quote_string(self, text: str) -> str:
        return quote_string(text)

    def scalar_type(self, field: dm.ScalarField) -> sql.ColumnType:
        return scalar_column_type(field)

    def enum_column_type(self, field: dm.ScalarField, enum: dm.EnumType) -> sql.ColumnType:
        # SQLite has no enum types: the column is plain TEXT, exactly what
        # introspection reads back, so an enum field never shows as drift.
        return sql.ColumnType(sql.TypeFamily.STRING, ENUM_TYPE)

    def primary_key_name(self, model: dm.Model, key: dm.PrimaryKey) -> str | None:
        return None  # SQLite primary keys are unnamed

    def column(self, model: dm.Model, field: dm.ScalarField) -> sql.Column:
        """An INTEGER column that alone is the primary key is SQLite's rowid: Prisma
        declares it AUTOINCREMENT whether or not the schema says autoincrement()."""
        column = _enum_default_as_text(super().column(model, field))
        key = model.primary_key
        is_rowid = (
            key is not None
            and len(key.fields) == 1
            and key.fields[0].field_name == field.name
            and column.type.name == "INTEGER"
        )
        return replace(column, auto_increment=True) if is_rowid else column


def _enum_default_as_text(column: sql.Column) -> sql.Column:
    """An enum default is a plain string literal in a TEXT column."""
    default = column.default
    if (
        default is None
        or default.literal is None
        or default.literal.kind is not sql.LiteralKind.ENUM
    ):
        return column
    literal = sql.Literal(sql.LiteralKind.STRING, default.literal.text)
    return replace(column, default=replace(default, literal=literal))


def calculate(datamodel: dm.Datamodel) -> sql.Schema:
    return SqliteCalculator(datamodel).calculate()
