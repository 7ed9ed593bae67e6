"""`schemamend verify`: every declared table, present or missing, with its column coverage."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from schemamend.cli.main import cli
from schemamend.commands.verify import verify

from .doctor_support import MISSING_TABLES, open_url, packaged_incident, repair


def test_verify_lists_present_and_missing_tables_and_exits_2(
    tmp_path: Path, sqlite_url: str
) -> None:
    schema = packaged_incident(tmp_path / "project", sqlite_url)
    report = verify(str(schema), url=sqlite_url)
    assert len(report.tables) == 10
    assert {t.name for t in report.tables if not t.present} == MISSING_TABLES
    assert report.present == 3
    users = next(t for t in report.tables if t.name == "users")
    assert users.ok and (users.columns_matching, users.columns) == (6, 6)
    projects = next(t for t in report.tables if t.name == "developer_projects")
    assert (projects.columns_present, projects.columns) == (0, 12)
    assert not report.ok and report.exit_code == 2


def test_verify_is_ok_after_repair(tmp_path: Path, sqlite_url: str) -> None:
    schema = packaged_incident(tmp_path / "project", sqlite_url)
    repair(schema, sqlite_url)
    report = verify(str(schema), url=sqlite_url)
    assert report.ok and report.exit_code == 0
    result = CliRunner().invoke(cli, ["verify", "--schema", str(schema), "--url", sqlite_url])
    assert result.exit_code == 0, result.output
    assert "all 10 declared tables are present and match" in result.output


def test_verify_counts_a_missing_column_and_a_missing_index(
    tmp_path: Path, sqlite_url: str
) -> None:
    schema = packaged_incident(tmp_path / "project", sqlite_url)
    repair(schema, sqlite_url)
    with open_url(sqlite_url) as conn:
        conn.execute('DROP INDEX "project_milestones_project_id_position_idx"')
        conn.execute('ALTER TABLE "project_milestones" DROP COLUMN "completed_at"')
    result = CliRunner().invoke(
        cli, ["verify", "--schema", str(schema), "--url", sqlite_url, "--json"]
    )
    assert result.exit_code == 2, result.output
    payload = json.loads(result.output)
    milestones = next(t for t in payload["tables"] if t["table"] == "project_milestones")
    assert milestones["present"] and not milestones["ok"]
    assert (milestones["columnsMatching"], milestones["columns"]) == (6, 7)
    assert milestones["missingColumns"] == ["completed_at"]
    assert milestones["missingIndexes"] == ["project_milestones_project_id_position_idx"]
