"""PostgreSQL introspection: a live database reads back as the schema it was built from."""

from __future__ import annotations

import dataclasses
import subprocess
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

from schemamend.commands.render import render_from_empty
from schemamend.db import Connection, connect, parse_url
from schemamend.dialects.postgres import introspect as pg_introspect
from schemamend.dialects.postgres.calculate import calculate
from schemamend.introspect import declared_namespaces, introspect
from schemamend.model import sql
from schemamend.model.datamodel import Datamodel
from schemamend.psl import check_text, load_schema
from tests.integration.introspect_compare import canonical, describe_differences

pytestmark = pytest.mark.postgres


@pytest.fixture
def pg(pg_url: str) -> Iterator[Connection]:
    with connect(parse_url(pg_url)) as conn:
        yield conn


def schemas_for(shared_dir: Path, provider: str) -> list[tuple[Path, Datamodel]]:
    """The reference scenario's schema and every corpus schema of this provider, validated."""
    reference = shared_dir / "scenarios" / "seed-incident" / "prisma" / "schema.prisma"
    corpus = sorted((shared_dir / "corpus" / "real-world").rglob("schema.prisma"))
    found = []
    for path in [reference, *corpus]:
        datamodel = load_schema(path).require()
        if datamodel.datasource is not None and datamodel.datasource.provider == provider:
            found.append((path, datamodel))
    return found


def assert_same(declared: sql.Schema, live: sql.Schema) -> None:
    declared, live = canonical(declared), canonical(live)
    differences = describe_differences(declared, live)
    assert declared == live, "declared and live schemas differ:\n  " + "\n  ".join(differences)


def apply_script(conn: Connection, script: str) -> None:
    if "CITEXT" in script:
        conn.execute("CREATE EXTENSION IF NOT EXISTS citext")
    conn.execute(script)


# ── the round trip: render → apply → introspect == calculate ────────────────


@pytest.mark.shared
def test_every_postgresql_corpus_schema_reads_back_as_declared(
    shared_dir: Path, pg_server: Any
) -> None:
    schemas = schemas_for(shared_dir, "postgresql")
    assert len(schemas) >= 10, [str(p) for p, _ in schemas]
    failures = []
    for path, datamodel in schemas:
        with pg_server.throwaway() as url, connect(parse_url(url)) as conn:
            apply_script(conn, render_from_empty(datamodel, "postgresql"))
            declared, live = canonical(calculate(datamodel)), canonical(introspect(conn))
        if not declared.extensions:  # citext, installed above for @db.Citext, is not declared
            live = dataclasses.replace(live, extensions=())
        assert live.tables, path
        if declared != live:
            failures.append(f"{path}:\n  " + "\n  ".join(describe_differences(declared, live)))
    assert not failures, "\n".join(failures)


@pytest.mark.shared
def test_reference_production_state_has_three_tables_and_three_enums(
    shared_dir: Path, pg_url: str
) -> None:
    script = shared_dir / "scenarios" / "seed-incident" / "make-production.sh"
    subprocess.run(["sh", str(script), pg_url], check=True, capture_output=True)

    with connect(parse_url(pg_url)) as conn:
        conn.execute("ANALYZE")
        live = introspect(conn)

    assert [t.name for t in live.tables] == ["customer_plans", "onboarding_applications", "users"]
    assert [e.name for e in live.enums] == ["BillingCycle", "OnboardingStatus", "UserRole"]
    assert all(t.row_estimate for t in live.tables), [(t.name, t.row_estimate) for t in live.tables]


@pytest.mark.shared
def test_reference_production_state_differs_from_the_schema_by_the_missing_objects_only(
    shared_dir: Path, pg_url: str
) -> None:
    from schemamend.dialects.registry import dialect_for
    from schemamend.diff import changes as ch
    from schemamend.diff.differ import diff_schemas

    scenario = shared_dir / "scenarios" / "seed-incident"
    subprocess.run(
        ["sh", str(scenario / "make-production.sh"), pg_url], check=True, capture_output=True
    )
    datamodel = load_schema(scenario / "prisma" / "schema.prisma").require()
    dialect = dialect_for("postgresql")

    changes = diff_schemas(introspect(pg_url), dialect.calculate(datamodel), dialect.capabilities)

    kinds: dict[str, int] = {}
    for change in changes:
        kinds[type(change).__name__] = kinds.get(type(change).__name__, 0) + 1
    assert kinds == {"CreateEnum": 5, "CreateTable": 7, "CreateIndex": 8, "AddForeignKey": 8}, [
        ch.describe(c) for c in changes
    ]


# Every native type, default kind and index option Prisma writes for PostgreSQL
# (the rendered script is byte-identical to Prisma 7.10.1's `migrate diff --from-empty`).
WIDE_SCHEMA = r"""
datasource db {
  provider = "postgresql"
}

enum Color {
  RED
  GREEN   @map("green")
  @@map("colors")
}

model Wide {
  id        BigInt   @id @default(autoincrement())
  small     Int      @default(-3) @db.SmallInt
  oid       Int?     @db.Oid
  real      Float    @default(1.25) @db.Real
  dec       Decimal  @default(-1.50) @db.Decimal(10, 3)
  money     Decimal? @db.Money
  text      String   @default("a'b\\c") @db.Text
  vc        String?  @db.VarChar
  ch        String?  @db.Char(5)
  bit       String?  @db.Bit(4)
  varbit    String?  @db.VarBit(8)
  uuid      String   @default(dbgenerated("gen_random_uuid()")) @db.Uuid
  xml       String?  @db.Xml
  inet      String?  @db.Inet
  ts        DateTime @default("2020-01-02T03:04:05.678Z") @db.Timestamp(6)
  tstz      DateTime @default(now()) @db.Timestamptz(3)
  date      DateTime @default("2020-01-02T00:00:00Z") @db.Date
  time      DateTime? @db.Time(2)
  timetz    DateTime? @db.Timetz
  json      Json     @default("{\"a\": [1, 2]}") @db.Json
  jsonb     Json     @default("[]")
  bytes     Bytes    @default("aGVsbG8=")
  flag      Boolean  @default(false)
  color     Color    @default(GREEN)
  colors    Color[]  @default([RED, GREEN])
  tags      String[] @default(["a", "b c"])
  nums      Int[]    @default([1, 2])
  big       BigInt   @default(9007199254740993)
  f         Float    @default(10000000000.5)
  circle    Unsupported("circle")?
  ident     Int      @default(autoincrement()) @db.Integer

  @@unique([ch, vc])
  @@index([jsonb(ops: JsonbPathOps)], type: Gin)
  @@index([small(sort: Desc), real])
  @@index([uuid], type: Hash)
  @@index([ts], type: Brin)
}
"""


def test_every_native_type_default_and_index_option_reads_back_as_declared(pg: Connection) -> None:
    datamodel = check_text(WIDE_SCHEMA).require()
    apply_script(pg, render_from_empty(datamodel, "postgresql"))
    assert_same(calculate(datamodel), introspect(pg))


# ── each catalog fact, from hand-written SQL ────────────────────────────────

FEATURES_SQL = """
CREATE TYPE "Role" AS ENUM ('USER', 'ADMIN', 'it''s');
CREATE TABLE "Account" (
    "id" SERIAL PRIMARY KEY,
    "big" BIGSERIAL,
    "ident" INTEGER GENERATED BY DEFAULT AS IDENTITY,
    "email" VARCHAR(255) NOT NULL,
    "code" CHAR(3) NOT NULL DEFAULT 'USD',
    "quote" TEXT DEFAULT 'it''s',
    "role" "Role" NOT NULL DEFAULT 'USER',
    "roles" "Role"[] DEFAULT ARRAY['USER', 'ADMIN']::"Role"[],
    "tags" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "scores" INTEGER[] DEFAULT '{1,2}',
    "balance" DECIMAL(10, 2) NOT NULL DEFAULT -1.50,
    "ratio" DOUBLE PRECISION DEFAULT -3,
    "count" INTEGER NOT NULL DEFAULT -7,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "data" JSONB NOT NULL DEFAULT '{"a": [1]}',
    "blob" BYTEA DEFAULT '\\x0aff',
    "created" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "at" TIMESTAMPTZ(6) DEFAULT now(),
    "day" DATE DEFAULT '2024-01-02',
    "uuid" UUID DEFAULT gen_random_uuid(),
    "doubled" INTEGER GENERATED ALWAYS AS ("count" * 2) STORED,
    "shape" circle
);
CREATE UNIQUE INDEX "Account_email_key" ON "Account"("email");
ALTER TABLE "Account" ADD CONSTRAINT "Account_code_role_key" UNIQUE ("code", "role");
CREATE INDEX "Account_lower_idx" ON "Account"(lower("email"), "created" DESC);
CREATE INDEX "Account_active_idx" ON "Account"("count") WHERE "active";
CREATE INDEX "Account_data_idx" ON "Account" USING GIN ("data" jsonb_path_ops);
CREATE INDEX "Account_code_idx" ON "Account" USING HASH ("code");
CREATE TABLE "Post" (
    "id" INTEGER NOT NULL,
    "accountId" INTEGER,
    CONSTRAINT "Post_pkey" PRIMARY KEY ("id")
);
ALTER TABLE "Post" ADD CONSTRAINT "Post_accountId_fkey" FOREIGN KEY ("accountId")
    REFERENCES "Account"("id") ON DELETE SET NULL ON UPDATE RESTRICT DEFERRABLE INITIALLY DEFERRED;
CREATE VIEW "ActiveAccount" AS SELECT "id" FROM "Account" WHERE "active";
CREATE TABLE "_prisma_migrations" ("id" VARCHAR(36) PRIMARY KEY);
CREATE TABLE "_schemamend_lock" ("id" INTEGER);
"""


@pytest.fixture
def features(pg: Connection) -> sql.Schema:
    pg.execute(FEATURES_SQL)
    return introspect(pg)


def _column(schema: sql.Schema, table: str, column: str) -> sql.Column:
    found = schema.table(sql.TableRef(None, table))
    assert found is not None
    result = found.column(column)
    assert result is not None, column
    return result


def _table(schema: sql.Schema, name: str) -> sql.Table:
    found = schema.table(sql.TableRef(None, name))
    assert found is not None
    return found


def test_history_and_bookkeeping_tables_are_left_out(features: sql.Schema) -> None:
    assert [t.name for t in features.tables] == ["Account", "Post"]


def test_views_are_listed(features: sql.Schema) -> None:
    assert [v.name for v in features.views] == ["ActiveAccount"]
    assert "Account" in (features.views[0].definition or "")


def test_enum_values_keep_their_order(features: sql.Schema) -> None:
    assert features.enums == (sql.EnumType("Role", ("USER", "ADMIN", "it's")),)
    assert features.namespaces == (sql.Namespace("public"),)


@pytest.mark.parametrize(
    ("column", "name", "args", "family"),
    [
        ("email", "VARCHAR", ("255",), sql.TypeFamily.STRING),
        ("code", "CHAR", ("3",), sql.TypeFamily.STRING),
        ("balance", "DECIMAL", ("10", "2"), sql.TypeFamily.DECIMAL),
        ("ratio", "DOUBLE PRECISION", (), sql.TypeFamily.FLOAT),
        ("data", "JSONB", (), sql.TypeFamily.JSON),
        ("blob", "BYTEA", (), sql.TypeFamily.BYTES),
        ("created", "TIMESTAMP", ("3",), sql.TypeFamily.DATETIME),
        ("at", "TIMESTAMPTZ", ("6",), sql.TypeFamily.DATETIME),
        ("day", "DATE", (), sql.TypeFamily.DATETIME),
        ("uuid", "UUID", (), sql.TypeFamily.STRING),
        ("big", "BIGINT", (), sql.TypeFamily.BIGINT),
        ("shape", "circle", (), sql.TypeFamily.UNSUPPORTED),
    ],
)
def test_column_types_use_the_calculators_names(
    features: sql.Schema, column: str, name: str, args: tuple[str, ...], family: sql.TypeFamily
) -> None:
    assert _column(features, "Account", column).type == sql.ColumnType(family, name, args)


def test_enum_and_array_columns(features: sql.Schema) -> None:
    role = _column(features, "Account", "role")
    assert role.type == sql.ColumnType(sql.TypeFamily.ENUM, "Role", enum="Role")
    assert role.arity is sql.ColumnArity.REQUIRED
    roles = _column(features, "Account", "roles")
    assert roles.arity is sql.ColumnArity.LIST
    assert roles.type.enum == "Role"


def test_serial_and_identity_columns_are_auto_increment_without_default(
    features: sql.Schema,
) -> None:
    for name in ("id", "big", "ident"):
        column = _column(features, "Account", name)
        assert column.auto_increment, name
        assert column.default is None, name


def _value(kind: sql.LiteralKind, text: str) -> sql.ColumnDefault:
    return sql.ColumnDefault(sql.DefaultKind.VALUE, literal=sql.Literal(kind, text))


@pytest.mark.parametrize(
    ("column", "expected"),
    [
        ("code", _value(sql.LiteralKind.STRING, "USD")),
        ("quote", _value(sql.LiteralKind.STRING, "it's")),
        ("role", _value(sql.LiteralKind.ENUM, "USER")),
        ("balance", _value(sql.LiteralKind.NUMBER, "-1.50")),
        ("ratio", _value(sql.LiteralKind.NUMBER, "-3")),
        ("count", _value(sql.LiteralKind.NUMBER, "-7")),
        ("active", _value(sql.LiteralKind.BOOLEAN, "true")),
        ("data", _value(sql.LiteralKind.JSON, '{"a": [1]}')),
        ("blob", _value(sql.LiteralKind.BYTES, "0aff")),
        ("day", _value(sql.LiteralKind.DATETIME, "2024-01-02")),
        ("created", sql.ColumnDefault(sql.DefaultKind.NOW)),
        ("at", sql.ColumnDefault(sql.DefaultKind.NOW)),
        ("uuid", sql.ColumnDefault(sql.DefaultKind.EXPRESSION, expression="gen_random_uuid()")),
        (
            "roles",
            sql.ColumnDefault(
                sql.DefaultKind.LIST,
                items=(
                    sql.Literal(sql.LiteralKind.ENUM, "USER"),
                    sql.Literal(sql.LiteralKind.ENUM, "ADMIN"),
                ),
            ),
        ),
        ("tags", sql.ColumnDefault(sql.DefaultKind.LIST)),
        (
            "scores",
            sql.ColumnDefault(
                sql.DefaultKind.LIST,
                items=(
                    sql.Literal(sql.LiteralKind.NUMBER, "1"),
                    sql.Literal(sql.LiteralKind.NUMBER, "2"),
                ),
            ),
        ),
    ],
)
def test_defaults_are_parsed_into_kinds(
    features: sql.Schema, column: str, expected: sql.ColumnDefault
) -> None:
    assert _column(features, "Account", column).default == expected


def test_generated_columns_keep_their_expression(features: sql.Schema) -> None:
    doubled = _column(features, "Account", "doubled")
    assert doubled.generated == "(count * 2)"
    assert doubled.default is None


def test_indexes_columns_order_predicate_method_and_operator_class(features: sql.Schema) -> None:
    indexes = {i.name: i for i in _table(features, "Account").indexes}
    assert sorted(indexes) == [
        "Account_active_idx",
        "Account_code_idx",
        "Account_code_role_key",
        "Account_data_idx",
        "Account_email_key",
        "Account_lower_idx",
    ]
    assert indexes["Account_email_key"].kind is sql.IndexKind.UNIQUE
    assert indexes["Account_code_role_key"] == sql.Index(
        "Account_code_role_key",
        sql.IndexKind.UNIQUE,
        (sql.IndexColumn("code"), sql.IndexColumn("role")),
    )
    assert indexes["Account_lower_idx"].columns == (
        sql.IndexColumn("lower(email::text)", expression=True),
        sql.IndexColumn("created", sql.SortOrder.DESC),
    )
    assert indexes["Account_active_idx"].predicate == "active"
    assert indexes["Account_data_idx"].algorithm == "GIN"
    assert indexes["Account_data_idx"].columns == (
        sql.IndexColumn("data", operator_class="jsonb_path_ops"),
    )
    assert indexes["Account_code_idx"].algorithm == "HASH"


def test_primary_and_foreign_keys(features: sql.Schema) -> None:
    assert _table(features, "Account").primary_key == sql.PrimaryKey(
        "Account_pkey", (sql.IndexColumn("id"),)
    )
    post = _table(features, "Post")
    assert post.foreign_keys == (
        sql.ForeignKey(
            name="Post_accountId_fkey",
            columns=("accountId",),
            referenced_table=sql.TableRef(None, "Account"),
            referenced_columns=("id",),
            on_delete=sql.ReferentialAction.SET_NULL,
            on_update=sql.ReferentialAction.RESTRICT,
            deferrable=True,
            initially_deferred=True,
        ),
    )


def test_dropped_columns_do_not_shift_key_columns(pg: Connection) -> None:
    pg.execute(
        'CREATE TABLE "t" ("gone" INTEGER, "a" INTEGER NOT NULL, "b" INTEGER NOT NULL);'
        'ALTER TABLE "t" DROP COLUMN "gone";'
        'ALTER TABLE "t" ADD CONSTRAINT "t_pkey" PRIMARY KEY ("b", "a");'
    )
    table = _table(introspect(pg), "t")
    assert [c.name for c in table.columns] == ["a", "b"]
    assert table.primary_key == sql.PrimaryKey(
        "t_pkey", (sql.IndexColumn("b"), sql.IndexColumn("a"))
    )


def test_row_estimates_come_from_the_planner_statistics(pg: Connection) -> None:
    pg.execute('CREATE TABLE "t" ("id" INTEGER); INSERT INTO "t" SELECT generate_series(1, 500)')
    assert _table(introspect(pg), "t").row_estimate is None  # never analysed
    pg.execute('ANALYZE "t"')
    assert _table(introspect(pg), "t").row_estimate == 500


def test_an_empty_database_is_an_empty_schema(pg: Connection) -> None:
    # Only the namespace read is listed: unqualified objects go there, so no diff creates it.
    assert introspect(pg) == sql.Schema(namespaces=(sql.Namespace("public"),))


def test_extensions_are_listed_with_namespace_and_version(pg: Connection) -> None:
    pg.execute("CREATE EXTENSION IF NOT EXISTS citext")
    extensions = introspect(pg).extensions
    assert [e.name for e in extensions] == ["citext"]
    assert extensions[0].schema == "public" and extensions[0].version


# ── namespaces ──────────────────────────────────────────────────────────────


def test_the_url_schema_parameter_chooses_the_namespace(pg_url: str, pg: Connection) -> None:
    pg.execute(
        'CREATE SCHEMA "app"; CREATE TYPE "app"."Kind" AS ENUM (\'A\');'
        'CREATE TABLE "app"."item" ("id" INTEGER PRIMARY KEY, "kind" "app"."Kind");'
        'CREATE TABLE "public"."other" ("id" INTEGER)'
    )
    live = introspect(f"{pg_url}?schema=app")
    assert [t.name for t in live.tables] == ["item"]
    assert live.namespaces == (sql.Namespace("app"),)
    kind = _column(live, "item", "kind")
    assert kind.type == sql.ColumnType(sql.TypeFamily.ENUM, "Kind", enum="Kind")


def test_several_namespaces_qualify_every_object(pg: Connection) -> None:
    pg.execute(
        'CREATE SCHEMA "auth"; CREATE SCHEMA "billing";'
        'CREATE TYPE "auth"."Role" AS ENUM (\'A\');'
        'CREATE TABLE "auth"."user" ("id" INTEGER PRIMARY KEY, "role" "auth"."Role");'
        'CREATE TABLE "billing"."invoice" ("id" INTEGER PRIMARY KEY, "userId" INTEGER '
        'REFERENCES "auth"."user"("id"));'
    )
    live = introspect(pg, namespaces=["auth", "billing"])
    assert [(t.namespace, t.name) for t in live.tables] == [
        ("auth", "user"),
        ("billing", "invoice"),
    ]
    assert live.namespaces == (sql.Namespace("auth"), sql.Namespace("billing"))
    assert live.enums == (sql.EnumType("Role", ("A",), "auth"),)
    role = live.tables[0].column("role")
    assert role is not None and role.type.enum_namespace == "auth"
    key = live.tables[1].foreign_keys[0]
    assert key.referenced_table == sql.TableRef("auth", "user")


def test_a_foreign_key_to_a_namespace_not_read_names_its_columns(
    pg_url: str, pg: Connection
) -> None:
    pg.execute(
        'CREATE SCHEMA "auth"; CREATE SCHEMA "billing";'
        'CREATE TABLE "auth"."user" ("a" INTEGER, "id" INTEGER PRIMARY KEY);'
        'CREATE TABLE "billing"."invoice" ("id" INTEGER PRIMARY KEY, "userId" INTEGER '
        'REFERENCES "auth"."user"("id"));'
    )
    live = introspect(f"{pg_url}?schema=billing")
    key = _table(live, "invoice").foreign_keys[0]
    assert key.referenced_table == sql.TableRef("auth", "user")
    assert key.referenced_columns == ("id",)


def test_multi_schema_datamodel_round_trips(pg: Connection) -> None:
    datamodel = check_text(
        """
        datasource db {
          provider = "postgresql"
          schemas  = ["auth", "billing"]
        }
        enum Role {
          USER
          @@schema("auth")
        }
        model User {
          id       Int       @id @default(autoincrement())
          role     Role      @default(USER)
          invoices Invoice[]
          @@schema("auth")
        }
        model Invoice {
          id     Int  @id
          userId Int
          user   User @relation(fields: [userId], references: [id])
          @@index([userId])
          @@schema("billing")
        }
        """
    ).require()
    apply_script(pg, render_from_empty(datamodel, "postgresql"))
    assert declared_namespaces(datamodel) == ("auth", "billing")
    assert_same(calculate(datamodel), introspect(pg, namespaces=declared_namespaces(datamodel)))


# ── a constant number of queries ────────────────────────────────────────────


def _count_queries(conn: Connection) -> int:
    calls: list[str] = []

    def query(text: str, params: Sequence[object]) -> Sequence[Sequence[Any]]:
        calls.append(text)
        return conn.query(text, params)

    pg_introspect.read_schema(query, default_namespace="public")
    return len(calls)


def test_the_number_of_catalog_queries_does_not_grow_with_tables(pg: Connection) -> None:
    pg.execute('CREATE TABLE "t0" ("id" INTEGER PRIMARY KEY)')
    few = _count_queries(pg)
    pg.execute(
        "".join(
            f'CREATE TABLE "t{i}" ("id" INTEGER PRIMARY KEY, "p" INTEGER REFERENCES "t{i - 1}"("id"));'
            f'CREATE INDEX ON "t{i}"("p");'
            for i in range(1, 40)
        )
    )
    assert _count_queries(pg) == few == 7


def test_a_raw_dbapi_connection_can_be_introspected(pg_url: str, pg: Connection) -> None:
    import psycopg

    pg.execute('CREATE TABLE "t" ("id" INTEGER PRIMARY KEY)')
    with psycopg.connect(pg_url) as raw:
        live = introspect(raw, "postgresql")
    assert [t.name for t in live.tables] == ["t"]
