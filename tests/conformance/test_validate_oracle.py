"""Differential test: our verdict (valid / invalid) equals Prisma 7.10.1's on generated schemas.

Prisma's verdict comes from its own validator (prisma-fmt in Wasm, inside the
installed `prisma` package: what `prisma validate` runs). The cases are
generated schemas for PostgreSQL, SQLite and MySQL with 0–2 semantic
mutations (tests/conformance/validate_cases.py), a fixed, reproducible set.
`scripts/validate_conformance.py` reports the rate over larger samples.

Environment: SCHEMAMEND_VALIDATE_CASES (default 400).
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from schemamend.psl import check_text
from tests.conformance.format_oracle import WasmFormatter
from tests.conformance.validate_cases import validation_cases

pytestmark = [pytest.mark.shared, pytest.mark.oracle]

CASES = int(os.environ.get("SCHEMAMEND_VALIDATE_CASES", "400"))


@pytest.fixture(scope="module")
def prisma() -> Iterator[WasmFormatter]:
    with WasmFormatter() as formatter:
        yield formatter


def test_verdicts_agree_with_prisma_validate(prisma: WasmFormatter) -> None:
    disagreements = []
    invalid = 0
    for name, text in validation_cases(CASES, seed=0):
        _, prisma_errors = prisma.format_and_validate(text)
        prisma_invalid = bool(prisma_errors.strip())
        invalid += prisma_invalid
        ours = check_text(text)
        if bool(ours.errors) != prisma_invalid:
            ours_text = "\n".join(d.render() for d in ours.errors) or "(valid)"
            disagreements.append(
                f"{name}\n{text}\n--- ours:\n{ours_text}\n--- prisma:\n{prisma_errors or '(valid)'}"
            )
    assert 0 < invalid < CASES, "the sample should hold both valid and invalid schemas"
    assert not disagreements, f"{len(disagreements)}/{CASES} verdicts differ:\n\n" + "\n\n".join(
        disagreements[:5]
    )
