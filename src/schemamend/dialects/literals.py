"""Reading literal values as databases print them (shared by the introspection readers)."""

from __future__ import annotations

import re

from schemamend.model import sql

# Referential actions as information_schema and SQLite's pragmas spell them.
REFERENTIAL_ACTIONS = {
    "NO ACTION": sql.ReferentialAction.NO_ACTION,
    "RESTRICT": sql.ReferentialAction.RESTRICT,
    "CASCADE": sql.ReferentialAction.CASCADE,
    "SET NULL": sql.ReferentialAction.SET_NULL,
    "SET DEFAULT": sql.ReferentialAction.SET_DEFAULT,
}

# The kind of literal a default of a column of each type family holds.
LITERAL_KINDS = {
    sql.TypeFamily.STRING: sql.LiteralKind.STRING,
    sql.TypeFamily.INT: sql.LiteralKind.NUMBER,
    sql.TypeFamily.BIGINT: sql.LiteralKind.NUMBER,
    sql.TypeFamily.FLOAT: sql.LiteralKind.NUMBER,
    sql.TypeFamily.DECIMAL: sql.LiteralKind.NUMBER,
    sql.TypeFamily.BOOLEAN: sql.LiteralKind.BOOLEAN,
    sql.TypeFamily.DATETIME: sql.LiteralKind.DATETIME,
    sql.TypeFamily.JSON: sql.LiteralKind.JSON,
    sql.TypeFamily.BYTES: sql.LiteralKind.BYTES,
    sql.TypeFamily.ENUM: sql.LiteralKind.ENUM,
}

_DATETIME = re.compile(
    r"^(?P<date>\d{4}-\d{2}-\d{2})(?:[ T](?P<time>\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?))?"
    r"\s*(?P<offset>Z|[+-]\d{2}(?::?\d{2})?)?$"
)


def iso_datetime(text: str) -> str:
    """A date/time as the database prints it → ISO 8601 (`T`, offsets as ±HH:MM); other text as is."""
    match = _DATETIME.match(text.strip())
    if match is None:
        return text
    out = match["date"]
    if match["time"]:
        out += "T" + match["time"]
    offset = match["offset"]
    if offset:
        if offset == "Z":
            offset = "+00:00"
        digits = offset[1:].replace(":", "")
        out += f"{offset[0]}{digits[:2]}:{digits[2:4] or '00'}"
    return out


def sql_datetime(text: str, *, utc_without_offset: bool = False) -> str:
    """ISO 8601 as written in a schema → `2020-01-02 03:04:05.678 +00:00` (Prisma's layout).

    With `utc_without_offset` the moment is converted to UTC and written
    without an offset (`2020-01-02 03:04:05.678`), for MySQL. Text that is not
    a date/time is returned as is.
    """
    from datetime import UTC, datetime  # here: introspection, which never calls this, skips it

    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return text
    if utc_without_offset and moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    fraction = ""
    if moment.microsecond:
        digits = f"{moment.microsecond:06d}"
        fraction = "." + (digits[:3] if digits.endswith("000") else digits)
    if utc_without_offset:
        return f"{moment:%Y-%m-%d %H:%M:%S}{fraction}"
    offset = moment.strftime("%z") or "+0000"
    return f"{moment:%Y-%m-%d %H:%M:%S}{fraction} {offset[:3]}:{offset[3:5]}"
