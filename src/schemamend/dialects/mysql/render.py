"""Changes → MySQL / MariaDB statements, in Prisma Migrate's layout.

MySQL writes a new table's indexes inside CREATE TABLE, enums inline
(`ENUM('A', 'B')`), and every table with utf8mb4 / utf8mb4_unicode_ci.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import TYPE_CHECKING

from schemamend.dialects.base import Deviation
from schemamend.dialects.base import UnsupportedChangeError as UnsupportedChangeError
from schemamend.dialects.literals import sql_datetime
from schemamend.dialects.mysql.quoting import quote_identifier as quote_identifier
from schemamend.dialects.mysql.quoting import quote_string as quote_string
from schemamend.diff import changes as ch
from schemamend.model import sql

if TYPE_CHECKING:  # repair steps (see the repair section at the end)
    from schemamend.safety.steps import RepairRenderable

INDENT = "    "
TABLE_OPTIONS = "DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"

ACTIONS = {
    sql.ReferentialAction.CASCADE: "CASCADE",
    sql.ReferentialAction.RESTRICT: "RESTRICT",
    sql.ReferentialAction.NO_ACTION: "NO ACTION",
    sql.ReferentialAction.SET_NULL: "SET NULL",
    sql.ReferentialAction.SET_DEFAULT: "SET DEFAULT",
}

INDEX_KEYWORDS = {
    sql.IndexKind.NORMAL: "INDEX",
    sql.IndexKind.UNIQUE: "UNIQUE INDEX",
    sql.IndexKind.FULLTEXT: "FULLTEXT INDEX",
}

DEVIATIONS = (
    Deviation(
        "mysql-unverified",
        "MySQL output is not checked against Prisma (its offline engine has no MySQL connector); "
        "layout follows Prisma's documentation and published migrations, and every script is "
        "applied to a real MariaDB in the tests.",
    ),
    Deviation(
        "mysql-string-backslash",
        "String defaults: backslashes are doubled, since MySQL reads `\\` as an escape in literals.",
    ),
    Deviation(
        "mysql-datetime-default",
        "DateTime literal defaults are written in UTC without offset ('2020-01-02 03:04:05.678'), "
        "which MySQL and MariaDB both accept.",
    ),
)


def literal(value: sql.Literal) -> str:
    match value.kind:
        case sql.LiteralKind.NUMBER | sql.LiteralKind.BOOLEAN:
            return value.text
        case sql.LiteralKind.BYTES:
            return f"0x{value.text}" if value.text else "''"
        case sql.LiteralKind.DATETIME:
            return quote_string(sql_datetime(value.text, utc_without_offset=True))
        case _:
            return quote_string(value.text)


def column_type(column_type: sql.ColumnType) -> str:
    if column_type.family is sql.TypeFamily.ENUM:
        return f"ENUM({', '.join(quote_string(v) for v in column_type.args)})"
    if not column_type.args:
        return column_type.name
    base, _, modifier = column_type.name.partition(" ")
    rendered = f"{base}({', '.join(column_type.args)})"
    return f"{rendered} {modifier}" if modifier else rendered


def _now(column: sql.Column) -> str:
    precision = column.type.args[0] if column.type.args else None
    return f"CURRENT_TIMESTAMP({precision})" if precision else "CURRENT_TIMESTAMP"


def default_expression(column: sql.Column) -> str | None:
    default = column.default
    if default is None:
        return None
    match default.kind:
        case sql.DefaultKind.NOW:
            return _now(column)
        case sql.DefaultKind.EXPRESSION:
            return default.expression
        case sql.DefaultKind.VALUE if default.literal is not None:
            return literal(default.literal)
        case _:
            return None


def column_definition(column: sql.Column) -> str:
    parts = [quote_identifier(column.name), column_type(column.type)]
    parts.append("NOT NULL" if column.is_required else "NULL")
    default = default_expression(column)
    if default is not None:
        parts.append(f"DEFAULT {default}")
    if column.auto_increment:
        parts.append("AUTO_INCREMENT")
    return " ".join(parts)


def index_column(column: sql.IndexColumn) -> str:
    out = quote_identifier(column.name)
    if column.length is not None:
        out += f"({column.length})"
    if column.sort is not None:
        out += f" {column.sort.value.upper()}"
    return out


def index_columns(columns: tuple[sql.IndexColumn, ...]) -> str:
    return ", ".join(index_column(c) for c in columns)


def create_table(table: sql.Table) -> str:
    body = ",\n".join(INDENT + column_definition(c) for c in table.columns)
    constraints = [
        f"{INDEX_KEYWORDS[i.kind]} {quote_identifier(i.name)}({index_columns(i.columns)})"
        for i in table.indexes
    ]
    if table.primary_key is not None:
        constraints.append(f"PRIMARY KEY ({index_columns(table.primary_key.columns)})")
    if constraints:
        body += ",\n\n" + ",\n".join(INDENT + c for c in constraints)
    return f"CREATE TABLE {quote_identifier(table.name)} (\n{body}\n) {TABLE_OPTIONS}"


def create_index(ref: sql.TableRef, index: sql.Index) -> str:
    keyword = INDEX_KEYWORDS[index.kind]
    return f"CREATE {keyword} {quote_identifier(index.name)} ON {quote_identifier(ref.name)}({index_columns(index.columns)})"


def add_foreign_key(ref: sql.TableRef, fk: sql.ForeignKey) -> str:
    columns = ", ".join(quote_identifier(c) for c in fk.columns)
    referenced = ", ".join(quote_identifier(c) for c in fk.referenced_columns)
    return (
        f"ALTER TABLE {quote_identifier(ref.name)} ADD CONSTRAINT {quote_identifier(fk.name or '')}"
        f" FOREIGN KEY ({columns}) REFERENCES {quote_identifier(fk.referenced_table.name)}({referenced})"
        f" ON DELETE {ACTIONS[fk.on_delete]} ON UPDATE {ACTIONS[fk.on_update]}"
    )


def render(change: ch.Change) -> list[str]:
    """The statements (without `;`) of one change."""
    match change:
        case ch.CreateTable(next=table):
            return [create_table(table)]
        case ch.DropTable(previous=table):
            return [f"DROP TABLE {quote_identifier(table.name)}"]
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
        case ch.DropIndex(table=ref, previous=index):
            return [f"DROP INDEX {quote_identifier(index.name)} ON {quote_identifier(ref.name)}"]
        case ch.AddForeignKey(table=ref, next=fk):
            return [add_foreign_key(ref, fk)]
        case ch.DropForeignKey(table=ref, previous=fk):
            return [
                f"ALTER TABLE {quote_identifier(ref.name)} DROP FOREIGN KEY {quote_identifier(fk.name or '')}"
            ]
        case ch.AlterColumn():
            return render_alter_table([change])
        case _:
            raise UnsupportedChangeError(f"MySQL: cannot render {ch.describe(change)} yet")


# ── altered tables: Prisma's one ALTER TABLE per table ─────────────────────────


def render_alter_table(
    changes: Sequence[ch.AddColumn | ch.DropColumn | ch.AlterColumn],
) -> list[str]:
    """Column changes of one table as one statement, later clauses indented (Prisma's layout)."""
    clauses = [_column_clause(change) for change in changes]
    return [
        f"ALTER TABLE {quote_identifier(changes[0].table.name)} " + f",\n{INDENT}".join(clauses)
    ]


def _column_clause(change: ch.AddColumn | ch.DropColumn | ch.AlterColumn) -> str:
    match change:
        case ch.AddColumn(next=column):
            return f"ADD COLUMN {column_definition(column)}"
        case ch.DropColumn(previous=column):
            return f"DROP COLUMN {quote_identifier(column.name)}"
        case ch.AlterColumn(previous=old, next=new):
            return _alter_clause(old, new)


def _alter_clause(old: sql.Column, new: sql.Column) -> str:
    """Only the default changed: SET/DROP DEFAULT; anything else: MODIFY with the whole definition."""
    if dataclasses.replace(old, default=new.default) == new:
        column = f"ALTER COLUMN {quote_identifier(new.name)}"
        default = default_expression(new)
        return (
            f"{column} SET DEFAULT {default}" if default is not None else f"{column} DROP DEFAULT"
        )
    return f"MODIFY {column_definition(new)}"


# ── repair statements (schemamend repair; see schemamend.safety.steps) ─────────


def render_repair(step: RepairRenderable) -> list[str]:
    """The statements of a repair step (or of a column alteration) MySQL can run."""
    from schemamend.safety import steps as rs

    match step:
        case ch.AlterColumn(table=ref, next=new):
            return [f"ALTER TABLE {quote_identifier(ref.name)} MODIFY {column_definition(new)}"]
        case rs.BackupTable(source=source, backup=backup, columns=columns):
            selected = ", ".join(quote_identifier(c) for c in columns) if columns else "*"
            return [
                f"CREATE TABLE {quote_identifier(backup.name)} AS SELECT {selected} "
                f"FROM {quote_identifier(source.name)}"
            ]
    raise UnsupportedChangeError(f"MySQL: cannot {rs.describe_step(step)}")
