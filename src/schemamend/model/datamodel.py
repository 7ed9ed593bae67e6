"""The declared schema after validation: what `schema.prisma` means.

Plain frozen dataclasses, no I/O. Every name that reaches the database is
resolved here (`db_name`: after `@map`/`@@map`; constraint names: explicit
`map:` or Prisma's generated default for the provider), so later stages never
re-derive them. The SQL-level schema (tables, columns) is computed from this
model per dialect in `schemamend.model.sql`.
"""

from __future__ import annotations

from dataclasses import MISSING, dataclass, field, fields
from enum import StrEnum
from types import FunctionType
from typing import TypeVar, cast

_Record = TypeVar("_Record", bound=type)


def _quick_init(cls: _Record) -> _Record:
    """Give a frozen, slotted dataclass an equivalent `__init__` that builds it faster.

    The generated `__init__` of a frozen dataclass stores each field through
    `object.__setattr__`; this one calls each slot's own setter (1.0 -> 0.6 µs for a
    ScalarField). Same parameters, same defaults, same frozen instances. Validation builds
    hundreds of thousands of these records for a large schema (53,000 ScalarFields for
    5,000 models), and their construction was its largest single cost.
    """
    params: list[str] = []
    body: list[str] = []
    env: dict[str, object] = {}
    for f in fields(cls):
        assert f.init and f.default_factory is MISSING, f"{cls.__name__}.{f.name}"
        env[f"_set_{f.name}"] = cls.__dict__[f.name].__set__
        if f.default is MISSING:
            params.append(f.name)
        else:
            env[f"_default_{f.name}"] = f.default
            params.append(f"{f.name}=_default_{f.name}")
        body.append(f"    _set_{f.name}(self, {f.name})")
    exec(f"def __init__(self, {', '.join(params)}):\n" + "\n".join(body), env)
    init = cast(FunctionType, env["__init__"])
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    cls.__init__ = init  # type: ignore[misc]
    return cls


class Arity(StrEnum):
    REQUIRED = "required"
    OPTIONAL = "optional"
    LIST = "list"


SCALAR_TYPES = (
    "String",
    "Boolean",
    "Int",
    "BigInt",
    "Float",
    "Decimal",
    "DateTime",
    "Json",
    "Bytes",
)


class FieldKind(StrEnum):
    SCALAR = "scalar"  # one of SCALAR_TYPES
    ENUM = "enum"  # type_name is the enum's name
    UNSUPPORTED = "unsupported"  # Unsupported("db type")


class ReferentialAction(StrEnum):
    CASCADE = "Cascade"
    RESTRICT = "Restrict"
    NO_ACTION = "NoAction"
    SET_NULL = "SetNull"
    SET_DEFAULT = "SetDefault"


class SortOrder(StrEnum):
    ASC = "Asc"
    DESC = "Desc"


@_quick_init
@dataclass(frozen=True, slots=True)
class NativeType:
    """`@db.VarChar(255)` → NativeType("VarChar", ("255",))."""

    name: str
    args: tuple[str, ...] = ()


@_quick_init
@dataclass(frozen=True, slots=True)
class DefaultValue:
    """A field default.

    kind is one of: "value" (a literal: `value` holds str/int/float/bool/Decimal
    as text in `text` too), "list" (`value` is a tuple of DefaultValue),
    "enum" (`value` is the enum value's name), "now", "autoincrement",
    "sequence", "dbgenerated" (`value` is the SQL text or None), and the
    client-side generators "uuid", "cuid", "nanoid", "ulid" (`args` holds the
    call's arguments as written, e.g. ("7",) for uuid(7)).
    """

    kind: str
    value: object = None
    text: str = ""  # the expression as written in the schema
    args: tuple[str, ...] = ()
    constraint_name: str | None = None  # `@default(..., map: "x")`

    @property
    def is_client_side(self) -> bool:
        return self.kind in ("uuid", "cuid", "nanoid", "ulid")


@_quick_init
@dataclass(frozen=True, slots=True)
class ScalarField:
    name: str
    db_name: str
    kind: FieldKind
    type_name: str  # scalar type, enum name, or the Unsupported("...") text
    arity: Arity
    native_type: NativeType | None = None
    default: DefaultValue | None = None
    is_updated_at: bool = False
    is_ignored: bool = False
    documentation: str | None = None

    @property
    def is_required(self) -> bool:
        return self.arity is Arity.REQUIRED

    @property
    def is_list(self) -> bool:
        return self.arity is Arity.LIST


@_quick_init
@dataclass(frozen=True, slots=True)
class IndexField:
    """One column of a key or index (`sort:`, `length:`, `ops:` as declared)."""

    field_name: str  # the scalar field's name in the model
    db_name: str  # the column name
    sort: SortOrder | None = None
    length: int | None = None
    operator_class: str | None = None


@_quick_init
@dataclass(frozen=True, slots=True)
class PrimaryKey:
    fields: tuple[IndexField, ...]
    constraint_name: str  # resolved: `map:` or Prisma's default (e.g. "User_pkey")
    client_name: str | None = None  # `name:` on @@id
    clustered: bool | None = None
    is_field_level: bool = False  # declared with @id on a field


class IndexKind(StrEnum):
    NORMAL = "normal"  # @@index
    UNIQUE = "unique"  # @unique / @@unique
    FULLTEXT = "fulltext"  # @@fulltext


@_quick_init
@dataclass(frozen=True, slots=True)
class Index:
    kind: IndexKind
    fields: tuple[IndexField, ...]
    constraint_name: str  # resolved default or `map:`
    client_name: str | None = None  # `name:`
    algorithm: str | None = None  # `type: Hash` etc. (PostgreSQL), None = default (BTree)
    clustered: bool | None = None
    where: str | None = None  # partial index predicate (raw SQL)
    is_field_level: bool = False  # @unique on a field


@_quick_init
@dataclass(frozen=True, slots=True)
class RelationField:
    """A field whose type is another model (either side of a relation)."""

    name: str
    related_model: str
    arity: Arity
    relation_name: str  # explicit name or Prisma's generated one ("AToB")
    fields: tuple[str, ...] = ()  # scalar fields holding the foreign key (referencing side)
    references: tuple[str, ...] = ()  # fields of the related model they reference
    on_delete: ReferentialAction | None = None  # as declared
    on_update: ReferentialAction | None = None  # as declared
    constraint_name: str | None = None  # `map:` on @relation
    is_ignored: bool = False
    documentation: str | None = None


class RelationKind(StrEnum):
    ONE_TO_ONE = "1:1"
    ONE_TO_MANY = "1:n"
    MANY_TO_MANY = "m:n"


@_quick_init
@dataclass(frozen=True, slots=True)
class ForeignKeySide:
    """The referencing side of a 1:1 or 1:n relation, with effective actions."""

    model: str
    fields: tuple[str, ...]
    referenced_model: str
    references: tuple[str, ...]
    on_delete: ReferentialAction
    on_update: ReferentialAction
    constraint_name: str  # resolved: `map:` or "Table_column_fkey"


@_quick_init
@dataclass(frozen=True, slots=True)
class JoinTable:
    """Implicit many-to-many: table "_Name" with columns A and B."""

    db_name: str  # "_CategoryToPost"
    model_a: str  # the model whose id is column "A" (first by name)
    model_b: str
    schema: str | None = None


@_quick_init
@dataclass(frozen=True, slots=True)
class Relation:
    name: str
    kind: RelationKind
    model_a: str
    field_a: str | None  # None when a side has no field (not allowed by Prisma, kept for safety)
    model_b: str
    field_b: str | None
    foreign_key: ForeignKeySide | None = (
        None  # 1:1 and 1:n (None under relationMode = "prisma"? no: kept; see emits_foreign_key)
    )
    join_table: JoinTable | None = None  # m:n
    emits_foreign_key: bool = True  # False under relationMode = "prisma" or when ignored


@_quick_init
@dataclass(frozen=True, slots=True)
class Model:
    name: str
    db_name: str
    fields: tuple[ScalarField, ...]
    relation_fields: tuple[RelationField, ...]
    primary_key: PrimaryKey | None
    indexes: tuple[Index, ...]  # uniques, normal and fulltext indexes, in declaration order
    schema: str | None = None  # @@schema
    is_view: bool = False
    is_ignored: bool = False
    documentation: str | None = None

    def field(self, name: str) -> ScalarField | None:
        for f in self.fields:
            if f.name == name:
                return f
        return None


@_quick_init
@dataclass(frozen=True, slots=True)
class EnumValue:
    name: str
    db_name: str
    documentation: str | None = None


@_quick_init
@dataclass(frozen=True, slots=True)
class EnumType:
    name: str
    db_name: str
    values: tuple[EnumValue, ...]
    schema: str | None = None
    documentation: str | None = None


@_quick_init
@dataclass(frozen=True, slots=True)
class DatasourceExtension:
    """One entry of `extensions = [...]`: `uuidOssp(map: "uuid-ossp", schema: "ext", version: "1.1")`."""

    name: str  # as written in the schema
    db_name: str  # `map:` or the name
    schema: str | None = None
    version: str | None = None


@_quick_init
@dataclass(frozen=True, slots=True)
class Datasource:
    name: str
    provider: str  # as written: "postgresql", "postgres", "mysql", "sqlite", ...
    url: str | None = None  # literal URL, when given as a string
    url_env: str | None = None  # variable name of url = env("X")
    shadow_database_url_env: str | None = None
    relation_mode: str = "foreignKeys"  # or "prisma"
    schemas: tuple[str, ...] = ()
    extensions: tuple[str, ...] = ()
    # the same extensions with their arguments (empty when not lowered: use `extensions`)
    extension_details: tuple[DatasourceExtension, ...] = ()

    @property
    def family(self) -> str:
        """The SQL family: "postgresql", "mysql", "sqlite", "sqlserver", "cockroachdb", "mongodb"."""
        return "postgresql" if self.provider == "postgres" else self.provider


@_quick_init
@dataclass(frozen=True, slots=True)
class Generator:
    name: str
    provider: str | None
    preview_features: tuple[str, ...] = ()
    output: str | None = None
    config: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class Datamodel:
    datasource: Datasource | None
    generators: tuple[Generator, ...]
    models: tuple[Model, ...]  # models and views (see Model.is_view)
    enums: tuple[EnumType, ...]
    relations: tuple[Relation, ...]
    _by_name: dict[str, Model] = field(default_factory=dict, compare=False, repr=False)

    def model(self, name: str) -> Model | None:
        if not self._by_name:
            self._by_name.update({m.name: m for m in self.models})
        return self._by_name.get(name)

    def enum(self, name: str) -> EnumType | None:
        for e in self.enums:
            if e.name == name:
                return e
        return None

    @property
    def tables(self) -> tuple[Model, ...]:
        """Models that become tables: every model but views (`@@ignore`d models too,
        as Prisma Migrate still creates them; only the client ignores them)."""
        return tuple(m for m in self.models if not m.is_view)
