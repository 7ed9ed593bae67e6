"""`schemamend db pull`: describe a live database as a `schema.prisma`.

The connection comes from `--url`, else the schema's datasource (`env(...)`,
a literal, `DATABASE_URL`; `.env` files included). An existing schema keeps its
datasource and generator blocks; its models and enums are replaced by what the
database holds, named as `prisma db pull` names them. Without a schema file the
provider is the URL's, and the file is created.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from schemamend.db.dotenv import with_dotenv
from schemamend.db.url import DatabaseUrl, parse_url
from schemamend.errors import SchemaInputError, SchemamendError
from schemamend.migrate.errors import NoDatabaseUrl
from schemamend.migrate.project import FALLBACK_URL_ENV, load_project
from schemamend.psl import ast, parse_sources
from schemamend.psl.loader import find_schema_path, read_schema_sources
from schemamend.pull import default_header, pull_schema

DEFAULT_SCHEMA_PATH = "prisma/schema.prisma"
_KEPT_BLOCKS = (ast.BlockKind.DATASOURCE, ast.BlockKind.GENERATOR)


class EmptyDatabaseError(SchemamendError):
    code = "P4001"


@dataclass(frozen=True)
class PullReport:
    schema_path: Path
    text: str
    warnings: tuple[str, ...]
    written: bool
    url: str  # redacted
    models: int
    enums: int


def db_pull(
    schema: str | None = None,
    *,
    url: str | None = None,
    print_only: bool = False,
    cwd: Path | None = None,
    environ: Mapping[str, str] | None = None,
) -> PullReport:
    """Introspect the database and write (or, with `print_only`, only return) the schema."""
    from schemamend.introspect import introspect

    base = cwd or Path.cwd()
    try:
        schema_path = find_schema_path(schema, cwd)
    except SchemaInputError:
        schema_path = Path(DEFAULT_SCHEMA_PATH)  # no schema yet: create Prisma's default one
    if not schema_path.is_absolute():
        schema_path = base / schema_path
    if schema_path.exists():
        if schema_path.is_dir() and not print_only:
            raise SchemaInputError(
                f"{schema_path} is a schema folder; db pull writes one file",
                hint="pass --schema FILE, or --print",
            )
        project = load_project(str(schema_path), url=url, cwd=cwd, environ=environ)
        database_url, provider = project.url, project.provider
        header = _kept_blocks(schema_path)
    else:
        database_url = _url_without_schema(url, base, environ)
        provider = database_url.family.value
        header = default_header(provider)
    live = introspect(database_url)
    if not live.tables and not live.enums:
        raise EmptyDatabaseError(
            f"The introspected database was empty: {database_url.redacted()}",
            hint="db pull needs at least one table",
        )
    outcome = pull_schema(live, provider, header)
    written = not print_only
    if written:
        schema_path.parent.mkdir(parents=True, exist_ok=True)
        schema_path.write_text(outcome.text, encoding="utf-8")
    models = sum(1 for line in outcome.text.splitlines() if line.startswith("model "))
    enums = sum(1 for line in outcome.text.splitlines() if line.startswith("enum "))
    return PullReport(
        schema_path,
        outcome.text,
        tuple(outcome.warnings),
        written,
        database_url.redacted(),
        models,
        enums,
    )


def _kept_blocks(schema_path: Path) -> str:
    """The datasource and generator blocks of the existing schema, as written."""
    files, _ = parse_sources(read_schema_sources(schema_path))
    blocks = [b.span.text() for tree in files for b in tree.blocks if b.kind in _KEPT_BLOCKS]
    return "\n\n".join(blocks) + "\n"


def _url_without_schema(
    explicit: str | None, cwd: Path, environ: Mapping[str, str] | None
) -> DatabaseUrl:
    if explicit:
        return parse_url(explicit, base_dir=cwd)
    env = with_dotenv(os.environ if environ is None else environ, cwd=cwd)
    value = env.get(FALLBACK_URL_ENV)
    if not value:
        raise NoDatabaseUrl(
            f"no schema file and no database URL: pass --url, or set {FALLBACK_URL_ENV}",
            hint="db pull needs a database to read",
        )
    return parse_url(value, base_dir=cwd)
