"""The differ: the ordered changes that turn one SQL schema into another.

Objects are matched by address (namespace + name for tables and enums, name
for columns, indexes and foreign keys). The step order is fixed and follows
Prisma Migrate's, so scripts read the same:

1. create schemas, extensions, enums (tables may use them)
2. drop foreign keys (of dropped tables too), then indexes
3. alter tables (columns), then drop tables
4. create tables
5. drop enums (no column uses them any more)
6. create indexes, then add foreign keys (every table exists by now)

With `prisma_steps`, the differ also writes the steps Prisma Migrate writes
where a change can be made several ways: enum types whose values change get
an `AlterEnum` right after the new enums (values added in place; the type
recreated when one is removed), and dialects that cannot alter a table in
place (`Capabilities.redefines_tables`, SQLite) get one `RedefineTables` step
after the new tables, which replaces the column, index and foreign-key
changes of the tables it rebuilds. `migrate diff`, `migrate dev` (and `check`)
turn it on; repair and the doctor leave it off: they
add enum values with their own steps and judge column changes one by one.

Dialects that write indexes or foreign keys inside CREATE TABLE
(`Capabilities`) get no separate steps for those of a new table.
"""

from __future__ import annotations

from schemamend.dialects.base import Capabilities
from schemamend.diff.changes import (
    AddColumn,
    AddForeignKey,
    AlterColumn,
    AlterEnum,
    Change,
    CreateEnum,
    CreateExtension,
    CreateIndex,
    CreateSchema,
    CreateTable,
    DropColumn,
    DropEnum,
    DropForeignKey,
    DropIndex,
    DropTable,
    EnumColumn,
    RedefineTables,
)
from schemamend.diff.equivalence import same_column, same_foreign_key, same_index
from schemamend.model.sql import (
    Column,
    EnumType,
    ForeignKey,
    Index,
    Namespace,
    Schema,
    Table,
    TableRef,
)


def diff_schemas(
    previous: Schema,
    next: Schema,
    capabilities: Capabilities,
    *,
    prisma_steps: bool = False,
    live_namespace: str | None = None,
) -> list[Change]:
    """The changes that turn `previous` into `next`, in execution order.

    `live_namespace`: the namespace unqualified objects of `previous` live in,
    when `previous` was read from a database (Prisma names it when it drops
    defaults and the old type of a recreated enum).
    """
    prev_refs = [t.ref for t in previous.tables]
    next_refs = [t.ref for t in next.tables]
    prev_tables = dict(zip(prev_refs, previous.tables, strict=True))
    next_tables = dict(zip(next_refs, next.tables, strict=True))
    created = [t for ref, t in zip(next_refs, next.tables, strict=True) if ref not in prev_tables]
    dropped = [
        t for ref, t in zip(prev_refs, previous.tables, strict=True) if ref not in next_tables
    ]
    # Tables equal in every part yield no change: compared once here rather than
    # part by part in each pass below (most tables of a big schema are unchanged).
    kept = [
        (old, t)
        for ref, t in zip(next_refs, next.tables, strict=True)
        if (old := prev_tables.get(ref)) is not None and not _unchanged(old, t)
    ]

    prev_enums = {(e.namespace, e.name) for e in previous.enums}
    next_enums = {(e.namespace, e.name) for e in next.enums}
    prev_namespaces = {n.name for n in previous.namespaces}

    changes: list[Change] = []
    changes += [CreateSchema(n) for n in _namespaces_to_create(previous, next, prev_namespaces)]
    prev_extensions = {e.name for e in previous.extensions}
    changes += [CreateExtension(e) for e in next.extensions if e.name not in prev_extensions]
    changes += [CreateEnum(e) for e in next.enums if (e.namespace, e.name) not in prev_enums]
    rebuilt: list[tuple[Table, Table]] = []
    if prisma_steps:
        if capabilities.enum_types:
            changes += altered_enums(previous, next, live_namespace)
        if capabilities.redefines_tables:
            rebuilt = [(old, new) for old, new in kept if needs_rebuild(old, new)]
            kept = [(old, new) for old, new in kept if not needs_rebuild(old, new)]
    by_family = capabilities.types_by_family
    # Rebuilding dialects change foreign keys only by rebuilding (decided above, names aside).
    foreign_key_steps = not (prisma_steps and capabilities.redefines_tables)
    if not capabilities.foreign_keys_in_create_table:
        changes += [DropForeignKey(t.ref, fk) for t in dropped for fk in t.foreign_keys]
    for old, new in kept if foreign_key_steps else ():
        changes += _dropped_foreign_keys(old, new)
    for old, new in kept:
        changes += _dropped_indexes(old, new)
    for old, new in _in_order_of(previous, kept):
        changes += _column_changes(old, new, by_family)
    changes += [DropTable(t) for t in dropped]
    changes += [CreateTable(t) for t in created]
    if rebuilt:
        changes.append(RedefineTables(tuple(_in_order_of(previous, rebuilt))))
    changes += [DropEnum(e) for e in previous.enums if (e.namespace, e.name) not in next_enums]
    if not capabilities.indexes_in_create_table:
        changes += [CreateIndex(t.ref, index) for t in created for index in t.indexes]
    for old, new in kept:
        changes += _created_indexes(old, new)
    if not capabilities.foreign_keys_in_create_table:
        changes += [AddForeignKey(t.ref, fk) for t in created for fk in t.foreign_keys]
    for old, new in kept if foreign_key_steps else ():
        changes += _added_foreign_keys(old, new)
    return changes


def database_namespace(schema: Schema) -> str | None:
    """The namespace unqualified objects of a schema read from a database live in (e.g. `public`):
    the `live_namespace` of `diff_schemas` when `schema` is its `previous`. None when the schema
    names no namespace, or qualifies its objects (multiSchema)."""
    if not schema.namespaces or not _all_unqualified(schema):
        return None
    return schema.namespaces[0].name


def diff_from_empty(next: Schema, capabilities: Capabilities) -> list[Change]:
    """The changes that create `next` in an empty database."""
    return diff_schemas(Schema(), next, capabilities)


def _namespaces_to_create(previous: Schema, next: Schema, existing: set[str]) -> list[Namespace]:
    """Namespaces `next` needs that `previous` lacks.

    A schema without `@@schema` puts every object, unqualified, in the
    connection's default namespace (`public`, or the URL's `?schema=`). When
    `previous` was read from a database, that default namespace exists already,
    whatever its name, so nothing is created for it.
    """
    if previous.namespaces and _all_unqualified(next):
        return []
    return [n for n in next.namespaces if n.name not in existing]


def _unchanged(old: Table, new: Table) -> bool:
    """Equal tables whose parts the passes below can pair by name (names unique)."""
    return (
        old == new
        and _unique_names(new.columns)
        and _unique_names(new.indexes)
        and _unique_names(new.foreign_keys)
    )


def _unique_names(items: tuple[Column, ...] | tuple[Index, ...] | tuple[ForeignKey, ...]) -> bool:
    return len(items) < 2 or len({item.name for item in items}) == len(items)


def _all_unqualified(schema: Schema) -> bool:
    return all(t.ref.namespace is None for t in schema.tables) and all(
        e.namespace is None for e in schema.enums
    )


def _same_fk(a: ForeignKey | None, b: ForeignKey) -> bool:
    return a is not None and same_foreign_key(a, b)


def _same_idx(a: Index | None, b: Index) -> bool:
    return a is not None and same_index(a, b)


def _dropped_foreign_keys(old: Table, new: Table) -> list[Change]:
    kept = {fk.name: fk for fk in new.foreign_keys}
    return [
        DropForeignKey(old.ref, fk)
        for fk in old.foreign_keys
        if not _same_fk(kept.get(fk.name), fk)
    ]


def _added_foreign_keys(old: Table, new: Table) -> list[Change]:
    before = {fk.name: fk for fk in old.foreign_keys}
    return [
        AddForeignKey(new.ref, fk)
        for fk in new.foreign_keys
        if not _same_fk(before.get(fk.name), fk)
    ]


def _dropped_indexes(old: Table, new: Table) -> list[Change]:
    kept = {i.name: i for i in new.indexes}
    return [DropIndex(old.ref, i) for i in old.indexes if not _same_idx(kept.get(i.name), i)]


def _created_indexes(old: Table, new: Table) -> list[Change]:
    before = {i.name: i for i in old.indexes}
    return [CreateIndex(new.ref, i) for i in new.indexes if not _same_idx(before.get(i.name), i)]


def _in_order_of(previous: Schema, pairs: list[tuple[Table, Table]]) -> list[tuple[Table, Table]]:
    """Altered tables in the order the previous schema lists them (a database: by name), as Prisma does."""
    if len(pairs) < 2:
        return pairs
    position = {table.ref: i for i, table in enumerate(previous.tables)}
    return sorted(pairs, key=lambda pair: position[pair[0].ref])


def _column_changes(old: Table, new: Table, by_family: bool = False) -> list[Change]:
    """Prisma's clause order in one ALTER TABLE: drops and adds by name, then alters by position."""
    before = {c.name: c for c in old.columns}
    after = {c.name: c for c in new.columns}
    dropped = sorted((c for c in old.columns if c.name not in after), key=lambda c: c.name)
    added = sorted((c for c in new.columns if c.name not in before), key=lambda c: c.name)
    changes: list[Change] = [DropColumn(old.ref, c) for c in dropped]
    changes += [AddColumn(new.ref, c) for c in added]
    key = {c.name for c in old.primary_key.columns} if old.primary_key else set()
    for previous in old.columns:
        column = after.get(previous.name)
        if column is not None and not same_column(previous, column, by_family=by_family):
            changes.append(AlterColumn(new.ref, previous, column, previous.name in key))
    return changes


# ── Prisma's steps (prisma_steps) ──────────────────────────────────────────


def needs_rebuild(previous: Table, next: Table) -> bool:
    """Whether a dialect without ALTER COLUMN rebuilds the table (Prisma's rule on SQLite).

    A dropped column, an added required column (even with a default), an
    altered column (types compared by family, as Prisma does on SQLite), or a
    changed primary key or foreign key: yes. Added
    optional columns and index changes alone: no (ALTER TABLE, CREATE/DROP INDEX).
    """
    before = {c.name: c for c in previous.columns}
    after = {c.name for c in next.columns}
    if any(name not in after for name in before):
        return True
    for column in next.columns:
        old = before.get(column.name)
        if old is None:
            if column.is_required:
                return True
        elif not same_column(old, column, by_family=True):
            return True
    if _key_columns(previous) != _key_columns(next):
        return True
    return sorted(map(_fk_shape, previous.foreign_keys)) != sorted(map(_fk_shape, next.foreign_keys))


def _fk_shape(fk: ForeignKey) -> tuple[tuple[str, ...], str, tuple[str, ...], str, str]:
    """A foreign key without its name: Prisma ignores names where they cannot be renamed (SQLite)."""
    return (fk.columns, str(fk.referenced_table), fk.referenced_columns, fk.on_delete.value, fk.on_update.value)


def _key_columns(table: Table) -> tuple[str, ...]:
    return tuple(c.name for c in table.primary_key.columns) if table.primary_key else ()


def altered_enums(previous: Schema, next: Schema, live_namespace: str | None = None) -> list[Change]:
    """One AlterEnum per enum type of both schemas whose set of values differs (order is ignored,
    as Prisma does: values it adds go to the end), in the previous schema's order."""
    wanted = {(e.namespace, e.name): e for e in next.enums}
    changes: list[Change] = []
    for old in previous.enums:
        new = wanted.get((old.namespace, old.name))
        if new is None or set(new.values) == set(old.values):
            continue
        change = AlterEnum(old, new)
        if change.recreates:
            change = _recreation(change, previous, next, live_namespace)
        changes.append(change)
    return changes


def _recreation(change: AlterEnum, previous: Schema, next: Schema, live_namespace: str | None) -> AlterEnum:
    """The columns a recreated enum type touches, in Prisma's order.

    Defaults are dropped and restored in the previous schema's table order,
    columns by name; columns are converted in the next schema's order. Prisma
    also converts columns the migration only creates later, and leaves alone
    columns it drops later (then DROP TYPE fails); we convert exactly the
    columns that exist when the step runs.
    """
    old, new = change.previous, change.next

    def live(ref: TableRef) -> TableRef:
        return TableRef(live_namespace, ref.name) if ref.namespace is None and live_namespace else ref

    dropped: list[EnumColumn] = []
    restored: list[EnumColumn] = []
    for table in previous.tables:
        after = next.table(table.ref)
        for column in sorted(table.columns, key=lambda c: c.name):
            if not _uses(column, old) or column.default is None:
                continue
            dropped.append(EnumColumn(live(table.ref), column))
            kept = after.column(column.name) if after is not None else None
            if after is not None and kept is not None and kept.default is not None and _uses(kept, new):
                restored.append(EnumColumn(after.ref, kept))
    converted: list[EnumColumn] = []
    done: set[tuple[TableRef, str]] = set()
    for table in next.tables:
        before = previous.table(table.ref)
        if before is None:
            continue
        for column in table.columns:
            if _uses(column, new) and before.column(column.name) is not None:
                converted.append(EnumColumn(table.ref, column))
                done.add((table.ref, column.name))
    for table in previous.tables:
        converted += [
            EnumColumn(table.ref, c) for c in table.columns if _uses(c, old) and (table.ref, c.name) not in done
        ]
    return AlterEnum(
        old,
        new,
        tuple(dropped),
        tuple(converted),
        tuple(restored),
        live_namespace if old.namespace is None else None,
    )


def _uses(column: Column, enum: EnumType) -> bool:
    return column.type.enum == enum.name and column.type.enum_namespace == enum.namespace
