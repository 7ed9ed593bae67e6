"""When two objects of the SQL model mean the same thing, though spelled differently.

The declared side writes values as the schema does; a database prints them its
own way (`1.50` → `1.500000…`, `2020-01-02T03:04:05Z` → `…+00:00`, `char` →
`char(1)`, a predicate with extra parentheses). Comparing such spellings as
text reports drift that is not there, so the differ asks these functions.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation

from schemamend.model.sql import (
    Column,
    ColumnDefault,
    ColumnType,
    ForeignKey,
    Index,
    IndexColumn,
    Literal,
    LiteralKind,
    SortOrder,
)

# Types whose length defaults to 1 when none is written (PostgreSQL, MySQL).
_LENGTH_ONE_BY_DEFAULT = frozenset({"CHAR", "CHARACTER", "BIT", "NCHAR"})


def same_column(a: Column, b: Column, *, by_family: bool = False) -> bool:
    """`by_family`: types match when their families do (SQLite, where Prisma compares no more)."""
    if a == b:
        return True
    return (
        a.name == b.name
        and a.arity == b.arity
        and a.auto_increment == b.auto_increment
        and a.generated == b.generated
        and (a.type.family == b.type.family if by_family else same_type(a.type, b.type))
        and same_default(a.default, b.default)
    )


def same_type(a: ColumnType, b: ColumnType) -> bool:
    if a == b:
        return True
    if (
        a.name.upper() != b.name.upper()
        or a.family != b.family
        or (a.enum, a.enum_namespace) != (b.enum, b.enum_namespace)
    ):
        return False
    return _type_args(a) == _type_args(b)


def _type_args(t: ColumnType) -> tuple[str, ...]:
    if not t.args and t.name.upper() in _LENGTH_ONE_BY_DEFAULT:
        return ("1",)
    return tuple(arg.replace(" ", "") for arg in t.args)


def same_default(a: ColumnDefault | None, b: ColumnDefault | None) -> bool:
    if a == b:
        return True
    if a is None or b is None or a.kind != b.kind or a.expression != b.expression:
        return False
    if (a.literal is None) != (b.literal is None) or len(a.items) != len(b.items):
        return False
    if a.literal is not None and b.literal is not None and not same_literal(a.literal, b.literal):
        return False
    return all(same_literal(x, y) for x, y in zip(a.items, b.items, strict=True))


def same_literal(a: Literal, b: Literal) -> bool:
    if a == b:
        return True
    if a.kind != b.kind:
        return False
    if a.kind is LiteralKind.NUMBER:
        return _number(a.text) == _number(b.text) is not None
    if a.kind is LiteralKind.DATETIME:
        return _instant(a.text) == _instant(b.text) is not None
    return False


def _number(text: str) -> Decimal | None:
    try:
        return Decimal(text.strip())
    except InvalidOperation:
        return None


def _instant(text: str) -> datetime | None:
    value = re.sub(r"\s+(?=[+-]\d{2}:?\d{2}$)", "", text.strip()).replace(" ", "T", 1)
    value = re.sub(r"Z$", "+00:00", value)
    value = re.sub(r"([+-]\d{2})(\d{2})$", r"\1:\2", value)
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def same_index(a: Index, b: Index) -> bool:
    if a == b:
        return True
    return (
        a.name == b.name
        and a.kind == b.kind
        and (a.algorithm or "BTREE").upper() == (b.algorithm or "BTREE").upper()
        and len(a.columns) == len(b.columns)
        and all(_same_index_column(x, y) for x, y in zip(a.columns, b.columns, strict=True))
        and _predicate(a.predicate) == _predicate(b.predicate)
    )


def _same_index_column(a: IndexColumn, b: IndexColumn) -> bool:
    return (
        a.name == b.name
        and (a.sort or SortOrder.ASC) == (b.sort or SortOrder.ASC)
        and a.length == b.length
        and a.operator_class == b.operator_class
        and a.expression == b.expression
    )


def _predicate(text: str | None) -> str | None:
    """A partial-index condition without the spelling PostgreSQL adds: quotes, parentheses, case, spaces."""
    if text is None:
        return None
    return re.sub(r'[\s()"`]', "", text).lower()


def same_foreign_key(a: ForeignKey, b: ForeignKey) -> bool:
    return a == b
