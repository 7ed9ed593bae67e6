"""Drift differential: `schemamend migrate diff --from-url --to-schema --script` against Prisma's.

For every PostgreSQL and SQLite schema of the reference scenario and of
`../shared/corpus/real-world/`: build a database from the rendered schema,
apply one drift (drop a column, an index, a foreign key or a table; add or
rename an enum value, also one a column takes by default; change a type, a
default or nullability), then compare
our script with the real Prisma CLI's (`oracle.sh migrate diff
--from-config-datasource --to-schema S --script`). Prisma's outputs are cached
under ~/.cache/schemamend-oracle/drift, keyed by the schema, the drift and the
provider. Prints identical/total per provider and writes every difference to
`--report` (default: drift_differences.txt in the temporary folder).

    .venv/bin/python scripts/drift_conformance.py [--shared ../shared] [--provider postgresql]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import secrets
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from schemamend.commands.diff import State, migrate_diff
from schemamend.commands.render import render_from_empty
from schemamend.dialects.registry import dialect_for
from schemamend.model import sql
from schemamend.model.datamodel import Datamodel
from schemamend.psl import load_schema

PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
CACHE = (
    Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "schemamend-oracle" / "drift"
)
_URL_LINE = re.compile(r"^\s*(url|directUrl|shadowDatabaseUrl)\s*=.*$", re.MULTILINE)


@dataclass(frozen=True)
class Drift:
    name: str
    statements: tuple[str, ...]


# ── which drifts a schema allows ────────────────────────────────────────────


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _referenced(schema: sql.Schema) -> set[str]:
    return {fk.referenced_table.name for t in schema.tables for fk in t.foreign_keys}


def _plain_columns(table: sql.Table) -> Iterator[sql.Column]:
    """Columns outside keys, indexes and foreign keys."""
    used = {c.name for i in table.indexes for c in i.columns}
    used |= {c for fk in table.foreign_keys for c in fk.columns}
    if table.primary_key is not None:
        used |= {c.name for c in table.primary_key.columns}
    return (c for c in table.columns if c.name not in used)


def drifts(schema: sql.Schema, provider: str) -> list[Drift]:
    postgres = provider == "postgresql"
    tables = [t for t in schema.tables if not t.name.startswith("_")]
    found: list[Drift] = []

    def first(name: str, make: Callable[[sql.Table], tuple[str, ...] | None]) -> None:
        for table in tables:
            statements = make(table)
            if statements:
                found.append(Drift(name, statements))
                return

    def drop_column(t: sql.Table) -> tuple[str, ...] | None:
        column = next((c for c in _plain_columns(t) if not c.is_required), None)
        return (f"ALTER TABLE {_q(t.name)} DROP COLUMN {_q(column.name)}",) if column else None

    def drop_index(t: sql.Table) -> tuple[str, ...] | None:
        index = next((i for i in t.indexes if i.kind is sql.IndexKind.NORMAL), None)
        return (f"DROP INDEX {_q(index.name)}",) if index else None

    def drop_fk(t: sql.Table) -> tuple[str, ...] | None:
        fk = next((k for k in t.foreign_keys if k.name), None)
        return (f"ALTER TABLE {_q(t.name)} DROP CONSTRAINT {_q(fk.name or '')}",) if fk else None

    def column_of(
        t: sql.Table, family: sql.TypeFamily, required: bool | None = None
    ) -> sql.Column | None:
        return next(
            (
                c
                for c in _plain_columns(t)
                if c.type.family is family
                and c.type.name == "TEXT"
                and not c.is_list
                and (required is None or c.is_required == required)
            ),
            None,
        )

    def change_type(t: sql.Table) -> tuple[str, ...] | None:
        c = column_of(t, sql.TypeFamily.STRING)
        return (
            (f"ALTER TABLE {_q(t.name)} ALTER COLUMN {_q(c.name)} TYPE VARCHAR(500)",)
            if c
            else None
        )

    def change_default(t: sql.Table) -> tuple[str, ...] | None:
        c = column_of(t, sql.TypeFamily.STRING)
        return (
            (f"ALTER TABLE {_q(t.name)} ALTER COLUMN {_q(c.name)} SET DEFAULT 'drift'",)
            if c
            else None
        )

    def change_nullability(t: sql.Table) -> tuple[str, ...] | None:
        c = column_of(t, sql.TypeFamily.STRING, required=True)
        return (f"ALTER TABLE {_q(t.name)} ALTER COLUMN {_q(c.name)} DROP NOT NULL",) if c else None

    referenced = _referenced(schema)

    def drop_table(t: sql.Table) -> tuple[str, ...] | None:
        if t.name in referenced:
            return None
        return (f"DROP TABLE {_q(t.name)}" + (" CASCADE" if postgres else ""),)

    first("drop column", drop_column)
    first("drop index", drop_index)
    if postgres:
        first("drop foreign key", drop_fk)
        if schema.enums:
            enum = schema.enums[0]
            found.append(
                Drift("add enum value", (f"ALTER TYPE {_q(enum.name)} ADD VALUE 'DRIFT_EXTRA'",))
            )
            last = enum.values[-1]
            found.append(
                Drift(
                    "remove enum value",
                    (f"ALTER TYPE {_q(enum.name)} RENAME VALUE '{last}' TO 'DRIFT_RENAMED'",),
                )
            )
            default = _enum_default(schema)
            if default is not None:
                name, value = default
                found.append(
                    Drift(
                        "remove default enum value",
                        (f"ALTER TYPE {_q(name)} RENAME VALUE '{value}' TO 'DRIFT_RENAMED'",),
                    )
                )
        first("change type", change_type)
        first("change default", change_default)
        first("change nullability", change_nullability)
    else:
        first("change nullability", sqlite_nullability)
        first("change default", sqlite_default)
        first("change type", sqlite_type)  # VARCHAR(500): the same family, no change to Prisma
        first("change type family", sqlite_type_family)
        first("drop foreign key", sqlite_drop_foreign_key)
    first("drop table", drop_table)
    return found


def _enum_default(schema: sql.Schema) -> tuple[str, str] | None:
    """An enum type and the value one of its columns takes by default."""
    for table in schema.tables:
        for column in table.columns:
            default = column.default
            if column.type.enum and default is not None and default.literal is not None:
                return column.type.enum, default.literal.text
    return None


# SQLite cannot alter a column: the drift rewrites the table's definition in place
# (writable_schema), as a hand edit of the database would leave it.
def _rewrite(table: str, old: str, new: str) -> tuple[str, ...]:
    return (
        "PRAGMA writable_schema = ON",
        f"UPDATE sqlite_master SET sql = replace(sql, '{old}', '{new}') WHERE type = 'table' AND name = '{table}'",
        "PRAGMA writable_schema = OFF",
    )


def sqlite_nullability(t: sql.Table) -> tuple[str, ...] | None:
    column = next((c for c in _plain_columns(t) if c.is_required and c.default is None), None)
    if column is None:
        return None
    kind = "TEXT" if column.type.family is sql.TypeFamily.STRING else column.type.name
    return _rewrite(t.name, f'"{column.name}" {kind} NOT NULL', f'"{column.name}" {kind}')


def sqlite_default(t: sql.Table) -> tuple[str, ...] | None:
    column = next(
        (
            c
            for c in _plain_columns(t)
            if not c.is_required and c.default is None and c.type.name == "TEXT"
        ),
        None,
    )
    if column is None:
        return None
    return _rewrite(t.name, f'"{column.name}" TEXT', f"\"{column.name}\" TEXT DEFAULT ''drift''")


def sqlite_type(t: sql.Table) -> tuple[str, ...] | None:
    column = next(
        (c for c in _plain_columns(t) if c.type.name == "TEXT" and c.default is None), None
    )
    if column is None:
        return None
    return _rewrite(t.name, f'"{column.name}" TEXT', f'"{column.name}" VARCHAR(500)')


def sqlite_type_family(t: sql.Table) -> tuple[str, ...] | None:
    column = next(
        (c for c in _plain_columns(t) if c.type.name == "TEXT" and c.default is None), None
    )
    if column is None:
        return None
    return _rewrite(t.name, f'"{column.name}" TEXT', f'"{column.name}" INTEGER')


def sqlite_drop_foreign_key(t: sql.Table) -> tuple[str, ...] | None:
    from schemamend.dialects.sqlite.render import foreign_key_clause

    fk = next((k for k in t.foreign_keys if k.name), None)
    if fk is None:
        return None
    clause = foreign_key_clause(fk).replace("'", "''")
    return _rewrite(t.name, f",\n    {clause}", "")


# ── databases ───────────────────────────────────────────────────────────────


@contextmanager
def drifted_database(provider: str, script: str, drift: Drift, folder: Path) -> Iterator[str]:
    if provider == "sqlite":
        path = folder / f"drift_{secrets.token_hex(4)}.db"
        con = sqlite3.connect(path)
        con.executescript(script)
        for statement in drift.statements:
            con.execute(statement)
        con.commit()
        con.close()
        yield f"file:{path}"
        path.unlink(missing_ok=True)
        return
    import psycopg

    name = f"sm_drift_{secrets.token_hex(5)}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    url = f"postgresql://postgres@127.0.0.1:5432/{name}"
    try:
        with psycopg.connect(url, autocommit=True) as conn:
            if "CITEXT" in script:
                conn.execute("CREATE EXTENSION IF NOT EXISTS citext")
            conn.execute(script.encode())
            for statement in drift.statements:
                conn.execute(statement.encode())
        yield url
    finally:
        with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# ── the two sides ───────────────────────────────────────────────────────────


def prisma_script(oracle: Path, schema_file: Path, url: str, key: str) -> str:
    cached = CACHE / f"{key}.sql"
    if cached.is_file():
        return cached.read_text(encoding="utf-8")
    result = subprocess.run(
        [
            str(oracle),
            "migrate",
            "diff",
            "--from-config-datasource",
            "--to-schema",
            str(schema_file),
            "--script",
        ],
        env={**os.environ, "DATABASE_URL": url},
        capture_output=True,
        text=True,
        timeout=180,
    )
    lines = [
        line for line in result.stdout.splitlines() if not line.startswith("Loaded Prisma config")
    ]
    text = "\n".join(lines).strip() + "\n"
    if result.returncode != 0:
        text = f"ERROR (exit {result.returncode}): {result.stderr.strip()}\n"
    else:
        CACHE.mkdir(parents=True, exist_ok=True)
        cached.write_text(text, encoding="utf-8")
    return text


def our_script(schema_file: Path, url: str) -> str:
    try:
        return (
            migrate_diff(State("url", url), State("schema", str(schema_file))).script.strip() + "\n"
        )
    except Exception as exc:  # noqa: BLE001 - a crash is a difference to report, not a stop
        return f"ERROR: {type(exc).__name__}: {exc}\n"


# ── the run ─────────────────────────────────────────────────────────────────


def schemas(shared: Path) -> list[tuple[str, Path, Datamodel]]:
    reference = shared / "scenarios" / "seed-incident" / "prisma" / "schema.prisma"
    found = []
    for path in [reference, *sorted((shared / "corpus" / "real-world").rglob("schema.prisma"))]:
        datamodel = load_schema(path).require()
        if datamodel.datasource is not None and datamodel.datasource.provider in (
            "postgresql",
            "sqlite",
        ):
            label = (
                "scenario"
                if path == reference
                else path.relative_to(shared / "corpus" / "real-world").parts[0]
            )
            found.append((label, path, datamodel))
    return found


@dataclass(frozen=True)
class Outcome:
    provider: str
    schema: str
    drift: str
    ours: str
    theirs: str

    @property
    def identical(self) -> bool:
        return self.ours == self.theirs


def run(shared: Path, providers: tuple[str, ...], folder: Path) -> list[Outcome]:
    oracle = shared / "tools" / "prisma-oracle" / "oracle.sh"
    outcomes = []
    for label, path, datamodel in schemas(shared):
        provider = datamodel.datasource.provider if datamodel.datasource else ""
        if provider not in providers:
            continue
        text = _URL_LINE.sub("", path.read_text(encoding="utf-8"))
        schema_file = folder / f"{label}.prisma"
        schema_file.write_text(text, encoding="utf-8")
        script = render_from_empty(datamodel, provider)
        for drift in drifts(dialect_for(provider).calculate(datamodel), provider):
            key = hashlib.sha256(
                "\0".join([provider, text, *drift.statements]).encode()
            ).hexdigest()[:32]
            with drifted_database(provider, script, drift, folder) as url:
                theirs = prisma_script(oracle, schema_file, url, key)
                ours = our_script(schema_file, url)
            outcomes.append(Outcome(provider, label, drift.name, ours, theirs))
            print(
                f"{provider:10} {label:32} {drift.name:20} {'identical' if ours == theirs else 'DIFFERENT'}",
                flush=True,
            )
    return outcomes


def report(outcomes: list[Outcome], path: Path) -> None:
    lines = []
    for o in outcomes:
        if not o.identical:
            lines += [
                f"=== {o.provider} {o.schema}: {o.drift}",
                "--- prisma",
                o.theirs,
                "--- schemamend",
                o.ours,
            ]
    path.write_text("\n".join(lines), encoding="utf-8")
    for provider in sorted({o.provider for o in outcomes}):
        mine = [o for o in outcomes if o.provider == provider]
        print(f"{provider}: {sum(o.identical for o in mine)}/{len(mine)} identical")
    print(f"differences: {path}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--shared", type=Path, default=Path(__file__).resolve().parents[2] / "shared"
    )
    parser.add_argument("--provider", action="append", choices=("postgresql", "sqlite"))
    parser.add_argument("--report", type=Path)
    args = parser.parse_args()
    providers = tuple(args.provider or ("postgresql", "sqlite"))
    with tempfile.TemporaryDirectory(prefix="sm_drift_") as tmp:
        outcomes = run(args.shared, providers, Path(tmp))
        report(outcomes, args.report or Path(tempfile.gettempdir()) / "drift_differences.txt")
    sys.exit(0)


if __name__ == "__main__":
    main()
