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
drifts). The differ emits the `RedefineTables` change (`diff_schemas(...,
prisma_steps=True)`, which also decides which tables need it); a column that
becomes required with a default is copied as `coalesce("c", default) AS "c"`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from schemamend.dialects.sqlite.quoting import quote_identifier
from schemamend.dialects.sqlite.render import create_index, create_table, default_expression
from schemamend.diff.differ import needs_rebuild as needs_rebuild  # the differ decides
from schemamend.model import sql

STEP = "RedefineTables"
TEMPORARY_PREFIX = "new_"


def redefine_tables(pairs: Sequence[tuple[sql.Table, sql.Table]]) -> list[str]:
    """The statements (without `;`) rebuilding each (previous, next) table, in one step."""
    statements = ["PRAGMA defer_foreign_keys=ON", "PRAGMA foreign_keys=OFF"]
    for previous, next in pairs:
        statements += _rebuild(previous, next)
    statements += ["PRAGMA foreign_keys=ON", "PRAGMA defer_foreign_keys=OFF"]
    return statements


def _rebuild(previous: sql.Table, next: sql.Table) -> list[str]:
    temporary = TEMPORARY_PREFIX + next.name
    kept = sorted(
        (c for c in next.columns if previous.column(c.name) is not None), key=lambda c: c.name
    )
    columns = ", ".join(quote_identifier(c.name) for c in kept)
    selected = ", ".join(_copied(previous, c) for c in kept)
    table, new = quote_identifier(next.name), quote_identifier(temporary)
    return [
        create_table(dataclasses.replace(next, name=temporary)),
        f"INSERT INTO {new} ({columns}) SELECT {selected} FROM {quote_identifier(previous.name)}",
        f"DROP TABLE {quote_identifier(previous.name)}",
        f"ALTER TABLE {new} RENAME TO {table}",
        *(create_index(next.ref, index) for index in next.indexes),
    ]


def _copied(previous: sql.Table, column: sql.Column) -> str:
    """A copied column; NULLs of a column that becomes required take its new default."""
    name = quote_identifier(column.name)
    old = previous.column(column.name)
    default = default_expression(column)
    if old is not None and not old.is_required and column.is_required and default is not None:
        return f"coalesce({name}, {default}) AS {name}"
    return name
