"""Interchangeability with the real Prisma CLI (oracle.sh) on PostgreSQL and SQLite.

A database migrated by one tool must read correctly in the other: up to date,
failed, rolled back and resolved mean the same to both.

Known, intended differences (asserted below so that they stay deliberate):
- `prisma migrate status` does not report a migration edited after it was
  applied (it says "up to date"); schemamend reports it and exits 1.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

import pytest

from schemamend.commands.migrate import deploy, resolve, status
from schemamend.db import connect, parse_url
from schemamend.migrate.errors import FoundFailedMigrations
from tests.integration.migrate_project import MigrateProject, make_project

pytestmark = pytest.mark.shared

FAILING = (
    'CREATE TABLE "tags" ("id" INTEGER PRIMARY KEY);\nALTER TABLE "nope" ADD COLUMN "x" INTEGER;\n'
)
FIXED = 'CREATE TABLE "tags" ("id" INTEGER PRIMARY KEY);\n'


@dataclass
class Oracle:
    script: Path
    project: MigrateProject

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        env = {**os.environ, "DATABASE_URL": self.project.url, "NO_COLOR": "1"}
        env.pop("PRISMA_SCHEMA", None)
        return subprocess.run(
            [str(self.script), *args, "--schema", str(self.project.schema)],
            cwd=self.project.root,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )

    def status(self) -> subprocess.CompletedProcess[str]:
        return self.run("migrate", "status")


@pytest.fixture(
    params=[
        pytest.param("pg_url", marks=pytest.mark.postgres, id="postgresql"),
        pytest.param("sqlite_url", marks=pytest.mark.sqlite, id="sqlite"),
    ]
)
def pair(
    request: pytest.FixtureRequest, shared_dir: Path, tmp_path: Path
) -> Iterator[tuple[MigrateProject, Oracle]]:
    script = shared_dir / "tools" / "prisma-oracle" / "oracle.sh"
    if shutil.which("node") is None or not script.is_file():
        pytest.skip("the Prisma oracle needs node and ../shared/tools/prisma-oracle")
    project = make_project(tmp_path / "app", request.getfixturevalue(request.param))
    yield project, Oracle(script, project)


def up_to_date(result: subprocess.CompletedProcess[str]) -> bool:
    return result.returncode == 0 and "Database schema is up to date!" in result.stdout


def test_a_folder_deployed_by_schemamend_is_up_to_date_for_prisma(
    pair: tuple[MigrateProject, Oracle],
) -> None:
    project, oracle = pair
    project.add_standard_history()

    assert deploy(str(project.schema), url=project.url).ok

    result = oracle.status()
    assert up_to_date(result), result.stdout + result.stderr


def test_a_folder_deployed_by_prisma_is_up_to_date_for_schemamend(
    pair: tuple[MigrateProject, Oracle],
) -> None:
    project, oracle = pair
    names = project.add_standard_history()

    deployed = oracle.run("migrate", "deploy")
    assert deployed.returncode == 0, deployed.stderr

    report = status(str(project.schema), url=project.url)
    assert report.status.up_to_date and report.status.applied == names
    assert deploy(str(project.schema), url=project.url).result.applied == []


def test_mixed_history_prisma_first_then_schemamend_then_prisma(
    pair: tuple[MigrateProject, Oracle],
) -> None:
    project, oracle = pair
    project.add_standard_history(1)
    assert oracle.run("migrate", "deploy").returncode == 0
    project.add_standard_history(2)

    report = deploy(str(project.schema), url=project.url)

    assert [m.name for m in report.result.applied] == ["20240102000000_posts"]
    assert up_to_date(oracle.status())
    assert "No pending migrations" in oracle.run("migrate", "deploy").stdout


def test_a_failure_recorded_by_schemamend_blocks_prisma_and_prisma_can_resolve_it(
    pair: tuple[MigrateProject, Oracle],
) -> None:
    project, oracle = pair
    project.add_standard_history(1)
    script = project.add_migration("20240103000000_tags", FAILING)
    assert deploy(str(project.schema), url=project.url).result.failed is not None

    blocked = oracle.run("migrate", "deploy")
    assert blocked.returncode != 0 and "P3009" in blocked.stderr + blocked.stdout
    assert "20240103000000_tags" in blocked.stderr + blocked.stdout

    resolved = oracle.run("migrate", "resolve", "--rolled-back", "20240103000000_tags")
    assert resolved.returncode == 0, resolved.stderr
    script.write_text(FIXED, encoding="utf-8")
    retried = deploy(str(project.schema), url=project.url)

    assert retried.ok and [m.name for m in retried.result.applied] == ["20240103000000_tags"]
    assert up_to_date(oracle.status())


def test_a_failure_recorded_by_prisma_blocks_schemamend_and_schemamend_can_resolve_it(
    pair: tuple[MigrateProject, Oracle],
) -> None:
    project, oracle = pair
    project.add_standard_history(1)
    script = project.add_migration("20240103000000_tags", FAILING)
    assert oracle.run("migrate", "deploy").returncode != 0

    with pytest.raises(FoundFailedMigrations) as blocked:
        deploy(str(project.schema), url=project.url)
    assert blocked.value.names == ["20240103000000_tags"]
    assert [f.name for f in status(str(project.schema), url=project.url).status.failed] == [
        "20240103000000_tags"
    ]

    # Prisma does not wrap the script in a transaction on SQLite: its first statement stayed.
    # The operator cleans up (as Prisma's docs say to), then resolves.
    with connect(parse_url(project.url)) as conn:
        conn.execute('DROP TABLE IF EXISTS "tags"')
    resolve(str(project.schema), rolled_back="20240103000000_tags", url=project.url)
    script.write_text(FIXED, encoding="utf-8")
    retried = oracle.run("migrate", "deploy")

    assert retried.returncode == 0, retried.stderr
    assert status(str(project.schema), url=project.url).status.up_to_date


def test_resolve_applied_by_either_tool_is_seen_by_the_other(
    pair: tuple[MigrateProject, Oracle],
) -> None:
    project, oracle = pair
    names = project.add_standard_history(2)
    connect(parse_url(project.url), create=True).close()

    resolve(str(project.schema), applied=names[0], url=project.url, force=True)
    by_prisma = oracle.run("migrate", "resolve", "--applied", names[1])

    assert by_prisma.returncode == 0, by_prisma.stderr
    assert up_to_date(oracle.status())
    assert status(str(project.schema), url=project.url).status.up_to_date
    again = oracle.run("migrate", "resolve", "--applied", names[0])
    assert "P3008" in again.stderr + again.stdout


def test_edited_migrations_are_reported_by_schemamend_only(
    pair: tuple[MigrateProject, Oracle],
) -> None:
    project, oracle = pair
    names = project.add_standard_history(2)
    assert oracle.run("migrate", "deploy").returncode == 0
    edited = project.migrations / names[1] / "migration.sql"
    edited.write_bytes(edited.read_bytes() + b"-- edited\n")

    assert up_to_date(oracle.status())  # Prisma's status does not look at checksums
    assert status(str(project.schema), url=project.url).status.edited == [names[1]]


def _history_columns(url: str) -> list[tuple[object, ...]]:
    with connect(parse_url(url)) as conn:
        if conn.family.value == "sqlite":
            return [tuple(r[1:6]) for r in conn.query('PRAGMA table_info("_prisma_migrations")')]
        return conn.query(
            "SELECT column_name, data_type, character_maximum_length, is_nullable, column_default "
            "FROM information_schema.columns WHERE table_name = '_prisma_migrations' "
            "AND table_schema = current_schema() ORDER BY ordinal_position"
        )


def test_the_history_table_has_the_same_columns_and_types_as_prismas(
    pair: tuple[MigrateProject, Oracle], tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    project, oracle = pair
    project.add_standard_history(1)
    assert oracle.run("migrate", "deploy").returncode == 0
    prisma_columns = _history_columns(project.url)

    with ExitStack() as stack:
        if project.provider == "sqlite":
            other_url = f"file:{tmp_path / 'ours.db'}"
        else:
            other_url = stack.enter_context(request.getfixturevalue("pg_server").throwaway())
        assert other_url != project.url
        ours = make_project(tmp_path / "ours", other_url)
        ours.add_standard_history(1)
        assert deploy(str(ours.schema), url=other_url).ok

        assert _history_columns(other_url) == prisma_columns
