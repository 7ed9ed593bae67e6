"""A live SQL schema → the text of a `schema.prisma` (before formatting)."""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass, field

from schemamend.model import sql
from schemamend.psl.validate import constraint_names as names
from schemamend.pull.names import enum_value_name, quote, sanitize
from schemamend.pull.relations import RelationField, RelationNamer, join_table
from schemamend.pull.types import TypeTable, type_table

# Provider → the family constraint names are cut for.
_NAME_FAMILIES = {
    "postgresql": "postgresql",
    "postgres": "postgresql",
    "mysql": "mysql",
    "sqlite": "sqlite",
}

# Index method as the database spells it → `type:` of @@index (PostgreSQL; BTree is the default).
_ALGORITHMS = {"HASH": "Hash", "GIN": "Gin", "GIST": "Gist", "SPGIST": "SpGist", "BRIN": "Brin"}

_REQUIRED_ACTIONS = (sql.ReferentialAction.RESTRICT, sql.ReferentialAction.CASCADE)
_OPTIONAL_ACTIONS = (sql.ReferentialAction.SET_NULL, sql.ReferentialAction.CASCADE)
_ACTION_NAMES = {
    sql.ReferentialAction.CASCADE: "Cascade",
    sql.ReferentialAction.RESTRICT: "Restrict",
    sql.ReferentialAction.NO_ACTION: "NoAction",
    sql.ReferentialAction.SET_NULL: "SetNull",
    sql.ReferentialAction.SET_DEFAULT: "SetDefault",
}

IGNORED_MODEL_COMMENT = (
    "/// The underlying table does not contain a valid unique identifier and can therefore "
    "currently not be handled by Prisma Client."
)


@dataclass
class PullOutcome:
    text: str
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Enum:
    name: str  # the schema name
    db_name: str
    values: tuple[str, ...]  # database names
    namespace: str | None = None


class SchemaWriter:
    """Writes models and enums for the tables and enum types of one live schema."""

    def __init__(self, schema: sql.Schema, provider: str, *, partial_indexes: bool = False) -> None:
        self.schema = schema
        self.family = _NAME_FAMILIES.get(provider, provider)
        self.types: TypeTable = type_table(provider)
        self.partial_indexes = partial_indexes
        self.warnings: list[str] = []
        self.tables = sorted(schema.tables, key=lambda t: (t.namespace or "", t.name))
        by_ref = {t.ref: t for t in self.tables}
        self.joins = [j for t in self.tables if (j := join_table(t, by_ref)) is not None]
        self.model_names = {t.ref: sanitize(t.name) for t in self.tables}
        self.field_names = {
            t.ref: {c.name: sanitize(c.name) for c in t.columns} for t in self.tables
        }
        self.enums = self._enums()
        self.relations = RelationNamer(
            self.tables, self.model_names, self.field_names, self.joins
        ).build(self.tables)
        self.multi_namespace = len(
            {t.namespace for t in self.tables} | {e.namespace for e in self.enums}
        ) > 1 or any(t.namespace is not None for t in self.tables)

    # ── enums ────────────────────────────────────────────────────────────

    def _enums(self) -> list[_Enum]:
        found = [_Enum(sanitize(e.name), e.name, e.values, e.namespace) for e in self.schema.enums]
        for table in self.tables:  # inline enums (MySQL): named `{model}_{field}`
            for column in table.columns:
                if column.type.family is sql.TypeFamily.ENUM and column.type.enum is None:
                    name = (
                        f"{self.model_names[table.ref]}_{self.field_names[table.ref][column.name]}"
                    )
                    found.append(_Enum(name, name, column.type.args))
        return sorted(found, key=lambda e: e.db_name)

    def _enum_of(self, table: sql.Table, column: sql.Column) -> _Enum | None:
        wanted = column.type.enum
        if wanted is None:  # an inline enum
            wanted = f"{self.model_names[table.ref]}_{self.field_names[table.ref][column.name]}"
        return next((e for e in self.enums if e.db_name == wanted), None)

    def enum_blocks(self) -> list[str]:
        blocks = []
        for enum in self.enums:
            lines = [f"enum {enum.name} {{"]
            for value in enum.values:
                name = enum_value_name(value)
                lines.append(f"  {name}" + (f" @map({quote(value)})" if name != value else ""))
            if enum.name != enum.db_name:
                lines += ["", f"  @@map({quote(enum.db_name)})"]
            if self.multi_namespace and enum.namespace:
                lines.append(f"  @@schema({quote(enum.namespace)})")
            lines.append("}")
            blocks.append("\n".join(lines))
        return blocks

    # ── models ───────────────────────────────────────────────────────────

    def model_blocks(self) -> list[str]:
        join_refs = {j.table.ref for j in self.joins}
        return [self._model(t) for t in self.tables if t.ref not in join_refs]

    def _model(self, table: sql.Table) -> str:
        key = table.primary_key
        single_id = key.columns[0].name if key is not None and len(key.columns) == 1 else None
        field_uniques, block_indexes = self._split_indexes(table)
        lines: list[str] = []
        for column in table.columns:
            lines.append(
                "  " + self._column(table, column, single_id, field_uniques.get(column.name))
            )
        for relation in self.relations.get(table.ref, []):
            lines.append("  " + self._relation(table, relation))
        block: list[str] = []
        if key is not None and single_id is None:
            block.append(self._compound_id(table, key))
        block += [self._index(table, index) for index in block_indexes]
        model_name = self.model_names[table.ref]
        if model_name != table.name:
            block.append(f"@@map({quote(table.name)})")
        ignored = (
            key is None
            and not field_uniques
            and not any(
                i.kind is sql.IndexKind.UNIQUE and self._all_required(table, i)
                for i in table.indexes
            )
        )
        if ignored:
            block.append("@@ignore")
            self.warnings.append(
                f'The model "{model_name}" has no valid unique identifier and is ignored (@@ignore).'
            )
        if self.multi_namespace and table.namespace:
            block.append(f"@@schema({quote(table.namespace)})")
        body = lines + ([""] + [f"  {b}" for b in block] if block else [])
        head = [IGNORED_MODEL_COMMENT] if ignored else []
        return "\n".join([*head, f"model {model_name} {{", *body, "}"])

    @staticmethod
    def _all_required(table: sql.Table, index: sql.Index) -> bool:
        return all(
            (c := table.column(ic.name)) is not None and c.is_required for ic in index.columns
        )

    def _split_indexes(self, table: sql.Table) -> tuple[dict[str, sql.Index], list[sql.Index]]:
        """Single-column plain uniques become `@unique` on the field; the rest block attributes."""
        field_level: dict[str, sql.Index] = {}
        block: list[sql.Index] = []
        for index in table.indexes:
            if any(c.expression for c in index.columns):
                self.warnings.append(
                    f'The index "{index.name}" on "{table.name}" uses expressions, which a schema cannot describe; left out.'
                )
                continue
            if index.predicate is not None and not self.partial_indexes:
                self.warnings.append(
                    f'The partial index "{index.name}" on "{table.name}" needs the "partialIndexes" preview feature; left out.'
                )
                continue
            column = index.columns[0]
            simple = (
                index.kind is sql.IndexKind.UNIQUE
                and len(index.columns) == 1
                and column.sort is None
                and column.length is None
                and column.operator_class is None
                and index.algorithm is None
                and index.predicate is None
                and column.name not in field_level
            )
            if simple:
                field_level[column.name] = index
            else:
                block.append(index)
        return field_level, block

    def _column(
        self, table: sql.Table, column: sql.Column, single_id: str | None, unique: sql.Index | None
    ) -> str:
        name = self.field_names[table.ref][column.name]
        enum = self._enum_of(table, column) if column.type.family is sql.TypeFamily.ENUM else None
        native: str | None = None
        if enum is not None:
            type_text = enum.name
        else:
            field_type = self.types.field_type(column.type)
            type_text, native = field_type.name, field_type.native
            if field_type.unsupported:
                self.warnings.append(
                    f'The column "{table.name}"."{column.name}" has a type Prisma does not support: {type_text}.'
                )
        suffix = "[]" if column.is_list else ("" if column.is_required else "?")
        attributes: list[str] = []
        if single_id == column.name:
            attributes.append(self._attribute("@id", self._key_map(table)))
        if unique is not None:
            default_name = names.unique_name(table.name, (column.name,), self.family)
            attributes.append(self._attribute("@unique", self._map_arg(unique.name, default_name)))
        default = self._default(column, enum)
        if default is not None:
            attributes.append(f"@default({default})")
        if name != column.name:
            attributes.append(f"@map({quote(column.name)})")
        if native is not None:
            attributes.append(f"@db.{native}")
        return " ".join([name, type_text + suffix, *attributes])

    @staticmethod
    def _attribute(name: str, args: list[str]) -> str:
        return f"{name}({', '.join(args)})" if args else name

    def _map_arg(self, actual: str | None, default: str) -> list[str]:
        return [f"map: {quote(actual)}"] if actual is not None and actual != default else []

    def _key_map(self, table: sql.Table) -> list[str]:
        key = table.primary_key
        assert key is not None
        return self._map_arg(key.name, names.primary_key_name(table.name, self.family))

    def _default(self, column: sql.Column, enum: _Enum | None) -> str | None:
        if column.auto_increment:
            return "autoincrement()"
        default = column.default
        if default is None:
            return None
        match default.kind:
            case sql.DefaultKind.NOW:
                return "now()"
            case sql.DefaultKind.EXPRESSION:
                return f"dbgenerated({quote(default.expression or '')})"
            case sql.DefaultKind.LIST:
                return "[" + ", ".join(_literal(item, enum) for item in default.items) + "]"
            case _:
                return _literal(default.literal, enum) if default.literal is not None else None

    def _relation(self, table: sql.Table, relation: RelationField) -> str:
        args: list[str] = []
        if relation.relation_name is not None:
            args.append(quote(relation.relation_name))
        fk = relation.foreign_key
        if fk is not None:
            target = self.field_names[fk.referenced_table]
            own = self.field_names[table.ref]
            args.append("fields: [" + ", ".join(own.get(c, c) for c in fk.columns) + "]")
            args.append(
                "references: [" + ", ".join(target.get(c, c) for c in fk.referenced_columns) + "]"
            )
            on_delete, on_update = _REQUIRED_ACTIONS if relation.arity == "" else _OPTIONAL_ACTIONS
            if fk.on_delete is not on_delete:
                args.append(f"onDelete: {_ACTION_NAMES[fk.on_delete]}")
            if fk.on_update is not on_update:
                args.append(f"onUpdate: {_ACTION_NAMES[fk.on_update]}")
            default_name = names.foreign_key_name(table.name, fk.columns, self.family)
            args += self._map_arg(fk.name, default_name)
        attribute = f" @relation({', '.join(args)})" if args else ""
        return f"{relation.name} {relation.model}{relation.arity}{attribute}"

    def _compound_id(self, table: sql.Table, key: sql.PrimaryKey) -> str:
        args = ["[" + ", ".join(self._index_field(table, c) for c in key.columns) + "]"]
        args += self._key_map(table)
        return f"@@id({', '.join(args)})"

    def _index(self, table: sql.Table, index: sql.Index) -> str:
        columns = tuple(c.name for c in index.columns)
        if index.kind is sql.IndexKind.UNIQUE:
            attribute, default_name = (
                "@@unique",
                names.unique_name(table.name, columns, self.family),
            )
        else:
            attribute = "@@fulltext" if index.kind is sql.IndexKind.FULLTEXT else "@@index"
            default_name = names.index_name(table.name, columns, self.family)
        args = ["[" + ", ".join(self._index_field(table, c) for c in index.columns) + "]"]
        args += self._map_arg(index.name, default_name)
        if index.algorithm is not None and index.algorithm in _ALGORITHMS:
            args.append(f"type: {_ALGORITHMS[index.algorithm]}")
        if index.predicate is not None:
            args.append(f"where: raw({quote(index.predicate)})")
        return f"{attribute}({', '.join(args)})"

    def _index_field(self, table: sql.Table, column: sql.IndexColumn) -> str:
        name = self.field_names[table.ref].get(column.name, column.name)
        args = []
        if column.length is not None:
            args.append(f"length: {column.length}")
        if column.sort is sql.SortOrder.DESC:
            args.append("sort: Desc")
        if column.operator_class is not None:
            args.append(f"ops: raw({quote(column.operator_class)})")
        return f"{name}({', '.join(args)})" if args else name


def _literal(literal: sql.Literal | None, enum: _Enum | None) -> str:
    if literal is None:
        return '""'
    match literal.kind:
        case sql.LiteralKind.NUMBER | sql.LiteralKind.BOOLEAN:
            return literal.text
        case sql.LiteralKind.ENUM:
            return enum_value_name(literal.text)
        case sql.LiteralKind.BYTES:
            return quote(_hex_to_base64(literal.text))
        case _:
            if enum is not None:
                return enum_value_name(literal.text)
            return quote(literal.text)


def _hex_to_base64(text: str) -> str:
    try:
        return base64.b64encode(bytes.fromhex(text)).decode()
    except (ValueError, binascii.Error):
        return text


def write_schema(
    schema: sql.Schema, provider: str, header: str, *, partial_indexes: bool = False
) -> PullOutcome:
    """The unformatted schema text: `header` (datasource, generators), models, enums."""
    writer = SchemaWriter(schema, provider, partial_indexes=partial_indexes)
    blocks = [header.strip(), *writer.model_blocks(), *writer.enum_blocks()]
    return PullOutcome("\n\n".join(b for b in blocks if b) + "\n", writer.warnings)
