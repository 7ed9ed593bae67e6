"""The PostgreSQL dialect: quoting here; calculation and rendering imported on first use
(`schemamend.dialects.registry.dialect_for` finds it)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from schemamend.dialects.base import Capabilities, Deviation
from schemamend.dialects.postgres.quoting import quote_identifier as _quote_identifier

if TYPE_CHECKING:
    from schemamend.diff.changes import AlterColumn, Change
    from schemamend.diff.script import AlterTableChange
    from schemamend.model.datamodel import Datamodel
    from schemamend.model.sql import Schema
    from schemamend.safety.steps import RepairRenderable

CAPABILITIES = Capabilities(
    max_identifier_length=63,
    enum_types=True,
    namespaces=True,
    scalar_lists=True,
    foreign_keys_in_create_table=False,
    indexes_in_create_table=False,
    not_valid_foreign_keys=True,
    concurrent_index_builds=True,
    primary_key_steps=True,
)


@dataclass(frozen=True)
class PostgresDialect:
    """The PostgreSQL dialect: quoting here; calculation and rendering imported on first use."""

    name: str = "postgresql"
    capabilities: Capabilities = CAPABILITIES
    deviations: Sequence[Deviation] = field(default_factory=tuple)

    def quote_identifier(self, name: str) -> str:
        return _quote_identifier(name)

    def calculate(self, datamodel: Datamodel) -> Schema:
        from schemamend.dialects.postgres.calculate import calculate

        return calculate(datamodel)

    def render(self, change: Change) -> list[str]:
        from schemamend.dialects.postgres.render import render

        return render(change)

    def render_alter_table(self, changes: Sequence[AlterTableChange]) -> list[str]:
        """Column and primary-key changes of one table in one ALTER TABLE (see `render_steps`)."""
        from schemamend.dialects.postgres.render import render_alter_table

        return render_alter_table(changes)

    def recreates_column(self, change: AlterColumn) -> bool:
        """Whether the column's new type has no cast, so Prisma drops and re-adds the column."""
        from schemamend.dialects.postgres.render import recreates_column

        return recreates_column(change)

    def render_repair(self, step: RepairRenderable) -> list[str]:
        from schemamend.dialects.postgres.render import render_repair

        return render_repair(step)


DIALECT = PostgresDialect()
