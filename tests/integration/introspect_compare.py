"""Compare a calculated (declared) schema with an introspected (live) one, readably.

Both sides are put in a canonical order first (tables, enums, indexes and
foreign keys by name; columns keep their order), because the live side cannot
know declaration order. On a difference, `describe_differences` lists each
differing object as `path: declared != live`.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from schemamend.model import sql


def canonical(schema: sql.Schema, *, enums_are_text: bool = False) -> sql.Schema:
    """`enums_are_text`: the database keeps enum columns as plain TEXT (SQLite), so a declared
    enum column is compared as the string column the database can describe."""
    if enums_are_text:
        schema = dataclasses.replace(schema, tables=tuple(_text_enums(t) for t in schema.tables))
    schema = dataclasses.replace(schema, tables=tuple(_utc_datetimes(t) for t in schema.tables))
    return sql.Schema(
        namespaces=tuple(sorted(schema.namespaces, key=lambda n: n.name)),
        # Extensions are matched by name: the live side always knows a namespace and a
        # version, the declared side only when the schema gives them.
        extensions=tuple(
            sql.Extension(e.name) for e in sorted(schema.extensions, key=lambda e: e.name)
        ),
        enums=tuple(sorted(schema.enums, key=lambda e: (e.namespace or "", e.name))),
        tables=tuple(
            sorted(
                (_canonical_table(t) for t in schema.tables),
                key=lambda t: (t.namespace or "", t.name),
            )
        ),
        views=(),
    )


def _canonical_table(table: sql.Table) -> sql.Table:
    return dataclasses.replace(
        table,
        indexes=tuple(sorted((_canonical_index(i) for i in table.indexes), key=lambda i: i.name)),
        foreign_keys=tuple(sorted(table.foreign_keys, key=lambda k: k.name or "")),
        primary_key=_canonical_key(table.primary_key),
    )


def _canonical_column(column: sql.IndexColumn) -> sql.IndexColumn:
    # An explicit ascending order is the database default: the live side cannot tell them apart.
    if column.sort is sql.SortOrder.ASC:
        return dataclasses.replace(column, sort=None)
    return column


def _canonical_index(index: sql.Index) -> sql.Index:
    return dataclasses.replace(index, columns=tuple(_canonical_column(c) for c in index.columns))


def _canonical_key(key: sql.PrimaryKey | None) -> sql.PrimaryKey | None:
    if key is None:
        return None
    return dataclasses.replace(key, columns=tuple(_canonical_column(c) for c in key.columns))


def describe_differences(declared: sql.Schema, live: sql.Schema) -> list[str]:
    """Human-readable differences between two canonical schemas (empty: equal)."""
    out: list[str] = []
    _diff("schema", declared, live, out)
    return out


def _key(item: Any) -> Any:
    if isinstance(item, sql.Table | sql.EnumType | sql.View):
        return (item.namespace, item.name)
    if isinstance(item, sql.Column | sql.Index | sql.ForeignKey | sql.Namespace):
        return item.name
    return None


def _diff(path: str, a: Any, b: Any, out: list[str]) -> None:
    if a == b:
        return
    if isinstance(a, tuple) and isinstance(b, tuple):
        keys_a = [_key(x) for x in a]
        keys_b = [_key(x) for x in b]
        if None not in keys_a and None not in keys_b:
            by_b = dict(zip(keys_b, b, strict=True))
            for k, x in zip(keys_a, a, strict=True):
                if k not in by_b:
                    out.append(f"{path}[{k}]: only declared: {x}")
                else:
                    _diff(f"{path}[{k}]", x, by_b[k], out)
            for k, y in zip(keys_b, b, strict=True):
                if k not in keys_a:
                    out.append(f"{path}[{k}]: only live: {y}")
            if not out and keys_a != keys_b:
                out.append(f"{path}: order differs: {keys_a} != {keys_b}")
            return
    if dataclasses.is_dataclass(a) and type(a) is type(b):
        for f in dataclasses.fields(a):
            if f.compare:
                _diff(f"{path}.{f.name}", getattr(a, f.name), getattr(b, f.name), out)
        return
    out.append(f"{path}: declared {a!r} != live {b!r}")


def _text_enums(table: sql.Table) -> sql.Table:
    columns = []
    for column in table.columns:
        if column.type.family is sql.TypeFamily.ENUM:
            default = column.default
            if default is not None and default.literal is not None:
                literal = sql.Literal(sql.LiteralKind.STRING, default.literal.text)
                default = dataclasses.replace(default, literal=literal)
            column = dataclasses.replace(
                column,
                type=sql.ColumnType(sql.TypeFamily.STRING, column.type.name),
                default=default,
            )
        columns.append(column)
    return dataclasses.replace(table, columns=tuple(columns))


def _utc_datetimes(table: sql.Table) -> sql.Table:
    """Literal defaults by value: date-times as UTC instants (the schema writes
    `2020-01-02T03:04:05Z`, the database prints `2020-01-02 03:04:05 +00:00` or drops the
    offset of a TIMESTAMP) and numbers as numbers (MySQL pads DECIMAL defaults to the scale)."""
    columns = []
    for column in table.columns:
        default = column.default
        if default is not None and default.literal is not None:
            literal = _by_value(default.literal)
            if literal != default.literal:
                column = dataclasses.replace(
                    column, default=dataclasses.replace(default, literal=literal)
                )
        columns.append(column)
    return dataclasses.replace(table, columns=tuple(columns))


def _by_value(literal: sql.Literal) -> sql.Literal:
    if literal.kind is sql.LiteralKind.DATETIME:
        return sql.Literal(literal.kind, _utc(literal.text))
    if literal.kind is sql.LiteralKind.NUMBER:
        try:
            return sql.Literal(literal.kind, str(Decimal(literal.text).normalize()))
        except InvalidOperation:
            return literal
    return literal


def _utc(text: str) -> str:
    try:
        moment = datetime.fromisoformat(text.replace(" ", "T", 1))
    except ValueError:
        return text
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat()
