"""Prisma's default names for keys, indexes and foreign keys.

`{table}_pkey`, `{table}_{columns}_key` (unique), `{table}_{columns}_idx`
(index and fulltext), `{table}_{columns}_fkey`. When the name would exceed the
provider's identifier limit, Prisma cuts the `{table}_{columns}` part so that
the whole name, suffix included, fits the limit (verified with the Prisma 7.10.1
CLI: a 66-character model name gives a 63-character `..._idx` name on
PostgreSQL).
"""

from __future__ import annotations

MAX_IDENTIFIER_LENGTH = {"postgresql": 63, "cockroachdb": 63, "mysql": 64, "sqlserver": 128}
DEFAULT_MAX_IDENTIFIER_LENGTH = 10_000  # SQLite has no practical limit

PRIMARY_KEY_SUFFIX = "_pkey"
UNIQUE_SUFFIX = "_key"
INDEX_SUFFIX = "_idx"
FOREIGN_KEY_SUFFIX = "_fkey"


def _fit(base: str, suffix: str, family: str | None) -> str:
    limit = MAX_IDENTIFIER_LENGTH.get(family or "", DEFAULT_MAX_IDENTIFIER_LENGTH)
    room = limit - len(suffix)
    if len(base) > room:
        base = base[:room]
    return base + suffix


def primary_key_name(table: str, family: str | None) -> str:
    return _fit(table, PRIMARY_KEY_SUFFIX, family)


def unique_name(table: str, columns: list[str] | tuple[str, ...], family: str | None) -> str:
    return _fit("_".join([table, *columns]), UNIQUE_SUFFIX, family)


def index_name(table: str, columns: list[str] | tuple[str, ...], family: str | None) -> str:
    return _fit("_".join([table, *columns]), INDEX_SUFFIX, family)


def foreign_key_name(table: str, columns: list[str] | tuple[str, ...], family: str | None) -> str:
    return _fit("_".join([table, *columns]), FOREIGN_KEY_SUFFIX, family)
