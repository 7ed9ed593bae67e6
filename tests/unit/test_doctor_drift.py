"""Sorting drift for people, and the facts about a migrations folder (no database)."""

from __future__ import annotations

from pathlib import Path

from schemamend.dialects.registry import dialect_for
from schemamend.migrate import history_check
from schemamend.migrate.drift import compare
from schemamend.migrate.folder import MigrationScript, MigrationsFolder
from schemamend.model import sql

PG = dialect_for("postgresql").capabilities
TEXT = sql.ColumnType(sql.TypeFamily.STRING, "TEXT")
INT = sql.ColumnType(sql.TypeFamily.INT, "INTEGER")


def _col(
    name: str, kind: sql.ColumnType = TEXT, required: bool = True, default: str | None = None
) -> sql.Column:
    value = (
        sql.ColumnDefault(sql.DefaultKind.VALUE, sql.Literal(sql.LiteralKind.NUMBER, default))
        if default is not None
        else None
    )
    arity = sql.ColumnArity.REQUIRED if required else sql.ColumnArity.NULLABLE
    return sql.Column(name, kind, arity, value)


def _table(name: str, *columns: sql.Column, indexes: tuple[sql.Index, ...] = ()) -> sql.Table:
    pk = sql.PrimaryKey(f"{name}_pkey", (sql.IndexColumn("id"),))
    return sql.Table(name, (_col("id"), *columns), pk, indexes)


def _folder(*names: str, texts: dict[str, str] | None = None) -> MigrationsFolder:
    texts = texts or {}
    scripts = tuple(
        MigrationScript(n, Path(n) / "migration.sql", texts.get(n, "SELECT 1;").encode())
        for n in names
    )
    return MigrationsFolder(Path("migrations"), "postgresql", scripts)


def test_missing_different_and_extra_are_sorted_apart() -> None:
    index = sql.Index("users_email_key", sql.IndexKind.UNIQUE, (sql.IndexColumn("email"),))
    declared = sql.Schema(
        enums=(sql.EnumType("Role", ("A", "B", "C")),),
        tables=(
            _table("users", _col("email"), _col("age", INT, default="0"), indexes=(index,)),
            _table("projects", _col("title")),
        ),
    )
    live = sql.Schema(
        enums=(sql.EnumType("Role", ("A", "B", "Z")),),
        tables=(
            _table("users", _col("age", INT, required=False, default="0.00"), _col("fax")),
            _table("legacy"),
        ),
    )
    drift = compare(live, declared, PG)
    assert [f.label() for f in drift.missing] == [
        "table projects",
        "column users.email",
        "enum value Role.C",
        "unique users_email_key on users",
    ]
    (difference,) = drift.different
    assert [(a.name, a.declared, a.live) for a in difference.aspects] == [
        ("nullability", "NOT NULL", "NULL")
    ]
    assert [f.label() for f in drift.extra] == [
        "table legacy",
        "column users.fax",
        "enum value Role.Z",
    ]
    assert not drift.in_sync


def test_an_index_with_the_same_name_and_other_columns_is_different_not_missing() -> None:
    declared_index = sql.Index(
        "t_a_idx", sql.IndexKind.NORMAL, (sql.IndexColumn("a"), sql.IndexColumn("b"))
    )
    live_index = sql.Index("t_a_idx", sql.IndexKind.NORMAL, (sql.IndexColumn("a"),))
    declared = sql.Schema(tables=(_table("t", _col("a"), _col("b"), indexes=(declared_index,)),))
    live = sql.Schema(tables=(_table("t", _col("a"), _col("b"), indexes=(live_index,)),))
    drift = compare(live, declared, PG)
    assert drift.missing == [] and drift.extra == []
    (difference,) = drift.different
    assert difference.aspects[0].name == "columns"
    assert (difference.aspects[0].declared, difference.aspects[0].live) == ("(a, b)", "(a)")


def test_identical_schemas_have_no_drift() -> None:
    schema = sql.Schema(tables=(_table("t", _col("a")),))
    drift = compare(schema, schema, PG)
    assert drift.in_sync and drift.extra == [] and drift.changes == ()


def test_short_timestamps_and_free_names_are_nonstandard() -> None:
    folder = _folder("20251108_add_x", "20251108093000_later", "init")
    issues = {i.name: i.problem for i in history_check.nonstandard_names(folder)}
    assert set(issues) == {"20251108_add_x", "init"}
    assert "8 digits" in issues["20251108_add_x"]
    assert "`20251108093000_later`" in issues["20251108_add_x"]


def test_duplicate_names_ignore_the_timestamp() -> None:
    folder = _folder("20251109190000_fix", "20251116132708_fix", "20251117000000_other")
    (duplicate,) = history_check.duplicate_names(folder)
    assert duplicate.suffix == "fix"
    assert duplicate.folders == ("20251109190000_fix", "20251116132708_fix")


def test_created_tables_reads_create_and_rename_statements() -> None:
    texts = {
        "1_a": '-- CreateTable\nCREATE TABLE "users" (id TEXT);\nCREATE TABLE IF NOT EXISTS public."plans" (id TEXT);',
        "2_b": 'ALTER TABLE "plans" RENAME TO "customer_plans";\nALTER TABLE "users" ADD COLUMN x INT;',
    }
    created = history_check.created_tables(_folder("1_a", "2_b", texts=texts))
    assert created == {"users": "1_a", "plans": "1_a", "customer_plans": "2_b"}
