"""Read a live SQLite database into the neutral SQL schema.

A fixed number of queries (`sql/*.sql`): SQLite's pragma table-valued
functions joined to `sqlite_master` read every table's columns, indexes and
foreign keys at once. What the pragmas do not tell (foreign-key constraint
names, generated-column expressions, partial-index predicates) is read from
the CREATE statements kept in `sqlite_master`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from schemamend.dialects.catalog import batch_of
from schemamend.dialects.literals import LITERAL_KINDS, REFERENTIAL_ACTIONS, iso_datetime
from schemamend.model import sql

if TYPE_CHECKING:
    from schemamend.dialects.catalog import Query, QueryBatch

_SQL_DIR = Path(__file__).parent / "sql"

MIGRATIONS_TABLE = "_prisma_migrations"
BOOKKEEPING_PREFIX = "_schemamend"

#: Databases up to this size get exact row counts (one query over every table).
EXACT_COUNT_MAX_BYTES = 64 * 1024 * 1024

_T = sql.TypeFamily
# Declared type name (upper case, arguments removed) → family, for the names Prisma writes.
TYPE_FAMILIES: dict[str, sql.TypeFamily] = {
    "TEXT": _T.STRING,
    "BOOLEAN": _T.BOOLEAN,
    "INTEGER": _T.INT,
    "INT": _T.INT,
    "BIGINT": _T.BIGINT,
    "REAL": _T.FLOAT,
    "DOUBLE": _T.FLOAT,
    "FLOAT": _T.FLOAT,
    "DECIMAL": _T.DECIMAL,
    "NUMERIC": _T.DECIMAL,
    "DATETIME": _T.DATETIME,
    "DATE": _T.DATETIME,
    "JSONB": _T.JSON,
    "JSON": _T.JSON,
    "BLOB": _T.BYTES,
    "VARCHAR": _T.STRING,
    "CHAR": _T.STRING,
}


_TYPE_TEXT = re.compile(r"^\s*(?P<name>[^(]*?)\s*(?:\((?P<args>[^)]*)\))?\s*$")
_NUMBER = re.compile(r"^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$")
_NOW = frozenset({"CURRENT_TIMESTAMP"})
# Defaults SQLite accepts without parentheses besides numbers, strings and blobs.
_KEYWORD_DEFAULTS = frozenset(
    {"NULL", "TRUE", "FALSE", "CURRENT_TIME", "CURRENT_DATE", "CURRENT_TIMESTAMP"}
)
_IDENTIFIER = r'(?:"(?:[^"]|"")+"|`(?:[^`]|``)+`|\[[^\]]+\]|[\w$]+)'
_CONSTRAINT_FK = re.compile(
    rf"^CONSTRAINT\s+(?P<name>{_IDENTIFIER})\s+FOREIGN\s+KEY\s*\((?P<columns>[^)]*)\)",
    re.IGNORECASE,
)
_WITHOUT_ROWID = re.compile(r"\)\s*WITHOUT\s+ROWID\b[^)]*$", re.IGNORECASE)
_GENERATED = re.compile(r"\b(?:GENERATED\s+ALWAYS\s+)?AS\s*\(", re.IGNORECASE)


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
    """The live schema of the main database (SQLite has no namespaces)."""
    reader = _Reader()
    relations, columns, indexes, foreign_keys = batch_of(query, batch)(
        [(catalog_query(name), ()) for name in ("relations", "columns", "indexes", "foreign_keys")]
    )
    reader.read_relations(relations)
    reader.read_columns(columns)
    reader.read_indexes(indexes)
    reader.read_foreign_keys(foreign_keys)
    reader.read_row_counts(query)
    return reader.schema()


@dataclass
class _TableParts:
    name: str
    create_sql: str
    columns: list[sql.Column] = field(default_factory=list)
    key_columns: list[tuple[int, str]] = field(default_factory=list)
    indexes: dict[str, tuple[bool, list[sql.IndexColumn], str | None]] = field(default_factory=dict)
    foreign_keys: list[sql.ForeignKey] = field(default_factory=list)
    row_count: int | None = None


@dataclass
class _Reader:
    tables: dict[str, _TableParts] = field(default_factory=dict)
    views: list[sql.View] = field(default_factory=list)

    def read_relations(self, rows: Sequence[Sequence[Any]]) -> None:
        for name, kind, create_sql in rows:
            if kind == "view":
                self.views.append(sql.View(name, create_sql))
            elif is_managed_table(name):
                self.tables[name] = _TableParts(name, create_sql or "")

    def read_columns(self, rows: Sequence[Sequence[Any]]) -> None:
        for table_name, _, name, declared, not_null, default, key_position, hidden in rows:
            table = self.tables.get(table_name)
            if table is None or hidden == 1:  # hidden 1: a virtual table's hidden column
                continue
            ctype = column_type(declared or "")
            generated = _generated_expression(table.create_sql, name) if hidden in (2, 3) else None
            parsed = None if default is None or generated else column_default(default, ctype.family)
            arity = sql.ColumnArity.REQUIRED if not_null else sql.ColumnArity.NULLABLE
            table.columns.append(sql.Column(name, ctype, arity, parsed, False, generated))
            if key_position:
                table.key_columns.append((key_position, name))

    def read_indexes(self, rows: Sequence[Sequence[Any]]) -> None:
        for table_name, name, unique, partial, position, column, descending, create_sql in rows:
            table = self.tables.get(table_name)
            if table is None:
                continue
            entry = table.indexes.get(name)
            if entry is None:
                predicate = _predicate(create_sql) if partial and create_sql else None
                entry = (bool(unique), [], predicate)
                table.indexes[name] = entry
            sort = sql.SortOrder.DESC if descending else None
            if column is None:  # an expression: its text is in the CREATE INDEX statement
                texts = _index_key_texts(create_sql or "")
                text = texts[position] if position < len(texts) else ""
                entry[1].append(sql.IndexColumn(text, sort, expression=True))
            else:
                entry[1].append(sql.IndexColumn(column, sort))

    def read_foreign_keys(self, rows: Sequence[Sequence[Any]]) -> None:
        grouped: dict[tuple[str, int], list[Sequence[Any]]] = {}
        for row in rows:
            grouped.setdefault((row[0], row[1]), []).append(row)
        for (table_name, _), pairs in grouped.items():
            table = self.tables.get(table_name)
            if table is None:
                continue
            columns = tuple(p[4] for p in pairs)
            target = pairs[0][3]
            referenced = tuple(p[5] if p[5] is not None else "" for p in pairs)
            table.foreign_keys.append(
                sql.ForeignKey(
                    name=_foreign_key_names(table.create_sql).get(columns),
                    columns=columns,
                    referenced_table=sql.TableRef(None, target),
                    referenced_columns=referenced,
                    on_delete=REFERENTIAL_ACTIONS.get(
                        pairs[0][7].upper(), sql.ReferentialAction.NO_ACTION
                    ),
                    on_update=REFERENTIAL_ACTIONS.get(
                        pairs[0][6].upper(), sql.ReferentialAction.NO_ACTION
                    ),
                )
            )

    def read_row_counts(self, query: Query) -> None:
        if not self.tables:
            return
        size, has_statistics = query(catalog_query("size"), ())[0]
        if has_statistics:
            for name, count in query(catalog_query("statistics"), ()):
                if name in self.tables and count is not None:
                    self.tables[name].row_count = int(count)
        elif size <= EXACT_COUNT_MAX_BYTES:
            counts = " UNION ALL ".join(
                f"SELECT {_quote_string(name)}, count(*) FROM {_quote_identifier(name)}"
                for name in self.tables
            )
            for name, count in query(counts, ()):
                self.tables[name].row_count = int(count)

    def schema(self) -> sql.Schema:
        tables = tuple(self._table(self.tables[name]) for name in sorted(self.tables))
        return sql.Schema(tables=tables, views=tuple(sorted(self.views, key=lambda v: v.name)))

    def _table(self, parts: _TableParts) -> sql.Table:
        key_names = [name for _, name in sorted(parts.key_columns)]
        key = (
            sql.PrimaryKey(None, tuple(sql.IndexColumn(n) for n in key_names))
            if key_names
            else None
        )
        columns = parts.columns
        if len(key_names) == 1 and not _WITHOUT_ROWID.search(parts.create_sql):
            columns = [_rowid_alias(c) if c.name == key_names[0] else c for c in columns]
        indexes = tuple(
            sql.Index(
                name,
                sql.IndexKind.UNIQUE if unique else sql.IndexKind.NORMAL,
                tuple(cols),
                None,
                predicate,
            )
            for name, (unique, cols, predicate) in parts.indexes.items()  # index_list order
        )
        return sql.Table(
            name=parts.name,
            columns=tuple(columns),
            primary_key=key,
            indexes=indexes,
            foreign_keys=tuple(sorted(parts.foreign_keys, key=lambda k: (k.name or "", k.columns))),
            row_estimate=parts.row_count,
        )


def _rowid_alias(column: sql.Column) -> sql.Column:
    """An INTEGER column that alone is the primary key is the rowid: it counts up by itself."""
    if column.type.name != "INTEGER":
        return column
    return sql.Column(
        column.name, column.type, column.arity, column.default, True, column.generated
    )


# ── types and defaults ─────────────────────────────────────────────────────


@cache
def column_type(declared: str) -> sql.ColumnType:
    match = _TYPE_TEXT.match(declared)
    if match is None:
        return sql.ColumnType(_T.UNSUPPORTED, declared)
    name = match["name"].upper()
    args = tuple(a.strip() for a in match["args"].split(",")) if match["args"] else ()
    family = TYPE_FAMILIES.get(name)
    if family is None:
        return sql.ColumnType(_T.UNSUPPORTED, declared)
    return sql.ColumnType(family, name, args)


@cache
def column_default(text: str, family: sql.TypeFamily) -> sql.ColumnDefault:
    """A default as SQLite keeps it (the text after DEFAULT) → neutral data."""
    value = text.strip()
    if value.upper() in _NOW:
        return sql.ColumnDefault(sql.DefaultKind.NOW)
    kind = LITERAL_KINDS.get(family)
    literal = _literal(value, kind) if kind is not None else None
    if literal is not None:
        return sql.ColumnDefault(sql.DefaultKind.VALUE, literal=literal)
    return sql.ColumnDefault(sql.DefaultKind.EXPRESSION, expression=_as_written(value))


def _as_written(value: str) -> str:
    """SQLite keeps `DEFAULT (expr)` as `expr`: anything but a literal had parentheses."""
    is_literal = (
        _NUMBER.match(value) is not None
        or _unquote(value) is not None
        or value.upper() in _KEYWORD_DEFAULTS
        or (value[:2] in ("X'", "x'") and value.endswith("'"))
    )
    return value if is_literal else f"({value})"


def _literal(value: str, kind: sql.LiteralKind) -> sql.Literal | None:
    quoted = _unquote(value)
    match kind:
        case sql.LiteralKind.NUMBER:
            number = quoted if quoted is not None else value
            return sql.Literal(kind, number) if _NUMBER.match(number) else None
        case sql.LiteralKind.BOOLEAN:
            word = (quoted if quoted is not None else value).lower()
            if word in ("true", "1"):
                return sql.Literal(kind, "true")
            if word in ("false", "0"):
                return sql.Literal(kind, "false")
            return None
        case sql.LiteralKind.BYTES:
            if value[:2] in ("X'", "x'") and value.endswith("'"):
                return sql.Literal(kind, value[2:-1].lower())
            return None if quoted is None else sql.Literal(kind, quoted.lower())
        case sql.LiteralKind.DATETIME:
            return None if quoted is None else sql.Literal(kind, iso_datetime(quoted))
        case _:
            return None if quoted is None else sql.Literal(kind, quoted)


def _unquote(text: str) -> str | None:
    if len(text) >= 2 and text[0] == text[-1] == "'":
        body = text[1:-1]
        if "'" not in body.replace("''", ""):
            return body.replace("''", "'")
    return None


# ── what only the CREATE statements tell ───────────────────────────────────


def _split_top_level(body: str) -> list[str]:
    """Comma-separated items outside quotes and parentheses."""
    items: list[str] = []
    depth = 0
    quote: str | None = None
    start = 0
    for i, char in enumerate(body):
        if quote is not None:
            if char == quote:
                quote = None
        elif char in "'\"`":
            quote = char
        elif char == "[":
            quote = "]"
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "," and depth == 0:
            items.append(body[start:i].strip())
            start = i + 1
    items.append(body[start:].strip())
    return items


def _parenthesised(text: str, open_at: int) -> str:
    """The text between the parenthesis at `open_at` and its match."""
    depth = 0
    quote: str | None = None
    for i in range(open_at, len(text)):
        char = text[i]
        if quote is not None:
            if char == quote:
                quote = None
        elif char in "'\"`":
            quote = char
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return text[open_at + 1 : i]
    return text[open_at + 1 :]


@cache
def _table_items(create_sql: str) -> tuple[str, ...]:
    start = create_sql.find("(")
    if start < 0:
        return ()
    return tuple(_split_top_level(_parenthesised(create_sql, start)))


def _unquote_identifier(text: str) -> str:
    text = text.strip()
    if len(text) >= 2 and (text[0], text[-1]) in (('"', '"'), ("`", "`"), ("[", "]")):
        inner = text[1:-1]
        return inner.replace('""', '"') if text[0] == '"' else inner.replace("``", "`")
    return text


@cache
def _foreign_key_names(create_sql: str) -> dict[tuple[str, ...], str]:
    names: dict[tuple[str, ...], str] = {}
    for item in _table_items(create_sql):
        match = _CONSTRAINT_FK.match(item)
        if match is not None:
            columns = tuple(_unquote_identifier(c) for c in _split_top_level(match["columns"]))
            names.setdefault(columns, _unquote_identifier(match["name"]))
    return names


def _generated_expression(create_sql: str, column: str) -> str | None:
    for item in _table_items(create_sql):
        head = re.match(_IDENTIFIER, item)
        if head is None or _unquote_identifier(head.group(0)) != column:
            continue
        match = _GENERATED.search(item, head.end())
        if match is not None:
            return _parenthesised(item, match.end() - 1).strip()
    return None


def _index_key_texts(create_sql: str) -> list[str]:
    on = re.search(r"\bON\s+" + _IDENTIFIER + r"\s*\(", create_sql, re.IGNORECASE)
    if on is None:
        return []
    items = _split_top_level(_parenthesised(create_sql, on.end() - 1))
    return [re.sub(r"\s+(ASC|DESC)$", "", item, flags=re.IGNORECASE) for item in items]


def _predicate(create_sql: str) -> str | None:
    on = re.search(r"\bON\s+" + _IDENTIFIER + r"\s*\(", create_sql, re.IGNORECASE)
    if on is None:
        return None
    keys = _parenthesised(create_sql, on.end() - 1)
    rest = create_sql[on.end() + len(keys) + 1 :]
    where = re.search(r"\bWHERE\b", rest, re.IGNORECASE)
    if where is None:
        return None
    predicate = rest[where.end() :].strip()
    # `WHERE (a AND b)`, as Prisma writes it, is the predicate `a AND b`
    if predicate.startswith("(") and _parenthesised(predicate, 0) == predicate[1:-1]:
        predicate = predicate[1:-1].strip()
    return predicate


def _quote_identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _quote_string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"
