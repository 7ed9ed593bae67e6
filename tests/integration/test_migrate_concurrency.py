"""Deploys started at once on MariaDB (GET_LOCK) and SQLite (the file's write lock)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from schemamend.db import connect, parse_url
from schemamend.migrate.history import History
from tests.integration.migrate_project import make_project

REPO = Path(__file__).resolve().parents[2]
DEPLOYERS = 4


@pytest.mark.parametrize(
    "fixture",
    [
        pytest.param("mysql_url", marks=pytest.mark.mysql, id="mysql"),
        pytest.param("sqlite_url", marks=pytest.mark.sqlite, id="sqlite"),
    ],
)
def test_concurrent_deploys_apply_each_migration_exactly_once(
    fixture: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    url = request.getfixturevalue(fixture)
    project = make_project(tmp_path / "app", url)
    names = project.add_standard_history(2)
    if url.startswith("file:"):
        connect(parse_url(url), create=True).close()  # the file exists before they race

    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-c",
                "from schemamend.cli.main import main; main()",
                "migrate",
                "deploy",
                "--schema",
                str(project.schema),
                "--url",
                url,
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=REPO,
        )
        for _ in range(DEPLOYERS)
    ]
    outputs = [p.communicate(timeout=120) for p in procs]

    assert [p.returncode for p in procs] == [0] * DEPLOYERS, [err for _, err in outputs]
    with connect(parse_url(url)) as conn:
        rows = History(conn).records()
    assert sorted(r.migration_name for r in rows) == names
