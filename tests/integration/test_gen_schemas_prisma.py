"""The real Prisma CLI (../shared/tools/prisma-oracle) accepts the generated benchmark schemas."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from bench.gen_schemas import generate


@pytest.mark.shared
@pytest.mark.parametrize("n", [100, 1000])
def test_prisma_validates_generated_schema(n: int, shared_dir: Path, tmp_path: Path) -> None:
    oracle = shared_dir / "tools" / "prisma-oracle" / "oracle.sh"
    schema = tmp_path / "schema.prisma"
    schema.write_text(generate(n), encoding="utf-8")
    proc = subprocess.run(
        ["bash", str(oracle), "validate", "--schema", str(schema)],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "is valid" in proc.stdout + proc.stderr
