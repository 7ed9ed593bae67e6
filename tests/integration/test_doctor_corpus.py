"""Convergence: a database built from a schema has, for the doctor, nothing missing or different.

Every PostgreSQL schema of ../shared/corpus/real-world is rendered from empty,
applied to a fresh database and diagnosed against itself; then one table is
dropped and the doctor must name exactly that table (with its indexes and keys).
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from schemamend.commands.doctor import doctor
from schemamend.commands.render import render_from_empty
from schemamend.db import connect, parse_url
from schemamend.migrate.split import split_statements
from schemamend.psl import load_schema

# Parametrised at collection time, so the path is found as conftest's `shared_dir` finds it.
_SHARED = (
    os.environ.get("SCHEMAMEND_SHARED") or Path(__file__).resolve().parents[2].parent / "shared"
)
CORPUS = Path(_SHARED).resolve() / "corpus" / "real-world"


def _postgres_schemas() -> list[Path]:
    if not CORPUS.is_dir():
        return []
    found = []
    for path in sorted(CORPUS.rglob("schema.prisma")):
        if re.search(r'provider\s*=\s*"postgres(ql)?"', path.read_text(encoding="utf-8")):
            found.append(path)
    return found


@pytest.mark.shared
@pytest.mark.parametrize(
    "source", _postgres_schemas(), ids=lambda p: p.relative_to(CORPUS).parts[0]
)
def test_doctor_sees_no_drift_on_a_database_built_from_the_schema(
    source: Path, tmp_path: Path, pg_server: Any, shared_dir: Path
) -> None:
    schema = tmp_path / "prisma" / "schema.prisma"
    schema.parent.mkdir()
    shutil.copy(source, schema)
    result = load_schema(schema)
    if not result.ok:
        pytest.skip("schema not valid for this validator")
    datamodel = result.require()
    if datamodel.datasource is not None and datamodel.datasource.schemas:
        pytest.skip("multi-schema datasource")
    script = render_from_empty(datamodel)
    with pg_server.throwaway() as url:
        with connect(parse_url(url)) as conn:
            extensions = list(datamodel.datasource.extensions if datamodel.datasource else ())
            if "@db.Citext" in source.read_text(encoding="utf-8"):
                extensions.append(
                    "citext"
                )  # used without being declared (relationMode prisma apps do)
            for name in extensions:
                conn.execute(f'CREATE EXTENSION IF NOT EXISTS "{name}"')
            for statement in split_statements(script, conn.family):
                conn.execute(statement.text)
        report = doctor(str(schema), url=url, replay_history=False)
        assert [f.label() for f in report.drift.missing] == []
        assert [d.label() for d in report.drift.different] == []
        assert [f.label() for f in report.drift.extra] == []

        victim = sorted(t.name for t in _declared_tables(datamodel))[0]
        with connect(parse_url(url)) as conn:
            conn.execute(f'DROP TABLE "{victim}" CASCADE')
        dropped = doctor(str(schema), url=url, replay_history=False)
        tables = [f.name for f in dropped.drift.missing if f.kind == "table"]
        assert tables == [victim]
        assert dropped.exit_code == 2


def _declared_tables(datamodel: Any) -> list[Any]:
    from schemamend.dialects.registry import dialect_for

    return list(dialect_for("postgresql").calculate(datamodel).tables)
