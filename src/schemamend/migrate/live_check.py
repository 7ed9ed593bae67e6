"""A minimal, honest check of a live database against the declared schema.

Until the differ (issue #4) can compare everything, the start-up command asks
the catalog a narrower question: does every declared table, column and enum
type exist? Something missing is certain drift (and the cause of P2021 /
P2022 errors at run time); something extra or different is not looked for,
and the report says so.
"""

from __future__ import annotations

from dataclasses import dataclass

from schemamend.db import Connection
from schemamend.model.datamodel import Datamodel


@dataclass(frozen=True)
class MissingObject:
    kind: str  # "table", "column" or "enum"
    name: str  # database name
    table: str | None = None  # for columns

    def describe(self) -> str:
        if self.kind == "column":
            return f"column {self.table}.{self.name}"
        return f"{self.kind} {self.name}"


@dataclass(frozen=True)
class LiveCheck:
    tables_declared: int
    missing: tuple[MissingObject, ...]
    scope: str = "declared tables, columns and enum types exist (extra or changed objects are not checked)"

    @property
    def ok(self) -> bool:
        return not self.missing


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


def check_declared_objects(conn: Connection, datamodel: Datamodel) -> LiveCheck:
    declared = _declared_tables(datamodel, conn.url.schema)
    live_tables = conn.table_names()
    missing: list[MissingObject] = []
    for table, columns in sorted(declared.items()):
        if table not in live_tables:
            missing.append(MissingObject("table", table))
            continue
        live_columns = conn.column_names(table)
        missing.extend(MissingObject("column", c, table) for c in sorted(columns - live_columns))
    if conn.named_enums:
        live_enums = conn.enum_names()
        for enum in datamodel.enums:
            if enum.schema in (None, conn.url.schema) and enum.db_name not in live_enums:
                missing.append(MissingObject("enum", enum.db_name))
    return LiveCheck(len(declared), tuple(missing))
