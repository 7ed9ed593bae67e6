"""Differential test: our from-empty SQL against Prisma's own.

For the seed-incident scenario, every real-world schema, every render fixture,
synthetic schemas and hypothesis-chosen random schemas, with their provider and
with the provider switched (postgresql ⇄ sqlite) when the schema still
validates: `render_from_empty` must print exactly what
`prisma migrate diff --from-empty --to-schema <schema> --script` prints
(Prisma 7.10.1 through ../shared/tools/prisma-oracle; outputs cached in
~/.cache/schemamend-oracle). The only accepted difference is a known
deviation, where Prisma's SQL is rejected by the database
(scripts/render_conformance.py `KNOWN_DEVIATIONS`).
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scripts.prisma_oracle import default_oracle_path
from scripts.render_conformance import (
    ORACLE_PROVIDERS,
    Case,
    all_cases,
    compare,
    compare_summary,
    random_schema,
)

pytestmark = pytest.mark.shared

_SHARED = default_oracle_path().parents[2]
_CASES = (
    [c for c in all_cases(_SHARED, random_count=0) if c.provider in ORACLE_PROVIDERS]
    if _SHARED.is_dir()
    else []
)


@pytest.fixture(scope="module")
def oracle(shared_dir: Path) -> Path:
    path = shared_dir / "tools" / "prisma-oracle" / "oracle.sh"
    if not path.is_file():
        pytest.skip("Prisma oracle not available")
    return path


def _assert_same_as_prisma(case: Case) -> None:
    outcome = compare(case)
    if outcome.status == "skipped":
        pytest.skip(outcome.detail)
    assert outcome.status in ("identical", "deviation"), (
        f"{case.name} [{case.provider}]\n{outcome.detail}"
    )


@pytest.mark.parametrize("case", _CASES, ids=[f"{c.name} [{c.provider}]" for c in _CASES])
def test_script_is_identical_to_prismas(oracle: Path, case: Case) -> None:
    _assert_same_as_prisma(case)


_SUMMARY_CASES = [c for c in _CASES if c.origin in ("scenario", "fixture")]


@pytest.mark.parametrize(
    "case", _SUMMARY_CASES, ids=[f"{c.name} [{c.provider}]" for c in _SUMMARY_CASES]
)
def test_summary_is_identical_to_prismas(oracle: Path, case: Case) -> None:
    outcome = compare_summary(case)
    if outcome.status == "skipped":
        pytest.skip(outcome.detail)
    assert outcome.status == "identical", f"{case.name} [{case.provider}]\n{outcome.detail}"


@settings(
    max_examples=12,
    deadline=None,
    derandomize=True,  # the same seeds every run, so the oracle cache answers
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(seed=st.integers(min_value=0, max_value=10**6), provider=st.sampled_from(ORACLE_PROVIDERS))
def test_random_schemas_render_like_prisma(oracle: Path, seed: int, provider: str) -> None:
    text = random_schema(random.Random(seed), provider)
    _assert_same_as_prisma(Case(f"random seed={seed}", text, provider, "random"))
