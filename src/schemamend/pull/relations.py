"""Relation fields from foreign keys and join tables, named as `prisma db pull` names them.

- One foreign key between two tables: the referencing model gets a field named
  after the referenced model, the referenced model one named after the
  referencing model (a list, or optional when the key columns are unique).
- A self-relation is named `{Model}To{Model}`; its back field is `other_{Model}`.
- Several relations between the same two models (inline or many-to-many), or a
  field name already taken by a column, make the names ambiguous: the relation
  is then named `{Referencing}_{columns}To{Referenced}` and each field is the
  other model's name, `_`, the relation name (`other_` before the back field of
  a self-relation).
- A table `_Name` with columns `A` and `B`, each a foreign key (A to the model
  first by name), with a key on (A, B) and an index on B, is an implicit
  many-to-many relation `Name`.

Fields come in the order the tables are walked (by database name), each
foreign key adding its forward then its back field; many-to-many fields last.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from schemamend.model.sql import ColumnArity, ForeignKey, Table, TableRef


@dataclass(frozen=True)
class RelationField:
    name: str
    model: str  # the related model
    arity: str  # "" (required), "?" or "[]"
    relation_name: str | None = None
    foreign_key: ForeignKey | None = None  # set on the side that holds the key


@dataclass(frozen=True)
class JoinTable:
    table: Table
    name: str  # the relation's name
    model_a: TableRef
    model_b: TableRef


def join_table(table: Table, tables: dict[TableRef, Table]) -> JoinTable | None:
    """The implicit many-to-many relation a table stands for, if it is one."""
    if not table.name.startswith("_") or [c.name for c in table.columns] != ["A", "B"]:
        return None
    keys = {fk.columns: fk for fk in table.foreign_keys}
    a, b = keys.get(("A",)), keys.get(("B",))
    if a is None or b is None or len(table.foreign_keys) != 2:
        return None
    if a.referenced_table not in tables or b.referenced_table not in tables:
        return None
    pairs = {tuple(c.name for c in i.columns) for i in table.indexes}
    if table.primary_key is not None:
        pairs.add(tuple(c.name for c in table.primary_key.columns))
    if ("A", "B") not in pairs or ("B",) not in pairs:
        return None
    if _sort_name(a.referenced_table) > _sort_name(b.referenced_table):
        return None  # Prisma's column A always points at the model first by name
    return JoinTable(table, table.name[1:], a.referenced_table, b.referenced_table)


class RelationNamer:
    """Relation fields for every model, by table address."""

    def __init__(
        self,
        tables: list[Table],
        model_names: dict[TableRef, str],
        field_names: dict[TableRef, dict[str, str]],
        joins: list[JoinTable],
    ) -> None:
        self.tables = {t.ref: t for t in tables}
        self.model_names = model_names
        self.field_names = field_names
        self.fields: dict[TableRef, list[RelationField]] = {t.ref: [] for t in tables}
        self._pairs = Counter[frozenset[TableRef]]()
        for table in tables:
            for fk in table.foreign_keys:
                if fk.referenced_table in self.tables:
                    self._pairs[frozenset((table.ref, fk.referenced_table))] += 1
        for join in joins:
            self._pairs[frozenset((join.model_a, join.model_b))] += 1
        self._joins = {j.table.ref: j for j in joins}

    def build(self, ordered: list[Table]) -> dict[TableRef, list[RelationField]]:
        for table in ordered:
            if table.ref in self._joins:
                continue
            for fk in table.foreign_keys:
                if fk.referenced_table in self.tables:
                    self._inline(table, fk)
        for table in ordered:
            join = self._joins.get(table.ref)
            if join is not None:
                self._many_to_many(join)
        return self.fields

    def _inline(self, table: Table, fk: ForeignKey) -> None:
        referencing = self.model_names[table.ref]
        referenced = self.model_names[fk.referenced_table]
        is_self = table.ref == fk.referenced_table
        prefix = "other_" if is_self else ""
        ambiguous = self._pairs[frozenset((table.ref, fk.referenced_table))] > 1
        if not ambiguous and not is_self:
            taken = set(self.field_names[table.ref].values())
            ambiguous = referenced in taken
        relation_name: str | None
        if ambiguous:
            columns = "_".join(self.field_names[table.ref].get(c, c) for c in fk.columns)
            relation_name = f"{referencing}_{columns}To{referenced}"
            forward = f"{referenced}_{relation_name}"
            back = f"{prefix}{referencing}_{relation_name}"
        elif is_self:
            relation_name = f"{referencing}To{referenced}"
            forward, back = referenced, f"other_{referencing}"
        else:
            relation_name, forward, back = None, referenced, referencing
        nullable = any(
            (c := table.column(name)) is not None and c.arity is not ColumnArity.REQUIRED
            for name in fk.columns
        )
        back_arity = "?" if _is_unique(table, fk.columns) else "[]"
        self.fields[table.ref].append(
            RelationField(forward, referenced, "?" if nullable else "", relation_name, fk)
        )
        self.fields[fk.referenced_table].append(
            RelationField(back, referencing, back_arity, relation_name)
        )

    def _many_to_many(self, join: JoinTable) -> None:
        a, b = self.model_names[join.model_a], self.model_names[join.model_b]
        ambiguous = self._pairs[frozenset((join.model_a, join.model_b))] > 1
        default_name = f"{a}To{b}"
        relation_name = None if join.name == default_name and not ambiguous else join.name
        on_a = f"{b}_{join.name}" if ambiguous else b
        on_b = f"{a}_{join.name}" if ambiguous else a
        self.fields[join.model_a].append(RelationField(on_a, b, "[]", relation_name))
        self.fields[join.model_b].append(RelationField(on_b, a, "[]", relation_name))


def _sort_name(ref: TableRef) -> str:
    from schemamend.pull.names import sanitize

    return sanitize(ref.name)


def _is_unique(table: Table, columns: tuple[str, ...]) -> bool:
    wanted = set(columns)
    if table.primary_key is not None and {c.name for c in table.primary_key.columns} == wanted:
        return True
    return any(
        index.kind.value == "unique"
        and {c.name for c in index.columns} == wanted
        and index.predicate is None
        for index in table.indexes
    )
