"""Parsing a migration script with a real parser for its dialect, keeping statement lines.

PostgreSQL: pglast (PostgreSQL's own parser); each RawStmt's location is the
character offset of its first token. MySQL and SQLite: sqlglot's tokenizer
(tokens carry their line) and parser, one statement per `;`-separated run.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class ParsedStatement:
    index: int  # 1-based position in the script
    line: int  # 1-based line of the first token
    node: Any  # pglast.ast.Node (PostgreSQL) or sqlglot.exp.Expression (MySQL, SQLite)


@dataclass(frozen=True, slots=True)
class SyntaxProblem:
    line: int
    message: str


@dataclass(frozen=True, slots=True)
class ParsedScript:
    statements: tuple[ParsedStatement, ...]
    problem: SyntaxProblem | None = None  # set: the script does not parse (statements is empty)


class LineIndex:
    """Character offset → 1-based line number."""

    def __init__(self, text: str) -> None:
        self._starts = [0]
        position = text.find("\n")
        while position != -1:
            self._starts.append(position + 1)
            position = text.find("\n", position + 1)

    def line_of(self, offset: int) -> int:
        return bisect.bisect_right(self._starts, offset)


def parse_script(text: str, family: str) -> ParsedScript:
    """Parse `text` for a family ("postgresql", "mysql", "sqlite")."""
    if family == "postgresql":
        return _parse_postgres(text)
    return _parse_sqlglot(text, family)


def _parse_postgres(text: str) -> ParsedScript:
    import pglast
    from pglast.parser import ParseError

    lines = LineIndex(text)
    try:
        raw = pglast.parse_sql(text)
    except ParseError as exc:
        message = str(exc.args[0])
        offset = exc.args[1] if len(exc.args) > 1 and isinstance(exc.args[1], int) else 0
        if message.endswith("at end of input"):
            offset = len(text.rstrip())
        return ParsedScript((), SyntaxProblem(lines.line_of(offset), message))
    statements = tuple(
        ParsedStatement(i, lines.line_of(_first_token(text, r.stmt_location or 0)), r.stmt)
        for i, r in enumerate(raw, start=1)
    )
    return ParsedScript(statements)


def _first_token(text: str, offset: int) -> int:
    """Skip whitespace (PostgreSQL already points past comments; this guards older versions)."""
    while offset < len(text) and text[offset].isspace():
        offset += 1
    return offset


_SQLGLOT_DIALECTS = {"mysql": "mysql", "sqlite": "sqlite"}


def _parse_sqlglot(text: str, family: str) -> ParsedScript:
    from sqlglot import Dialect
    from sqlglot.errors import ParseError, TokenError
    from sqlglot.tokens import TokenType  # type: ignore[attr-defined]

    dialect = Dialect.get_or_raise(_SQLGLOT_DIALECTS.get(family, family))
    try:
        tokens = dialect.tokenize(text)
    except TokenError as exc:
        return ParsedScript((), SyntaxProblem(1, str(exc)))
    chunks: list[list[Any]] = [[]]
    for token in tokens:
        if token.token_type == TokenType.SEMICOLON:
            chunks.append([])
        else:
            chunks[-1].append(token)
    statements: list[ParsedStatement] = []
    for chunk in chunks:
        if not chunk:
            continue
        try:
            expressions = dialect.parser().parse(chunk, text)
        except ParseError as exc:
            errors = exc.errors
            line = int(errors[0].get("line") or chunk[0].line) if errors else chunk[0].line
            return ParsedScript((), SyntaxProblem(line, str(exc).splitlines()[0]))
        for expression in expressions:
            if expression is not None:
                statements.append(ParsedStatement(len(statements) + 1, chunk[0].line, expression))
    return ParsedScript(tuple(statements))
