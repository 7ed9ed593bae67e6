"""Read a live MySQL or MariaDB database into the neutral SQL schema.

A fixed number of `information_schema` queries (`sql/*.sql`), each for the
whole database: tables, columns, index columns, foreign-key columns, and on
MariaDB the check constraints that mark JSON columns (MariaDB keeps JSON as
LONGTEXT). Types come back with the calculator's names ("INTEGER",
"VARCHAR" ("191",), "BOOLEAN" for tinyint(1), inline "ENUM" with its values).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from schemamend.dialects.catalog import batch_of
from schemamend.dialects.literals import LITERAL_KINDS, REFERENTIAL_ACTIONS
from schemamend.model import sql

if TYPE_CHECKING:
    from schemamend.dialects.catalog import Query, QueryBatch

_SQL_DIR = Path(__file__).parent / "sql"

MIGRATIONS_TABLE = "_prisma_migrations"
BOOKKEEPING_PREFIX = "_schemamend"
PRIMARY = "PRIMARY"

_T = sql.TypeFamily

# DATA_TYPE → (the calculator's name, family, whether COLUMN_TYPE's arguments are kept).
# Integer display widths (int(11)) mean nothing and are dropped.
TYPES: dict[str, tuple[str, sql.TypeFamily, bool]] = {
    "int": ("INTEGER", _T.INT, False),
    "smallint": ("SMALLINT", _T.INT, False),
    "tinyint": ("TINYINT", _T.INT, False),
    "mediumint": ("MEDIUMINT", _T.INT, False),
    "bigint": ("BIGINT", _T.BIGINT, False),
    "decimal": ("DECIMAL", _T.DECIMAL, True),
    "float": ("FLOAT", _T.FLOAT, False),
    "double": ("DOUBLE", _T.FLOAT, False),
    "bit": ("BIT", _T.BYTES, True),
    "char": ("CHAR", _T.STRING, True),
    "varchar": ("VARCHAR", _T.STRING, True),
    "binary": ("BINARY", _T.BYTES, True),
    "varbinary": ("VARBINARY", _T.BYTES, True),
    "tinyblob": ("TINYBLOB", _T.BYTES, False),
    "blob": ("BLOB", _T.BYTES, False),
    "mediumblob": ("MEDIUMBLOB", _T.BYTES, False),
    "longblob": ("LONGBLOB", _T.BYTES, False),
    "tinytext": ("TINYTEXT", _T.STRING, False),
    "text": ("TEXT", _T.STRING, False),
    "mediumtext": ("MEDIUMTEXT", _T.STRING, False),
    "longtext": ("LONGTEXT", _T.STRING, False),
    "date": ("DATE", _T.DATETIME, False),
    "time": ("TIME", _T.DATETIME, True),
    "datetime": ("DATETIME", _T.DATETIME, True),
    "timestamp": ("TIMESTAMP", _T.DATETIME, True),
    "year": ("YEAR", _T.INT, False),
    "json": ("JSON", _T.JSON, False),
}


_ARGS = re.compile(r"\((?P<args>[^)]*)\)")
_NUMBER = re.compile(r"^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$")
_NOW = re.compile(r"^(current_timestamp|now)(\(\d*\))?$", re.IGNORECASE)
_JSON_CHECK = re.compile(r"^json_valid\(`(?P<column>(?:[^`]|``)+)`\)$")
_ENUM_VALUE = re.compile(r"'((?:[^'\\]|''|\\.)*)'")
_DATETIME = re.compile(
    r"^(?P<date>\d{4}-\d{2}-\d{2})(?:[ T](?P<time>\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?))?$"
)
_ESCAPES = {"0": "\0", "n": "\n", "r": "\r", "t": "\t", "b": "\b", "Z": "\x1a"}


def is_managed_table(name: str) -> bool:
    return name != MIGRATIONS_TABLE and not name.startswith(BOOKKEEPING_PREFIX)


@cache
def catalog_query(name: str) -> str:
    return (_SQL_DIR / f"{name}.sql").read_text(encoding="utf-8")


def read_schema(
    query: Query,
    *,
    default_namespace: str | None = None,
    namespaces: Sequence[str] | None = None,
    batch: QueryBatch | None = None,
) -> sql.Schema:
    """The live schema of the connection's database (or of `default_namespace`)."""
    current, version = query(catalog_query("server"), ())[0]
    database = default_namespace or current
    mariadb = "mariadb" in str(version).lower()
    reader = _Reader(mariadb=mariadb)
    names = ["relations", "columns", "indexes", "foreign_keys"]
    if mariadb:
        names.append("checks_mariadb")
    results = batch_of(query, batch)([(catalog_query(name), (database,)) for name in names])
    rows = dict(zip(names, results, strict=True))
    reader.read_relations(rows["relations"])
    if mariadb:
        reader.read_json_checks(rows["checks_mariadb"])
    reader.read_columns(rows["columns"])
    reader.read_indexes(rows["indexes"])
    reader.read_foreign_keys(rows["foreign_keys"], database)
    return reader.schema()


@dataclass
class _TableParts:
    name: str
    row_estimate: int | None
    columns: list[sql.Column] = field(default_factory=list)
    json_columns: set[str] = field(default_factory=set)
    indexes: dict[str, tuple[sql.IndexKind, list[sql.IndexColumn], str | None]] = field(
        default_factory=dict
    )
    foreign_keys: list[sql.ForeignKey] = field(default_factory=list)


@dataclass
class _Reader:
    mariadb: bool
    tables: dict[str, _TableParts] = field(default_factory=dict)
    views: list[sql.View] = field(default_factory=list)

    def read_relations(self, rows: Sequence[Sequence[Any]]) -> None:
        for name, kind, row_estimate, definition in rows:
            if kind == "VIEW":
                self.views.append(sql.View(name, definition))
            elif is_managed_table(name):
                estimate = None if row_estimate is None else int(row_estimate)
                self.tables[name] = _TableParts(name, estimate)

    def read_json_checks(self, rows: Sequence[Sequence[Any]]) -> None:
        for table_name, clause in rows:
            table = self.tables.get(table_name)
            match = _JSON_CHECK.match(clause or "")
            if table is not None and match is not None:
                table.json_columns.add(match["column"].replace("``", "`"))

    def read_columns(self, rows: Sequence[Sequence[Any]]) -> None:
        for table_name, name, data_type, full_type, nullable, default, extra, generation in rows:
            table = self.tables.get(table_name)
            if table is None:
                continue
            ctype = column_type(data_type, full_type)
            if name in table.json_columns and ctype.name == "LONGTEXT":
                ctype = sql.ColumnType(_T.JSON, "JSON")
            extra_text = (extra or "").upper()
            generated = (
                generation
                if "GENERATED" in extra_text and "DEFAULT_GENERATED" not in extra_text
                else None
            )
            parsed = None
            if generated is None:
                parsed = column_default(
                    default, ctype.family, self.mariadb, "DEFAULT_GENERATED" in extra_text
                )
            arity = sql.ColumnArity.NULLABLE if nullable == "YES" else sql.ColumnArity.REQUIRED
            auto_increment = "AUTO_INCREMENT" in extra_text
            table.columns.append(sql.Column(name, ctype, arity, parsed, auto_increment, generated))

    def read_indexes(self, rows: Sequence[Sequence[Any]]) -> None:
        for table_name, name, non_unique, _, column, collation, sub_part, index_type in rows:
            table = self.tables.get(table_name)
            if table is None:
                continue
            entry = table.indexes.get(name)
            if entry is None:
                method = str(index_type).upper()
                if method == "FULLTEXT":
                    kind = sql.IndexKind.FULLTEXT
                else:
                    kind = sql.IndexKind.NORMAL if int(non_unique) else sql.IndexKind.UNIQUE
                algorithm = None if method in ("BTREE", "FULLTEXT") else method
                entry = (kind, [], algorithm)
                table.indexes[name] = entry
            sort = sql.SortOrder.DESC if collation == "D" else None
            length = int(sub_part) if sub_part is not None else None
            entry[1].append(sql.IndexColumn(column, sort, length))

    def read_foreign_keys(self, rows: Sequence[Sequence[Any]], database: str) -> None:
        grouped: dict[tuple[str, str], list[Sequence[Any]]] = {}
        for row in rows:
            grouped.setdefault((row[0], row[1]), []).append(row)
        for (table_name, name), pairs in grouped.items():
            table = self.tables.get(table_name)
            if table is None:
                continue
            first = pairs[0]
            namespace = None if first[4] == database else first[4]
            table.foreign_keys.append(
                sql.ForeignKey(
                    name=name,
                    columns=tuple(p[3] for p in pairs),
                    referenced_table=sql.TableRef(namespace, first[5]),
                    referenced_columns=tuple(p[6] for p in pairs),
                    on_delete=REFERENTIAL_ACTIONS.get(
                        str(first[8]).upper(), sql.ReferentialAction.NO_ACTION
                    ),
                    on_update=REFERENTIAL_ACTIONS.get(
                        str(first[7]).upper(), sql.ReferentialAction.NO_ACTION
                    ),
                )
            )

    def schema(self) -> sql.Schema:
        tables = tuple(self._table(self.tables[name]) for name in sorted(self.tables))
        return sql.Schema(tables=tables, views=tuple(sorted(self.views, key=lambda v: v.name)))

    def _table(self, parts: _TableParts) -> sql.Table:
        key = None
        indexes = []
        foreign_keys = sorted(parts.foreign_keys, key=lambda k: k.name or "")
        for name in sorted(parts.indexes):
            kind, columns, algorithm = parts.indexes[name]
            if name == PRIMARY:
                key = sql.PrimaryKey(None, tuple(columns))
            elif not _is_foreign_key_index(name, kind, columns, foreign_keys):
                indexes.append(sql.Index(name, kind, tuple(columns), algorithm))
        return sql.Table(
            name=parts.name,
            columns=tuple(parts.columns),
            primary_key=key,
            indexes=tuple(indexes),
            foreign_keys=tuple(foreign_keys),
            row_estimate=parts.row_estimate,
        )


def _is_foreign_key_index(
    name: str, kind: sql.IndexKind, columns: list[sql.IndexColumn], keys: list[sql.ForeignKey]
) -> bool:
    """The index InnoDB adds by itself for a foreign key that no index covers: it takes the
    constraint's name and columns, and no schema declares it."""
    if kind is not sql.IndexKind.NORMAL:
        return False
    names = tuple(c.name for c in columns)
    plain = all(c.sort is None and c.length is None for c in columns)
    return plain and any(k.name == name and k.columns == names for k in keys)


# ── types and defaults ─────────────────────────────────────────────────────


@cache
def column_type(data_type: str, full_type: str) -> sql.ColumnType:
    base = data_type.lower()
    full = full_type.lower()
    if base == "enum":
        return sql.ColumnType(
            _T.ENUM, "ENUM", tuple(_unescape(v) for v in _ENUM_VALUE.findall(full_type))
        )
    if base == "tinyint" and full.startswith("tinyint(1)"):
        return sql.ColumnType(_T.BOOLEAN, "BOOLEAN")
    known = TYPES.get(base)
    if known is None:
        return sql.ColumnType(_T.UNSUPPORTED, full_type)
    name, family, keep_args = known
    args: tuple[str, ...] = ()
    if keep_args:
        match = _ARGS.search(full_type)
        if match is not None:
            args = tuple(a.strip() for a in match["args"].split(","))
    if base == "bit" and args == ("1",):
        family = _T.BOOLEAN
    if "unsigned" in full:
        name += " UNSIGNED"
    return sql.ColumnType(family, name, args)


def column_default(
    text: str | None, family: sql.TypeFamily, mariadb: bool, expression: bool
) -> sql.ColumnDefault | None:
    """COLUMN_DEFAULT → neutral data. MariaDB prints SQL (`'abc'`, `NULL`, `current_timestamp(3)`);
    MySQL prints a literal's raw value and flags expressions with DEFAULT_GENERATED."""
    if text is None or (mariadb and text == "NULL"):
        return None
    return _parse_default(text, family, mariadb, expression)


@cache
def _parse_default(
    text: str, family: sql.TypeFamily, mariadb: bool, expression: bool
) -> sql.ColumnDefault:
    value = text.strip()
    if _NOW.match(value):
        return sql.ColumnDefault(sql.DefaultKind.NOW)
    kind = LITERAL_KINDS.get(family)
    if kind is not None and not expression:
        raw = _unquote(value) if mariadb else value
        literal = _literal(raw, value, kind)
        if literal is not None:
            return sql.ColumnDefault(sql.DefaultKind.VALUE, literal=literal)
    return sql.ColumnDefault(sql.DefaultKind.EXPRESSION, expression=value)


def _literal(raw: str | None, text: str, kind: sql.LiteralKind) -> sql.Literal | None:
    """`raw`: the unquoted value (None: the default was not a quoted string)."""
    bare = raw if raw is not None else text
    match kind:
        case sql.LiteralKind.NUMBER:
            return sql.Literal(kind, bare) if _NUMBER.match(bare) else None
        case sql.LiteralKind.BOOLEAN:
            word = bare.lower()
            if word in ("1", "true", "b'1'"):
                return sql.Literal(kind, "true")
            if word in ("0", "false", "b'0'"):
                return sql.Literal(kind, "false")
            return None
        case sql.LiteralKind.BYTES:
            if text.lower().startswith("0x"):
                return sql.Literal(kind, text[2:].lower())
            return (
                None if raw is None else sql.Literal(kind, raw.encode("latin-1", "replace").hex())
            )
        case sql.LiteralKind.DATETIME:
            if raw is None:
                return None
            match = _DATETIME.match(raw)
            if match is None:
                return sql.Literal(kind, raw)
            iso = match["date"] + (f"T{match['time']}" if match["time"] else "")
            return sql.Literal(kind, iso)
        case _:
            return None if raw is None else sql.Literal(kind, raw)


def _unquote(text: str) -> str | None:
    if len(text) >= 2 and text[0] == text[-1] == "'":
        return _unescape(text[1:-1])
    return None


def _unescape(body: str) -> str:
    """A MySQL string literal's body: `''` and backslash escapes."""
    out: list[str] = []
    i = 0
    while i < len(body):
        char = body[i]
        if char == "\\" and i + 1 < len(body):
            out.append(_ESCAPES.get(body[i + 1], body[i + 1]))
            i += 2
        elif char == "'" and body[i + 1 : i + 2] == "'":
            out.append("'")
            i += 2
        else:
            out.append(char)
            i += 1
    return "".join(out)
