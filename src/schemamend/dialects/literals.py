"""Reading literal values as databases print them (shared by the introspection readers)."""

from __future__ import annotations

import re

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
