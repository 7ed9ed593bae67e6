"""`schemamend demo`: the incident end to end, on embedded SQLite and on real servers."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from schemamend.cli.main import cli
from schemamend.commands.demo import incident_files, run_demo

STEP_KINDS = [
    "production",
    "insert",
    "doctor",
    "repair",
    "baseline",
    "verify",
    "insert",
    "counts",
    "fresh",
    "doctor",
]


@pytest.mark.parametrize("provider", ["sqlite", "postgresql", "mysql"])
def test_the_package_ships_the_incident_for_each_database(provider: str) -> None:
    files = incident_files(provider)
    names = sorted(p.name for p in files.joinpath("migrations").iterdir())
    assert names == [
        "20251108_add_onboarding_applications",
        "20251109190000_add_missing_customer_plan_fields",
        "20251116132708_add_missing_customer_plan_fields",
    ]
    for name in ("schema.prisma", "production-before-migrations.sql", "production-data.sql"):
        assert files.joinpath(name).is_file()


def test_demo_on_embedded_sqlite_goes_as_told(tmp_path: Path) -> None:
    report = run_demo(workdir=tmp_path / "demo")
    assert [s.kind for s in report.steps] == STEP_KINDS
    assert report.ok, [s.title for s in report.steps if not s.ok]
    failing, succeeding = (s.payload for s in report.steps if s.kind == "insert")
    assert not failing.ok and "developer_projects" in failing.message
    assert succeeding.ok
    counts = next(s.payload for s in report.steps if s.kind == "counts")
    assert (
        counts.before
        == counts.after
        == {"users": 3, "customer_plans": 2, "onboarding_applications": 2}
    )
    assert counts.same_rows
    first_doctor, last_doctor = (s.payload for s in report.steps if s.kind == "doctor")
    assert first_doctor.exit_code == 2 and last_doctor.healthy


def test_demo_command_prints_every_step_and_exits_0() -> None:
    result = CliRunner().invoke(cli, ["demo"])
    assert result.exit_code == 0, result.output
    for text in (
        "1. Production, as the incident found it",
        "P2021",
        "no baseline migration",
        "schemamend repair",
        "15 step(s): 15 safe",  # the repair command's own plan table (print_repair)
        "Applied 15 step(s) in one transaction.",
        "Wrote",
        "all 10 declared tables are present and match",
        "Every row is unchanged",
        "built exactly the declared schema",
        "Healthy",
        "Done",
    ):
        assert text in result.output, text


def test_demo_on_postgresql(pg_url: str, tmp_path: Path) -> None:
    report = run_demo(pg_url, workdir=tmp_path / "demo")
    assert report.ok, [s.title for s in report.steps if not s.ok]


def test_demo_on_mariadb(mysql_url: str, tmp_path: Path) -> None:
    report = run_demo(mysql_url, workdir=tmp_path / "demo")
    assert report.ok, [s.title for s in report.steps if not s.ok]


def test_demo_refuses_a_database_that_is_not_empty(tmp_path: Path) -> None:
    db = tmp_path / "busy.db"
    import sqlite3

    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE keep_me (id INTEGER)")
    result = CliRunner().invoke(cli, ["demo", "--url", f"file:{db}"])
    assert result.exit_code == 1
    assert "needs an empty database" in result.output
