"""SQLite: type map, schema calculation and rendering."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from schemamend.dialects.base import Capabilities, Deviation
from schemamend.dialects.sqlite import calculate as _calculate
from schemamend.dialects.sqlite import render as _render
from schemamend.diff.changes import Change
from schemamend.model.datamodel import Datamodel
from schemamend.model.sql import Schema
from schemamend.safety.steps import RepairRenderable

CAPABILITIES = Capabilities(
    max_identifier_length=10_000,
    enum_types=False,
    namespaces=False,
    scalar_lists=False,
    foreign_keys_in_create_table=True,
    indexes_in_create_table=False,
    add_required_column_without_default=False,
)


@dataclass(frozen=True)
class SqliteDialect:
    name: str = "sqlite"
    capabilities: Capabilities = CAPABILITIES
    deviations: Sequence[Deviation] = _render.DEVIATIONS

    def quote_identifier(self, name: str) -> str:
        return _render.quote_identifier(name)

    def calculate(self, datamodel: Datamodel) -> Schema:
        return _calculate.calculate(datamodel)

    def render(self, change: Change) -> list[str]:
        return _render.render(change)

    def render_repair(self, step: RepairRenderable) -> list[str]:
        return _render.render_repair(step)


DIALECT = SqliteDialect()
