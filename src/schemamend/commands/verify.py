"""`schemamend verify`: every declared table, present or missing, and how much of it matches.

The runbook's `\\dt` check done properly: each declared table with its column
coverage (columns present and matching / declared), plus the indexes and
foreign keys it lacks. Exit 0 only when every declared object is present and
matches (objects the schema does not declare do not count).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from schemamend.commands.doctor import read_inputs, read_live
from schemamend.commands.migrate import EXIT_DRIFT, EXIT_OK, Target
from schemamend.db import connect
from schemamend.migrate.drift import Drift, compare


@dataclass(frozen=True)
class TableCoverage:
    name: str
    present: bool
    columns: int  # declared
    columns_present: int
    columns_matching: int
    missing_columns: tuple[str, ...] = ()
    different_columns: tuple[str, ...] = ()
    missing_indexes: tuple[str, ...] = ()
    missing_foreign_keys: tuple[str, ...] = ()
    rows: int | None = None

    @property
    def ok(self) -> bool:
        return (
            self.present
            and self.columns_matching == self.columns
            and not self.missing_indexes
            and not self.missing_foreign_keys
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "table": self.name,
            "present": self.present,
            "ok": self.ok,
            "columns": self.columns,
            "columnsPresent": self.columns_present,
            "columnsMatching": self.columns_matching,
            "missingColumns": list(self.missing_columns),
            "differentColumns": list(self.different_columns),
            "missingIndexes": list(self.missing_indexes),
            "missingForeignKeys": list(self.missing_foreign_keys),
        }


@dataclass
class VerifyReport:
    target: Target
    tables: list[TableCoverage]
    enums_missing: list[str] = field(default_factory=list)
    enum_values_missing: list[str] = field(default_factory=list)
    drift: Drift | None = None

    @property
    def ok(self) -> bool:
        return (
            all(t.ok for t in self.tables)
            and not self.enums_missing
            and not self.enum_values_missing
        )

    @property
    def exit_code(self) -> int:
        return EXIT_OK if self.ok else EXIT_DRIFT

    @property
    def present(self) -> int:
        return sum(1 for t in self.tables if t.present)

    def to_json(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "exitCode": self.exit_code,
            "schema": str(self.target.schema_path),
            "database": self.target.database,
            "tablesDeclared": len(self.tables),
            "tablesPresent": self.present,
            "tables": [t.to_json() for t in self.tables],
            "enumsMissing": self.enums_missing,
            "enumValuesMissing": self.enum_values_missing,
        }


def verify(
    schema: str | None = None,
    *,
    url: str | None = None,
    cwd: Path | None = None,
    environ: Mapping[str, str] | None = None,
) -> VerifyReport:
    """Check every declared table, column, index, foreign key and enum against the database."""
    inputs = read_inputs(schema, url, None, cwd, environ)
    with connect(inputs.project.url, read_only=True) as conn:
        live = read_live(conn, inputs)
    drift = compare(live, inputs.declared, inputs.dialect.capabilities)
    tables = []
    for table in inputs.declared.tables:
        found = live.table(table.ref)
        by_table = [f for f in drift.missing if f.table == table.name]
        missing_columns = tuple(f.name for f in by_table if f.kind == "column")
        different = tuple(
            d.name for d in drift.different if d.kind == "column" and d.table == table.name
        )
        present = found is not None
        columns_present = (
            sum(1 for c in table.columns if found.column(c.name) is not None) if found else 0
        )
        tables.append(
            TableCoverage(
                name=table.name,
                present=present,
                columns=len(table.columns),
                columns_present=columns_present,
                columns_matching=columns_present - len(different) if present else 0,
                missing_columns=missing_columns
                if present
                else tuple(c.name for c in table.columns),
                different_columns=different,
                missing_indexes=tuple(
                    f.name for f in by_table if f.kind in ("index", "unique") and present
                ),
                missing_foreign_keys=tuple(
                    f.name for f in by_table if f.kind == "foreign key" and present
                ),
                rows=found.row_estimate if found else None,
            )
        )
    return VerifyReport(
        target=Target.of(inputs.project),
        tables=tables,
        enums_missing=[f.name for f in drift.missing_of("enum")],
        enum_values_missing=[f"{f.table}.{f.name}" for f in drift.missing_of("enum value")],
        drift=drift,
    )
