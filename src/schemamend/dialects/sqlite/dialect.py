"""The SQLite dialect: quoting here; calculation and rendering imported on first use
(`schemamend.dialects.registry.dialect_for` finds it)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from schemamend.dialects.base import Capabilities, Deviation
from schemamend.dialects.sqlite.quoting import quote_identifier as _quote_identifier

if TYPE_CHECKING:
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
    redefines_tables=True,
    types_by_family=True,
)


@dataclass(frozen=True)
class SqliteDialect:
    name: str = "sqlite"
    capabilities: Capabilities = CAPABILITIES

    @property
    def deviations(self) -> Sequence[Deviation]:
        from schemamend.dialects.sqlite.render import DEVIATIONS

        return DEVIATIONS

    def quote_identifier(self, name: str) -> str:
        return _quote_identifier(name)

    def calculate(self, datamodel: Datamodel) -> Schema:
        from schemamend.dialects.sqlite.calculate import calculate

        return calculate(datamodel)

    def render(self, change: Change) -> list[str]:
        from schemamend.dialects.sqlite.render import render

        return render(change)

    def render_repair(self, step: RepairRenderable) -> list[str]:
        from schemamend.dialects.sqlite.render import render_repair

        return render_repair(step)


DIALECT = SqliteDialect()
