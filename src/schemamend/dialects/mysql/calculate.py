"""Datamodel → SQL schema for MySQL / MariaDB."""

from __future__ import annotations

from schemamend.dialects.calculator import SchemaCalculator
from schemamend.dialects.mysql.types import enum_column_type, scalar_column_type
from schemamend.model import datamodel as dm
from schemamend.model import sql


class MysqlCalculator(SchemaCalculator):
    max_identifier_length = 64

    def scalar_type(self, field: dm.ScalarField) -> sql.ColumnType:
        return scalar_column_type(field)

    def enum_column_type(self, field: dm.ScalarField, enum: dm.EnumType) -> sql.ColumnType:
        return enum_column_type(tuple(v.db_name for v in enum.values))

    def primary_key_name(self, model: dm.Model, key: dm.PrimaryKey) -> str | None:
        return None  # MySQL calls every primary key PRIMARY


def calculate(datamodel: dm.Datamodel) -> sql.Schema:
    return MysqlCalculator(datamodel).calculate()
