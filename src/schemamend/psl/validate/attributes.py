"""The attribute pass: read every field and block attribute into `Resolved`.

Reports unknown and repeated attributes, argument shapes, literal default
types, `@updatedAt` types and index field lists. Checks that need the whole
schema or the provider's capabilities run later (checks.py).
"""

from __future__ import annotations

from collections.abc import Callable

from schemamend.model.datamodel import Arity, FieldKind, IndexKind, SortOrder
from schemamend.psl import ast
from schemamend.psl.validate.args import (
    ArgReader,
    attribute_error,
    has_arguments,
    reject_arguments,
    sole_string_argument,
    sole_unnamed_argument,
    type_mismatch,
)
from schemamend.psl.validate.context import Context
from schemamend.psl.validate.defaults import read_default
from schemamend.psl.validate.members import (
    ENUM_KIND,
    FULLTEXT_INDEX,
    LIST_ARITY,
    NORMAL_INDEX,
    REQUIRED_ARITY,
    SCALAR_KIND,
    UNIQUE_INDEX,
    UNSUPPORTED_KIND,
    VIEW_BLOCK,
)
from schemamend.psl.validate.names import ALL_SCALAR_TYPES
from schemamend.psl.validate.resolved import (
    EnumInfo,
    EnumValueInfo,
    FieldInfo,
    IndexFieldInfo,
    IndexInfo,
    ModelInfo,
    NativeTypeUse,
    Resolved,
)

MODEL_FIELD_ATTRIBUTES = frozenset(
    {"id", "unique", "default", "map", "updatedAt", "ignore", "relation", "shardKey"}
)
COMPOSITE_FIELD_ATTRIBUTES = frozenset({"map", "default"})
# on relation fields: `@relation` and `@ignore`; the others known here get a dedicated error
RELATION_FIELD_ATTRIBUTES = frozenset({"relation", "ignore", "map", "default", "unique", "id"})
MODEL_BLOCK_ATTRIBUTES = frozenset(
    {"id", "unique", "index", "fulltext", "map", "ignore", "schema", "namespace", "shardKey"}
)

REPEATABLE_BLOCK_ATTRIBUTES = frozenset({"unique", "index", "fulltext"})
ENUM_BLOCK_ATTRIBUTES = frozenset({"map", "schema", "namespace"})
INDEX_ALGORITHMS = ("BTree", "Hash", "Gist", "Gin", "SpGist", "Brin")

_ARITY = {
    ast.Arity.REQUIRED: Arity.REQUIRED,
    ast.Arity.OPTIONAL: Arity.OPTIONAL,
    ast.Arity.LIST: Arity.LIST,
}


# What a field's type name means: (scalar or enum kind, is a relation, is a composite type).
TypeClass = tuple[FieldKind | None, bool, bool]
_UNKNOWN_TYPE: TypeClass = (None, False, False)


def resolve_attributes(ctx: Context, datasource_name: str | None) -> Resolved:
    resolved = Resolved()
    for enum_block in ctx.enums.values():
        resolved.enums[enum_block.name.name] = _resolve_enum(ctx, enum_block, resolved)
    types = _type_classes(ctx)
    native_prefix = datasource_name or "db"
    for block in ctx.models.values():
        resolved.models[block.name.name] = _resolve_model(
            ctx, block, resolved, types, native_prefix
        )
    for block in ctx.composite_types.values():
        _resolve_composite_type(ctx, block, resolved, types)
    return resolved


def _type_classes(ctx: Context) -> dict[str, TypeClass]:
    """Every type name a field may use. A scalar name wins over an enum, an enum over a
    model, a model over a composite type (the clashes themselves are reported)."""
    classes: dict[str, TypeClass] = dict.fromkeys(ctx.composite_types, (None, False, True))
    classes.update(dict.fromkeys(ctx.models, (None, True, False)))
    classes.update(dict.fromkeys(ctx.enums, (ENUM_KIND, False, False)))
    classes.update(dict.fromkeys(ALL_SCALAR_TYPES, (SCALAR_KIND, False, False)))
    return classes


# ── enums ────────────────────────────────────────────────────────────────


def _resolve_enum(ctx: Context, block: ast.Block, resolved: Resolved) -> EnumInfo:
    info = EnumInfo(block, block.name.name, block.name.name)
    if not block.values:
        ctx.error("Error validating: An enum must have at least one value.", block.span)
    attrs = [m.attribute for m in block.attributes]
    _report_unknown_and_repeated(ctx, attrs, ENUM_BLOCK_ATTRIBUTES, set(), prefix="@@")
    for attr in attrs:
        if attr.name == "map":
            name = _read_map(ctx, attr)
            if name is not None:
                info.db_name = name
                info.map_attr = attr
        elif attr.name in ("schema", "namespace"):
            _read_schema(ctx, attr, info, resolved)
    for value in block.values:
        value_attrs = value.attributes
        _report_unknown_and_repeated(ctx, value_attrs, frozenset({"map"}), set(), prefix="@")
        db_name = value.name.name
        for attr in value_attrs:
            if attr.name == "map":
                mapped = _read_map(ctx, attr)
                if mapped is not None:
                    db_name = mapped
        info.values.append(EnumValueInfo(value, value.name.name, db_name))
    info.value_names = {v.name for v in info.values}
    return info


def _read_schema(
    ctx: Context, attr: ast.Attribute, info: ModelInfo | EnumInfo, resolved: Resolved
) -> None:
    reader = ArgReader(ctx, attr)
    name = reader.string(reader.required_default("map"))
    reader.finish()
    resolved.schema_attribute = attr.name
    resolved.uses_schema_attribute = True
    info.schema_attr = attr
    if ctx.provider == "sqlite" and isinstance(info, ModelInfo):
        ctx.error(f"@@{attr.name} is not supported on the current datasource provider", attr.span)
    if name is not None:
        info.schema = name


def _read_map(ctx: Context, attr: ast.Attribute) -> str | None:
    name = sole_string_argument(attr)
    if name is not None:
        return name
    reader = ArgReader(ctx, attr)
    name = reader.string(reader.required_default("name"))
    reader.finish()
    return name


def _report_unknown_and_repeated(
    ctx: Context,
    attrs: list[ast.Attribute],
    known: frozenset[str],
    repeatable: set[str],
    prefix: str,
) -> None:
    counts: dict[str, int] = {}
    for attr in attrs:
        counts[attr.name] = counts.get(attr.name, 0) + 1
    for attr in attrs:
        if attr.name not in known:
            _unknown(ctx, attr, prefix)
            continue
        if counts[attr.name] > 1 and attr.name not in repeatable:
            ctx.error(f'Attribute "@{attr.name}" can only be defined once.', attr.span)


def _unknown(ctx: Context, attr: ast.Attribute, prefix: str) -> None:
    ctx.error(f'Attribute not known: "@{attr.name}".', attr.span)


# ── models and views ─────────────────────────────────────────────────────


def _field_info(field: ast.Field, types: dict[str, TypeClass]) -> FieldInfo:
    ftype = field.field_type
    arity = _ARITY[field.arity]
    name = field.name.name
    if ftype is None:
        return FieldInfo(field, name, "", arity, None, False, False, name)
    if ftype.unsupported is not None:
        return FieldInfo(
            field, name, ftype.unsupported, arity, UNSUPPORTED_KIND, False, False, name
        )
    kind, is_relation, is_composite = types.get(ftype.name, _UNKNOWN_TYPE)
    return FieldInfo(field, name, ftype.name, arity, kind, is_relation, is_composite, name)


def _resolve_model(
    ctx: Context,
    block: ast.Block,
    resolved: Resolved,
    types: dict[str, TypeClass],
    native_prefix: str,
) -> ModelInfo:
    model = ModelInfo(block, block.name.name, block.kind is VIEW_BLOCK, db_name=block.name.name)
    fields, by_name, relation_fields = model.fields, model.by_name, model.relation_fields
    field_ids: list[FieldInfo] = []
    shard_fields: list[FieldInfo] = []
    for field in block.fields:
        info = _field_info(field, types)
        fields.append(info)
        if info.name not in by_name:
            by_name[info.name] = info
        if info.is_relation:
            relation_fields.append(info)
        if field.attributes:
            _resolve_field_attributes(ctx, model, info, resolved, native_prefix)
            if info.is_id:
                field_ids.append(info)
            if info.shard_key:
                shard_fields.append(info)
    block_attrs = [m.attribute for m in block.attributes]
    if block_attrs:
        _report_block_attributes(ctx, block_attrs)
        for attr in block_attrs:
            _resolve_block_attribute(ctx, model, attr, resolved)
    _check_single_id(ctx, model, block_attrs, field_ids, shard_fields)
    if model.ignored:
        for info in model.fields:
            if info.ignored:
                ctx.error(
                    'Error parsing attribute "@ignore": Fields on an already ignored Model do not need an '
                    "`@ignore` annotation.",
                    info.span,
                )
    return model


def _repeated_names(attrs: list[ast.Attribute]) -> dict[str, int] | None:
    """How many times each attribute name is written, when some name is written twice."""
    if len(attrs) < 2:
        return None
    names = [attr.name for attr in attrs]
    if len(set(names)) == len(names):
        return None
    counts: dict[str, int] = {}
    for name in names:
        counts[name] = counts.get(name, 0) + 1
    return counts


def _report_block_attributes(ctx: Context, attrs: list[ast.Attribute]) -> None:
    counts = _repeated_names(attrs)
    for attr in attrs:
        if attr.name not in MODEL_BLOCK_ATTRIBUTES:
            _unknown(ctx, attr, "@@")
        elif (
            counts is not None
            and counts[attr.name] > 1
            and attr.name not in REPEATABLE_BLOCK_ATTRIBUTES
        ):
            ctx.error(f'Attribute "@{attr.name}" can only be defined once.', attr.span)


def _resolve_field_attributes(
    ctx: Context, model: ModelInfo, info: FieldInfo, resolved: Resolved, native_prefix: str
) -> None:
    attrs = info.node.attributes
    counts = _repeated_names(attrs) if len(attrs) > 1 else None
    native_seen = misplaced_relation = False
    for attr in attrs:
        name = attr.name
        if "." in name:
            prefix, _, type_name = name.partition(".")
            if prefix != native_prefix:
                info.foreign_prefixed += (attr,)  # reported with the validations
                continue
            if native_seen:
                ctx.error(f'Attribute "@{prefix}" can only be defined once.', attr.span)
                continue
            if info.kind is not SCALAR_KIND:
                if info.kind is not None or info.is_relation or info.is_composite:
                    _unknown(ctx, attr, "@")  # unknown field types are reported already
                continue
            native_seen = True
            info.native = NativeTypeUse(
                type_name, [a.value for a in attr.arguments.arguments], attr, prefix
            )
            continue
        if name not in MODEL_FIELD_ATTRIBUTES:
            _unknown(ctx, attr, "@")
            continue
        if name == "map":
            info.has_map = model.has_mapped_field = True
        elif name == "relation" and not info.is_relation:
            misplaced_relation = True
        if counts is not None and counts[name] > 1:
            ctx.error(f'Attribute "@{name}" can only be defined once.', attr.span)
            continue
        if info.is_relation:
            _resolve_relation_field_attribute(ctx, model, info, attr)
            continue
        read = _FIELD_ATTRIBUTE_READERS.get(name)  # `@relation` belongs to the relation pass
        if read is not None:
            read(ctx, model, info, attr, resolved)
    if misplaced_relation and (info.kind is not None or info.is_composite):
        resolved.misplaced_relation_fields.append(info)  # fields of unknown type are reported


def _resolve_relation_field_attribute(
    ctx: Context, model: ModelInfo, info: FieldInfo, attr: ast.Attribute
) -> None:
    """Relation fields take `@relation` (read by the relation pass) and `@ignore`."""
    name = attr.name
    if name == "map":
        attribute_error(ctx, attr, "The attribute `@map` cannot be used on relation fields.")
    elif name not in RELATION_FIELD_ATTRIBUTES:
        _unknown(ctx, attr, "@")
    elif name == "default":
        attribute_error(ctx, attr, "Cannot set a default value on a relation field.")
    elif name in ("unique", "id"):
        _relation_field_marked(ctx, model, info, attr)
    elif name == "ignore":
        _read_field_ignore(ctx, model, info, attr, None)


def _read_field_map(
    ctx: Context, model: ModelInfo, info: FieldInfo, attr: ast.Attribute, resolved: Resolved
) -> None:
    mapped = _read_map(ctx, attr)
    if mapped is not None:
        info.db_name = mapped
        info.map_attr = attr


def _read_field_default(
    ctx: Context, model: ModelInfo, info: FieldInfo, attr: ast.Attribute, resolved: Resolved
) -> None:
    if info.kind is None and not info.is_composite:
        return  # the field's type is unknown (reported); nothing to check the default against
    enum = resolved.enums.get(info.type_name) if info.kind is ENUM_KIND else None
    read_default(ctx, info, attr, enum.value_names if enum else None, resolved.default_values)


def _read_updated_at(
    ctx: Context, model: ModelInfo, info: FieldInfo, attr: ast.Attribute, resolved: Resolved
) -> None:
    reject_arguments(ctx, attr)
    wrong_type = info.type_name != "DateTime" or info.kind is not SCALAR_KIND
    if wrong_type:
        attribute_error(
            ctx, attr, "Fields that are marked with @updatedAt must be of type DateTime."
        )
    if info.arity is LIST_ARITY:
        attribute_error(ctx, attr, "Fields that are marked with @updatedAt cannot be lists.")
    elif not wrong_type:
        info.updated_at = True


def _read_field_ignore(
    ctx: Context, model: ModelInfo, info: FieldInfo, attr: ast.Attribute, resolved: Resolved | None
) -> None:
    reject_arguments(ctx, attr)
    info.ignored = True


def _read_field_id(
    ctx: Context, model: ModelInfo, info: FieldInfo, attr: ast.Attribute, resolved: Resolved
) -> None:
    index = _field_level_index(ctx, info, attr, None, ("map", "length", "sort", "clustered"))
    info.is_id = True
    if model.primary_key is None:
        model.primary_key = index


def _read_field_unique(
    ctx: Context, model: ModelInfo, info: FieldInfo, attr: ast.Attribute, resolved: Resolved
) -> None:
    model.indexes.append(
        _field_level_index(
            ctx, info, attr, UNIQUE_INDEX, ("map", "length", "sort", "clustered", "where")
        )
    )


def _read_field_shard_key(
    ctx: Context, model: ModelInfo, info: FieldInfo, attr: ast.Attribute, resolved: Resolved
) -> None:
    reject_arguments(ctx, attr)
    info.shard_key = True


_FieldAttributeReader = Callable[[Context, ModelInfo, FieldInfo, ast.Attribute, Resolved], None]
_FIELD_ATTRIBUTE_READERS: dict[str, _FieldAttributeReader] = {
    "map": _read_field_map,
    "default": _read_field_default,
    "updatedAt": _read_updated_at,
    "ignore": _read_field_ignore,
    "id": _read_field_id,
    "unique": _read_field_unique,
    "shardKey": _read_field_shard_key,
}


def _relation_field_marked(
    ctx: Context, model: ModelInfo, info: FieldInfo, attr: ast.Attribute
) -> None:
    scalars = _suggested_scalars(model, [info.name])
    hint = f" Did you mean to put it on `{', '.join(scalars)}`?" if scalars else ""
    if attr.name == "id":
        message = (
            f"The field `{info.name}` is a relation field and cannot be marked with `@id`. "
            f"Only scalar fields can be declared as id.{hint}"
        )
    else:
        message = (
            f"The field `{info.name}` is a relation field and cannot be marked with `unique`. "
            f"Only scalar fields can be made unique.{hint}"
        )
    attribute_error(ctx, attr, message)


def _field_level_index(
    ctx: Context,
    info: FieldInfo,
    attr: ast.Attribute,
    kind: IndexKind | None,
    allowed: tuple[str, ...],
) -> IndexInfo:
    field = IndexFieldInfo(info.name)
    index = IndexInfo(kind, [field], attr, True)
    if not has_arguments(attr):
        return index
    reader = ArgReader(ctx, attr)
    _read_common_index_args(ctx, reader, index, allowed)
    if "sort" in allowed:
        field.sort = _read_sort(reader, reader.named("sort"))
    if "length" in allowed:
        field.length = _read_length(ctx, reader, reader.named("length"))
    reader.finish()
    return index


def _read_sort(reader: ArgReader, arg: ast.Argument | None) -> SortOrder | None:
    value = reader.constant(arg)
    if value is None:
        return None
    if value == "Asc":
        return SortOrder.ASC
    if value == "Desc":
        return SortOrder.DESC
    assert arg is not None
    reader.ctx.error("Unexpected token. Expected one of: Asc, Desc", reader.attr.span)
    reader.ok = False
    return None


def _read_length(ctx: Context, reader: ArgReader, arg: ast.Argument | None) -> int | None:
    if arg is None:
        return None
    if isinstance(arg.value, ast.NumericValue) and arg.value.text.isdigit():
        return int(arg.value.text)
    type_mismatch(ctx, "a numeric", arg.value)
    reader.ok = False
    return None


def _read_common_index_args(
    ctx: Context, reader: ArgReader, index: IndexInfo, allowed: tuple[str, ...]
) -> None:
    label = "@" + index.attr.name
    if "map" in allowed:
        arg = reader.named("map")
        value = reader.string(arg)
        if value is not None and arg is not None:
            if value == "":
                attribute_error(ctx, index.attr, "The `map` argument cannot be an empty string.")
                reader.ok = False
            else:
                index.map = value
                index.map_span = arg.span
    if "name" in allowed:
        index.client_name = reader.string(reader.named("name"))
    if "clustered" in allowed:
        index.clustered = reader.boolean(reader.named("clustered"))
    if "where" in allowed:
        arg = reader.named("where")
        if arg is not None:
            _read_where(ctx, index, arg, label)
    if "type" in allowed:
        arg = reader.named("type")
        algorithm = reader.constant(arg)
        if algorithm is not None:
            if algorithm not in INDEX_ALGORITHMS:
                attribute_error_label(
                    ctx, "@index", f"Unknown index type: {algorithm}.", index.attr
                )
                reader.ok = False
            else:
                index.algorithm = algorithm


def attribute_error_label(ctx: Context, label: str, message: str, attr: ast.Attribute) -> None:
    ctx.error(f'Error parsing attribute "{label}": {message}', attr.span)


def _read_where(ctx: Context, index: IndexInfo, arg: ast.Argument, label: str) -> None:
    value = arg.value
    short = "@index" if index.kind is NORMAL_INDEX else "@unique"
    sql: str | None = None
    if isinstance(value, ast.StringValue):
        sql = value.value
    elif isinstance(value, ast.FunctionCall) and value.name == "raw" and value.arguments.arguments:
        first = value.arguments.arguments[0].value
        if isinstance(first, ast.StringValue):
            sql = first.value
    elif isinstance(value, ast.ObjectExpression):
        index.where_object = value
        sql = value.span.text()
    if sql is None:
        type_mismatch(ctx, "a string", value)
        return
    if sql.strip() == "":
        attribute_error_label(
            ctx, short, "The `where` argument cannot be an empty string.", index.attr
        )
        return
    if "partialIndexes" not in ctx.preview_features:
        label_long = ("@" if index.field_level else "@@") + index.attr.name
        attribute_error_label(
            ctx,
            label_long,
            "You have a partial index definition. Partial indexes are currently a preview feature. To use partial "
            'indexes, please add "partialIndexes" to the preview features.',
            index.attr,
        )
        return
    index.where = sql


def _resolve_block_attribute(
    ctx: Context, model: ModelInfo, attr: ast.Attribute, resolved: Resolved
) -> None:
    name = attr.name
    if name == "map":
        mapped = _read_map(ctx, attr)
        if mapped is not None:
            model.db_name = mapped
            model.map_attr = attr
    elif name == "ignore":
        reject_arguments(ctx, attr)
        model.ignored = True
    elif name in ("schema", "namespace"):
        _read_schema(ctx, attr, model, resolved)
    elif name == "id":
        index = _block_index(ctx, model, attr, None, ("map", "name", "clustered"))
        if index is not None and model.primary_key is None:
            model.primary_key = index
    elif name == "unique":
        index = _block_index(ctx, model, attr, UNIQUE_INDEX, ("map", "name", "clustered", "where"))
        if index is not None:
            model.indexes.append(index)
    elif name == "index":
        index = _block_index(
            ctx, model, attr, NORMAL_INDEX, ("map", "name", "clustered", "where", "type")
        )
        if index is not None:
            if index.client_name is not None and index.map is None:
                index.map = index.client_name  # `name:` on @@index is the index's database name
            index.client_name = None
            model.indexes.append(index)
    elif name == "fulltext":
        index = _block_index(ctx, model, attr, FULLTEXT_INDEX, ("map",))
        if index is not None:
            model.indexes.append(index)
    elif name == "shardKey":
        _read_shard_key(ctx, model, attr)


def _block_index(
    ctx: Context,
    model: ModelInfo,
    attr: ast.Attribute,
    kind: IndexKind | None,
    allowed: tuple[str, ...],
) -> IndexInfo | None:
    index = IndexInfo(kind, [], attr, False)
    fields_value = sole_unnamed_argument(attr)  # `@@index([a, b])`: no other argument
    arguments_ok = True
    if fields_value is None:
        reader = ArgReader(ctx, attr)
        fields_arg = reader.required_default("fields")
        _read_common_index_args(ctx, reader, index, allowed)
        reader.finish()
        if fields_arg is None:
            return None
        fields_value = fields_arg.value
        arguments_ok = reader.ok
    items = _field_list(ctx, fields_value, allow_args=True)
    if items is None:
        return None
    index.fields = items
    if not _check_index_fields(ctx, model, index):
        return None
    return index if arguments_ok else None


def _field_list(
    ctx: Context, expr: ast.Expression, *, allow_args: bool
) -> list[IndexFieldInfo] | None:
    entries = expr.items if isinstance(expr, ast.ArrayExpression) else [expr]
    out: list[IndexFieldInfo] = []
    ok = True
    for item in entries:
        if isinstance(item, ast.ConstantValue):
            out.append(IndexFieldInfo(item.name))
        elif isinstance(item, ast.FunctionCall) and allow_args:
            field = IndexFieldInfo(item.name)
            for arg in item.arguments.arguments:
                key = arg.name.name if arg.name else ""
                if key == "sort" and isinstance(arg.value, ast.ConstantValue):
                    if arg.value.name not in ("Asc", "Desc"):
                        ctx.error("Unexpected token. Expected one of: Asc, Desc", arg.span)
                        ok = False
                    field.sort = SortOrder.DESC if arg.value.name == "Desc" else SortOrder.ASC
                elif key == "length" and isinstance(arg.value, ast.NumericValue):
                    field.length = int(arg.value.text) if arg.value.text.isdigit() else None
                elif key == "ops":
                    ops = _operator_class(arg.value)
                    if ops is None:
                        ctx.error(
                            f"Unexpected token. Expected one of: Invalid operator class: {arg.value.span.text()}",
                            arg.span,
                        )
                        ok = False
                    field.ops = ops
                elif key in ("sort", "length"):
                    type_mismatch(ctx, "a constant" if key == "sort" else "a numeric", arg.value)
                    ok = False
                else:
                    ctx.error("No such argument.", arg.span)
                    ok = False
            out.append(field)
        else:
            type_mismatch(ctx, "a constant", item)
            ok = False
    return out if ok else None


_MINMAX_TYPES = (
    "Date", "Float4", "Float8", "Inet", "Int2", "Int4", "Int8", "Numeric", "Oid", "Timestamp",
    "TimestampTz", "Time", "TimeTz", "Uuid",
)  # fmt: skip
OPERATOR_CLASSES = frozenset(
    {"InetOps", "JsonbOps", "JsonbPathOps", "ArrayOps", "TextOps", "BitMinMaxOps", "VarBitMinMaxOps",
     "BpcharBloomOps", "BpcharMinMaxOps", "ByteaBloomOps", "ByteaMinMaxOps", "TextBloomOps", "TextMinMaxOps",
     "InetInclusionOps"}
    | {f"{t}{suffix}" for t in _MINMAX_TYPES for suffix in ("BloomOps", "MinMaxOps", "MinMaxMultiOps")}
)  # fmt: skip


def _operator_class(expr: ast.Expression) -> str | None:
    if isinstance(expr, ast.ConstantValue) and expr.name in OPERATOR_CLASSES:
        return expr.name
    if isinstance(expr, ast.FunctionCall) and expr.name == "raw":
        args = expr.arguments.arguments
        if len(args) == 1 and isinstance(args[0].value, ast.StringValue):
            return expr.span.text()
    return None


_INDEX_WORDING = {
    None: ("The multi field id declaration", "Id definitions"),
    IndexKind.UNIQUE: ("The unique index definition", "Index definitions"),
    IndexKind.NORMAL: ("The index definition", "Index definitions"),
    IndexKind.FULLTEXT: ("The index definition", "Index definitions"),
}


def _check_index_fields(ctx: Context, model: ModelInfo, index: IndexInfo) -> bool:
    if _distinct_scalar_fields(model, index):
        return True  # nothing to report (the usual case)
    subject, plural = _INDEX_WORDING[index.kind]
    unknown = [f.name for f in index.fields if f.name.split(".")[0] not in model.by_name]
    prefix = f'Error validating {model.label} "{model.name}": '
    if unknown:
        if index.kind is None:
            listed = ", ".join(f"`{n}`" for n in unknown)
            noun = "field" if len(unknown) == 1 else "fields"
            ctx.error(f"{prefix}{subject} refers to the unknown {noun} {listed}.", index.attr.span)
        else:
            ctx.error(
                f"{prefix}{subject} refers to the unknown fields: {', '.join(unknown)}.",
                index.attr.span,
            )
        return False
    seen: set[str] = set()
    for f in index.fields:
        if f.name in seen:
            subject_short = {
                None: "The id definition",
                UNIQUE_INDEX: "The unique index definition",
            }.get(index.kind, "The index definition")
            ctx.error(
                f"{prefix}{subject_short} refers to the field {f.name} multiple times.",
                index.attr.span,
            )
            return False
        seen.add(f.name)
    # fields of unknown type count as relation fields here, as in Prisma
    relation_fields = [
        f.name for f in index.fields if _not_scalar(model.by_name[f.name.split(".")[0]])
    ]
    if relation_fields and index.kind is None:
        listed = ", ".join(f"`{n}`" for n in relation_fields)
        noun = "field" if len(relation_fields) == 1 else "fields"
        ctx.error(
            f"{prefix}The id definition refers to the relation {noun} {listed}. "
            "ID definitions must reference only scalar fields.",
            index.attr.span,
        )
        return False
    if relation_fields:
        scalars = _suggested_scalars(model, relation_fields)
        attr_name = "@@" + index.attr.name
        suggestion = f" Did you mean `{attr_name}([{', '.join(scalars)}])`?" if scalars else ""
        ctx.error(
            f"{prefix}{subject} refers to the relation fields {', '.join(relation_fields)}. "
            f"{plural} must reference only scalar fields.{suggestion}",
            index.attr.span,
        )
        return False
    return True


def _distinct_scalar_fields(model: ModelInfo, index: IndexInfo) -> bool:
    """Every field of the index exists, is not a relation (nor of unknown type) and is
    named once."""
    by_name = model.by_name
    seen: set[str] = set()
    for field in index.fields:
        name = field.name
        info = by_name.get(name.split(".")[0] if "." in name else name)
        if info is None or name in seen or _not_scalar(info):
            return False
        seen.add(name)
    return True


def _not_scalar(info: FieldInfo) -> bool:
    return info.is_relation or (info.kind is None and not info.is_composite)


def _suggested_scalars(model: ModelInfo, relation_fields: list[str]) -> list[str]:
    out: list[str] = []
    for name in relation_fields:
        field = model.by_name[name]
        for attr in field.node.attributes:
            if attr.name != "relation":
                continue
            for arg in attr.arguments.arguments:
                if (
                    arg.name is not None
                    and arg.name.name == "fields"
                    and isinstance(arg.value, ast.ArrayExpression)
                ):
                    out.extend(i.name for i in arg.value.items if isinstance(i, ast.ConstantValue))
    return out


def _read_shard_key(ctx: Context, model: ModelInfo, attr: ast.Attribute) -> None:
    reader = ArgReader(ctx, attr)
    fields_arg = reader.required_default("fields")
    reader.finish()
    if fields_arg is None:
        return
    items = _field_list(ctx, fields_arg.value, allow_args=False)
    if items is None:
        return
    prefix = f'Error validating model "{model.name}": '
    if not items:
        attribute_error_label(
            ctx,
            "@@shardKey",
            "The list of fields in a `@@shardKey()` attribute cannot be empty. Please specify at least one field.",
            attr,
        )
        return
    unknown = [f.name for f in items if f.name not in model.by_name]
    if unknown:
        listed = ", ".join(f"`{n}`" for n in unknown)
        ctx.error(
            f"{prefix}The multi field shard key declaration refers to the unknown fields {listed}.",
            attr.span,
        )
        return
    for item in items:
        field = model.by_name[item.name]
        if field.is_relation:
            ctx.error(
                f"{prefix}The shard key definition refers to the relation field `{item.name}`. "
                "Shard key definitions must reference only scalar fields.",
                attr.span,
            )
            return
        if not field.is_required and not model.ignored and not _has_ignore(model):
            ctx.error(
                f"{prefix}The shard key definition refers to the optional field `{item.name}`. "
                "Shard key definitions must reference only required fields.",
                attr.span,
            )
            return


def _has_ignore(model: ModelInfo) -> bool:
    return any(m.attribute.name == "ignore" for m in model.block.attributes)


def _check_single_id(
    ctx: Context,
    model: ModelInfo,
    block_attrs: list[ast.Attribute],
    field_ids: list[FieldInfo],
    shard_fields: list[FieldInfo],
) -> None:
    """`field_ids`, `shard_fields`: the fields marked `@id`, `@shardKey`, in order."""
    if field_ids:
        has_block_id = any(a.name == "id" for a in block_attrs)
        # the primary key is the first `@id` field unless `@@id` replaces it
        if not has_block_id and field_ids[0].arity is not REQUIRED_ARITY:
            id_attr = next(a for a in field_ids[0].node.attributes if a.name == "id")
            attribute_error(ctx, id_attr, "Fields that are marked as id must be required.")
        if len(field_ids) > 1:
            ctx.error(
                f"{_model_error_prefix(model)}At most one field must be marked as the id field with the `@id` attribute.",
                model.block.span,
            )
        elif has_block_id:
            ctx.error(
                f"{_model_error_prefix(model)}Each {model.label} must have at most one id criteria. You can't have `@id` and `@@id` at the same time.",
                model.block.span,
            )
    if len(shard_fields) > 1:
        ctx.error(
            f"{_model_error_prefix(model)}At most one field must be marked as the shard key with the `@shardKey` attribute.",
            model.block.span,
        )
    elif shard_fields and any(a.name == "shardKey" for a in block_attrs):
        ctx.error(
            f"{_model_error_prefix(model)}Each model must have at most one shard key. You can't have `@shardKey` and `@@shardKey` "
            "at the same time.",
            model.block.span,
        )


def _model_error_prefix(model: ModelInfo) -> str:
    return f'Error validating {model.label} "{model.name}": '


# ── composite types ──────────────────────────────────────────────────────


def _resolve_composite_type(
    ctx: Context, block: ast.Block, resolved: Resolved, types: dict[str, TypeClass]
) -> None:
    unknown: list[ast.Attribute] = []
    for field in block.fields:
        info = _field_info(field, types)
        for attr in field.attributes:
            if "." in attr.name:
                continue
            if attr.name not in COMPOSITE_FIELD_ATTRIBUTES:
                if attr.name in ("id", "unique", "relation"):
                    ctx.error(
                        f"Error validating: Defining `@{attr.name}` attribute for a field in a composite type "
                        "is not allowed.",
                        field.span,
                    )
                unknown.append(attr)
            elif attr.name == "map":
                _read_map(ctx, attr)
            elif attr.name == "default":
                read_default(ctx, info, attr, None)
    for member in block.attributes:
        attr = member.attribute
        message = _COMPOSITE_BLOCK_ATTRIBUTE_ERRORS.get(attr.name)
        if message is None:
            _unknown(ctx, attr, "@@")
        else:
            ctx.error(f"Error validating: {message}", attr.span)
    for attr in unknown:
        _unknown(ctx, attr, "@")


_COMPOSITE_BLOCK_ATTRIBUTE_ERRORS = {
    "id": "A composite type cannot define an id.",
    "fulltext": "A fulltext index should be defined in the model containing the embed.",
    "index": "An index should be defined in the model containing the embed.",
    "unique": "A unique constraint should be defined in the model containing the embed.",
}
