"""Lowering: the validated working records → the immutable `Datamodel`."""

from __future__ import annotations

from schemamend.model.datamodel import (
    Arity,
    Datamodel,
    EnumType,
    EnumValue,
    FieldKind,
    Index,
    IndexField,
    IndexKind,
    Model,
    PrimaryKey,
    Relation,
    RelationField,
    ScalarField,
    SortOrder,
)
from schemamend.psl.validate.config import ConfigResult
from schemamend.psl.validate.resolved import EnumInfo, IndexInfo, ModelInfo, Resolved


def _doc(lines: list[str]) -> str | None:
    return "\n".join(lines) if lines else None


def lower(
    config: ConfigResult,
    resolved: Resolved,
    relations: list[Relation],
    relation_fields: dict[tuple[str, str], RelationField],
) -> Datamodel:
    records = _Records()
    models = tuple(_model(m, relation_fields, records) for m in resolved.models.values())
    enums = tuple(_enum(e) for e in resolved.enums.values())
    return Datamodel(
        datasource=config.datasource,
        generators=tuple(config.generators),
        models=models,
        enums=enums,
        relations=tuple(relations),
    )


def _enum(info: EnumInfo) -> EnumType:
    values = tuple(EnumValue(v.name, v.db_name, _doc(v.node.documentation)) for v in info.values)
    return EnumType(info.name, info.db_name, values, info.schema, _doc(info.block.documentation))


# Equal declarations lower to one shared record: a schema repeats the same field (`id`,
# `createdAt`, `updatedAt`, ...) and the same index column on many models, and the
# records are immutable. Building a frozen record costs about ten times the look-up.
# Native types and defaults are keyed by identity: the attribute pass and the checks
# already hand out one object per distinct value, and every keyed object stays alive
# (held by its record) until lowering ends.
_ScalarKey = tuple[str, str, FieldKind | None, str, Arity, int, int, bool, bool, str | None]
_IndexFieldKey = tuple[str, str, SortOrder | None, int | None, str | None]


class _Records:
    """The records built so far in one lowering, by their contents."""

    def __init__(self) -> None:
        self.scalar_fields: dict[_ScalarKey, ScalarField] = {}
        self.index_fields: dict[_IndexFieldKey, IndexField] = {}

    def index_field(
        self, name: str, column: str, sort: SortOrder | None, length: int | None, ops: str | None
    ) -> IndexField:
        key = (name, column, sort, length, ops)
        record = self.index_fields.get(key)
        if record is None:
            record = self.index_fields[key] = IndexField(name, column, sort, length, ops)
        return record


def _scalar_fields(model: ModelInfo, records: _Records) -> tuple[ScalarField, ...]:
    shared = records.scalar_fields
    out: list[ScalarField] = []
    for info in model.fields:
        kind = info.kind
        if kind is None:
            continue  # a relation (or composite-type) field
        docs = info.node.documentation
        documentation = "\n".join(docs) if docs else None
        key = (
            info.name,
            info.db_name,
            kind,
            info.type_name,
            info.arity,
            id(info.native_type),
            id(info.default),
            info.updated_at,
            info.ignored,
            documentation,
        )
        record = shared.get(key)
        if record is None:
            record = shared[key] = ScalarField(
                info.name,
                info.db_name,
                kind,
                info.type_name,
                info.arity,
                info.native_type,
                info.default,
                info.updated_at,
                info.ignored,
                documentation,
            )
        out.append(record)
    return tuple(out)


def _index_fields(model: ModelInfo, index: IndexInfo, records: _Records) -> tuple[IndexField, ...]:
    by_name = model.by_name
    out: list[IndexField] = []
    for field in index.fields:
        info = by_name.get(field.name)
        column = info.db_name if info is not None else field.name
        out.append(records.index_field(field.name, column, field.sort, field.length, field.ops))
    return tuple(out)


def _where_sql(index: IndexInfo) -> str | None:
    """Raw SQL as given, or the object form as written (`{ active: true }`): the dialect
    calculator turns objects into SQL with its own identifier quoting."""
    if index.where_object is not None:
        return index.where_object.span.text()
    return index.where


def _source_position(index: IndexInfo) -> tuple[str, int]:
    span = index.attr.span
    return (span.file.path, span.start)


def _in_declaration_order(indexes: list[IndexInfo]) -> list[IndexInfo]:
    """The attribute pass lists field-level indexes (in field order), then block-level ones
    (in attribute order); they need sorting only when an `@@` attribute precedes a field."""
    first_block_level = next((n for n, i in enumerate(indexes) if not i.field_level), 0)
    if first_block_level == 0 or _source_position(indexes[first_block_level - 1]) < (
        _source_position(indexes[first_block_level])
    ):
        return indexes
    return sorted(indexes, key=_source_position)


def _model(
    model: ModelInfo,
    relation_fields: dict[tuple[str, str], RelationField],
    records: _Records,
) -> Model:
    scalars = _scalar_fields(model, records)
    relations: list[RelationField] = []
    for info in model.relation_fields:
        relation = relation_fields.get((model.name, info.name))
        if relation is not None:
            relations.append(relation)
    pk: PrimaryKey | None = None
    key = model.primary_key
    if key is not None:
        pk = PrimaryKey(
            _index_fields(model, key, records),
            key.constraint_name,
            key.client_name,
            key.clustered,
            key.field_level,
        )
    indexes = tuple(
        [
            Index(
                i.kind or IndexKind.NORMAL,
                _index_fields(model, i, records),
                i.constraint_name,
                i.client_name,
                i.algorithm,
                i.clustered,
                _where_sql(i),
                i.field_level,
            )
            for i in _in_declaration_order(model.indexes)
        ]
    )
    return Model(
        name=model.name,
        db_name=model.db_name,
        fields=scalars,
        relation_fields=tuple(relations),
        primary_key=pk,
        indexes=indexes,
        schema=model.schema,
        is_view=model.is_view,
        is_ignored=model.ignored,
        documentation=_doc(model.block.documentation),
    )
