"""Database names → schema names, as `prisma db pull` makes them.

A name that is a valid identifier is kept as is. Otherwise leading characters
that are not letters are dropped and every other character outside
`[A-Za-z0-9_]` becomes `_`; the schema then maps the new name to the database
name (`@map` / `@@map`).
"""

from __future__ import annotations

import re

_LEADING = re.compile(r"^[^A-Za-z]+")
_INVALID = re.compile(r"[^A-Za-z0-9_]")

EMPTY_ENUM_VALUE = "EMPTY_ENUM_VALUE"


def sanitize(name: str) -> str:
    """The schema identifier Prisma derives from a database name."""
    if not _LEADING.search(name) and not _INVALID.search(name):
        return name
    return _INVALID.sub("_", _LEADING.sub("", name))


def enum_value_name(value: str) -> str:
    return sanitize(value) or EMPTY_ENUM_VALUE


def quote(text: str) -> str:
    """A schema string literal."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    escaped = escaped.replace("\r", "\\r").replace("\t", "\\t")
    return f'"{escaped}"'
