"""MySQL / MariaDB: type map, schema calculation and rendering."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from schemamend.dialects.base import Capabilities, Deviation
from schemamend.dialects.mysql import calculate as _calculate
from schemamend.dialects.mysql import render as _render
from schemamend.diff.changes import Change
from schemamend.diff.script import ColumnChange
from schemamend.model.datamodel import Datamodel
from schemamend.model.sql import Schema
from schemamend.safety.steps import RepairRenderable

CAPABILITIES = Capabilities(
    max_identifier_length=64,
    enum_types=False,
    namespaces=False,
    scalar_lists=False,
    foreign_keys_in_create_table=False,
    indexes_in_create_table=True,
)


@dataclass(frozen=True)
class MysqlDialect:
    name: str = "mysql"
    capabilities: Capabilities = CAPABILITIES
    deviations: Sequence[Deviation] = _render.DEVIATIONS

    def quote_identifier(self, name: str) -> str:
        return _render.quote_identifier(name)

    def calculate(self, datamodel: Datamodel) -> Schema:
        return _calculate.calculate(datamodel)

    def render(self, change: Change) -> list[str]:
        return _render.render(change)

    def render_alter_table(self, changes: Sequence[ColumnChange]) -> list[str]:
        """Column changes of one table in one ALTER TABLE (see `render_steps`)."""
        return _render.render_alter_table(changes)

    def render_repair(self, step: RepairRenderable) -> list[str]:
        return _render.render_repair(step)


DIALECT = MysqlDialect()
