"""`schemamend lint --url` on SQLite: live row counts and duplicates, and the in-memory shadow replay."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from schemamend.commands.lint import lint

SCHEMA = """datasource db {
  provider = "sqlite"
}

model User {
  id    Int    @id
  email String

  @@map("users")
}
"""


def _project(tmp_path: Path) -> Path:
    prisma = tmp_path / "prisma"
    init = prisma / "migrations" / "20250101000000_init"
    more = prisma / "migrations" / "20250102000000_plans"
    init.mkdir(parents=True)
    more.mkdir()
    (prisma / "schema.prisma").write_text(SCHEMA, encoding="utf-8")
    (init / "migration.sql").write_text(
        'CREATE TABLE "users" ("id" INTEGER PRIMARY KEY, "email" TEXT);\n', encoding="utf-8"
    )
    (more / "migration.sql").write_text(
        '-- AlterTable\nALTER TABLE "users" ADD COLUMN "plan" TEXT NOT NULL;\n'
        'CREATE UNIQUE INDEX "users_email_key" ON "users"("email");\n'
        'CREATE INDEX "orders_id_idx" ON "orders"("id");\n',
        encoding="utf-8",
    )
    return prisma


def test_sqlite_live_facts_and_replay(tmp_path: Path) -> None:
    prisma = _project(tmp_path)
    database = prisma / "dev.db"
    with sqlite3.connect(database) as conn:
        conn.execute("CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT)")
        conn.executemany("INSERT INTO users VALUES (?, ?)", [(1, "a"), (2, "a"), (3, "b")])

    report = lint(schema=str(prisma / "schema.prisma"), url=f"file:{database}", cwd=tmp_path)

    found = {(f.code, f.line): f for f in report.findings}
    assert set(found) == {("SML004", 2), ("SML006", 3), ("SML013", 4)}
    assert found[("SML004", 2)].message.endswith("the table has 3 rows")
    assert found[("SML006", 3)].message.endswith("but 1 value(s) repeat")
    assert "`orders`" in found[("SML013", 4)].message
    assert "no such table" in found[("SML013", 4)].message
    assert report.replayed and report.exit_code == 2


def test_sqlite_without_a_database_only_warns(tmp_path: Path) -> None:
    prisma = _project(tmp_path)
    report = lint(schema=str(prisma / "schema.prisma"), cwd=tmp_path)
    assert [(f.code, f.level.value) for f in report.findings] == [
        ("SML004", "warning"),
        ("SML006", "warning"),
    ]
