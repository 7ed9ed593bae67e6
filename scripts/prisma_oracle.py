"""Run the Prisma oracle (the real Prisma CLI, offline) with an on-disk cache.

    from scripts.prisma_oracle import oracle_from_empty
    script = oracle_from_empty(schema_text)      # None when the oracle is unavailable or fails

Outputs are cached under ~/.cache/schemamend-oracle (override: SCHEMAMEND_ORACLE_CACHE),
keyed by the SHA-256 of the schema text and the command, so tests rerun fast.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

ORACLE_VERSION = "prisma-7.10.1"
_URL_LINE = re.compile(r"^\s*(url|directUrl|shadowDatabaseUrl)\s*=.*$", re.MULTILINE)


@dataclass(frozen=True)
class OracleResult:
    ok: bool
    stdout: str
    stderr: str


def default_oracle_path() -> Path:
    shared = os.environ.get("SCHEMAMEND_SHARED")
    base = Path(shared) if shared else Path(__file__).resolve().parents[1].parent / "shared"
    return base / "tools" / "prisma-oracle" / "oracle.sh"


def cache_dir() -> Path:
    override = os.environ.get("SCHEMAMEND_ORACLE_CACHE")
    return Path(override) if override else Path.home() / ".cache" / "schemamend-oracle"


def strip_connection_urls(schema_text: str) -> str:
    """Prisma 7 rejects `url = env(...)` in the datasource; the oracle needs it gone."""
    return _URL_LINE.sub("", schema_text)


def run_oracle(
    schema_text: str, *, script: bool = True, oracle: Path | None = None
) -> OracleResult:
    """`migrate diff --from-empty --to-schema <schema> [--script]`, cached."""
    text = strip_connection_urls(schema_text)
    flags = ["--script"] if script else []
    key_source = json.dumps([ORACLE_VERSION, "from-empty", flags, text])
    key = hashlib.sha256(key_source.encode()).hexdigest()
    cached = cache_dir() / f"{key}.json"
    if cached.is_file():
        data = json.loads(cached.read_text())
        return OracleResult(data["ok"], data["stdout"], data["stderr"])
    oracle = oracle or default_oracle_path()
    if not oracle.is_file():
        return OracleResult(False, "", f"oracle not found at {oracle}")
    with tempfile.TemporaryDirectory(prefix="sm-oracle-") as tmp:
        schema = Path(tmp) / "schema.prisma"
        schema.write_text(text)
        proc = subprocess.run(
            [str(oracle), "migrate", "diff", "--from-empty", "--to-schema", str(schema), *flags],
            capture_output=True,
            text=True,
            cwd=tmp,
            timeout=120,
            env={**os.environ, "NO_COLOR": "1"},
        )
    result = OracleResult(proc.returncode == 0, proc.stdout, proc.stderr)
    cached.parent.mkdir(parents=True, exist_ok=True)
    cached.write_text(
        json.dumps({"ok": result.ok, "stdout": result.stdout, "stderr": result.stderr})
    )
    return result


def oracle_from_empty(schema_text: str, *, script: bool = True) -> str | None:
    result = run_oracle(schema_text, script=script)
    return result.stdout if result.ok else None
