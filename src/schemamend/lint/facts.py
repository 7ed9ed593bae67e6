"""Facts about live data the rules may use (with --url): row counts, NULLs, duplicates.

`NoFacts` answers "unknown" to everything: the rules then fall back to
general warnings. `LiveFacts` asks a database, caching each answer.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from schemamend.safety.checks import LOCKING_ROWS


@dataclass(frozen=True, slots=True)
class RowCount:
    count: int
    estimated: bool = False

    def words(self) -> str:
        prefix = "about " if self.estimated else ""
        return f"{prefix}{self.count:,} row{'s' if self.count != 1 else ''}"


class Facts(Protocol):
    def exists(self, table: str) -> bool | None: ...

    def rows(self, table: str) -> RowCount | None: ...

    def nulls(self, table: str, column: str) -> int | None: ...

    def duplicates(self, table: str, columns: Sequence[str]) -> int | None: ...


class NoFacts:
    def exists(self, table: str) -> bool | None:
        return None

    def rows(self, table: str) -> RowCount | None:
        return None

    def nulls(self, table: str, column: str) -> int | None:
        return None

    def duplicates(self, table: str, columns: Sequence[str]) -> int | None:
        return None


Query = Callable[[str], Sequence[Sequence[Any]]]
Quote = Callable[[str], str]


class LiveFacts:
    """Counts from a live database: exact below LOCKING_ROWS, the planner's estimate above.

    `estimates` maps table names to the database's row estimate (from
    introspection); a table missing from it does not exist live, and every
    question about it answers "unknown".
    """

    def __init__(
        self, query: Query, qualify: Quote, quote: Quote, estimates: dict[str, int | None]
    ) -> None:
        self._query = query
        self._qualify = qualify  # table name -> quoted, schema-qualified name
        self._quote = quote
        self._estimates = estimates
        self._rows: dict[str, RowCount | None] = {}

    def exists(self, table: str) -> bool | None:
        return table in self._estimates

    def rows(self, table: str) -> RowCount | None:
        if table not in self._rows:
            self._rows[table] = self._count_rows(table)
        return self._rows[table]

    def _count_rows(self, table: str) -> RowCount | None:
        if table not in self._estimates:
            return None
        estimate = self._estimates[table]
        if estimate is not None and estimate >= LOCKING_ROWS:
            return RowCount(estimate, estimated=True)
        return RowCount(self._scalar(f"SELECT COUNT(*) FROM {self._qualify(table)}"))

    def nulls(self, table: str, column: str) -> int | None:
        if table not in self._estimates:
            return None
        return self._scalar(
            f"SELECT COUNT(*) FROM {self._qualify(table)} WHERE {self._quote(column)} IS NULL"
        )

    def duplicates(self, table: str, columns: Sequence[str]) -> int | None:
        """How many distinct non-NULL keys occur more than once."""
        if table not in self._estimates or not columns:
            return None
        keys = ", ".join(self._quote(c) for c in columns)
        present = " AND ".join(f"{self._quote(c)} IS NOT NULL" for c in columns)
        return self._scalar(
            f"SELECT COUNT(*) FROM (SELECT {keys} FROM {self._qualify(table)} WHERE {present} "
            f"GROUP BY {keys} HAVING COUNT(*) > 1) AS repeated"
        )

    def _scalar(self, sql: str) -> int:
        rows = self._query(sql)
        return int(rows[0][0]) if rows and rows[0] and rows[0][0] is not None else 0
