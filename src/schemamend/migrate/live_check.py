"""Checking a live database against the declared schema after a deploy.

The question is narrow on purpose: is everything the schema declares present?
Something missing is certain drift (and the cause of P2021 / P2022 errors at
run time). Objects that differ are reported too, but do not fail the check,
and extra objects (a hand-made index, a table of another app) are only
counted: a start-up command must not stop an app for those.

With the dialect, introspection and the differ available, the declared SQL
schema is diffed against the introspected one (tables, columns, enums,
indexes, foreign keys). Otherwise a catalog check of tables, columns and enum
types is made, and the report says which was used.
"""

from __future__ import annotations

from dataclasses import dataclass

from schemamend.db import Connection
from schemamend.model.datamodel import Datamodel


@dataclass(frozen=True)
class LiveCheck:
    method: str  # "differ" or "catalog"
    tables_declared: int
    missing: tuple[str, ...]  # "table developer_projects", "column users.email", ...
    different: tuple[str, ...] = ()  # declared objects that exist but differ (not a failure)
    extra: int = 0  # objects in the database that the schema does not declare
    note: str | None = None  # why the catalog check was used instead of the differ

    @property
    def ok(self) -> bool:
        return not self.missing

    @property
    def scope(self) -> str:
        if self.method == "differ":
            return "declared tables, columns, enums, indexes and foreign keys exist"
        return (
            "declared tables, columns and enum types exist (indexes and foreign keys not checked)"
        )


def check_declared_objects(conn: Connection, datamodel: Datamodel) -> LiveCheck:
    try:
        return _check_with_differ(conn, datamodel)
    except ImportError:
        return _check_with_catalog(conn, datamodel)
    except Exception as exc:  # noqa: BLE001 - a differ bug must not stop a deploy; say so instead
        check = _check_with_catalog(conn, datamodel)
        reason = (
            f"the full comparison failed ({type(exc).__name__}: {exc}); checked the catalog instead"
        )
        return LiveCheck(check.method, check.tables_declared, check.missing, note=reason)


_CREATING_VERBS = ("create ", "add ")


def _check_with_differ(conn: Connection, datamodel: Datamodel) -> LiveCheck:
    from schemamend.dialects.registry import dialect_for
    from schemamend.diff.changes import describe
    from schemamend.diff.differ import diff_schemas
    from schemamend.introspect import introspect

    dialect = dialect_for(conn.family.value)
    declared = dialect.calculate(datamodel)
    changes = diff_schemas(introspect(conn), declared, dialect.capabilities)
    # A removal and a creation of the same object (a foreign key with other actions, an
    # index on other columns) mean "differs", not "missing" plus "extra".
    removed = {
        _identity(c, getattr(c, "previous", None)) for c in changes if not hasattr(c, "next")
    }
    recreated: set[tuple[object, ...]] = set()
    missing: list[str] = []
    different: list[str] = []
    for change in changes:
        text = describe(change)
        if not hasattr(change, "next"):
            continue
        if hasattr(change, "previous"):
            different.append(text)
        elif _identity(change, change.next) in removed:
            recreated.add(_identity(change, change.next))
            different.append(f"{_without_verb(text)} (differs)")
        else:
            missing.append(_without_verb(text))
    extra = len(removed - recreated)
    return LiveCheck("differ", len(declared.tables), tuple(missing), tuple(different), extra)


def _identity(change: object, obj: object) -> tuple[object, ...]:
    return (getattr(change, "table", None), type(obj).__name__, getattr(obj, "name", None))


def _without_verb(text: str) -> str:
    for verb in _CREATING_VERBS:
        if text.startswith(verb):
            return text[len(verb) :]
    return text


def _declared_tables(datamodel: Datamodel, namespace: str) -> dict[str, set[str]]:
    tables: dict[str, set[str]] = {}
    for model in datamodel.tables:
        if model.schema not in (None, namespace):
            continue
        tables[model.db_name] = {f.db_name for f in model.fields if not f.is_ignored}
    for relation in datamodel.relations:
        join = relation.join_table
        if join is not None and join.schema in (None, namespace):
            tables[join.db_name] = {"A", "B"}
    return tables


def _check_with_catalog(conn: Connection, datamodel: Datamodel) -> LiveCheck:
    declared = _declared_tables(datamodel, conn.url.schema)
    live_tables = conn.table_names()
    missing: list[str] = []
    for table, columns in sorted(declared.items()):
        if table not in live_tables:
            missing.append(f"table {table}")
            continue
        live_columns = conn.column_names(table)
        missing.extend(f"column {table}.{c}" for c in sorted(columns - live_columns))
    if conn.named_enums:
        live_enums = conn.enum_names()
        for enum in datamodel.enums:
            if enum.schema in (None, conn.url.schema) and enum.db_name not in live_enums:
                missing.append(f"enum {enum.db_name}")
    return LiveCheck("catalog", len(declared), tuple(missing))
