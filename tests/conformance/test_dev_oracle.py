"""`schemamend migrate dev --create-only` writes the file the real Prisma CLI writes.

For each dialect the oracle runs (PostgreSQL, SQLite): the first migration
of a project (with `migration_lock.toml`), then a schema change (a new model,
a new optional field, a new index, a new enum value where enums exist). The
new `migration.sql` must be byte-identical to Prisma's, and the folder
deployed to an empty database must leave no drift against the schema.

For the next migration the reference is the file Prisma's own `migrate dev`
writes, warning block included (`migrate diff --script` has none), made in a
copy of the oracle's project. The Wasm engine behind oracle.sh replays the
migrations folder twice into one shadow database during `migrate dev` (the
native engine resets it in between), loses its shadow when `migrate dev`
applies pending migrations itself, and needs a shadow URL; so in the copy the
first migration begins by dropping what it creates, it is deployed first, a
shadow database URL is given, and `migrate dev` runs in a pseudo-terminal
where "Are you sure you want to create this migration?" (asked when data may
be lost) is answered yes. Our side keeps the first migration as written.

Changes that lose data are compared the same way: an enum value removed on
PostgreSQL; on SQLite columns made required, retyped, given another default
or dropped, and a primary key moved.
"""

from __future__ import annotations

import os
import pty
import select
import shutil
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from schemamend.commands.dev import migrate_dev
from schemamend.commands.diff import State, migrate_diff
from schemamend.commands.migrate import deploy

pytestmark = [pytest.mark.shared, pytest.mark.oracle]

DATASOURCE = 'datasource db {{\n  provider = "{provider}"\n}}\n'

BASE_MODELS = """
model User {
  id        Int      @id @default(autoincrement())
  email     String   @unique
  createdAt DateTime @default(now())
}
"""

CHANGED_MODELS = """
model User {
  id        Int      @id @default(autoincrement())
  email     String   @unique
  createdAt DateTime @default(now())
  nickname  String?
  posts     Post[]

  @@index([createdAt])
}

model Post {
  id       Int     @id @default(autoincrement())
  title    String
  authorId Int
  author   User    @relation(fields: [authorId], references: [id])
}
"""

ENUM_BEFORE = "\nenum Role {\n  USER\n  ADMIN\n}\n"
ENUM_AFTER = "\nenum Role {\n  USER\n  ADMIN\n  MODERATOR\n}\n"
ROLE_FIELD = "  role      Role     @default(USER)\n"


def schema_text(provider: str, changed: bool) -> str:
    models = CHANGED_MODELS if changed else BASE_MODELS
    if provider != "postgresql":
        return DATASOURCE.format(provider=provider) + models
    models = models.replace(
        "  createdAt DateTime @default(now())\n",
        "  createdAt DateTime @default(now())\n" + ROLE_FIELD,
        1,
    )
    return DATASOURCE.format(provider=provider) + (ENUM_AFTER if changed else ENUM_BEFORE) + models


@dataclass
class Side:
    """One project folder: prisma/schema.prisma and prisma/migrations."""

    root: Path

    @property
    def schema(self) -> Path:
        return self.root / "prisma" / "schema.prisma"

    @property
    def migrations(self) -> Path:
        return self.root / "prisma" / "migrations"

    def write_schema(self, text: str) -> None:
        self.schema.parent.mkdir(parents=True, exist_ok=True)
        self.schema.write_text(text, encoding="utf-8")

    def migration_names(self) -> list[str]:
        if not self.migrations.is_dir():
            return []
        return sorted(p.name for p in self.migrations.iterdir() if p.is_dir())

    def new_script(self, before: list[str]) -> bytes:
        (name,) = [n for n in self.migration_names() if n not in before]
        return (self.migrations / name / "migration.sql").read_bytes()


_CI_VARIABLES = (
    "CI",
    "CONTINUOUS_INTEGRATION",
    "BUILD_ID",
    "BUILD_NUMBER",
    "RUN_ID",
    "GITHUB_ACTIONS",
)


@dataclass
class Oracle:
    script: Path
    side: Side
    url: str

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        env = {**os.environ, "DATABASE_URL": self.url, "NO_COLOR": "1"}
        for name in ("PRISMA_SCHEMA", "SHADOW_DATABASE_URL", "PRISMA_MIGRATIONS_DIR"):
            env.pop(name, None)
        return subprocess.run(
            [str(self.script), *args],
            cwd=self.side.root,
            env=env,
            capture_output=True,
            text=True,
            timeout=180,
            stdin=subprocess.DEVNULL,
        )

    def migrate_dev(self, name: str) -> subprocess.CompletedProcess[str]:
        return self.run(
            "migrate", "dev", "--create-only", "--name", name, "--schema", str(self.side.schema)
        )

    def migrate_dev_confirmed(self, name: str, shadow_url: str) -> str:
        """`migrate dev --create-only` in a pseudo-terminal, its data-loss question answered yes."""
        env = {
            **os.environ,
            "DATABASE_URL": self.url,
            "SHADOW_DATABASE_URL": shadow_url,
            "NO_COLOR": "1",
        }
        # Prisma refuses `migrate dev` where it detects CI (`CI=true` under .ci/run), even in
        # a terminal: the question it asks is answered here, so hide those variables from it.
        for variable in ("PRISMA_SCHEMA", "PRISMA_MIGRATIONS_DIR", *_CI_VARIABLES):
            env.pop(variable, None)
        args = [
            str(self.script),
            "migrate",
            "dev",
            "--create-only",
            "--name",
            name,
            "--schema",
            str(self.side.schema),
        ]
        leader, follower = pty.openpty()
        process = subprocess.Popen(
            args, cwd=self.side.root, env=env, stdin=follower, stdout=follower, stderr=follower
        )
        os.close(follower)
        output, answered, deadline = b"", False, time.monotonic() + 180
        try:
            while time.monotonic() < deadline:
                if not select.select([leader], [], [], 0.5)[0]:
                    if process.poll() is not None:
                        break
                    continue
                try:
                    chunk = os.read(leader, 4096)
                except OSError:  # the terminal closed: the process has ended
                    break
                if not chunk:
                    break
                output += chunk
                if not answered and b"Are you sure you want to create this migration?" in output:
                    os.write(leader, b"y\r")
                    answered = True
        finally:
            os.close(leader)
            code = process.wait(timeout=30)
        text = output.decode(errors="replace")
        assert code == 0, text
        return text


@pytest.fixture(
    params=[
        pytest.param(("postgresql", "pg_url"), marks=pytest.mark.postgres, id="postgresql"),
        pytest.param(("sqlite", "sqlite_url"), marks=pytest.mark.sqlite, id="sqlite"),
    ]
)
def setup(
    request: pytest.FixtureRequest, shared_dir: Path, tmp_path: Path
) -> Iterator[tuple[str, str, Oracle, Side]]:
    provider, fixture = request.param
    script = shared_dir / "tools" / "prisma-oracle" / "oracle.sh"
    if shutil.which("node") is None or not script.is_file():
        pytest.skip("the Prisma oracle needs node and ../shared/tools/prisma-oracle")
    url = request.getfixturevalue(fixture)
    oracle_side = Side(tmp_path / "prisma-side")
    ours = Side(tmp_path / "schemamend-side")
    oracle_url = url if provider == "postgresql" else f"file:{tmp_path / 'oracle.db'}"
    yield provider, url, Oracle(script, oracle_side, oracle_url), ours


def test_first_and_next_migration_are_byte_identical_to_prisma(
    setup: tuple[str, str, Oracle, Side], tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    provider, url, oracle, ours = setup
    for side in (oracle.side, ours):
        side.write_schema(schema_text(provider, changed=False))

    # The first migration, with migration_lock.toml.
    made = oracle.migrate_dev("init")
    assert made.returncode == 0, made.stdout + made.stderr
    report = migrate_dev(str(ours.schema), name="init", url=url)
    assert report.wrote_lock
    prisma_init = oracle.side.new_script([])
    assert ours.new_script([]) == prisma_init
    lock = "migration_lock.toml"
    assert (ours.migrations / lock).read_bytes() == (oracle.side.migrations / lock).read_bytes()

    # The next one: a new model, a new optional field, a new index (and a new enum value).
    before_ours = ours.migration_names()
    for side in (oracle.side, ours):
        side.write_schema(schema_text(provider, changed=True))
    changed = migrate_dev(str(ours.schema), name="add posts", url=url)
    assert changed.name is not None and changed.name.endswith("_add_posts")
    assert not changed.warnings
    expected = prisma_next_migration(oracle, provider, "add posts", request, tmp_path)
    assert ours.new_script(before_ours).decode() == expected
    assert changed.risk_counts()["destructive"] == 0

    # Nothing left to write, and the folder builds the schema on an empty database.
    again = migrate_dev(str(ours.schema), name="nothing", url=url)
    assert again.is_empty and ours.migration_names() == [*before_ours, changed.name]
    _assert_deploys_without_drift(provider, ours, tmp_path, request)


# What the first migrations create: dropped first in the copy that makes Prisma's next migration.
RESETS = {
    "postgresql": (
        'DROP TABLE IF EXISTS "Post";\nDROP TABLE IF EXISTS "User";\nDROP TABLE IF EXISTS "Account";\n'
        'DROP TABLE IF EXISTS "Tag";\nDROP TYPE IF EXISTS "Role";\nDROP TYPE IF EXISTS "Color";\n\n'
    ),
    "sqlite": (
        'DROP TABLE IF EXISTS "Post";\nDROP TABLE IF EXISTS "User";\nDROP TABLE IF EXISTS "Account";\n'
        'DROP TABLE IF EXISTS "Tag";\n\n'
    ),
}


def prisma_next_migration(
    oracle: Oracle,
    provider: str,
    name: str,
    request: pytest.FixtureRequest,
    tmp_path: Path,
    params: str = "",
) -> str:
    """The migration.sql Prisma's `migrate dev --create-only` writes after the oracle side's
    history for its (changed) schema, made in a copy of that project (see the module docstring).
    `params`: appended to the PostgreSQL URLs (`?schema=`)."""
    copy = Side(tmp_path / "prisma-copy")
    shutil.copytree(oracle.side.root / "prisma", copy.root / "prisma")
    history = copy.migration_names()
    first = copy.migrations / history[0] / "migration.sql"
    first.write_text(RESETS[provider] + first.read_text(encoding="utf-8"), encoding="utf-8")
    if provider == "postgresql":
        server: Any = request.getfixturevalue("pg_server")
        with server.throwaway() as dev, server.throwaway() as shadow:
            output = _confirmed(Oracle(oracle.script, copy, dev + params), name, shadow + params)
    else:
        dev, shadow = f"file:{tmp_path / 'copy-dev.db'}", f"file:{tmp_path / 'copy-shadow.db'}"
        output = _confirmed(Oracle(oracle.script, copy, dev), name, shadow)
    assert "created the following migration" in output, output
    return copy.new_script(history).decode()


def _confirmed(oracle: Oracle, name: str, shadow: str) -> str:
    deployed = oracle.run("migrate", "deploy", "--schema", str(oracle.side.schema))
    assert deployed.returncode == 0, deployed.stdout + deployed.stderr
    return oracle.migrate_dev_confirmed(name, shadow)


def _assert_deploys_without_drift(
    provider: str, side: Side, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    if provider == "postgresql":
        server: Any = request.getfixturevalue("pg_server")
        with server.throwaway() as fresh:
            _deploy_and_compare(side, fresh)
    else:
        _deploy_and_compare(side, f"file:{tmp_path / 'fresh.db'}")


def _deploy_and_compare(side: Side, url: str) -> None:
    deployed = deploy(str(side.schema), url=url)
    assert deployed.ok
    drift = migrate_diff(State("url", url), State("schema", str(side.schema)))
    assert drift.is_empty, drift.describe_changes()


# ── changes that lose data: the file `migrate dev` writes, warnings included ──

ENUM_BEFORE_REMOVAL = """
enum Role {
  USER
  ADMIN
  GUEST
  BOT
}

enum Color {
  RED
  GREEN
}

model Account {
  id    Int     @id @default(autoincrement())
  role  Role    @default(GUEST)
  roles Role[]
  color Color?
  note  String?
}
"""

ENUM_AFTER_REMOVAL = """
enum Role {
  USER
  ADMIN
  OWNER
}

enum Color {
  GREEN
}

model Account {
  id    Int     @id @default(autoincrement())
  role  Role    @default(USER)
  roles Role[]
  color Color?
}
"""

SQLITE_BEFORE_REBUILD = """
model User {
  id       Int     @id @default(autoincrement())
  email    String  @unique
  nickname String?
  age      Int
  score    Int     @default(0)
  bio      String?
  posts    Post[]
}

model Post {
  id       Int    @id @default(autoincrement())
  title    String
  authorId Int
  author   User   @relation(fields: [authorId], references: [id])
}

model Tag {
  id    Int     @id
  label String
  slug  String?
}
"""

SQLITE_AFTER_REBUILD = """
model User {
  id       Int     @id @default(autoincrement())
  email    String  @unique
  nickname String
  age      String
  score    Int     @default(5)
  posts    Post[]
}

model Post {
  id       Int    @id @default(autoincrement())
  title    Int
  authorId Int
  author   User   @relation(fields: [authorId], references: [id])
}

model Tag {
  id    Int
  label String  @id
  slug  String  @default("none")
  rank  Int
}
"""

DATA_LOSS_CASES = {
    "postgresql": (ENUM_BEFORE_REMOVAL, ENUM_AFTER_REMOVAL, ("-- AlterEnum",)),
    "sqlite": (SQLITE_BEFORE_REBUILD, SQLITE_AFTER_REBUILD, ("-- RedefineTables",)),
}


def test_data_losing_changes_are_written_as_prisma_migrate_dev_writes_them(
    setup: tuple[str, str, Oracle, Side], tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    provider, url, oracle, ours = setup
    before, after, sections = DATA_LOSS_CASES[provider]
    datasource = DATASOURCE.format(provider=provider)
    oracle.side.write_schema(datasource + before)
    made = oracle.migrate_dev("init")
    assert made.returncode == 0, made.stdout + made.stderr
    history = oracle.side.migration_names()
    shutil.copytree(oracle.side.migrations, ours.migrations)

    for side in (oracle.side, ours):
        side.write_schema(datasource + after)
    prisma_next = prisma_next_migration(oracle, provider, "next", request, tmp_path)
    assert prisma_next.startswith("/*\n  Warnings:\n\n")

    report = migrate_dev(str(ours.schema), name="next", url=url)
    assert ours.new_script(history).decode() == prisma_next
    assert all(section in report.script for section in sections)
    assert report.warnings and report.risk_counts()["destructive"] >= 1
    assert migrate_dev(str(ours.schema), name="nothing", url=url).is_empty
    _assert_deploys_without_drift(provider, ours, tmp_path, request)


@pytest.mark.postgres
def test_a_removed_enum_value_under_a_url_schema_is_written_as_prisma_writes_it(
    shared_dir: Path, pg_url: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    script = shared_dir / "tools" / "prisma-oracle" / "oracle.sh"
    if shutil.which("node") is None or not script.is_file():
        pytest.skip("the Prisma oracle needs node and ../shared/tools/prisma-oracle")
    url = pg_url + "?schema=app"
    oracle, ours = (
        Oracle(script, Side(tmp_path / "prisma-side"), url),
        Side(tmp_path / "schemamend-side"),
    )
    before, after, _ = DATA_LOSS_CASES["postgresql"]
    datasource = DATASOURCE.format(provider="postgresql")
    oracle.side.write_schema(datasource + before)
    made = oracle.migrate_dev("init")
    assert made.returncode == 0, made.stdout + made.stderr
    history = oracle.side.migration_names()
    shutil.copytree(oracle.side.migrations, ours.migrations)
    for side in (oracle.side, ours):
        side.write_schema(datasource + after)
    prisma_next = prisma_next_migration(
        oracle, "postgresql", "next", request, tmp_path, "?schema=app"
    )
    assert 'DROP TYPE "app"."Role_old";' in prisma_next

    migrate_dev(str(ours.schema), name="next", url=url)
    assert ours.new_script(history).decode() == prisma_next


TYPES_BEFORE = """
model Tag {
  id     Int      @id
  count  Int
  code   String   @db.VarChar(10)
  small  Int      @db.SmallInt
  big    BigInt
  at     DateTime
  note   String?
  level  Int?
  ratio  Float
}
"""

TYPES_AFTER = """
model Tag {
  id     Int      @id
  count  Boolean
  code   String   @db.VarChar(5)
  small  String   @db.VarChar(10)
  big    Int
  at     String   @db.VarChar(20)
  note   Int?
  level  Boolean
  ratio  Decimal
}
"""


@pytest.mark.postgres
def test_column_type_changes_are_written_as_prisma_migrate_dev_writes_them(
    shared_dir: Path, pg_url: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    """Casts Prisma warns about, casts it does not, and columns it drops and adds again
    (more pairs: tests/fixtures/pg_type_changes)."""
    script = shared_dir / "tools" / "prisma-oracle" / "oracle.sh"
    if shutil.which("node") is None or not script.is_file():
        pytest.skip("the Prisma oracle needs node and ../shared/tools/prisma-oracle")
    oracle, ours = (
        Oracle(script, Side(tmp_path / "prisma-side"), pg_url),
        Side(tmp_path / "schemamend-side"),
    )
    datasource = DATASOURCE.format(provider="postgresql")
    oracle.side.write_schema(datasource + TYPES_BEFORE)
    made = oracle.migrate_dev("init")
    assert made.returncode == 0, made.stdout + made.stderr
    history = oracle.side.migration_names()
    shutil.copytree(oracle.side.migrations, ours.migrations)
    for side in (oracle.side, ours):
        side.write_schema(datasource + TYPES_AFTER)
    prisma_next = prisma_next_migration(oracle, "postgresql", "next", request, tmp_path)
    assert 'DROP COLUMN "count",\nADD COLUMN     "count" BOOLEAN NOT NULL' in prisma_next

    report = migrate_dev(str(ours.schema), name="next", url=pg_url)
    assert ours.new_script(history).decode() == prisma_next
    assert report.risk_counts()["destructive"] >= 1
    _assert_deploys_without_drift("postgresql", ours, tmp_path, request)
