"""Every rendered from-empty script applies cleanly to a real database.

PostgreSQL (throwaway database per test, psycopg 3), MariaDB (PyMySQL) and
SQLite (stdlib): the seed-incident scenario, every real-world schema of the
matching provider, every render fixture, and each of those schemas under the
other providers whenever it still validates there (no provider-specific
types). After applying, the database holds exactly the tables we declared.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from schemamend.commands.render import FromEmptyPlan, plan_from_empty
from schemamend.psl import check_text
from scripts.prisma_oracle import default_oracle_path
from scripts.render_conformance import provider_of, switch_provider

PROVIDERS = ("postgresql", "mysql", "sqlite")
_DB_MARKS = {
    "postgresql": pytest.mark.postgres,
    "mysql": pytest.mark.mysql,
    "sqlite": pytest.mark.sqlite,
}
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "render"
_SHARED = default_oracle_path().parents[2]


def _sources() -> Iterator[tuple[str, str, bool]]:
    """(name, schema text, reads ../shared)"""
    scenario = _SHARED / "scenarios" / "seed-incident" / "prisma" / "schema.prisma"
    if scenario.is_file():
        yield "seed-incident", scenario.read_text(), True
    real_world = _SHARED / "corpus" / "real-world"
    for path in sorted(real_world.glob("*/**/schema.prisma")) if real_world.is_dir() else []:
        yield path.relative_to(real_world).parts[0], path.read_text(), True
    for path in sorted(FIXTURES.glob("*.prisma")):
        yield f"fixture {path.stem}", path.read_text(), False


def _cases() -> list[pytest.param]:  # type: ignore[valid-type]
    cases = []
    for name, text, shared in _sources():
        own = provider_of(text)
        for provider in PROVIDERS:
            marks = [_DB_MARKS[provider], *([pytest.mark.shared] if shared else [])]
            label = name if provider == own else f"{name} (as {provider})"
            variant = text if provider == own else switch_provider(text, provider)
            cases.append(pytest.param(variant, provider, id=f"{label} [{provider}]", marks=marks))
    return cases


def _plan(text: str, provider: str) -> FromEmptyPlan:
    result = check_text(text)
    if not result.ok:
        pytest.skip(f"not a valid {provider} schema (provider-specific features)")
    return plan_from_empty(result.require())


# ── PostgreSQL ──────────────────────────────────────────────────────────────


def _apply_postgres(url: str, plan: FromEmptyPlan, text: str) -> set[tuple[str, str]]:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        if re.search(r"@db\.Citext\b", text):
            conn.execute("CREATE EXTENSION IF NOT EXISTS citext")  # as the application's DBA would
        conn.execute(plan.migration_sql.encode())
        rows = conn.execute(
            "SELECT table_schema, table_name FROM information_schema.tables "
            "WHERE table_schema NOT IN ('pg_catalog', 'information_schema')"
        ).fetchall()
    return {(schema, table) for schema, table in rows}


# ── MariaDB ─────────────────────────────────────────────────────────────────


def _apply_mysql(url: str, plan: FromEmptyPlan) -> set[str]:
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
        with conn.cursor() as cur:
            for step in plan.steps:
                for statement in step.statements:
                    cur.execute(statement)
            cur.execute("SHOW TABLES")
            return {row[0] for row in cur.fetchall()}
    finally:
        conn.close()


# ── SQLite ──────────────────────────────────────────────────────────────────


def _apply_sqlite(path: Path, plan: FromEmptyPlan) -> set[str]:
    conn = sqlite3.connect(path)
    try:
        conn.executescript(plan.migration_sql)
        rows = conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name != 'sqlite_sequence'"
        )
        return {row[0] for row in rows}
    finally:
        conn.close()


@pytest.mark.parametrize(("text", "provider"), _cases())
def test_rendered_script_applies_and_creates_every_table(
    request: pytest.FixtureRequest, tmp_path: Path, text: str, provider: str
) -> None:
    plan = _plan(text, provider)
    if provider == "postgresql":
        url = request.getfixturevalue("pg_url")
        created = _apply_postgres(url, plan, text)
        expected = {(t.namespace or "public", t.name) for t in plan.schema.tables}
        assert created == expected
    elif provider == "mysql":
        url = request.getfixturevalue("mysql_url")
        assert _apply_mysql(url, plan) == {t.name for t in plan.schema.tables}
    else:
        assert _apply_sqlite(tmp_path / "dev.db", plan) == {t.name for t in plan.schema.tables}
