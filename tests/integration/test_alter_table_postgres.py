"""Altered columns on a real PostgreSQL: our script repairs the drift it was computed from.

The reference scenario's database drifts (nullability, defaults, types, dropped
and extra columns); `migrate diff --from-url --to-schema --script` must give a
script that applies cleanly, after which the same diff is empty.
"""

from __future__ import annotations

import re
from pathlib import Path

import psycopg
import pytest

from schemamend.commands.diff import State, migrate_diff
from schemamend.commands.render import render_from_empty
from schemamend.psl import load_schema

_URL_LINE = re.compile(r"^\s*(url|directUrl|shadowDatabaseUrl)\s*=.*$", re.MULTILINE)

# Drift name → the statements a hand edit of the live database ran.
DRIFTS: dict[str, tuple[str, ...]] = {
    "set not null": ('ALTER TABLE "users" ALTER COLUMN "name" SET NOT NULL',),
    "drop not null": ('ALTER TABLE "users" ALTER COLUMN "email" DROP NOT NULL',),
    "set default": (
        'ALTER TABLE "onboarding_applications" ALTER COLUMN "notes" SET DEFAULT \'x\'',
    ),
    "drop default": ('ALTER TABLE "customer_plans" ALTER COLUMN "max_projects" DROP DEFAULT',),
    "type": (
        'ALTER TABLE "developer_projects" ALTER COLUMN "name" TYPE VARCHAR(200)',
        'ALTER TABLE "project_expenses" ALTER COLUMN "amount" TYPE DOUBLE PRECISION',
        'ALTER TABLE "customer_plans" ALTER COLUMN "trial_ends_at" TYPE DATE',
    ),
    "dropped and extra columns": (
        'ALTER TABLE "users" DROP COLUMN "role"',
        'ALTER TABLE "developer_projects" ADD COLUMN "zzz" INTEGER, ADD COLUMN "aaa" TEXT',
        'ALTER TABLE "developer_projects" DROP COLUMN "updated_at", DROP COLUMN "created_at"',
    ),
    "altered table before dropped and created tables": (
        'CREATE TABLE "extra_table" ("id" INTEGER PRIMARY KEY)',
        'ALTER TABLE "users" ALTER COLUMN "name" SET NOT NULL',
        'DROP TABLE "project_milestones"',
    ),
    "everything at once": (
        'ALTER TABLE "users" DROP COLUMN "role"',
        'ALTER TABLE "users" ALTER COLUMN "email" DROP NOT NULL, ALTER COLUMN "name" SET NOT NULL',
        'ALTER TABLE "customer_plans" ALTER COLUMN "max_projects" DROP DEFAULT',
        'ALTER TABLE "developer_projects" ALTER COLUMN "slug" DROP NOT NULL, ALTER COLUMN "slug" TYPE VARCHAR(10),'
        ' ALTER COLUMN "slug" SET DEFAULT \'x\', ALTER COLUMN "currency" TYPE TEXT, ADD COLUMN "extra" INTEGER',
        'ALTER TABLE "developer_projects" ALTER COLUMN "address" TYPE INTEGER USING NULL',
    ),
}


def scenario_schema(shared_dir: Path, folder: Path) -> Path:
    """The reference schema without its `url` line (Prisma 7 rejects it)."""
    source = shared_dir / "scenarios" / "seed-incident" / "prisma" / "schema.prisma"
    copy = folder / "schema.prisma"
    copy.write_text(_URL_LINE.sub("", source.read_text(encoding="utf-8")), encoding="utf-8")
    return copy


def build_drifted(url: str, schema: Path, drift: tuple[str, ...]) -> None:
    script = render_from_empty(load_schema(schema).require(), "postgresql")
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(script.encode())
        for statement in drift:
            conn.execute(statement.encode())


def diff_script(url: str, schema: Path) -> str:
    return migrate_diff(State("url", url), State("schema", str(schema))).script


@pytest.mark.parametrize("drift", DRIFTS)
def test_script_repairs_the_drift(
    drift: str, pg_url: str, shared_dir: Path, tmp_path: Path
) -> None:
    schema = scenario_schema(shared_dir, tmp_path)
    build_drifted(pg_url, schema, DRIFTS[drift])
    script = diff_script(pg_url, schema)
    assert "-- AlterTable" in script
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute(script.encode())
    assert migrate_diff(State("url", pg_url), State("schema", str(schema))).is_empty


def test_one_step_per_altered_table(pg_url: str, shared_dir: Path, tmp_path: Path) -> None:
    schema = scenario_schema(shared_dir, tmp_path)
    build_drifted(pg_url, schema, DRIFTS["everything at once"])
    report = migrate_diff(State("url", pg_url), State("schema", str(schema)))
    tables = [step.change.table.name for step in report.steps if hasattr(step.change, "table")]
    assert tables == ["customer_plans", "developer_projects", "users"]
    assert sum(len(step.changes) for step in report.steps) == len(report.changes)
