"""The missing-object rule: history replayed from empty in a shadow database.

The replay itself is `migrate.shadow.replay`; this module turns its first
failure into a finding, naming the tables the failing statement refers to
that the replay had not created by then.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from schemamend.lint.findings import Finding, finding
from schemamend.lint.rules import rule
from schemamend.lint.sql import parse_script


def missing_object_finding(
    migration: str,
    file: str,
    line: int,
    statement_text: str,
    db_message: str,
    existing_tables: Collection[str],
    family: str,
) -> Finding:
    """SML013 for the statement where the replay from empty stopped."""
    missing = [t for t in referenced_tables(statement_text, family) if t not in existing_tables]
    if missing:
        names = ", ".join(f"`{t}`" for t in missing)
        message = (
            f"`{migration}` references {names}, which no earlier migration creates "
            f"(replayed from empty: {db_message})"
        )
    else:
        message = f"replayed from empty, `{migration}` fails here: {db_message}"
    return finding(rule("SML013"), file, line, message, migration=migration)


def referenced_tables(statement_text: str, family: str) -> list[str]:
    """Tables a statement names (in order, once each), from the parser's tree."""
    parsed = parse_script(statement_text, family)
    names: list[str] = []
    for statement in parsed.statements:
        for name in _table_names(statement.node, family):
            if name not in names:
                names.append(name)
    return names


def _table_names(node: Any, family: str) -> list[str]:
    if family == "postgresql":
        from pglast import ast
        from pglast.visitors import Visitor

        found: list[str] = []

        class Relations(Visitor):
            def visit_RangeVar(self, ancestors: Any, range_var: ast.RangeVar) -> None:
                found.append(str(range_var.relname))

        Relations()(node)
        return found
    from sqlglot import exp

    return [str(t.name) for t in node.find_all(exp.Table)]
