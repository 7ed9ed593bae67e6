"""Where a command's inputs come from: the schema, its datasource, the URL, the migrations.

Only the `datasource` block is needed to migrate, so only that block is parsed
here, never validated: a migration run must not be blocked by a problem in a
model that the migrations do not touch (Prisma validates the schema; the
start-up command does too, before its drift check). Commands that need the
datamodel load the schema once, after this.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from schemamend.db import PROVIDER_FAMILIES, DatabaseUrl, parse_url
from schemamend.db.dotenv import with_dotenv
from schemamend.diagnostics import SourceFile
from schemamend.errors import SchemaInputError
from schemamend.migrate.errors import NoDatabaseUrl
from schemamend.psl import ast, parse_sources
from schemamend.psl.loader import find_schema_path, read_schema_sources
from schemamend.psl.parser import parse_source

FALLBACK_URL_ENV = "DATABASE_URL"


@dataclass(frozen=True)
class DatasourceConfig:
    name: str
    provider: str
    url_literal: str | None
    url_env: str | None
    file: Path  # the schema file that holds the block


@dataclass(frozen=True)
class Project:
    schema_path: Path
    datasource: DatasourceConfig
    url: DatabaseUrl
    url_source: str  # where the URL came from, for messages ("DATABASE_URL", "--url", ...)
    migrations_dir: Path

    @property
    def provider(self) -> str:
        return self.datasource.provider


# A block starts at a line beginning with its keyword and ends at the first line starting with `}`.
_DATASOURCE_START = re.compile(r"^[ \t]*datasource[ \t]+\w+[ \t]*\{", re.MULTILINE)
_BLOCK_END = re.compile(r"^[ \t]*\}", re.MULTILINE)


def read_datasource(schema_path: Path) -> DatasourceConfig:
    """The first datasource block of the schema (file order), parsed alone.

    Parsing a 1,000-model schema whole takes seconds; this reads only the
    block's lines. Anything unusual (no block found that way, `/* */` comments
    that could hide one) falls back to parsing every file.
    """
    sources = read_schema_sources(schema_path)
    found = _datasource_alone(sources)
    if found is not None:
        return found
    files, _ = parse_sources(sources)
    for tree in files:
        block = _first_datasource(tree)
        if block is not None:
            return _datasource(block, Path(tree.source.path))
    raise _no_datasource(schema_path)


def _datasource_alone(sources: list[SourceFile]) -> DatasourceConfig | None:
    if any("/*" in source.text for source in sources):
        return None
    for source in sources:
        start = _DATASOURCE_START.search(source.text)
        if start is None:
            continue
        end = _BLOCK_END.search(source.text, start.end())
        snippet = source.text[start.start() : len(source.text) if end is None else end.end()]
        tree, _ = parse_source(SourceFile(source.path, snippet + "\n"))
        block = _first_datasource(tree)
        return None if block is None else _datasource(block, Path(source.path))
    return None


def _first_datasource(tree: ast.SchemaFile) -> ast.Block | None:
    return next((b for b in tree.blocks if b.kind is ast.BlockKind.DATASOURCE), None)


def _no_datasource(schema_path: Path) -> SchemaInputError:
    return SchemaInputError(
        f"{schema_path}: no datasource block found",
        hint='add `datasource db { provider = "postgresql" }` to the schema',
    )


def _datasource(block: ast.Block, file: Path) -> DatasourceConfig:
    provider: str | None = None
    url_literal: str | None = None
    url_env: str | None = None
    for prop in block.properties:
        value = prop.value
        if prop.name.name == "provider" and isinstance(value, ast.StringValue):
            provider = value.value
        elif prop.name.name == "url":
            if isinstance(value, ast.StringValue):
                url_literal = value.value
            elif isinstance(value, ast.FunctionCall) and value.name == "env":
                args = value.arguments.arguments
                if args and isinstance(args[0].value, ast.StringValue):
                    url_env = args[0].value.value
    if provider is None:
        raise SchemaInputError(f"{file}: the datasource `{block.name.name}` has no provider")
    if provider not in PROVIDER_FAMILIES:
        raise SchemaInputError(
            f"{file}: schemamend migrates PostgreSQL, MySQL and SQLite; the datasource provider "
            f"is `{provider}`"
        )
    return DatasourceConfig(block.name.name, provider, url_literal, url_env, file)


def resolve_url(
    ds: DatasourceConfig, explicit: str | None, environ: Mapping[str, str]
) -> tuple[str, str]:
    """The URL text and where it came from: --url, the schema's env(), its literal, DATABASE_URL.

    `environ` includes the variables of `.env` files (`load_project` adds them).
    """
    if explicit:
        return explicit, "--url"
    if ds.url_env is not None:
        value = environ.get(ds.url_env)
        if value:
            return value, ds.url_env
        raise NoDatabaseUrl(
            f"Environment variable not found: {ds.url_env} (the url of datasource `{ds.name}`)",
            hint=f"set {ds.url_env}, or pass --url",
        )
    if ds.url_literal:
        return ds.url_literal, f"datasource {ds.name}"
    value = environ.get(FALLBACK_URL_ENV)
    if value:
        return value, FALLBACK_URL_ENV
    raise NoDatabaseUrl(
        f"no database URL: the datasource `{ds.name}` has no url, and {FALLBACK_URL_ENV} is not set",
        hint=f"set {FALLBACK_URL_ENV}, or pass --url",
    )


def load_project(
    schema: str | None = None,
    *,
    url: str | None = None,
    migrations_dir: str | Path | None = None,
    cwd: Path | None = None,
    environ: Mapping[str, str] | None = None,
) -> Project:
    schema_path = find_schema_path(schema, cwd)
    if not schema_path.is_absolute():
        schema_path = (cwd or Path.cwd()) / schema_path
    ds = read_datasource(schema_path)
    env: Mapping[str, str] = os.environ if environ is None else environ
    if not url:  # `.env` files fill in what the environment does not set (Prisma's rules)
        env = with_dotenv(env, cwd=cwd or Path.cwd(), schema_dir=ds.file.parent)
    raw_url, source = resolve_url(ds, url, env)
    # Relative SQLite paths: relative to the schema file, as Prisma resolves them.
    parsed = parse_url(raw_url, base_dir=ds.file.parent)
    expected = PROVIDER_FAMILIES[ds.provider]
    if parsed.family is not expected:
        raise NoDatabaseUrl(
            f"the database URL ({source}) is for {parsed.family.value}, but the datasource "
            f"provider is `{ds.provider}`"
        )
    if migrations_dir is not None:
        folder = Path(migrations_dir)
    else:
        base = schema_path if schema_path.is_dir() else schema_path.parent
        folder = base / "migrations"
        if not folder.is_dir() and (ds.file.parent / "migrations").is_dir():
            folder = ds.file.parent / "migrations"
    return Project(schema_path, ds, parsed, source, folder)
