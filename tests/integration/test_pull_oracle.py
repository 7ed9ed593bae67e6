"""`db pull` against the real Prisma CLI: the same text for every corpus database.

Each PostgreSQL and SQLite schema of the corpus (and the reference scenario)
is rendered and applied; `schemamend`'s pulled schema must equal what
`prisma db pull --print` prints for that database (Prisma's trailing warning
block aside). Prisma's outputs are cached by input under
~/.cache/schemamend-oracle/pull.

On SQLite, indexes come in `PRAGMA index_list` order (the newest first), as
Prisma lists them, not by name (epic-stack's `Note` has two `@@index`).
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
from pathlib import Path
from typing import Any

import pytest

from schemamend.commands.render import render_from_empty
from schemamend.db import connect, parse_url
from schemamend.introspect import introspect
from schemamend.model.datamodel import Datamodel
from schemamend.psl import load_schema
from schemamend.pull import default_header, pull_schema

pytestmark = [pytest.mark.shared, pytest.mark.postgres, pytest.mark.sqlite]

CACHE = (
    Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "schemamend-oracle" / "pull"
)


def prisma_pull(oracle: Path, provider: str, url: str, key: str, folder: Path) -> str:
    cached = CACHE / f"{key}.prisma"
    if cached.is_file():
        return cached.read_text()
    base = folder / "base.prisma"
    base.write_text(default_header(provider))
    result = subprocess.run(
        [str(oracle), "db", "pull", "--print", "--schema", str(base)],
        env={**os.environ, "DATABASE_URL": url},
        capture_output=True,
        text=True,
        timeout=180,
        check=True,
    )
    text = result.stdout.split("\n// *** WARNING ***")[0]
    lines = [line for line in text.splitlines() if not line.startswith("Loaded Prisma config")]
    text = "\n".join(lines).strip() + "\n"
    CACHE.mkdir(parents=True, exist_ok=True)
    cached.write_text(text)
    return text


def corpus(shared_dir: Path) -> list[tuple[str, Datamodel]]:
    reference = shared_dir / "scenarios" / "seed-incident" / "prisma" / "schema.prisma"
    found = []
    for path in [reference, *sorted((shared_dir / "corpus" / "real-world").rglob("schema.prisma"))]:
        datamodel = load_schema(path).require()
        if datamodel.datasource is not None and datamodel.datasource.provider in (
            "postgresql",
            "sqlite",
        ):
            found.append((path.read_text(), datamodel))
    return found


def test_pulled_schemas_equal_prismas(shared_dir: Path, pg_server: Any, tmp_path: Path) -> None:
    oracle = shared_dir / "tools" / "prisma-oracle" / "oracle.sh"
    identical, different = 0, []
    for i, (text, datamodel) in enumerate(corpus(shared_dir)):
        assert datamodel.datasource is not None
        provider = datamodel.datasource.provider
        script = render_from_empty(datamodel, provider)
        key = hashlib.sha256(f"{provider}\0{script}".encode()).hexdigest()[:32]
        if provider == "sqlite":
            db = sqlite3.connect(tmp_path / f"db{i}.db")
            db.executescript(script)
            db.close()
            ours, theirs = _both(oracle, provider, f"file:{tmp_path / f'db{i}.db'}", key, tmp_path)
        else:
            with pg_server.throwaway() as url:
                with connect(parse_url(url)) as conn:
                    if "CITEXT" in script:
                        conn.execute("CREATE EXTENSION IF NOT EXISTS citext")
                    conn.execute(script)
                ours, theirs = _both(oracle, provider, url, key, tmp_path)
        if ours == theirs:
            identical += 1
        else:
            different.append(
                f"{text.splitlines()[0]}:\n--- prisma\n{theirs}\n--- schemamend\n{ours}"
            )
    assert not different, "\n".join(different)
    assert identical == 11  # PostgreSQL: 10 of 10; SQLite: 1 of 1


def _both(oracle: Path, provider: str, url: str, key: str, folder: Path) -> tuple[str, str]:
    return pull_schema(introspect(url), provider).text, prisma_pull(
        oracle, provider, url, key, folder
    )
