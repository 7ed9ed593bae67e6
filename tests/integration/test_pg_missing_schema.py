"""A PostgreSQL URL's `?schema=NAME` schema is created when it is missing, as Prisma does.

Prisma 7.10.1 (the oracle's trace) runs, on connecting, for `db push`, `migrate deploy`
(and `migrate status`, `db pull`, `migrate diff --from-config-datasource`):

    SELECT EXISTS(SELECT 1 FROM pg_namespace WHERE nspname = $1), version(), ...  -- ["NAME"]
    CREATE SCHEMA "NAME"                                      -- only when it is missing

Looking first matters: `CREATE SCHEMA IF NOT EXISTS` needs the CREATE privilege on the
database even when the schema exists, so an application role that owns its schema but may
not create schemas could not deploy with it (Prisma can).
"""

from __future__ import annotations

import os
import secrets
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from schemamend.commands.migrate import deploy
from schemamend.commands.push import db_push
from schemamend.db import connect, parse_url
from tests.integration.migrate_project import make_project

SCHEMA = """datasource db {
  provider = "postgresql"
}

model User {
  id    Int    @id @default(autoincrement())
  email String @unique
  posts Post[]
}

model Post {
  id       Int  @id @default(autoincrement())
  authorId Int
  author   User @relation(fields: [authorId], references: [id])
}
"""


def _write_schema(root: Path) -> Path:
    schema = root / "prisma" / "schema.prisma"
    schema.parent.mkdir(parents=True, exist_ok=True)
    schema.write_text(SCHEMA, encoding="utf-8")
    return schema


def _tables(url: str) -> list[tuple[str, str]]:
    with connect(parse_url(url)) as conn:
        rows = conn.query(
            "SELECT table_schema, table_name FROM information_schema.tables "
            "WHERE table_schema NOT IN ('pg_catalog', 'information_schema') ORDER BY 1, 2"
        )
    return [(str(a), str(b)) for a, b in rows]


def _columns(url: str, schema: str) -> list[tuple[Any, ...]]:
    with connect(parse_url(url)) as conn:
        rows = conn.query(
            "SELECT table_name, column_name, data_type, is_nullable, column_default "
            "FROM information_schema.columns WHERE table_schema = %s ORDER BY 1, ordinal_position",
            (schema,),
        )
    # A serial's default names its sequence qualified by the schema: compare without it.
    return [tuple(str(v).replace(f"{schema}.", "") for v in r) for r in rows]


def test_push_creates_the_missing_schema_and_pushes_into_it(tmp_path: Path, pg_url: str) -> None:
    url = pg_url + "?schema=tenant_new"
    schema = _write_schema(tmp_path)

    report = db_push(str(schema), url=url)

    assert report.applied and report.exit_code == 0, report.repair.remaining
    assert not report.created_database  # the database existed: only the schema was made
    assert _tables(pg_url) == [("tenant_new", "Post"), ("tenant_new", "User")]
    again = db_push(str(schema), url=url)
    assert again.no_changes and again.exit_code == 0


def test_push_creates_the_database_and_the_schema(tmp_path: Path, pg_url: str) -> None:
    database = parse_url(pg_url).database + "_new"
    url = pg_url.rsplit("/", 1)[0] + f"/{database}?schema=tenant_new"
    try:
        report = db_push(str(_write_schema(tmp_path)), url=url)
        assert report.applied and report.created_database
        assert _tables(url) == [("tenant_new", "Post"), ("tenant_new", "User")]
    finally:
        with connect(parse_url(pg_url)) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


@pytest.fixture
def schema_owner(pg_server: Any, pg_url: str) -> Iterator[str]:
    """A role that owns schema `app` but may not create schemas in the database."""
    role = f"sm_owner_{secrets.token_hex(4)}"
    database = parse_url(pg_url).database
    with connect(parse_url(pg_url)) as conn:
        conn.execute(f'CREATE ROLE "{role}" LOGIN')
        conn.execute(f'CREATE SCHEMA "app" AUTHORIZATION "{role}"')
        conn.execute(f'REVOKE CREATE ON DATABASE "{database}" FROM PUBLIC')
    try:
        yield f"postgresql://{role}@{pg_server.host}:{pg_server.port}/{database}?schema=app"
    finally:
        with connect(parse_url(pg_url)) as conn:
            conn.execute(f'DROP OWNED BY "{role}"')
        with pg_server.admin_connect() as admin:
            admin.execute(f'DROP ROLE IF EXISTS "{role}"')


def test_a_role_that_may_not_create_schemas_deploys_and_pushes_into_its_own(
    tmp_path: Path, pg_url: str, schema_owner: str
) -> None:
    project = make_project(tmp_path / "deploy", schema_owner)
    project.add_standard_history(2)
    assert deploy(str(project.schema), url=schema_owner).ok

    with connect(parse_url(pg_url)) as conn:
        conn.execute('DROP TABLE app."posts", app."users", app."_prisma_migrations"')
    report = db_push(str(_write_schema(tmp_path / "push")), url=schema_owner)
    assert report.applied and report.exit_code == 0, report.repair.remaining
    assert _tables(pg_url) == [("app", "Post"), ("app", "User")]


@pytest.mark.shared
def test_push_into_a_missing_schema_builds_what_prismas_push_builds(
    tmp_path: Path, pg_url: str, shared_dir: Path
) -> None:
    oracle = shared_dir / "tools" / "prisma-oracle" / "oracle.sh"
    schema = _write_schema(tmp_path)
    # The oracle connects with a password (trust authentication ignores it).
    theirs = pg_url.replace("postgresql://postgres@", "postgresql://postgres:postgres@")
    subprocess.run(
        [str(oracle), "db", "push", "--schema", str(schema)],
        env={**os.environ, "DATABASE_URL": theirs + "?schema=by_prisma"},
        capture_output=True,
        text=True,
        timeout=180,
        check=True,
    )
    assert db_push(str(schema), url=pg_url + "?schema=by_schemamend").applied

    assert _columns(pg_url, "by_schemamend") == _columns(pg_url, "by_prisma") != []
