"""Conformance tests compare schemamend with the real Prisma CLI (the `oracle` marker).

The oracle (../shared/tools/prisma-oracle) is installed by `./dev.sh test` before
pytest starts. Where it is missing, oracle tests are skipped, except when
SCHEMAMEND_REQUIRE_SHARED=1 (CI): then they fail, so a missing oracle can never
turn into a green run.
"""

from __future__ import annotations

import os

import pytest

from tests.conformance.format_oracle import wasm_available


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "oracle: runs the real Prisma CLI or its Wasm formatter from "
        "../shared/tools/prisma-oracle (skipped when unavailable, failing under CI)",
    )


@pytest.fixture(autouse=True)
def _oracle_required(request: pytest.FixtureRequest) -> None:
    if request.node.get_closest_marker("oracle") is None or wasm_available():
        return
    message = (
        "the Prisma oracle is not installed (run ../shared/tools/prisma-oracle/oracle.sh --version)"
    )
    if os.environ.get("SCHEMAMEND_REQUIRE_SHARED") == "1":
        pytest.fail(message, pytrace=False)
    pytest.skip(message)
