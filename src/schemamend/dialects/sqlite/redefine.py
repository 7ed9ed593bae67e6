"""SQLite table rebuilds (Prisma's `-- RedefineTables` step).

SQLite cannot alter a column, add or drop a foreign key, or change a primary
key in place. Prisma rebuilds each such table: it creates `new_<table>` with
the wanted definition, copies the columns both versions have (sorted by name),
drops the old table, renames the new one and recreates its indexes, with
foreign-key checks switched off (and deferred) around the whole step:

    PRAGMA defer_foreign_keys=ON;
    PRAGMA foreign_keys=OFF;
    CREATE TABLE "new_User" (...);
    INSERT INTO "new_User" ("a", "b") SELECT "a", "b" FROM "User";
    DROP TABLE "User";
    ALTER TABLE "new_User" RENAME TO "User";
    CREATE UNIQUE INDEX "User_email_key" ON "User"("email");
    PRAGMA foreign_keys=ON;
    PRAGMA defer_foreign_keys=OFF;

Verified against the Prisma 7.10.1 CLI (scripts/drift_conformance.py, SQLite
drifts). The differ does not emit a rebuild change yet; `redefine_tables` is the
renderer such a change calls.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from schemamend.dialects.sqlite.quoting import quote_identifier
from schemamend.dialects.sqlite.render import create_index, create_table
from schemamend.model import sql

STEP = "RedefineTables"
TEMPORARY_PREFIX = "new_"


def needs_rebuild(previous: sql.Table, next: sql.Table) -> bool:
    """True when turning `previous` into `next` takes more than ADD/DROP COLUMN and indexes."""
    if previous.primary_key != next.primary_key or previous.foreign_keys != next.foreign_keys:
        return True
    before = {c.name: c for c in previous.columns}
    return any(c.name in before and before[c.name] != c for c in next.columns)


def redefine_tables(pairs: Sequence[tuple[sql.Table, sql.Table]]) -> list[str]:
    """The statements (without `;`) rebuilding each (previous, next) table, in one step."""
    statements = ["PRAGMA defer_foreign_keys=ON", "PRAGMA foreign_keys=OFF"]
    for previous, next in pairs:
        statements += _rebuild(previous, next)
    statements += ["PRAGMA foreign_keys=ON", "PRAGMA defer_foreign_keys=OFF"]
    return statements


def _rebuild(previous: sql.Table, next: sql.Table) -> list[str]:
    temporary = TEMPORARY_PREFIX + next.name
    kept = sorted(c.name for c in next.columns if previous.column(c.name) is not None)
    columns = ", ".join(quote_identifier(name) for name in kept)
    table, new = quote_identifier(next.name), quote_identifier(temporary)
    return [
        create_table(dataclasses.replace(next, name=temporary)),
        f"INSERT INTO {new} ({columns}) SELECT {columns} FROM {quote_identifier(previous.name)}",
        f"DROP TABLE {quote_identifier(previous.name)}",
        f"ALTER TABLE {new} RENAME TO {table}",
        *(create_index(next.ref, index) for index in next.indexes),
    ]
