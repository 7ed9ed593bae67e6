"""Altered tables: one `-- AlterTable` step per table, clauses in Prisma Migrate's order.

The layouts below are what Prisma 7.10.1 prints for a drifted PostgreSQL
database (`migrate diff --from-config-datasource --to-schema --script`).
"""

from __future__ import annotations

import pytest

from schemamend.dialects.mysql.render import render_alter_table as mysql_render_alter_table
from schemamend.dialects.postgres.dialect import DIALECT as POSTGRES
from schemamend.dialects.postgres.render import UnsupportedChangeError, render_alter_table
from schemamend.diff.changes import (
    AddColumn,
    AlterColumn,
    Change,
    CreateIndex,
    DropColumn,
    describe,
)
from schemamend.diff.differ import diff_schemas
from schemamend.diff.script import ColumnChange, migration_script, render_steps
from schemamend.model import sql

USERS = sql.TableRef(None, "users")
TEXT = sql.ColumnType(sql.TypeFamily.STRING, "TEXT")
VARCHAR = sql.ColumnType(sql.TypeFamily.STRING, "VARCHAR", ("200",))
INTEGER = sql.ColumnType(sql.TypeFamily.INT, "INTEGER")
DECIMAL = sql.ColumnType(sql.TypeFamily.DECIMAL, "DECIMAL", ("14", "2"))
DOUBLE = sql.ColumnType(sql.TypeFamily.FLOAT, "DOUBLE PRECISION")
ROLE = sql.ColumnType(sql.TypeFamily.ENUM, "UserRole", enum="UserRole")
REQUIRED, OPTIONAL = sql.ColumnArity.REQUIRED, sql.ColumnArity.NULLABLE


def column(
    name: str,
    type_: sql.ColumnType = TEXT,
    arity: sql.ColumnArity = REQUIRED,
    default: str | None = None,
) -> sql.Column:
    value = None
    if default is not None:
        kind = sql.LiteralKind.NUMBER if default.isdigit() else sql.LiteralKind.STRING
        value = sql.ColumnDefault(sql.DefaultKind.VALUE, sql.Literal(kind, default))
    return sql.Column(name, type_, arity, value)


def alter(old: sql.Column, new: sql.Column) -> str:
    return render_alter_table([AlterColumn(USERS, old, new)])[0]


def test_set_not_null() -> None:
    assert (
        alter(column("email", arity=OPTIONAL), column("email"))
        == 'ALTER TABLE "users" ALTER COLUMN "email" SET NOT NULL'
    )


def test_drop_not_null() -> None:
    assert (
        alter(column("name"), column("name", arity=OPTIONAL))
        == 'ALTER TABLE "users" ALTER COLUMN "name" DROP NOT NULL'
    )


def test_set_default() -> None:
    old, new = column("max", INTEGER), column("max", INTEGER, default="3")
    assert alter(old, new) == 'ALTER TABLE "users" ALTER COLUMN "max" SET DEFAULT 3'


def test_drop_default() -> None:
    old, new = column("notes", default="x"), column("notes")
    assert alter(old, new) == 'ALTER TABLE "users" ALTER COLUMN "notes" DROP DEFAULT'


def test_set_data_type_without_using() -> None:
    assert (
        alter(column("name", VARCHAR), column("name"))
        == 'ALTER TABLE "users" ALTER COLUMN "name" SET DATA TYPE TEXT'
    )
    expected = 'ALTER TABLE "users" ALTER COLUMN "amount" SET DATA TYPE DECIMAL(14,2)'
    assert alter(column("amount", DOUBLE), column("amount", DECIMAL)) == expected


def test_one_column_nullability_then_default_then_type() -> None:
    old, new = column("slug", VARCHAR, OPTIONAL, default="x"), column("slug")
    assert alter(old, new) == (
        'ALTER TABLE "users" ALTER COLUMN "slug" SET NOT NULL,\n'
        'ALTER COLUMN "slug" DROP DEFAULT,\n'
        'ALTER COLUMN "slug" SET DATA TYPE TEXT'
    )


def test_a_type_without_cast_drops_and_adds_the_column_again() -> None:
    """What Prisma writes for TEXT to INTEGER (see tests/fixtures/pg_type_changes)."""
    assert alter(column("x", TEXT, OPTIONAL), column("x", INTEGER)) == (
        'ALTER TABLE "users" DROP COLUMN "x",\nADD COLUMN     "x" INTEGER NOT NULL'
    )


@pytest.mark.parametrize(
    ("old", "new"),
    [(TEXT, ROLE), (ROLE, TEXT)],
    ids=["text to enum", "enum to text"],
)
def test_an_enum_column_of_another_type_is_dropped_and_added_again(
    old: sql.ColumnType, new: sql.ColumnType
) -> None:
    assert alter(column("x", old), column("x", new)).startswith(
        'ALTER TABLE "users" DROP COLUMN "x",\nADD COLUMN     "x" '
    )


def test_a_type_change_outside_prismas_known_pairs_without_cast_is_refused() -> None:
    citext = sql.ColumnType(sql.TypeFamily.STRING, "CITEXT")
    with pytest.raises(UnsupportedChangeError, match="drops and recreates"):
        alter(column("x", citext), column("x", INTEGER))


def test_clauses_of_one_table_share_one_step() -> None:
    changes: list[Change] = [
        DropColumn(USERS, column("legacy", arity=OPTIONAL)),
        AddColumn(USERS, sql.Column("role", ROLE, REQUIRED)),
        AlterColumn(USERS, column("email", arity=OPTIONAL), column("email")),
        CreateIndex(
            USERS, sql.Index("users_email_key", sql.IndexKind.UNIQUE, (sql.IndexColumn("email"),))
        ),
    ]
    steps = render_steps(changes, POSTGRES.render, POSTGRES.render_alter_table)
    assert [len(step.changes) for step in steps] == [3, 1]
    assert steps[0].change is changes[0]
    assert migration_script(steps) == (
        "-- AlterTable\n"
        'ALTER TABLE "users" DROP COLUMN "legacy",\n'
        'ADD COLUMN     "role" "UserRole" NOT NULL,\n'
        'ALTER COLUMN "email" SET NOT NULL;\n'
        "\n"
        "-- CreateIndex\n"
        'CREATE UNIQUE INDEX "users_email_key" ON "users"("email");\n'
    )


def test_without_a_table_renderer_every_change_is_its_own_step() -> None:
    changes = [DropColumn(USERS, column("a")), DropColumn(USERS, column("b"))]
    steps = render_steps(changes, POSTGRES.render)
    assert [step.changes for step in steps] == [(changes[0],), (changes[1],)]


def test_differ_orders_drops_and_adds_by_name_then_alters_by_position() -> None:
    live = sql.Table(
        "users", (column("name"), column("zzz"), column("aaa"), column("email", arity=OPTIONAL))
    )
    declared = sql.Table(
        "users",
        (column("email"), column("slug"), column("created"), column("name", arity=OPTIONAL)),
    )
    changes = diff_schemas(
        sql.Schema(tables=(live,)), sql.Schema(tables=(declared,)), POSTGRES.capabilities
    )
    assert [describe(c) for c in changes] == [
        "drop column users.aaa",
        "drop column users.zzz",
        "add column users.created",
        "add column users.slug",
        "alter column users.name",
        "alter column users.email",
    ]


def test_differ_lists_altered_tables_in_the_live_order() -> None:
    def table(name: str, arity: sql.ColumnArity) -> sql.Table:
        return sql.Table(name, (column("x", arity=arity),))

    live = sql.Schema(tables=(table("a", OPTIONAL), table("b", OPTIONAL)))
    declared = sql.Schema(tables=(table("b", REQUIRED), table("a", REQUIRED)))
    changes = diff_schemas(live, declared, POSTGRES.capabilities)
    assert [c.table.name for c in changes if isinstance(c, AlterColumn)] == ["a", "b"]


# ── MySQL: MODIFY with the whole definition, or SET/DROP DEFAULT alone ─────────


def mysql_alter(old: sql.Column, new: sql.Column) -> str:
    return mysql_render_alter_table([AlterColumn(USERS, old, new)])[0]


def test_mysql_default_only_changes_alter_the_default() -> None:
    old, new = column("plan", VARCHAR), column("plan", VARCHAR, default="free")
    assert mysql_alter(old, new) == "ALTER TABLE `users` ALTER COLUMN `plan` SET DEFAULT 'free'"
    assert mysql_alter(new, old) == "ALTER TABLE `users` ALTER COLUMN `plan` DROP DEFAULT"


def test_mysql_other_changes_modify_the_whole_column() -> None:
    old, new = column("name", VARCHAR), column("name", VARCHAR, OPTIONAL, default="x")
    assert (
        mysql_alter(old, new) == "ALTER TABLE `users` MODIFY `name` VARCHAR(200) NULL DEFAULT 'x'"
    )


def test_mysql_clauses_after_the_first_are_indented() -> None:
    changes: list[ColumnChange] = [
        DropColumn(USERS, column("legacy")),
        AlterColumn(USERS, column("email", VARCHAR, OPTIONAL), column("email", VARCHAR)),
    ]
    assert mysql_render_alter_table(changes) == [
        "ALTER TABLE `users` DROP COLUMN `legacy`,\n    MODIFY `email` VARCHAR(200) NOT NULL"
    ]


def test_sqlite_alter_column_is_refused_with_the_reason() -> None:
    from schemamend.dialects.sqlite.render import UnsupportedChangeError as SqliteUnsupported
    from schemamend.dialects.sqlite.render import render as sqlite_render

    with pytest.raises(SqliteUnsupported, match="RedefineTables"):
        sqlite_render(AlterColumn(USERS, column("email", arity=OPTIONAL), column("email")))


def test_key_and_identity_column_type_changes_render_the_type_alone() -> None:
    """The differ drops and adds the key around a key column's type change (see
    tests/unit/test_pg_key_changes.py); an identity keeps its sequence: its type alone, where
    Prisma writes `SET DATA TYPE BIGSERIAL`, which PostgreSQL rejects, and the sequence widened
    with it (narrowed: left alone)."""
    bigint = sql.ColumnType(sql.TypeFamily.BIGINT, "BIGINT")
    old = sql.Column("id", INTEGER, REQUIRED, auto_increment=True)
    new = sql.Column("id", bigint, REQUIRED, auto_increment=True)
    assert render_alter_table([AlterColumn(USERS, old, new)]) == [
        'ALTER TABLE "users" ALTER COLUMN "id" SET DATA TYPE BIGINT',
        'ALTER SEQUENCE "users_id_seq" AS BIGINT',
    ]
    assert render_alter_table([AlterColumn(USERS, new, old)]) == [
        'ALTER TABLE "users" ALTER COLUMN "id" SET DATA TYPE INTEGER'
    ]
    key = render_alter_table(
        [AlterColumn(USERS, column("id", VARCHAR), column("id"), in_primary_key=True)]
    )
    assert key == ['ALTER TABLE "users" ALTER COLUMN "id" SET DATA TYPE TEXT']


def test_list_column_type_change() -> None:
    old, new = (
        column("tags", VARCHAR, sql.ColumnArity.LIST),
        column("tags", TEXT, sql.ColumnArity.LIST),
    )
    assert alter(old, new) == 'ALTER TABLE "users" ALTER COLUMN "tags" SET DATA TYPE TEXT[]'
