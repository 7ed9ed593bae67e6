"""The rules on PostgreSQL statements, read from pglast's syntax tree (never from text).

One `PostgresLinter` per script: it walks the statements in order, asks the
rules about each, then records the statement's effect in the catalog, so a
later statement sees the tables and types an earlier one created.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from pglast import ast
from pglast.enums import AlterTableType, ConstrType, ObjectType, TransactionStmtKind
from pglast.visitors import Visitor

from schemamend.lint.catalog import Catalog, TypeSig
from schemamend.lint.facts import Facts
from schemamend.lint.findings import Finding, finding
from schemamend.lint.rules import LOCKING_ROWS, Level, rule
from schemamend.lint.sql import ParsedStatement
from schemamend.lint.types import type_change_problem


@dataclass(frozen=True)
class DeclaredNames:
    """Tables and their columns as the declared schema names them in the database."""

    tables: dict[str, frozenset[str]]


@dataclass
class ScriptContext:
    file: str
    migration: str | None
    catalog: Catalog
    facts: Facts
    declared: DeclaredNames | None
    linted: bool  # False: the script only feeds the catalog (history before the linted ones)
    family: str = "postgresql"
    statement_count: int = 0

    def finding(
        self, code: str, statement: ParsedStatement, message: str, level: Level | None = None
    ) -> Finding:
        return finding(
            rule(code), self.file, statement.line, message, level=level, migration=self.migration
        )

    def rows_suffix(self, table: str) -> str:
        """` (N rows)` where the live row count is known, else nothing."""
        rows = self.facts.rows(table)
        return f" ({rows.words()})" if rows is not None else ""


@dataclass
class _Transaction:
    explicit: bool = False  # inside BEGIN ... COMMIT written in the script
    added_values: dict[str, str] = field(default_factory=dict)  # new enum value -> type name


Check = Callable[[Any, ParsedStatement], Iterable[Finding]]


class PostgresLinter:
    def __init__(self, context: ScriptContext) -> None:
        self.ctx = context
        self.tx = _Transaction()
        self._checks: dict[type, Check] = {
            ast.DropStmt: self._drop,
            ast.AlterTableStmt: self._alter_table,
            ast.IndexStmt: self._index,
            ast.RenameStmt: self._rename,
        }

    def run(self, statements: tuple[ParsedStatement, ...]) -> list[Finding]:
        self.ctx.statement_count = sum(
            1 for s in statements if not isinstance(s.node, ast.TransactionStmt)
        )
        findings: list[Finding] = []
        for statement in statements:
            node = statement.node
            if self.ctx.linted:
                findings += self._missing_tables(node, statement)
                findings += self._uses_new_enum_value(node, statement)
                check = self._checks.get(type(node))
                if check is not None:
                    findings += check(node, statement)
            self._transaction(node)
            self._record(node)
        return findings

    # -- helpers -----------------------------------------------------------------------------

    def _existing(self, table: str) -> bool:
        """Whether the table may hold rows: not created by this script, and live if we can tell."""
        return not self.ctx.catalog.is_new(table) and self.ctx.facts.exists(table) is not False

    def _is_small(self, table: str) -> bool:
        """Known (with --url) to be below the size where a lock matters."""
        rows = self.ctx.facts.rows(table)
        return rows is not None and rows.count < LOCKING_ROWS

    # -- rules -------------------------------------------------------------------------------

    def _drop(self, node: ast.DropStmt, statement: ParsedStatement) -> Iterable[Finding]:
        if node.concurrent:
            yield from self._concurrently(statement)
        if node.removeType != ObjectType.OBJECT_TABLE:
            return
        for names in node.objects or ():
            table = _last_name(names)
            yield self.ctx.finding(
                "SML001",
                statement,
                f"drops table `{table}`{self.ctx.rows_suffix(table)}: its rows are lost",
            )

    def _alter_table(
        self, node: ast.AlterTableStmt, statement: ParsedStatement
    ) -> Iterable[Finding]:
        if node.objtype != ObjectType.OBJECT_TABLE:
            return
        table = _rel(node.relation)
        for cmd in node.cmds or ():
            yield from self._alter_table_cmd(table, cmd, statement)

    def _alter_table_cmd(
        self, table: str, cmd: ast.AlterTableCmd, statement: ParsedStatement
    ) -> Iterable[Finding]:
        subtype = cmd.subtype
        if subtype == AlterTableType.AT_DropColumn:
            yield self.ctx.finding(
                "SML002",
                statement,
                f"drops column `{table}.{cmd.name}`{self.ctx.rows_suffix(table)}: its values are lost",
            )
        elif subtype == AlterTableType.AT_AddColumn and isinstance(cmd.def_, ast.ColumnDef):
            yield from self._add_column(table, cmd.def_, statement)
        elif subtype == AlterTableType.AT_SetNotNull and self._existing(table):
            yield from self._set_not_null(table, _str(cmd.name), statement)
        elif subtype == AlterTableType.AT_AlterColumnType and isinstance(cmd.def_, ast.ColumnDef):
            yield from self._alter_type(table, _str(cmd.name), cmd.def_, statement)
        elif subtype == AlterTableType.AT_AddConstraint and isinstance(cmd.def_, ast.Constraint):
            yield from self._add_constraint(table, cmd.def_, statement)
        elif subtype == AlterTableType.AT_AddIndex and isinstance(cmd.def_, ast.IndexStmt):
            yield from self._index(cmd.def_, statement)

    def _add_column(
        self, table: str, column: ast.ColumnDef, statement: ParsedStatement
    ) -> Iterable[Finding]:
        if not _is_required_without_default(column) or not self._existing(table):
            return
        rows = self.ctx.facts.rows(table)
        if rows is not None and rows.count == 0:
            return
        if rows is None:
            yield self.ctx.finding(
                "SML004",
                statement,
                f"adds required column `{table}.{column.colname}` without a default: "
                "fails if the table has rows",
            )
        else:
            yield self.ctx.finding(
                "SML004",
                statement,
                f"adds required column `{table}.{column.colname}` without a default, "
                f"but the table has {rows.words()}",
                level=Level.ERROR,
            )

    def _set_not_null(
        self, table: str, column: str, statement: ParsedStatement
    ) -> Iterable[Finding]:
        nulls = self.ctx.facts.nulls(table, column)
        if nulls:
            yield self.ctx.finding(
                "SML005",
                statement,
                f"sets `{table}.{column}` NOT NULL, but {nulls:,} row(s) hold NULL",
                level=Level.ERROR,
            )
        elif nulls is None or not self._is_small(table):
            yield self.ctx.finding(
                "SML005",
                statement,
                f"sets `{table}.{column}` NOT NULL: fails on NULLs, scans the table under lock",
            )

    def _alter_type(
        self, table: str, column: str, definition: ast.ColumnDef, statement: ParsedStatement
    ) -> Iterable[Finding]:
        catalog = self.ctx.catalog
        before = catalog.column_type(table, column)
        if definition.typeName is None:
            return
        after = type_sig(definition.typeName)
        if before is None or not self._existing(table):
            return
        if before.name in catalog.enums and after.name in catalog.enums:
            removed = [v for v in catalog.enums[before.name] if v not in catalog.enums[after.name]]
            if removed:
                values = ", ".join(f"'{v}'" for v in removed)
                yield self.ctx.finding(
                    "SML011",
                    statement,
                    f"changes `{table}.{column}` from enum `{before.name}` to `{after.name}`, "
                    f"which drops {values}",
                )
            return
        problem = type_change_problem(before, after, enum_names=set(catalog.enums))
        if problem is not None:
            yield self.ctx.finding(
                "SML003",
                statement,
                f"changes `{table}.{column}` from {before} to {after}: {problem}",
            )

    def _add_constraint(
        self, table: str, constraint: ast.Constraint, statement: ParsedStatement
    ) -> Iterable[Finding]:
        if not self._existing(table):
            return
        if constraint.contype == ConstrType.CONSTR_FOREIGN and not constraint.skip_validation:
            if not self._is_small(table):
                yield self.ctx.finding(
                    "SML007",
                    statement,
                    f"adds foreign key `{constraint.conname or '?'}` on `{table}`"
                    f"{self.ctx.rows_suffix(table)} without NOT VALID: every row is checked under lock",
                )
        elif constraint.contype in (ConstrType.CONSTR_UNIQUE, ConstrType.CONSTR_PRIMARY):
            if constraint.indexname:  # USING INDEX: the index already exists and was checked
                return
            columns = [_string(k) for k in constraint.keys or ()]
            yield from self._unique(table, constraint.conname, columns, statement)

    def _unique(
        self, table: str, name: str | None, columns: list[str], statement: ParsedStatement
    ) -> Iterable[Finding]:
        label = f"`{name}` " if name else ""
        where = f"`{table}` ({', '.join(columns)})"
        duplicates = self.ctx.facts.duplicates(table, columns)
        if duplicates:
            yield self.ctx.finding(
                "SML006",
                statement,
                f"adds unique index {label}on {where}, but {duplicates:,} value(s) repeat",
                level=Level.ERROR,
            )
        elif duplicates is None:
            yield self.ctx.finding(
                "SML006",
                statement,
                f"adds unique index {label}on {where}: fails if existing values repeat",
            )

    def _index(self, node: ast.IndexStmt, statement: ParsedStatement) -> Iterable[Finding]:
        table = _rel(node.relation)
        if node.concurrent:
            yield from self._concurrently(statement)
        if not self._existing(table):
            return
        if node.unique:
            columns = [
                p.name for p in node.indexParams or () if isinstance(p, ast.IndexElem) and p.name
            ]
            yield from self._unique(table, node.idxname, columns, statement)
        if not node.concurrent and not self._is_small(table):
            yield self.ctx.finding(
                "SML008",
                statement,
                f"creates index `{node.idxname or '?'}` on `{table}`{self.ctx.rows_suffix(table)} "
                "without CONCURRENTLY: writes are blocked while it builds",
            )

    def _concurrently(self, statement: ParsedStatement) -> Iterable[Finding]:
        if self.tx.explicit:
            yield self.ctx.finding(
                "SML009",
                statement,
                "runs CONCURRENTLY inside BEGIN ... COMMIT: PostgreSQL refuses it",
            )
        elif self.ctx.statement_count > 1:
            yield self.ctx.finding(
                "SML009",
                statement,
                "runs CONCURRENTLY in a script with other statements: Prisma runs such a script "
                "as one transaction, which PostgreSQL refuses",
                level=Level.WARNING,
            )

    def _rename(self, node: ast.RenameStmt, statement: ParsedStatement) -> Iterable[Finding]:
        declared = self.ctx.declared
        if declared is None or node.relation is None:
            return
        table = _rel(node.relation)
        new = _str(node.newname)
        if node.renameType == ObjectType.OBJECT_TABLE:
            if table in declared.tables and new not in declared.tables:
                yield self.ctx.finding(
                    "SML010",
                    statement,
                    f"renames table `{table}` to `{node.newname}`, but the declared schema "
                    f"still maps a model to `{table}`",
                )
        elif node.renameType == ObjectType.OBJECT_COLUMN:
            columns = declared.tables.get(table, frozenset())
            if node.subname in columns and new not in columns:
                yield self.ctx.finding(
                    "SML010",
                    statement,
                    f"renames column `{table}.{node.subname}` to `{node.newname}`, but the "
                    f"declared schema still uses `{node.subname}`",
                )

    def _missing_tables(self, node: Any, statement: ParsedStatement) -> Iterable[Finding]:
        catalog = self.ctx.catalog
        if not catalog.complete:
            return
        missing = [t for t in _required_tables(node) if not catalog.knows_table(t)]
        for table in missing:
            catalog.assume_table(table)
        if missing:
            names = ", ".join(f"`{t}`" for t in dict.fromkeys(missing))
            where = f"`{self.ctx.migration}`" if self.ctx.migration else "this script"
            yield self.ctx.finding(
                "SML013",
                statement,
                f"{where} references {names}, which no earlier migration creates",
            )

    def _uses_new_enum_value(self, node: Any, statement: ParsedStatement) -> Iterable[Finding]:
        if not self.tx.added_values or isinstance(node, ast.AlterEnumStmt):
            return
        collector = _StringConstants()
        collector(node)
        for value in sorted(collector.found & set(self.tx.added_values)):
            yield self.ctx.finding(
                "SML012",
                statement,
                f"uses enum value '{value}' added to `{self.tx.added_values[value]}` "
                "in the same transaction: PostgreSQL refuses it until the ADD VALUE commits",
            )

    # -- effects -----------------------------------------------------------------------------

    def _transaction(self, node: Any) -> None:
        if isinstance(node, ast.TransactionStmt):
            if node.kind in (
                TransactionStmtKind.TRANS_STMT_BEGIN,
                TransactionStmtKind.TRANS_STMT_START,
            ):
                self.tx.explicit = True
            elif node.kind in (
                TransactionStmtKind.TRANS_STMT_COMMIT,
                TransactionStmtKind.TRANS_STMT_ROLLBACK,
            ):
                self.tx = _Transaction()
        elif isinstance(node, ast.AlterEnumStmt) and node.newVal and not node.oldVal:
            self.tx.added_values[node.newVal] = _last_name(node.typeName)

    def _record(self, node: Any) -> None:
        record_effect(self.ctx.catalog, node)


_OPAQUE = (ast.DoStmt, ast.CallStmt)


def record_effect(catalog: Catalog, node: Any) -> None:
    """Apply one statement's effect on tables, columns and enum types to the catalog."""
    if isinstance(node, ast.CreateStmt):
        columns = {
            e.colname: type_sig(e.typeName)
            for e in node.tableElts or ()
            if isinstance(e, ast.ColumnDef) and e.colname and e.typeName is not None
        }
        catalog.create_table(_rel(node.relation), columns)
    elif isinstance(node, ast.CreateTableAsStmt) and node.into is not None:
        catalog.create_table(_rel(node.into.rel), {})
    elif isinstance(node, ast.ViewStmt):
        catalog.create_table(_rel(node.view), {})
    elif isinstance(node, _OPAQUE) or (isinstance(node, ast.CreateSchemaStmt) and node.schemaElts):
        catalog.complete = False  # may create anything: absence is no longer a fact
    elif isinstance(node, ast.DropStmt):
        _record_drop(catalog, node)
    elif isinstance(node, ast.AlterTableStmt) and node.objtype == ObjectType.OBJECT_TABLE:
        for cmd in node.cmds or ():
            _record_alter(catalog, _rel(node.relation), cmd)
    elif isinstance(node, ast.RenameStmt):
        _record_rename(catalog, node)
    elif isinstance(node, ast.CreateEnumStmt):
        catalog.create_enum(_last_name(node.typeName), tuple(_string(v) for v in node.vals or ()))
    elif isinstance(node, ast.AlterEnumStmt) and node.newVal:
        name = _last_name(node.typeName)
        if node.oldVal:
            catalog.rename_enum_value(name, node.oldVal, node.newVal)
        else:
            catalog.add_enum_value(name, node.newVal)


def _record_drop(catalog: Catalog, node: ast.DropStmt) -> None:
    for names in node.objects or ():
        if node.removeType == ObjectType.OBJECT_TABLE:
            catalog.drop_table(_last_name(names))
        elif node.removeType == ObjectType.OBJECT_TYPE and isinstance(names, ast.TypeName):
            catalog.drop_enum(_last_name(names.names))


def _record_alter(catalog: Catalog, table: str, cmd: ast.AlterTableCmd) -> None:
    if cmd.subtype in (AlterTableType.AT_AddColumn, AlterTableType.AT_AlterColumnType):
        definition = cmd.def_
        if isinstance(definition, ast.ColumnDef) and definition.typeName is not None:
            catalog.set_column(
                table, _str(definition.colname or cmd.name), type_sig(definition.typeName)
            )
    elif cmd.subtype == AlterTableType.AT_DropColumn:
        catalog.drop_column(table, _str(cmd.name))


def _record_rename(catalog: Catalog, node: ast.RenameStmt) -> None:
    if node.renameType == ObjectType.OBJECT_TABLE and node.relation is not None:
        catalog.rename_table(_rel(node.relation), _str(node.newname))
    elif node.renameType == ObjectType.OBJECT_COLUMN and node.relation is not None:
        catalog.rename_column(_rel(node.relation), _str(node.subname), _str(node.newname))
    elif node.renameType == ObjectType.OBJECT_TYPE and node.object is not None:
        catalog.rename_enum(_last_name(node.object), _str(node.newname))


# -- syntax-tree helpers ---------------------------------------------------------------------


def _required_tables(node: Any) -> list[str]:
    """Tables a DDL statement needs to exist already (unqualified or in `public`)."""
    refs: list[ast.RangeVar | None] = []
    own: str | None = None
    if isinstance(node, ast.CreateStmt):
        own = _rel(node.relation)
        for element in node.tableElts or ():
            constraints = element.constraints if isinstance(element, ast.ColumnDef) else (element,)
            refs += [c.pktable for c in constraints or () if _is_foreign_key(c)]
    elif isinstance(node, ast.AlterTableStmt) and node.objtype == ObjectType.OBJECT_TABLE:
        if not node.missing_ok:
            refs.append(node.relation)
        refs += [
            c.def_.pktable
            for c in node.cmds or ()
            if c.subtype == AlterTableType.AT_AddConstraint and _is_foreign_key(c.def_)
        ]
    elif isinstance(node, ast.IndexStmt) or (
        isinstance(node, ast.RenameStmt) and not node.missing_ok
    ):
        refs.append(node.relation)
    return [
        _rel(r)
        for r in refs
        if r is not None and r.schemaname in (None, "public") and _rel(r) != own
    ]


def _is_foreign_key(node: Any) -> bool:
    return (
        isinstance(node, ast.Constraint)
        and node.contype == ConstrType.CONSTR_FOREIGN
        and node.pktable is not None
    )


def type_sig(type_name: ast.TypeName) -> TypeSig:
    mods = tuple(
        m.val.ival
        for m in type_name.typmods or ()
        if isinstance(m, ast.A_Const) and isinstance(m.val, ast.Integer) and m.val.ival is not None
    )
    return TypeSig(_last_name(type_name.names), mods, bool(type_name.arrayBounds))


def _is_required_without_default(column: ast.ColumnDef) -> bool:
    kinds = {c.contype for c in column.constraints or () if isinstance(c, ast.Constraint)}
    required = column.is_not_null or bool(
        kinds & {ConstrType.CONSTR_NOTNULL, ConstrType.CONSTR_PRIMARY}
    )
    filled = kinds & {
        ConstrType.CONSTR_DEFAULT,
        ConstrType.CONSTR_IDENTITY,
        ConstrType.CONSTR_GENERATED,
    }
    serial = column.typeName is not None and _last_name(column.typeName.names) in _SERIALS
    return required and not filled and not serial


_SERIALS = frozenset({"serial", "serial2", "serial4", "serial8", "smallserial", "bigserial"})


def _last_name(names: Any) -> str:
    if isinstance(names, ast.TypeName):
        names = names.names
    if isinstance(names, ast.String):
        return str(names.sval)
    parts = [n for n in names or () if isinstance(n, ast.String)]
    return str(parts[-1].sval) if parts else ""


def _rel(range_var: ast.RangeVar | None) -> str:
    return str(range_var.relname) if range_var is not None and range_var.relname else ""


def _str(value: str | None) -> str:
    return value or ""


def _string(node: Any) -> str:
    return str(node.sval) if isinstance(node, ast.String) else str(node)


class _StringConstants(Visitor):
    def __init__(self) -> None:
        self.found: set[str] = set()

    def visit_A_Const(self, ancestors: Any, node: ast.A_Const) -> None:
        if isinstance(node.val, ast.String):
            self.found.add(str(node.val.sval))
