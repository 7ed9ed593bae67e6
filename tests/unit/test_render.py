"""Rendering a declared schema as the SQL that creates it from empty."""

from __future__ import annotations

import pytest

from schemamend.commands.render import plan_from_empty, render_from_empty, summarize_from_empty
from schemamend.dialects.calculator import ordered_indexes, parse_where_object
from schemamend.dialects.postgres.calculate import operator_class_name
from schemamend.dialects.registry import UnsupportedProviderError, dialect_for
from schemamend.diff import changes as ch
from schemamend.diff.differ import diff_schemas
from schemamend.model import datamodel as dm
from schemamend.model import sql
from schemamend.psl import check_text
from tests.unit.render_samples import blog


def render(text: str, dialect: str | None = None) -> str:
    return render_from_empty(check_text(text).require(), dialect)


def schema(provider: str, body: str) -> str:
    return f'datasource db {{\n  provider = "{provider}"\n}}\n\n{body}'


# ── scripts ─────────────────────────────────────────────────────────────────


def test_postgres_script_matches_prisma_sample_byte_for_byte() -> None:
    out = render_from_empty(blog("postgresql"))
    assert out.startswith(
        '-- CreateSchema\nCREATE SCHEMA IF NOT EXISTS "public";\n\n-- CreateEnum\n'
    )
    assert out.endswith("ON DELETE RESTRICT ON UPDATE CASCADE;\n\n")


def test_sqlite_writes_foreign_keys_inside_create_table() -> None:
    out = render_from_empty(blog("sqlite"))
    assert "-- AddForeignKey" not in out
    assert (
        'CONSTRAINT "Post_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User" ("id")' in out
    )


def test_mysql_writes_indexes_inside_create_table() -> None:
    out = render_from_empty(blog("mysql"))
    assert "-- CreateIndex" not in out
    assert (
        "    UNIQUE INDEX `User_email_key`(`email`),\n    PRIMARY KEY (`id`)\n) DEFAULT CHARACTER SET"
        in out
    )


def test_empty_schema_is_an_empty_migration() -> None:
    assert render(schema("postgresql", "")) == "-- This is an empty migration.\n\n"


def test_the_dialect_can_be_chosen_explicitly() -> None:
    assert "AUTOINCREMENT" in render_from_empty(blog("postgresql"), "sqlite")


def test_unknown_provider_is_a_clear_error() -> None:
    with pytest.raises(UnsupportedProviderError, match='"cockroachdb" is not supported'):
        dialect_for("cockroachdb")


def test_migration_file_is_the_script_without_the_final_blank_line() -> None:
    plan = plan_from_empty(blog("postgresql"))
    assert plan.script == plan.migration_sql + "\n"
    assert plan.migration_sql.endswith(";\n")


def test_each_rendered_step_keeps_the_change_it_came_from() -> None:
    plan = plan_from_empty(blog("postgresql"))
    steps = [(type(s.change).__name__, s.statements[0].split(" ")[:3]) for s in plan.steps]
    assert steps == [
        ("CreateSchema", ["CREATE", "SCHEMA", "IF"]),
        ("CreateEnum", ["CREATE", "TYPE", '"Status"']),
        ("CreateTable", ["CREATE", "TABLE", '"User"']),
        ("CreateTable", ["CREATE", "TABLE", '"Post"']),
        ("CreateIndex", ["CREATE", "UNIQUE", "INDEX"]),
        ("CreateIndex", ["CREATE", "INDEX", '"Post_authorId_idx"']),
        ("AddForeignKey", ["ALTER", "TABLE", '"Post"']),
    ]


# ── identifiers ─────────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("provider", "quoted"),
    [("postgresql", '"we""ird"'), ("sqlite", '"we""ird"'), ("mysql", '`we"ird`')],
)
def test_identifiers_are_quoted_by_one_function_per_dialect(provider: str, quoted: str) -> None:
    assert dialect_for(provider).quote_identifier('we"ird') == quoted


def test_mysql_backticks_are_doubled() -> None:
    assert dialect_for("mysql").quote_identifier("a`b") == "`a``b`"


def test_mapped_names_with_quotes_are_escaped_everywhere() -> None:
    out = render(
        schema("postgresql", 'model A {\n  id Int @id @map("i\\"d")\n  @@map("ta\\"ble")\n}\n')
    )
    assert 'CREATE TABLE "ta""ble" (\n    "i""d" INTEGER NOT NULL,' in out


# ── types and defaults ──────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("provider", "expected"),
    [
        (
            "postgresql",
            [
                "TEXT",
                "BOOLEAN",
                "INTEGER",
                "BIGINT",
                "DOUBLE PRECISION",
                "DECIMAL(65,30)",
                "TIMESTAMP(3)",
                "JSONB",
                "BYTEA",
            ],
        ),
        (
            "sqlite",
            [
                "TEXT",
                "BOOLEAN",
                "INTEGER",
                "BIGINT",
                "REAL",
                "DECIMAL",
                "DATETIME",
                "JSONB",
                "BLOB",
            ],
        ),
        (
            "mysql",
            [
                "VARCHAR(191)",
                "BOOLEAN",
                "INTEGER",
                "BIGINT",
                "DOUBLE",
                "DECIMAL(65, 30)",
                "DATETIME(3)",
                "JSON",
                "LONGBLOB",
            ],
        ),
    ],
)
def test_scalar_type_map(provider: str, expected: list[str]) -> None:
    names = ["String", "Boolean", "Int", "BigInt", "Float", "Decimal", "DateTime", "Json", "Bytes"]
    fields = "\n".join(f"  f{i} {t}" for i, t in enumerate(names))
    out = render(schema(provider, f"model T {{\n  id String @id\n{fields}\n}}\n"))
    for i, sql_type in enumerate(expected):
        quote = "`" if provider == "mysql" else '"'
        assert f"{quote}f{i}{quote} {sql_type} NOT NULL" in out


@pytest.mark.parametrize(
    ("provider", "column"),
    [
        ("postgresql", '"id" SERIAL NOT NULL'),
        ("sqlite", '"id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT'),
        ("mysql", "`id` INTEGER NOT NULL AUTO_INCREMENT"),
    ],
)
def test_autoincrement(provider: str, column: str) -> None:
    assert column in render(
        schema(provider, "model T {\n  id Int @id @default(autoincrement())\n}\n")
    )


def test_postgres_serial_follows_the_integer_width() -> None:
    out = render(
        schema(
            "postgresql",
            "model T {\n  id BigInt @id @default(autoincrement())\n  s Int @unique @default(autoincrement()) @db.SmallInt\n}\n",
        )
    )
    assert '"id" BIGSERIAL NOT NULL' in out
    assert '"s" SMALLSERIAL NOT NULL' in out


@pytest.mark.parametrize(
    ("provider", "now"),
    [
        ("postgresql", "CURRENT_TIMESTAMP"),
        ("sqlite", "CURRENT_TIMESTAMP"),
        ("mysql", "CURRENT_TIMESTAMP(3)"),
    ],
)
def test_now_default(provider: str, now: str) -> None:
    out = render(schema(provider, "model T {\n  id Int @id\n  at DateTime @default(now())\n}\n"))
    assert f"NOT NULL DEFAULT {now}" in out


def test_client_side_generators_write_no_sql_default() -> None:
    out = render(
        schema(
            "postgresql",
            "model T {\n  id String @id @default(uuid())\n  c String @default(cuid())\n}\n",
        )
    )
    assert "DEFAULT" not in out


def test_string_defaults_double_single_quotes() -> None:
    out = render(schema("postgresql", 'model T {\n  id Int @id\n  s String @default("it\'s")\n}\n'))
    assert "DEFAULT 'it''s'" in out


def test_postgres_list_defaults_are_typed_arrays() -> None:
    out = render(
        schema(
            "postgresql",
            'model T {\n  id Int @id\n  xs String[] @default(["a", "b"])\n  ys Int[] @default([])\n}\n',
        )
    )
    assert "\"xs\" TEXT[] DEFAULT ARRAY['a', 'b']::TEXT[]," in out
    assert '"ys" INTEGER[] DEFAULT ARRAY[]::INTEGER[],' in out


def test_datetime_literals_use_prismas_layout() -> None:
    out = render(
        schema(
            "postgresql",
            'model T {\n  id Int @id\n  at DateTime @default("2024-01-02T03:04:05.678Z")\n}\n',
        )
    )
    assert "DEFAULT '2024-01-02 03:04:05.678 +00:00'" in out


def test_sqlite_json_default_is_a_string_literal_not_prismas_bare_json() -> None:
    out = render(schema("sqlite", 'model T {\n  id Int @id\n  j Json @default("{}")\n}\n'))
    assert "DEFAULT '{}'" in out
    codes = [d.code for d in dialect_for("sqlite").deviations]
    assert "sqlite-json-default" in codes


def test_mysql_enums_are_inline() -> None:
    out = render_from_empty(blog("mysql"))
    assert "`status` ENUM('DRAFT', 'PUBLISHED') NOT NULL DEFAULT 'DRAFT'," in out
    assert "CREATE TYPE" not in out


# ── names, relations, join tables ───────────────────────────────────────────


def test_join_table_key_per_dialect() -> None:
    text = "model A {\n  id Int @id\n  bs B[]\n}\nmodel B {\n  id Int @id\n  as A[]\n}\n"
    assert 'CONSTRAINT "_AToB_AB_pkey" PRIMARY KEY ("A","B")' in render(schema("postgresql", text))
    assert 'CREATE UNIQUE INDEX "_AToB_AB_unique" ON "_AToB"("A", "B");' in render(
        schema("sqlite", text)
    )
    assert "UNIQUE INDEX `_AToB_AB_unique`(`A`, `B`)," in render(schema("mysql", text))


def test_relation_mode_prisma_emits_no_foreign_keys() -> None:
    text = (
        "model A {\n  id Int @id\n  bs B[]\n  cs C[]\n}\n"
        "model B {\n  id Int @id\n  aId Int\n  a A @relation(fields: [aId], references: [id])\n  @@index([aId])\n}\n"
        "model C {\n  id Int @id\n  as A[]\n}\n"
    )
    for provider in ("postgresql", "sqlite", "mysql"):
        with_mode = schema(provider, text).replace(
            f'"{provider}"', f'"{provider}"\n  relationMode = "prisma"'
        )
        assert "FOREIGN KEY" not in render(with_mode)


def test_generated_names_are_cut_to_the_identifier_limit() -> None:
    long = "T" * 70
    out = render(schema("postgresql", f"model {long} {{\n  id Int @id\n}}\n"))
    assert f'CONSTRAINT "{"T" * 58}_pkey" PRIMARY KEY' in out


def test_index_order_is_field_uniques_then_index_then_unique_then_fulltext() -> None:
    fields = tuple(dm.IndexField(n, n) for n in "abcd")
    declared = (
        dm.Index(dm.IndexKind.UNIQUE, fields[:2], "u1"),
        dm.Index(dm.IndexKind.FULLTEXT, fields[:1], "f1"),
        dm.Index(dm.IndexKind.NORMAL, fields[2:3], "i1"),
        dm.Index(dm.IndexKind.UNIQUE, fields[3:], "u2", is_field_level=True),
        dm.Index(dm.IndexKind.NORMAL, fields[:1], "i2"),
    )
    assert [i.constraint_name for i in ordered_indexes(declared)] == ["u2", "i1", "i2", "u1", "f1"]


@pytest.mark.parametrize(
    ("prisma", "postgres"),
    [
        ("JsonbPathOps", "jsonb_path_ops"),
        ("ArrayOps", "array_ops"),
        ("Int4MinMaxMultiOps", "int4_minmax_multi_ops"),
        ("TimestampTzBloomOps", "timestamptz_bloom_ops"),
        ("MacAddr8MinMaxOps", "macaddr8_minmax_ops"),
    ],
)
def test_operator_class_names(prisma: str, postgres: str) -> None:
    assert operator_class_name(prisma) == postgres


# ── summary ─────────────────────────────────────────────────────────────────


def test_summary_lists_what_is_created_like_prisma() -> None:
    assert summarize_from_empty(blog("postgresql")) == (
        "\n[+] Added Schemas\n  - public\n"
        "\n[+] Added enums\n  - Status\n"
        "\n[+] Added tables\n  - User\n  - Post\n"
        "\n[*] Changed the `Post` table\n"
        "  [+] Added index on columns (authorId)\n"
        "  [+] Added foreign key on columns (authorId)\n"
        "\n[*] Changed the `User` table\n"
        "  [+] Added unique index on columns (email)\n"
        "\n"
    )


def test_summary_of_nothing() -> None:
    assert (
        summarize_from_empty(check_text(schema("postgresql", "")).require())
        == "No difference detected.\n\n"
    )


# ── the differ between two states ───────────────────────────────────────────


def test_differ_drops_and_adds_in_a_safe_order() -> None:
    dialect = dialect_for("postgresql")
    before = dialect.calculate(blog("postgresql"))
    post = next(t for t in before.tables if t.name == "Post")
    user = next(t for t in before.tables if t.name == "User")
    nickname = sql.Column(
        "nickname", sql.ColumnType(sql.TypeFamily.STRING, "TEXT"), sql.ColumnArity.NULLABLE
    )
    after = sql.Schema(
        namespaces=before.namespaces,
        enums=before.enums,
        tables=(sql.Table(user.name, user.columns + (nickname,), user.primary_key, user.indexes),),
    )
    changes = diff_schemas(before, after, dialect.capabilities)
    assert [ch.describe(c) for c in changes] == [
        "drop foreign key Post_authorId_fkey on Post",
        "add column User.nickname",  # Prisma: -- AlterTable before -- DropTable
        "drop table Post",
    ]
    assert dialect.render(changes[1]) == ['ALTER TABLE "User" ADD COLUMN     "nickname" TEXT']
    assert post.foreign_keys[0].referenced_table == user.ref


def test_differ_finds_nothing_between_equal_schemas() -> None:
    dialect = dialect_for("mysql")
    state = dialect.calculate(blog("mysql"))
    assert diff_schemas(state, state, dialect.capabilities) == []


# ── extensions and partial indexes ──────────────────────────────────────────


def test_extensions_follow_the_schema_with_their_arguments() -> None:
    base = blog("postgresql")
    assert base.datasource is not None
    source = dm.Datasource(
        "db",
        "postgresql",
        extensions=("citext", "uuidOssp"),
        extension_details=(
            dm.DatasourceExtension("citext", "citext"),
            dm.DatasourceExtension("uuidOssp", "uuid-ossp", schema="ext", version="1.1"),
        ),
    )
    out = render_from_empty(dm.Datamodel(source, (), base.models, base.enums, base.relations))
    assert out.startswith(
        '-- CreateSchema\nCREATE SCHEMA IF NOT EXISTS "public";\n\n'
        '-- CreateExtension\nCREATE EXTENSION IF NOT EXISTS "citext";\n\n'
        '-- CreateExtension\nCREATE EXTENSION IF NOT EXISTS "uuid-ossp" WITH SCHEMA "ext" VERSION "1.1";\n\n'
        "-- CreateEnum\n"
    )


def test_partial_index_object_conditions_become_sql() -> None:
    text = (
        'generator client {\n  provider = "prisma-client-js"\n  previewFeatures = ["partialIndexes"]\n}\n'
        'model T {\n  id Int @id\n  on Boolean\n  gone DateTime? @map("gone_at")\n  s String\n'
        '  @@index([s], where: { on: true, gone: null, s: { not: "x" } })\n}\n'
    )
    out = render(schema("postgresql", text))
    assert (
        'CREATE INDEX "T_s_idx" ON "T"("s") WHERE ("on" = true AND "gone_at" IS NULL AND "s" <> \'x\');'
        in out
    )


def test_where_objects_parse_nested_not_and_literals() -> None:
    assert parse_where_object(
        '{ a: true, b: null, c: { not: null }, d: "it\\"s", e: -5, f: 1.5 }'
    ) == [
        ("a", True),
        ("b", None),
        ("c", {"not": None}),
        ("d", 'it"s'),
        ("e", -5),
        ("f", 1.5),
    ]
