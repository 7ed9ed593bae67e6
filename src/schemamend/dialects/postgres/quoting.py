"""Quoting for postgres: the one place identifiers and string literals are quoted.

Used by the renderer and by the connection layer (`schemamend.db`) alike.
"""

from __future__ import annotations


def quote_identifier(name: str) -> str:
    """The one place a PostgreSQL identifier is quoted."""
    return '"' + name.replace('"', '""') + '"'


def quote_string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"
