"""`.env` files are read as the Prisma CLI reads them, and never override the real environment."""

from __future__ import annotations

from pathlib import Path

import pytest

from schemamend.db.dotenv import EnvFileConflict, parse_env_text, with_dotenv
from schemamend.migrate.project import load_project

SCHEMA = 'datasource db {\n  provider = "postgresql"\n  url      = env("DATABASE_URL")\n}\n'


def test_values_comments_quotes_and_export() -> None:
    text = (
        "# a comment\n"
        "PLAIN=postgresql://u@h/db # trailing comment\n"
        "export EXPORTED=yes\n"
        'DOUBLE="line1\\nline2"\n'
        "SINGLE='kept \\n as # is'\n"
        "EMPTY=\n"
        "not a line\n"
        'MULTI="first\nsecond"\n'
    )
    assert parse_env_text(text) == {
        "PLAIN": "postgresql://u@h/db",
        "EXPORTED": "yes",
        "DOUBLE": "line1\nline2",
        "SINGLE": "kept \\n as # is",
        "EMPTY": "",
        "MULTI": "first\nsecond",
    }


def test_the_real_environment_wins_and_references_expand(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text(
        "HOST=db.local\nDATABASE_URL=postgresql://app@${HOST}/app\nSET=from-file\n"
    )
    env = with_dotenv({"SET": "from-environment"}, cwd=tmp_path)
    assert env["DATABASE_URL"] == "postgresql://app@db.local/app"
    assert env["SET"] == "from-environment"


def test_the_env_file_next_to_the_schema_is_read(tmp_path: Path) -> None:
    schema_dir = tmp_path / "db"
    schema_dir.mkdir()
    (schema_dir / ".env").write_text("DATABASE_URL=postgresql://app@h/next-to-schema\n")
    assert with_dotenv({}, cwd=tmp_path, schema_dir=schema_dir)["DATABASE_URL"].endswith(
        "next-to-schema"
    )


def test_the_same_variable_in_both_files_is_an_error_as_in_prisma(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("DATABASE_URL=postgresql://a@h/one\n")
    (tmp_path / "prisma").mkdir()
    (tmp_path / "prisma" / ".env").write_text("DATABASE_URL=postgresql://a@h/two\n")
    with pytest.raises(
        EnvFileConflict, match="conflict between env vars in .env and .*prisma/.env"
    ):
        with_dotenv({}, cwd=tmp_path, schema_dir=tmp_path / "prisma")


def test_load_project_takes_the_url_from_a_dotenv_file(tmp_path: Path) -> None:
    (tmp_path / "prisma").mkdir()
    (tmp_path / "prisma" / "schema.prisma").write_text(SCHEMA)
    (tmp_path / ".env").write_text('DATABASE_URL="postgresql://app:pw@db.local:5432/app"\n')
    project = load_project(None, cwd=tmp_path, environ={})
    assert project.url.redacted() == "postgresql://app:***@db.local:5432/app"
    assert project.url_source == "DATABASE_URL"


def test_an_explicit_url_needs_no_env_file(tmp_path: Path) -> None:
    (tmp_path / "schema.prisma").write_text(SCHEMA)
    (tmp_path / ".env").write_text("DATABASE_URL=postgresql://a@h/one\n")
    (tmp_path / "prisma").mkdir()
    (tmp_path / "prisma" / ".env").write_text("DATABASE_URL=postgresql://a@h/two\n")
    project = load_project(None, url="postgresql://a@h/explicit", cwd=tmp_path, environ={})
    assert project.url.database == "explicit"
