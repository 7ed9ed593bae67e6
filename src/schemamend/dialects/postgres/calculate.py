"""Datamodel → SQL schema for PostgreSQL."""

from __future__ import annotations

from schemamend.dialects.calculator import SchemaCalculator
from schemamend.dialects.postgres.render import quote_identifier, quote_string
from schemamend.dialects.postgres.types import scalar_column_type
from schemamend.model import datamodel as dm
from schemamend.model import sql

DEFAULT_NAMESPACE = "public"

# @@index(type: X) → USING X (BTree is the default and is not written)
ALGORITHMS = {"Hash": "HASH", "Gin": "GIN", "Gist": "GIST", "SpGist": "SPGIST", "Brin": "BRIN"}

# Words Prisma's operator-class names glue together that PostgreSQL writes as one word.
_OPS_WORDS = (
    ("MinMax", "Minmax"),
    ("MacAddr", "Macaddr"),
    ("TimestampTz", "Timestamptz"),
    ("TimeTz", "Timetz"),
)


def operator_class_name(name: str) -> str:
    """`JsonbPathOps` → `jsonb_path_ops`, `Int4MinMaxMultiOps` → `int4_minmax_multi_ops`."""
    for glued, word in _OPS_WORDS:
        name = name.replace(glued, word)
    out: list[str] = []
    for i, char in enumerate(name):
        if char.isupper() and i > 0:
            out.append("_")
        out.append(char.lower())
    return "".join(out)


class PostgresCalculator(SchemaCalculator):
    max_identifier_length = 63

    def scalar_type(self, field: dm.ScalarField) -> sql.ColumnType:
        return scalar_column_type(field)

    def enums(self) -> tuple[sql.EnumType, ...]:
        return tuple(
            sql.EnumType(e.db_name, tuple(v.db_name for v in e.values), e.schema)
            for e in self.datamodel.enums
        )

    def namespaces(
        self, tables: list[sql.Table], enums: tuple[sql.EnumType, ...]
    ) -> tuple[sql.Namespace, ...]:
        """The schemas a from-empty script creates: the ones in use (sorted), or
        `public` when the datasource lists none and anything is created."""
        used = {t.namespace for t in tables} | {e.namespace for e in enums}
        named = sorted(n for n in used if n is not None)
        if named:
            return tuple(sql.Namespace(n) for n in named)
        return (sql.Namespace(DEFAULT_NAMESPACE),) if used else ()

    def extensions(self) -> tuple[sql.Extension, ...]:
        source = self.datamodel.datasource
        if source is None:
            return ()
        if source.extension_details:
            return tuple(
                sql.Extension(e.db_name, e.schema, e.version) for e in source.extension_details
            )
        return tuple(sql.Extension(name) for name in source.extensions)

    def quote_identifier(self, name: str) -> str:
        return quote_identifier(name)

    def quote_string(self, text: str) -> str:
        return quote_string(text)

    def join_table_keys(self, name: str) -> tuple[sql.PrimaryKey | None, tuple[sql.Index, ...]]:
        a, b = sql.IndexColumn("A"), sql.IndexColumn("B")
        key = sql.PrimaryKey(self.generated_name(name, "_AB_pkey"), (a, b))
        index = sql.Index(self.generated_name(name, "_B_index"), sql.IndexKind.NORMAL, (b,))
        return key, (index,)

    def index_algorithm(self, index: dm.Index) -> str | None:
        if index.algorithm is None:
            return None
        return ALGORITHMS.get(index.algorithm)

    def operator_class(self, field: dm.IndexField) -> str | None:
        ops = field.operator_class
        if ops is None:
            return None
        if ops.startswith("raw(") and ops.endswith(")"):
            return ops[4:-1].strip().strip('"')
        return operator_class_name(ops)


def calculate(datamodel: dm.Datamodel) -> sql.Schema:
    return PostgresCalculator(datamodel).calculate()
