"""`schemamend migrate diff`: the changes between any two schema states.

A state is one of: empty, a schema file, a migrations folder (replayed in a
shadow database), or a live database URL. Both states become the neutral SQL
schema of one dialect, the differ orders the changes, the dialect renders them.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from schemamend.dialects.base import Dialect
from schemamend.dialects.registry import dialect_for
from schemamend.diff.changes import Change, describe
from schemamend.diff.differ import database_namespace, diff_schemas
from schemamend.diff.script import RenderedStep, migration_script, render_steps
from schemamend.diff.summary import summarize
from schemamend.errors import SchemamendError
from schemamend.model.datamodel import Datamodel
from schemamend.model.sql import Schema

STATE_KINDS = ("empty", "schema", "migrations", "url")


class DiffInputError(SchemamendError):
    code = "SM030"


@dataclass(frozen=True)
class State:
    """One side of a diff: its kind and the path or URL that names it."""

    kind: str
    value: str | None = None

    def label(self) -> str:
        if self.kind == "empty":
            return "empty"
        if self.kind == "url":
            from schemamend.db.url import parse_url

            return f"url {parse_url(self.value or '').redacted()}"
        return f"{self.kind} {self.value}"


@dataclass(frozen=True)
class DiffReport:
    source: State
    target: State
    dialect: Dialect
    changes: tuple[Change, ...]
    steps: tuple[RenderedStep, ...]

    @property
    def is_empty(self) -> bool:
        return not self.changes

    @property
    def script(self) -> str:
        """What `prisma migrate diff ... --script` prints."""
        return migration_script(self.steps) + "\n"

    @property
    def summary(self) -> str:
        """What `prisma migrate diff` prints without `--script`."""
        return summarize(self.changes, getattr(self.dialect, "recreates_column", None))

    def describe_changes(self) -> list[str]:
        return [describe(change) for change in self.changes]


def migrate_diff(
    source: State,
    target: State,
    *,
    shadow_database_url: str | None = None,
) -> DiffReport:
    """Diff two states; raises DiffInputError when they cannot be read or do not agree."""
    dialect = _common_dialect(source, target)
    # A multiSchema schema file names the namespaces a live database is read from (as Prisma does).
    namespaces = _declared_namespaces(source) or _declared_namespaces(target)
    with (
        _schema_of(source, dialect, shadow_database_url, namespaces) as before,
        _schema_of(target, dialect, shadow_database_url, namespaces) as after,
    ):
        changes = diff_schemas(
            before,
            after,
            dialect.capabilities,
            prisma_steps=True,
            live_namespace=_live_namespace(source, before),
        )
    # Dialects that alter several columns in one statement group them (PostgreSQL).
    steps = render_steps(changes, dialect.render, getattr(dialect, "render_alter_table", None))
    return DiffReport(source, target, dialect, tuple(changes), tuple(steps))


def _declared_namespaces(state: State) -> tuple[str, ...]:
    if state.kind != "schema":
        return ()
    datasource = _datamodel(state).datasource
    return datasource.schemas if datasource is not None else ()


def _live_namespace(source: State, schema: Schema) -> str | None:
    """The namespace a database-read source's unqualified objects live in (e.g. `public`)."""
    if source.kind not in ("url", "migrations"):
        return None
    return database_namespace(schema)


# ── dialect ────────────────────────────────────────────────────────────────


def _provider_of(state: State) -> str | None:
    if state.kind == "empty":
        return None
    if state.kind == "schema":
        datasource = _datamodel(state).datasource
        return datasource.provider if datasource else None
    if state.kind == "url":
        from schemamend.db.url import parse_url

        return parse_url(state.value or "").family.value
    if state.kind == "migrations":
        from schemamend.migrate.folder import read_migrations_folder

        folder = read_migrations_folder(Path(state.value or ""))
        return folder.lock_provider
    raise DiffInputError(
        f"unknown state kind {state.kind!r} (expected one of {', '.join(STATE_KINDS)})"
    )


def _common_dialect(source: State, target: State) -> Dialect:
    providers = {p for p in (_provider_of(source), _provider_of(target)) if p is not None}
    families = {dialect_for(p).name for p in providers}
    if not families:
        raise DiffInputError(
            "cannot tell the database provider: both sides are empty",
            hint="give a --from-schema/--to-schema with a datasource, or a --from-url/--to-url",
        )
    if len(families) > 1:
        raise DiffInputError(
            f"the two sides use different providers ({', '.join(sorted(families))}); "
            "a diff needs one database family"
        )
    return dialect_for(next(iter(providers)))


# ── reading one state ─────────────────────────────────────────────────────


@functools.cache
def _load_datamodel(path: str) -> Datamodel:
    from schemamend.psl import load_schema

    return load_schema(Path(path)).require()


def _datamodel(state: State) -> Datamodel:
    return _load_datamodel(state.value or "")


@contextmanager
def _schema_of(
    state: State, dialect: Dialect, shadow_url: str | None, namespaces: tuple[str, ...] = ()
) -> Iterator[Schema]:
    if state.kind == "empty":
        yield Schema()
    elif state.kind == "schema":
        yield dialect.calculate(_datamodel(state))
    elif state.kind == "url":
        from schemamend.introspect import introspect

        yield introspect(state.value or "", namespaces=namespaces or None)
    elif state.kind == "migrations":
        yield _replayed_schema(Path(state.value or ""), dialect, shadow_url)
    else:
        raise DiffInputError(f"unknown state kind {state.kind!r}")


def _replayed_schema(folder_path: Path, dialect: Dialect, shadow_url: str | None) -> Schema:
    """Replay the folder in a throwaway database and read back what it built."""
    from schemamend.db import connect, memory_sqlite, parse_url
    from schemamend.introspect import introspect
    from schemamend.migrate.folder import read_migrations_folder
    from schemamend.migrate.shadow import replay, shadow_database

    folder = read_migrations_folder(folder_path)
    if shadow_url is None:
        if dialect.name != "sqlite":
            raise DiffInputError(
                f"replaying {folder_path} needs a shadow database on a {dialect.name} server",
                hint="pass --shadow-database-url URL (a temporary database is created next to it and dropped)",
            )
        server = memory_sqlite()
    else:
        server = connect(parse_url(shadow_url))
    with server, shadow_database(server) as shadow:
        result = replay(shadow, folder.migrations)
        if result.failure is not None:
            raise DiffInputError(
                f"the migrations folder {folder_path} does not replay: {result.failure.describe()}",
                hint="history cannot build the schema; `schemamend doctor` explains why",
            )
        return introspect(shadow)
