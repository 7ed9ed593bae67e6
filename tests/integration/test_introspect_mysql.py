"""MySQL / MariaDB introspection: a live database reads back as the schema it was built from."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

from schemamend.commands.render import render_from_empty
from schemamend.db import Connection, Family, connect, parse_url
from schemamend.dialects.mysql import introspect as mysql_introspect
from schemamend.dialects.mysql.calculate import calculate
from schemamend.introspect import introspect
from schemamend.migrate.split import split_statements
from schemamend.model import sql
from schemamend.model.datamodel import Datamodel
from schemamend.psl import check_text, load_schema
from tests.integration.introspect_compare import canonical, describe_differences

pytestmark = pytest.mark.mysql


@pytest.fixture
def my(mysql_url: str) -> Iterator[Connection]:
    with connect(parse_url(mysql_url)) as conn:
        yield conn


def run_script(conn: Connection, script: str) -> None:
    for statement in split_statements(script, Family.MYSQL):
        conn.execute(statement.text)


def assert_round_trip(datamodel: Datamodel, conn: Connection) -> None:
    run_script(conn, render_from_empty(datamodel, "mysql"))
    declared, live = canonical(calculate(datamodel)), canonical(introspect(conn))
    assert live.tables
    differences = describe_differences(declared, live)
    assert declared == live, "declared and live schemas differ:\n  " + "\n  ".join(differences)


@pytest.mark.shared
def test_every_mysql_corpus_schema_reads_back_as_declared(
    shared_dir: Path, mysql_server: Any
) -> None:
    checked = 0
    for path in sorted((shared_dir / "corpus" / "real-world").rglob("schema.prisma")):
        datamodel = load_schema(path).require()
        if datamodel.datasource is None or datamodel.datasource.provider != "mysql":
            continue
        with mysql_server.throwaway() as url, connect(parse_url(url)) as conn:
            assert_round_trip(datamodel, conn)
        checked += 1
    assert checked >= 1


RICH_SCHEMA = r"""
datasource db {
  provider = "mysql"
}

enum Role {
  USER
  ADMIN
}

model User {
  id        Int      @id @default(autoincrement())
  email     String   @unique
  name      String?  @default("it's \\ ok")
  bio       String   @db.Text
  role      Role     @default(USER)
  score     Float    @default(-1.5)
  big       BigInt   @default(42)
  active    Boolean  @default(true)
  amount    Decimal  @default(1.50)
  price     Decimal  @default(0) @db.Decimal(10, 2)
  data      Json
  blob      Bytes?
  age       Int      @default(3) @db.UnsignedInt
  small     Int      @db.SmallInt
  code      String   @db.Char(3)
  createdAt DateTime @default(now())
  born      DateTime @default("2020-01-02T03:04:05Z")
  stamp     DateTime @db.Timestamp(6)
  posts     Post[]
  tags      Tag[]

  @@index([name(sort: Desc), score])
  @@index([bio(length: 20)])
  @@fulltext([bio], map: "User_bio_fulltext")
}

model Post {
  authorId Int
  slug     String
  author   User   @relation(fields: [authorId], references: [id], onDelete: Cascade, onUpdate: Restrict)

  @@id([authorId, slug])
  @@map("posts")
}

model Tag {
  id    String @id
  users User[]
}
"""


def test_a_schema_with_every_kind_of_column_reads_back_as_declared(my: Connection) -> None:
    assert_round_trip(check_text(RICH_SCHEMA).require(), my)


@pytest.fixture
def rich(my: Connection) -> sql.Schema:
    run_script(my, render_from_empty(check_text(RICH_SCHEMA).require(), "mysql"))
    return introspect(my)


def _table(schema: sql.Schema, name: str) -> sql.Table:
    table = schema.table(sql.TableRef(None, name))
    assert table is not None
    return table


def _column(schema: sql.Schema, table: str, name: str) -> sql.Column:
    column = _table(schema, table).column(name)
    assert column is not None
    return column


def test_inline_enums_carry_their_values(rich: sql.Schema) -> None:
    role = _column(rich, "User", "role")
    assert role.type == sql.ColumnType(sql.TypeFamily.ENUM, "ENUM", ("USER", "ADMIN"))
    assert role.default == sql.ColumnDefault(
        sql.DefaultKind.VALUE, literal=sql.Literal(sql.LiteralKind.ENUM, "USER")
    )
    assert rich.enums == ()


def test_types_use_the_calculators_names(rich: sql.Schema) -> None:
    assert _column(rich, "User", "id").type == sql.ColumnType(sql.TypeFamily.INT, "INTEGER")
    assert _column(rich, "User", "id").auto_increment
    assert _column(rich, "User", "active").type == sql.ColumnType(sql.TypeFamily.BOOLEAN, "BOOLEAN")
    assert _column(rich, "User", "age").type.name == "INTEGER UNSIGNED"
    assert _column(rich, "User", "data").type == sql.ColumnType(sql.TypeFamily.JSON, "JSON")
    assert _column(rich, "User", "email").type.args == ("191",)
    assert _column(rich, "User", "stamp").type == sql.ColumnType(
        sql.TypeFamily.DATETIME, "TIMESTAMP", ("6",)
    )


def test_string_defaults_are_unescaped(rich: sql.Schema) -> None:
    name = _column(rich, "User", "name")
    assert name.default is not None and name.default.literal == sql.Literal(
        sql.LiteralKind.STRING, "it's \\ ok"
    )


def test_primary_keys_indexes_and_foreign_keys(rich: sql.Schema) -> None:
    posts = _table(rich, "posts")
    assert posts.primary_key == sql.PrimaryKey(
        None, (sql.IndexColumn("authorId"), sql.IndexColumn("slug"))
    )
    assert [k.name for k in posts.foreign_keys] == ["posts_authorId_fkey"]
    assert posts.indexes == ()  # the foreign key's column leads the primary key: no implicit index
    indexes = {i.name: i for i in _table(rich, "User").indexes}
    assert indexes["User_bio_fulltext"].kind is sql.IndexKind.FULLTEXT
    assert indexes["User_bio_idx"].columns == (sql.IndexColumn("bio", length=20),)
    assert indexes["User_name_score_idx"].columns[0] == sql.IndexColumn("name", sql.SortOrder.DESC)


def test_indexes_innodb_adds_for_foreign_keys_are_left_out(my: Connection) -> None:
    my.execute("CREATE TABLE `a` (`id` INTEGER NOT NULL PRIMARY KEY)")
    my.execute("CREATE TABLE `b` (`id` INTEGER NOT NULL PRIMARY KEY, `aId` INTEGER NOT NULL)")
    my.execute(
        "ALTER TABLE `b` ADD CONSTRAINT `b_aId_fkey` FOREIGN KEY (`aId`) REFERENCES `a`(`id`)"
    )
    b = _table(introspect(my), "b")
    assert b.indexes == ()
    assert b.foreign_keys[0].referenced_table == sql.TableRef(None, "a")


def test_history_bookkeeping_and_views(my: Connection) -> None:
    my.execute("CREATE TABLE `t` (`id` INTEGER NOT NULL PRIMARY KEY)")
    my.execute("CREATE TABLE `_prisma_migrations` (`id` VARCHAR(36) NOT NULL PRIMARY KEY)")
    my.execute("CREATE TABLE `_schemamend_state` (`id` INTEGER)")
    my.execute("CREATE VIEW `v` AS SELECT `id` FROM `t`")
    live = introspect(my)
    assert [t.name for t in live.tables] == ["t"]
    assert [v.name for v in live.views] == ["v"]


def test_generated_columns_and_row_estimates(my: Connection) -> None:
    my.execute(
        "CREATE TABLE `t` (`id` INTEGER NOT NULL PRIMARY KEY, "
        "`doubled` INTEGER GENERATED ALWAYS AS (`id` * 2) STORED)"
    )
    my.execute("INSERT INTO `t` (`id`) VALUES (1), (2), (3)")
    my.execute("ANALYZE TABLE `t`")
    table = _table(introspect(my), "t")
    doubled = table.column("doubled")
    assert doubled is not None and doubled.generated == "`id` * 2" and doubled.default is None
    assert table.row_estimate == 3


def test_the_number_of_queries_does_not_grow_with_tables(my: Connection) -> None:
    def count() -> int:
        calls: list[str] = []

        def query(text: str, params: Sequence[object]) -> Sequence[Sequence[Any]]:
            calls.append(text)
            return my.query(text, params)

        mysql_introspect.read_schema(query)
        return len(calls)

    my.execute("CREATE TABLE `t0` (`id` INTEGER NOT NULL PRIMARY KEY)")
    few = count()
    for i in range(1, 20):
        my.execute(
            f"CREATE TABLE `t{i}` (`id` INTEGER NOT NULL PRIMARY KEY, `p` INTEGER, "
            f"CONSTRAINT `t{i}_p_fkey` FOREIGN KEY (`p`) REFERENCES `t{i - 1}`(`id`))"
        )
    assert count() == few


def test_an_empty_database_is_an_empty_schema(my: Connection) -> None:
    assert introspect(my) == sql.Schema()
