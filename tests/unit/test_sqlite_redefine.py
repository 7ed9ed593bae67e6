"""SQLite table rebuilds: Prisma's `-- RedefineTables` statements, and they keep the data."""

from __future__ import annotations

import dataclasses
import sqlite3

from schemamend.dialects.sqlite.redefine import needs_rebuild, redefine_tables
from schemamend.dialects.sqlite.render import create_index, create_table
from schemamend.model import sql

TEXT = sql.ColumnType(sql.TypeFamily.STRING, "TEXT")
ID = sql.Column("id", TEXT, sql.ColumnArity.REQUIRED)
EMAIL = sql.Column("email", TEXT, sql.ColumnArity.REQUIRED)
NAME = sql.Column("name", TEXT, sql.ColumnArity.NULLABLE)
EMAIL_KEY = sql.Index("User_email_key", sql.IndexKind.UNIQUE, (sql.IndexColumn("email"),))
USER = sql.Table(
    "User", (ID, EMAIL, NAME), sql.PrimaryKey(None, (sql.IndexColumn("id"),)), (EMAIL_KEY,)
)


def test_a_changed_column_rebuilds_the_table_as_prisma_writes_it() -> None:
    drifted = dataclasses.replace(
        USER, columns=(ID, dataclasses.replace(EMAIL, arity=sql.ColumnArity.NULLABLE), NAME)
    )
    assert needs_rebuild(drifted, USER)
    script = "".join(f"{s};\n" for s in redefine_tables([(drifted, USER)]))
    assert script == (
        "PRAGMA defer_foreign_keys=ON;\n"
        "PRAGMA foreign_keys=OFF;\n"
        'CREATE TABLE "new_User" (\n'
        '    "id" TEXT NOT NULL PRIMARY KEY,\n'
        '    "email" TEXT NOT NULL,\n'
        '    "name" TEXT\n'
        ");\n"
        'INSERT INTO "new_User" ("email", "id", "name") SELECT "email", "id", "name" FROM "User";\n'
        'DROP TABLE "User";\n'
        'ALTER TABLE "new_User" RENAME TO "User";\n'
        'CREATE UNIQUE INDEX "User_email_key" ON "User"("email");\n'
        "PRAGMA foreign_keys=ON;\n"
        "PRAGMA defer_foreign_keys=OFF;\n"
    )


def test_only_columns_both_versions_have_are_copied_and_rows_survive() -> None:
    before = dataclasses.replace(
        USER, columns=(ID, EMAIL, NAME, sql.Column("legacy", TEXT, sql.ColumnArity.NULLABLE))
    )
    after = dataclasses.replace(
        USER, columns=(ID, dataclasses.replace(NAME, arity=sql.ColumnArity.REQUIRED), EMAIL)
    )
    db = sqlite3.connect(":memory:")
    db.execute(create_table(before))
    db.execute(create_index(before.ref, EMAIL_KEY))
    db.execute("INSERT INTO \"User\" VALUES ('1', 'a@example.com', 'Ann', 'old')")
    db.executescript("".join(f"{s};\n" for s in redefine_tables([(before, after)])))
    assert db.execute('SELECT "id", "name", "email" FROM "User"').fetchall() == [
        ("1", "Ann", "a@example.com")
    ]
    assert [r[1] for r in db.execute('PRAGMA table_info("User")')] == ["id", "name", "email"]
    assert db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
    ).fetchall() == [("User_email_key",)]


def test_added_optional_columns_and_indexes_alone_need_no_rebuild_but_a_dropped_column_does() -> (
    None
):
    fewer = dataclasses.replace(USER, columns=(ID, EMAIL), indexes=())
    assert not needs_rebuild(fewer, USER)
    assert needs_rebuild(USER, fewer)  # Prisma rebuilds rather than ALTER TABLE ... DROP COLUMN
    fk = sql.ForeignKey(
        None,
        ("name",),
        sql.TableRef(None, "Other"),
        ("id",),
        sql.ReferentialAction.CASCADE,
        sql.ReferentialAction.CASCADE,
    )
    assert needs_rebuild(USER, dataclasses.replace(USER, foreign_keys=(fk,)))
