"""The reference incident, diagnosed and fixed: doctor → repair → baseline → doctor healthy.

PostgreSQL runs ../shared's scenario exactly (make-production.sh, its schema
and migrations); SQLite and MariaDB run the incident the package ships for
the demo (same tables, same history quirks, written for that database).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from schemamend.cli.main import cli
from schemamend.commands.baseline import baseline
from schemamend.commands.doctor import doctor
from schemamend.commands.migrate import deploy
from schemamend.dialects.registry import dialect_for
from schemamend.migrate.drift import compare

from .doctor_support import (
    FIRST_MIGRATION,
    MISSING_ENUMS,
    MISSING_TABLES,
    cause,
    cause_codes,
    checksums,
    live_schema,
    missing_of,
    packaged_incident,
    repair,
    shared_incident,
)


def _declared(schema: Path) -> Any:
    from schemamend.psl import load_schema

    datamodel = load_schema(schema).require()
    assert datamodel.datasource is not None
    dialect = dialect_for(datamodel.datasource.provider)
    return dialect, dialect.calculate(datamodel)


def _indexes_and_keys_of_missing_tables(schema: Path) -> tuple[set[str], set[str]]:
    _, declared = _declared(schema)
    tables = [t for t in declared.tables if t.name in MISSING_TABLES]
    indexes = {i.name for t in tables for i in t.indexes}
    keys = {fk.name for t in tables for fk in t.foreign_keys}
    return indexes, keys


def assert_incident_diagnosed(report: Any, schema: Path, *, named_enums: bool) -> None:
    """Exactly the 7 tables (and 5 enums where enums are types), their indexes and keys; nothing else."""
    assert missing_of(report, "table") == MISSING_TABLES
    assert missing_of(report, "enum") == (MISSING_ENUMS if named_enums else set())
    indexes, keys = _indexes_and_keys_of_missing_tables(schema)
    in_tables = missing_of(report, "index", in_table=True) | missing_of(
        report, "unique", in_table=True
    )
    assert in_tables == indexes
    assert missing_of(report, "foreign key", in_table=True) == keys
    others = [
        f.label()
        for f in report.drift.missing
        if f.kind not in ("table", "enum") and not f.in_missing_table
    ]
    assert others == [], f"unexpected missing objects: {others}"
    assert [d.label() for d in report.drift.different] == []
    assert [f.label() for f in report.drift.extra] == []
    assert report.exit_code == 2
    codes = cause_codes(report)
    assert "no-baseline" in codes
    assert "tables-not-in-history" in codes
    assert "duplicate-migration-name" in codes
    assert "nonstandard-migration-name" in codes
    assert "7 tables are declared but no migration creates them" in cause(
        report, "tables-not-in-history"
    )
    assert "no baseline migration" in cause(report, "no-baseline")
    assert "`users`" in cause(report, "no-baseline")
    assert FIRST_MIGRATION in cause(report, "nonstandard-migration-name")
    commands = [f.command for f in report.fixes]
    order = [
        next(i for i, c in enumerate(commands) if verb in c)
        for verb in ("repair", "baseline", "verify")
    ]
    assert order == sorted(order), commands
    assert commands[0].endswith("--dry-run")


def assert_fixed(schema: Path, url: str, fresh_url: str, before: dict[str, str]) -> None:
    """Repair and baseline leave a healthy database, the same rows, and a folder that builds it."""
    repaired = repair(schema, url)
    assert getattr(repaired, "ok", True)
    assert checksums(url) == before
    after_repair = doctor(str(schema), url=url)
    assert after_repair.drift.in_sync
    assert cause_codes(after_repair)[:1] == ["no-baseline"]

    based = baseline(str(schema), url=url)
    assert based.ok and based.recorded, based.refused
    healthy = doctor(str(schema), url=url)
    assert healthy.healthy, [c.message for c in healthy.causes]
    assert healthy.exit_code == 0
    assert healthy.history.replay.ok and not healthy.history.replay.differences
    assert checksums(url) == before

    result = deploy(str(schema), url=fresh_url)
    assert result.ok
    assert [m.name for m in result.result.applied] == [based.name]
    dialect, _ = _declared(schema)
    fresh_vs_live = compare(live_schema(fresh_url), live_schema(url), dialect.capabilities)
    assert fresh_vs_live.in_sync and not fresh_vs_live.extra, fresh_vs_live.changes


@pytest.mark.shared
def test_postgres_scenario_doctor_finds_the_seven_tables_and_five_enums(
    tmp_path: Path, pg_url: str, shared_dir: Path
) -> None:
    schema = shared_incident(tmp_path, pg_url, shared_dir)
    report = doctor(str(schema), url=pg_url)
    assert_incident_diagnosed(report, schema, named_enums=True)
    no_baseline = cause(report, "no-baseline")
    assert f"fails at `{FIRST_MIGRATION}`" in no_baseline
    assert 'relation "users" does not exist' in no_baseline


@pytest.mark.shared
def test_postgres_scenario_repaired_and_baselined_is_healthy_and_rebuildable(
    tmp_path: Path, pg_url: str, pg_server: Any, shared_dir: Path
) -> None:
    schema = shared_incident(tmp_path, pg_url, shared_dir)
    before = checksums(pg_url)
    with pg_server.throwaway() as fresh_url:
        assert_fixed(schema, pg_url, fresh_url, before)


@pytest.mark.shared
def test_doctor_json_has_the_stable_keys_and_exit_code_2(
    tmp_path: Path, pg_url: str, shared_dir: Path
) -> None:
    schema = shared_incident(tmp_path, pg_url, shared_dir)
    result = CliRunner().invoke(cli, ["doctor", "--schema", str(schema), "--url", pg_url, "--json"])
    assert result.exit_code == 2, result.output
    payload = json.loads(result.output)
    assert {"missing", "different", "extra", "history", "causes", "fixes"} <= set(payload)
    assert {f["name"] for f in payload["missing"] if f["kind"] == "table"} == MISSING_TABLES
    assert payload["history"]["replay"]["failedAt"] == FIRST_MIGRATION
    assert all(set(c) == {"code", "severity", "message"} for c in payload["causes"])
    assert all(set(f) == {"command", "why"} for f in payload["fixes"])


def test_sqlite_incident_diagnosed_then_fixed(tmp_path: Path, sqlite_url: str) -> None:
    schema = packaged_incident(tmp_path / "project", sqlite_url)
    report = doctor(str(schema), url=sqlite_url)
    assert_incident_diagnosed(report, schema, named_enums=False)
    # SQLite accepts a foreign key to a missing table: the replay first fails at the second folder.
    assert "no such table: customer_plans" in cause(report, "no-baseline")
    fresh = f"file:{tmp_path / 'fresh.db'}"
    assert_fixed(schema, sqlite_url, fresh, checksums(sqlite_url))


def test_mariadb_incident_diagnosed_then_fixed(
    tmp_path: Path, mysql_url: str, mysql_server: Any
) -> None:
    schema = packaged_incident(tmp_path / "project", mysql_url)
    report = doctor(str(schema), url=mysql_url)
    assert_incident_diagnosed(report, schema, named_enums=False)
    assert f"fails at `{FIRST_MIGRATION}`" in cause(report, "no-baseline")
    with mysql_server.throwaway() as fresh_url:
        assert_fixed(schema, mysql_url, fresh_url, checksums(mysql_url))


def test_doctor_cli_prints_one_screen_with_causes_and_fixes(
    tmp_path: Path, sqlite_url: str
) -> None:
    schema = packaged_incident(tmp_path / "project", sqlite_url)
    result = CliRunner().invoke(cli, ["doctor", "--schema", str(schema), "--url", sqlite_url])
    assert result.exit_code == 2, result.output
    for text in (
        "Missing",
        "developer_projects",
        "History",
        "Why",
        "no baseline migration",
        "Fix it",
    ):
        assert text in result.output
    assert "schemamend repair" in result.output
    assert len(result.output.splitlines()) < 60


@pytest.mark.shared
def test_without_the_right_to_create_databases_the_doctor_still_names_the_missing_baseline(
    tmp_path: Path, pg_server: Any, shared_dir: Path
) -> None:
    import secrets

    role = f"sm_app_{secrets.token_hex(4)}"
    database = f"sm_test_{secrets.token_hex(6)}"
    pg_server.require()
    with pg_server.admin_connect() as admin:
        admin.execute(f'CREATE ROLE "{role}" LOGIN NOCREATEDB')
        admin.execute(f'CREATE DATABASE "{database}" OWNER "{role}"')
    url = f"postgresql://{role}@{pg_server.host}:{pg_server.port}/{database}"
    try:
        schema = shared_incident(tmp_path, url, shared_dir)
        report = doctor(str(schema), url=url)
        assert report.history.replay.unavailable is not None
        assert "permission denied" in report.history.replay.unavailable
        assert "no migration creates `users`, `customer_plans`" in cause(report, "no-baseline")
        assert missing_of(report, "table") == MISSING_TABLES

        refused = CliRunner().invoke(cli, ["baseline", "--schema", str(schema), "--url", url])
        assert refused.exit_code == 2

        # A server where shadow databases may be made: the replay runs there.
        shadow_server = pg_server.url("postgres")
        replayed = doctor(str(schema), url=url, shadow_database_url=shadow_server)
        assert replayed.history.replay.failed_at == FIRST_MIGRATION
        repair(schema, url)
        based = baseline(str(schema), url=url, shadow_database_url=shadow_server)
        assert based.recorded
        assert doctor(str(schema), url=url, shadow_database_url=shadow_server).healthy
    finally:
        with pg_server.admin_connect() as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
            admin.execute(f'DROP ROLE IF EXISTS "{role}"')
