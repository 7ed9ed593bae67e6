"""Fixture specification: each tests/fixtures/render/NAME.prisma renders, per
provider, to exactly NAME.<provider>.sql beside it.

The PostgreSQL and SQLite expectations are Prisma 7.10.1's own output
(`migrate diff --from-empty --script`, checked again by
tests/conformance/test_render_oracle.py), except where Prisma writes SQL the
database rejects (see the dialects' `deviations`). The MySQL expectations
follow Prisma's published migrations and are applied to a real MariaDB by
tests/integration/test_render_apply.py.
"""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest

from schemamend.commands.render import render_from_empty
from schemamend.psl import check_text
from scripts.render_conformance import switch_provider

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "render"
CASES = sorted(FIXTURES.glob("*.*.sql"))


def _case_id(path: Path) -> str:
    return path.name.removesuffix(".sql")


def schema_for(expected: Path) -> tuple[str, str]:
    name, provider, _ = expected.name.split(".")
    return switch_provider((FIXTURES / f"{name}.prisma").read_text(), provider), provider


@pytest.mark.parametrize("expected", CASES, ids=_case_id)
def test_fixture_renders_expected_sql(expected: Path) -> None:
    text, _ = schema_for(expected)
    ours = render_from_empty(check_text(text).require())
    want = expected.read_text()
    diff = "".join(
        difflib.unified_diff(want.splitlines(True), ours.splitlines(True), "expected", "ours")
    )
    assert ours == want, f"\n{diff}"


def test_every_fixture_has_an_expectation() -> None:
    schemas = {p.stem for p in FIXTURES.glob("*.prisma")}
    covered = {p.name.split(".")[0] for p in CASES}
    assert schemas == covered


def test_portable_fixtures_cover_all_three_providers() -> None:
    for schema in FIXTURES.glob("*.prisma"):
        if schema.stem.startswith(("postgres_", "mysql_")):
            continue
        providers = {p.name.split(".")[1] for p in FIXTURES.glob(f"{schema.stem}.*.sql")}
        assert providers == {"postgresql", "sqlite", "mysql"}, schema.stem
