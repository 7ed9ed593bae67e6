"""Measuring facts about live data: row counts, NULLs, duplicates, orphans.

Each fact becomes one or two plain SQL queries (COUNT, GROUP BY ... HAVING,
NOT EXISTS) that every supported database runs as written; every identifier
goes through the dialect's quote function. Example keys are capped at a few
rows so a report stays one screen.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from schemamend.model.sql import Schema, TableRef
from schemamend.safety.checks import (
    LOCKING_ROWS,
    DuplicateCount,
    EnumValueCount,
    Fact,
    NonNullCount,
    NullCount,
    OrphanCount,
    RowCount,
)

EXAMPLE_LIMIT = 3

Quote = Callable[[str], str]
Query = Callable[[str], Sequence[Sequence[Any]]]


@dataclass(frozen=True, slots=True)
class Measurement:
    count: int
    examples: tuple[str, ...] = ()  # a few keys or values, already formatted for display
    estimated: bool = False  # the count is the database's estimate (a large table, not counted)


@dataclass(frozen=True, slots=True)
class FactQueries:
    """The SQL that measures one fact: a count, optionally a few examples, and the rows themselves."""

    count: str
    examples: str | None = None
    rows: str | None = None  # every offending row: what a user runs to clean up


def fact_queries(fact: Fact, quote: Quote, qualify_namespaces: bool = True) -> FactQueries:
    """Render the queries for one fact with the dialect's quote function."""

    def table(ref: TableRef) -> str:
        if ref.namespace and qualify_namespaces:
            return f"{quote(ref.namespace)}.{quote(ref.name)}"
        return quote(ref.name)

    def cols(names: Iterable[str], alias: str = "") -> list[str]:
        prefix = f"{alias}." if alias else ""
        return [prefix + quote(n) for n in names]

    match fact:
        case RowCount(table=ref):
            return FactQueries(f"SELECT COUNT(*) FROM {table(ref)}")
        case NonNullCount(table=ref, column=column):
            return FactQueries(f"SELECT COUNT({quote(column)}) FROM {table(ref)}")
        case NullCount(table=ref, column=column, key=key):
            where = f"WHERE {quote(column)} IS NULL"
            examples = None
            if key:
                keys = ", ".join(cols(key))
                examples = (
                    f"SELECT {keys} FROM {table(ref)} {where} ORDER BY {keys} LIMIT {EXAMPLE_LIMIT}"
                )
            return FactQueries(
                f"SELECT COUNT(*) FROM {table(ref)} {where}",
                examples,
                f"SELECT * FROM {table(ref)} {where}",
            )
        case DuplicateCount(table=ref, columns=columns, predicate=predicate):
            keys = ", ".join(cols(columns))
            conditions = [f"{c} IS NOT NULL" for c in cols(columns)]
            if predicate:
                conditions.append(f"({predicate})")
            groups = (
                f"SELECT {keys}, COUNT(*) AS sm_rows FROM {table(ref)} WHERE {' AND '.join(conditions)} "
                f"GROUP BY {keys} HAVING COUNT(*) > 1"
            )
            return FactQueries(
                f"SELECT COALESCE(SUM(d.sm_rows), 0) FROM ({groups}) d",
                f"{groups} ORDER BY sm_rows DESC, {keys} LIMIT {EXAMPLE_LIMIT}",
                groups,
            )
        case OrphanCount(table=ref, foreign_key=fk, parent_exists=parent_exists):
            child = cols(fk.columns, "c")
            conditions = [f"{c} IS NOT NULL" for c in child]
            if parent_exists:
                parent = cols(fk.referenced_columns, "p")
                joined = " AND ".join(f"{p} = {c}" for p, c in zip(parent, child, strict=True))
                conditions.append(
                    f"NOT EXISTS (SELECT 1 FROM {table(fk.referenced_table)} p WHERE {joined})"
                )
            where = " AND ".join(conditions)
            keys = ", ".join(child)
            return FactQueries(
                f"SELECT COUNT(*) FROM {table(ref)} c WHERE {where}",
                f"SELECT DISTINCT {keys} FROM {table(ref)} c WHERE {where} ORDER BY {keys} LIMIT {EXAMPLE_LIMIT}",
                f"SELECT c.* FROM {table(ref)} c WHERE {where}",
            )
        case EnumValueCount(table=ref, column=column, values=values, is_list=is_list):
            listed = ", ".join("'" + v.replace("'", "''") + "'" for v in values)
            where = (
                f"CAST({quote(column)} AS TEXT[]) && ARRAY[{listed}]"
                if is_list
                else f"CAST({quote(column)} AS TEXT) IN ({listed})"
            )
            return FactQueries(
                f"SELECT COUNT(*) FROM {table(ref)} WHERE {where}",
                rows=f"SELECT * FROM {table(ref)} WHERE {where}",
            )
    raise AssertionError(f"unknown fact {fact!r}")  # pragma: no cover - exhaustive


def measure(
    facts: Iterable[Fact],
    query: Query,
    quote: Quote,
    *,
    live: Schema | None = None,
    qualify_namespaces: bool = True,
) -> dict[Fact, Measurement]:
    """Run each distinct fact's queries once.

    A row count of a table the database already estimates above the locking
    threshold is not counted again (COUNT(*) over a huge table is slow);
    the estimate is reported as such.
    """
    results: dict[Fact, Measurement] = {}
    for fact in facts:
        if fact in results:
            continue
        estimate = _large_estimate(fact, live)
        if estimate is not None:
            results[fact] = Measurement(estimate, estimated=True)
            continue
        queries = fact_queries(fact, quote, qualify_namespaces)
        count = int(query(queries.count)[0][0] or 0)
        examples: tuple[str, ...] = ()
        if count and queries.examples:
            examples = tuple(_format_row(row, fact) for row in query(queries.examples))
        results[fact] = Measurement(count, examples)
    return results


def _large_estimate(fact: Fact, live: Schema | None) -> int | None:
    if not isinstance(fact, RowCount) or live is None:
        return None
    table = live.table(fact.table)
    estimate = table.row_estimate if table is not None else None
    return estimate if estimate is not None and estimate > LOCKING_ROWS * 10 else None


def _format_row(row: Sequence[Any], fact: Fact) -> str:
    names: tuple[str, ...]
    match fact:
        case NullCount(key=key):
            names = key
        case DuplicateCount(columns=columns):
            names = columns
            row = row[: len(columns)]
        case OrphanCount(foreign_key=fk):
            names = fk.columns
        case _:
            names = ()
    pairs = [f"{n} = {_value(v)}" for n, v in zip(names, row, strict=False)]
    return ", ".join(pairs) if len(pairs) > 1 else (pairs[0] if pairs else "")


def _value(value: object) -> str:
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    return str(value)
