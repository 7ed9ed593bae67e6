"""Relations: pair relation fields, name each relation, resolve its foreign key.

A relation field is a field whose type is a model (or view). Two relation
fields form one relation when each points at the other's model and both carry
the same relation name (`@relation("name")`, or no name at all). The side with
`fields:`/`references:` holds the foreign key (1:1, 1:n); two list sides
without them form an implicit many-to-many relation stored in a join table
`_<RelationName>`.

`resolve_relations` reports what Prisma reports while reading `@relation`
arguments (unknown fields, malformed actions...). The rules that Prisma checks
only once the whole schema has been read (missing back-relation fields,
ambiguity, arity, uniqueness, referential actions...) live in
`relation_rules.py`; the pipeline runs them when this first pass found no error.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from schemamend.errors import Span
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
from schemamend.psl.validate.context import Context, field_db_name, model_db_name

# Longest identifier each database accepts; Prisma cuts generated constraint names to fit.
_MAX_IDENTIFIER_LENGTH = {
    "postgresql": 63,
    "cockroachdb": 63,
    "mysql": 64,
    "sqlserver": 128,
    "sqlite": 10_000,
    "mongodb": 10_000,
}
_FK_SUFFIX = "_fkey"

_ACTIONS = {action.value: action for action in ReferentialAction}


# ── the declared sides ──────────────────────────────────────────────────────


@dataclass(slots=True)
class FieldRef:
    """One name inside `fields: [...]` or `references: [...]`."""

    name: str
    span: Span


@dataclass(slots=True)
class ActionArg:
    """An `onDelete:` / `onUpdate:` argument; `action` is None when the value is not one."""

    action: ReferentialAction | None
    text: str
    span: Span  # the value
    argument_span: Span  # `onDelete: Cascade`


@dataclass(eq=False, slots=True)
class RelationSide:
    """One relation field as declared, with its parsed `@relation` arguments."""

    model: ast.Block
    field: ast.Field
    related_model: str
    attribute: ast.Attribute | None = None
    explicit_name: str | None = None
    fields: list[FieldRef] | None = None  # None: no `fields:` argument
    fields_span: Span | None = None
    references: list[FieldRef] | None = None
    references_span: Span | None = None
    on_delete: ActionArg | None = None
    on_update: ActionArg | None = None
    map_name: str | None = None
    map_span: Span | None = None
    opposite: RelationSide | None = None
    relation_name: str = ""  # explicit or generated, set when paired

    @property
    def model_name(self) -> str:
        return self.model.name.name

    @property
    def name(self) -> str:
        return self.field.name.name

    @property
    def arity(self) -> ast.Arity:
        return self.field.arity

    @property
    def is_list(self) -> bool:
        return self.field.arity is ast.Arity.LIST

    @property
    def is_self_relation(self) -> bool:
        return self.model_name == self.related_model

    @property
    def is_ignored(self) -> bool:
        return any(a.name == "ignore" for a in self.field.attributes)

    @property
    def has_fields_or_references(self) -> bool:
        return self.fields is not None or self.references is not None

    @property
    def span(self) -> Span:
        return self.field.span

    @property
    def key(self) -> tuple[str, str]:
        return (self.model_name, self.name)


@dataclass
class RelationResolution:
    relations: list[Relation]
    # (model name, field name) -> RelationField
    relation_fields: dict[tuple[str, str], RelationField]
    # every relation field, in declaration order
    sides: list[RelationSide] = field(default_factory=list)
    # the sides of each relation (the second is None when the back-relation field is missing)
    pairs: list[tuple[RelationSide, RelationSide | None]] = field(default_factory=list)


# ── entry point ─────────────────────────────────────────────────────────────


def resolve_relations(ctx: Context) -> RelationResolution:
    """Pair relation fields into relations; report malformed `@relation` arguments."""
    sides = _collect_sides(ctx)
    pairs = _pair_sides(sides)
    relations = [_build_relation(ctx, a, b) for a, b in pairs]
    relation_fields = {side.key: _relation_field(side) for side in sides}
    return RelationResolution(relations, relation_fields, sides, pairs)


# ── collecting sides ────────────────────────────────────────────────────────


def relation_field_blocks(ctx: Context) -> list[ast.Block]:
    """Models and views, in declaration order."""
    return list(ctx.models.values())


def is_relation_field(ctx: Context, fld: ast.Field) -> bool:
    return fld.field_type is not None and fld.field_type.name in ctx.models


def _collect_sides(ctx: Context) -> list[RelationSide]:
    sides: list[RelationSide] = []
    for block in relation_field_blocks(ctx):
        for fld in block.fields:
            if not is_relation_field(ctx, fld):
                continue
            assert fld.field_type is not None
            side = RelationSide(model=block, field=fld, related_model=fld.field_type.name)
            attr = next((a for a in fld.attributes if a.name == "relation"), None)
            if attr is not None:
                _read_relation_attribute(ctx, side, attr)
            sides.append(side)
    return sides


def _read_relation_attribute(ctx: Context, side: RelationSide, attr: ast.Attribute) -> None:
    side.attribute = attr
    for position, arg in enumerate(attr.arguments.arguments):
        name = arg.name.name if arg.name is not None else ("name" if position == 0 else "")
        value = arg.value
        if name == "name":
            if isinstance(value, ast.StringValue):
                side.explicit_name = value.value
        elif name == "fields":
            side.fields = _field_refs(value)
            side.fields_span = value.span
        elif name == "references":
            side.references = _field_refs(value)
            side.references_span = value.span
        elif name == "onDelete":
            side.on_delete = _action_arg(value, arg.span)
        elif name == "onUpdate":
            side.on_update = _action_arg(value, arg.span)
        elif name == "map" and isinstance(value, ast.StringValue):
            side.map_name = value.value
            side.map_span = value.span


def _field_refs(value: ast.Expression) -> list[FieldRef]:
    """`[a, b]` (or a lone `a`) → references to fields by name."""
    items = value.items if isinstance(value, ast.ArrayExpression) else [value]
    refs: list[FieldRef] = []
    for item in items:
        if isinstance(item, ast.ConstantValue):
            refs.append(FieldRef(item.name, item.span))
        elif isinstance(item, ast.StringValue):
            refs.append(FieldRef(item.value, item.span))
    return refs


def _action_arg(value: ast.Expression, argument_span: Span) -> ActionArg:
    text = value.span.text()
    action = _ACTIONS.get(value.name) if isinstance(value, ast.ConstantValue) else None
    return ActionArg(action, text, value.span, argument_span)


# ── pairing ─────────────────────────────────────────────────────────────────


def generated_relation_name(model_a: str, model_b: str) -> str:
    """Prisma's name for an unnamed relation: both model names, sorted, joined by "To"."""
    first, second = sorted((model_a, model_b))
    return f"{first}To{second}"


def _pair_sides(sides: list[RelationSide]) -> list[tuple[RelationSide, RelationSide | None]]:
    """Each side with the first unpaired field of the related model that points back with the
    same relation name; sides left alone form a relation with a missing back-relation field."""
    pairs: list[tuple[RelationSide, RelationSide | None]] = []
    paired: set[int] = set()
    for side in sides:
        if id(side) in paired:
            continue
        paired.add(id(side))
        opposite = next(
            (
                other
                for other in sides
                if id(other) not in paired
                and other.model_name == side.related_model
                and other.related_model == side.model_name
                and other.explicit_name == side.explicit_name
            ),
            None,
        )
        name = side.explicit_name or generated_relation_name(side.model_name, side.related_model)
        side.relation_name = name
        if opposite is not None:
            paired.add(id(opposite))
            opposite.relation_name = name
            side.opposite = opposite
            opposite.opposite = side
        pairs.append((side, opposite))
    return pairs


def forward_side(a: RelationSide, b: RelationSide | None) -> RelationSide | None:
    """The side that holds the foreign key (declares `fields:`/`references:`), if any."""
    candidates = [s for s in (a, b) if s is not None and not s.is_list]
    for side in candidates:
        if side.has_fields_or_references:
            return side
    if b is None or a.is_list or b.is_list:
        return candidates[0] if candidates else None
    return None


def relation_kind(a: RelationSide, b: RelationSide | None) -> RelationKind:
    if b is None:
        return RelationKind.ONE_TO_MANY
    if a.is_list and b.is_list:
        return RelationKind.MANY_TO_MANY
    if a.is_list or b.is_list:
        return RelationKind.ONE_TO_MANY
    return RelationKind.ONE_TO_ONE


# ── building the model's relation objects ──────────────────────────────────


def _relation_field(side: RelationSide) -> RelationField:
    return RelationField(
        name=side.name,
        related_model=side.related_model,
        arity=Arity(side.arity.value),
        relation_name=side.relation_name,
        fields=tuple(ref.name for ref in side.fields or ()),
        references=tuple(ref.name for ref in side.references or ()),
        on_delete=side.on_delete.action if side.on_delete else None,
        on_update=side.on_update.action if side.on_update else None,
        constraint_name=side.map_name,
        is_ignored=side.is_ignored,
        documentation="\n".join(side.field.documentation) or None,
    )


def _build_relation(ctx: Context, a: RelationSide, b: RelationSide | None) -> Relation:
    kind = relation_kind(a, b)
    if kind is RelationKind.MANY_TO_MANY:
        assert b is not None
        return _many_to_many(ctx, a, b)
    forward = forward_side(a, b)
    back = (b if forward is a else a) if forward is not None else b
    first = forward or a
    second = back if forward is not None else b
    foreign_key = _foreign_key(ctx, forward) if forward is not None else None
    return Relation(
        name=a.relation_name,
        kind=kind,
        model_a=first.model_name,
        field_a=first.name,
        model_b=first.related_model,
        field_b=second.name if second is not None else None,
        foreign_key=foreign_key,
        emits_foreign_key=foreign_key is not None and _emits_foreign_key(ctx, first),
    )


def _many_to_many(ctx: Context, a: RelationSide, b: RelationSide) -> Relation:
    # Column "A" references the model whose name sorts first; for a self-relation,
    # the field whose name sorts first is side A.
    first, second = sorted((a, b), key=lambda s: (s.model_name, s.name))
    first_block = ctx.models[first.model_name]
    join = JoinTable(
        db_name=f"_{a.relation_name}",
        model_a=first.model_name,
        model_b=second.model_name,
        schema=block_schema(first_block),
    )
    return Relation(
        name=a.relation_name,
        kind=RelationKind.MANY_TO_MANY,
        model_a=first.model_name,
        field_a=first.name,
        model_b=second.model_name,
        field_b=second.name,
        join_table=join,
        emits_foreign_key=_emits_foreign_key(ctx, first),
    )


def _emits_foreign_key(ctx: Context, side: RelationSide) -> bool:
    """Foreign keys exist only with relationMode = "foreignKeys", between tables (not views).

    `@ignore`/`@@ignore` do not matter: Prisma Migrate still creates the constraint."""
    if ctx.relation_mode == "prisma" or ctx.provider == "mongodb":
        return False
    related = ctx.models.get(side.related_model)
    return side.model.kind is not ast.BlockKind.VIEW and (
        related is None or related.kind is not ast.BlockKind.VIEW
    )


def _foreign_key(ctx: Context, forward: RelationSide) -> ForeignKeySide | None:
    if forward.fields is None or forward.references is None:
        return None
    fields = tuple(ref.name for ref in forward.fields)
    on_delete = effective_on_delete(ctx, forward)
    on_update = forward.on_update.action if forward.on_update and forward.on_update.action else None
    return ForeignKeySide(
        model=forward.model_name,
        fields=fields,
        referenced_model=forward.related_model,
        references=tuple(ref.name for ref in forward.references),
        on_delete=on_delete,
        on_update=on_update or ReferentialAction.CASCADE,
        constraint_name=forward.map_name or default_foreign_key_name(ctx, forward),
    )


# ── referential actions ────────────────────────────────────────────────────


def referencing_fields(side: RelationSide) -> list[ast.Field]:
    """The scalar fields named in `fields:` that exist in the side's model."""
    by_name = {f.name.name: f for f in side.model.fields}
    return [by_name[ref.name] for ref in side.fields or () if ref.name in by_name]


def referential_arity(side: RelationSide) -> ast.Arity:
    """Required as soon as one referencing field is required, else the relation field's arity."""
    if any(f.arity is ast.Arity.REQUIRED for f in referencing_fields(side)):
        return ast.Arity.REQUIRED
    return side.arity


def supports_restrict(ctx: Context) -> bool:
    return not (ctx.provider == "sqlserver" and ctx.relation_mode != "prisma")


def default_on_delete(ctx: Context, side: RelationSide) -> ReferentialAction:
    if referential_arity(side) is ast.Arity.REQUIRED:
        return ReferentialAction.RESTRICT if supports_restrict(ctx) else ReferentialAction.NO_ACTION
    return ReferentialAction.SET_NULL


def effective_on_delete(ctx: Context, side: RelationSide) -> ReferentialAction:
    if side.on_delete is not None and side.on_delete.action is not None:
        return side.on_delete.action
    return default_on_delete(ctx, side)


def effective_on_update(side: RelationSide) -> ReferentialAction:
    if side.on_update is not None and side.on_update.action is not None:
        return side.on_update.action
    return ReferentialAction.CASCADE


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


def max_identifier_length(ctx: Context) -> int:
    return _MAX_IDENTIFIER_LENGTH.get(ctx.provider or "", 10_000)


def truncate_identifier(text: str, limit: int) -> str:
    """The longest prefix of `text` of at most `limit` UTF-8 bytes, cut at a character boundary."""
    encoded = text.encode()
    if len(encoded) <= limit:
        return text
    return encoded[:limit].decode(errors="ignore")


def default_foreign_key_name(ctx: Context, side: RelationSide) -> str:
    """`{table}_{column}_..._fkey`, the prefix cut so the whole fits the database's limit."""
    by_name = {f.name.name: f for f in side.model.fields}
    columns = [
        field_db_name(by_name[ref.name]) if ref.name in by_name else ref.name
        for ref in side.fields or ()
    ]
    prefix = "_".join([model_db_name(side.model), *columns])
    return truncate_identifier(prefix, max_identifier_length(ctx) - len(_FK_SUFFIX)) + _FK_SUFFIX
