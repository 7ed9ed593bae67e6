"""Whole-schema validations, run once names, types and attributes are sound:
provider capabilities, native types, default contents, unique criteria,
database-name and constraint-name clashes, views and multi-schema rules."""

from __future__ import annotations

from schemamend.diagnostics import Span
from schemamend.model.datamodel import FieldKind, NativeType
from schemamend.psl import ast
from schemamend.psl.validate.args import attribute_error
from schemamend.psl.validate.config import ConfigResult
from schemamend.psl.validate.constraint_names import index_name, primary_key_name, unique_name
from schemamend.psl.validate.context import Context
from schemamend.psl.validate.defaults import check_default_value
from schemamend.psl.validate.members import (
    FULLTEXT_INDEX,
    LIST_ARITY,
    NORMAL_INDEX,
    REQUIRED_ARITY,
    SCALAR_KIND,
    UNIQUE_INDEX,
    UNSUPPORTED_KIND,
)
from schemamend.psl.validate.names import without_newline
from schemamend.psl.validate.native_types import MYSQL_UNSIZED_INDEX_TYPES, check_native_type
from schemamend.psl.validate.resolved import FieldInfo, IndexInfo, ModelInfo, Resolved

_DB_LABEL = {
    "postgresql": "Postgres",
    "mysql": "MySQL",
    "sqlite": "sqlite",
    "cockroachdb": "CockroachDB",
}
PARTIAL_INDEX_FAMILIES = ("postgresql", "cockroachdb")
RESERVED_MODEL_NAMES = frozenset({"PrismaClient"})
_LISTABLE = (FieldKind.SCALAR, FieldKind.ENUM)
_POSTGIS_TYPES = ("Geometry", "Geography")
_OPS_ALGORITHMS: dict[str, tuple[str, ...]] = {
    "InetOps": ("Gist", "SpGist"),
    "TextOps": ("SpGist",),
    "JsonbOps": ("Gin",),
    "JsonbPathOps": ("Gin",),
    "ArrayOps": ("Gin",),
}


class Checker:
    def __init__(self, ctx: Context, config: ConfigResult, resolved: Resolved) -> None:
        self.ctx = ctx
        self.config = config
        self.resolved = resolved
        self.family = ctx.provider
        # (field type, native type, its arguments as written) -> the lowered type, when valid
        self._valid_native_types: dict[tuple[str, str, str], NativeType] = {}
        # The defaults checked without error, by identity: the attribute pass hands out one
        # `DefaultValue` per field type and spelling (see `read_default`), so one check
        # holds for every field sharing it. Each is alive (held by its fields) until the end.
        self._valid_defaults: set[int] = set()

    def run(self) -> None:
        self._composite_types()
        self._views_feature()
        for model in self.resolved.models.values():
            self._fields(model)
            self._model(model)
        self._assign_constraint_names()
        self._constraint_name_clashes()
        self._database_name_clashes()
        self._schemas()

    # ── blocks ─────────────────────────────────────────────────────────

    def _composite_types(self) -> None:
        if self.family in (None, "mongodb"):
            return
        for block in self.ctx.composite_types.values():
            label = _DB_LABEL.get(self.family or "", self.family or "")
            self.ctx.error(
                f"Error validating: Composite types are not supported on {label}.", block.span
            )

    def _views_feature(self) -> None:
        if "views" in self.ctx.preview_features:
            return
        for model in self.resolved.models.values():
            if model.is_view:
                self.ctx.error(
                    "Error validating: View definitions are only available with the `views` preview feature.",
                    model.block.span,
                )

    # ── fields ─────────────────────────────────────────────────────────

    def _fields(self, model: ModelInfo) -> None:
        lists_unsupported = self.family in ("mysql", "sqlite") and not model.ignored
        postgis_unsupported = self.family != "postgresql"
        for info in model.fields:
            if info.is_relation:
                continue
            kind = info.kind
            if lists_unsupported and info.arity is LIST_ARITY and info.type_name == "Json":
                self.ctx.error(
                    f"Error validating field `{info.name}` in model `{model.name}`: Field `{info.name}` in model "
                    f"`{model.name}` can't be of type Json[]. The current connector does not support the Json "
                    "List type.",
                    info.span,
                )
            if lists_unsupported and info.arity is LIST_ARITY and kind in _LISTABLE:
                self.ctx.error(
                    f'Field "{info.name}" in model "{model.name}" can\'t be a list. The current connector '
                    "does not support lists of primitive types.",
                    info.span,
                )
            if postgis_unsupported and kind is SCALAR_KIND and info.type_name in _POSTGIS_TYPES:
                type_span = info.node.field_type.span if info.node.field_type else info.span
                self.ctx.error(
                    f'Type "{info.type_name}" is neither a built-in type, nor refers to another model, '
                    "composite type, or enum.",
                    type_span,
                )
            if info.native is not None:
                self._native_type(model, info)
            if info.default is not None:
                self._default(info)
            if info.foreign_prefixed:
                self._foreign_prefixes(info)
            if info.shard_key:
                self._shard_key_field(model, info)

    def _native_type(self, model: ModelInfo, info: FieldInfo) -> None:
        use = info.native
        assert use is not None
        if self.family in ("sqlite", None):
            connector = self.family or "Default"
            self.ctx.error(
                f"Native type {use.name} is not supported for {connector} connector.", use.attr.span
            )
        elif info.kind is SCALAR_KIND:
            # The same native type is written on many fields: check each spelling once.
            key = (info.type_name, use.name, use.attr.arguments.source_text())
            native = self._valid_native_types.get(key)
            if native is None:
                native = check_native_type(self.ctx, info, self.family)
                if native is not None:
                    self._valid_native_types[key] = native
            info.native_type = native

    def _default(self, info: FieldInfo) -> None:
        default = info.default
        if id(default) in self._valid_defaults:
            return
        diagnostics_before = len(self.ctx.diagnostics)
        check_default_value(self.ctx, info, self.family)
        if (
            default is not None
            and default.constraint_name is not None
            and self.family != "sqlserver"
        ):
            self.ctx.error(
                'Error parsing attribute "@default": You defined a database name for the default value of a '
                "field on the model. This is not supported by the provider.",
                info.default_attr.span if info.default_attr else info.span,
            )
        if len(self.ctx.diagnostics) == diagnostics_before:
            self._valid_defaults.add(id(default))

    def _foreign_prefixes(self, info: FieldInfo) -> None:
        ds = self.config.datasource.name if self.config.datasource else "db"
        for attr in info.foreign_prefixed:
            prefix, _, type_name = attr.name.partition(".")
            self.ctx.error(
                f"The prefix {prefix} is invalid. It must be equal to the name of an existing datasource e.g. "
                f"{ds}. Did you mean to use {ds}.{type_name}?",
                attr.span,
            )

    def _shard_key_field(self, model: ModelInfo, info: FieldInfo) -> None:
        attr = next(a for a in info.node.attributes if a.name == "shardKey")
        if "shardKeys" not in self.ctx.preview_features:
            attribute_error(
                self.ctx,
                attr,
                "Defining shard keys requires enabling the `shardKeys` preview feature",
            )
        elif self.family != "mysql":
            attribute_error(
                self.ctx, attr, f"Shard keys are not currently supported for provider {self.family}"
            )
        elif not info.is_required and not model.ignored:
            attribute_error(
                self.ctx, attr, "Fields that are marked as shard keys must be required."
            )

    # ── models ─────────────────────────────────────────────────────────

    def _model(self, model: ModelInfo) -> None:
        ctx = self.ctx
        if model.name in RESERVED_MODEL_NAMES:
            ctx.error(
                f'Error validating {model.label} "{model.name}": The {model.label} name `{model.name}` is invalid. '
                f"It is a reserved name. Please change it. Read more at https://pris.ly/d/naming-models",
                model.block.span,
            )
        if model.is_view:
            self._view_rules(model)
        elif not model.ignored:
            self._unique_criteria(model)
        if (
            model.primary_key is not None
            and model.primary_key.map is not None
            and self.family in ("mysql", "sqlite")
        ):
            ctx.error(
                f'Error validating model "{model.name}": You defined a database name for the primary key on the '
                "model. This is not supported by the provider.",
                model.block.span,
            )
        if (
            model.primary_key is not None
            and not model.primary_key.field_level
            and not model.ignored
        ):
            for field in model.primary_key.fields:
                info = model.by_name.get(field.name)
                if info is not None and not info.is_required:
                    ctx.error(
                        f'Error validating model "{model.name}": The id definition refers to the optional field '
                        f"`{field.name}`. Id definitions must reference only required fields.",
                        model.primary_key.attr.span,
                    )
        if self.family in ("mysql", "sqlite") and not model.is_view:
            self._autoincrement(model)
        pk = model.primary_key
        if (
            pk is not None
            and self.family != "sqlserver"
            and any(f.sort is not None for f in pk.fields)
        ):
            label = ("@" if pk.field_level else "@@") + pk.attr.name
            ctx.error(
                f'Error parsing attribute "{label}": The sort argument is not supported in the primary key with '
                "the current connector",
                pk.attr.span,
            )
        self._clustering(model)
        for index in ([pk] if pk else []) + model.indexes:
            if model.is_view and index.kind is not UNIQUE_INDEX:
                continue  # reported as "Views cannot have ..."
            self._index_capabilities(model, index)
        self._client_names(model)

    def _client_names(self, model: ModelInfo) -> None:
        entries = ([model.primary_key] if model.primary_key else []) + model.indexes
        for index in entries:
            if index.field_level or index.client_name is not None or len(index.fields) < 2:
                continue
            if index.kind not in (None, UNIQUE_INDEX):
                continue
            generated = "_".join(f.name.replace(".", "_") for f in index.fields)
            if generated not in model.by_name:
                continue
            what = "`@@unique` name" if index.kind is UNIQUE_INDEX else "`@@id` attribute's name"
            attr = "@@unique" if index.kind is UNIQUE_INDEX else "@@id"
            self.ctx.error(
                f'Error validating model "{model.name}": The field `{generated}` clashes with the {what}. '
                f'Please resolve the conflict by providing a custom id name: `{attr}([...], name: "custom_name")`',
                index.attr.span,
            )
        named = [index for index in entries if index.client_name is not None]
        seen: dict[str, int] = {}
        for index in named:
            assert index.client_name is not None
            seen[index.client_name] = seen.get(index.client_name, 0) + 1
        for index in named:
            name = index.client_name
            assert name is not None
            label = "@@" + index.attr.name
            if name in model.by_name:
                self.ctx.error(
                    f'Error validating model "{model.name}": The custom name `{name}` specified for the `{label}` '
                    "attribute is already used as a name for a field. Please choose a different name.",
                    model.block.span,
                )
            if seen[name] > 1:
                self.ctx.error(
                    f'Error parsing attribute "{label}": The given custom name `{name}` has to be unique on the '
                    "model. Please provide a different name for the `name` argument.",
                    index.attr.span,
                )

    def _autoincrement(self, model: ModelInfo) -> None:
        fields = [
            f for f in model.fields if f.default is not None and f.default.kind == "autoincrement"
        ]
        if not fields:
            return
        prefix = 'Error parsing attribute "@default": The `autoincrement()` default value is used'
        pk = model.primary_key
        indexed = {i.fields[0].name for i in ([pk] if pk else []) + model.indexes if i.fields}
        for index, info in enumerate(fields):
            if len(fields) > 1 and index == 1:
                self.ctx.error(
                    f"{prefix} multiple times on this model even though the underlying datasource only supports "
                    "one instance per table.",
                    model.block.span,
                )
            is_id = pk is not None and [f.name for f in pk.fields] == [info.name]
            if self.family == "sqlite" and not is_id:
                self.ctx.error(
                    f"{prefix} on a non-id field even though the datasource does not support this.",
                    info.span,
                )
            if info.name not in indexed:
                self.ctx.error(
                    f"{prefix} on a non-indexed field even though the datasource does not support this.",
                    info.span,
                )

    def _view_rules(self, model: ModelInfo) -> None:
        if model.primary_key is not None:
            span = model.primary_key.attr.span
            if model.primary_key.field_level:
                field = model.by_name[model.primary_key.fields[0].name]
                span = without_newline(field.span)
            self.ctx.error("Error validating: Views cannot have primary keys.", span)
        for index in model.indexes:
            if index.kind is UNIQUE_INDEX:
                if index.clustered is not None and not index.field_level:
                    self.ctx.error(
                        "Error validating: @@unique annotations on views are not backed by unique indexes in the "
                        "database and cannot be clustered.",
                        index.attr.span,
                    )
                continue
            self.ctx.error("Error validating: Views cannot have indexes.", index.attr.span)

    def _unique_criteria(self, model: ModelInfo) -> None:
        pk = model.primary_key
        if pk is not None and _only_required_fields(model, pk):
            return  # the usual case, decided without listing the criteria
        uniques = [i for i in model.indexes if i.kind is UNIQUE_INDEX]
        if any(_only_required_fields(model, unique) for unique in uniques):
            return
        rejected = [", ".join(f.name for f in unique.fields) for unique in uniques]
        message = (
            f'Error validating {model.label} "{model.name}": Each {model.label} must have at least one unique '
            "criteria that has only required fields. Either mark a single field with `@id`, `@unique` or add a "
            f"multi field criterion with `@@id([])` or `@@unique([])` to the {model.label}."
        )
        if rejected:
            message += (
                " The following unique criterias were not considered as they contain fields that are not required:\n"
                + "\n".join(f"- {r}" for r in rejected)
            )
        self.ctx.error(message, model.block.span)

    def _index_capabilities(self, model: ModelInfo, index: IndexInfo) -> None:
        family = self.family
        if family == "mysql":
            self._mysql_index_arguments(model, index)
        if index.kind is FULLTEXT_INDEX and family not in ("mysql", "mongodb"):
            self._index_error(
                index, "Defining fulltext indexes is not supported with the current connector."
            )
        if family != "mysql" and any(f.length is not None for f in index.fields):
            self._index_error(
                index,
                "The length argument is not supported in an index definition with the current connector",
            )
        if (
            index.algorithm is not None
            and index.algorithm != "BTree"
            and family not in ("postgresql", "cockroachdb")
        ):
            self._index_error(
                index, "The given index type is not supported with the current connector"
            )
        if index.where is not None and family not in PARTIAL_INDEX_FAMILIES:
            self._index_error(
                index,
                "Partial indexes are only supported on PostgreSQL and CockroachDB. "
                f"Your connector is `{family}`.",
            )
        if family == "mysql" and index.kind is not FULLTEXT_INDEX:
            self._mysql_unsized(model, index)
        if family == "postgresql" and index.kind is NORMAL_INDEX:
            self._postgres_index_methods(model, index)

    def _index_error(self, index: IndexInfo, message: str) -> None:
        label = ("@" if index.field_level else "@@") + index.attr.name
        self.ctx.error(f'Error parsing attribute "{label}": {message}', index.attr.span)

    def _mysql_index_arguments(self, model: ModelInfo, index: IndexInfo) -> None:
        """`sort:` and `length:` where MySQL does not take them."""
        if index.kind is FULLTEXT_INDEX:
            if any(f.sort is not None for f in index.fields):
                self._index_error(
                    index,
                    "The sort argument is not supported in a @@fulltext attribute in the current connector.",
                )
            if any(f.length is not None for f in index.fields):
                self._index_error(
                    index, "The length argument is not supported in a @@fulltext attribute."
                )
        for field in index.fields:
            info = model.by_name.get(field.name)
            if (
                field.length is not None
                and info is not None
                and info.type_name not in ("String", "Bytes")
            ):
                self._index_error(
                    index,
                    "The length argument is only allowed with field types `String` or `Bytes`.",
                )
                break

    def _postgres_index_methods(self, model: ModelInfo, index: IndexInfo) -> None:
        algorithm = index.algorithm or "BTree"
        for field in index.fields:
            info = model.by_name.get(field.name)
            if info is None:
                continue
            if algorithm == "Hash" and field.sort is not None:
                self._index_error(index, "Hash type does not support sort option.")
            ops = field.ops
            if ops is not None and not ops.startswith("raw("):
                if algorithm not in _OPS_ALGORITHMS.get(ops, ("Brin",)):
                    self._index_error(
                        index,
                        f"The given operator class `{ops}` is not supported with the `{algorithm}` index type.",
                    )
                elif ops == "ArrayOps" and info.arity is not LIST_ARITY:
                    self._index_error(
                        index,
                        f"The given operator class `{ops}` expects the type of field `{field.name}` to be an array.",
                    )
            elif (
                ops is None
                and algorithm == "Gin"
                and info.arity is not LIST_ARITY
                and info.type_name != "Json"
            ):
                self._index_error(
                    index,
                    f"The Gin index type does not support the type of the field `{field.name}`.",
                )

    def _mysql_unsized(self, model: ModelInfo, index: IndexInfo) -> None:
        for field in index.fields:
            info = model.by_name.get(field.name)
            native = info.native if info is not None else None  # as written, even if invalid
            if (
                native is None
                or native.name not in MYSQL_UNSIZED_INDEX_TYPES
                or field.length is not None
            ):
                continue
            if index.kind is None:
                self.ctx.error(
                    f"Native type `{native.name}` of MySQL cannot be used on a field that is `@id` or `@@id`. "
                    "Please use the `length` argument to the field in the index definition to allow this.",
                    _index_field_span(model, index),
                )
            elif index.kind is UNIQUE_INDEX:
                self.ctx.error(
                    f"Native type `{native.name}` cannot be unique in MySQL. Please use the `length` argument to the "
                    "field in the index definition to allow this.",
                    _index_field_span(model, index),
                )
            else:
                self.ctx.error(
                    f"You cannot define an index on fields with native type `{native.name}` of MySQL. Please use the "
                    "`length` argument to the field in the index definition to allow this.",
                    index.attr.span,
                )
            return

    def _clustering(self, model: ModelInfo) -> None:
        if self.family == "sqlserver":
            return
        entries = ([model.primary_key] if model.primary_key else []) + model.indexes
        for index in entries:
            if index.clustered is None or (model.is_view and index.kind is UNIQUE_INDEX):
                continue
            self._index_error(
                index, "Defining clustering is not supported in the current connector."
            )

    # ── names ──────────────────────────────────────────────────────────

    def _assign_constraint_names(self) -> None:
        family = self.family
        for model in self.resolved.models.values():
            table = model.db_name
            by_name = model.by_name
            pk = model.primary_key
            if pk is not None:
                pk.constraint_name = pk.map or primary_key_name(table, family)
            for index in model.indexes:
                if index.map is not None:
                    index.constraint_name = index.map
                    continue
                columns = [
                    by_name[f.name].db_name if f.name in by_name else f.name for f in index.fields
                ]
                if index.kind is UNIQUE_INDEX:
                    index.constraint_name = unique_name(table, columns, family)
                else:
                    index.constraint_name = index_name(table, columns, family)

    def _constraint_name_clashes(self) -> None:
        family = self.family
        named: list[tuple[tuple[str | None, str, str], ModelInfo, IndexInfo]] = []
        for model in self.resolved.models.values():
            if model.is_view or model.ignored:
                continue
            entries: list[IndexInfo] = list(model.indexes)
            if model.primary_key is not None and family in (
                "postgresql",
                "cockroachdb",
                "sqlserver",
            ):
                entries.insert(0, model.primary_key)
            scope = model.name if family == "mysql" else ""
            for index in entries:
                named.append(((model.schema, scope, index.constraint_name), model, index))
        if len({key for key, _, _ in named}) == len(named):
            return  # every name used once (the usual case)
        seen: dict[tuple[str | None, str, str], list[tuple[ModelInfo, IndexInfo]]] = {}
        for key, model, index in named:
            seen.setdefault(key, []).append((model, index))
        for (_, _, name), users in seen.items():
            if len(users) < 2:
                continue
            for model, index in users:
                label = ("@" if index.field_level else "@@") + index.attr.name
                if family == "mysql":
                    namespace = f"on model `{model.name}` for indexes and unique constraints"
                elif family == "sqlite":
                    namespace = "global for indexes and unique constraints"
                else:
                    namespace = "global for primary key, indexes and unique constraints"
                self.ctx.error(
                    f'Error parsing attribute "{label}": The given constraint name `{name}` has to be unique in the '
                    f"following namespace: {namespace}. Please provide a different name using the `map` argument.",
                    index.attr.span,
                )

    def _database_name_clashes(self) -> None:
        tables: dict[tuple[str | None, str], ModelInfo] = {}
        for model in self.resolved.models.values():
            key = (model.schema, model.db_name)
            previous = tables.get(key)
            if previous is None:
                tables[key] = model
                continue
            span = model.map_attr.span if model.map_attr is not None else model.block.name.span
            self.ctx.error(
                f'The model with database name "{model.db_name}" could not be defined because another model or view '
                f'with this name exists: "{previous.name}"',
                span,
            )
        enums: dict[tuple[str | None, str], str] = {}
        for enum in self.resolved.enums.values():
            key = (enum.schema, enum.db_name)
            if key in enums and self.family != "mysql":
                self.ctx.error(
                    "An enum with the same database name is already defined.", enum.block.span
                )
                continue
            enums[key] = enum.name
            values: dict[str, str] = {}
            for value in enum.values:
                if value.db_name in values and value.db_name != value.name:
                    self.ctx.error(
                        f'`@map`\'d value "{value.db_name}" is already defined on enum "{enum.name}" in field '
                        f'"{values[value.db_name]}".',
                        value.node.span,
                    )
                values.setdefault(value.db_name, value.name)

    def _schemas(self) -> None:
        ctx = self.ctx
        declared = set(self.config.datasource.schemas) if self.config.datasource else set()
        if not declared and not self.resolved.uses_schema_attribute:
            return
        attr_name = self.resolved.schema_attribute
        items: list[tuple[str, ModelInfo | None, ast.Block, ast.Attribute | None, str | None]] = []
        for model in self.resolved.models.values():
            items.append((model.label, model, model.block, model.schema_attr, model.schema))
        for enum in self.resolved.enums.values():
            items.append(("enum", None, enum.block, enum.schema_attr, enum.schema))
        if self.family in ("mysql", "sqlite"):
            for _, _, _, attr, _ in items:
                if attr is None:
                    continue
                if self.config.schemas_property is not None or self.family == "sqlite":
                    continue  # reported with the `schemas` property / in the attribute pass
                ctx.error(
                    f"@@{attr.name} is not supported on the current datasource provider", attr.span
                )
            return
        for _label, _owner, _block, attr, schema in items:
            if attr is not None and schema is not None and schema not in declared:
                ctx.error(
                    "This schema is not defined in the datasource. Read more on `@@schema` at "
                    "https://pris.ly/d/multi-schema",
                    attr.span,
                )
        if not declared:
            return
        for label, owner, block, attr, _schema in items:
            if attr is not None:
                continue
            if owner is not None:
                ctx.error(
                    f'Error validating {label} "{block.name.name}": This {label} is missing an `@@{attr_name}` attribute.',
                    block.span,
                )
            else:
                ctx.error(f"This enum is missing an `@@{attr_name}` attribute.", block.span)


def _only_required_fields(model: ModelInfo, criterion: IndexInfo) -> bool:
    """Every field of the criterion exists, is required and is not Unsupported."""
    by_name = model.by_name
    for field in criterion.fields:
        info = by_name.get(field.name)
        if info is None or info.arity is not REQUIRED_ARITY or info.kind is UNSUPPORTED_KIND:
            return False
    return True


def _index_field_span(model: ModelInfo, index: IndexInfo) -> Span:
    if index.field_level:
        return without_newline(model.by_name[index.fields[0].name].span)
    return index.attr.span
