"""Helpers for the incident-workflow tests: build production states, read rows, repair."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from schemamend.commands.demo import (
    EXISTING_TABLES,
    build_production,
    run_repair,
    table_checksums,
    write_project,
)
from schemamend.db import Connection, connect, parse_url
from schemamend.introspect import introspect
from schemamend.model import sql

MISSING_TABLES = {
    "developer_projects",
    "budget_line_items",
    "project_expenses",
    "project_funding",
    "project_invoices",
    "project_forecasts",
    "project_milestones",
}
MISSING_ENUMS = {
    "ProjectStatus",
    "ExpenseCategory",
    "FundingSource",
    "InvoiceStatus",
    "MilestoneStatus",
}
FIRST_MIGRATION = "20251108_add_onboarding_applications"


def open_url(url: str) -> Connection:
    return connect(parse_url(url), create=True)


def packaged_incident(root: Path, url: str) -> Path:
    """The demo's incident (for the URL's database family) built at `url`; returns the schema path."""
    provider = parse_url(url).family.value
    schema = write_project(root, provider)
    with open_url(url) as conn:
        build_production(conn, schema, provider)
    return schema


def shared_incident(root: Path, url: str, shared_dir: Path) -> Path:
    """../shared's scenario: its prisma folder copied, production built by make-production.sh."""
    if shutil.which("psql") is None:
        pytest.skip("psql is not installed (make-production.sh needs it)")
    scenario = shared_dir / "scenarios" / "seed-incident"
    shutil.copytree(scenario / "prisma", root / "prisma")
    subprocess.run(
        ["sh", str(scenario / "make-production.sh"), url],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return root / "prisma" / "schema.prisma"


def checksums(url: str) -> dict[str, str]:
    with open_url(url) as conn:
        return table_checksums(conn, EXISTING_TABLES)


def live_schema(url: str) -> sql.Schema:
    with open_url(url) as conn:
        return introspect(conn)


def repair(schema: Path, url: str) -> Any:
    """The repair command (safe steps only)."""
    return run_repair(str(schema), url)


def missing_of(report: Any, kind: str, *, in_table: bool = False) -> set[str]:
    return {
        f.name for f in report.drift.missing if f.kind == kind and f.in_missing_table == in_table
    }


def cause_codes(report: Any) -> list[str]:
    return [c.code for c in report.causes]


def cause(report: Any, code: str) -> str:
    for item in report.causes:
        if item.code == code:
            return str(item.message)
    raise AssertionError(f"no cause {code!r} in {[c.code for c in report.causes]}")
