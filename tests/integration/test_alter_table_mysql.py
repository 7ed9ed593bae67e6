"""Altered columns on a real MariaDB: our script repairs the drift it was computed from.

Prisma's MySQL layout (from its published migrations; its offline engine has no
MySQL connector to compare with): one ALTER TABLE per table, clauses after the
first indented, `MODIFY` with the whole column definition, or `ALTER COLUMN
... SET/DROP DEFAULT` when only the default changed.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from schemamend.commands.diff import State, migrate_diff
from schemamend.commands.render import render_from_empty
from schemamend.psl import load_schema

pytestmark = pytest.mark.mysql

SCHEMA = """datasource db {
  provider = "mysql"
}

model User {
  id      Int     @id @default(autoincrement())
  email   String  @unique
  name    String?
  plan    String  @default("free")
  visits  Int     @default(0)
  bio     String? @db.VarChar(500)

  @@map("users")
}

model Post {
  id    Int    @id
  title String

  @@map("posts")
}
"""

DRIFTS: dict[str, tuple[str, ...]] = {
    "nullability": (
        "ALTER TABLE `users` MODIFY `email` VARCHAR(191) NULL",
        "ALTER TABLE `users` MODIFY `name` VARCHAR(191) NOT NULL",
    ),
    "defaults": (
        "ALTER TABLE `users` ALTER COLUMN `plan` DROP DEFAULT",
        "ALTER TABLE `users` ALTER COLUMN `visits` SET DEFAULT 7",
    ),
    "type": (
        "ALTER TABLE `users` MODIFY `bio` VARCHAR(50) NULL",
        "ALTER TABLE `posts` MODIFY `title` TEXT NOT NULL",
    ),
    "columns": (
        "ALTER TABLE `users` DROP COLUMN `visits`, ADD COLUMN `zzz` INTEGER NULL, ADD COLUMN `aaa` TEXT NULL",
    ),
}


@contextmanager
def connection(url: str) -> Iterator[Any]:
    import pymysql

    parts = urlsplit(url)
    conn = pymysql.connect(
        host=parts.hostname,
        port=parts.port or 3306,
        user=parts.username or "root",
        password="",
        database=parts.path.lstrip("/"),
        autocommit=True,
    )
    try:
        yield conn.cursor()
    finally:
        conn.close()


def execute(url: str, script: str) -> None:
    statements = [s.strip() for s in script.split(";\n")]
    with connection(url) as cur:
        for statement in statements:
            lines = [line for line in statement.splitlines() if not line.startswith("--")]
            if "".join(lines).strip():
                cur.execute("\n".join(lines))


@pytest.mark.parametrize("drift", DRIFTS)
def test_script_repairs_the_drift(drift: str, mysql_url: str, tmp_path: Path) -> None:
    schema = tmp_path / "schema.prisma"
    schema.write_text(SCHEMA, encoding="utf-8")
    execute(mysql_url, render_from_empty(load_schema(schema).require(), "mysql"))
    execute(mysql_url, ";\n".join(DRIFTS[drift]))
    script = migrate_diff(State("url", mysql_url), State("schema", str(schema))).script
    assert "-- AlterTable" in script
    execute(mysql_url, script)
    again = migrate_diff(State("url", mysql_url), State("schema", str(schema)))
    assert again.is_empty, again.script


def test_layout(mysql_url: str, tmp_path: Path) -> None:
    schema = tmp_path / "schema.prisma"
    schema.write_text(SCHEMA, encoding="utf-8")
    execute(mysql_url, render_from_empty(load_schema(schema).require(), "mysql"))
    execute(
        mysql_url,
        ";\n".join(DRIFTS["columns"] + DRIFTS["defaults"][:1] + DRIFTS["nullability"][1:]),
    )
    script = migrate_diff(State("url", mysql_url), State("schema", str(schema))).script
    assert script == (
        "-- AlterTable\n"
        "ALTER TABLE `users` DROP COLUMN `aaa`,\n"
        "    DROP COLUMN `zzz`,\n"
        "    ADD COLUMN `visits` INTEGER NOT NULL DEFAULT 0,\n"
        "    MODIFY `name` VARCHAR(191) NULL,\n"
        "    ALTER COLUMN `plan` SET DEFAULT 'free';\n"
        "\n"
    )
