"""`schemamend baseline`: refuses unless the database matches; otherwise writes, archives, records."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from schemamend.cli.main import cli
from schemamend.commands.baseline import baseline
from schemamend.commands.doctor import doctor
from schemamend.commands.migrate import status
from schemamend.migrate.baseline import (
    archive_root,
    archived_migrations,
    baseline_name,
    undo_baseline,
    write_baseline,
)
from schemamend.migrate.folder import checksum, read_migrations_folder
from schemamend.migrate.history import History

from .doctor_support import open_url, packaged_incident, repair

OLD = [
    "20251108_add_onboarding_applications",
    "20251109190000_add_missing_customer_plan_fields",
    "20251116132708_add_missing_customer_plan_fields",
]


def _tree(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


def _history_names(url: str) -> list[str]:
    with open_url(url) as conn:
        return [r.migration_name for r in History(conn).records()]


# ── naming ─────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("existing", "expected"),
    [
        (OLD, "20251107235959_baseline"),
        (["20240101000000_init", "20240301120000_more"], "20231231235959_baseline"),
        (["0_init"], "00000000000000_baseline"),
        (["init", "second"], "00000000000000_baseline"),
    ],
)
def test_the_baseline_sorts_before_every_migration_it_supersedes(
    existing: list[str], expected: str
) -> None:
    name = baseline_name(existing)
    assert name == expected
    assert all(name < other for other in existing)


def test_without_migrations_the_baseline_is_named_now() -> None:
    moment = datetime(2026, 11, 25, 13, 0, 5, tzinfo=UTC)
    assert baseline_name([], moment) == "20261125130005_baseline"


def test_writing_then_undoing_a_baseline_restores_the_folder(tmp_path: Path) -> None:
    folder_path = tmp_path / "prisma" / "migrations"
    for name in OLD:
        (folder_path / name).mkdir(parents=True)
        (folder_path / name / "migration.sql").write_text(f"-- {name}\n", encoding="utf-8")
    before = _tree(tmp_path)
    files = write_baseline(
        read_migrations_folder(folder_path), "20251107235959_baseline", "SELECT 1;\n", "sqlite"
    )
    assert read_migrations_folder(folder_path).names == ["20251107235959_baseline"]
    assert set(archived_migrations(folder_path)) == set(OLD)
    assert (archive_root(folder_path) / "20251107235959_baseline" / "README.md").is_file()
    undo_baseline(files)
    assert _tree(tmp_path) == before
    assert not archive_root(folder_path).exists()


# ── against databases ──────────────────────────────────────────────────────────


def test_baseline_refuses_while_declared_tables_are_missing_and_changes_nothing(
    tmp_path: Path, sqlite_url: str
) -> None:
    schema = packaged_incident(tmp_path / "project", sqlite_url)
    before = _tree(tmp_path / "project")
    report = baseline(str(schema), url=sqlite_url)
    assert not report.ok and report.exit_code == 2
    assert "missing table developer_projects" in report.refused
    assert not report.written and not report.recorded
    assert _tree(tmp_path / "project") == before
    assert _history_names(sqlite_url) == OLD

    result = CliRunner().invoke(cli, ["baseline", "--schema", str(schema), "--url", sqlite_url])
    assert result.exit_code == 2
    assert "Refused" in result.output and "developer_projects" in result.output


def test_baseline_dry_run_verifies_and_writes_nothing(tmp_path: Path, sqlite_url: str) -> None:
    schema = packaged_incident(tmp_path / "project", sqlite_url)
    repair(schema, sqlite_url)
    before = _tree(tmp_path / "project")
    report = baseline(str(schema), url=sqlite_url, dry_run=True)
    assert report.ok and report.dry_run and not report.written
    assert len(report.checks) == 3
    assert _tree(tmp_path / "project") == before


def test_baseline_archives_superseded_migrations_and_records_itself(
    tmp_path: Path, sqlite_url: str
) -> None:
    schema = packaged_incident(tmp_path / "project", sqlite_url)
    migrations = schema.parent / "migrations"
    originals = {name: (migrations / name / "migration.sql").read_bytes() for name in OLD}
    repair(schema, sqlite_url)
    report = baseline(str(schema), url=sqlite_url)
    assert report.ok and report.written and report.recorded
    assert report.name == "20251107235959_baseline"
    assert report.archived == OLD
    folder = read_migrations_folder(migrations)
    assert folder.names == [report.name]
    assert folder.migrations[0].text == report.sql
    assert 'CREATE TABLE "developer_projects"' in report.sql
    for name, data in originals.items():
        assert (
            archive_root(migrations) / report.name / name / "migration.sql"
        ).read_bytes() == data
    with open_url(sqlite_url) as conn:
        records = History(conn).records()
    assert [r.migration_name for r in records] == [*OLD, report.name]
    assert records[-1].checksum == checksum(folder.migrations[0].data)
    assert any("moved (not deleted)" in line for line in report.explanation())

    again = baseline(str(schema), url=sqlite_url)
    assert again.already and not again.written
    assert read_migrations_folder(migrations).names == [report.name]


def test_baseline_on_a_pushed_database_creates_the_history_table(
    tmp_path: Path, sqlite_url: str
) -> None:
    from .test_doctor_cases import _project, _push

    schema = _project(tmp_path)
    _push(schema, sqlite_url)
    report = baseline(str(schema), url=sqlite_url)
    assert report.recorded and report.archived == []
    assert _history_names(sqlite_url) == [report.name]
    assert doctor(str(schema), url=sqlite_url).healthy


def test_baseline_refuses_when_a_column_differs(tmp_path: Path, sqlite_url: str) -> None:
    from .test_doctor_cases import SCHEMA, _project, _push

    schema = _project(tmp_path)
    _push(schema, sqlite_url)
    schema.write_text(SCHEMA.replace("name  String?", "name  String "), encoding="utf-8")
    report = baseline(str(schema), url=sqlite_url)
    assert report.refused == [
        "different column Account.name: nullability is NULL, declared NOT NULL"
    ]
    assert not report.written


# ── after a baseline: status and deploys ───────────────────────────────────────


@pytest.mark.parametrize("url_fixture", ["sqlite_url", "pg_url"])
def test_after_a_baseline_status_reports_archived_migrations_and_deploys_are_clean(
    tmp_path: Path, url_fixture: str, request: pytest.FixtureRequest
) -> None:
    url: str = request.getfixturevalue(url_fixture)
    schema = packaged_incident(tmp_path / "project", url)
    repair(schema, url)
    report = baseline(str(schema), url=url)
    assert report.recorded

    status_report = status(str(schema), url=url)
    assert status_report.status.archived == {name: report.name for name in OLD}
    assert status_report.status.missing_from_folder == []
    assert status_report.status.up_to_date and status_report.exit_code == 0

    runner = CliRunner()
    shown = runner.invoke(cli, ["migrate", "status", "--schema", str(schema), "--url", url])
    assert shown.exit_code == 0, shown.output
    assert (
        "archived by a baseline" in shown.output and "missing from the folder" not in shown.output
    )
    assert "Database schema is up to date!" in shown.output

    as_json = runner.invoke(
        cli, ["migrate", "status", "--schema", str(schema), "--url", url, "--json"]
    )
    assert as_json.exit_code == 0
    assert json.loads(as_json.output)["archived"][0] == {
        "migration": OLD[0],
        "baseline": report.name,
    }

    deployed = runner.invoke(cli, ["migrate", "deploy", "--schema", str(schema), "--url", url])
    assert deployed.exit_code == 0, deployed.output
    started = runner.invoke(cli, ["deploy", "--schema", str(schema), "--url", url])
    assert started.exit_code == 0, started.output
    assert _history_names(url) == [*OLD, report.name]

    checked = doctor(str(schema), url=url).history
    assert checked.archived == OLD and checked.unknown == []
