"""Introspection: a live database → the neutral SQL schema (`schemamend.model.sql`).

    schema = introspect("postgresql://app@localhost:5432/app?schema=public")
    schema = introspect(conn)                       # a schemamend.db.Connection
    schema = introspect(raw, "postgresql")          # any open DB-API connection
    schema = introspect(conn, namespaces=declared_namespaces(datamodel))  # `schemas = [...]`

The result compares equal to what the dialect calculates from a schema file
when the database was built from that schema: the same type names, default
kinds and constraint names. `_prisma_migrations` and schemamend's own
bookkeeping tables are left out. Each dialect's reader sends a fixed number of
catalog queries through the connection it is given; none imports a driver.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence

from schemamend.db.base import Connection
from schemamend.db.url import PROVIDER_FAMILIES, DatabaseUrl, Family, parse_url
from schemamend.errors import SchemamendError
from schemamend.model.sql import Schema

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing at start-up
if TYPE_CHECKING:
    from typing import Any, Protocol

    from schemamend.dialects.catalog import Query, QueryBatch
    from schemamend.model.datamodel import Datamodel

    class _Named(Protocol):
        @property
        def name(self) -> str: ...

    class _Reader(Protocol):
        def __call__(
            self,
            query: Query,
            *,
            default_namespace: str | None,
            namespaces: Sequence[str] | None,
            batch: QueryBatch | None = None,
        ) -> Schema: ...


# Database family → the module whose `read_schema(query, default_namespace=, namespaces=)` reads it.
_READERS = {
    Family.POSTGRESQL: "schemamend.dialects.postgres.introspect",
    Family.MYSQL: "schemamend.dialects.mysql.introspect",
    Family.SQLITE: "schemamend.dialects.sqlite.introspect",
}


class UnknownDialectError(SchemamendError):
    code = "SM023"


def introspect(
    source: str | DatabaseUrl | Connection | Any,
    dialect: str | _Named | None = None,
    *,
    namespaces: Sequence[str] | None = None,
) -> Schema:
    """The live schema of a database, given by URL, schemamend connection or DB-API connection.

    `dialect` is a datasource provider ("postgresql", "mysql", "sqlite") or a
    dialect object; it is needed only for a raw DB-API connection.
    `namespaces` lists the PostgreSQL schemas to read when the datasource has
    `schemas = [...]` (objects then carry their namespace); by default the
    URL's `?schema=` (or the connection's current schema) is read.
    """
    if isinstance(source, str | DatabaseUrl):
        from schemamend.db import connect

        url = parse_url(source) if isinstance(source, str) else source
        with connect(url, read_only=True) as conn:
            return introspect(conn, dialect, namespaces=namespaces)
    if isinstance(source, Connection):
        family = _family(dialect) if dialect is not None else source.family
        default = None if family is Family.SQLITE else source.url.schema
        return _reader(family)(
            source.query, default_namespace=default, namespaces=namespaces, batch=source.query_batch
        )
    if dialect is None:
        raise UnknownDialectError(
            "Introspecting a DB-API connection needs its dialect (postgresql, mysql or sqlite)."
        )
    return _reader(_family(dialect))(
        dbapi_query(source), default_namespace=None, namespaces=namespaces
    )


def declared_namespaces(datamodel: Datamodel) -> tuple[str, ...] | None:
    """The namespaces a schema's datasource lists (`schemas = [...]`), for `introspect`'s
    `namespaces`; None when it lists none (the URL's schema is read, objects unqualified)."""
    source = datamodel.datasource
    return source.schemas if source is not None and source.schemas else None


def dbapi_query(connection: Any) -> Query:
    """A query function over any DB-API 2 connection."""

    def query(text: str, params: Sequence[object]) -> Sequence[Sequence[Any]]:
        cursor = connection.cursor()
        try:
            if params:
                cursor.execute(text, tuple(params))
            else:
                cursor.execute(text)
            rows: Sequence[Sequence[Any]] = cursor.fetchall()
            return rows
        finally:
            cursor.close()

    return query


def _family(dialect: str | _Named) -> Family:
    name = dialect if isinstance(dialect, str) else dialect.name
    family = PROVIDER_FAMILIES.get(name)
    if family is None:
        raise UnknownDialectError(
            f'Cannot introspect the provider "{name}" (supported: postgresql, mysql, sqlite).'
        )
    return family


def _reader(family: Family) -> _Reader:
    module = importlib.import_module(_READERS[family])
    reader: _Reader = module.read_schema
    return reader
