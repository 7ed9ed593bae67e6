"""What a rule reports: one finding per statement (or folder) that trips it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from schemamend.lint.rules import Level, Rule


@dataclass(frozen=True, slots=True)
class Finding:
    rule: Rule
    level: Level
    file: str  # as given or found, relative where possible
    line: int  # 1-based line of the statement's first token (1 for folder-level findings)
    message: str  # one line, specific to this statement
    migration: str | None = None  # the migration folder's name, when the file is in one

    @property
    def code(self) -> str:
        return self.rule.code

    @property
    def fix(self) -> str:
        return self.rule.fix

    @property
    def is_error(self) -> bool:
        return self.level is Level.ERROR

    def sort_key(self) -> tuple[str, int, str]:
        return (self.file, self.line, self.code)

    def to_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "rule": self.rule.name,
            "level": self.level.value,
            "risk": self.rule.risk.value,
            "file": self.file,
            "line": self.line,
            "migration": self.migration,
            "message": self.message,
            "fix": self.fix,
        }


def finding(
    rule: Rule,
    file: str,
    line: int,
    message: str,
    *,
    level: Level | None = None,
    migration: str | None = None,
) -> Finding:
    return Finding(rule, level or rule.level, file, line, message, migration)
