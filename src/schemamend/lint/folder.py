"""Rules on the migrations folder itself: names, not statements."""

from __future__ import annotations

import re
from collections.abc import Sequence

from schemamend.lint.findings import Finding, finding
from schemamend.lint.rules import rule

# Prisma names folders `<14-digit UTC timestamp>_<name>`; the order of the folder is by name.
_STANDARD = re.compile(r"(?P<stamp>\d{14})_(?P<name>[A-Za-z0-9_]+)")
_LOOSE = re.compile(r"(?P<stamp>\d+)_(?P<name>.+)")


def migration_label(folder_name: str) -> str:
    """The part after the timestamp: `20240101000000_add_users` → `add_users`."""
    match = _LOOSE.fullmatch(folder_name)
    return match.group("name") if match else folder_name


def folder_findings(names: Sequence[str], file_of: dict[str, str]) -> list[Finding]:
    """Duplicate labels and non-standard folder names, among `names` (in folder order)."""
    findings: list[Finding] = []
    first_with_label: dict[str, str] = {}
    for name in names:
        file = file_of.get(name, name)
        if _STANDARD.fullmatch(name) is None:
            findings.append(
                finding(
                    rule("SML015"),
                    file,
                    1,
                    f"migration folder `{name}` is not named `YYYYMMDDHHMMSS_name`",
                    migration=name,
                )
            )
        label = migration_label(name)
        earlier = first_with_label.setdefault(label, name)
        if earlier != name:
            findings.append(
                finding(
                    rule("SML014"),
                    file,
                    1,
                    f"migration `{name}` has the same name as `{earlier}` ({label})",
                    migration=name,
                )
            )
    return findings
