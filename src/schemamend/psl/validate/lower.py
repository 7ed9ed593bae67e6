"""Lowering: the validated working records → the immutable `Datamodel`."""

from __future__ import annotations

from schemamend.model.datamodel import (
    Datamodel,
    EnumType,
    EnumValue,
    Index,
    IndexField,
    IndexKind,
    Model,
    PrimaryKey,
    Relation,
    RelationField,
    ScalarField,
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
    models = tuple(_model(m, relation_fields) for m in resolved.models.values())
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


def _scalar_fields(model: ModelInfo) -> tuple[ScalarField, ...]:
    return tuple(
        [
            ScalarField(
                info.name,
                info.db_name,
                info.kind,
                info.type_name,
                info.arity,
                info.native_type,
                info.default,
                info.updated_at,
                info.ignored,
                "\n".join(docs) if (docs := info.node.documentation) else None,
            )
            for info in model.fields
            if info.kind is not None
        ]
    )


def _index_fields(model: ModelInfo, index: IndexInfo) -> tuple[IndexField, ...]:
    by_name = model.by_name
    out: list[IndexField] = []
    for field in index.fields:
        info = by_name.get(field.name)
        column = info.db_name if info is not None else field.name
        out.append(IndexField(field.name, column, field.sort, field.length, field.ops))
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
) -> Model:
    scalars = _scalar_fields(model)
    relations: list[RelationField] = []
    for info in model.relation_fields:
        relation = relation_fields.get((model.name, info.name))
        if relation is not None:
            relations.append(relation)
    pk: PrimaryKey | None = None
    key = model.primary_key
    if key is not None:
        pk = PrimaryKey(
            _index_fields(model, key),
            key.constraint_name,
            key.client_name,
            key.clustered,
            key.field_level,
        )
    indexes = tuple(
        [
            Index(
                i.kind or IndexKind.NORMAL,
                _index_fields(model, i),
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
