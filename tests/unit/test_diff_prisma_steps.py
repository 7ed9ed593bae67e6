"""Prisma's own steps in `migrate diff`: AlterEnum (PostgreSQL) and RedefineTables (SQLite).

Each `tests/fixtures/diff/<case>.sql` (script) or `.txt` (summary) is what the
real Prisma 7.10.1 CLI prints for `migrate diff --from-schema <before>
--to-schema <case>.prisma [--script]`; ours must be the same, byte for byte.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from schemamend.commands.diff import State, migrate_diff
from schemamend.dialects.postgres.dialect import DIALECT as POSTGRES
from schemamend.dialects.sqlite.dialect import DIALECT as SQLITE
from schemamend.diff import changes as ch
from schemamend.diff.differ import diff_schemas, needs_rebuild
from schemamend.model import sql
from schemamend.safety import Risk
from schemamend.safety.checks import CheckCode, Condition, EnumValueCount, plan_checks
from schemamend.safety.facts import fact_queries

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "diff"

# (before, after, Prisma's output file)
SCRIPTS = [
    ("enum_before", "enum_removed", "enum_removed.sql"),
    ("enum_values_before", "enum_values_added", "enum_values_added.sql"),
    ("sqlite_before", "sqlite_rebuilt", "sqlite_rebuilt.sql"),
]
SUMMARIES = [
    ("sqlite_before", "sqlite_rebuilt", "sqlite_rebuilt.txt"),
    ("summary_before", "summary_after", "summary_after.txt"),
    ("columns_before", "columns_altered", "columns_altered.txt"),
    ("defaults_before", "defaults_changed", "defaults_changed.txt"),
]


def _diff(before: str, after: str) -> tuple[str, str]:
    report = migrate_diff(
        State("schema", str(FIXTURES / f"{before}.prisma")),
        State("schema", str(FIXTURES / f"{after}.prisma")),
    )
    return report.script, report.summary


@pytest.mark.parametrize(("before", "after", "expected"), SCRIPTS)
def test_script_is_prismas(before: str, after: str, expected: str) -> None:
    script, _ = _diff(before, after)
    assert script == (FIXTURES / expected).read_text(encoding="utf-8")


@pytest.mark.parametrize(("before", "after", "expected"), SUMMARIES)
def test_summary_is_prismas(before: str, after: str, expected: str) -> None:
    _, summary = _diff(before, after)
    assert summary.lstrip("\n") == (FIXTURES / expected).read_text(encoding="utf-8")


def test_enum_values_in_another_order_are_no_change() -> None:
    script, _ = _diff("enum_values_before", "enum_values_reordered")
    assert script == "-- This is an empty migration.\n\n"


# ── AlterEnum on hand-built schemas ─────────────────────────────────────────

ROLE = sql.ColumnType(sql.TypeFamily.ENUM, "Role", enum="Role")
INT = sql.ColumnType(sql.TypeFamily.INT, "INTEGER")
KEY = sql.PrimaryKey(None, (sql.IndexColumn("id"),))


def _default(value: str) -> sql.ColumnDefault:
    return sql.ColumnDefault(sql.DefaultKind.VALUE, sql.Literal(sql.LiteralKind.ENUM, value))


def _schema(values: tuple[str, ...], *tables: sql.Table) -> sql.Schema:
    return sql.Schema((sql.Namespace("public"),), (), (sql.EnumType("Role", values),), tables)


def _users(*columns: sql.Column) -> sql.Table:
    return sql.Table("User", (sql.Column("id", INT, sql.ColumnArity.REQUIRED), *columns), KEY)


ROLE_COLUMN = sql.Column("role", ROLE, sql.ColumnArity.REQUIRED, _default("USER"))
ROLES_COLUMN = sql.Column("roles", ROLE, sql.ColumnArity.LIST)


def _render(previous: sql.Schema, next: sql.Schema, live_namespace: str | None = None) -> list[str]:
    changes = diff_schemas(
        previous, next, POSTGRES.capabilities, prisma_steps=True, live_namespace=live_namespace
    )
    return [s for c in changes for s in POSTGRES.render(c)]


def test_a_removed_value_recreates_the_type_and_converts_every_column_through_text() -> None:
    before = _schema(("USER", "ADMIN", "GUEST"), _users(ROLE_COLUMN, ROLES_COLUMN))
    after = _schema(("USER", "ADMIN"), _users(ROLE_COLUMN, ROLES_COLUMN))
    assert _render(before, after, live_namespace="public") == [
        "BEGIN",
        "CREATE TYPE \"Role_new\" AS ENUM ('USER', 'ADMIN')",
        'ALTER TABLE "public"."User" ALTER COLUMN "role" DROP DEFAULT',
        'ALTER TABLE "User" ALTER COLUMN "role" TYPE "Role_new" USING ("role"::text::"Role_new")',
        'ALTER TABLE "User" ALTER COLUMN "roles" TYPE "Role_new"[] USING ("roles"::text::"Role_new"[])',
        'ALTER TYPE "Role" RENAME TO "Role_old"',
        'ALTER TYPE "Role_new" RENAME TO "Role"',
        'DROP TYPE "public"."Role_old"',
        'ALTER TABLE "User" ALTER COLUMN "role" SET DEFAULT \'USER\'',
        "COMMIT",
    ]


def test_added_values_alone_are_added_in_place() -> None:
    before = _schema(("USER",), _users(ROLE_COLUMN))
    after = _schema(("USER", "ADMIN"), _users(ROLE_COLUMN))
    assert _render(before, after) == ["ALTER TYPE \"Role\" ADD VALUE 'ADMIN'"]


def test_columns_that_do_not_exist_yet_are_not_converted_and_dropped_ones_are() -> None:
    """Prisma converts columns it creates later (the script fails) and skips ones it drops later
    (then DROP TYPE fails): we convert exactly the columns that exist when the step runs."""
    before = _schema(("USER", "GUEST"), _users(ROLE_COLUMN))
    added = sql.Column("since", ROLE, sql.ColumnArity.NULLABLE)
    after = _schema(("USER",), _users(added))
    changes = diff_schemas(before, after, POSTGRES.capabilities, prisma_steps=True)
    alter = next(c for c in changes if isinstance(c, ch.AlterEnum))
    assert [(u.table.name, u.column.name) for u in alter.converted] == [("User", "role")]
    assert alter.restored_defaults == ()
    assert [type(c).__name__ for c in changes] == ["AlterEnum", "DropColumn", "AddColumn"]


def test_without_prisma_steps_enum_values_are_left_to_the_caller() -> None:
    before = _schema(("USER", "GUEST"), _users(ROLE_COLUMN))
    after = _schema(("USER",), _users(ROLE_COLUMN))
    assert diff_schemas(before, after, POSTGRES.capabilities) == []


# ── safety ────────────────────────────────────────────────────────────────


def test_a_removed_value_is_destructive_where_rows_hold_it() -> None:
    before = _schema(("USER", "GUEST"), _users(ROLE_COLUMN, ROLES_COLUMN))
    after = _schema(("USER",), _users(ROLE_COLUMN, ROLES_COLUMN))
    changes = diff_schemas(before, after, POSTGRES.capabilities, prisma_steps=True)
    checks = [c for c in plan_checks(list(changes)) if c.code is CheckCode.DROP_ENUM_VALUE]
    ref = sql.TableRef(None, "User")
    assert [(c.risk, c.condition, c.fact) for c in checks] == [
        (Risk.DESTRUCTIVE, Condition.POSITIVE, EnumValueCount(ref, "role", ("GUEST",), False)),
        (Risk.DESTRUCTIVE, Condition.POSITIVE, EnumValueCount(ref, "roles", ("GUEST",), True)),
    ]
    assert fact_queries(checks[0].fact, POSTGRES.quote_identifier).count == (  # type: ignore[arg-type]
        'SELECT COUNT(*) FROM "User" WHERE CAST("role" AS TEXT) IN (\'GUEST\')'
    )
    assert fact_queries(checks[1].fact, POSTGRES.quote_identifier).count == (  # type: ignore[arg-type]
        'SELECT COUNT(*) FROM "User" WHERE CAST("roles" AS TEXT[]) && ARRAY[\'GUEST\']'
    )


def test_added_values_are_safe() -> None:
    before = _schema(("USER",), _users(ROLE_COLUMN))
    after = _schema(("USER", "ADMIN"), _users(ROLE_COLUMN))
    changes = diff_schemas(before, after, POSTGRES.capabilities, prisma_steps=True)
    assert [(c.code, c.risk) for c in plan_checks(list(changes))] == [
        (CheckCode.ADD_ENUM_VALUE, Risk.SAFE)
    ]


# ── RedefineTables ─────────────────────────────────────────────────────────

TEXT = sql.ColumnType(sql.TypeFamily.STRING, "TEXT")
NAME = sql.Column("name", TEXT, sql.ColumnArity.NULLABLE)


def _table(*columns: sql.Column) -> sql.Table:
    return sql.Table("T", (sql.Column("id", INT, sql.ColumnArity.REQUIRED), *columns), KEY)


@pytest.mark.parametrize(
    ("after", "rebuilt"),
    [
        (_table(NAME, sql.Column("nick", TEXT, sql.ColumnArity.NULLABLE)), False),  # optional added
        (_table(NAME, sql.Column("n", INT, sql.ColumnArity.REQUIRED, _default("1"))), True),
        (_table(), True),  # a column dropped
        (_table(sql.Column("name", TEXT, sql.ColumnArity.REQUIRED)), True),  # altered
        (_table(sql.Column("name", INT, sql.ColumnArity.NULLABLE)), True),  # retyped
    ],
)
def test_which_changes_rebuild_a_table(after: sql.Table, rebuilt: bool) -> None:
    assert needs_rebuild(_table(NAME), after) is rebuilt


def test_rebuild_risks_come_from_what_the_copy_cannot_keep() -> None:
    before = sql.Schema(
        tables=(_table(NAME, sql.Column("legacy", TEXT, sql.ColumnArity.NULLABLE)),)
    )
    after = sql.Schema(tables=(_table(sql.Column("name", TEXT, sql.ColumnArity.REQUIRED)),))
    changes = diff_schemas(before, after, SQLITE.capabilities, prisma_steps=True)
    assert [type(c).__name__ for c in changes] == ["RedefineTables"]
    codes = [(c.code, c.risk) for c in plan_checks(list(changes))]
    assert (CheckCode.REDEFINE_DROPS_VALUES, Risk.DESTRUCTIVE) in codes  # legacy
    assert (CheckCode.REDEFINE_OVER_NULLS, Risk.MAY_FAIL) in codes  # name: NULLs copied


def test_foreign_keys_rebuild_a_table_by_what_they_do_not_by_their_name() -> None:
    def fk(name: str | None, on_delete: sql.ReferentialAction) -> sql.ForeignKey:
        return sql.ForeignKey(
            name,
            ("name",),
            sql.TableRef(None, "U"),
            ("id",),
            on_delete,
            sql.ReferentialAction.CASCADE,
        )

    named = sql.Table(
        "T",
        _table(NAME).columns,
        KEY,
        foreign_keys=(fk("T_name_fkey", sql.ReferentialAction.RESTRICT),),
    )
    unnamed = sql.Table(
        "T", _table(NAME).columns, KEY, foreign_keys=(fk(None, sql.ReferentialAction.RESTRICT),)
    )
    cascading = sql.Table(
        "T",
        _table(NAME).columns,
        KEY,
        foreign_keys=(fk("T_name_fkey", sql.ReferentialAction.CASCADE),),
    )
    assert not needs_rebuild(unnamed, named)
    assert needs_rebuild(cascading, named)
    changes = diff_schemas(
        sql.Schema(tables=(unnamed,)),
        sql.Schema(tables=(named,)),
        SQLITE.capabilities,
        prisma_steps=True,
    )
    assert changes == []
