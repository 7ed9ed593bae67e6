"""Prisma's relation rules, checked once the whole schema has been read.

Two loops, in Prisma's order (its messages come out in this order):

- per relation field, model by model (models first, then views):
  ambiguity (stops every later validation), `@ignore` towards ignored models,
  referential actions the provider accepts, `map:` support, missing indexes
  under `relationMode = "prisma"`;
- per relation, in the order relations were recorded: for a side with
  `fields`/`references` (even when its opposite field is missing): unique
  references, equal lengths, arity, cycles and multiple cascade paths,
  foreign-key name clashes, field types, 1:1 uniqueness; then the shape rules
  of 1:1, 1:n (missing opposite field...) and m:n relations.

Wording, spans, order and conditions were taken from the Prisma 7.10.1 CLI
(`prisma validate` on probe schemas); where Prisma's own fixtures disagree, the
CLI wins (see EXCLUDED_FIXTURES in scripts/psl_conformance.py).
"""

from __future__ import annotations

from collections import Counter

from schemamend.model.datamodel import ReferentialAction
from schemamend.psl.validate.args import attribute_error
from schemamend.psl.validate.context import Context
from schemamend.psl.validate.members import (
    MODEL_BLOCK,
    OPTIONAL_ARITY,
    REQUIRED_ARITY,
    UNIQUE_INDEX,
    UNSUPPORTED_KIND,
    VIEW_BLOCK,
)
from schemamend.psl.validate.relations import (
    EMBEDDED_MANY_TO_MANY,
    IMPLICIT_MANY_TO_MANY,
    ONE_TO_MANY,
    ONE_TO_ONE,
    RelationInfo,
    RelationResolution,
    RelationSide,
    default_on_delete,
    effective_on_delete,
    effective_on_update,
    foreign_key_constraint_name,
    referencing_fields,
    side_key,
)
from schemamend.psl.validate.resolved import FieldInfo, ModelInfo, Resolved

R = ReferentialAction
_ALL_ACTIONS = (R.CASCADE, R.RESTRICT, R.NO_ACTION, R.SET_NULL, R.SET_DEFAULT)
_MODIFYING = (R.CASCADE, R.SET_NULL, R.SET_DEFAULT)
_SET_DEFAULT, _SET_NULL = R.SET_DEFAULT, R.SET_NULL  # read once (see the note above)
_CYCLES_URL = "Read more at https://pris.ly/d/cyclic-referential-actions"
# How Prisma names each connector in "not supported on X" messages.
_CONNECTOR_LABEL = {
    "postgresql": "Postgres",
    "mysql": "MySQL",
    "sqlite": "sqlite",
    "sqlserver": "SQL Server",
    "cockroachdb": "CockroachDB",
    "mongodb": "MongoDB",
}
_NO_CONNECTOR_LABEL = "psl_core::datamodel_connector::empty_connector::EmptyDatamodelConnector"
_NAMED_FOREIGN_KEYS = ("postgresql", "mysql", "sqlserver", "cockroachdb")


def validate_relations(ctx: Context, resolution: RelationResolution, resolved: Resolved) -> bool:
    """Every relation rule, in Prisma's order. False when an ambiguous relation stopped them."""
    models = [b for b in ctx.models.values() if b.kind is MODEL_BLOCK]
    views = [b for b in ctx.models.values() if b.kind is VIEW_BLOCK]
    checker = RelationFieldChecker(ctx, resolution, resolved)
    for block in models + views:
        if not checker.check_model(block.name.name):
            return False
    check_relations(ctx, resolution, resolved)
    return True


# ── per relation field ─────────────────────────────────────────────────────


class RelationFieldChecker:
    """The per-field rules, model by model (a pipeline may interleave them with its own)."""

    def __init__(self, ctx: Context, resolution: RelationResolution, resolved: Resolved) -> None:
        self.ctx = ctx
        self.resolved = resolved
        self.allowed_actions = allowed_actions(ctx)
        self.suggests_indexes = ctx.relation_mode == "prisma" and ctx.provider not in (
            None,
            "mongodb",
        )
        # sides are kept free of references to each other: the tree must be freed by
        # reference counting alone (see `schemamend.collector`)
        self.groups = resolution.groups
        self.by_model: dict[str, list[RelationSide]] = {}
        for side in resolution.sides:
            self.by_model.setdefault(side.model_name, []).append(side)

    def check_model(self, model_name: str) -> bool:
        """False: an ambiguity was reported; Prisma stops all further validation then, to
        avoid a cascade of follow-up errors."""
        ctx, resolved = self.ctx, self.resolved
        for side in self.by_model.get(model_name, ()):
            if not _check_ambiguity(ctx, side, self.groups[side_key(side)]):
                return False
            if side.related.ignored:
                _check_ignored_related_model(ctx, side)
            if side.on_delete is not None or side.on_update is not None:
                _check_referential_actions(ctx, side, self.allowed_actions)
            if side.map_name is not None:
                _check_map_support(ctx, side)
            if self.suggests_indexes and side.fields:
                _check_missing_index(ctx, side, resolved)
        return True


def _quoted_list(names: list[str]) -> str:
    quoted = [f"`{n}`" for n in names]
    if len(quoted) == 1:
        return quoted[0]
    return f"{', '.join(quoted[:-1])} and {quoted[-1]}"


def _check_ambiguity(ctx: Context, side: RelationSide, group: list[RelationSide]) -> bool:
    """`group`: the fields of the side's model pointing to the same model under the same name."""
    if len(group) < 2:
        return True
    model, names = side.model_name, _quoted_list([s.name for s in group])
    if side.explicit_name is not None:
        if side.is_self_relation and len(group) == 2:
            return True
        if side.is_self_relation:
            message = (
                f"Wrongly named self relation detected. The fields {names} in model `{model}` have the "
                "same relation name. At most two relation fields can belong to the same relation and "
                "therefore have the same name. Please assign a different relation name to one of them."
            )
        else:
            message = (
                f"Wrongly named relation detected. The fields {names} in model `{model}` both use the "
                "same relation name. Please provide different relation names for them through "
                "`@relation(<name>)."
            )
    elif side.is_self_relation:
        message = (
            f"Ambiguous self relation detected. The fields {names} in model `{model}` both refer to "
            f"`{model}`. If they are part of the same relation add the same relation name for them "
            "with `@relation(<name>)`."
        )
    else:
        message = (
            f"Ambiguous relation detected. The fields {names} in model `{model}` both refer to "
            f"`{side.related_model}`. Please provide different relation names for them by adding "
            "`@relation(<name>)."
        )
    ctx.error(f'Error validating {side.model.kind.value} "{model}": {message}', side.span)
    return False


def _check_ignored_related_model(ctx: Context, side: RelationSide) -> None:
    if side.is_ignored or side.owner.ignored or not side.related.ignored:
        return
    ctx.error(
        f'Error parsing attribute "@ignore": The relation field `{side.name}` on Model '
        f"`{side.model_name}` must specify the `@ignore` attribute, because the model "
        f"{side.related_model} it is pointing to is marked ignored.",
        side.span,
    )


def allowed_actions(ctx: Context) -> tuple[ReferentialAction, ...]:
    """The referential actions the provider accepts in the current relation mode."""
    provider, emulated = ctx.provider, ctx.relation_mode == "prisma"
    if provider is None:
        return _ALL_ACTIONS
    if provider == "mongodb" or emulated:
        if provider in ("postgresql", "sqlite"):
            return (R.CASCADE, R.RESTRICT, R.SET_NULL)
        return (R.CASCADE, R.RESTRICT, R.NO_ACTION, R.SET_NULL)
    if provider == "sqlserver":
        return (R.CASCADE, R.NO_ACTION, R.SET_NULL, R.SET_DEFAULT)
    return _ALL_ACTIONS


def _check_referential_actions(
    ctx: Context, side: RelationSide, allowed: tuple[ReferentialAction, ...]
) -> None:
    has_required_field = any(f.arity is REQUIRED_ARITY for f in referencing_fields(side))
    for label, action in (("onDelete", side.on_delete), ("onUpdate", side.on_update)):
        if action is None:
            continue
        if action not in allowed:
            listed = ", ".join(f"`{a.value}`" for a in allowed)
            ctx.error(
                f"Error validating: Invalid referential action: `{action.value}`. Allowed values: ({listed})"
                + _no_action_hint(ctx, action),
                side.attribute_span,
            )
        elif action is _SET_DEFAULT and ctx.provider == "mysql" and ctx.relation_mode != "prisma":
            ctx.warning(
                "MySQL does not actually support the `SetDefault` referential action, so using it may "
                "result in unexpected errors. Read more at https://pris.ly/d/mysql-set-default ",
                side.attribute_span,
            )
        if action is _SET_NULL and has_required_field:
            _report_set_null_on_required(ctx, side, label)


def _no_action_hint(ctx: Context, action: ReferentialAction) -> str:
    if action is not R.NO_ACTION or ctx.relation_mode != "prisma":
        return ""
    label = _CONNECTOR_LABEL.get(ctx.provider or "", "")
    return (
        f'. `NoAction` is not implemented for {label} when using `relationMode = "prisma"`, you could try '
        "using `Restrict` instead. Learn more at https://pris.ly/d/relation-mode"
    )


def _report_set_null_on_required(ctx: Context, side: RelationSide, label: str) -> None:
    if ctx.provider == "postgresql" and ctx.relation_mode != "prisma":
        # PostgreSQL accepts the constraint; it fails only when a row is deleted.
        ctx.warning(
            f"The `{label}` referential action of a relation should not be set to `SetNull` when a "
            "referenced field is required. We recommend either to choose another referential action, "
            "or to make the referenced fields optional. Read more at https://pris.ly/d/postgres-set-null ",
            side.span,
        )
        return
    assert side.attribute is not None
    attribute_error(
        ctx,
        side.attribute,
        f"The `{label}` referential action of a relation must not be set to `SetNull` when a "
        "referenced field is required.\n"
        "Either choose another referential action, or make the referenced fields optional.\n",
        side.span,
    )


def _check_map_support(ctx: Context, side: RelationSide) -> None:
    if side.map_name is None or side.attribute is None or ctx.provider in _NAMED_FOREIGN_KEYS:
        return
    attribute_error(ctx, side.attribute, "Your provider does not support named foreign keys.")


def _index_field_groups(info: ModelInfo) -> list[tuple[str, ...]]:
    groups = [tuple(f.name for f in index.fields) for index in info.indexes]
    if info.primary_key is not None:
        groups.append(tuple(f.name for f in info.primary_key.fields))
    return groups


def _check_missing_index(ctx: Context, side: RelationSide, resolved: Resolved) -> None:
    """Without foreign keys the database creates no index for them: suggest one (called
    under `relationMode = "prisma"`, for sides with `fields:`)."""
    info = resolved.models.get(side.model_name)
    if info is None:
        return
    fields = side.field_names()
    if any(group[: len(fields)] == fields for group in _index_field_groups(info)):
        return
    ctx.warning(
        'With `relationMode = "prisma"`, no foreign keys are used, so relation fields will not benefit '
        "from the index usually created by the relational database under the hood. This can lead to "
        "poor performance when querying these fields. We recommend adding an index manually. Learn more "
        'at https://pris.ly/d/relation-mode-prisma-indexes" ',
        side.attribute_span,
    )


# ── per relation ───────────────────────────────────────────────────────────


def check_relations(ctx: Context, resolution: RelationResolution, resolved: Resolved) -> None:
    """The per-relation rules, relation by relation in Prisma's order."""
    graph = _CascadeGraph(ctx, resolution.infos)
    fk_names = _ForeignKeyNames(ctx, resolution.infos, resolved)
    criteria = _UniqueCriteria()
    for info in resolution.infos:
        if info.shape is IMPLICIT_MANY_TO_MANY:
            _check_implicit_many_to_many(ctx, info, resolved)
        elif info.shape is EMBEDDED_MANY_TO_MANY:
            _check_embedded_many_to_many(ctx, info)
        else:
            _check_inline(ctx, info, criteria, graph, fk_names)


def _check_inline(
    ctx: Context,
    info: RelationInfo,
    criteria: _UniqueCriteria,
    graph: _CascadeGraph,
    fk_names: _ForeignKeyNames,
) -> None:
    forward, back = info.forward, info.back
    if forward is not None and forward.has_fields and forward.has_references:
        _check_references_unique(ctx, forward, criteria)
        _check_same_length(ctx, forward)
        _check_field_arity(ctx, forward)
        if graph.by_model:  # some provider or relation mode where cascades are checked
            graph.check_cycles(info)
            graph.check_multiple_paths(info)
        fk_names.check(info)
        _check_field_types(ctx, forward)
        # Prisma skips this when the fields sit on the wrong side (reported below).
        wrong_side = back is not None and back.is_required and not forward.is_required
        if info.shape is ONE_TO_ONE and not wrong_side:
            _check_one_to_one_fields_unique(ctx, forward, criteria)
    if info.shape is ONE_TO_ONE and forward is not None and back is not None:
        _check_one_to_one_shape(ctx, forward, back)
    else:
        _check_one_to_many_shape(ctx, info)


def _check_field_arity(ctx: Context, forward: RelationSide) -> None:
    if not forward.is_required:
        return
    fields = referencing_fields(forward)
    if not any(f.arity is OPTIONAL_ARITY for f in fields):
        return
    ctx.error(
        f"Error validating: The relation field `{forward.name}` uses the scalar fields "
        f"{', '.join(forward.field_names())}. At least one of those fields is optional. Hence the "
        "relation field must be optional as well.",
        forward.span,
    )


def _check_same_length(ctx: Context, forward: RelationSide) -> None:
    if forward.fields is None or forward.references is None:
        return
    if len(forward.fields) != len(forward.references):
        ctx.error(
            "Error validating: You must specify the same number of fields in `fields` and `references`.",
            forward.attribute_span,
        )


class _UniqueCriteria:
    """Each model's unique criteria (primary key first), worked out once per model."""

    def __init__(self) -> None:
        self._by_model: dict[str, list[tuple[str, ...]]] = {}

    def of(self, model: ModelInfo) -> list[tuple[str, ...]]:
        criteria = self._by_model.get(model.name)
        if criteria is None:
            criteria = [
                tuple([f.name for f in index.fields])
                for index in model.indexes
                if index.kind is UNIQUE_INDEX
            ]
            if model.primary_key is not None:
                criteria.insert(0, tuple([f.name for f in model.primary_key.fields]))
            self._by_model[model.name] = criteria
        return criteria

    def covers(self, model: ModelInfo, names: tuple[str, ...]) -> bool:
        """Whether a criterion is made of exactly these fields, in any order."""
        criteria = self.of(model)
        if names in criteria:
            return True
        wanted = set(names)
        return any(set(criterion) == wanted for criterion in criteria)


def _check_references_unique(
    ctx: Context, forward: RelationSide, criteria: _UniqueCriteria
) -> None:
    references = forward.reference_names()
    if not references:
        return
    related = forward.related
    if any(name not in related.by_name for name in references):
        return
    if not criteria.covers(related, references):
        if len(references) == 1:
            hint = (
                f"Consider adding an `@unique` attribute to the field `{references[0]}` in the model "
                f"`{forward.related_model}`."
            )
        else:
            hint = (
                f"Consider adding an `@@unique([{', '.join(references)}])` attribute to the model "
                f"`{forward.related_model}`."
            )
        assert forward.attribute is not None
        attribute_error(
            ctx,
            forward.attribute,
            "The argument `references` must refer to a unique criterion in the related model. "
            + hint,
            forward.span,
        )
        return
    # Only without a datasource does Prisma insist on the criterion's field order.
    if ctx.provider is None and references not in criteria.of(related):
        ctx.error(
            "Error validating: The argument `references` must refer to a unique criterion in the "
            f"related model `{forward.related_model}` using the same order of fields. Please check "
            f"the ordering in the following fields: `{', '.join(references)}`.",
            forward.span,
        )


def _has_type(info: FieldInfo) -> bool:
    """False for a field whose type is missing (reported already)."""
    return info.type_name != "" or info.kind is UNSUPPORTED_KIND


def _same_type(mine: FieldInfo, other: FieldInfo) -> bool:
    """Same scalar, enum or model name, or both Unsupported with the same database type."""
    return mine.type_name == other.type_name and (mine.kind is UNSUPPORTED_KIND) == (
        other.kind is UNSUPPORTED_KIND
    )


def _check_field_types(ctx: Context, forward: RelationSide) -> None:
    if forward.fields is None or forward.references is None:
        return
    own, theirs = forward.own_fields, forward.related_fields
    for field_name, reference_name in zip(forward.fields, forward.references, strict=False):
        mine, other = own.get(field_name), theirs.get(reference_name)
        if mine is None or other is None or not _has_type(mine) or not _has_type(other):
            continue
        if not _same_type(mine, other):
            assert forward.attribute is not None
            attribute_error(
                ctx,
                forward.attribute,
                f"The type of the field `{field_name}` in the model `{forward.model_name}` is not "
                f"matching the type of the referenced field `{reference_name}` in model "
                f"`{forward.related_model}`.",
                forward.span,
            )


def _check_one_to_one_fields_unique(
    ctx: Context, forward: RelationSide, criteria: _UniqueCriteria
) -> None:
    fields = forward.field_names()
    owner = forward.owner
    if not fields or any(name not in owner.by_name for name in fields):
        return
    if criteria.covers(owner, fields):
        return
    if len(fields) == 1:
        hint = f"Either add an `@unique` attribute to the field `{fields[0]}`"
    else:
        hint = f"Either add an `@@unique([{', '.join(fields)}])` attribute to the model"
    assert forward.attribute is not None
    attribute_error(
        ctx,
        forward.attribute,
        "A one-to-one relation must use unique fields on the defining side. "
        f"{hint}, or change the relation to one-to-many.",
        forward.span,
    )


# ── 1:1 and 1:n shapes ─────────────────────────────────────────────────────


def _relation_error(ctx: Context, side: RelationSide, message: str) -> None:
    ctx.error(f'Error parsing attribute "@relation": {message}', side.span)


def _declares(side: RelationSide, argument: str) -> bool:
    return side.has_fields if argument == "fields" else side.has_references


def _check_one_to_one_shape(ctx: Context, forward: RelationSide, back: RelationSide) -> None:
    pair = (forward, back)
    for argument in ("fields", "references"):
        if not _declares(forward, argument) and not _declares(back, argument):
            for one, other in (pair, pair[::-1]):
                _relation_error(
                    ctx,
                    one,
                    f"The relation fields `{one.name}` on Model `{one.model_name}` and `{other.name}` on "
                    f"Model `{other.model_name}` do not provide the `{argument}` argument in the "
                    "@relation attribute. You have to provide it on one of the two fields.",
                )
    for argument in ("references", "fields"):
        if _declares(forward, argument) and _declares(back, argument):
            for one in pair:
                _relation_error(
                    ctx,
                    one,
                    f"The relation fields `{forward.name}` on Model `{forward.model_name}` and "
                    f"`{back.name}` on Model `{back.model_name}` both provide the `{argument}` argument "
                    "in the @relation attribute. You have to provide it only on one of the two fields.",
                )
    if back.has_actions:
        _relation_error(
            ctx,
            back,
            f"The relation field `{back.name}` on Model `{back.model_name}` must not specify the "
            "`onDelete` or `onUpdate` argument in the @relation attribute. You must only specify it on "
            f"the opposite field `{forward.name}` on model `{forward.model_name}`.",
        )
    _check_one_to_one_mixup(ctx, forward, back)
    _check_one_to_one_arity(ctx, forward, back)


def _check_one_to_one_mixup(ctx: Context, forward: RelationSide, back: RelationSide) -> None:
    for holder, other in ((forward, back), (back, forward)):
        if (
            holder.has_fields
            and not holder.has_references
            and other.has_references
            and not other.has_fields
        ):
            message = (
                f"The relation field `{holder.name}` on Model `{holder.model_name}` provides the `fields` "
                f"argument in the @relation attribute. And the related field `{other.name}` on Model "
                f"`{other.model_name}` provides the `references` argument. You must provide both "
                "arguments on the same side."
            )
            _relation_error(ctx, holder, message)
            _relation_error(ctx, other, message)
            return


def _check_one_to_one_arity(ctx: Context, forward: RelationSide, back: RelationSide) -> None:
    if not back.is_required:
        return
    if forward.is_required:
        assert back.field.field_type is not None
        type_name = back.field.field_type.name
        _relation_error(
            ctx,
            back,
            f"The relation field `{back.name}` on Model `{back.model_name}` is required. This is not "
            "valid because it's not possible to enforce this constraint on the database level. Please "
            f"change the field type from `{type_name}` to `{type_name}?` to fix this.",
        )
    elif forward.has_fields or forward.has_references:
        _relation_error(
            ctx,
            forward,
            f"The relation field `{forward.qualified_name}` defines the `fields` and/or `references` "
            "argument. You must set them on the required side of the relation "
            f"(`{back.qualified_name}`) in order for the constraints to be enforced. Alternatively, you "
            "can change this field to be required and the opposite optional, or make both sides of the "
            "relation optional.",
        )


def _where(side: RelationSide) -> str:
    return f"The relation field `{side.name}` on Model `{side.model_name}`"


def _check_one_to_many_shape(ctx: Context, info: RelationInfo) -> None:
    forward, back = info.forward, info.back
    if forward is None or back is None:
        lone = forward or back
        assert lone is not None
        kind = lone.model.kind.value
        ctx.error(
            f"Error validating field `{lone.name}` in {kind} `{lone.model_name}`: The relation field "
            f"`{lone.name}` on {kind} `{lone.model_name}` is missing an opposite relation field on the "
            f"model `{lone.related_model}`. Either run `prisma format` or add it manually.",
            lone.span,
        )
        return
    if not forward.fields:
        _relation_error(
            ctx,
            forward,
            f"{_where(forward)} must specify the `fields` argument in the @relation attribute. You "
            "can run `prisma format` to fix this automatically.",
        )
    if not forward.references:
        _relation_error(
            ctx,
            forward,
            f"{_where(forward)} must specify the `references` argument in the @relation attribute.",
        )
    if back.has_fields or back.has_references:
        _relation_error(
            ctx,
            back,
            f"The relation field `{back.name}` on Model `{back.model_name}` must not specify the `fields` "
            "or `references` argument in the @relation attribute. You must only specify it on the "
            f"opposite field `{forward.name}` on model `{forward.model_name}`.",
        )
    if back.has_actions:
        _relation_error(
            ctx,
            back,
            f"The relation field `{back.name}` on Model `{back.model_name}` must not specify the "
            "`onDelete` or `onUpdate` argument in the @relation attribute. You must only specify it on "
            f"the opposite field `{forward.name}` on model `{forward.model_name}`, or in case of a many "
            "to many relation, in an explicit join table.",
        )


# ── many-to-many ───────────────────────────────────────────────────────────


def _has_single_id(info: ModelInfo | None) -> bool:
    return info is not None and info.primary_key is not None and len(info.primary_key.fields) == 1


def _check_implicit_many_to_many(ctx: Context, info: RelationInfo, resolved: Resolved) -> None:
    sides = info.sides
    if ctx.provider == "mongodb":
        for side in sides:
            ctx.error(
                "Error validating: Implicit many-to-many relations are not supported on MongoDB. Please "
                "use the syntax defined in https://pris.ly/d/document-database-many-to-many",
                side.span,
            )
        return
    if any(s.model.kind is VIEW_BLOCK for s in sides):
        for side in sides:
            ctx.error(
                "Error validating: Implicit many-to-many relations are not supported for views.",
                side.span,
            )
    for side in sides:
        related = ctx.models[side.related_model]
        if _has_single_id(resolved.models.get(side.related_model)):
            continue
        kind = related.kind.value
        ctx.error(
            f"Error validating field `{side.name}` in {kind} `{side.model_name}`: The relation field "
            f"`{side.name}` on {kind} `{side.model_name}` references `{side.related_model}` which does not "
            "have an `@id` field. Models without `@id` cannot be part of a many to many relation. Use an "
            "explicit intermediate Model to represent this relationship.",
            side.span,
        )
    for side in sides:
        if side.has_actions:
            ctx.error(
                "Error validating: Referential actions on implicit many-to-many relations are not supported",
                side.attribute_span,
            )
    for side in sides:
        if side.has_references:
            _relation_error(
                ctx,
                side,
                "Implicit many-to-many relation should not have references argument defined. Either "
                "remove it, or change the relation to one-to-many.",
            )


def _check_embedded_many_to_many(ctx: Context, info: RelationInfo) -> None:
    if ctx.provider == "mongodb":
        for side in info.sides:
            if side.has_actions:
                ctx.error(
                    "Error validating: Referential actions on two-way embedded many-to-many relations are "
                    "not supported",
                    side.attribute_span,
                )
        return
    label = _CONNECTOR_LABEL.get(ctx.provider or "", _NO_CONNECTOR_LABEL)
    for side in info.sides:
        ctx.error(
            f"Error validating: Embedded many-to-many relations are not supported on {label}. Please use "
            "the syntax defined in https://pris.ly/d/relational-database-many-to-many",
            side.span,
        )


# ── cascades: cycles and multiple paths ────────────────────────────────────


def _implicit_defaults(ctx: Context, side: RelationSide) -> str:
    parts = []
    if side.on_delete is None:
        on_delete = default_on_delete(ctx, side)
        if on_delete in _MODIFYING:
            parts.append(f"`onDelete`: `{on_delete.value}`")
    if side.on_update is None:
        parts.append(f"`onUpdate`: `{R.CASCADE.value}`")
    return f"(Implicit default {', and '.join(parts)}) " if parts else ""


class _CascadeGraph:
    """Inline relations with foreign keys, seen as edges from referencing to referenced model."""

    def __init__(self, ctx: Context, infos: list[RelationInfo]) -> None:
        self.ctx = ctx
        self.detects_cycles = ctx.relation_mode == "prisma" or ctx.provider in (
            "sqlserver",
            "mongodb",
        )
        self.detects_paths = ctx.provider == "sqlserver" and ctx.relation_mode != "prisma"
        self.by_model: dict[str, list[RelationInfo]] = {}
        if not (self.detects_cycles or self.detects_paths):
            return
        for info in infos:
            forward = info.forward
            if (
                info.shape in (ONE_TO_ONE, ONE_TO_MANY)
                and forward is not None
                and forward.has_fields
                and forward.has_references
            ):
                self.by_model.setdefault(forward.model_name, []).append(info)

    def _is_edge(self, info: RelationInfo) -> bool:
        return info.forward is not None and info in self.by_model.get(info.forward.model_name, [])

    def _triggers(self, info: RelationInfo) -> bool:
        assert info.forward is not None
        side = info.forward
        return (
            effective_on_delete(self.ctx, side) in _MODIFYING
            or effective_on_update(side) in _MODIFYING
        )

    def _from_model(self, model: str) -> list[RelationInfo]:
        return self.by_model.get(model, [])

    def check_cycles(self, start: RelationInfo) -> None:
        if not self.detects_cycles or not self._is_edge(start):
            return
        assert start.forward is not None
        origin = start.forward.model_name
        stack: list[tuple[RelationInfo, list[RelationInfo]]] = [(start, [start])]
        visited: set[int] = set()
        while stack:
            relation, path = stack.pop()
            visited.add(id(relation))
            if not self._triggers(relation):
                continue
            assert relation.forward is not None
            # Prisma stops at the first self-relation met on the way, too.
            if relation.forward.is_self_relation or relation.forward.related_model == origin:
                self._report_cycle(start.forward, path, relation.forward.is_self_relation)
                return
            for following in self._from_model(relation.forward.related_model):
                if id(following) not in visited:
                    stack.append((following, [*path, following]))

    def _report_cycle(
        self, side: RelationSide, path: list[RelationInfo], via_self_relation: bool
    ) -> None:
        if via_self_relation:
            message = (
                "A self-relation must have `onDelete` and `onUpdate` referential actions set to `NoAction` "
                "in one of the @relation attributes."
            )
        else:
            steps = " → ".join(r.forward.qualified_name for r in path if r.forward is not None)
            message = (
                "Reference causes a cycle. One of the @relation attributes in this cycle must have "
                "`onDelete` and `onUpdate` referential actions set to `NoAction`. "
                f"Cycle path: {steps}."
            )
        self.ctx.error(
            f"Error validating: {message} {_implicit_defaults(self.ctx, side)}{_CYCLES_URL}",
            side.span,
        )

    def _reachable(self, start: RelationInfo) -> set[str]:
        """Models whose changes cascade down to the start relation's model through it."""
        reached: set[str] = set()
        stack, visited = [start], set()
        while stack:
            relation = stack.pop()
            visited.add(id(relation))
            if not self._triggers(relation) or relation.forward is None:
                continue
            target = relation.forward.related_model
            reached.add(target)
            stack.extend(r for r in self._from_model(target) if id(r) not in visited)
        return reached

    def check_multiple_paths(self, start: RelationInfo) -> None:
        if not self.detects_paths or not self._is_edge(start) or not self._triggers(start):
            return
        side = start.forward
        assert side is not None
        if side.is_self_relation:
            return
        others: set[str] = set()
        for other in self._from_model(side.model_name):
            if (
                other is not start
                and other.forward is not None
                and not other.forward.is_self_relation
            ):
                others |= self._reachable(other)
        common = sorted(self._reachable(start) & others)
        if not common:
            return
        if len(common) == 1:
            subject = f"model `{common[0]}` is"
        else:
            subject = f"models {', '.join(f'`{m}`' for m in common)} are"
        self.ctx.error(
            f"Error validating: When any of the records in {subject} updated or deleted, the referential "
            f"actions on the relations cascade to model `{side.model_name}` through multiple paths. Please "
            "break one of these paths by setting the `onUpdate` and `onDelete` to `NoAction`. "
            f"{_implicit_defaults(self.ctx, side)}{_CYCLES_URL}",
            side.span,
        )


# ── foreign key names ──────────────────────────────────────────────────────


class _ForeignKeyNames:
    """Constraint names that share a namespace with foreign keys, per provider.

    PostgreSQL/CockroachDB: a table's key, index and foreign-key names; MySQL:
    every foreign key of the database; SQL Server: every primary and foreign key.
    Key and index names are the ones the checks assigned (`IndexInfo.constraint_name`).
    """

    def __init__(self, ctx: Context, infos: list[RelationInfo], resolved: Resolved) -> None:
        self.ctx = ctx
        self.resolved = resolved
        self.per_table = ctx.provider in ("postgresql", "cockroachdb")
        self.keys: dict[RelationInfo, str] = {}
        for info in infos:
            side = info.forward
            if info.shape in (ONE_TO_ONE, ONE_TO_MANY) and side is not None and side.fields:
                self.keys[info] = foreign_key_constraint_name(ctx, side)
        names: list[tuple[str, str]] = []  # (scope, name) of every constraint
        for info, name in self.keys.items():
            assert info.forward is not None
            names.append((self._scope(info.forward.model_name), name))
        if self.per_table:
            for model in resolved.models.values():
                if not model.is_view:
                    names.extend((model.name, name) for name in _constraint_names(model))
        elif ctx.provider == "sqlserver":
            for model in resolved.models.values():
                if model.primary_key is not None and not model.is_view:
                    names.append(("", model.primary_key.constraint_name))
        self.counts = Counter(names)

    def _scope(self, model: str) -> str:
        return model if self.per_table else ""

    def namespace(self, model: str) -> str | None:
        provider = self.ctx.provider
        if provider in ("postgresql", "cockroachdb"):
            return (
                f"on model `{model}` for primary key, indexes, unique constraints and foreign keys"
            )
        if provider == "mysql":
            return "global for foreign keys"
        if provider == "sqlserver":
            return "global for primary keys, foreign keys and default constraints"
        return None

    def check(self, info: RelationInfo) -> None:
        name = self.keys.get(info)
        side = info.forward
        if name is None or side is None or side.attribute is None:
            return
        if self.counts.get((self._scope(side.model_name), name), 0) < 2:
            return
        namespace = self.namespace(side.model_name)
        if namespace is None:
            return
        span = (
            side.map_span if side.map_name is not None and side.map_span is not None else side.span
        )
        attribute_error(
            self.ctx,
            side.attribute,
            f"The given constraint name `{name}` has to be unique in the following namespace: {namespace}. "
            "Please provide a different name using the `map` argument.",
            span,
        )


def _constraint_names(model: ModelInfo) -> list[str]:
    """The primary key and index names of a table (explicit or Prisma's defaults)."""
    names = [index.constraint_name for index in model.indexes]
    if model.primary_key is not None:
        names.insert(0, model.primary_key.constraint_name)
    return names
