"""Drift differential against the real Prisma CLI (see scripts/drift_conformance.py).

Every corpus database (PostgreSQL, SQLite) gets one drift at a time; then
`schemamend migrate diff --from-url --to-schema --script` must print exactly
what `prisma migrate diff --from-config-datasource --to-schema --script`
prints, or the case must be one of the known gaps below, each with its reason.
A known gap that starts to match fails too, so this list only shrinks on purpose.

Prisma's outputs are cached by input (~/.cache/schemamend-oracle/drift): the
first run takes minutes, later runs only build the databases.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from scripts.drift_conformance import Outcome, run

pytestmark = [pytest.mark.shared, pytest.mark.oracle, pytest.mark.postgres, pytest.mark.sqlite]

# (provider, drift) → why our script differs. None of these is silently different SQL:
# we refuse (UnsupportedChangeError) or print a subset of Prisma's statements (see below).
KNOWN_GAPS: dict[tuple[str, str], str] = {
    # None left: enum values (AlterEnum) and SQLite column changes (RedefineTables) now match.
}


def _statements(script: str) -> set[str]:
    """The SQL statements of a script, without the `-- Step` comment lines."""
    lines = [line for line in script.splitlines() if not line.startswith("--")]
    return {s.strip() for s in "\n".join(lines).split(";") if s.strip()}


@pytest.fixture(scope="module")
def outcomes(shared_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> list[Outcome]:
    return run(shared_dir, ("postgresql", "sqlite"), tmp_path_factory.mktemp("drift"))


def test_every_drift_diffs_as_prisma_or_is_a_known_gap(outcomes: list[Outcome]) -> None:
    assert {o.provider for o in outcomes} == {"postgresql", "sqlite"}
    unexplained = [
        f"{o.provider} {o.schema} {o.drift}:\n--- prisma\n{o.theirs}--- schemamend\n{o.ours}"
        for o in outcomes
        if not o.identical and (o.provider, o.drift) not in KNOWN_GAPS
    ]
    assert not unexplained, "\n".join(unexplained)


def test_known_gaps_never_emit_different_sql(outcomes: list[Outcome]) -> None:
    """Where we differ, we refuse (an error) or print only statements Prisma prints too."""
    for o in outcomes:
        if not o.identical and not o.ours.startswith("ERROR: UnsupportedChangeError"):
            extra = _statements(o.ours) - _statements(o.theirs)
            assert not extra, (o, extra)


def test_known_gaps_are_still_gaps(outcomes: list[Outcome]) -> None:
    fixed = {(o.provider, o.drift) for o in outcomes if o.identical} & set(KNOWN_GAPS)
    still = {(o.provider, o.drift) for o in outcomes if not o.identical}
    assert not (fixed - still), f"now identical, remove from KNOWN_GAPS: {sorted(fixed - still)}"
