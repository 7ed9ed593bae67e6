"""What the attribute pass learns about each block, before lowering.

Mutable working records (the immutable `Datamodel` is built from them at the
end): every later check and the lowering read these instead of re-reading
attributes from the syntax tree.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from schemamend.diagnostics import Span
from schemamend.model.datamodel import (
    Arity,
    DefaultValue,
    FieldKind,
    IndexKind,
    NativeType,
    SortOrder,
)
from schemamend.psl import ast


@dataclass(slots=True)
class NativeTypeUse:
    name: str
    args: list[ast.Expression]
    attr: ast.Attribute
    prefix: str  # the datasource name written before the dot (`db` in `@db.Text`)


@dataclass(slots=True)
class FieldInfo:
    node: ast.Field
    name: str
    type_name: str  # scalar, enum, model, composite type name, or "Unsupported"
    arity: Arity
    kind: FieldKind | None  # None: relation, composite or unknown type
    is_relation: bool = False
    is_composite: bool = False
    db_name: str = ""
    map_attr: ast.Attribute | None = None
    has_map: bool = False  # an `@map` attribute is written (read without error or not)
    default: DefaultValue | None = None
    default_attr: ast.Attribute | None = None
    native: NativeTypeUse | None = None
    native_type: NativeType | None = None  # `native` once validated
    updated_at: bool = False
    ignored: bool = False
    is_id: bool = False
    shard_key: bool = False
    foreign_prefixed: tuple[ast.Attribute, ...] = ()  # `@other.Type` attributes

    @property
    def span(self) -> Span:
        return self.node.span

    @property
    def is_required(self) -> bool:
        return self.arity is Arity.REQUIRED


@dataclass(slots=True)
class IndexFieldInfo:
    name: str  # as written (may be a dotted path for composite types)
    sort: SortOrder | None = None
    length: int | None = None
    ops: str | None = None


@dataclass(slots=True)
class IndexInfo:
    """A primary key (`kind is None`) or an index/unique/fulltext definition."""

    kind: IndexKind | None
    fields: list[IndexFieldInfo]
    attr: ast.Attribute
    field_level: bool
    map: str | None = None
    map_span: Span | None = None
    client_name: str | None = None
    clustered: bool | None = None
    algorithm: str | None = None
    where: str | None = None  # raw SQL predicate
    where_object: ast.ObjectExpression | None = (
        None  # `where: { field: value }`, turned into SQL when lowering
    )
    constraint_name: str = ""


@dataclass(slots=True)
class ModelInfo:
    block: ast.Block
    name: str
    is_view: bool
    db_name: str = ""
    map_attr: ast.Attribute | None = None
    schema: str | None = None
    schema_attr: ast.Attribute | None = None
    ignored: bool = False
    fields: list[FieldInfo] = field(default_factory=list)
    by_name: dict[str, FieldInfo] = field(default_factory=dict)  # the first field of each name
    relation_fields: list[FieldInfo] = field(default_factory=list)  # typed with a model or view
    has_mapped_field: bool = False  # some field has `FieldInfo.has_map`
    primary_key: IndexInfo | None = None
    indexes: list[IndexInfo] = field(default_factory=list)

    @property
    def label(self) -> str:
        return "view" if self.is_view else "model"


@dataclass(slots=True)
class EnumValueInfo:
    node: ast.EnumValue
    name: str
    db_name: str


@dataclass(slots=True)
class EnumInfo:
    block: ast.Block
    name: str
    db_name: str = ""
    map_attr: ast.Attribute | None = None
    schema: str | None = None
    schema_attr: ast.Attribute | None = None
    values: list[EnumValueInfo] = field(default_factory=list)
    value_names: set[str] = field(default_factory=set)


@dataclass(slots=True)
class Resolved:
    models: dict[str, ModelInfo] = field(default_factory=dict)
    enums: dict[str, EnumInfo] = field(default_factory=dict)
    # multi-schema attribute names (`schema`, or the `namespace` alias some fixtures use)
    schema_attribute: str = "schema"
    uses_schema_attribute: bool = False
    # the default values read without error, by field type and text (see `read_default`)
    default_values: dict[tuple[FieldKind | None, str, Arity, str], DefaultValue] = field(
        default_factory=dict
    )
    # model fields of a known non-model type carrying `@relation` (the relation pass reports them)
    misplaced_relation_fields: list[FieldInfo] = field(default_factory=list)
