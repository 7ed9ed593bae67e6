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

With `prisma_steps` and `Capabilities.primary_key_steps` (PostgreSQL), keys
change as Prisma changes them: a primary key whose columns, their order or
their types change is dropped before the table's column changes and added
after them (one ALTER TABLE), renamed when only its name changes; a foreign
key whose columns change type is dropped first and added again at the end.

Dialects that write indexes or foreign keys inside CREATE TABLE
(`Capabilities`) get no separate steps for those of a new table.
"""

from __future__ import annotations

from schemamend.dialects.base import Capabilities
from schemamend.diff.changes import (
    AddColumn,
    AddForeignKey,
    AddPrimaryKey,
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
    DropPrimaryKey,
    DropTable,
    EnumColumn,
    RedefineTables,
    RenamePrimaryKey,
)
from schemamend.diff.equivalence import same_column, same_foreign_key, same_index, same_type
from schemamend.model.sql import (
    Column,
    EnumType,
    ForeignKey,
    Index,
    IndexKind,
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
    key_steps = prisma_steps and capabilities.primary_key_steps
    keys = _KeySteps(previous, next, kept, prev_tables) if key_steps else None
    fk_pairs = kept if keys is None else keys.foreign_key_pairs
    if not capabilities.foreign_keys_in_create_table:
        changes += [DropForeignKey(t.ref, fk) for t in dropped for fk in t.foreign_keys]
    # Drops in the previous schema's order (a database: by name), as Prisma sorts them.
    for old, new in _in_order_of(previous, fk_pairs) if foreign_key_steps else ():
        changes += _dropped_foreign_keys(old, new, keys)
    kept_before = _in_order_of(previous, kept)
    for old, new in kept_before:
        changes += _dropped_indexes(old, new, keys.late[new.ref] if keys else ())
    for old, new in kept_before:
        if keys is None:
            changes += _column_changes(old, new, by_family)
            continue
        dropped_key, added_key = keys.changes[new.ref]
        changes += dropped_key
        changes += _column_changes(old, new, by_family)
        changes += added_key
        changes += [DropIndex(old.ref, index) for index in keys.late[new.ref]]
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
    for old, new in fk_pairs if foreign_key_steps else ():
        changes += _added_foreign_keys(old, new, keys)
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


def _dropped_foreign_keys(old: Table, new: Table, keys: _KeySteps | None = None) -> list[Change]:
    """Foreign keys that go or change, and (`keys`) those dropped to be added again."""
    kept = {fk.name: fk for fk in new.foreign_keys}
    return [
        DropForeignKey(old.ref, fk)
        for fk in old.foreign_keys
        if not _same_fk(kept.get(fk.name), fk) or (keys is not None and keys.rebuilds(old.ref, fk))
    ]


def _added_foreign_keys(old: Table, new: Table, keys: _KeySteps | None = None) -> list[Change]:
    before = {fk.name: fk for fk in old.foreign_keys}
    return [
        AddForeignKey(new.ref, fk)
        for fk in new.foreign_keys
        if not _same_fk(previous := before.get(fk.name), fk)
        or (keys is not None and previous is not None and keys.rebuilds(old.ref, previous))
    ]


class _KeySteps:
    """Prisma's key steps (`Capabilities.primary_key_steps`), decided for all altered tables.

    A foreign key is dropped and added again when one of its columns changes type (Prisma), or
    when it references a primary key that is dropped and added again (PostgreSQL refuses to drop
    a key a foreign key depends on; Prisma's script then fails, so here valid SQL wins).
    """

    def __init__(
        self,
        previous: Schema,
        next: Schema,
        kept: list[tuple[Table, Table]],
        prev_tables: dict[TableRef, Table],
    ) -> None:
        self.retyped = {new.ref: _retyped_columns(old, new) for old, new in kept}
        self.changes = {
            new.ref: _primary_key_changes(old, new, self.retyped[new.ref]) for old, new in kept
        }
        self.late = {new.ref: _indexes_dropped_after_key(old, new) for old, new in kept}
        self.rekeyed = {
            old.ref: frozenset(c.name for c in old.primary_key.columns)
            for old, new in kept
            if old.primary_key is not None and self.changes[new.ref][0]
        }
        altered = {new.ref for _, new in kept}
        # Unchanged tables whose foreign keys reference a re-created key join the foreign-key passes.
        dependent = [
            (old, new)
            for new in next.tables
            if new.ref not in altered
            and (old := prev_tables.get(new.ref)) is not None
            and any(self.rebuilds(old.ref, fk) for fk in old.foreign_keys)
        ]
        self.foreign_key_pairs = kept + dependent if dependent else kept

    def rebuilds(self, ref: TableRef, fk: ForeignKey) -> bool:
        """Whether the foreign key (of the previous table `ref`) is dropped and added again."""
        if not self.retyped.get(ref, frozenset()).isdisjoint(fk.columns):
            return True
        key = self.rekeyed.get(fk.referenced_table)
        return key is not None and frozenset(fk.referenced_columns) == key


def _retyped_columns(old: Table, new: Table) -> frozenset[str]:
    """Columns of both tables whose type changes (or that become or stop being lists)."""
    after = {c.name: c for c in new.columns}
    return frozenset(
        c.name
        for c in old.columns
        if (n := after.get(c.name)) is not None
        and (c.is_list != n.is_list or not same_type(c.type, n.type))
    )


def _primary_key_changes(
    old: Table, new: Table, retyped: frozenset[str]
) -> tuple[list[Change], list[Change]]:
    """The key steps before and after the table's column changes (Prisma's rule): the key is
    dropped and added again when its columns, their order or their types change; renamed when
    only its name does."""
    before, after = old.primary_key, new.primary_key
    if before is None:
        return [], [AddPrimaryKey(new.ref, after)] if after is not None else []
    if after is None:
        return [DropPrimaryKey(old.ref, before)], []
    columns = [c.name for c in after.columns]
    if [c.name for c in before.columns] != columns or not retyped.isdisjoint(columns):
        return [DropPrimaryKey(old.ref, before)], [AddPrimaryKey(new.ref, after)]
    if before.name != after.name and before.name is not None and after.name is not None:
        return [], [RenamePrimaryKey(new.ref, before, after)]
    return [], []


def _indexes_dropped_after_key(old: Table, new: Table) -> tuple[Index, ...]:
    """A unique index of a table without a primary key, whose columns the new key takes over
    exactly: Prisma drops it after adding the key rather than before the table's changes."""
    if old.primary_key is not None or new.primary_key is None:
        return ()
    key = [c.name for c in new.primary_key.columns]
    kept = {i.name: i for i in new.indexes}
    return tuple(
        i
        for i in old.indexes
        if i.kind is IndexKind.UNIQUE
        and [c.name for c in i.columns] == key
        and not _same_idx(kept.get(i.name), i)
    )


def _dropped_indexes(old: Table, new: Table, later: tuple[Index, ...] = ()) -> list[Change]:
    kept = {i.name: i for i in new.indexes}
    return [
        DropIndex(old.ref, i)
        for i in old.indexes
        if not _same_idx(kept.get(i.name), i) and i not in later
    ]


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
    return sorted(map(_fk_shape, previous.foreign_keys)) != sorted(
        map(_fk_shape, next.foreign_keys)
    )


def _fk_shape(fk: ForeignKey) -> tuple[tuple[str, ...], str, tuple[str, ...], str, str]:
    """A foreign key without its name: Prisma ignores names where they cannot be renamed (SQLite)."""
    return (
        fk.columns,
        str(fk.referenced_table),
        fk.referenced_columns,
        fk.on_delete.value,
        fk.on_update.value,
    )


def _key_columns(table: Table) -> tuple[str, ...]:
    return tuple(c.name for c in table.primary_key.columns) if table.primary_key else ()


def altered_enums(
    previous: Schema, next: Schema, live_namespace: str | None = None
) -> list[Change]:
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


def _recreation(
    change: AlterEnum, previous: Schema, next: Schema, live_namespace: str | None
) -> AlterEnum:
    """The columns a recreated enum type touches, in Prisma's order.

    Defaults are dropped and restored in the previous schema's table order,
    columns by name; columns are converted in the next schema's order. Prisma
    also converts columns the migration only creates later, and leaves alone
    columns it drops later (then DROP TYPE fails); we convert exactly the
    columns that exist when the step runs.
    """
    old, new = change.previous, change.next

    def live(ref: TableRef) -> TableRef:
        return (
            TableRef(live_namespace, ref.name) if ref.namespace is None and live_namespace else ref
        )

    dropped: list[EnumColumn] = []
    restored: list[EnumColumn] = []
    for table in previous.tables:
        after = next.table(table.ref)
        for column in sorted(table.columns, key=lambda c: c.name):
            if not _uses(column, old) or column.default is None:
                continue
            dropped.append(EnumColumn(live(table.ref), column))
            kept = after.column(column.name) if after is not None else None
            if (
                after is not None
                and kept is not None
                and kept.default is not None
                and _uses(kept, new)
            ):
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
            EnumColumn(table.ref, c)
            for c in table.columns
            if _uses(c, old) and (table.ref, c.name) not in done
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
