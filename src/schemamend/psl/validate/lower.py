"""Lowering: the validated working records → the immutable `Datamodel`."""

from __future__ import annotations

from schemamend.model.datamodel import (
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
)
from schemamend.psl.validate.config import ConfigResult
from schemamend.psl.validate.resolved import EnumInfo, FieldInfo, IndexInfo, ModelInfo, Resolved


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


def _scalar_field(info: FieldInfo, kind: FieldKind) -> ScalarField:
    docs = info.node.documentation
    return ScalarField(
        info.name,
        info.db_name,
        kind,
        info.type_name,
        info.arity,
        info.native_type,
        info.default,
        info.updated_at,
        info.ignored,
        "\n".join(docs) if docs else None,
    )


def _index_fields(model: ModelInfo, index: IndexInfo) -> tuple[IndexField, ...]:
    out: list[IndexField] = []
    for field in index.fields:
        info = model.by_name.get(field.name)
        column = info.db_name if info is not None else field.name
        out.append(IndexField(field.name, column, field.sort, field.length, field.ops))
    return tuple(out)


def _where_sql(model: ModelInfo, index: IndexInfo) -> str | None:
    """Raw SQL as given, or the object form as written (`{ active: true }`): the dialect
    calculator turns objects into SQL with its own identifier quoting."""
    del model
    if index.where_object is not None:
        return index.where_object.span.text()
    return index.where


def _model(
    model: ModelInfo,
    relation_fields: dict[tuple[str, str], RelationField],
) -> Model:
    scalars: list[ScalarField] = []
    relations: list[RelationField] = []
    for info in model.fields:
        kind = info.kind
        if kind is not None:
            scalars.append(_scalar_field(info, kind))
        elif info.is_relation:
            relation = relation_fields.get((model.name, info.name))
            if relation is not None:
                relations.append(relation)
    pk: PrimaryKey | None = None
    if model.primary_key is not None:
        key = model.primary_key
        pk = PrimaryKey(
            fields=_index_fields(model, key),
            constraint_name=key.constraint_name,
            client_name=key.client_name,
            clustered=key.clustered,
            is_field_level=key.field_level,
        )
    ordered = sorted(model.indexes, key=lambda i: (i.attr.span.file.path, i.attr.span.start))
    indexes = tuple(
        Index(
            kind=i.kind or IndexKind.NORMAL,
            fields=_index_fields(model, i),
            constraint_name=i.constraint_name,
            client_name=i.client_name,
            algorithm=i.algorithm,
            clustered=i.clustered,
            where=_where_sql(model, i),
            is_field_level=i.field_level,
        )
        for i in ordered
    )
    return Model(
        name=model.name,
        db_name=model.db_name,
        fields=tuple(scalars),
        relation_fields=tuple(relations),
        primary_key=pk,
        indexes=indexes,
        schema=model.schema,
        is_view=model.is_view,
        is_ignored=model.ignored,
        documentation=_doc(model.block.documentation),
    )
