"""Human summaries of changes, in `prisma migrate diff`'s layout:

[+] Added tables
  - User

[*] Changed the `Post` table
  [+] Added index on columns (authorId)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from schemamend.diff import changes as ch
from schemamend.diff.equivalence import same_default, same_type
from schemamend.model import sql

NO_DIFFERENCE = "No difference detected.\n"


def summarize(
    changes: Sequence[ch.Change], recreated: Callable[[ch.AlterColumn], bool] | None = None
) -> str:
    """The summary text as printed (ends with an empty line).

    `recreated`: the dialect's judgement of which altered columns are dropped and added again
    (their type has no cast); Prisma words those lines differently.
    """
    # Prisma prints one section per extension, before the schemas.
    sections: list[tuple[str, list[str]]] = [
        ("[+] Added extensions", [f"  - {c.next.name}"])
        for c in changes
        if isinstance(c, ch.CreateExtension)
    ]
    # Prisma's order: additions, then removals, then changed enums and tables.
    sections += [
        (
            "[+] Added Schemas",
            [f"  - {c.next.name}" for c in changes if isinstance(c, ch.CreateSchema)],
        ),
        (
            "[+] Added enums",
            [f"  - {c.next.name}" for c in changes if isinstance(c, ch.CreateEnum)],
        ),
        (
            "[+] Added tables",
            [f"  - {c.next.name}" for c in changes if isinstance(c, ch.CreateTable)],
        ),
        (
            "[-] Removed enums",
            [f"  - {c.previous.name}" for c in changes if isinstance(c, ch.DropEnum)],
        ),
        (
            "[-] Removed tables",
            [f"  - {c.previous.name}" for c in changes if isinstance(c, ch.DropTable)],
        ),
    ]
    for change in changes:
        if isinstance(change, ch.AlterEnum):
            lines = [f"  [+] Added variant `{v}`" for v in change.added]
            lines += [f"  [-] Removed variant `{v}`" for v in change.removed]
            sections.append((f"[*] Changed the `{change.next.name}` enum", lines))
    redefined = sorted(
        new.name for c in changes if isinstance(c, ch.RedefineTables) for _, new in c.tables
    )
    sections += [(f"[*] Redefined table `{name}`", []) for name in redefined]
    for table, lines in sorted(_table_changes(changes, recreated).items()):
        sections.append((f"[*] Changed the `{table}` table", lines))
    text = "".join(
        f"\n{title}\n" + "".join(f"{line}\n" for line in lines)
        for title, lines in sections
        if lines or title.startswith("[*] Redefined")
    )
    return (text or NO_DIFFERENCE) + "\n"


def _table_changes(
    changes: Sequence[ch.Change], recreated: Callable[[ch.AlterColumn], bool] | None
) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for change in changes:
        if isinstance(change, ch.AlterColumn) and recreated is not None and recreated(change):
            what = _column_change(change.previous, change.next)
            if "type changed" not in what:  # to or from a list: the element type stays
                what = f"{what}, type changed" if what else "type changed"
            line: tuple[str, str] | None = (
                change.table.name,
                f"  [*] Column `{change.next.name}` would be dropped and recreated ({what})",
            )
        else:
            line = _table_line(change)
        if line is not None:
            out.setdefault(line[0], []).append(line[1])
    return out


def _columns(names: Sequence[str]) -> str:
    return ", ".join(names)


def _parts(key: sql.Index | sql.PrimaryKey) -> str:
    """An index's or primary key's columns, as the summary lists them."""
    return _columns([part.name for part in key.columns])


def _table_line(change: ch.Change) -> tuple[str, str] | None:
    match change:
        case ch.CreateIndex(table=ref, next=index):
            return (
                ref.name,
                f"  [+] Added {_kind(index)} on columns ({_parts(index)})",
            )
        case ch.DropIndex(table=ref, previous=index):
            return (
                ref.name,
                f"  [-] Removed {_kind(index)} on columns ({_parts(index)})",
            )
        case ch.AddForeignKey(table=ref, next=fk):
            return ref.name, f"  [+] Added foreign key on columns ({_columns(fk.columns)})"
        case ch.DropForeignKey(table=ref, previous=fk):
            return ref.name, f"  [-] Removed foreign key on columns ({_columns(fk.columns)})"
        case ch.AddColumn(table=ref, next=column):
            return ref.name, f"  [+] Added column `{column.name}`"
        case ch.DropColumn(table=ref, previous=column):
            return ref.name, f"  [-] Removed column `{column.name}`"
        case ch.AlterColumn(table=ref, previous=old, next=column):
            what = _column_change(old, column)
            return ref.name, f"  [*] Altered column `{column.name}`" + (
                f" ({what})" if what else ""
            )
        case ch.DropPrimaryKey(table=ref, previous=key):
            return (
                ref.name,
                f"  [-] Dropped the primary key on columns ({_parts(key)})",
            )
        case ch.AddPrimaryKey(table=ref, next=key):
            # Prisma prints a lone `)` on the next line.
            return (
                ref.name,
                f"  [+] Added primary key on columns ({_parts(key)})\n)",
            )
        case ch.RenamePrimaryKey(table=ref, previous=key):
            return (
                ref.name,
                f"  [*] Renamed the primary key on columns ({_parts(key)})",
            )
        case _:
            return None


def _kind(index: sql.Index) -> str:
    return {"unique": "unique index", "fulltext": "fulltext index"}.get(index.kind.value, "index")


_ARITY = {
    sql.ColumnArity.REQUIRED: "Required",
    sql.ColumnArity.NULLABLE: "Nullable",
    sql.ColumnArity.LIST: "List",
}


def _column_change(old: sql.Column, new: sql.Column) -> str:
    """What changed in a column, in Prisma's words: arity, then default, then type."""
    parts: list[str] = []
    if old.arity != new.arity:
        parts.append(f"changed from {_ARITY[old.arity]} to {_ARITY[new.arity]}")
    if not same_default(old.default, new.default):
        parts.append(f"default changed from `{_default(old)}` to `{_default(new)}`")
    if not same_type(old.type, new.type):
        parts.append("type changed")
    return ", ".join(parts)


def _default(column: sql.Column) -> str:
    """A column's default as Prisma prints it (the Rust debug form of its default value)."""
    default = column.default
    if default is None:
        return "None"
    match default.kind:
        case sql.DefaultKind.NOW:
            return "Some(Now)"
        case sql.DefaultKind.EXPRESSION:
            return f"Some(DbGenerated(Some({_quoted(default.expression or '')})))"
        case sql.DefaultKind.LIST:
            items = ", ".join(_value(v, column.type.family) for v in default.items)
            return f"Some(Value(List([{items}])))"
        case _:
            if default.literal is None:
                return "None"
            return f"Some(Value({_value(default.literal, column.type.family)}))"


def _value(literal: sql.Literal, family: sql.TypeFamily) -> str:
    match literal.kind:
        case sql.LiteralKind.NUMBER if family is sql.TypeFamily.BIGINT:
            return f"BigInt({literal.text})"
        case sql.LiteralKind.NUMBER if family in (sql.TypeFamily.FLOAT, sql.TypeFamily.DECIMAL):
            return f"Float(BigDecimal({_quoted(literal.text)}))"
        case sql.LiteralKind.NUMBER:
            return f"Int({literal.text})"
        case sql.LiteralKind.BOOLEAN:
            return f"Boolean({literal.text})"
        case sql.LiteralKind.ENUM:
            return f"Enum({_quoted(literal.text)})"
        case sql.LiteralKind.JSON:
            return f"Json({_quoted(literal.text)})"
        case sql.LiteralKind.DATETIME:
            return f"DateTime({literal.text})"
        case sql.LiteralKind.BYTES:
            return f"Bytes({list(bytes.fromhex(literal.text))})"
        case _:
            return f"String({_quoted(literal.text)})"


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'
