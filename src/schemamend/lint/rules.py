"""The lint rules as data: a stable code, a level, a risk class, a message and the fix.

Codes never change meaning once published (CI configurations and ignore
lists refer to them). The risk classes are the safety package's vocabulary:
`safe`, `may-fail`, `destructive`, `locking`.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from schemamend.safety.checks import LOCKING_ROWS, Risk

__all__ = ["LOCKING_ROWS", "RULES", "Level", "Rule", "rule"]


class Level(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Rule:
    code: str  # stable: "SML001"
    name: str  # kebab-case, for people and ignore lists
    level: Level  # the default level; a finding may lower or raise it from live facts
    risk: Risk
    summary: str  # what the rule looks for (README, --help)
    fix: str  # the usual way out


RULES: tuple[Rule, ...] = (
    Rule(
        "SML000",
        "syntax-error",
        Level.ERROR,
        Risk.MAY_FAIL,
        "the file does not parse as SQL of the datasource's dialect",
        "correct the statement; the database will refuse it as written",
    ),
    Rule(
        "SML001",
        "drop-table",
        Level.ERROR,
        Risk.DESTRUCTIVE,
        "DROP TABLE deletes the table and every row in it",
        "copy the data elsewhere first, or drop the table in a later release once nothing reads it",
    ),
    Rule(
        "SML002",
        "drop-column",
        Level.ERROR,
        Risk.DESTRUCTIVE,
        "DROP COLUMN deletes the column's values in every row",
        "stop reading the column first, back it up, then drop it in a later release",
    ),
    Rule(
        "SML003",
        "narrowing-type-change",
        Level.ERROR,
        Risk.MAY_FAIL,
        "ALTER COLUMN ... TYPE to a narrower or incompatible type fails on (or truncates) existing values and rewrites the table",
        "add a new column, backfill it in batches, then switch readers over",
    ),
    Rule(
        "SML004",
        "add-required-column",
        Level.WARNING,
        Risk.MAY_FAIL,
        "ADD COLUMN ... NOT NULL without a default fails when the table has rows",
        "add a DEFAULT, or add the column nullable, backfill it, then SET NOT NULL",
    ),
    Rule(
        "SML005",
        "set-not-null",
        Level.WARNING,
        Risk.MAY_FAIL,
        "SET NOT NULL fails if any row holds NULL, and scans the whole table under an exclusive lock",
        "backfill the NULLs first; on large tables add CHECK (col IS NOT NULL) NOT VALID, VALIDATE it, then SET NOT NULL",
    ),
    Rule(
        "SML006",
        "add-unique",
        Level.WARNING,
        Risk.MAY_FAIL,
        "a new unique index or constraint fails when existing values repeat",
        "remove the duplicates first (with --url the linter counts them), and build the index CONCURRENTLY",
    ),
    Rule(
        "SML007",
        "foreign-key-not-valid",
        Level.WARNING,
        Risk.LOCKING,
        "ADD FOREIGN KEY without NOT VALID checks every row while both tables are locked against writes",
        "add the constraint NOT VALID, then VALIDATE CONSTRAINT in a separate migration",
    ),
    Rule(
        "SML008",
        "index-not-concurrently",
        Level.WARNING,
        Risk.LOCKING,
        "CREATE INDEX without CONCURRENTLY blocks writes to the table while the index is built",
        "use CREATE INDEX CONCURRENTLY, alone in its own migration",
    ),
    Rule(
        "SML009",
        "concurrently-in-transaction",
        Level.ERROR,
        Risk.MAY_FAIL,
        "CREATE/DROP INDEX CONCURRENTLY cannot run inside a transaction block",
        "move the statement to a migration of its own, outside BEGIN ... COMMIT",
    ),
    Rule(
        "SML010",
        "rename-still-declared",
        Level.ERROR,
        Risk.DESTRUCTIVE,
        "the migration renames a table or column that the declared schema still uses under its old name",
        "rename it in schema.prisma too (or @map/@@map the old name), or drop the rename",
    ),
    Rule(
        "SML011",
        "enum-value-removed",
        Level.ERROR,
        Risk.MAY_FAIL,
        "an enum type is replaced by one without some of its values: rows holding them make the cast fail",
        "update the rows that hold the removed values first, in an earlier migration",
    ),
    Rule(
        "SML012",
        "enum-value-used-in-transaction",
        Level.ERROR,
        Risk.MAY_FAIL,
        "ALTER TYPE ... ADD VALUE and a use of the new value in the same transaction fails (unsafe use of new value)",
        "add the value in one migration and use it in a later one",
    ),
    Rule(
        "SML013",
        "missing-object",
        Level.ERROR,
        Risk.MAY_FAIL,
        "replayed from empty, the history fails: a statement needs an object no earlier migration creates",
        "add the missing CREATE to an earlier migration (or a baseline), or fix the statement",
    ),
    Rule(
        "SML014",
        "duplicate-migration-name",
        Level.WARNING,
        Risk.SAFE,
        "two migration folders carry the same name after their timestamp",
        "give the later migration a name of its own; check whether one of them was meant to replace the other",
    ),
    Rule(
        "SML015",
        "nonstandard-folder-name",
        Level.WARNING,
        Risk.SAFE,
        "the migration folder's name is not `YYYYMMDDHHMMSS_name`, so its place in the order may surprise",
        "rename the folder with a 14-digit timestamp before it is applied anywhere",
    ),
)

_BY_CODE = {r.code: r for r in RULES}
_BY_NAME = {r.name: r for r in RULES}


def rule(key: str) -> Rule:
    """A rule by code ("SML001") or name ("drop-table")."""
    found = _BY_CODE.get(key) or _BY_NAME.get(key)
    if found is None:
        raise KeyError(key)
    return found
