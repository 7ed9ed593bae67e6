"""Altered columns print byte for byte as Prisma 7.10.1 prints them (PostgreSQL).

For every drift of tests/integration/test_alter_table_postgres.py, our
`migrate diff --from-url --to-schema --script` equals the real Prisma CLI's
`migrate diff --from-config-datasource --to-schema --script` on the same
database (Prisma's output cached as in scripts/drift_conformance.py).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from scripts.drift_conformance import prisma_script
from tests.integration.test_alter_table_postgres import (
    DRIFTS,
    build_drifted,
    diff_script,
    scenario_schema,
)

pytestmark = [pytest.mark.shared, pytest.mark.oracle, pytest.mark.postgres]


@pytest.mark.parametrize("drift", DRIFTS)
def test_alter_table_matches_prisma(
    drift: str, pg_url: str, shared_dir: Path, tmp_path: Path
) -> None:
    schema = scenario_schema(shared_dir, tmp_path)
    build_drifted(pg_url, schema, DRIFTS[drift])
    text = schema.read_text(encoding="utf-8")
    key = (
        "alter-"
        + hashlib.sha256("\0".join(["postgresql", text, *DRIFTS[drift]]).encode()).hexdigest()[:32]
    )
    oracle = shared_dir / "tools" / "prisma-oracle" / "oracle.sh"
    theirs = prisma_script(oracle, schema, pg_url, key)
    assert diff_script(pg_url, schema).strip() + "\n" == theirs
