"""PostgreSQL-only guarantees: the reference scenario, concurrent deploys, a killed deploy."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from schemamend.commands.migrate import EXIT_DRIFT, deploy, startup_deploy, status
from schemamend.db import connect, parse_url
from schemamend.migrate.history import History
from tests.integration.migrate_project import MigrateProject, make_project

pytestmark = pytest.mark.postgres

REPO = Path(__file__).resolve().parents[2]


def schemamend(*args: str, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", "from schemamend.cli.main import main; main()", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=REPO,
        env={**os.environ, **(env or {})},
    )


def scenario_project(shared_dir: Path, tmp_path: Path) -> Path:
    """A copy of the reference scenario's prisma/ folder (the schema reads DATABASE_URL)."""
    target = tmp_path / "prisma"
    shutil.copytree(shared_dir / "scenarios" / "seed-incident" / "prisma", target)
    return target / "schema.prisma"


@pytest.mark.shared
def test_reference_scenario_history_is_up_to_date_but_deploy_reports_the_missing_tables(
    shared_dir: Path, tmp_path: Path, pg_url: str
) -> None:
    script = shared_dir / "scenarios" / "seed-incident" / "make-production.sh"
    if shutil.which("psql") is None:
        pytest.skip("psql is needed to build the scenario's production database")
    subprocess.run(["sh", str(script), pg_url], check=True, capture_output=True)
    schema = str(scenario_project(shared_dir, tmp_path))
    env = {"DATABASE_URL": pg_url}

    history = status(schema, environ=env)
    report = startup_deploy(schema, environ=env)

    assert history.status.up_to_date and history.exit_code == 0
    assert report.result is not None and report.result.ok and report.result.applied == []
    assert report.live_check is not None
    assert report.live_check.method == "differ" and report.live_check.different == ()
    missing = set(report.live_check.missing)
    kinds = {item.split()[0] for item in missing}
    assert kinds == {"table", "enum", "unique", "normal", "foreign"}, missing
    assert {m for m in missing if m.startswith(("table ", "enum "))} == {
        "table developer_projects",
        "table budget_line_items",
        "table project_expenses",
        "table project_funding",
        "table project_invoices",
        "table project_forecasts",
        "table project_milestones",
        "enum ProjectStatus (DRAFT, ACTIVE, ON_HOLD, COMPLETED, CANCELLED)",
        "enum ExpenseCategory (LAND, CONSTRUCTION, PROFESSIONAL_FEES, PERMITS, MARKETING, FINANCE_COSTS, CONTINGENCY, OTHER)",
        "enum FundingSource (EQUITY, SENIOR_DEBT, MEZZANINE, GRANT)",
        "enum InvoiceStatus (DRAFT, SENT, PAID, OVERDUE, VOID)",
        "enum MilestoneStatus (PLANNED, IN_PROGRESS, DONE, SLIPPED)",
    }
    # Nothing about users, customer_plans or onboarding_applications: they match the schema.
    assert not any(
        t in item for item in missing for t in ("users ", "customer_plans", "onboarding")
    )
    assert report.exit_code == EXIT_DRIFT

    cli = schemamend("deploy", "--schema", schema, "--json", env=env)
    out, err = cli.communicate(timeout=60)
    assert cli.returncode == EXIT_DRIFT, err
    lines = out.strip().splitlines()
    assert len(lines) == 1  # one JSON line
    payload = json.loads(lines[0])
    assert payload["ok"] is False and "table developer_projects" in payload["drift"]["missing"]
    assert "password" not in out


def test_eight_concurrent_deploys_apply_each_migration_exactly_once(
    tmp_path: Path, pg_url: str
) -> None:
    project = make_project(tmp_path / "app", pg_url)
    names = project.add_standard_history(2)
    project.add_migration(
        "20240103000000_slow",
        'SELECT pg_sleep(0.5);\nCREATE TABLE "slow" ("id" INTEGER PRIMARY KEY);\n',
    )
    names.append("20240103000000_slow")

    procs = [
        schemamend("migrate", "deploy", "--schema", str(project.schema), "--url", pg_url)
        for _ in range(8)
    ]
    results = [p.communicate(timeout=120) for p in procs]

    assert [p.returncode for p in procs] == [0] * 8, [err for _, err in results]
    with connect(parse_url(pg_url)) as conn:
        rows = History(conn).records()
    assert sorted(r.migration_name for r in rows) == sorted(names)
    assert all(r.finished_at is not None for r in rows)


def test_a_deploy_killed_mid_migration_leaves_it_all_or_nothing(
    tmp_path: Path, pg_url: str
) -> None:
    project = make_project(tmp_path / "app", pg_url)
    project.add_standard_history(1)
    slow = project.add_migration(
        "20240102000000_slow",
        'CREATE TABLE "first_half" ("id" INTEGER PRIMARY KEY);\n'
        "SELECT pg_sleep(30);\n"
        'CREATE TABLE "second_half" ("id" INTEGER PRIMARY KEY);\n',
    )
    proc = schemamend("migrate", "deploy", "--schema", str(project.schema), "--url", pg_url)
    url = parse_url(pg_url)
    with connect(url.with_database("postgres")) as admin:
        deadline = time.monotonic() + 30
        while not admin.query(
            "SELECT 1 FROM pg_stat_activity WHERE datname = %s AND query LIKE %s",
            (url.database, "SELECT pg_sleep(30)%"),
        ):
            assert time.monotonic() < deadline, "the deploy never reached the slow statement"
            time.sleep(0.1)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
        # The server ends the orphaned backend (and rolls back its transaction).
        admin.query(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
            (url.database,),
        )

    with connect(url) as conn:
        live = conn.table_names()
        rows = History(conn).records()
    assert "first_half" not in live and "second_half" not in live
    assert [r.migration_name for r in rows] == ["20240101000000_init"]

    slow.write_text(slow.read_text().replace("SELECT pg_sleep(30);\n", ""))
    again = deploy(str(project.schema), url=pg_url)  # the lock died with the killed session
    assert again.ok and [m.name for m in again.result.applied] == ["20240102000000_slow"]


def test_scripts_that_manage_their_own_transactions_run_statement_by_statement(
    tmp_path: Path, pg_url: str
) -> None:
    project = make_project(tmp_path / "app", pg_url)
    project.add_standard_history(1)
    project.add_migration(
        "20240102000000_concurrently",
        'CREATE INDEX CONCURRENTLY "users_email_idx" ON "users"("email");\n',
    )
    project.add_migration(
        "20240103000000_enum",
        "BEGIN;\nCREATE TYPE \"Role\" AS ENUM ('A', 'B');\nCOMMIT;\n",
    )

    report = deploy(str(project.schema), url=pg_url)

    assert report.ok, report.result.failed
    atomic = {m.name: m.atomic for m in report.result.applied}
    assert atomic == {
        "20240101000000_init": True,
        "20240102000000_concurrently": False,
        "20240103000000_enum": False,
    }
    assert status(str(project.schema), url=pg_url).status.up_to_date


def test_the_schema_parameter_selects_the_namespace(tmp_path: Path, pg_url: str) -> None:
    url = pg_url + "?schema=tenant_a"
    project = make_project(tmp_path / "app", url)
    project.add_standard_history(2)

    assert deploy(str(project.schema), url=url).ok

    with connect(parse_url(pg_url)) as conn:
        rows = conn.query(
            "SELECT table_schema, table_name FROM information_schema.tables "
            "WHERE table_name IN ('users', '_prisma_migrations') ORDER BY 2"
        )
    assert rows == [("tenant_a", "_prisma_migrations"), ("tenant_a", "users")]
    assert status(str(project.schema), url=url).status.up_to_date


def test_cli_failure_names_the_migration_statement_and_line(tmp_path: Path, pg_url: str) -> None:
    project: MigrateProject = make_project(tmp_path / "app", pg_url)
    project.add_migration(
        "20240101000000_bad",
        'CREATE TABLE "a" ("id" INTEGER);\n\nALTER TABLE "missing" ADD COLUMN "x" INTEGER;\n',
    )

    proc = schemamend("migrate", "deploy", "--schema", str(project.schema), "--url", pg_url)
    out, err = proc.communicate(timeout=60)

    assert proc.returncode == 1
    assert "20240101000000_bad" in err and "line 3" in err and "statement 2 of 2" in err
    assert 'relation "missing" does not exist' in err

    again = schemamend("migrate", "deploy", "--schema", str(project.schema), "--url", pg_url)
    out, err = again.communicate(timeout=60)
    assert again.returncode == 1 and "P3009" not in out
    assert "found failed migrations" in err
