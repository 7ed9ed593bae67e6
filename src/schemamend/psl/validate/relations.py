"""Relations: pair relation fields, name each relation, resolve its foreign key.

A relation field is a field whose type is a model (or view). Two relation
fields form one relation when each points at the other's model and both carry
the same relation name (`@relation("name")`, or no name at all). The side with
`fields:`/`references:` holds the foreign key (1:1, 1:n); two list sides
without them form an implicit many-to-many relation stored in a join table
`_<RelationName>`.

`resolve_relations` is Prisma's first pass over relations: it reads every
`@relation` attribute and reports malformed arguments (unknown fields, invalid
referential actions...). The rules Prisma checks once the whole schema is
known (missing back-relation fields, ambiguity, uniqueness, cycles...) live in
`relation_rules.py` and run only when no earlier pass found an error.
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field as dataclass_field
from enum import Enum

from schemamend.diagnostics import Span
from schemamend.model.datamodel import (
    Arity,
    ForeignKeySide,
    JoinTable,
    ReferentialAction,
    Relation,
    RelationField,
    RelationKind,
)
from schemamend.psl import ast
from schemamend.psl.validate.args import ArgReader, attribute_error
from schemamend.psl.validate.constraint_names import foreign_key_name
from schemamend.psl.validate.context import Context
from schemamend.psl.validate.members import LIST_ARITY, REQUIRED_ARITY
from schemamend.psl.validate.resolved import FieldInfo, ModelInfo, Resolved

_ACTIONS = {action.value: action for action in ReferentialAction}


# ── the declared sides ──────────────────────────────────────────────────────


@dataclass(eq=False, slots=True)
class RelationSide:
    """One relation field as declared, with its parsed `@relation` arguments."""

    owner: ModelInfo  # the model declaring the field
    related: ModelInfo  # the model the field points to
    info: FieldInfo  # the field, as the attribute pass read it
    model_name: str
    name: str
    related_model: str
    is_list: bool
    is_required: bool
    attribute: ast.Attribute | None = None
    explicit_name: str | None = None
    fields: tuple[str, ...] | None = None  # the names in `fields:`; None: no such argument
    references: tuple[str, ...] | None = None
    on_delete: ReferentialAction | None = None  # as declared (valid actions only)
    on_update: ReferentialAction | None = None
    map_name: str | None = None
    map_span: Span | None = None
    relation_name: str = ""  # explicit or generated
    # computed on first use: see `foreign_key_constraint_name`, `referencing_fields`
    default_constraint_name: str | None = None
    referencing: list[FieldInfo] | None = None

    @property
    def model(self) -> ast.Block:
        return self.owner.block

    @property
    def field(self) -> ast.Field:
        return self.info.node

    @property
    def own_fields(self) -> dict[str, FieldInfo]:
        """The fields of the side's model by name (the first of a repeated name)."""
        return self.owner.by_name

    @property
    def related_fields(self) -> dict[str, FieldInfo]:
        return self.related.by_name

    @property
    def arity(self) -> Arity:
        return self.info.arity

    @property
    def is_self_relation(self) -> bool:
        return self.model_name == self.related_model

    @property
    def is_ignored(self) -> bool:
        return self.info.ignored

    @property
    def has_fields(self) -> bool:
        return self.fields is not None

    @property
    def has_references(self) -> bool:
        return self.references is not None

    @property
    def has_actions(self) -> bool:
        return self.on_delete is not None or self.on_update is not None

    @property
    def span(self) -> Span:
        """The field's span (up to and including its newline, as in Prisma's messages)."""
        return self.info.node.span

    @property
    def attribute_span(self) -> Span:
        return self.attribute.span if self.attribute is not None else self.info.node.span

    @property
    def key(self) -> tuple[str, str]:
        return (self.model_name, self.name)

    @property
    def qualified_name(self) -> str:
        return f"{self.model_name}.{self.name}"

    def field_names(self) -> tuple[str, ...]:
        return self.fields or ()

    def reference_names(self) -> tuple[str, ...]:
        return self.references or ()


class Shape(Enum):
    """How Prisma classifies a relation while reading the schema."""

    ONE_TO_ONE = "1:1"
    ONE_TO_MANY = "1:n"  # also a single side whose opposite field is missing
    IMPLICIT_MANY_TO_MANY = "m:n"
    EMBEDDED_MANY_TO_MANY = "embedded m:n"  # both lists, with fields/references


# Relation shapes compared on every relation, read once (see members.py for why).
ONE_TO_MANY = Shape.ONE_TO_MANY
IMPLICIT_MANY_TO_MANY = Shape.IMPLICIT_MANY_TO_MANY
EMBEDDED_MANY_TO_MANY = Shape.EMBEDDED_MANY_TO_MANY
ONE_TO_ONE = Shape.ONE_TO_ONE
_CASCADE = ReferentialAction.CASCADE
_RESTRICT = ReferentialAction.RESTRICT
_SET_NULL = ReferentialAction.SET_NULL


@dataclass(eq=False, slots=True)
class RelationInfo:
    """One relation as Prisma sees it, in the order Prisma records them.

    Inline relations: `forward` holds (or should hold) the foreign key,
    `back` is the opposite field; either may be missing. Many-to-many:
    `forward`/`back` are sides A and B (A: first by model name, then field).
    """

    shape: Shape
    name: str
    forward: RelationSide | None
    back: RelationSide | None

    @property
    def sides(self) -> list[RelationSide]:
        return [s for s in (self.forward, self.back) if s is not None]


@dataclass
class RelationResolution:
    relations: list[Relation]
    # (model name, field name) -> RelationField
    relation_fields: dict[tuple[str, str], RelationField]
    # every relation field, in declaration order
    sides: list[RelationSide] = dataclass_field(default_factory=list)
    # the relations as Prisma records them (what the validation rules walk)
    infos: list[RelationInfo] = dataclass_field(default_factory=list)
    # the sides grouped by model, related model and explicit name (see `group_sides`)
    groups: dict[SideKey, list[RelationSide]] = dataclass_field(default_factory=dict)


# ── entry point ─────────────────────────────────────────────────────────────


def resolve_relations(ctx: Context, resolved: Resolved) -> RelationResolution:
    """Pair relation fields into relations; report malformed `@relation` attributes.

    Reads the fields as the attribute pass classified them (`resolved`)."""
    _report_misplaced_relation_attributes(ctx, resolved)
    sides = _collect_sides(ctx, resolved)
    groups = group_sides(sides)
    infos = _record_relations(sides, groups)
    relations = [_build_relation(ctx, info) for info in infos if _builds_relation(info)]
    relation_fields = {(side.model_name, side.name): _relation_field(side) for side in sides}
    return RelationResolution(relations, relation_fields, sides, infos, groups)


# ── collecting sides ────────────────────────────────────────────────────────


def _collect_sides(ctx: Context, resolved: Resolved) -> list[RelationSide]:
    sides: list[RelationSide] = []
    models = resolved.models
    for owner in models.values():
        for info in owner.relation_fields:
            arity = info.arity
            side = RelationSide(
                owner,
                models[info.type_name],
                info,
                owner.name,
                info.name,
                info.type_name,
                arity is LIST_ARITY,
                arity is REQUIRED_ARITY,
            )
            attr = _relation_attribute(info.node)
            if attr is not None:
                _read_relation_attribute(ctx, side, attr)
            side.relation_name = side.explicit_name or generated_relation_name(
                side.model_name, side.related_model
            )
            sides.append(side)
    return sides


def _relation_attribute(fld: ast.Field) -> ast.Attribute | None:
    for attr in fld.attributes:
        if attr.name == "relation":
            return attr
    return None


def _report_misplaced_relation_attributes(ctx: Context, resolved: Resolved) -> None:
    """`@relation` on a scalar or enum field of a model; on any composite-type field."""
    for info in resolved.misplaced_relation_fields:
        for attr in info.node.attributes:
            if attr.name == "relation":
                attribute_error(ctx, attr, "Invalid field type, not a relation.")
                ArgReader(ctx, attr).finish()
    for block in ctx.composite_types.values():
        for fld in block.fields:
            if any(a.name == "relation" for a in fld.attributes):
                ctx.error(
                    "Error validating: Defining `@relation` attribute for a field in a composite type "
                    "is not allowed.",
                    fld.span,
                )


def _read_relation_attribute(ctx: Context, side: RelationSide, attr: ast.Attribute) -> None:
    side.attribute = attr
    if attr.arguments.trailing_comma:
        attribute_error(
            ctx,
            attr,
            "Trailing commas are not valid in attribute arguments, please remove the comma.",
        )
    reader = ArgReader(ctx, attr)
    # Prisma accepts both `@relation("x", name: "y")`; the named one wins.
    named, positional = reader.named("name"), reader.default("name")
    side.explicit_name = reader.string(named or positional)
    fields_arg = reader.named("fields")
    references_arg = reader.named("references")
    side.on_delete = _read_action(ctx, reader, attr, reader.named("onDelete"))
    side.on_update = _read_action(ctx, reader, attr, reader.named("onUpdate"))
    map_arg = reader.named("map")
    side.map_name = reader.string(map_arg)
    side.map_span = map_arg.span if map_arg is not None else None
    _consume_repeated_arguments(ctx, reader)
    reader.finish()
    if fields_arg is not None:
        side.fields = _field_names(fields_arg.value)
        _check_fields_exist(ctx, side, attr)
    if references_arg is not None:
        side.references = _field_names(references_arg.value)
        _check_references_exist(ctx, side, attr)


_RELATION_ARGUMENTS = ("name", "fields", "references", "onDelete", "onUpdate", "map")


def _consume_repeated_arguments(ctx: Context, reader: ArgReader) -> None:
    """Once the first of each argument is read, any repetition is an error."""
    if not reader.has_unused:
        return
    for name in _RELATION_ARGUMENTS:
        while (repeated := reader.named(name)) is not None:
            ctx.error(f'Argument "{name}" is already specified.', repeated.span)


def _read_action(
    ctx: Context, reader: ArgReader, attr: ast.Attribute, arg: ast.Argument | None
) -> ReferentialAction | None:
    value = reader.constant(arg)
    if value is None:
        return None
    action = _ACTIONS.get(value)
    if action is None:
        attribute_error(ctx, attr, f"Invalid referential action: `{value}`")
        return None
    return action


def _field_names(value: ast.Expression) -> tuple[str, ...]:
    """`[a, b]` (or a lone `a`) → the field names."""
    items = value.items if isinstance(value, ast.ArrayExpression) else [value]
    names: list[str] = []
    for item in items:
        if isinstance(item, ast.ConstantValue):
            names.append(item.name)
        elif isinstance(item, ast.StringValue):
            names.append(item.value)
    return tuple(names)


def _distinct_scalar_fields(by_name: dict[str, FieldInfo], names: tuple[str, ...]) -> bool:
    """Every name is a field that is not a relation, named once (nothing to report)."""
    seen: set[str] = set()
    for name in names:
        info = by_name.get(name)
        if info is None or info.is_relation or name in seen:
            return False
        seen.add(name)
    return True


def _check_fields_exist(ctx: Context, side: RelationSide, attr: ast.Attribute) -> None:
    by_name = side.own_fields
    names = side.field_names()
    if _distinct_scalar_fields(by_name, names):
        return  # the usual case
    unknown = [n for n in names if n not in by_name]
    relations = [n for n in names if n in by_name and by_name[n].is_relation]
    if unknown:
        ctx.error(
            "Error validating: The argument fields must refer only to existing fields. "
            f"The following fields do not exist in this model: {', '.join(unknown)}",
            attr.span,
        )
    elif relations:
        ctx.error(
            "Error validating: The argument fields must refer only to scalar fields. "
            f"But it is referencing the following relation fields: {', '.join(relations)}",
            attr.span,
        )
    else:
        _report_repeated_field(ctx, side.model, names, attr)


def _check_references_exist(ctx: Context, side: RelationSide, attr: ast.Attribute) -> None:
    by_name = side.related_fields
    names = side.reference_names()
    if _distinct_scalar_fields(by_name, names):
        return  # the usual case
    unknown = [n for n in names if n not in by_name]
    relations = [n for n in names if n in by_name and by_name[n].is_relation]
    if unknown:
        ctx.error(
            "Error validating: The argument `references` must refer only to existing fields in the "
            f"related model `{side.related_model}`. The following fields do not exist in the related "
            f"model: {', '.join(unknown)}",
            attr.span,
        )
    elif relations:
        ctx.error(
            "Error validating: The argument `references` must refer only to scalar fields in the "
            f"related model `{side.related_model}`. But it is referencing the following relation "
            f"fields: {', '.join(relations)}",
            attr.span,
        )
    else:
        _report_repeated_field(ctx, side.related.block, names, attr)


def _report_repeated_field(
    ctx: Context, block: ast.Block, names: tuple[str, ...], attr: ast.Attribute
) -> None:
    seen: set[str] = set()
    for name in names:
        if name in seen:
            ctx.error(
                f'Error validating {block.kind.value} "{block.name.name}": The unique index definition '
                f"refers to the field {name} multiple times.",
                attr.span,
            )
            return
        seen.add(name)


# ── pairing ─────────────────────────────────────────────────────────────────


def generated_relation_name(model_a: str, model_b: str) -> str:
    """Prisma's name for an unnamed relation: both model names, sorted, joined by "To"."""
    if model_b < model_a:
        model_a, model_b = model_b, model_a
    return f"{model_a}To{model_b}"


SideKey = tuple[str, str, str | None]  # (model, related model, explicit relation name)


def side_key(side: RelationSide) -> SideKey:
    return (side.model_name, side.related_model, side.explicit_name)


def group_sides(sides: list[RelationSide]) -> dict[SideKey, list[RelationSide]]:
    """Sides grouped by model, related model and explicit name, in declaration order."""
    groups: dict[SideKey, list[RelationSide]] = {}
    for side in sides:
        groups.setdefault(side_key(side), []).append(side)
    return groups


def _find_opposite(
    side: RelationSide, groups: dict[SideKey, list[RelationSide]]
) -> RelationSide | None:
    """The first other field of the related model that points back under the same name."""
    for other in groups.get((side.related_model, side.model_name, side.explicit_name), ()):
        if other is not side:
            return other
    return None


def _sort_key(side: RelationSide) -> tuple[str, str]:
    return (side.model_name, side.name)


def _record_relations(
    sides: list[RelationSide], groups: dict[SideKey, list[RelationSide]]
) -> list[RelationInfo]:
    """Prisma's relation records, in the order Prisma makes them.

    Each field is looked at in declaration order, with the first field that
    could be its opposite. A 1:n relation is recorded from its singular side, a
    1:1 from the side with `fields:` (from both, if both have them; from the
    first by model then field name, if neither has), a many-to-many from the
    side seen first.
    """
    infos: list[RelationInfo] = []
    seen_many_to_many: set[int] = set()
    for side in sides:
        opposite = _find_opposite(side, groups)
        info = _record_for(side, opposite, seen_many_to_many)
        if info is not None:
            infos.append(info)
    return infos


def _record_for(
    side: RelationSide, opposite: RelationSide | None, seen_many_to_many: set[int]
) -> RelationInfo | None:
    name = side.relation_name
    if opposite is None:
        if side.is_list:
            return RelationInfo(ONE_TO_MANY, name, None, side)
        return RelationInfo(ONE_TO_MANY, name, side, None)
    if side.is_list and opposite.is_list:
        if id(side) in seen_many_to_many:
            return None
        seen_many_to_many.update((id(side), id(opposite)))
        a, b = sorted((side, opposite), key=_sort_key)
        embedded = a.has_fields or b.has_fields
        shape = EMBEDDED_MANY_TO_MANY if embedded else IMPLICIT_MANY_TO_MANY
        return RelationInfo(shape, name, a, b)
    if side.is_list:
        return None  # recorded from the singular side
    if opposite.is_list:
        return RelationInfo(ONE_TO_MANY, name, side, opposite)
    if side.has_fields:
        return RelationInfo(ONE_TO_ONE, name, side, opposite)
    if opposite.has_fields or _sort_key(opposite) < _sort_key(side):
        return None
    return RelationInfo(ONE_TO_ONE, name, side, opposite)


# ── building the model's relation objects ──────────────────────────────────


def _builds_relation(info: RelationInfo) -> bool:
    """A 1:1 whose both sides declare `fields:` is recorded twice (an error); keep one."""
    if info.shape is ONE_TO_ONE and info.back is not None and info.back.has_fields:
        return _sort_key(info.forward or info.back) < _sort_key(info.back)
    return True


def _relation_field(side: RelationSide) -> RelationField:
    documentation = side.info.node.documentation
    return RelationField(
        side.name,
        side.related_model,
        side.info.arity,
        side.relation_name,
        side.field_names(),
        side.reference_names(),
        side.on_delete,
        side.on_update,
        side.map_name,
        side.info.ignored,
        "\n".join(documentation) if documentation else None,
    )


_KINDS = {
    Shape.ONE_TO_ONE: RelationKind.ONE_TO_ONE,
    Shape.ONE_TO_MANY: RelationKind.ONE_TO_MANY,
    Shape.IMPLICIT_MANY_TO_MANY: RelationKind.MANY_TO_MANY,
    Shape.EMBEDDED_MANY_TO_MANY: RelationKind.MANY_TO_MANY,
}


def _build_relation(ctx: Context, info: RelationInfo) -> Relation:
    if info.shape is IMPLICIT_MANY_TO_MANY:
        assert info.forward is not None and info.back is not None
        return _many_to_many(ctx, info.name, info.forward, info.back)
    forward, back = info.forward, info.back
    if forward is not None:
        model_a, field_a = forward.model_name, forward.name
        model_b = forward.related_model
    else:
        assert back is not None
        model_a, field_a, model_b = back.related_model, None, back.model_name
    foreign_key = _foreign_key(ctx, forward) if forward is not None else None
    return Relation(
        info.name,
        _KINDS[info.shape],
        model_a,
        field_a,
        model_b,
        back.name if back is not None else None,
        foreign_key,
        None,
        foreign_key is not None and _emits_foreign_key(ctx, forward),
    )


def _many_to_many(ctx: Context, name: str, a: RelationSide, b: RelationSide) -> Relation:
    # Column "A" references the model whose name sorts first (for a
    # self-relation: the model of the field whose name sorts first).
    join = JoinTable(
        db_name=f"_{name}",
        model_a=a.model_name,
        model_b=b.model_name,
        schema=block_schema(a.model),
    )
    return Relation(
        name=name,
        kind=RelationKind.MANY_TO_MANY,
        model_a=a.model_name,
        field_a=a.name,
        model_b=b.model_name,
        field_b=b.name,
        join_table=join,
        emits_foreign_key=_emits_foreign_key(ctx, a),
    )


def _emits_foreign_key(ctx: Context, side: RelationSide | None) -> bool:
    """Foreign keys exist only with relationMode = "foreignKeys", between tables (not views).

    `@ignore`/`@@ignore` do not matter: Prisma Migrate still creates the constraint."""
    if side is None or ctx.relation_mode == "prisma" or ctx.provider == "mongodb":
        return False
    return not side.owner.is_view and not side.related.is_view


def _foreign_key(ctx: Context, forward: RelationSide) -> ForeignKeySide | None:
    if not forward.fields or not forward.references:
        return None
    return ForeignKeySide(
        forward.model_name,
        forward.fields,
        forward.related_model,
        forward.references,
        effective_on_delete(ctx, forward),
        effective_on_update(forward),
        foreign_key_constraint_name(ctx, forward),
    )


# ── referential actions ────────────────────────────────────────────────────


def referencing_fields(side: RelationSide) -> list[FieldInfo]:
    """The fields named in `fields:` that exist in the side's model."""
    if side.referencing is None:
        by_name = side.own_fields
        side.referencing = [by_name[name] for name in side.fields or () if name in by_name]
    return side.referencing


def referential_arity(side: RelationSide) -> Arity:
    """Required as soon as one referencing field is required, else the relation field's arity."""
    if any(f.arity is REQUIRED_ARITY for f in referencing_fields(side)):
        return REQUIRED_ARITY
    return side.arity


def supports_restrict(ctx: Context) -> bool:
    """SQL Server has no RESTRICT; NO ACTION takes its place as the default."""
    return not (ctx.provider == "sqlserver" and ctx.relation_mode != "prisma")


def default_on_delete(ctx: Context, side: RelationSide) -> ReferentialAction:
    if referential_arity(side) is REQUIRED_ARITY:
        return _RESTRICT if supports_restrict(ctx) else ReferentialAction.NO_ACTION
    return _SET_NULL


def effective_on_delete(ctx: Context, side: RelationSide) -> ReferentialAction:
    return side.on_delete if side.on_delete is not None else default_on_delete(ctx, side)


def effective_on_update(side: RelationSide) -> ReferentialAction:
    return side.on_update if side.on_update is not None else _CASCADE


# ── names ───────────────────────────────────────────────────────────────────


def block_schema(block: ast.Block) -> str | None:
    """The `@@schema("x")` of a model or view."""
    for attr in block.attributes:
        if attr.attribute.name != "schema":
            continue
        for arg in attr.attribute.arguments.arguments:
            if isinstance(arg.value, ast.StringValue):
                return arg.value.value
    return None


def foreign_key_constraint_name(ctx: Context, side: RelationSide) -> str:
    """`map:`, else Prisma's default `{table}_{columns}_fkey` cut to the provider's limit."""
    if side.map_name is not None:
        return side.map_name
    if side.default_constraint_name is None:
        by_name = side.own_fields
        columns = [by_name[name].db_name if name in by_name else name for name in side.fields or ()]
        side.default_constraint_name = foreign_key_name(side.owner.db_name, columns, ctx.provider)
    return side.default_constraint_name
