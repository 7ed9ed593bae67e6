"""`db pull`: a live database → a `schema.prisma` in Prisma's naming style.

outcome = pull_schema(introspect(url), "postgresql")
outcome.text      # formatted schema text, as `prisma db pull --print` writes it
outcome.warnings  # what the schema cannot describe (unsupported types, ignored tables)
"""

from __future__ import annotations

from schemamend.model.sql import Schema
from schemamend.psl.format import format_schema
from schemamend.pull.build import PullOutcome, write_schema

__all__ = ["PullOutcome", "default_header", "pull_schema"]


def default_header(provider: str) -> str:
    """The datasource block of a schema that has none yet."""
    return f'datasource db {{\n  provider = "{provider}"\n}}\n'


def pull_schema(schema: Schema, provider: str, header: str | None = None) -> PullOutcome:
    """The schema describing `schema`; `header` holds the datasource and generator blocks to keep."""
    text_header = header if header is not None else default_header(provider)
    outcome = write_schema(
        schema, provider, text_header, partial_indexes="partialIndexes" in text_header
    )
    return PullOutcome(format_schema(outcome.text), outcome.warnings)
