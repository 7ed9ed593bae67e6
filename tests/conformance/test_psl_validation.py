"""Schema validation against Prisma's own fixtures and real-world schemas.

The fixtures (../shared/corpus/psl-validation) are the specification: every
fixture's verdict (valid / invalid) must agree with Prisma's, and at least 90 %
of Prisma's expected messages must be reproduced word for word, location and
context lines included. `scripts/psl_conformance.py` prints the details.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from schemamend.psl import check_text, load_schema
from scripts.psl_conformance import FIXTURE_DIR, run_all, run_fixture, shared_dir, summarise

pytestmark = pytest.mark.shared

_SHARED = shared_dir(None)
_FIXTURE_ROOT = _SHARED / FIXTURE_DIR
_FIXTURES = (
    sorted(p for p in _FIXTURE_ROOT.rglob("*") if p.is_file()) if _FIXTURE_ROOT.is_dir() else []
)
_REAL_WORLD = sorted((_SHARED / "corpus" / "real-world").rglob("schema.prisma"))


def _fixture_id(path: Path) -> str:
    return path.relative_to(_FIXTURE_ROOT).as_posix()


@pytest.mark.parametrize("path", _FIXTURES, ids=_fixture_id)
def test_fixture_verdict_agrees_with_prisma(shared_dir: Path, path: Path) -> None:
    result = run_fixture(_FIXTURE_ROOT, path)
    if result.excluded:
        pytest.skip(result.excluded)
    ours = "\n\n".join(result.actual) or "(no diagnostics)"
    expected = "invalid" if result.expected_invalid else "valid"
    assert result.verdict_ok, f"Prisma says {expected}; we said:\n{ours}"


def test_at_least_90_percent_of_prisma_messages_are_reproduced_word_for_word(
    shared_dir: Path,
) -> None:
    summary = summarise(run_all(shared_dir))
    assert summary.expected_blocks > 100
    assert summary.message_rate >= 0.90, (
        f"{summary.matched_blocks}/{summary.expected_blocks} messages reproduced; "
        "run `python scripts/psl_conformance.py -v` for the differences"
    )


@pytest.mark.parametrize("path", _REAL_WORLD, ids=lambda p: p.relative_to(_SHARED).parts[2])
def test_real_world_schema_validates_without_error(shared_dir: Path, path: Path) -> None:
    result = load_schema(path)
    assert not result.errors, "\n\n".join(d.render() for d in result.errors)
    assert result.datamodel is not None


def test_seed_incident_schema_validates_without_error(shared_dir: Path) -> None:
    result = load_schema(shared_dir / "scenarios" / "seed-incident" / "prisma" / "schema.prisma")
    assert not result.errors, "\n\n".join(d.render() for d in result.errors)
    assert result.datamodel is not None


# ── messages on generated schemas, against Prisma's own validator ────────


def _error_blocks(prisma_output: str) -> list[str]:
    blocks: list[list[str]] = []
    current: list[str] | None = None
    for line in prisma_output.splitlines():
        if line.startswith("error: "):
            current = [line]
            blocks.append(current)
        elif line.startswith("Validation Error Count"):
            current = None
        elif current is not None:
            current.append(line)
    return ["\n".join(line.rstrip() for line in block).strip() for block in blocks]


@pytest.mark.oracle
def test_messages_on_generated_schemas_match_prisma_validate_word_for_word() -> None:
    """Prisma 7.10.1's validator (prisma-fmt in Wasm) on generated and mutated schemas:
    at least 97 % of its error blocks (message, location and context lines) are ours too."""
    from collections import Counter

    from tests.conformance.format_oracle import WasmFormatter
    from tests.conformance.validate_cases import validation_cases

    expected_total = matched = 0
    with WasmFormatter() as prisma:
        for _name, text in validation_cases(400, seed=0):
            _, prisma_errors = prisma.format_and_validate(text)
            ours = Counter(
                "\n".join(
                    line.rstrip() for line in d.render(file_label="schema.prisma").splitlines()
                ).strip()
                for d in check_text(text).errors
            )
            for block in _error_blocks(prisma_errors):
                expected_total += 1
                if ours[block] > 0:
                    ours[block] -= 1
                    matched += 1
    assert expected_total > 300
    assert matched / expected_total >= 0.97, (
        f"{matched}/{expected_total} of Prisma's messages reproduced"
    )
