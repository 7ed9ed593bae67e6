"""Repair steps, the queries that measure facts, and the order constraints between steps."""

from __future__ import annotations

import sqlite3

import pytest

from schemamend.commands.repair import depends_on
from schemamend.dialects.registry import dialect_for
from schemamend.diff import changes as ch
from schemamend.model import sql
from schemamend.safety import enum_value_steps, fact_queries, measure
from schemamend.safety import steps as rs
from schemamend.safety.checks import DuplicateCount, Fact, NullCount, OrphanCount, RowCount

USERS = sql.TableRef(None, "users")
PROJECTS = sql.TableRef(None, "projects")
TEXT = sql.ColumnType(sql.TypeFamily.STRING, "TEXT")
OWNER_FK = sql.ForeignKey(
    "projects_owner_id_fkey",
    ("owner_id",),
    USERS,
    ("id",),
    sql.ReferentialAction.RESTRICT,
    sql.ReferentialAction.CASCADE,
)


def quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


# ── enum values ──────────────────────────────────────────────────────────


def test_missing_enum_values_are_added_in_declared_order_and_extra_ones_reported() -> None:
    live = sql.Schema(enums=(sql.EnumType("Role", ("ADMIN", "LEGACY", "USER")),))
    declared = sql.Schema(enums=(sql.EnumType("Role", ("OWNER", "ADMIN", "GUEST", "USER")),))
    steps = enum_value_steps(live, declared)
    assert [rs.describe_step(s) for s in steps] == [
        "add value OWNER to enum Role",
        "add value GUEST to enum Role",
        "drop value LEGACY from enum Role",
    ]
    owner, guest = steps[0], steps[1]
    assert isinstance(owner, rs.AddEnumValue) and owner.before == "ADMIN" and owner.after is None
    assert isinstance(guest, rs.AddEnumValue) and guest.after == "ADMIN"


def test_enum_types_missing_entirely_are_the_differs_business_not_value_steps() -> None:
    declared = sql.Schema(enums=(sql.EnumType("Role", ("A",)),))
    assert enum_value_steps(sql.Schema(), declared) == []


def test_postgres_renders_enum_values_without_rebuilding_the_type() -> None:
    postgres = dialect_for("postgresql")
    step = rs.AddEnumValue(sql.EnumType("Role", ("ADMIN",)), "GUEST", after="ADMIN")
    assert postgres.render_repair(step) == ["ALTER TYPE \"Role\" ADD VALUE 'GUEST' AFTER 'ADMIN'"]


def test_postgres_renders_not_valid_keys_their_validation_and_concurrent_indexes() -> None:
    postgres = dialect_for("postgresql")
    [add] = postgres.render_repair(rs.AddForeignKeyNotValid(PROJECTS, OWNER_FK))
    assert add.startswith(
        'ALTER TABLE "projects" ADD CONSTRAINT "projects_owner_id_fkey" FOREIGN KEY'
    )
    assert add.endswith(" NOT VALID")
    assert postgres.render_repair(rs.ValidateForeignKey(PROJECTS, OWNER_FK)) == [
        'ALTER TABLE "projects" VALIDATE CONSTRAINT "projects_owner_id_fkey"'
    ]
    index = sql.Index("users_name_idx", sql.IndexKind.NORMAL, (sql.IndexColumn("name"),))
    assert postgres.render_repair(rs.CreateIndexConcurrently(USERS, index)) == [
        'CREATE INDEX CONCURRENTLY "users_name_idx" ON "users"("name")'
    ]


def test_backups_copy_whole_tables_or_key_plus_column() -> None:
    backup = sql.TableRef("_schemamend_backup_1", "users__legacy")
    step = rs.BackupTable(USERS, backup, ("id", "legacy"))
    assert dialect_for("postgresql").render_repair(step) == [
        'CREATE TABLE "_schemamend_backup_1"."users__legacy" AS SELECT "id", "legacy" FROM "users"'
    ]
    flat = rs.BackupTable(USERS, sql.TableRef(None, "_schemamend_backup_1_users"))
    assert dialect_for("mysql").render_repair(flat) == [
        "CREATE TABLE `_schemamend_backup_1_users` AS SELECT * FROM `users`"
    ]


def test_what_a_dialect_cannot_do_in_place_is_an_error_not_bad_sql() -> None:
    from schemamend.errors import SchemamendError

    with pytest.raises(SchemamendError, match="SQLite"):
        dialect_for("sqlite").render_repair(rs.AddForeignKeyNotValid(PROJECTS, OWNER_FK))
    with pytest.raises(SchemamendError, match="MySQL"):
        dialect_for("mysql").render_repair(rs.ValidateForeignKey(PROJECTS, OWNER_FK))


# ── measuring facts ───────────────────────────────────────────────────────


@pytest.fixture
def db() -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:")
    conn.executescript(
        """
        CREATE TABLE users (id TEXT PRIMARY KEY, email TEXT, name TEXT);
        INSERT INTO users VALUES ('u1', 'a@x', NULL), ('u2', 'a@x', 'B'), ('u3', NULL, NULL), ('u4', NULL, 'D');
        CREATE TABLE projects (id TEXT PRIMARY KEY, owner_id TEXT);
        INSERT INTO projects VALUES ('p1', 'u1'), ('p2', 'ghost'), ('p3', NULL), ('p4', 'ghost');
        """
    )
    return conn


def test_facts_are_measured_with_plain_sql_and_a_few_example_keys(db: sqlite3.Connection) -> None:
    facts: list[Fact] = [
        RowCount(USERS),
        NullCount(USERS, "name", ("id",)),
        DuplicateCount(USERS, ("email",)),
        OrphanCount(PROJECTS, OWNER_FK, parent_exists=True),
        OrphanCount(PROJECTS, OWNER_FK, parent_exists=False),
    ]
    found = measure(facts, lambda text: db.execute(text).fetchall(), quote)
    assert found[RowCount(USERS)].count == 4
    assert found[NullCount(USERS, "name", ("id",))].count == 2
    assert found[NullCount(USERS, "name", ("id",))].examples == ("id = 'u1'", "id = 'u3'")
    duplicates = found[DuplicateCount(USERS, ("email",))]
    assert duplicates.count == 2, "NULLs never collide in a unique index"
    assert duplicates.examples == ("email = 'a@x'",)
    orphans = found[OrphanCount(PROJECTS, OWNER_FK, parent_exists=True)]
    assert orphans.count == 2 and orphans.examples == ("owner_id = 'ghost'",)
    assert found[OrphanCount(PROJECTS, OWNER_FK, parent_exists=False)].count == 3


def test_every_identifier_in_a_fact_query_goes_through_the_quote_function() -> None:
    odd = sql.TableRef("app", 'we"ird')
    queries = fact_queries(DuplicateCount(odd, ("e mail",)), quote)
    assert '"app"."we""ird"' in queries.count and '"e mail"' in queries.count
    unqualified = fact_queries(RowCount(odd), quote, qualify_namespaces=False)
    assert unqualified.count == 'SELECT COUNT(*) FROM "we""ird"'


# ── order constraints ───────────────────────────────────────────────────────


def test_an_index_on_a_new_column_needs_that_column() -> None:
    add = ch.AddColumn(USERS, sql.Column("slug", TEXT, sql.ColumnArity.REQUIRED))
    index = ch.CreateIndex(
        USERS, sql.Index("users_slug_key", sql.IndexKind.UNIQUE, (sql.IndexColumn("slug"),))
    )
    assert depends_on(index, add)
    assert not depends_on(add, index)


def test_a_foreign_key_needs_its_parent_table_and_a_unique_index_on_the_referenced_columns() -> (
    None
):
    parent = ch.CreateTable(sql.Table("users", (sql.Column("id", TEXT, sql.ColumnArity.REQUIRED),)))
    key = ch.AddForeignKey(PROJECTS, OWNER_FK)
    unique = ch.CreateIndex(
        USERS, sql.Index("users_id_key", sql.IndexKind.UNIQUE, (sql.IndexColumn("id"),))
    )
    assert depends_on(key, parent)
    assert depends_on(key, unique)


def test_recreating_an_index_or_key_needs_the_old_one_dropped_first() -> None:
    index = sql.Index("users_email_key", sql.IndexKind.UNIQUE, (sql.IndexColumn("email"),))
    assert depends_on(ch.CreateIndex(USERS, index), ch.DropIndex(USERS, index))
    assert depends_on(ch.AddForeignKey(PROJECTS, OWNER_FK), ch.DropForeignKey(PROJECTS, OWNER_FK))


def test_a_column_of_a_new_enum_or_with_a_new_enum_value_needs_the_enum_step() -> None:
    role = sql.EnumType("Role", ("A",))
    typed = sql.ColumnType(sql.TypeFamily.ENUM, "Role", enum="Role")
    add = ch.AddColumn(USERS, sql.Column("role", typed, sql.ColumnArity.NULLABLE))
    assert depends_on(add, ch.CreateEnum(role))
    assert depends_on(add, rs.AddEnumValue(role, "B"))
