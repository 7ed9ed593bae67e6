"""`db pull` on PostgreSQL: Prisma's naming style, and a pulled schema describes the database exactly.

The expected schemas under tests/fixtures/pull/postgresql/ are what the real
Prisma 7.10.1 CLI (`prisma db pull --print`) wrote for the same SQL.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from schemamend.cli.main import cli
from schemamend.commands.render import render_from_empty
from schemamend.db import connect, parse_url
from schemamend.dialects.registry import dialect_for
from schemamend.diff.changes import describe
from schemamend.diff.differ import diff_schemas
from schemamend.introspect import introspect
from schemamend.model.datamodel import Datamodel
from schemamend.psl import check_text, load_schema
from schemamend.pull import pull_schema

pytestmark = pytest.mark.postgres

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "pull" / "postgresql"


def apply_sql(url: str, script: str) -> None:
    with connect(parse_url(url)) as conn:
        if "CITEXT" in script:
            conn.execute("CREATE EXTENSION IF NOT EXISTS citext")
        conn.execute(script)


def changes_after_pull(url: str) -> list[str]:
    """Pull, then diff the database against the pulled schema: the property is `[]`."""
    live = introspect(url)
    pulled = pull_schema(live, "postgresql")
    dialect = dialect_for("postgresql")
    declared = dialect.calculate(check_text(pulled.text).require())
    return [describe(c) for c in diff_schemas(live, declared, dialect.capabilities)]


def postgres_schemas(shared_dir: Path) -> list[tuple[Path, Datamodel]]:
    reference = shared_dir / "scenarios" / "seed-incident" / "prisma" / "schema.prisma"
    found = []
    for path in [reference, *sorted((shared_dir / "corpus" / "real-world").rglob("schema.prisma"))]:
        datamodel = load_schema(path).require()
        if datamodel.datasource is not None and datamodel.datasource.provider == "postgresql":
            found.append((path, datamodel))
    return found


# ── Prisma's naming style ──────────────────────────────────────────────────


@pytest.mark.parametrize("case", ["naming", "ambiguity"])
def test_pull_writes_what_prisma_db_pull_writes(pg_url: str, case: str) -> None:
    apply_sql(pg_url, (FIXTURES / f"{case}.sql").read_text())
    pulled = pull_schema(introspect(pg_url), "postgresql")
    assert pulled.text == (FIXTURES / f"{case}.prisma").read_text()


@pytest.mark.parametrize("case", ["naming", "ambiguity"])
def test_a_pulled_schema_rediffs_empty_against_its_database(pg_url: str, case: str) -> None:
    apply_sql(pg_url, (FIXTURES / f"{case}.sql").read_text())
    assert changes_after_pull(pg_url) == []


def test_tables_without_identifier_and_unknown_types_are_reported(pg_url: str) -> None:
    apply_sql(pg_url, (FIXTURES / "naming.sql").read_text())
    warnings = pull_schema(introspect(pg_url), "postgresql").warnings
    assert any('"nopk"' in w and "@@ignore" in w for w in warnings)
    assert any('"users"."circle"' in w for w in warnings)


# ── every schema of the corpus ─────────────────────────────────────────────


@pytest.mark.shared
def test_pull_then_diff_is_empty_for_every_postgresql_corpus_schema(
    shared_dir: Path, pg_server: Any
) -> None:
    failures = []
    for path, datamodel in postgres_schemas(shared_dir):
        with pg_server.throwaway() as url:
            apply_sql(url, render_from_empty(datamodel, "postgresql"))
            changes = changes_after_pull(url)
        if changes:
            failures.append(f"{path}: {changes}")
    assert not failures, "\n".join(failures)


@pytest.mark.shared
def test_render_apply_introspect_then_diff_against_the_schema_is_empty(
    shared_dir: Path, pg_server: Any
) -> None:
    """The round trip through the differ (introspection tests compare the models field by field)."""
    dialect = dialect_for("postgresql")
    failures = []
    for path, datamodel in postgres_schemas(shared_dir):
        with pg_server.throwaway() as url:
            apply_sql(url, render_from_empty(datamodel, "postgresql"))
            changes = diff_schemas(
                introspect(url), dialect.calculate(datamodel), dialect.capabilities
            )
        if changes:
            failures.append(f"{path}: {[describe(c) for c in changes]}")
    assert not failures, "\n".join(failures)


# ── the command ────────────────────────────────────────────────────────────


def _project(tmp_path: Path) -> Path:
    schema = tmp_path / "prisma" / "schema.prisma"
    schema.parent.mkdir()
    schema.write_text(
        'generator client {\n  provider = "prisma-client-js"\n}\n\n'
        'datasource db {\n  provider = "postgresql"\n  url      = env("DATABASE_URL")\n}\n'
    )
    return schema


def test_db_pull_keeps_the_datasource_and_generators_and_writes_the_models(
    pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    apply_sql(pg_url, (FIXTURES / "ambiguity.sql").read_text())
    schema = _project(tmp_path)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", pg_url)
    result = CliRunner().invoke(cli, ["db", "pull"])
    assert result.exit_code == 0, result.output
    text = schema.read_text()
    assert text.startswith(
        'generator client {\n  provider = "prisma-client-js"\n}\n\ndatasource db {'
    )
    assert 'url      = env("DATABASE_URL")' in text
    assert (
        text.split("}\n\n", 2)[2]
        == (FIXTURES / "ambiguity.prisma").read_text().split("}\n\n", 1)[1]
    )
    assert "Introspected 6 models and 0 enums" in result.output


def test_db_pull_print_reads_the_url_from_a_dotenv_file_and_writes_nothing(
    pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    apply_sql(pg_url, "CREATE TABLE things (id int PRIMARY KEY)")
    schema = _project(tmp_path)
    before = schema.read_text()
    (tmp_path / ".env").write_text(f'# local settings\nDATABASE_URL="{pg_url}"\n')
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    result = CliRunner().invoke(cli, ["db", "pull", "--print"])
    assert result.exit_code == 0, result.output
    assert "model things {\n  id Int @id\n}\n" in result.output
    assert schema.read_text() == before


def test_db_pull_without_a_schema_creates_one_for_the_urls_provider(
    pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    apply_sql(pg_url, "CREATE TABLE things (id int PRIMARY KEY)")
    monkeypatch.chdir(tmp_path)
    password_url = pg_url.replace("postgres@", "postgres:s3cret@")
    result = CliRunner().invoke(cli, ["db", "pull", "--url", password_url, "--json"])
    report = json.loads(result.output)
    assert (tmp_path / "prisma" / "schema.prisma").read_text() == (
        'datasource db {\n  provider = "postgresql"\n}\n\nmodel things {\n  id Int @id\n}\n'
    )
    assert report["models"] == 1 and report["written"] is True
    assert "s3cret" not in result.output


def test_db_pull_of_an_empty_database_is_an_error(
    pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["db", "pull", "--url", pg_url])
    assert result.exit_code == 1
    assert "The introspected database was empty" in result.output
