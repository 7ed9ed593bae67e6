"""The small protocol every dialect implements.

A dialect answers yes/no questions (`Capabilities`), calculates the SQL schema
a datamodel declares, quotes identifiers, and renders changes as SQL. Code
outside `dialects/<db>/` asks these; it never branches on a dialect's name.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from schemamend.errors import SchemamendError

if TYPE_CHECKING:
    from schemamend.diff.changes import Change
    from schemamend.model.datamodel import Datamodel
    from schemamend.model.sql import Schema
    from schemamend.safety.steps import RepairRenderable


class UnsupportedChangeError(SchemamendError):
    """A change the dialect cannot render (yet, or at all), with the reason."""

    code = "SM021"


@dataclass(frozen=True, slots=True)
class Capabilities:
    """What a database can do, as far as calculating, rendering and repairing need to know."""

    max_identifier_length: int
    enum_types: bool  # enums are named types (CREATE TYPE) rather than inline column types
    namespaces: bool  # CREATE SCHEMA / qualified names
    scalar_lists: bool  # array columns
    foreign_keys_in_create_table: bool  # FKs written inside CREATE TABLE, not ALTER TABLE
    indexes_in_create_table: bool  # indexes written inside CREATE TABLE, not CREATE INDEX
    # Repair: a foreign key can be added without checking existing rows (NOT VALID), validated later.
    not_valid_foreign_keys: bool = False
    # Repair: an index can be built without blocking writes (outside any transaction).
    concurrent_index_builds: bool = False
    # Repair: ALTER TABLE ADD COLUMN accepts NOT NULL without a default (on an empty table).
    add_required_column_without_default: bool = True
    # No ALTER COLUMN: column, key and foreign-key changes rebuild the table (RedefineTables).
    redefines_tables: bool = False
    # Column types compare by family alone (SQLite's type affinity: VARCHAR(500) is TEXT to Prisma).
    types_by_family: bool = False
    # Prisma's steps for keys (PostgreSQL): a primary key whose columns, their order or their
    # types change is dropped and added again around the column changes (renamed when only its
    # name changes), and a foreign key whose columns change type is dropped and added again.
    primary_key_steps: bool = False


@dataclass(frozen=True, slots=True)
class Deviation:
    """A place where we knowingly write different SQL than Prisma does, and why."""

    code: str
    description: str


class Dialect(Protocol):
    @property
    def name(self) -> str: ...

    @property
    def capabilities(self) -> Capabilities: ...

    @property
    def deviations(self) -> Sequence[Deviation]: ...

    def quote_identifier(self, name: str) -> str: ...

    def calculate(self, datamodel: Datamodel) -> Schema:
        """The SQL schema the datamodel declares, with Prisma's types and names."""
        ...

    def render(self, change: Change) -> list[str]:
        """The SQL statements (without trailing newline) for one change."""
        ...

    def render_repair(self, step: RepairRenderable) -> list[str]:
        """The statements of a repair step (`schemamend.safety.steps`) or a column alteration.

        Raises the dialect's UnsupportedChangeError for what it cannot do in place.
        """
        ...
