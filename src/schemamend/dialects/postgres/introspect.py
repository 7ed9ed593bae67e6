"""Read a live PostgreSQL database into the neutral SQL schema.

Seven catalog queries (`sql/*.sql`), whatever the number of tables: relations,
columns, constraints, indexes, enums, non-default operator classes and
extensions, each fetched set-wise for the namespaces read. Rows are assembled
in Python.

Two modes, as Prisma has them:
- one namespace (the URL's `?schema=`, default `public`): objects carry no
  namespace (None means "the connection's default"), like the calculated side
  of a schema without `schemas = [...]`;
- several (`schemas = [...]` in the datasource): every object carries its
  namespace's name.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from functools import cache

from schemamend.collector import collector_paused
from schemamend.dialects.catalog import batch_of
from schemamend.dialects.postgres.introspect_values import (
    column_default,
    column_type,
    is_serial_default,
)
from schemamend.model import sql

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing at start-up
if TYPE_CHECKING:
    from typing import Any

    from schemamend.dialects.catalog import Query, QueryBatch

_SQL_DIR = os.path.join(os.path.dirname(__file__), "sql")  # not pathlib: ms at start-up

_ACTIONS = {
    "a": sql.ReferentialAction.NO_ACTION,
    "r": sql.ReferentialAction.RESTRICT,
    "c": sql.ReferentialAction.CASCADE,
    "n": sql.ReferentialAction.SET_NULL,
    "d": sql.ReferentialAction.SET_DEFAULT,
}

# pg_am.amname → the calculator's algorithm (btree is the default and is not named)
_ALGORITHMS = {"hash": "HASH", "gin": "GIN", "gist": "GIST", "spgist": "SPGIST", "brin": "BRIN"}

_INDOPTION_DESC = 1

#: Tables that are history or bookkeeping, never part of a schema.
MIGRATIONS_TABLE = "_prisma_migrations"
BOOKKEEPING_PREFIX = "_schemamend"


def is_managed_table(name: str) -> bool:
    """Whether a table belongs to the schema (not Prisma's history or our bookkeeping)."""
    return name != MIGRATIONS_TABLE and not name.startswith(BOOKKEEPING_PREFIX)


@cache
def catalog_query(name: str) -> str:
    """The text of `sql/<name>.sql`."""
    with open(os.path.join(_SQL_DIR, f"{name}.sql"), encoding="utf-8") as file:
        return file.read()


def read_schema(
    query: Query,
    *,
    default_namespace: str | None = None,
    namespaces: Sequence[str] | None = None,
    batch: QueryBatch | None = None,
) -> sql.Schema:
    """The live schema: of `namespaces` (objects then carry their namespace), else of the
    default namespace (`?schema=`; the connection's current schema when None)."""
    run_all = batch_of(query, batch)
    if namespaces:
        return introspect(run_all, namespaces, qualified=True)
    if default_namespace is None:
        default_namespace = str(query("SELECT current_schema()", ())[0][0])
    return introspect(run_all, [default_namespace], qualified=False)


def introspect(batch: QueryBatch, namespaces: Sequence[str], *, qualified: bool) -> sql.Schema:
    """The schema of `namespaces`; objects carry their namespace only when `qualified`.
    The seven catalog queries are independent: they go to the server as one batch."""
    names = list(namespaces)
    reader = _Reader(qualified=qualified, namespaces=names)
    # The schema outlives the call: frozen, the collector never scans it again (not even
    # at exit, which is most of a short process's tear-down).
    with collector_paused(freeze=True):
        relations, columns, constraints, operator_classes, indexes, enums, extensions = batch(
            [
                (catalog_query("relations"), (names,)),
                (catalog_query("columns"), (names,)),
                (catalog_query("constraints"), (names, names)),
                (catalog_query("operator_classes"), ()),
                (catalog_query("indexes"), (names,)),
                (catalog_query("enums"), (names,)),
                (catalog_query("extensions"), ()),
            ]
        )
        reader.read_relations(relations)
        reader.read_columns(columns)
        reader.read_constraints(constraints)
        reader.read_indexes(indexes, {int(oid): str(name) for oid, name in operator_classes})
        reader.read_enums(enums)
        reader.read_extensions(extensions)
        return reader.schema()


# The two builders below are plain classes rather than dataclasses: nothing compares or
# prints them, and a dataclass costs ~0.5 ms to create at import, paid by every process
# that reads a catalog (tests/unit/test_import_cost.py).


class _TableParts:
    """A table while its rows are read, before it becomes a frozen sql.Table."""

    __slots__ = (
        "namespace", "name", "row_estimate", "columns", "column_names",
        "primary_key", "indexes", "foreign_keys",
    )  # fmt: skip

    def __init__(self, namespace: str, name: str, row_estimate: int | None) -> None:
        self.namespace = namespace
        self.name = name
        self.row_estimate = row_estimate
        self.columns: list[sql.Column] = []
        self.column_names: dict[int, str] = {}
        self.primary_key: sql.PrimaryKey | None = None
        self.indexes: list[sql.Index] = []
        self.foreign_keys: list[sql.ForeignKey] = []


class _Reader:
    """What the catalog rows have told so far, by table oid; `schema()` assembles it."""

    def __init__(self, *, qualified: bool, namespaces: list[str]) -> None:
        self.qualified = qualified
        self.namespaces = namespaces
        self.tables: dict[int, _TableParts] = {}
        self.views: list[sql.View] = []
        self.enums: list[sql.EnumType] = []
        self.used_namespaces: set[str] = set()
        self.extensions: list[sql.Extension] = []

    def namespace(self, name: str | None) -> str | None:
        if self.qualified:
            return name
        return None if name is None or name in self.namespaces else name

    # ── rows → parts ─────────────────────────────────────────────────────

    def read_relations(self, rows: Iterable[Sequence[Any]]) -> None:
        for oid, namespace, name, kind, reltuples, definition in rows:
            if kind in ("v", "m"):
                self.views.append(sql.View(name, definition, self.namespace(namespace)))
            elif is_managed_table(name):
                estimate = None if reltuples is None or reltuples < 0 else int(reltuples)
                self.tables[oid] = _TableParts(namespace, name, estimate)
                self.used_namespaces.add(namespace)

    def read_columns(self, rows: Iterable[Sequence[Any]]) -> None:
        # Thousands of columns share a few types and defaults: each is parsed once, and equal
        # columns (the `id` and `created_at` of every table) are one immutable object.
        types: dict[tuple[Any, ...], sql.ColumnType] = {}
        columns: dict[tuple[Any, ...], sql.Column] = {}
        defaults: dict[tuple[str, sql.TypeFamily, bool], tuple[sql.ColumnDefault | None, bool]] = {}
        tables = self.tables
        required, nullable, listed = (
            sql.ColumnArity.REQUIRED,
            sql.ColumnArity.NULLABLE,
            sql.ColumnArity.LIST,
        )
        for (
            table_oid,
            number,
            name,
            type_text,
            is_array,
            kind,
            type_name,
            type_namespace,
            not_null,
            default,
            identity,
            generated,
        ) in rows:
            table = tables.get(table_oid)
            if table is None:
                continue
            type_key = (type_text, kind, type_name, type_namespace)
            ctype = types.get(type_key)
            if ctype is None:
                qualifier = self.namespace(type_namespace)
                ctype = types[type_key] = column_type(
                    type_text, kind, type_name, type_namespace, qualifier
                )
            arity = listed if is_array else (required if not_null else nullable)
            auto_increment = bool(identity)
            parsed: sql.ColumnDefault | None = None
            generation: str | None = None
            if generated:
                generation = default
            elif default is not None:
                default_key = (default, ctype.family, bool(is_array))
                known = defaults.get(default_key)
                if known is None:
                    known = defaults[default_key] = _default_of(
                        default, ctype.family, bool(is_array)
                    )
                parsed, serial = known
                auto_increment = auto_increment or serial
            column_key = (name, id(ctype), arity, id(parsed), auto_increment, generation)
            column = columns.get(column_key)
            if column is None:
                column = columns[column_key] = sql.Column(
                    name, ctype, arity, parsed, auto_increment, generation
                )
            table.columns.append(column)
            table.column_names[number] = name

    def read_constraints(self, rows: Iterable[Sequence[Any]]) -> None:
        for (
            table_oid,
            name,
            kind,
            keys,
            referenced_oid,
            referenced_namespace,
            referenced_name,
            referenced_keys,
            on_update,
            on_delete,
            deferrable,
            deferred,
            outside_columns,
        ) in rows:
            table = self.tables.get(table_oid)
            if table is None:
                continue
            columns = tuple(table.column_names[k] for k in keys)
            if kind == "p":
                table.primary_key = sql.PrimaryKey(name, tuple(sql.IndexColumn(c) for c in columns))
                continue
            target = self.tables.get(referenced_oid)
            if target is not None:
                referenced = tuple(target.column_names[k] for k in referenced_keys)
            else:  # a table outside the namespaces read
                referenced = tuple(outside_columns or ())
            table.foreign_keys.append(
                sql.ForeignKey(
                    name=name,
                    columns=columns,
                    referenced_table=sql.TableRef(
                        self.namespace(referenced_namespace), referenced_name
                    ),
                    referenced_columns=referenced,
                    on_delete=_ACTIONS[on_delete],
                    on_update=_ACTIONS[on_update],
                    deferrable=bool(deferrable),
                    initially_deferred=bool(deferred),
                )
            )

    def read_indexes(self, rows: Iterable[Sequence[Any]], operator_classes: dict[int, str]) -> None:
        for (
            table_oid,
            name,
            unique,
            key_count,
            keys,
            options,
            classes,
            method,
            predicate,
            key_texts,
        ) in rows:
            table = self.tables.get(table_oid)
            if table is None:
                continue
            columns = []
            for position in range(key_count):
                number = keys[position]
                is_expression = number == 0
                columns.append(
                    sql.IndexColumn(
                        name=key_texts[position] if is_expression else table.column_names[number],
                        sort=sql.SortOrder.DESC if options[position] & _INDOPTION_DESC else None,
                        operator_class=operator_classes.get(classes[position]),
                        expression=is_expression,
                    )
                )
            kind = sql.IndexKind.UNIQUE if unique else sql.IndexKind.NORMAL
            algorithm = _ALGORITHMS.get(method, None if method == "btree" else method.upper())
            table.indexes.append(sql.Index(name, kind, tuple(columns), algorithm, predicate))

    def read_enums(self, rows: Iterable[Sequence[Any]]) -> None:
        for namespace, name, values in rows:
            self.enums.append(sql.EnumType(name, tuple(values), self.namespace(namespace)))
            self.used_namespaces.add(namespace)

    def read_extensions(self, rows: Iterable[Sequence[Any]]) -> None:
        self.extensions = [
            sql.Extension(name, namespace, version) for name, namespace, version in rows
        ]

    # ── parts → schema ───────────────────────────────────────────────────

    def schema(self) -> sql.Schema:
        tables = sorted((self._table(parts) for parts in self.tables.values()), key=_table_key)
        enums = sorted(self.enums, key=lambda e: (e.namespace or "", e.name))
        views = sorted(self.views, key=lambda v: (v.namespace or "", v.name))
        return sql.Schema(
            namespaces=self._namespaces(),
            extensions=tuple(self.extensions),
            enums=tuple(enums),
            tables=tuple(tables),
            views=tuple(views),
        )

    def _table(self, parts: _TableParts) -> sql.Table:
        return sql.Table(
            name=parts.name,
            columns=tuple(parts.columns),
            primary_key=parts.primary_key,
            indexes=tuple(sorted(parts.indexes, key=lambda i: i.name)),
            foreign_keys=tuple(sorted(parts.foreign_keys, key=lambda k: k.name or "")),
            namespace=self.namespace(parts.namespace),
            row_estimate=parts.row_estimate,
        )

    def _namespaces(self) -> tuple[sql.Namespace, ...]:
        """The namespaces that hold tables or enums (as the calculator lists the ones it uses).

        An unqualified read also lists the namespace it read (the connection's
        default, e.g. `public` or the URL's `?schema=`), even when empty: it is
        where unqualified objects go, so a diff never proposes to create it.
        """
        used = set(self.used_namespaces)
        if not self.qualified and self.namespaces:
            used.add(self.namespaces[0])
        return tuple(sql.Namespace(n) for n in sorted(used))


def _default_of(
    expression: str, family: sql.TypeFamily, is_list: bool
) -> tuple[sql.ColumnDefault | None, bool]:
    """A column default, or (None, True) for a serial column's `nextval(...)`."""
    if is_serial_default(expression):
        return None, True
    return column_default(expression, family, is_list), False


def _table_key(table: sql.Table) -> tuple[str, str]:
    return (table.namespace or "", table.name)
