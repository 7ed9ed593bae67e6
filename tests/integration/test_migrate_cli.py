"""The CLI verbs: output, JSON and exit codes (SQLite, so no server is needed)."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from schemamend.cli.main import cli
from tests.integration.migrate_project import MigrateProject, make_project


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def project_at(tmp_path: Path, sqlite_url: str) -> MigrateProject:
    project = make_project(tmp_path / "app", sqlite_url)
    project.add_standard_history(1)
    return project


def test_migrate_deploy_then_status_in_text(tmp_path: Path, sqlite_url: str) -> None:
    project = project_at(tmp_path, sqlite_url)
    base = ("--schema", str(project.schema), "--url", sqlite_url)

    code, before, _ = run("migrate", "status", *base)
    assert code == 1 and "have not yet been applied" in before and "20240101000000_init" in before

    code, out, _ = run("migrate", "deploy", *base)
    assert code == 0
    assert "Applied migration `20240101000000_init` (1 statements, one transaction)" in out
    assert "All migrations have been successfully applied." in out

    code, out, _ = run("migrate", "status", *base)
    assert code == 0 and "Database schema is up to date!" in out


def test_status_json_lists_every_category(tmp_path: Path, sqlite_url: str) -> None:
    project = project_at(tmp_path, sqlite_url)
    run("migrate", "deploy", "--schema", str(project.schema), "--url", sqlite_url)
    project.add_standard_history(2)

    code, out, _ = run(
        "migrate", "status", "--schema", str(project.schema), "--url", sqlite_url, "--json"
    )

    payload = json.loads(out)
    assert code == 1
    assert payload["upToDate"] is False
    assert payload["applied"] == ["20240101000000_init"]
    assert payload["pending"] == ["20240102000000_posts"]
    assert (
        payload["failed"] == [] and payload["edited"] == [] and payload["missingFromFolder"] == []
    )


def test_startup_deploy_prints_one_json_line_and_exits_2_on_drift(
    tmp_path: Path, sqlite_url: str
) -> None:
    project = project_at(tmp_path, sqlite_url)

    code, out, _ = run("deploy", "--schema", str(project.schema), "--url", sqlite_url, "--json")

    assert code == 2
    assert len(out.strip().splitlines()) == 1
    payload = json.loads(out)
    assert payload["applied"] == ["20240101000000_init"]
    assert "table posts" in payload["drift"]["missing"]


def test_startup_deploy_text_fits_on_a_screen(tmp_path: Path, sqlite_url: str) -> None:
    project = project_at(tmp_path, sqlite_url)
    project.add_standard_history(2)

    code, out, err = run(
        "deploy", "--schema", str(project.schema), "--url", sqlite_url, "--wait", "5"
    )

    assert code == 0, err
    assert "Applied 2 migration(s)" in out
    assert "Schema check: all 2 declared tables exist" in out
    assert len((out + err).splitlines()) <= 24


def test_resolve_errors_keep_prisma_codes_and_wording(tmp_path: Path, sqlite_url: str) -> None:
    project = project_at(tmp_path, sqlite_url)
    run("migrate", "deploy", "--schema", str(project.schema), "--url", sqlite_url)

    code, out, _ = run(
        "migrate",
        "resolve",
        "--schema",
        str(project.schema),
        "--url",
        sqlite_url,
        "--rolled-back",
        "20240101000000_init",
        "--json",
    )

    assert code == 1
    error = json.loads(out)["error"]
    assert error["code"] == "P3012"
    assert error["message"] == (
        "Migration `20240101000000_init` cannot be rolled back because it is not in a failed state."
    )


def test_resolve_applied_refuses_when_the_database_lacks_what_the_migration_creates(
    tmp_path: Path, sqlite_url: str
) -> None:
    project = project_at(tmp_path, sqlite_url)
    project.add_standard_history(2)
    run(
        "migrate", "deploy", "--schema", str(project.schema), "--url", sqlite_url
    )  # creates the file
    project.add_migration(
        "20240103000000_more", 'CREATE TABLE "more" ("id" INTEGER PRIMARY KEY);\n'
    )

    code, out, err = run(
        "migrate",
        "resolve",
        "--schema",
        str(project.schema),
        "--url",
        sqlite_url,
        "--applied",
        "20240103000000_more",
    )

    assert code == 2, out + err
    assert "does not contain what the migrations up to `20240103000000_more` create" in err
    assert "more" in err and "--force" in err

    code, out, err = run(
        "migrate",
        "resolve",
        "--schema",
        str(project.schema),
        "--url",
        sqlite_url,
        "--applied",
        "20240103000000_more",
        "--force",
    )
    assert code == 0, err
    assert (
        "Not verified (--force)." in out
        and "Migration 20240103000000_more marked as applied." in out
    )


def test_startup_deploy_waits_with_backoff_then_fails_with_p1001(tmp_path: Path) -> None:
    url = "postgresql://app:hunter2@127.0.0.1:1/app"  # nothing listens on port 1
    project = make_project(tmp_path / "app", url)

    code, out, err = run("deploy", "--schema", str(project.schema), "--url", url, "--wait", "1.5")

    assert code == 1
    assert "waiting for the database (attempt 1" in err
    assert "Can't reach database server at `127.0.0.1:1`" in err
    assert "hunter2" not in out + err
