"""Datamodel → SQL schema: the rules every SQL dialect shares.

A dialect subclasses `SchemaCalculator` and overrides the hooks where its
database differs (types, defaults, key of implicit many-to-many tables,
namespaces, enums). This module is not a dialect and knows none of them.

Order matters because scripts follow it: tables in declaration order, then
the join tables of implicit many-to-many relations in the order Prisma
discovers them; within a table, field-level uniques, then @@index, @@unique
and @@fulltext in declaration order; foreign keys in relation-field order.
"""

from __future__ import annotations

import base64
import binascii
import json
import re

from schemamend.model import datamodel as dm
from schemamend.model import sql

_ACTIONS = {
    dm.ReferentialAction.CASCADE: sql.ReferentialAction.CASCADE,
    dm.ReferentialAction.RESTRICT: sql.ReferentialAction.RESTRICT,
    dm.ReferentialAction.NO_ACTION: sql.ReferentialAction.NO_ACTION,
    dm.ReferentialAction.SET_NULL: sql.ReferentialAction.SET_NULL,
    dm.ReferentialAction.SET_DEFAULT: sql.ReferentialAction.SET_DEFAULT,
}

_INDEX_KIND_ORDER = {dm.IndexKind.NORMAL: 1, dm.IndexKind.UNIQUE: 2, dm.IndexKind.FULLTEXT: 3}

_NUMERIC_TYPES = ("Int", "BigInt", "Float", "Decimal")


class SchemaCalculator:
    """Calculates the SQL schema of a datamodel; dialects override the hooks."""

    max_identifier_length = 10_000  # generated names longer than this are cut

    def __init__(self, datamodel: dm.Datamodel) -> None:
        self.datamodel = datamodel
        self._sides: dict[str, list[dm.ForeignKeySide]] | None = None
        self._enums = {e.name: e for e in datamodel.enums}
        self._types: dict[object, sql.ColumnType] = {}
        self._column_names: dict[str, dict[str, str]] = {}
        # Equal inputs give one shared (immutable) output: less work and memory on big schemas.
        self._defaults: dict[tuple[object, ...], sql.ColumnDefault | None] = {}
        self._index_columns: dict[tuple[object, ...], sql.IndexColumn] = {}

    # ── entry point ──────────────────────────────────────────────────────

    def calculate(self) -> sql.Schema:
        tables = [self.table(model) for model in self.models()]
        tables += [
            self.join_table(rel, rel.join_table)
            for rel in self.many_to_many_relations()
            if rel.join_table
        ]
        enums = self.enums()
        return sql.Schema(
            namespaces=self.namespaces(tables, enums),
            extensions=self.extensions(),
            enums=enums,
            tables=tuple(tables),
            views=self.views(),
        )

    # ── hooks (override per dialect) ─────────────────────────────────────

    def scalar_type(self, field: dm.ScalarField) -> sql.ColumnType:
        raise NotImplementedError

    def enum_column_type(self, field: dm.ScalarField, enum: dm.EnumType) -> sql.ColumnType:
        return sql.ColumnType(
            sql.TypeFamily.ENUM,
            enum.db_name,
            enum=enum.db_name,
            enum_namespace=self.enum_namespace(enum),
        )

    def enum_namespace(self, enum: dm.EnumType) -> str | None:
        return enum.schema

    def enums(self) -> tuple[sql.EnumType, ...]:
        """Named enum types (none where enums are inline column types)."""
        return ()

    def namespaces(
        self, tables: list[sql.Table], enums: tuple[sql.EnumType, ...]
    ) -> tuple[sql.Namespace, ...]:
        return ()

    def extensions(self) -> tuple[sql.Extension, ...]:
        return ()

    def quote_identifier(self, name: str) -> str:
        """Used for partial-index predicates written as objects; dialects override."""
        return '"' + name.replace('"', '""') + '"'

    def quote_string(self, text: str) -> str:
        return "'" + text.replace("'", "''") + "'"

    def primary_key_name(self, model: dm.Model, key: dm.PrimaryKey) -> str | None:
        return key.constraint_name

    def join_table_keys(self, name: str) -> tuple[sql.PrimaryKey | None, tuple[sql.Index, ...]]:
        """The key and indexes of an implicit many-to-many table (columns A and B)."""
        a, b = sql.IndexColumn("A"), sql.IndexColumn("B")
        unique = sql.Index(self.generated_name(name, "_AB_unique"), sql.IndexKind.UNIQUE, (a, b))
        index = sql.Index(self.generated_name(name, "_B_index"), sql.IndexKind.NORMAL, (b,))
        return None, (unique, index)

    def generated_name(self, prefix: str, suffix: str) -> str:
        """`prefix + suffix`, the prefix cut so the whole fits the identifier limit."""
        room = self.max_identifier_length - len(suffix)
        return prefix[:room] + suffix

    def index_algorithm(self, index: dm.Index) -> str | None:
        return None

    def operator_class(self, field: dm.IndexField) -> str | None:
        """May read only `field.operator_class` (index columns are memoized)."""
        return None

    def literal(self, field: dm.ScalarField, value: dm.DefaultValue) -> sql.Literal:
        """The literal of a default; may read only whether the field is an enum and its
        type name (defaults are memoized by those and the value)."""
        return default_literal(field, value, self.datamodel)

    # ── models → tables ──────────────────────────────────────────────────

    def models(self) -> list[dm.Model]:
        """Models that become tables: every model but views (ignored ones included)."""
        return [m for m in self.datamodel.models if not m.is_view]

    def views(self) -> tuple[sql.View, ...]:
        return ()  # Prisma Migrate does not create views

    # Hot paths build the frozen dataclasses with positional arguments: a class call
    # with keywords costs about 1.5 times as much.

    def table(self, model: dm.Model) -> sql.Table:
        column = self.column
        return sql.Table(
            model.db_name,
            tuple([column(model, f) for f in model.fields]),
            self.primary_key(model),
            tuple([self.index(model, i) for i in ordered_indexes(model.indexes)]),
            tuple(self.foreign_keys(model)),
            model.schema,
        )

    def column(self, model: dm.Model, field: dm.ScalarField) -> sql.Column:
        value = field.default
        if value is None:
            return sql.Column(field.db_name, self.column_type(field), _ARITY[field.arity])
        return sql.Column(
            field.db_name,
            self.column_type(field),
            _ARITY[field.arity],
            self.default(field),
            value.kind in _AUTO_INCREMENT_KINDS,
        )

    def column_type(self, field: dm.ScalarField) -> sql.ColumnType:
        """The field's column type (memoized: schemas repeat a few types many times)."""
        native = field.native_type
        # the native type's parts, not the object: tuples of strings hash in C
        key = (field.type_name, native.name, native.args) if native else field.type_name
        cached = self._types.get(key)
        if cached is None:
            cached = self._types[key] = self._column_type(field)
        return cached

    def _column_type(self, field: dm.ScalarField) -> sql.ColumnType:
        if field.kind is dm.FieldKind.ENUM:
            enum = self._enums.get(field.type_name)
            if enum is None:
                raise ValueError(f"unknown enum {field.type_name!r}")
            return self.enum_column_type(field, enum)
        if field.kind is dm.FieldKind.UNSUPPORTED:
            return sql.ColumnType(
                sql.TypeFamily.UNSUPPORTED, unsupported_type_text(field.type_name)
            )
        return self.scalar_type(field)

    def default(self, field: dm.ScalarField) -> sql.ColumnDefault | None:
        """The column default (memoized: schemas repeat a few defaults many times)."""
        value = field.default
        if value is None:
            return None
        key = (field.kind is dm.FieldKind.ENUM, field.type_name, value)
        try:
            return self._defaults[key]
        except KeyError:
            default = self._defaults[key] = self._default(field, value)
            return default
        except TypeError:  # a value that cannot be hashed: computed each time
            return self._default(field, value)

    def _default(self, field: dm.ScalarField, value: dm.DefaultValue) -> sql.ColumnDefault | None:
        name = value.constraint_name
        match value.kind:
            case "now":
                return sql.ColumnDefault(sql.DefaultKind.NOW, constraint_name=name)
            case "dbgenerated":
                if not value.value:
                    return None
                return sql.ColumnDefault(
                    sql.DefaultKind.EXPRESSION, expression=str(value.value), constraint_name=name
                )
            case "list":
                items = value.value if isinstance(value.value, tuple) else ()
                literals = tuple(
                    self.literal(field, item) for item in items if isinstance(item, dm.DefaultValue)
                )
                return sql.ColumnDefault(sql.DefaultKind.LIST, items=literals, constraint_name=name)
            case "value" | "enum":
                return sql.ColumnDefault(
                    sql.DefaultKind.VALUE, literal=self.literal(field, value), constraint_name=name
                )
            case _:  # autoincrement, sequence, client-side generators: no SQL default
                return None

    def primary_key(self, model: dm.Model) -> sql.PrimaryKey | None:
        key = model.primary_key
        if key is None:
            return None
        index_column = self.index_column
        return sql.PrimaryKey(
            self.primary_key_name(model, key), tuple([index_column(f) for f in key.fields])
        )

    def index(self, model: dm.Model, index: dm.Index) -> sql.Index:
        index_column = self.index_column
        return sql.Index(
            index.constraint_name,
            _INDEX_KINDS[index.kind],
            tuple([index_column(f) for f in index.fields]),
            self.index_algorithm(index),
            self.index_predicate(model, index),
        )

    def index_predicate(self, model: dm.Model, index: dm.Index) -> str | None:
        """`where:` as SQL: raw text as given, or an object such as
        `{ active: true, deletedAt: null }` → `"active" = true AND "deleted_at" IS NULL`."""
        where = index.where
        if where is None or not where.lstrip().startswith("{"):
            return where
        conditions = []
        for field_name, value in parse_where_object(where):
            column = self.quote_identifier(self.column_name(model, field_name))
            negated = isinstance(value, dict)
            if isinstance(value, dict):
                value = value.get("not")
            if value is None:
                conditions.append(f"{column} IS {'NOT ' if negated else ''}NULL")
            else:
                conditions.append(
                    f"{column} {'<>' if negated else '='} {self._where_literal(value)}"
                )
        return " AND ".join(conditions)

    def _where_literal(self, value: object) -> str:
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, str):
            return self.quote_string(value)
        return str(value)

    def index_column(self, field: dm.IndexField) -> sql.IndexColumn:
        """One key or index column (memoized by what it reads of the declared field)."""
        key = (field.db_name, field.sort, field.length, field.operator_class)
        cached = self._index_columns.get(key)
        if cached is None:
            sort = None if field.sort is None else sql.SortOrder(field.sort.value.lower())
            cached = sql.IndexColumn(field.db_name, sort, field.length, self.operator_class(field))
            self._index_columns[key] = cached
        return cached

    # ── relations → foreign keys and join tables ─────────────────────────

    @property
    def emits_foreign_keys(self) -> bool:
        source = self.datamodel.datasource
        return source is None or source.relation_mode != "prisma"

    def foreign_keys(self, model: dm.Model) -> list[sql.ForeignKey]:
        if not self.emits_foreign_keys:
            return []
        sides = list(self._foreign_key_sides().get(model.name, ()))
        keys = []
        for field in model.relation_fields:
            for side in sides:
                if (
                    field.fields
                    and side.fields == field.fields
                    and side.referenced_model == field.related_model
                ):
                    keys.append(self.foreign_key(model, side))
                    sides.remove(side)
                    break
        keys += [self.foreign_key(model, side) for side in sides]  # defensive: any left over
        return keys

    def _foreign_key_sides(self) -> dict[str, list[dm.ForeignKeySide]]:
        """Referencing sides by model name (computed once)."""
        if self._sides is None:
            self._sides = {}
            for relation in self.datamodel.relations:
                side = relation.foreign_key
                if side is not None and relation.emits_foreign_key:
                    self._sides.setdefault(side.model, []).append(side)
        return self._sides

    def foreign_key(self, model: dm.Model, side: dm.ForeignKeySide) -> sql.ForeignKey:
        target = self._model(side.referenced_model)
        return sql.ForeignKey(
            name=side.constraint_name,
            columns=tuple(self.column_name(model, f) for f in side.fields),
            referenced_table=sql.TableRef(target.schema, target.db_name),
            referenced_columns=tuple(self.column_name(target, f) for f in side.references),
            on_delete=_ACTIONS[side.on_delete],
            on_update=_ACTIONS[side.on_update],
        )

    def many_to_many_relations(self) -> list[dm.Relation]:
        """Implicit m:n relations in Prisma's discovery order: by the position of
        the relation field on model A (the first model by name)."""
        position = {m.name: i for i, m in enumerate(self.datamodel.models)}

        def key(relation: dm.Relation) -> tuple[int, int]:
            join = relation.join_table
            assert join is not None
            model = self._model(join.model_a)
            for index, field in enumerate(model.relation_fields):
                if field.relation_name == relation.name and field.related_model == join.model_b:
                    return position[model.name], index
            return position[model.name], len(model.relation_fields)

        relations = [
            r
            for r in self.datamodel.relations
            if r.kind is dm.RelationKind.MANY_TO_MANY and r.join_table
        ]
        return sorted(relations, key=key)

    def join_table(self, relation: dm.Relation, join: dm.JoinTable) -> sql.Table:
        model_a, model_b = self._model(join.model_a), self._model(join.model_b)
        primary_key, indexes = self.join_table_keys(join.db_name)
        foreign_keys: tuple[sql.ForeignKey, ...] = ()
        if self.emits_foreign_keys and relation.emits_foreign_key:
            foreign_keys = (
                self._join_foreign_key(join.db_name, "A", model_a),
                self._join_foreign_key(join.db_name, "B", model_b),
            )
        return sql.Table(
            name=join.db_name,
            namespace=join.schema,
            columns=(self._join_column("A", model_a), self._join_column("B", model_b)),
            primary_key=primary_key,
            indexes=indexes,
            foreign_keys=foreign_keys,
        )

    def _join_column(self, name: str, model: dm.Model) -> sql.Column:
        id_field = _single_id_field(model)
        return sql.Column(name, self.column_type(id_field), sql.ColumnArity.REQUIRED)

    def _join_foreign_key(self, table: str, column: str, model: dm.Model) -> sql.ForeignKey:
        id_field = _single_id_field(model)
        return sql.ForeignKey(
            name=self.generated_name(table, f"_{column}_fkey"),
            columns=(column,),
            referenced_table=sql.TableRef(model.schema, model.db_name),
            referenced_columns=(id_field.db_name,),
            on_delete=sql.ReferentialAction.CASCADE,
            on_update=sql.ReferentialAction.CASCADE,
        )

    def column_name(self, model: dm.Model, field_name: str) -> str:
        """A scalar field's column name (field names per model are mapped once)."""
        names = self._column_names.get(model.name)
        if names is None:
            names = self._column_names[model.name] = {f.name: f.db_name for f in model.fields}
        return names.get(field_name, field_name)

    def _model(self, name: str) -> dm.Model:
        model = self.datamodel.model(name)
        if model is None:
            raise ValueError(f"unknown model {name!r}")
        return model


# ── helpers shared by the dialects ───────────────────────────────────────────

_WHERE_TOKEN = re.compile(r'\s*("(?:\\.|[^"\\])*"|-?\d+(?:\.\d+)?|[A-Za-z_]\w*|[{}:,])')


def parse_where_object(text: str) -> list[tuple[str, object]]:
    """`{ a: true, b: null, c: { not: null }, d: "x" }` → [(name, value), ...].

    Values: str, int/float text as number, bool, None, or {"not": value}.
    """
    tokens = [m.group(1) for m in _WHERE_TOKEN.finditer(text)]
    position = 0

    def take() -> str:
        nonlocal position
        token = tokens[position] if position < len(tokens) else ""
        position += 1
        return token

    def value() -> object:
        token = take()
        if token == "{":
            return dict(members())
        if token.startswith('"'):
            return str(json.loads(token))
        if token in ("true", "false"):
            return token == "true"
        if token == "null":
            return None
        return (
            float(token) if "." in token else int(token) if token.lstrip("-").isdigit() else token
        )

    def members() -> list[tuple[str, object]]:
        out: list[tuple[str, object]] = []
        while position < len(tokens):
            key = take()
            if key == "}":
                break
            if key == ",":
                continue
            take()  # ":"
            out.append((key.strip('"'), value()))
        return out

    if take() != "{":
        return []
    return members()


_AUTO_INCREMENT_KINDS = frozenset({"autoincrement", "sequence"})

_INDEX_KINDS = {kind: sql.IndexKind(kind.value) for kind in dm.IndexKind}

_ARITY = {
    dm.Arity.REQUIRED: sql.ColumnArity.REQUIRED,
    dm.Arity.OPTIONAL: sql.ColumnArity.NULLABLE,
    dm.Arity.LIST: sql.ColumnArity.LIST,
}


def ordered_indexes(indexes: tuple[dm.Index, ...]) -> list[dm.Index]:
    """Prisma's order: field-level @unique first, then @@index, @@unique, @@fulltext."""

    def key(item: tuple[int, dm.Index]) -> tuple[int, int]:
        position, index = item
        return (0 if index.is_field_level else _INDEX_KIND_ORDER[index.kind], position)

    return [index for _, index in sorted(enumerate(indexes), key=key)]


def is_auto_increment(field: dm.ScalarField) -> bool:
    return field.default is not None and field.default.kind in _AUTO_INCREMENT_KINDS


def unsupported_type_text(type_name: str) -> str:
    """`Unsupported("circle")` (or just `circle`) → `circle`."""
    text = type_name.strip()
    if text.startswith("Unsupported(") and text.endswith(")"):
        inner = text[len("Unsupported(") : -1].strip()
        if len(inner) >= 2 and inner[0] == inner[-1] == '"':
            return inner[1:-1].replace('\\"', '"').replace("\\\\", "\\")
        return inner
    return text


def default_literal(
    field: dm.ScalarField, value: dm.DefaultValue, datamodel: dm.Datamodel
) -> sql.Literal:
    """A literal default as neutral data, by the field's type."""
    if field.kind is dm.FieldKind.ENUM or value.kind == "enum":
        return sql.Literal(sql.LiteralKind.ENUM, _enum_db_value(field, value, datamodel))
    raw = value.value
    match field.type_name:
        case "Boolean":
            text = raw if isinstance(raw, str) else str(bool(raw)).lower()
            return sql.Literal(sql.LiteralKind.BOOLEAN, text.lower())
        case _ if field.type_name in _NUMERIC_TYPES:
            return sql.Literal(sql.LiteralKind.NUMBER, _number_text(value))
        case "DateTime":
            return sql.Literal(sql.LiteralKind.DATETIME, str(raw))
        case "Json":
            return sql.Literal(sql.LiteralKind.JSON, str(raw))
        case "Bytes":
            return sql.Literal(sql.LiteralKind.BYTES, _base64_to_hex(str(raw)))
        case _:
            return sql.Literal(sql.LiteralKind.STRING, str(raw))


def _number_text(value: dm.DefaultValue) -> str:
    text = value.text.strip()
    if text and (text[0].isdigit() or text[0] in "-+."):
        return text
    return str(value.value)


def _base64_to_hex(text: str) -> str:
    try:
        return base64.b64decode(text, validate=False).hex()
    except (binascii.Error, ValueError):
        return text.encode().hex()


def _enum_db_value(field: dm.ScalarField, value: dm.DefaultValue, datamodel: dm.Datamodel) -> str:
    name = str(value.value)
    enum = datamodel.enum(field.type_name)
    if enum is not None:
        for member in enum.values:
            if member.name == name:
                return member.db_name
    return name


def _single_id_field(model: dm.Model) -> dm.ScalarField:
    key = model.primary_key
    if key is None or len(key.fields) != 1:
        raise ValueError(
            f"model {model.name!r} needs a single-field id for an implicit many-to-many relation"
        )
    field = model.field(key.fields[0].field_name)
    if field is None:
        raise ValueError(f"model {model.name!r}: id field {key.fields[0].field_name!r} not found")
    return field
