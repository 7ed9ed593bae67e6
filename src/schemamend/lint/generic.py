"""The rules on MySQL and SQLite statements, read from sqlglot's syntax tree.

These databases lock differently from PostgreSQL (MySQL builds most indexes
online; SQLite locks the whole file), so only the rules about data apply:
drops, required columns, unique indexes, renames still declared.

A table rebuilt in place (Prisma's SQLite `RedefineTables`: CREATE TABLE
"new_T", INSERT INTO "new_T" (...) SELECT ... FROM "T", DROP TABLE "T",
ALTER TABLE "new_T" RENAME TO "T") keeps its rows: its DROP TABLE is judged
by the columns the copy leaves behind, not as a dropped table.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlglot import exp

from schemamend.lint.catalog import TypeSig
from schemamend.lint.findings import Finding
from schemamend.lint.postgres import ScriptContext
from schemamend.lint.rules import Level
from schemamend.lint.sql import ParsedStatement

# MySQL and MariaDB add a NOT NULL column without a default by filling existing rows with the
# type's implicit default (no error, even in strict mode); SQLite refuses when the table has rows.
_FILLS_IMPLICIT_DEFAULT = {"mysql": True, "sqlite": False}


class GenericLinter:
    def __init__(self, context: ScriptContext) -> None:
        self.ctx = context
        self._rebuilds: dict[int, _Rebuild] = {}
        self._empty_before_rebuild: set[str] = set()  # rebuilt tables this script created

    def run(self, statements: tuple[ParsedStatement, ...]) -> list[Finding]:
        findings: list[Finding] = []
        self._rebuilds = _rebuilds(statements)
        for statement in statements:
            if self.ctx.linted:
                findings += self._check(statement.node, statement)
            self._record(statement.node, statement.index)
        return findings

    def _check(self, node: Any, statement: ParsedStatement) -> Iterable[Finding]:
        rebuild = self._rebuilds.get(statement.index)
        if rebuild is not None and rebuild.drop == statement.index:
            yield from self._rebuilt(rebuild, statement)
        elif isinstance(node, exp.Drop) and _kind(node) == "TABLE":
            for table in node.args.get("tables") or [node.this]:
                name = _name(table)
                yield self.ctx.finding(
                    "SML001",
                    statement,
                    f"drops table `{name}`{self.ctx.rows_suffix(name)}: its rows are lost",
                )
        elif isinstance(node, exp.Alter) and _kind(node) == "TABLE":
            table = _name(node.this)
            for action in node.args.get("actions") or []:
                yield from self._alter_action(table, action, statement)
        elif isinstance(node, exp.Create) and _kind(node) == "INDEX" and node.args.get("unique"):
            index = node.this
            table = _name(index.args.get("table"))
            params = index.args.get("params")
            columns = [_name(c) for c in (params.args.get("columns") or [])] if params else []
            yield from self._unique(table, _name(index), columns, statement)

    def _rebuilt(self, rebuild: _Rebuild, statement: ParsedStatement) -> Iterable[Finding]:
        """The columns of the rebuilt table that its copy leaves behind lose their values."""
        table = rebuild.table
        known = self.ctx.catalog.tables.get(table) or self.ctx.catalog.live_columns.get(table) or {}
        for column in known:
            if column not in rebuild.copied:
                yield self.ctx.finding(
                    "SML002",
                    statement,
                    f"rebuilds `{table}` without column `{column}`{self.ctx.rows_suffix(table)}: "
                    "its values are lost",
                )

    def _alter_action(
        self, table: str, action: Any, statement: ParsedStatement
    ) -> Iterable[Finding]:
        if isinstance(action, exp.Drop) and _kind(action) == "COLUMN":
            for column in action.args.get("tables") or [action.this]:
                yield self.ctx.finding(
                    "SML002",
                    statement,
                    f"drops column `{table}.{_name(column)}`{self.ctx.rows_suffix(table)}: "
                    "its values are lost",
                )
        elif isinstance(action, exp.ColumnDef):
            yield from self._add_column(table, action, statement)
        elif isinstance(action, exp.AddConstraint):
            for constraint in action.expressions:
                if isinstance(constraint, exp.UniqueColumnConstraint):
                    schema = constraint.this
                    columns = [_name(c) for c in schema.expressions] if schema is not None else []
                    yield from self._unique(table, _name(schema), columns, statement)
        elif isinstance(action, exp.RenameColumn):
            yield from self._rename_column(
                table, _name(action.this), _name(action.args.get("to")), statement
            )
        elif isinstance(action, exp.AlterRename):
            yield from self._rename_table(table, _name(action.this), statement)

    def _add_column(
        self, table: str, column: exp.ColumnDef, statement: ParsedStatement
    ) -> Iterable[Finding]:
        kinds = [c.args.get("kind") for c in column.args.get("constraints") or []]
        required = any(
            isinstance(k, exp.NotNullColumnConstraint) and not k.args.get("allow_null")
            for k in kinds
        )
        filled = any(
            isinstance(
                k,
                exp.DefaultColumnConstraint
                | exp.AutoIncrementColumnConstraint
                | exp.GeneratedAsIdentityColumnConstraint,
            )
            for k in kinds
        )
        if not required or filled or not _existing(self.ctx, table):
            return
        rows = self.ctx.facts.rows(table)
        if rows is not None and rows.count == 0:
            return
        where = f"adds required column `{table}.{_name(column)}` without a default"
        if _FILLS_IMPLICIT_DEFAULT.get(self.ctx.family, False):
            count = f"the table's {rows.words()}" if rows else "existing rows"
            message = f"{where}: {count} get the type's implicit default ('' or 0), silently"
            yield self.ctx.finding("SML004", statement, message)
        elif rows is not None:
            message = f"{where}, but the table has {rows.words()}"
            yield self.ctx.finding("SML004", statement, message, level=Level.ERROR)
        else:
            yield self.ctx.finding("SML004", statement, f"{where}: fails if the table has rows")

    def _unique(
        self, table: str, name: str, columns: list[str], statement: ParsedStatement
    ) -> Iterable[Finding]:
        if not _existing(self.ctx, table):
            return
        duplicates = self.ctx.facts.duplicates(table, columns)
        where = f"`{table}` ({', '.join(columns)})"
        if duplicates:
            yield self.ctx.finding(
                "SML006",
                statement,
                f"adds unique index `{name}` on {where}, but {duplicates:,} value(s) repeat",
                level=Level.ERROR,
            )
        elif duplicates is None:
            yield self.ctx.finding(
                "SML006",
                statement,
                f"adds unique index `{name}` on {where}: fails if existing values repeat",
            )

    def _rename_table(self, table: str, new: str, statement: ParsedStatement) -> Iterable[Finding]:
        declared = self.ctx.declared
        if declared is not None and table in declared.tables and new not in declared.tables:
            yield self.ctx.finding(
                "SML010",
                statement,
                f"renames table `{table}` to `{new}`, but the declared schema still maps a model to `{table}`",
            )

    def _rename_column(
        self, table: str, old: str, new: str, statement: ParsedStatement
    ) -> Iterable[Finding]:
        declared = self.ctx.declared
        columns = declared.tables.get(table, frozenset()) if declared is not None else frozenset()
        if old in columns and new not in columns:
            yield self.ctx.finding(
                "SML010",
                statement,
                f"renames column `{table}.{old}` to `{new}`, but the declared schema still uses `{old}`",
            )

    def _record(self, node: Any, index: int = 0) -> None:
        catalog = self.ctx.catalog
        if isinstance(node, exp.Create) and _kind(node) == "TABLE":
            target = node.this
            table = target.this if isinstance(target, exp.Schema) else target
            columns = target.expressions if isinstance(target, exp.Schema) else []
            catalog.create_table(
                _name(table),
                {_name(c): _signature(c) for c in columns if isinstance(c, exp.ColumnDef)},
            )
        elif isinstance(node, exp.Drop) and _kind(node) == "TABLE":
            for table in node.args.get("tables") or [node.this]:
                if index in self._rebuilds and catalog.is_new(_name(table)):
                    self._empty_before_rebuild.add(_name(table))
                catalog.drop_table(_name(table))
        elif isinstance(node, exp.Alter):
            table = _name(node.this)
            for action in node.args.get("actions") or []:
                if isinstance(action, exp.AlterRename):
                    catalog.rename_table(table, _name(action.this))
                    rebuild = self._rebuilds.get(index)
                    rebuilt = _name(action.this)
                    copied_rows = rebuild is not None and rebuild.rename == index
                    if copied_rows and rebuilt not in self._empty_before_rebuild:
                        catalog.new_tables.discard(rebuilt)  # it holds the copied rows
                elif isinstance(action, exp.ColumnDef):
                    catalog.set_column(table, _name(action), _signature(action))
                elif isinstance(action, exp.Drop) and _kind(action) == "COLUMN":
                    for column in action.args.get("tables") or [action.this]:
                        catalog.drop_column(table, _name(column))
                elif isinstance(action, exp.RenameColumn):
                    catalog.rename_column(table, _name(action.this), _name(action.args.get("to")))


@dataclass(frozen=True, slots=True)
class _Rebuild:
    """A table rebuilt in place: the statements that drop it and rename its copy, and the
    columns the copy's INSERT ... SELECT fills from it."""

    table: str
    drop: int  # statement index of DROP TABLE
    rename: int  # statement index of ALTER TABLE <copy> RENAME TO <table>
    copied: frozenset[str]


def _rebuilds(statements: tuple[ParsedStatement, ...]) -> dict[int, _Rebuild]:
    """Rebuilds in the script, by the index of their DROP TABLE and of their RENAME.

    A rebuild: a table created in the script, filled by INSERT INTO it ... SELECT ... FROM the
    old table, the old table dropped, the new one renamed to the old name.
    """
    created: set[str] = set()
    copies: dict[tuple[str, str], frozenset[str]] = {}  # (copy, source) -> copied columns
    drops: dict[str, int] = {}
    found: dict[int, _Rebuild] = {}
    for statement in statements:
        node = statement.node
        if isinstance(node, exp.Create) and _kind(node) == "TABLE":
            target = node.this
            created.add(_name(target.this if isinstance(target, exp.Schema) else target))
        elif isinstance(node, exp.Insert) and isinstance(node.this, exp.Schema):
            select = node.expression
            source = None
            if isinstance(select, exp.Select):
                source = select.args.get("from_") or select.args.get("from")
            if source is not None:
                columns = frozenset(_name(c) for c in node.this.expressions)
                copies[(_name(node.this.this), _name(source.this))] = columns
        elif isinstance(node, exp.Drop) and _kind(node) == "TABLE":
            tables = node.args.get("tables") or [node.this]
            if len(tables) == 1:
                drops[_name(tables[0])] = statement.index
        elif isinstance(node, exp.Alter):
            copy = _name(node.this)
            for action in node.args.get("actions") or []:
                if not isinstance(action, exp.AlterRename):
                    continue
                table = _name(action.this)
                copied = copies.get((copy, table))
                if copy in created and table in drops and copied is not None:
                    rebuild = _Rebuild(table, drops.pop(table), statement.index, copied)
                    found[rebuild.drop] = found[rebuild.rename] = rebuild
    return found


def _signature(column: exp.ColumnDef) -> TypeSig:
    kind = column.args.get("kind")
    return TypeSig(kind.sql(dialect="sqlite").lower() if kind is not None else "")


def _kind(node: exp.Expression) -> str:
    return str(node.args.get("kind") or "").upper()


def _name(node: Any) -> str:
    if node is None:
        return ""
    if isinstance(node, exp.Expression):
        return str(node.name)
    return str(node)


def _existing(ctx: ScriptContext, table: str) -> bool:
    """Whether the table may hold rows: not created by this script, and live if we can tell."""
    return not ctx.catalog.is_new(table) and ctx.facts.exists(table) is not False
