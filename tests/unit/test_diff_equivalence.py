"""The differ compares values by meaning: a database's spelling of a value is not drift."""

from __future__ import annotations

from schemamend.diff.equivalence import same_column, same_index, same_literal, same_type
from schemamend.model.sql import (
    Column,
    ColumnArity,
    ColumnDefault,
    ColumnType,
    DefaultKind,
    Index,
    IndexColumn,
    IndexKind,
    Literal,
    LiteralKind,
    SortOrder,
    TypeFamily,
)


def number(text: str) -> Literal:
    return Literal(LiteralKind.NUMBER, text)


def instant(text: str) -> Literal:
    return Literal(LiteralKind.DATETIME, text)


def test_numbers_compare_by_value() -> None:
    assert same_literal(number("1.50"), number("1.500000000000000000000000000000"))
    assert same_literal(number("0"), number("0.00"))
    assert not same_literal(number("1.5"), number("1.05"))


def test_instants_compare_by_moment() -> None:
    assert same_literal(instant("2020-01-02T03:04:05Z"), instant("2020-01-02 03:04:05+00:00"))
    assert same_literal(
        instant("2020-01-02T03:04:05.678Z"), instant("2020-01-02 05:04:05.678 +02:00")
    )
    assert same_literal(instant("2020-01-02T03:04:05Z"), instant("2020-01-02 03:04:05"))
    assert not same_literal(instant("2020-01-02T03:04:05Z"), instant("2020-01-02T03:04:06Z"))


def test_text_values_still_compare_exactly() -> None:
    assert not same_literal(Literal(LiteralKind.STRING, "a"), Literal(LiteralKind.STRING, "A"))
    assert not same_literal(number("1"), Literal(LiteralKind.STRING, "1"))


def test_char_without_length_is_char_1() -> None:
    assert same_type(
        ColumnType(TypeFamily.STRING, "CHAR"), ColumnType(TypeFamily.STRING, "CHAR", ("1",))
    )
    assert not same_type(
        ColumnType(TypeFamily.STRING, "CHAR"), ColumnType(TypeFamily.STRING, "CHAR", ("2",))
    )
    assert same_type(
        ColumnType(TypeFamily.DECIMAL, "DECIMAL", ("10", "2")),
        ColumnType(TypeFamily.DECIMAL, "DECIMAL", ("10", " 2")),
    )


def test_columns_with_equivalent_defaults_are_the_same() -> None:
    declared = Column(
        "price",
        ColumnType(TypeFamily.DECIMAL, "DECIMAL", ("65", "30")),
        ColumnArity.REQUIRED,
        ColumnDefault(DefaultKind.VALUE, literal=number("1.50")),
    )
    live = Column(
        "price",
        ColumnType(TypeFamily.DECIMAL, "DECIMAL", ("65", "30")),
        ColumnArity.REQUIRED,
        ColumnDefault(DefaultKind.VALUE, literal=number("1.500000000000000000000000000000")),
    )
    assert same_column(declared, live)
    changed = Column("price", live.type, ColumnArity.NULLABLE, live.default)
    assert not same_column(declared, changed)


def test_index_sort_asc_is_the_default_and_predicates_ignore_spelling() -> None:
    declared = Index(
        "i",
        IndexKind.NORMAL,
        (IndexColumn("a", SortOrder.ASC),),
        predicate='"active" = true AND "deletedAt" IS NULL',
    )
    live = Index(
        "i",
        IndexKind.NORMAL,
        (IndexColumn("a"),),
        predicate='((active = true) AND ("deletedAt" IS NULL))',
    )
    assert same_index(declared, live)
    assert not same_index(
        declared, Index("i", IndexKind.NORMAL, (IndexColumn("a", SortOrder.DESC),))
    )
