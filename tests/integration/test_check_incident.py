"""`schemamend check`: exit 0 only when history replays, builds the schema, is unedited and lints clean.

The reference incident fails at its first migration (`users` does not exist
on an empty database); after `repair` and `baseline` the same project passes.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from schemamend.cli.main import cli
from schemamend.commands.baseline import baseline
from schemamend.commands.check import Status, check
from schemamend.commands.dev import migrate_dev
from schemamend.commands.migrate import deploy

from .doctor_support import FIRST_MIGRATION, packaged_incident, repair, shared_incident


def _statuses(report: Any) -> list[str]:
    return [c.status.value for c in report.conditions]


def _assert_fixed_by_baseline(schema: Path, url: str) -> None:
    assert getattr(repair(schema, url), "ok", True)
    based = baseline(str(schema), url=url)
    assert based.ok and based.recorded, based.refused
    passed = check(str(schema), url=url)
    assert passed.ok and passed.exit_code == 0, [c.to_json() for c in passed.conditions]
    assert _statuses(passed)[:3] == ["passed", "passed", "passed"]


@pytest.mark.shared
def test_reference_scenario_fails_at_the_first_migration_then_passes_after_baseline(
    tmp_path: Path, pg_url: str, shared_dir: Path
) -> None:
    schema = shared_incident(tmp_path, pg_url, shared_dir)
    report = check(str(schema), url=pg_url)
    first = report.first_failure
    assert first is not None and first.number == 1 and report.exit_code == 2
    assert first.evidence[0] == (
        f"`{FIRST_MIGRATION}` fails when replayed from an empty database: table `users` does not exist"
    )
    assert first.fix is not None and first.fix.startswith("schemamend baseline --schema")
    assert report.conditions[1].status is Status.SKIPPED

    result = CliRunner().invoke(cli, ["check", "--schema", str(schema), "--url", pg_url])
    assert result.exit_code == 2
    assert "Check failed at condition (1)" in result.output
    assert "table `users` does not exist" in result.output
    assert "Fix: schemamend baseline" in result.output

    _assert_fixed_by_baseline(schema, pg_url)
    ok = CliRunner().invoke(cli, ["check", "--schema", str(schema), "--url", pg_url])
    assert ok.exit_code == 0, ok.output
    assert "Check passed." in ok.output


def test_sqlite_incident_fails_on_replay_then_passes_after_baseline(
    tmp_path: Path, sqlite_url: str
) -> None:
    schema = packaged_incident(tmp_path / "project", sqlite_url)
    report = check(str(schema))  # no URL: the shadow is in memory, condition 3 is skipped
    first = report.first_failure
    assert first is not None and first.number == 1
    assert "customer_plans" in first.evidence[0]
    assert report.conditions[2].status is Status.SKIPPED
    _assert_fixed_by_baseline(schema, sqlite_url)


def test_mariadb_incident_fails_at_the_first_migration_then_passes_after_baseline(
    tmp_path: Path, mysql_url: str
) -> None:
    schema = packaged_incident(tmp_path / "project", mysql_url)
    first = check(str(schema), url=mysql_url).first_failure
    assert first is not None and first.number == 1
    assert first.evidence[0].startswith(
        f"`{FIRST_MIGRATION}` fails when replayed from an empty database"
    )
    _assert_fixed_by_baseline(schema, mysql_url)


SCHEMA = """datasource db {
  provider = "sqlite"
}

model Account {
  id    Int    @id @default(autoincrement())
  email String @unique
}
"""


def _project(root: Path) -> Path:
    schema = root / "prisma" / "schema.prisma"
    schema.parent.mkdir(parents=True)
    schema.write_text(SCHEMA, encoding="utf-8")
    migrate_dev(str(schema), name="init")
    return schema


def test_a_schema_change_without_a_migration_names_the_changes_and_the_fixing_command(
    tmp_path: Path,
) -> None:
    schema = _project(tmp_path)
    assert check(str(schema)).ok
    schema.write_text(SCHEMA + "\nmodel Post {\n  id Int @id\n}\n", encoding="utf-8")
    report = check(str(schema))
    first = report.first_failure
    assert first is not None and first.number == 2
    assert "  create table Post" in first.evidence
    assert first.fix == f"schemamend migrate dev --create-only --name add_post --schema {schema}"

    migrate_dev(str(schema), name="add_post")
    assert check(str(schema)).ok


def test_an_applied_migration_edited_afterwards_fails_condition_three(
    tmp_path: Path, sqlite_url: str
) -> None:
    schema = _project(tmp_path)
    assert deploy(str(schema), url=sqlite_url).ok
    (script,) = (schema.parent / "migrations").glob("*/migration.sql")
    script.write_text(script.read_text(encoding="utf-8") + "-- tidied up\n", encoding="utf-8")
    report = check(str(schema), url=sqlite_url)
    first = report.first_failure
    assert first is not None and first.number == 3
    assert "changed since" in first.evidence[0]
    assert first.fix is not None and "git checkout" in first.fix


def test_without_the_lint_condition_four_is_skipped_with_a_note(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    schema = _project(tmp_path)
    monkeypatch.setitem(sys.modules, "schemamend.commands.lint", None)
    report = check(str(schema))
    assert report.ok
    assert report.conditions[3].status is Status.SKIPPED
    assert report.conditions[3].evidence == ("schemamend lint is not installed",)


def test_check_json_names_the_first_failure(tmp_path: Path) -> None:
    schema = _project(tmp_path)
    schema.write_text(
        SCHEMA.replace("  email String @unique\n", "  email String @unique\n  bio String?\n"),
        encoding="utf-8",
    )
    result = CliRunner().invoke(cli, ["check", "--schema", str(schema), "--json"])
    assert result.exit_code == 2, result.output
    payload = json.loads(result.output)
    assert payload["ok"] is False and payload["firstFailure"] == 2
    assert [c["status"] for c in payload["conditions"]][:2] == ["passed", "failed"]
