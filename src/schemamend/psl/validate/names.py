"""First passes: the symbol table (top-level names, field names, enum values)
and field type resolution."""

from __future__ import annotations

from schemamend.diagnostics import Diagnostic, Severity, Span
from schemamend.model.datamodel import SCALAR_TYPES
from schemamend.psl import ast
from schemamend.psl.validate.context import Context, mapped_name
from schemamend.psl.validate.members import ENUM_BLOCK, MODEL_BLOCK, UNSUPPORTED_KIND, VIEW_BLOCK
from schemamend.psl.validate.resolved import ModelInfo, Resolved

EXTRA_SCALAR_TYPES = ("Geometry", "Geography")  # PostGIS types (PostgreSQL only)
ALL_SCALAR_TYPES = frozenset(SCALAR_TYPES + EXTRA_SCALAR_TYPES)

_KIND_WORD = {
    ast.BlockKind.MODEL: "model",
    ast.BlockKind.VIEW: "view",
    ast.BlockKind.ENUM: "enum",
    ast.BlockKind.TYPE: "composite type",
}


_TITLE_WORD = {
    ast.BlockKind.MODEL: "Model",
    ast.BlockKind.VIEW: "View",
    ast.BlockKind.ENUM: "Enum",
    ast.BlockKind.TYPE: "Composite type",
}


def _dash(ctx: Context, title: str, span: Span) -> None:
    ctx.error(f"Error validating: The character `-` is not allowed in {title} names.", span)


def without_newline(span: Span) -> Span:
    text = span.file.text
    end = span.end
    while end > span.start and text[end - 1] in "\r\n":
        end -= 1
    return Span(span.file, span.start, end)


# A model whose field database names are left to compare once `@map` is read, with the
# place (in ctx.diagnostics) where the names pass would have reported them.
PendingNames = tuple[int, ast.Block]


def resolve_names(ctx: Context) -> list[PendingNames]:
    """Fill ctx.models / ctx.enums / ctx.composite_types; report clashes.

    A model whose field names are all unique and plain (the usual case) can only clash
    through `@map`; its database names are compared after the attribute pass, which reads
    `@map` anyway (`check_database_names`), instead of scanning every attribute here."""
    seen: dict[str, ast.Block] = {}
    for block in ctx.blocks():
        if block.kind not in _KIND_WORD:
            continue
        name = block.name.name
        word = _KIND_WORD[block.kind]
        if name[:1].isdigit():
            ctx.error(
                f"Error validating: The name of a {word} must not start with a number.",
                block.name.span,
            )
        if "-" in name:
            _dash(ctx, _TITLE_WORD[block.kind], block.name.span)
        if name in ALL_SCALAR_TYPES:
            ctx.error(
                f'"{name}" is a reserved scalar type name and cannot be used.', block.name.span
            )
            continue
        previous = seen.get(name)
        if previous is not None:
            ctx.error(
                f'The {word} "{name}" cannot be defined because a {_KIND_WORD[previous.kind]} '
                "with that name already exists.",
                block.name.span,
            )
            continue
        seen[name] = block
        if block.kind in (MODEL_BLOCK, VIEW_BLOCK):
            ctx.models[name] = block
        elif block.kind is ENUM_BLOCK:
            ctx.enums[name] = block
        else:
            ctx.composite_types[name] = block
    pending: list[PendingNames] = []
    for block in ctx.models.values():
        if _plain_unique_field_names(block):
            pending.append((len(ctx.diagnostics), block))
        else:
            _check_field_names(ctx, block)
    for block in ctx.composite_types.values():
        _check_field_names(ctx, block)
    for block in ctx.enums.values():
        _check_enum_values(ctx, block)
    return pending


def _plain_unique_field_names(block: ast.Block) -> bool:
    """No name repeated, none starting with a digit, none holding a dash."""
    names = [field.name.name for field in block.fields]
    return (
        len(set(names)) == len(names)
        and not any(map(str.isdigit, [name[:1] for name in names]))
        and "-" not in "".join(names)
    )


def check_database_names(ctx: Context, pending: list[PendingNames], resolved: Resolved) -> None:
    """No two fields of a model left pending by `resolve_names` may have the same database
    name; the messages go where the names pass would have put them."""
    found: list[tuple[int, list[Diagnostic]]] = []
    for position, block in pending:
        model = resolved.models[block.name.name]
        if model.has_mapped_field:
            errors = _repeated_database_names(ctx, block, model)
            if errors:
                found.append((position, errors))
    for position, errors in reversed(found):  # later places first: earlier ones stay valid
        ctx.diagnostics[position:position] = errors


def _repeated_database_names(ctx: Context, block: ast.Block, model: ModelInfo) -> list[Diagnostic]:
    """What `_check_field_names` reports for fields whose names are unique and plain."""
    word = _KIND_WORD[block.kind]
    seen: set[str] = set()
    errors: list[Diagnostic] = []
    # `_is_relation_type` on the field records (`Unsupported("...")` has the type name
    # "Unsupported" in the syntax tree)
    unsupported_is_model = "Unsupported" in ctx.models
    for info in model.fields:
        if info.is_relation or (unsupported_is_model and info.kind is UNSUPPORTED_KIND):
            continue
        field = info.node
        db_name = (mapped_name(field.attributes, "map") if info.has_map else None) or info.name
        if db_name in seen:
            message = f'Field "{info.name}" is already defined on {word} "{block.name.name}".'
            errors.append(Diagnostic(Severity.ERROR, message, field.span))
            continue
        seen.add(db_name)
    return errors


def _check_field_names(ctx: Context, block: ast.Block) -> None:
    word = _KIND_WORD[block.kind]
    by_name: set[str] = set()
    by_db_name: set[str] = set()
    for field in block.fields:
        name = field.name.name
        if name[:1].isdigit():
            ctx.error(
                "Error validating: The name of a field must not start with a number.",
                field.name.span,
            )
        if "-" in name:
            _dash(ctx, "Field", field.name.span)
        repeated = name in by_name
        if repeated:
            ctx.error(
                f'Field "{name}" is already defined on {word} "{block.name.name}".', field.name.span
            )
        by_name.add(name)
        if _is_relation_type(ctx, field):
            continue
        mapped = mapped_name(field.attributes, "map") if field.attributes else None
        if repeated and mapped is None:
            continue
        db_name = mapped or name
        if db_name in by_db_name:
            ctx.error(
                f'Field "{name}" is already defined on {word} "{block.name.name}".', field.span
            )
            continue
        by_db_name.add(db_name)


def _is_relation_type(ctx: Context, field: ast.Field) -> bool:
    return field.field_type is not None and field.field_type.name in ctx.models


def _check_enum_values(ctx: Context, block: ast.Block) -> None:
    names: set[str] = set()
    for value in block.values:
        name = value.name.name
        if name[:1].isdigit():
            ctx.error(
                "Error validating: The name of a Enum Value must not start with a number.",
                value.name.span,
            )
        if "-" in name:
            _dash(ctx, "Enum Value", value.name.span)
        if name in names:
            ctx.error(f'Value "{name}" is already defined on enum "{block.name.name}".', value.span)
            continue
        names.add(name)


def resolve_types(ctx: Context) -> None:
    """Every field type must be a scalar, an enum, a model/view or a composite type."""
    for file in ctx.files:
        for item in file.items:
            if isinstance(item, ast.TypeAlias):
                ctx.error(
                    "Error validating: Invalid type definition. Please check the documentation in "
                    "https://pris.ly/d/composite-types",
                    without_newline(item.span),
                )
    declared = ALL_SCALAR_TYPES | ctx.enums.keys() | ctx.models.keys() | ctx.composite_types.keys()
    for block in list(ctx.models.values()) + list(ctx.composite_types.values()):
        for field in block.fields:
            ftype = field.field_type
            if ftype is None or ftype.unsupported is not None or ftype.name in declared:
                continue
            name = ftype.name
            ctx.error(
                f'Type "{name}" is neither a built-in type, nor refers to another model, composite type, or enum.',
                ftype.span,
            )
