"""Catalog text → neutral types and defaults, without a database.

The texts are what PostgreSQL's `format_type`/`pg_get_expr`, SQLite's
`pragma_table_info` and MariaDB/MySQL's `information_schema.COLUMNS` print.
"""

from __future__ import annotations

import pytest

from schemamend.dialects.mysql import introspect as my
from schemamend.dialects.postgres import introspect_values as pg
from schemamend.dialects.sqlite import introspect as lite
from schemamend.model import sql

F = sql.TypeFamily
K = sql.LiteralKind


def value(kind: sql.LiteralKind, text: str) -> sql.ColumnDefault:
    return sql.ColumnDefault(sql.DefaultKind.VALUE, literal=sql.Literal(kind, text))


def expression(text: str) -> sql.ColumnDefault:
    return sql.ColumnDefault(sql.DefaultKind.EXPRESSION, expression=text)


NOW = sql.ColumnDefault(sql.DefaultKind.NOW)


# ── PostgreSQL ──────────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("character varying(255)", sql.ColumnType(F.STRING, "VARCHAR", ("255",))),
        ("character varying", sql.ColumnType(F.STRING, "VARCHAR")),
        ("timestamp(3) without time zone", sql.ColumnType(F.DATETIME, "TIMESTAMP", ("3",))),
        ("timestamp(6) with time zone", sql.ColumnType(F.DATETIME, "TIMESTAMPTZ", ("6",))),
        ("time without time zone", sql.ColumnType(F.DATETIME, "TIME")),
        ("numeric(65,30)", sql.ColumnType(F.DECIMAL, "DECIMAL", ("65", "30"))),
        ("double precision", sql.ColumnType(F.FLOAT, "DOUBLE PRECISION")),
        ("bit varying(8)", sql.ColumnType(F.STRING, "VARBIT", ("8",))),
        ("tsvector", sql.ColumnType(F.UNSUPPORTED, "tsvector")),
    ],
)
def test_postgres_builtin_types(text: str, expected: sql.ColumnType) -> None:
    name = text.split("(")[0].split(" ")[0]
    assert pg.column_type(text, "b", name, "pg_catalog", None) == expected


def test_postgres_enum_and_extension_types_are_known_by_name() -> None:
    assert pg.column_type('"Role"', "e", "Role", "public", None) == sql.ColumnType(
        F.ENUM, "Role", enum="Role"
    )
    assert pg.column_type("public.citext", "b", "citext", "public", None) == sql.ColumnType(
        F.STRING, "CITEXT"
    )
    assert pg.column_type("public.geometry(Point,4326)", "b", "geometry", "public", None) == (
        sql.ColumnType(F.UNSUPPORTED, "geometry(Point,4326)")
    )


@pytest.mark.parametrize(
    ("text", "family", "expected"),
    [
        ("'USD'::bpchar", F.STRING, value(K.STRING, "USD")),
        ("'it''s'::text", F.STRING, value(K.STRING, "it's")),
        ("'a::b'::character varying", F.STRING, value(K.STRING, "a::b")),
        ("''::text", F.STRING, value(K.STRING, "")),
        ("0", F.DECIMAL, value(K.NUMBER, "0")),
        ("'-1'::integer", F.INT, value(K.NUMBER, "-1")),
        ("'-1.5'::double precision", F.FLOAT, value(K.NUMBER, "-1.5")),
        ("'12345678901'::bigint", F.BIGINT, value(K.NUMBER, "12345678901")),
        ("true", F.BOOLEAN, value(K.BOOLEAN, "true")),
        ("'PENDING'::\"OnboardingStatus\"", F.ENUM, value(K.ENUM, "PENDING")),
        ("'live'::poll_status", F.ENUM, value(K.ENUM, "live")),
        ("'USER'::auth.\"Role\"", F.ENUM, value(K.ENUM, "USER")),
        ("'{}'::jsonb", F.JSON, value(K.JSON, "{}")),
        ("'\\x0aff'::bytea", F.BYTES, value(K.BYTES, "0aff")),
        (
            "'2020-01-02 03:04:05'::timestamp without time zone",
            F.DATETIME,
            value(K.DATETIME, "2020-01-02T03:04:05"),
        ),
        (
            "'2020-01-02 03:04:05+00'::timestamp with time zone",
            F.DATETIME,
            value(K.DATETIME, "2020-01-02T03:04:05+00:00"),
        ),
        ("CURRENT_TIMESTAMP", F.DATETIME, NOW),
        ("now()", F.DATETIME, NOW),
        ("CURRENT_DATE", F.DATETIME, expression("CURRENT_DATE")),
        ("gen_random_uuid()", F.STRING, expression("gen_random_uuid()")),
        (
            "(random() * (10)::double precision)",
            F.FLOAT,
            expression("(random() * (10)::double precision)"),
        ),
    ],
)
def test_postgres_defaults(text: str, family: sql.TypeFamily, expected: sql.ColumnDefault) -> None:
    assert pg.column_default(text, family, False) == expected


@pytest.mark.parametrize(
    ("text", "family", "items"),
    [
        ("ARRAY[]::text[]", F.STRING, ()),
        ("'{}'::text[]", F.STRING, ()),
        ("ARRAY['a'::text, 'b, c'::text]", F.STRING, ("a", "b, c")),
        ("'{a,\"b c\"}'::text[]", F.STRING, ("a", "b c")),
        ("ARRAY[1, 2]", F.INT, ("1", "2")),
        ("ARRAY['A'::\"Role\", 'B'::\"Role\"]", F.ENUM, ("A", "B")),
    ],
)
def test_postgres_list_defaults(text: str, family: sql.TypeFamily, items: tuple[str, ...]) -> None:
    parsed = pg.column_default(text, family, True)
    assert parsed.kind is sql.DefaultKind.LIST
    assert tuple(item.text for item in parsed.items) == items


def test_postgres_serial_defaults() -> None:
    assert pg.is_serial_default("nextval('\"User_id_seq\"'::regclass)")
    assert pg.is_serial_default("nextval('watchers_id_seq'::regclass)")
    assert not pg.is_serial_default("nextval('x')")


# ── SQLite ──────────────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("text", "family", "expected"),
    [
        ("'it''s'", F.STRING, value(K.STRING, "it's")),
        ("-1.5", F.FLOAT, value(K.NUMBER, "-1.5")),
        ("true", F.BOOLEAN, value(K.BOOLEAN, "true")),
        ("0", F.BOOLEAN, value(K.BOOLEAN, "false")),
        ("X'0AFF'", F.BYTES, value(K.BYTES, "0aff")),
        (
            "'2020-01-02 03:04:05 +00:00'",
            F.DATETIME,
            value(K.DATETIME, "2020-01-02T03:04:05+00:00"),
        ),
        ("CURRENT_TIMESTAMP", F.DATETIME, NOW),
        ("CURRENT_DATE", F.DATETIME, expression("CURRENT_DATE")),
        ("lower(hex(randomblob(16)))", F.STRING, expression("(lower(hex(randomblob(16))))")),
    ],
)
def test_sqlite_defaults(text: str, family: sql.TypeFamily, expected: sql.ColumnDefault) -> None:
    assert lite.column_default(text, family) == expected


def test_sqlite_types() -> None:
    assert lite.column_type("DECIMAL(10,2)") == sql.ColumnType(F.DECIMAL, "DECIMAL", ("10", "2"))
    assert lite.column_type("datetime") == sql.ColumnType(F.DATETIME, "DATETIME")
    assert lite.column_type("circle") == sql.ColumnType(F.UNSUPPORTED, "circle")


# ── MySQL / MariaDB ─────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("data_type", "column_type", "expected"),
    [
        ("int", "int(11)", sql.ColumnType(F.INT, "INTEGER")),
        ("int", "int(10) unsigned", sql.ColumnType(F.INT, "INTEGER UNSIGNED")),
        ("tinyint", "tinyint(1)", sql.ColumnType(F.BOOLEAN, "BOOLEAN")),
        ("tinyint", "tinyint(4)", sql.ColumnType(F.INT, "TINYINT")),
        ("bigint", "bigint(20)", sql.ColumnType(F.BIGINT, "BIGINT")),
        ("varchar", "varchar(191)", sql.ColumnType(F.STRING, "VARCHAR", ("191",))),
        ("decimal", "decimal(65,30)", sql.ColumnType(F.DECIMAL, "DECIMAL", ("65", "30"))),
        ("datetime", "datetime(3)", sql.ColumnType(F.DATETIME, "DATETIME", ("3",))),
        ("longblob", "longblob", sql.ColumnType(F.BYTES, "LONGBLOB")),
        ("enum", "enum('A','it''s')", sql.ColumnType(F.ENUM, "ENUM", ("A", "it's"))),
        ("geometry", "geometry", sql.ColumnType(F.UNSUPPORTED, "geometry")),
    ],
)
def test_mysql_types(data_type: str, column_type: str, expected: sql.ColumnType) -> None:
    assert my.column_type(data_type, column_type) == expected


@pytest.mark.parametrize(
    ("text", "family", "mariadb", "generated", "expected"),
    [
        ("'x''y\\\\z'", F.STRING, True, False, value(K.STRING, "x'y\\z")),
        ("NULL", F.STRING, True, False, None),
        ("NULL", F.STRING, False, False, value(K.STRING, "NULL")),  # MySQL: the string 'NULL'
        ("x'y", F.STRING, False, False, value(K.STRING, "x'y")),
        ("1", F.BOOLEAN, True, False, value(K.BOOLEAN, "true")),
        (
            "1.500000000000000000000000000000",
            F.DECIMAL,
            True,
            False,
            value(K.NUMBER, "1.500000000000000000000000000000"),
        ),
        ("current_timestamp(3)", F.DATETIME, True, False, NOW),
        ("CURRENT_TIMESTAMP(3)", F.DATETIME, False, True, NOW),
        (
            "'2020-01-02 03:04:05.000'",
            F.DATETIME,
            True,
            False,
            value(K.DATETIME, "2020-01-02T03:04:05.000"),
        ),
        ("uuid()", F.STRING, True, False, expression("uuid()")),
        ("uuid()", F.STRING, False, True, expression("uuid()")),
    ],
)
def test_mysql_defaults(
    text: str,
    family: sql.TypeFamily,
    mariadb: bool,
    generated: bool,
    expected: sql.ColumnDefault | None,
) -> None:
    assert my.column_default(text, family, mariadb, generated) == expected


@pytest.mark.parametrize(
    ("create_index", "predicate"),
    [
        ('CREATE INDEX "i" ON "t"("a") WHERE ("a" = 1 AND "b" IS NULL)', '"a" = 1 AND "b" IS NULL'),
        ('CREATE INDEX "i" ON "t"("a") WHERE ("a" = 1) OR ("b" = 2)', '("a" = 1) OR ("b" = 2)'),
        ('CREATE INDEX "i" ON "t"(lower("a"), "b") WHERE "a" > 0', '"a" > 0'),
        ('CREATE INDEX "i" ON "t"("a")', None),
    ],
)
def test_sqlite_partial_index_predicates(create_index: str, predicate: str | None) -> None:
    assert lite._predicate(create_index) == predicate
