"""Render a declared schema as the SQL that creates it from empty.

render_from_empty(datamodel)        # == prisma migrate diff --from-empty --to-schema ... --script
summarize_from_empty(datamodel)     # == the same command without --script
"""

from __future__ import annotations

from dataclasses import dataclass

from schemamend.collector import collector_paused
from schemamend.dialects.base import Dialect
from schemamend.dialects.registry import dialect_for
from schemamend.diff.changes import Change
from schemamend.diff.differ import diff_from_empty
from schemamend.diff.script import RenderedStep, migration_script, render_steps
from schemamend.diff.summary import summarize
from schemamend.errors import SchemamendError
from schemamend.model.datamodel import Datamodel
from schemamend.model.sql import Schema


class NoDatasourceError(SchemamendError):
    code = "SM022"


@dataclass(frozen=True)
class FromEmptyPlan:
    """What building the declared schema from empty takes, for one dialect."""

    dialect: Dialect
    schema: Schema
    changes: tuple[Change, ...]
    steps: tuple[RenderedStep, ...]

    @property
    def migration_sql(self) -> str:
        """The content of a `migration.sql` file."""
        return migration_script(self.steps)

    @property
    def script(self) -> str:
        """Exactly what `prisma migrate diff --from-empty --to-schema ... --script` prints."""
        return self.migration_sql + "\n"

    @property
    def summary(self) -> str:
        """Exactly what the same command prints without `--script`."""
        return summarize(self.changes)


def resolve_dialect(datamodel: Datamodel, dialect_name: str | None = None) -> Dialect:
    if dialect_name is not None:
        return dialect_for(dialect_name)
    if datamodel.datasource is None:
        raise NoDatasourceError(
            "The schema has no datasource block, so the database provider is unknown.",
            hint="Add a datasource block with a provider, or pass the dialect explicitly.",
        )
    return dialect_for(datamodel.datasource.provider)


def plan_from_empty(datamodel: Datamodel, dialect_name: str | None = None) -> FromEmptyPlan:
    dialect = resolve_dialect(datamodel, dialect_name)
    with collector_paused():
        schema = dialect.calculate(datamodel)
        changes = diff_from_empty(schema, dialect.capabilities)
        steps = render_steps(changes, dialect.render)
    return FromEmptyPlan(dialect, schema, tuple(changes), tuple(steps))


def render_from_empty(datamodel: Datamodel, dialect_name: str | None = None) -> str:
    """The SQL script that creates the declared schema in an empty database."""
    return plan_from_empty(datamodel, dialect_name).script


def summarize_from_empty(datamodel: Datamodel, dialect_name: str | None = None) -> str:
    """The human summary (schemas, enums, tables, indexes, foreign keys to create)."""
    return plan_from_empty(datamodel, dialect_name).summary
