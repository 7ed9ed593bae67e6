"""Splitting migration scripts into statements with their line numbers, per family."""

from __future__ import annotations

from schemamend.db import Family
from schemamend.migrate.split import split_statements


def spans(script: str, family: Family) -> list[tuple[int, int, str]]:
    return [(s.start_line, s.end_line, s.text) for s in split_statements(script, family)]


def test_statements_get_the_lines_of_their_first_and_last_token() -> None:
    script = '-- CreateTable\nCREATE TABLE "a" (\n  "id" INTEGER\n);\n\n-- CreateIndex\nCREATE INDEX "i" ON "a"("id");\n'

    assert spans(script, Family.POSTGRESQL) == [
        (2, 4, 'CREATE TABLE "a" (\n  "id" INTEGER\n)'),
        (7, 7, 'CREATE INDEX "i" ON "a"("id")'),
    ]


def test_semicolons_inside_strings_identifiers_and_comments_do_not_split() -> None:
    script = (
        "CREATE TABLE \"a;b\" (x TEXT DEFAULT 'it''s; fine');\n"
        "/* a; /* nested; */ still comment; */\n"
        "-- not; here\n"
        "SELECT 1;"
    )

    texts = [t for _, _, t in spans(script, Family.POSTGRESQL)]

    assert texts == ["CREATE TABLE \"a;b\" (x TEXT DEFAULT 'it''s; fine')", "SELECT 1"]


def test_postgres_dollar_quotes_and_escape_strings() -> None:
    script = (
        "CREATE FUNCTION f() RETURNS int AS $body$ SELECT 1; $body$ LANGUAGE sql;\n"
        "DO $$ BEGIN PERFORM 1; END $$;\n"
        "SELECT E'a\\';b';\n"
        "SELECT $1;\n"
    )

    texts = [t for _, _, t in spans(script, Family.POSTGRESQL)]

    assert texts == [
        "CREATE FUNCTION f() RETURNS int AS $body$ SELECT 1; $body$ LANGUAGE sql",
        "DO $$ BEGIN PERFORM 1; END $$",
        "SELECT E'a\\';b'",
        "SELECT $1",
    ]


def test_postgres_begin_atomic_bodies_hold_their_semicolons() -> None:
    script = (
        "CREATE FUNCTION g() RETURNS int LANGUAGE sql\nBEGIN ATOMIC\n  SELECT CASE WHEN true THEN 1 END;\n"
        "  SELECT 2;\nEND;\nSELECT 3;"
    )

    assert [(a, b) for a, b, _ in spans(script, Family.POSTGRESQL)] == [(1, 5), (6, 6)]


def test_sqlite_trigger_bodies_are_one_statement() -> None:
    script = (
        'CREATE TRIGGER "t" AFTER INSERT ON "a"\nBEGIN\n  UPDATE "a" SET x = CASE WHEN 1 THEN 2 END;\n'
        '  DELETE FROM "b";\nEND;\nPRAGMA foreign_keys=ON;\n'
    )

    assert [(a, b) for a, b, _ in spans(script, Family.SQLITE)] == [(1, 5), (6, 6)]


def test_mysql_hash_comments_backslash_escapes_and_backticks() -> None:
    script = (
        "# a; comment\nINSERT INTO `t;x` VALUES ('a\\';b', \"c;d\");\n--not-a-comment;\nSELECT 1"
    )

    texts = [t for _, _, t in spans(script, Family.MYSQL)]

    assert texts == ["INSERT INTO `t;x` VALUES ('a\\';b', \"c;d\")", "--not-a-comment", "SELECT 1"]


def test_comment_only_scripts_have_no_statements_and_crlf_keeps_line_numbers() -> None:
    assert split_statements("-- nothing\n/* here */\n", Family.POSTGRESQL) == []
    statements = split_statements("SELECT 1;\r\n\r\nSELECT 2;\r\n", Family.SQLITE)
    assert [(s.start_line, s.text) for s in statements] == [(1, "SELECT 1"), (3, "SELECT 2")]


def test_statement_helpers_describe_lines_and_keywords() -> None:
    first, second = split_statements(
        "CREATE INDEX CONCURRENTLY i ON t (x);\nALTER TABLE t\n  ADD c int;", Family.POSTGRESQL
    )

    assert first.lines == "line 1" and second.lines == "lines 2-3"
    assert first.keywords(3) == ("CREATE", "INDEX", "CONCURRENTLY")
    assert second.summary() == "ALTER TABLE t ADD c int"
