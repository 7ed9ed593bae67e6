"""Facts about a migrations folder that explain drift: names, duplicates, what creates what.

All pure functions over the folder's text: nothing here touches a database.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from schemamend.migrate.folder import MigrationsFolder

# Prisma names folders `YYYYMMDDHHMMSS_name`; anything else still runs, in name order.
STANDARD_NAME = re.compile(r"^(\d{14})_([A-Za-z0-9_]+)$")
_TIMESTAMP_PREFIX = re.compile(r"^(\d+)_(.+)$")

_IDENT = r"""(?:"(?:[^"]|"")+"|`(?:[^`]|``)+`|\[[^\]]+\]|[A-Za-z_][A-Za-z0-9_$]*)"""
# Statements are found at the start of a line (as every generator writes them): a scan of
# the raw text, fast on a 10,000-statement baseline, instead of a full statement split.
_CREATE_TABLE = re.compile(
    rf"^[ \t]*CREATE\s+(?:TEMP(?:ORARY)?\s+|UNLOGGED\s+)?TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?"
    rf"(?P<first>{_IDENT})(?:\s*\.\s*(?P<second>{_IDENT}))?",
    re.IGNORECASE | re.MULTILINE,
)
_RENAME_TABLE = re.compile(
    rf"^[ \t]*ALTER\s+TABLE\s+(?:IF\s+EXISTS\s+)?(?:ONLY\s+)?{_IDENT}(?:\s*\.\s*{_IDENT})?\s+"
    rf"RENAME\s+TO\s+(?P<first>{_IDENT})(?:\s*\.\s*(?P<second>{_IDENT}))?",
    re.IGNORECASE | re.MULTILINE,
)


@dataclass(frozen=True)
class NameIssue:
    name: str
    problem: str


@dataclass(frozen=True)
class DuplicateName:
    suffix: str  # the part after the timestamp
    folders: tuple[str, ...]


def unquote_identifier(text: str) -> str:
    if len(text) >= 2 and text[0] == text[-1] and text[0] in '"`':
        return text[1:-1].replace(text[0] * 2, text[0])
    if text.startswith("[") and text.endswith("]"):
        return text[1:-1]
    return text


def nonstandard_names(folder: MigrationsFolder) -> list[NameIssue]:
    """Folders not named `YYYYMMDDHHMMSS_name`, with what that does to their order."""
    issues = []
    names = folder.names
    for name in names:
        if STANDARD_NAME.match(name):
            continue
        prefix = _TIMESTAMP_PREFIX.match(name)
        if prefix and prefix.group(1).isdigit():
            digits = prefix.group(1)
            problem = (
                f"its timestamp has {len(digits)} digits, not 14 (YYYYMMDDHHMMSS); folders run in "
                "name order, so it" + _order_effect(name, digits, names)
            )
        else:
            problem = "it does not start with a 14-digit timestamp (YYYYMMDDHHMMSS_name)"
        issues.append(NameIssue(name, problem))
    return issues


def _order_effect(name: str, digits: str, names: list[str]) -> str:
    """Where a short timestamp sorts among 14-digit ones with the same prefix."""
    same_day = [n for n in names if n != name and n.startswith(digits) and STANDARD_NAME.match(n)]
    if same_day:
        return f" runs after {', '.join(f'`{n}`' for n in same_day)} despite being older"
    return f" sorts after every 14-digit migration that starts with {digits}"


def duplicate_names(folder: MigrationsFolder) -> list[DuplicateName]:
    """Migrations whose names (without timestamp) are the same."""
    by_suffix: dict[str, list[str]] = {}
    for name in folder.names:
        match = _TIMESTAMP_PREFIX.match(name)
        suffix = match.group(2) if match else name
        by_suffix.setdefault(suffix, []).append(name)
    return [DuplicateName(s, tuple(n)) for s, n in by_suffix.items() if len(n) > 1]


def created_tables(folder: MigrationsFolder) -> dict[str, str]:
    """Table name → the first migration whose script creates it (CREATE TABLE or RENAME TO)."""
    found: dict[str, str] = {}
    for migration in folder.migrations:
        text = _without_comments(migration.text)
        for pattern in (_CREATE_TABLE, _RENAME_TABLE):
            for match in pattern.finditer(text):
                name = match.group("second") or match.group("first")
                found.setdefault(unquote_identifier(name), migration.name)
    return found


def _without_comments(text: str) -> str:
    if "--" not in text and "/*" not in text:
        return text
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.DOTALL)
    return re.sub(r"--[^\n]*", "", text)
