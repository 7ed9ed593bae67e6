"""Lint rules in detail: live facts change the verdict, lines come from the parser, formats."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import pytest
from click.testing import CliRunner

from schemamend.cli.main import cli
from schemamend.lint import Level, LintSettings, Script, lint_scripts, rule
from schemamend.lint.catalog import TypeSig
from schemamend.lint.facts import RowCount
from schemamend.lint.folder import folder_findings, migration_label
from schemamend.lint.output import github_line, text_line
from schemamend.lint.sql import parse_script
from schemamend.lint.types import type_change_problem


class FakeFacts:
    """A live database in a dict: table -> (rows, nulls per column, duplicate keys)."""

    def __init__(self, rows: dict[str, int], nulls: int = 0, duplicates: int = 0) -> None:
        self._rows = rows
        self._nulls = nulls
        self._duplicates = duplicates

    def exists(self, table: str) -> bool | None:
        return table in self._rows

    def rows(self, table: str) -> RowCount | None:
        return RowCount(self._rows[table]) if table in self._rows else None

    def nulls(self, table: str, column: str) -> int | None:
        return self._nulls if table in self._rows else None

    def duplicates(self, table: str, columns: Sequence[str]) -> int | None:
        return self._duplicates if table in self._rows else None


def findings(
    sql: str, facts: FakeFacts | None = None, family: str = "postgresql"
) -> list[tuple[str, str, int]]:
    settings = LintSettings(family) if facts is None else LintSettings(family, facts)
    return [(f.code, f.level.value, f.line) for f in lint_scripts([Script("m.sql", sql)], settings)]


def messages(sql: str, facts: FakeFacts | None = None) -> list[str]:
    settings = LintSettings() if facts is None else LintSettings(facts=facts)
    return [f.message for f in lint_scripts([Script("m.sql", sql)], settings)]


# -- live facts ---------------------------------------------------------------------------------


def test_required_column_is_an_error_when_the_table_has_rows() -> None:
    sql = 'ALTER TABLE "orders" ADD COLUMN "currency" TEXT NOT NULL;'
    assert findings(sql) == [("SML004", "warning", 1)]
    assert findings(sql, FakeFacts({"orders": 12})) == [("SML004", "error", 1)]
    assert "the table has 12 rows" in messages(sql, FakeFacts({"orders": 12}))[0]


def test_required_column_on_an_empty_table_is_fine() -> None:
    sql = 'ALTER TABLE "orders" ADD COLUMN "currency" TEXT NOT NULL;'
    assert findings(sql, FakeFacts({"orders": 0})) == []


def test_a_table_missing_live_is_created_by_a_pending_migration_and_is_empty() -> None:
    sql = 'ALTER TABLE "orders" ADD COLUMN "currency" TEXT NOT NULL;\nCREATE INDEX "i" ON "orders"("currency");'
    assert findings(sql, FakeFacts({"users": 5})) == []


def test_drop_table_reports_the_row_count() -> None:
    assert messages('DROP TABLE "orders";', FakeFacts({"orders": 1234})) == [
        "drops table `orders` (1,234 rows): its rows are lost"
    ]


def test_unique_index_is_an_error_when_values_repeat_and_silent_when_none_do() -> None:
    sql = 'CREATE UNIQUE INDEX CONCURRENTLY "u" ON "users"("email");'
    assert findings(sql, FakeFacts({"users": 10}, duplicates=3)) == [("SML006", "error", 1)]
    assert findings(sql, FakeFacts({"users": 10}, duplicates=0)) == []
    assert findings(sql) == [("SML006", "warning", 1)]


def test_set_not_null_is_an_error_when_nulls_exist() -> None:
    sql = 'ALTER TABLE "users" ALTER COLUMN "name" SET NOT NULL;'
    assert findings(sql, FakeFacts({"users": 10}, nulls=2)) == [("SML005", "error", 1)]
    assert findings(sql, FakeFacts({"users": 10}, nulls=0)) == []


def test_locking_rules_fire_only_on_large_tables_when_the_size_is_known() -> None:
    sql = (
        'CREATE INDEX "i" ON "orders"("user_id");\n'
        'ALTER TABLE "orders" ADD CONSTRAINT "f" FOREIGN KEY ("user_id") REFERENCES "users"("id");'
    )
    assert findings(sql, FakeFacts({"orders": 50, "users": 1})) == []
    big = FakeFacts({"orders": 2_000_000, "users": 1})
    assert findings(sql, big) == [("SML008", "warning", 1), ("SML007", "warning", 2)]


# -- statements and lines -------------------------------------------------------------------------


def test_lines_are_those_of_each_statements_first_token() -> None:
    sql = "-- héllo\n/* a\n   comment */\n\nDROP TABLE a;   DROP TABLE b;\n\n  DROP\n  TABLE c;"
    assert [s.line for s in parse_script(sql, "postgresql").statements] == [5, 5, 7]
    assert [
        s.line for s in parse_script(sql.replace("/* a\n   comment */", "#\n#"), "mysql").statements
    ] == [5, 5, 7]


def test_semicolons_in_strings_and_dollar_quotes_do_not_split_statements() -> None:
    sql = 'CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql;\nDROP TABLE "a;b";'
    assert findings(sql) == [("SML001", "error", 2)]


def test_a_syntax_error_is_reported_on_its_line() -> None:
    assert findings("SELECT 1;\n\nALTER TABLE x ADD COLUMN;") == [("SML000", "error", 3)]


def test_words_in_comments_and_strings_are_not_statements() -> None:
    sql = "-- DROP TABLE users;\nINSERT INTO notes (body) VALUES ('DROP TABLE users');"
    assert findings(sql) == []


def test_a_table_created_in_the_same_script_is_empty() -> None:
    sql = (
        'CREATE TABLE "t" ("id" INT, "a" TEXT);\n'
        'ALTER TABLE "t" ADD COLUMN "b" TEXT NOT NULL;\n'
        'ALTER TABLE "t" ALTER COLUMN "a" SET NOT NULL;\n'
        'CREATE UNIQUE INDEX "t_a" ON "t"("a");\n'
    )
    assert findings(sql) == []


def test_history_scripts_teach_the_catalog_but_are_not_reported() -> None:
    history = [Script("1.sql", 'CREATE TABLE "t" ("a" VARCHAR(10)); DROP TABLE "x";')]
    target = [Script("2.sql", 'ALTER TABLE "t" ALTER COLUMN "a" TYPE VARCHAR(5);')]
    found = lint_scripts(target, LintSettings(), history)
    assert [(f.file, f.code) for f in found] == [("2.sql", "SML003")]


def test_enum_value_added_then_committed_may_be_used() -> None:
    sql = "BEGIN;\nALTER TYPE \"Role\" ADD VALUE 'X';\nCOMMIT;\nUPDATE users SET role = 'X';"
    assert findings(sql) == []


@pytest.mark.parametrize(
    ("before", "after", "narrowing"),
    [
        (TypeSig("varchar", (20,)), TypeSig("varchar", (10,)), True),
        (TypeSig("varchar", (20,)), TypeSig("varchar", (30,)), False),
        (TypeSig("varchar", (20,)), TypeSig("text"), False),
        (TypeSig("text"), TypeSig("varchar", (255,)), True),
        (TypeSig("int4"), TypeSig("int8"), False),
        (TypeSig("int8"), TypeSig("int2"), True),
        (TypeSig("float8"), TypeSig("float4"), True),
        (TypeSig("numeric", (12, 2)), TypeSig("numeric", (14, 2)), False),
        (TypeSig("numeric", (12, 4)), TypeSig("numeric", (12, 2)), True),
        (TypeSig("text"), TypeSig("int4"), True),
        (TypeSig("jsonb"), TypeSig("text"), False),
        (TypeSig("int4"), TypeSig("int4", (), True), True),
    ],
)
def test_type_changes(before: TypeSig, after: TypeSig, narrowing: bool) -> None:
    assert (type_change_problem(before, after, enum_names=set()) is not None) is narrowing


# -- folder names -------------------------------------------------------------------------------


def test_folder_names() -> None:
    assert migration_label("20240101000000_add_users") == "add_users"
    names = ["20240101000000_init", "20240102_add_x", "20240103000000_add_x", "baseline"]
    found = [(f.code, f.migration) for f in folder_findings(names, {})]
    assert found == [
        ("SML015", "20240102_add_x"),
        ("SML014", "20240103000000_add_x"),
        ("SML015", "baseline"),
    ]


# -- output -------------------------------------------------------------------------------------


def test_text_and_github_formats() -> None:
    [found] = lint_scripts([Script("db/m.sql", "\nDROP TABLE a;")], LintSettings())
    assert text_line(found) == "db/m.sql:2: SML001 error: drops table `a`: its rows are lost"
    assert github_line(found).startswith(
        "::error file=db/m.sql,line=2,title=SML001 drop-table::drops table `a`: its rows are lost. Fix: "
    )


def test_rules_are_found_by_code_or_name() -> None:
    assert rule("SML001") is rule("drop-table")
    assert rule("SML013").level is Level.ERROR


# -- command line -------------------------------------------------------------------------------


def _write(tmp_path: Path, sql: str) -> Path:
    path = tmp_path / "m.sql"
    path.write_text(sql, encoding="utf-8")
    return path


def test_cli_exit_codes(tmp_path: Path) -> None:
    runner = CliRunner()
    clean = runner.invoke(cli, ["lint", str(_write(tmp_path, "SELECT 1;"))])
    assert clean.exit_code == 0, clean.output
    warning = runner.invoke(cli, ["lint", str(_write(tmp_path, "CREATE INDEX i ON t(a);"))])
    assert warning.exit_code == 0
    error = runner.invoke(cli, ["lint", str(_write(tmp_path, "DROP TABLE t;"))])
    assert error.exit_code == 2
    assert "m.sql:1: SML001 error: drops table `t`" in error.output
    missing = runner.invoke(cli, ["lint", str(tmp_path / "nope.sql")])
    assert missing.exit_code == 1


def test_cli_json(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["lint", "--json", str(_write(tmp_path, "DROP TABLE t;"))])
    data = json.loads(result.output)
    assert data["ok"] is False
    assert data["findings"][0]["code"] == "SML001"
    assert data["findings"][0]["line"] == 1
    assert data["findings"][0]["fix"]
