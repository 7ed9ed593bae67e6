"""Drift between the live database and the declared schema, sorted for people.

The differ answers "which changes turn live into declared"; this module turns
those changes into three lists a person can act on:

- missing:   declared, absent from the database (tables, columns, enums and
             enum values, indexes, unique constraints, foreign keys)
- different: present on both sides, but not the same (type, nullability,
             default; an index or foreign key with the same name and other
             columns or actions)
- extra:     in the database, not declared (never proposed for dropping here)

A column change whose every compared aspect is equal is normalisation noise
(e.g. an enum column on a database without enum types) and is left out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from schemamend.dialects.base import Capabilities
from schemamend.diff import changes as ch
from schemamend.diff.differ import diff_schemas
from schemamend.model import sql


@dataclass(frozen=True)
class Finding:
    """One object declared-but-missing, or present-but-undeclared."""

    kind: str  # table, column, enum, enum value, index, unique, foreign key
    name: str  # database name (constraint name for indexes and foreign keys)
    table: str | None = None  # the table it belongs to (columns, indexes, keys)
    detail: str = ""  # e.g. "(owner_id, status)", "TEXT NOT NULL", "-> users(id)"
    in_missing_table: bool = False  # part of a missing table (created with it)
    rows: int | None = None  # extra tables: rows held; extra columns: non-NULL values

    def label(self) -> str:
        if self.kind in ("column", "enum value") and self.table is not None:
            return f"{self.kind} {self.table}.{self.name}"
        if self.table is not None:
            return f"{self.kind} {self.name} on {self.table}"
        return f"{self.kind} {self.name}"

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"kind": self.kind, "name": self.name, "table": self.table}
        data["detail"] = self.detail
        if self.in_missing_table:
            data["in_missing_table"] = True
        if self.rows is not None:
            data["rows"] = self.rows
        return data


@dataclass(frozen=True)
class Aspect:
    """One way a live object differs from its declaration."""

    name: str  # type, nullability, default, autoincrement, columns, unique, actions, ...
    declared: str
    live: str


@dataclass(frozen=True)
class Difference:
    kind: str  # column, index, foreign key
    name: str
    table: str | None
    aspects: tuple[Aspect, ...]

    def label(self) -> str:
        where = (
            f"{self.table}.{self.name}" if self.kind == "column" else f"{self.name} on {self.table}"
        )
        return f"{self.kind} {where}"

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "name": self.name,
            "table": self.table,
            "aspects": [
                {"aspect": a.name, "declared": a.declared, "live": a.live} for a in self.aspects
            ],
        }


@dataclass
class Drift:
    """Live compared with declared."""

    missing: list[Finding] = field(default_factory=list)
    different: list[Difference] = field(default_factory=list)
    extra: list[Finding] = field(default_factory=list)
    changes: tuple[ch.Change, ...] = ()  # the differ's changes, live → declared

    @property
    def in_sync(self) -> bool:
        """Nothing declared is missing or different (extra objects are allowed)."""
        return not (self.missing or self.different)

    def missing_of(self, kind: str) -> list[Finding]:
        return [f for f in self.missing if f.kind == kind]

    def extra_of(self, kind: str) -> list[Finding]:
        return [f for f in self.extra if f.kind == kind]


def compare(live: sql.Schema, declared: sql.Schema, capabilities: Capabilities) -> Drift:
    """Sort the differences between `live` and `declared` into missing, different and extra."""
    changes = diff_schemas(live, declared, capabilities)
    drift = Drift(changes=tuple(changes))
    created = {c.next.ref for c in changes if isinstance(c, ch.CreateTable)}
    paired_indexes = _paired_names(changes, ch.DropIndex, ch.CreateIndex)
    paired_keys = _paired_names(changes, ch.DropForeignKey, ch.AddForeignKey)
    dropped_index = {
        (c.table, c.previous.name): c.previous for c in changes if isinstance(c, ch.DropIndex)
    }
    dropped_key = {
        (c.table, c.previous.name): c.previous for c in changes if isinstance(c, ch.DropForeignKey)
    }
    for change in changes:
        match change:
            case ch.CreateEnum(next=enum):
                drift.missing.append(Finding("enum", enum.name, detail=", ".join(enum.values)))
            case ch.DropEnum(previous=enum):
                drift.extra.append(Finding("enum", enum.name, detail=", ".join(enum.values)))
            case ch.CreateTable(next=table):
                drift.missing.extend(_missing_table(table))
            case ch.DropTable(previous=table):
                drift.extra.append(Finding("table", table.name, detail=_table_detail(table)))
            case ch.AddColumn(table=ref, next=column):
                drift.missing.append(Finding("column", column.name, ref.name, column_text(column)))
            case ch.DropColumn(table=ref, previous=column):
                drift.extra.append(Finding("column", column.name, ref.name, column_text(column)))
            case ch.AlterColumn(table=ref, previous=before, next=after):
                aspects = column_aspects(after, before)
                if aspects:
                    drift.different.append(Difference("column", after.name, ref.name, aspects))
            case ch.CreateIndex(table=ref, next=index) if ref not in created:
                old = dropped_index.get((ref, index.name))
                if old is not None:
                    drift.different.append(
                        Difference("index", index.name, ref.name, index_aspects(index, old))
                    )
                else:
                    drift.missing.append(_index_finding(index, ref.name))
            case ch.DropIndex(table=ref, previous=index) if (ref, index.name) not in paired_indexes:
                drift.extra.append(_index_finding(index, ref.name))
            case ch.AddForeignKey(table=ref, next=fk) if ref not in created:
                old_fk = dropped_key.get((ref, fk.name))
                if old_fk is not None:
                    drift.different.append(
                        Difference("foreign key", fk.name or "", ref.name, key_aspects(fk, old_fk))
                    )
                else:
                    drift.missing.append(_key_finding(fk, ref.name))
            case ch.DropForeignKey(table=ref, previous=fk) if (ref, fk.name) not in paired_keys:
                drift.extra.append(_key_finding(fk, ref.name))
            case _:
                pass
    _compare_enum_values(live, declared, drift)
    drift.missing.sort(key=_rank)
    drift.extra.sort(key=_rank)
    return drift


_KIND_ORDER = {"enum": 0, "table": 1, "column": 2, "enum value": 3, "index": 4, "unique": 4}


def _rank(finding: Finding) -> int:
    """Enums, then tables (each with its own indexes and keys), columns, values, indexes, keys."""
    return 1 if finding.in_missing_table else _KIND_ORDER.get(finding.kind, 5)


def _paired_names(
    changes: Sequence[ch.Change], drop: type[Any], create: type[Any]
) -> set[tuple[sql.TableRef, str | None]]:
    dropped = {(c.table, c.previous.name) for c in changes if isinstance(c, drop)}
    made = {(c.table, c.next.name) for c in changes if isinstance(c, create)}
    return dropped & made


def _compare_enum_values(live: sql.Schema, declared: sql.Schema, drift: Drift) -> None:
    for enum in declared.enums:
        found = live.enum(enum.name, enum.namespace)
        if found is None:
            continue
        live_values = set(found.values)
        declared_values = set(enum.values)
        for value in enum.values:
            if value not in live_values:
                drift.missing.append(Finding("enum value", value, enum.name))
        for value in found.values:
            if value not in declared_values:
                drift.extra.append(Finding("enum value", value, enum.name))


# ── descriptions ──────────────────────────────────────────────────────────────


def _missing_table(table: sql.Table) -> list[Finding]:
    found = [Finding("table", table.name, detail=_table_detail(table))]
    found += [_index_finding(i, table.name, True) for i in table.indexes]
    found += [_key_finding(fk, table.name, True) for fk in table.foreign_keys]
    return found


def _table_detail(table: sql.Table) -> str:
    parts = [f"{len(table.columns)} columns"]
    if table.indexes:
        parts.append(f"{len(table.indexes)} indexes")
    if table.foreign_keys:
        parts.append(f"{len(table.foreign_keys)} foreign keys")
    return ", ".join(parts)


def _index_finding(index: sql.Index, table: str, in_missing_table: bool = False) -> Finding:
    kind = "unique" if index.kind is sql.IndexKind.UNIQUE else "index"
    return Finding(kind, index.name, table, _index_columns(index), in_missing_table)


def _key_finding(fk: sql.ForeignKey, table: str, in_missing_table: bool = False) -> Finding:
    return Finding("foreign key", fk.name or "", table, key_text(fk), in_missing_table)


def _index_columns(index: sql.Index) -> str:
    cols = ", ".join(
        c.name + (" DESC" if c.sort is sql.SortOrder.DESC else "") for c in index.columns
    )
    return f"({cols})"


def key_text(fk: sql.ForeignKey) -> str:
    return f"({', '.join(fk.columns)}) -> {fk.referenced_table}({', '.join(fk.referenced_columns)})"


def type_text(column: sql.Column) -> str:
    kind = column.type
    text = kind.enum if kind.enum is not None else kind.name
    if kind.args and kind.enum is None:
        text += f"({','.join(kind.args)})"
    return text + ("[]" if column.is_list else "")


def nullability_text(column: sql.Column) -> str:
    return "NOT NULL" if column.is_required else "NULL"


def default_text(column: sql.Column) -> str:
    default = column.default
    if default is None:
        return "none"
    if default.kind is sql.DefaultKind.NOW:
        return "now()"
    if default.kind is sql.DefaultKind.EXPRESSION:
        return " ".join((default.expression or "").split())
    if default.kind is sql.DefaultKind.LIST:
        return "[" + ", ".join(item.text for item in default.items) + "]"
    if default.literal is None:
        return "none"
    if default.literal.kind is sql.LiteralKind.NUMBER or _is_number(column, default.literal):
        return _number_text(default.literal.text)
    return repr(default.literal.text)


def _is_number(column: sql.Column, literal: sql.Literal) -> bool:
    numeric = column.type.family in (
        sql.TypeFamily.INT,
        sql.TypeFamily.BIGINT,
        sql.TypeFamily.FLOAT,
        sql.TypeFamily.DECIMAL,
    )
    if not numeric:
        return False
    try:
        Decimal(literal.text.strip().strip("'"))
    except InvalidOperation:
        return False
    return True


def _number_text(text: str) -> str:
    """A number as its value: `0`, `0.00` and `0.0` are the same default."""
    try:
        value = Decimal(text.strip().strip("'"))
    except InvalidOperation:
        return repr(text)
    if value == value.to_integral_value():
        return str(value.quantize(Decimal(1)))
    return str(value.normalize())


def column_text(column: sql.Column) -> str:
    text = f"{type_text(column)} {nullability_text(column)}"
    if column.default is not None:
        text += f" DEFAULT {default_text(column)}"
    return text


def _same_type(declared: sql.Column, live: sql.Column) -> bool:
    a, b = declared.type, live.type
    if a.enum is not None and b.enum is not None:
        return a.enum == b.enum and declared.is_list == live.is_list
    return (
        a.name.upper() == b.name.upper()
        and tuple(x.replace(" ", "") for x in a.args) == tuple(x.replace(" ", "") for x in b.args)
        and a.enum == b.enum
        and declared.is_list == live.is_list
    )


def column_aspects(declared: sql.Column, live: sql.Column) -> tuple[Aspect, ...]:
    """How a live column differs from its declaration (empty: only in ways that do not matter)."""
    aspects: list[Aspect] = []
    if not _same_type(declared, live):
        aspects.append(Aspect("type", type_text(declared), type_text(live)))
    if (declared.arity is sql.ColumnArity.REQUIRED) != (live.arity is sql.ColumnArity.REQUIRED):
        aspects.append(Aspect("nullability", nullability_text(declared), nullability_text(live)))
    if default_text(declared) != default_text(live):
        aspects.append(Aspect("default", default_text(declared), default_text(live)))
    if declared.auto_increment != live.auto_increment:
        aspects.append(
            Aspect("autoincrement", str(declared.auto_increment), str(live.auto_increment))
        )
    if declared.generated != live.generated and declared.generated is not None:
        aspects.append(Aspect("generated", declared.generated, live.generated or "none"))
    return tuple(aspects)


def index_aspects(declared: sql.Index, live: sql.Index) -> tuple[Aspect, ...]:
    aspects: list[Aspect] = []
    if declared.columns != live.columns:
        aspects.append(Aspect("columns", _index_columns(declared), _index_columns(live)))
    if declared.kind != live.kind:
        aspects.append(Aspect("kind", declared.kind.value, live.kind.value))
    if declared.predicate != live.predicate:
        aspects.append(Aspect("predicate", declared.predicate or "none", live.predicate or "none"))
    if declared.algorithm != live.algorithm:
        aspects.append(
            Aspect("method", declared.algorithm or "default", live.algorithm or "default")
        )
    return tuple(aspects) or (Aspect("definition", "declared", "differs"),)


def key_aspects(declared: sql.ForeignKey, live: sql.ForeignKey) -> tuple[Aspect, ...]:
    aspects: list[Aspect] = []
    if (declared.columns, declared.referenced_table, declared.referenced_columns) != (
        live.columns,
        live.referenced_table,
        live.referenced_columns,
    ):
        aspects.append(Aspect("references", key_text(declared), key_text(live)))
    if declared.on_delete != live.on_delete:
        aspects.append(Aspect("on delete", declared.on_delete.value, live.on_delete.value))
    if declared.on_update != live.on_update:
        aspects.append(Aspect("on update", declared.on_update.value, live.on_update.value))
    if (declared.deferrable, declared.initially_deferred) != (
        live.deferrable,
        live.initially_deferred,
    ):
        aspects.append(Aspect("deferrable", str(declared.deferrable), str(live.deferrable)))
    return tuple(aspects) or (Aspect("definition", "declared", "differs"),)
