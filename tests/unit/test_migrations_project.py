"""Where migrate commands find the database URL and the migrations folder; connection retries."""

from __future__ import annotations

from pathlib import Path

import pytest

from schemamend import db
from schemamend.db import DatabaseUnreachable, parse_url
from schemamend.migrate.errors import NoDatabaseUrl
from schemamend.migrate.project import DatasourceConfig, _datasource, load_project, read_datasource
from schemamend.psl import ast, parse_sources
from schemamend.psl.loader import read_schema_sources


def schema(tmp_path: Path, datasource: str) -> Path:
    path = tmp_path / "prisma" / "schema.prisma"
    path.parent.mkdir(parents=True)
    path.write_text(f"datasource db {{\n{datasource}\n}}\n", encoding="utf-8")
    return path


def test_url_from_the_env_var_named_in_the_schema(tmp_path: Path) -> None:
    path = schema(tmp_path, '  provider = "postgresql"\n  url = env("APP_DB")')

    project = load_project(
        str(path), environ={"APP_DB": "postgresql://u:pw@h/app", "DATABASE_URL": "x"}
    )

    assert project.url_source == "APP_DB" and project.url.database == "app"
    assert project.migrations_dir == path.parent / "migrations"


def test_prisma7_schemas_without_url_use_database_url_and_explicit_url_wins(tmp_path: Path) -> None:
    path = schema(tmp_path, '  provider = "postgresql"')

    from_env = load_project(str(path), environ={"DATABASE_URL": "postgresql://u@h/one"})
    explicit = load_project(
        str(path), url="postgresql://u@h/two", environ={"DATABASE_URL": "postgresql://u@h/one"}
    )

    assert (from_env.url.database, from_env.url_source) == ("one", "DATABASE_URL")
    assert (explicit.url.database, explicit.url_source) == ("two", "--url")


def test_missing_env_var_is_a_clear_error(tmp_path: Path) -> None:
    path = schema(tmp_path, '  provider = "sqlite"\n  url = env("NOPE")')

    with pytest.raises(NoDatabaseUrl, match="Environment variable not found: NOPE"):
        load_project(str(path), environ={})


def test_sqlite_file_paths_are_relative_to_the_schema_file(tmp_path: Path) -> None:
    path = schema(tmp_path, '  provider = "sqlite"\n  url = "file:./dev.db"')

    project = load_project(str(path), environ={}, cwd=Path("/"))

    assert project.url.path == path.parent / "dev.db"


def test_a_url_for_another_family_than_the_provider_is_refused(tmp_path: Path) -> None:
    path = schema(tmp_path, '  provider = "mysql"')

    with pytest.raises(NoDatabaseUrl, match="provider is `mysql`"):
        load_project(str(path), environ={"DATABASE_URL": "postgresql://u@h/db"})


def _by_full_parse(path: Path) -> DatasourceConfig:
    files, _ = parse_sources(read_schema_sources(path))
    for tree in files:
        for block in tree.blocks:
            if block.kind is ast.BlockKind.DATASOURCE:
                return _datasource(block, Path(tree.source.path))
    raise AssertionError("no datasource")


@pytest.mark.parametrize(
    "text",
    [
        'model A {\n  id Int @id\n}\n\ndatasource main {\n  provider = "mysql" // comment }\n}\n',
        '// datasource commented {\ndatasource db {\n  url = env("X")\n  provider = "sqlite"\n}\n',
        '/* datasource hidden {\n  provider = "mysql"\n} */\ndatasource db {\n  provider = "sqlite"\n}\n',
        'datasource db {\n  provider = "postgresql"\n  url = "postgresql://u@h/db"\n}',
    ],
)
def test_the_datasource_read_alone_is_the_one_a_full_parse_finds(tmp_path: Path, text: str) -> None:
    path = tmp_path / "schema.prisma"
    path.write_text(text, encoding="utf-8")

    assert read_datasource(path) == _by_full_parse(path)


def test_in_a_schema_folder_the_first_file_with_a_datasource_wins(tmp_path: Path) -> None:
    (tmp_path / "a_models.prisma").write_text("model A {\n  id Int @id\n}\n", encoding="utf-8")
    (tmp_path / "b_config.prisma").write_text(
        'datasource db {\n  provider = "mysql"\n}\n', encoding="utf-8"
    )

    found = read_datasource(tmp_path)

    assert (found.provider, found.file) == ("mysql", tmp_path / "b_config.prisma")


@pytest.mark.shared
def test_real_world_datasources_read_alone_match_a_full_parse(shared_dir: Path) -> None:
    schemas = sorted((shared_dir / "corpus" / "real-world").rglob("schema.prisma"))
    assert schemas
    for path in schemas:
        assert read_datasource(path) == _by_full_parse(path), path


def test_connect_with_retry_backs_off_until_the_deadline(monkeypatch: pytest.MonkeyPatch) -> None:
    now = [0.0]
    pauses: list[float] = []

    def unreachable(*args: object, **kwargs: object) -> db.Connection:
        raise DatabaseUnreachable("Can't reach database server at `h:5432`")

    def sleep(seconds: float) -> None:
        pauses.append(seconds)
        now[0] += seconds

    monkeypatch.setattr(db, "connect", unreachable)
    with pytest.raises(DatabaseUnreachable):
        db.connect_with_retry(
            parse_url("postgresql://u@h/db"), wait_s=10, sleep=sleep, clock=lambda: now[0]
        )

    assert pauses == [0.5, 1.0, 2.0, 4.0, 2.5]
    assert sum(pauses) == 10


def test_connect_with_retry_without_waiting_tries_once(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []

    def unreachable(*args: object, **kwargs: object) -> db.Connection:
        calls.append(1)
        raise DatabaseUnreachable("down")

    monkeypatch.setattr(db, "connect", unreachable)
    with pytest.raises(DatabaseUnreachable):
        db.connect_with_retry(parse_url("postgresql://u@h/db"), wait_s=0, sleep=lambda s: None)

    assert calls == [1]
