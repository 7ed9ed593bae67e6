"""The MySQL / MariaDB dialect: quoting here; calculation and rendering imported on first use
(`schemamend.dialects.registry.dialect_for` finds it)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from schemamend.dialects.base import Capabilities, Deviation
from schemamend.dialects.mysql.quoting import quote_identifier as _quote_identifier

if TYPE_CHECKING:
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

    @property
    def deviations(self) -> Sequence[Deviation]:
        from schemamend.dialects.mysql.render import DEVIATIONS

        return DEVIATIONS

    def quote_identifier(self, name: str) -> str:
        return _quote_identifier(name)

    def calculate(self, datamodel: Datamodel) -> Schema:
        from schemamend.dialects.mysql.calculate import calculate

        return calculate(datamodel)

    def render(self, change: Change) -> list[str]:
        from schemamend.dialects.mysql.render import render

        return render(change)

    def render_alter_table(self, changes: Sequence[ColumnChange]) -> list[str]:
        """Column changes of one table in one ALTER TABLE (see `render_steps`)."""
        from schemamend.dialects.mysql.render import render_alter_table

        return render_alter_table(changes)

    def render_repair(self, step: RepairRenderable) -> list[str]:
        from schemamend.dialects.mysql.render import render_repair

        return render_repair(step)


DIALECT = MysqlDialect()
