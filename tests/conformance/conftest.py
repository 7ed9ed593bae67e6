"""Conformance tests compare schemamend with the real Prisma CLI (the `oracle` marker)."""

from __future__ import annotations

import pytest


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "oracle: runs the real Prisma CLI or its Wasm formatter from "
        "../shared/tools/prisma-oracle (skipped when unavailable)",
    )
