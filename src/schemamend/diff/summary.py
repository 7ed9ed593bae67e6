"""Human summaries of changes, in `prisma migrate diff`'s layout:

[+] Added tables
  - User

[*] Changed the `Post` table
  [+] Added index on columns (authorId)
"""

from __future__ import annotations

from collections.abc import Sequence

from schemamend.diff import changes as ch

NO_DIFFERENCE = "No difference detected.\n"


def summarize(changes: Sequence[ch.Change]) -> str:
    """The summary text as printed (ends with an empty line)."""
    # Prisma prints one section per extension, before the schemas.
    sections: list[tuple[str, list[str]]] = [
        ("[+] Added extensions", [f"  - {c.next.name}"])
        for c in changes
        if isinstance(c, ch.CreateExtension)
    ]
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
            "[-] Removed enums",
            [f"  - {c.previous.name}" for c in changes if isinstance(c, ch.DropEnum)],
        ),
        (
            "[+] Added tables",
            [f"  - {c.next.name}" for c in changes if isinstance(c, ch.CreateTable)],
        ),
        (
            "[-] Removed tables",
            [f"  - {c.previous.name}" for c in changes if isinstance(c, ch.DropTable)],
        ),
    ]
    for table, lines in sorted(_table_changes(changes).items()):
        sections.append((f"[*] Changed the `{table}` table", lines))
    text = "".join(
        f"\n{title}\n" + "".join(f"{line}\n" for line in lines)
        for title, lines in sections
        if lines
    )
    return (text or NO_DIFFERENCE) + "\n"


def _table_changes(changes: Sequence[ch.Change]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for change in changes:
        line = _table_line(change)
        if line is not None:
            out.setdefault(line[0], []).append(line[1])
    return out


def _columns(names: Sequence[str]) -> str:
    return ", ".join(names)


def _table_line(change: ch.Change) -> tuple[str, str] | None:
    match change:
        case ch.CreateIndex(table=ref, next=index):
            kind = {"unique": "unique index", "fulltext": "fulltext index"}.get(
                index.kind.value, "index"
            )
            return (
                ref.name,
                f"  [+] Added {kind} on columns ({_columns([c.name for c in index.columns])})",
            )
        case ch.DropIndex(table=ref, previous=index):
            return (
                ref.name,
                f"  [-] Removed index on columns ({_columns([c.name for c in index.columns])})",
            )
        case ch.AddForeignKey(table=ref, next=fk):
            return ref.name, f"  [+] Added foreign key on columns ({_columns(fk.columns)})"
        case ch.DropForeignKey(table=ref, previous=fk):
            return ref.name, f"  [-] Removed foreign key on columns ({_columns(fk.columns)})"
        case ch.AddColumn(table=ref, next=column):
            return ref.name, f"  [+] Added column `{column.name}`"
        case ch.DropColumn(table=ref, previous=column):
            return ref.name, f"  [-] Removed column `{column.name}`"
        case ch.AlterColumn(table=ref, next=column):
            return ref.name, f"  [*] Altered column `{column.name}`"
        case _:
            return None
