"""SQLite introspection: a database file reads back as the schema it was built from."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

from schemamend.commands.render import render_from_empty
from schemamend.db import connect, parse_url
from schemamend.dialects.sqlite import introspect as sqlite_introspect
from schemamend.dialects.sqlite.calculate import calculate
from schemamend.introspect import introspect
from schemamend.model import sql
from schemamend.model.datamodel import Datamodel
from schemamend.psl import check_text, load_schema
from tests.integration.introspect_compare import canonical, describe_differences

pytestmark = pytest.mark.sqlite


@pytest.fixture
def db(tmp_path: Path) -> Iterator[sqlite3.Connection]:
    raw = sqlite3.connect(tmp_path / "dev.db", isolation_level=None)
    yield raw
    raw.close()


def assert_round_trip(datamodel: Datamodel, db: sqlite3.Connection) -> None:
    db.executescript(render_from_empty(datamodel, "sqlite"))
    declared = canonical(calculate(datamodel), enums_are_text=True)
    live = canonical(introspect(db, "sqlite"), enums_are_text=True)
    assert live.tables
    differences = describe_differences(declared, live)
    assert declared == live, "declared and live schemas differ:\n  " + "\n  ".join(differences)


@pytest.mark.shared
def test_every_sqlite_corpus_schema_reads_back_as_declared(
    shared_dir: Path, tmp_path: Path
) -> None:
    paths = sorted((shared_dir / "corpus" / "real-world").rglob("schema.prisma"))
    checked = 0
    for index, path in enumerate(paths):
        datamodel = load_schema(path).require()
        if datamodel.datasource is None or datamodel.datasource.provider != "sqlite":
            continue
        raw = sqlite3.connect(tmp_path / f"corpus{index}.db", isolation_level=None)
        try:
            assert_round_trip(datamodel, raw)
        finally:
            raw.close()
        checked += 1
    assert checked >= 1


RICH_SCHEMA = """
datasource db {
  provider = "sqlite"
}

enum Role {
  USER
  ADMIN
}

model User {
  id        Int      @id @default(autoincrement())
  email     String   @unique
  name      String?  @default("it's")
  role      Role     @default(USER)
  score     Float    @default(-1.5)
  big       BigInt   @default(42)
  active    Boolean  @default(true)
  amount    Decimal  @default(1.50)
  data      Json     @default("{}")
  blob      Bytes?
  createdAt DateTime @default(now())
  born      DateTime @default("2020-01-02T03:04:05Z")
  token     String   @default(dbgenerated("(lower(hex(randomblob(16))))"))
  posts     Post[]
  tags      Tag[]

  @@index([name(sort: Desc), score])
}

model Post {
  authorId Int
  slug     String
  author   User   @relation(fields: [authorId], references: [id], onDelete: NoAction, onUpdate: Restrict)

  @@id([authorId, slug])
  @@map("posts")
}

model Tag {
  id    String @id
  users User[]
}
"""


def test_a_schema_with_every_kind_of_column_reads_back_as_declared(db: sqlite3.Connection) -> None:
    assert_round_trip(check_text(RICH_SCHEMA).require(), db)


FEATURES_SQL = """
CREATE TABLE "Account" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "email" TEXT NOT NULL,
    "price" DECIMAL(10,2) DEFAULT 0,
    "blob" BLOB DEFAULT X'0AFF',
    "on" BOOLEAN NOT NULL DEFAULT false,
    "day" DATE DEFAULT CURRENT_DATE,
    "doubled" INTEGER GENERATED ALWAYS AS ("id" * 2) STORED,
    "shape" circle
);
CREATE UNIQUE INDEX "Account_email_key" ON "Account"("email");
CREATE INDEX "Account_lower_idx" ON "Account"(lower("email"), "id" DESC) WHERE "on" = 1;
CREATE TABLE "Post" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "accountId" INTEGER,
    CONSTRAINT "Post_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "Account" ("id")
        ON DELETE SET NULL ON UPDATE CASCADE
);
CREATE VIEW "Emails" AS SELECT "email" FROM "Account";
CREATE TABLE "_prisma_migrations" ("id" TEXT PRIMARY KEY);
CREATE TABLE "_schemamend_state" ("id" INTEGER);
INSERT INTO "Account" ("email") VALUES ('a'), ('b');
"""


@pytest.fixture
def features(db: sqlite3.Connection) -> sql.Schema:
    db.executescript(FEATURES_SQL)
    return introspect(db, "sqlite")


def _table(schema: sql.Schema, name: str) -> sql.Table:
    table = schema.table(sql.TableRef(None, name))
    assert table is not None
    return table


def _column(schema: sql.Schema, table: str, name: str) -> sql.Column:
    column = _table(schema, table).column(name)
    assert column is not None
    return column


def test_history_and_bookkeeping_tables_are_left_out_and_views_listed(features: sql.Schema) -> None:
    assert [t.name for t in features.tables] == ["Account", "Post"]
    assert [v.name for v in features.views] == ["Emails"]
    assert features.namespaces == () and features.enums == ()


def test_the_rowid_primary_key_counts_up_by_itself(features: sql.Schema) -> None:
    account = _table(features, "Account")
    assert account.primary_key == sql.PrimaryKey(None, (sql.IndexColumn("id"),))
    assert _column(features, "Account", "id").auto_increment
    assert not _column(features, "Post", "id").auto_increment


def test_without_rowid_tables_have_no_rowid_alias(db: sqlite3.Connection) -> None:
    db.executescript(
        'CREATE TABLE "a" ("id" INTEGER NOT NULL PRIMARY KEY) WITHOUT ROWID;'
        'CREATE TABLE "b" ("id" INTEGER NOT NULL PRIMARY KEY);'
    )
    live = introspect(db, "sqlite")
    assert not _column(live, "a", "id").auto_increment
    assert _column(live, "b", "id").auto_increment


def test_types_defaults_and_generated_columns(features: sql.Schema) -> None:
    price = _column(features, "Account", "price")
    assert price.type == sql.ColumnType(sql.TypeFamily.DECIMAL, "DECIMAL", ("10", "2"))
    assert price.default == sql.ColumnDefault(
        sql.DefaultKind.VALUE, literal=sql.Literal(sql.LiteralKind.NUMBER, "0")
    )
    blob = _column(features, "Account", "blob")
    assert blob.default is not None and blob.default.literal == sql.Literal(
        sql.LiteralKind.BYTES, "0aff"
    )
    on = _column(features, "Account", "on")
    assert on.default is not None and on.default.literal == sql.Literal(
        sql.LiteralKind.BOOLEAN, "false"
    )
    day = _column(features, "Account", "day")
    assert day.default == sql.ColumnDefault(sql.DefaultKind.EXPRESSION, expression="CURRENT_DATE")
    doubled = _column(features, "Account", "doubled")
    assert doubled.generated == '"id" * 2'
    assert _column(features, "Account", "shape").type.family is sql.TypeFamily.UNSUPPORTED


def test_indexes_with_expressions_order_and_predicates(features: sql.Schema) -> None:
    indexes = {i.name: i for i in _table(features, "Account").indexes}
    assert indexes["Account_email_key"] == sql.Index(
        "Account_email_key", sql.IndexKind.UNIQUE, (sql.IndexColumn("email"),)
    )
    lower = indexes["Account_lower_idx"]
    assert lower.columns == (
        sql.IndexColumn('lower("email")', expression=True),
        sql.IndexColumn("id", sql.SortOrder.DESC),
    )
    assert lower.predicate == '"on" = 1'


def test_foreign_keys_keep_their_constraint_names(features: sql.Schema) -> None:
    assert _table(features, "Post").foreign_keys == (
        sql.ForeignKey(
            name="Post_accountId_fkey",
            columns=("accountId",),
            referenced_table=sql.TableRef(None, "Account"),
            referenced_columns=("id",),
            on_delete=sql.ReferentialAction.SET_NULL,
            on_update=sql.ReferentialAction.CASCADE,
        ),
    )


def test_small_databases_have_exact_row_counts(features: sql.Schema) -> None:
    assert _table(features, "Account").row_estimate == 2
    assert _table(features, "Post").row_estimate == 0


def test_analysed_databases_use_the_recorded_statistics(db: sqlite3.Connection) -> None:
    db.executescript(
        'CREATE TABLE "t" ("id" INTEGER PRIMARY KEY, "v" TEXT);'
        'CREATE INDEX "t_v" ON "t"("v");'
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 300) "
        'INSERT INTO "t" ("v") SELECT i FROM n;'
        "ANALYZE;"
    )
    assert _table(introspect(db, "sqlite"), "t").row_estimate == 300


def test_a_schemamend_connection_and_a_url_work_too(tmp_path: Path, db: sqlite3.Connection) -> None:
    db.executescript('CREATE TABLE "t" ("id" INTEGER PRIMARY KEY)')
    url = f"file:{tmp_path / 'dev.db'}"
    with connect(parse_url(url)) as conn:
        assert [t.name for t in introspect(conn).tables] == ["t"]
    assert [t.name for t in introspect(url).tables] == ["t"]


def test_the_number_of_queries_does_not_grow_with_tables(db: sqlite3.Connection) -> None:
    def count() -> int:
        calls: list[str] = []

        def query(text: str, params: Sequence[object]) -> Sequence[Sequence[Any]]:
            calls.append(text)
            return db.execute(text, tuple(params)).fetchall()

        sqlite_introspect.read_schema(query)
        return len(calls)

    db.executescript('CREATE TABLE "t0" ("id" INTEGER PRIMARY KEY)')
    few = count()
    db.executescript(
        "".join(
            f'CREATE TABLE "t{i}" ("id" INTEGER PRIMARY KEY, "p" INTEGER REFERENCES "t{i - 1}"("id"));'
            f'CREATE INDEX "t{i}_p" ON "t{i}"("p");'
            for i in range(1, 40)
        )
    )
    assert count() == few


def test_an_empty_database_is_an_empty_schema(db: sqlite3.Connection) -> None:
    assert introspect(db, "sqlite") == sql.Schema()
