"""Changes → SQLite statements, in Prisma Migrate's layout.

SQLite writes foreign keys inside CREATE TABLE, and a single-column primary
key on its column (`INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from schemamend.dialects.base import Deviation
from schemamend.dialects.base import UnsupportedChangeError as UnsupportedChangeError
from schemamend.dialects.literals import sql_datetime
from schemamend.dialects.sqlite.quoting import quote_identifier as quote_identifier
from schemamend.dialects.sqlite.quoting import quote_string as quote_string
from schemamend.diff import changes as ch
from schemamend.model import sql

if TYPE_CHECKING:  # repair steps (see the repair section at the end)
    from schemamend.safety.steps import RepairRenderable

INDENT = "    "

ACTIONS = {
    sql.ReferentialAction.CASCADE: "CASCADE",
    sql.ReferentialAction.RESTRICT: "RESTRICT",
    sql.ReferentialAction.NO_ACTION: "NO ACTION",
    sql.ReferentialAction.SET_NULL: "SET NULL",
    sql.ReferentialAction.SET_DEFAULT: "SET DEFAULT",
}

DEVIATIONS = (
    Deviation(
        "sqlite-json-default",
        'Json @default("..."): Prisma writes the JSON text unquoted (`DEFAULT {}`), which SQLite '
        "rejects; we write it as a string literal (`DEFAULT '{}'`).",
    ),
)


def literal(value: sql.Literal) -> str:
    match value.kind:
        case sql.LiteralKind.NUMBER | sql.LiteralKind.BOOLEAN:
            return value.text
        case sql.LiteralKind.DATETIME:
            return quote_string(sql_datetime(value.text))
        case _:  # strings, enums, hex of bytes, and JSON (see DEVIATIONS)
            return quote_string(value.text)


def default_expression(column: sql.Column) -> str | None:
    default = column.default
    if default is None:
        return None
    match default.kind:
        case sql.DefaultKind.NOW:
            return "CURRENT_TIMESTAMP"
        case sql.DefaultKind.EXPRESSION:
            return default.expression
        case sql.DefaultKind.VALUE if default.literal is not None:
            return literal(default.literal)
        case _:
            return None


def column_type(column_type: sql.ColumnType) -> str:
    if column_type.args:
        return f"{column_type.name}({','.join(column_type.args)})"
    return column_type.name


def column_definition(column: sql.Column, inline_primary_key: bool = False) -> str:
    parts = [quote_identifier(column.name), column_type(column.type)]
    if column.is_required or column.is_list:
        parts.append("NOT NULL")
    if inline_primary_key:
        parts.append("PRIMARY KEY")
        if column.auto_increment and column.type.name == "INTEGER":
            parts.append("AUTOINCREMENT")
    default = default_expression(column)
    if default is not None:
        parts.append(f"DEFAULT {default}")
    return " ".join(parts)


def foreign_key_clause(fk: sql.ForeignKey) -> str:
    columns = ", ".join(quote_identifier(c) for c in fk.columns)
    referenced = ", ".join(quote_identifier(c) for c in fk.referenced_columns)
    name = f"CONSTRAINT {quote_identifier(fk.name)} " if fk.name else ""
    return (
        f"{name}FOREIGN KEY ({columns}) REFERENCES {quote_identifier(fk.referenced_table.name)} ({referenced})"
        f" ON DELETE {ACTIONS[fk.on_delete]} ON UPDATE {ACTIONS[fk.on_update]}"
    )


def create_table(table: sql.Table) -> str:
    key = table.primary_key
    inline_key = key.columns[0].name if key is not None and len(key.columns) == 1 else None
    lines = [INDENT + column_definition(c, c.name == inline_key) for c in table.columns]
    body = ",\n".join(lines)
    if key is not None and inline_key is None:
        columns = ", ".join(quote_identifier(c.name) for c in key.columns)
        body += f",\n\n{INDENT}PRIMARY KEY ({columns})"
    for fk in table.foreign_keys:
        body += f",\n{INDENT}{foreign_key_clause(fk)}"
    return f"CREATE TABLE {quote_identifier(table.name)} (\n{body}\n)"


def index_column(column: sql.IndexColumn) -> str:
    out = quote_identifier(column.name)
    if column.sort is not None:
        out += f" {column.sort.value.upper()}"
    return out


def create_index(ref: sql.TableRef, index: sql.Index) -> str:
    unique = "UNIQUE " if index.kind is sql.IndexKind.UNIQUE else ""
    columns = ", ".join(index_column(c) for c in index.columns)
    where = f" WHERE {index.predicate}" if index.predicate else ""
    return f"CREATE {unique}INDEX {quote_identifier(index.name)} ON {quote_identifier(ref.name)}({columns}){where}"


def render(change: ch.Change) -> list[str]:
    """The statements (without `;`) of one change."""
    match change:
        case ch.CreateTable(next=table):
            return [create_table(table)]
        case ch.DropTable(previous=table):
            # Prisma switches foreign-key checks off around it (rows elsewhere may reference it).
            return [
                "PRAGMA foreign_keys=off",
                f"DROP TABLE {quote_identifier(table.name)}",
                "PRAGMA foreign_keys=on",
            ]
        case ch.AddColumn(table=ref, next=column):
            return [
                f"ALTER TABLE {quote_identifier(ref.name)} ADD COLUMN {column_definition(column)}"
            ]
        case ch.DropColumn(table=ref, previous=column):
            return [
                f"ALTER TABLE {quote_identifier(ref.name)} DROP COLUMN {quote_identifier(column.name)}"
            ]
        case ch.CreateIndex(table=ref, next=index):
            return [create_index(ref, index)]
        case ch.DropIndex(previous=index):
            return [f"DROP INDEX {quote_identifier(index.name)}"]
        case ch.RedefineTables(tables=pairs):
            from schemamend.dialects.sqlite.redefine import redefine_tables

            return redefine_tables(pairs)
        case ch.AlterColumn():
            raise UnsupportedChangeError(
                f"SQLite: cannot render {ch.describe(change)}: SQLite has no ALTER COLUMN; the table is "
                "rebuilt instead (-- RedefineTables, `diff_schemas(..., prisma_steps=True)`)"
            )
        case _:
            raise UnsupportedChangeError(f"SQLite: cannot render {ch.describe(change)} yet")


# ── repair statements (schemamend repair; see schemamend.safety.steps) ─────────


def render_repair(step: RepairRenderable) -> list[str]:
    """The statements of a repair step SQLite can run without rebuilding a table."""
    from schemamend.safety import steps as rs

    match step:
        case rs.BackupTable(source=source, backup=backup, columns=columns):
            selected = ", ".join(quote_identifier(c) for c in columns) if columns else "*"
            return [
                f"CREATE TABLE {quote_identifier(backup.name)} AS SELECT {selected} "
                f"FROM {quote_identifier(source.name)}"
            ]
    raise UnsupportedChangeError(
        f"SQLite: cannot {rs.describe_step(step)} (it would need a table rebuild)"
    )
