"""PostgreSQL catalog text → neutral column types and defaults.

The catalog prints types with `format_type` ("character varying(255)",
"timestamp(3) without time zone") and defaults with `pg_get_expr`
("'USD'::bpchar", "'-1'::integer", "ARRAY['a'::text]", "CURRENT_TIMESTAMP").
These functions turn that text into the values the PostgreSQL calculator
declares ("VARCHAR" ("255",), a STRING literal "USD", ...), so a database
built from a schema describes itself exactly as the schema is calculated.
"""

from __future__ import annotations

import re
from functools import lru_cache

from schemamend.dialects.literals import LITERAL_KINDS, iso_datetime
from schemamend.model import sql

_T = sql.TypeFamily

# format_type's base name (arguments removed) → (the calculator's name, family)
BUILTIN_TYPES: dict[str, tuple[str, sql.TypeFamily]] = {
    "text": ("TEXT", _T.STRING),
    "character varying": ("VARCHAR", _T.STRING),
    "character": ("CHAR", _T.STRING),
    "bit": ("BIT", _T.STRING),
    "bit varying": ("VARBIT", _T.STRING),
    "uuid": ("UUID", _T.STRING),
    "xml": ("XML", _T.STRING),
    "inet": ("INET", _T.STRING),
    "boolean": ("BOOLEAN", _T.BOOLEAN),
    "integer": ("INTEGER", _T.INT),
    "smallint": ("SMALLINT", _T.INT),
    "oid": ("OID", _T.INT),
    "bigint": ("BIGINT", _T.BIGINT),
    "double precision": ("DOUBLE PRECISION", _T.FLOAT),
    "real": ("REAL", _T.FLOAT),
    "numeric": ("DECIMAL", _T.DECIMAL),
    "money": ("MONEY", _T.DECIMAL),
    "timestamp without time zone": ("TIMESTAMP", _T.DATETIME),
    "timestamp with time zone": ("TIMESTAMPTZ", _T.DATETIME),
    "date": ("DATE", _T.DATETIME),
    "time without time zone": ("TIME", _T.DATETIME),
    "time with time zone": ("TIMETZ", _T.DATETIME),
    "json": ("JSON", _T.JSON),
    "jsonb": ("JSONB", _T.JSON),
    "bytea": ("BYTEA", _T.BYTES),
}

# Types from extensions that Prisma names with @db.* (looked up by type name, any namespace).
EXTENSION_TYPES: dict[str, tuple[str, sql.TypeFamily]] = {"citext": ("CITEXT", _T.STRING)}

_TYPE_TEXT = re.compile(r"^(?P<head>[^(]*)(?:\((?P<args>[^)]*)\))?(?P<tail>.*)$")


@lru_cache(maxsize=4096)
def column_type(
    type_text: str, kind: str, type_name: str, type_namespace: str, qualify: str | None
) -> sql.ColumnType:
    """The neutral type of a column's element type.

    `type_text` is format_type's text, `kind` pg_type.typtype ("b" base, "e"
    enum, "d" domain...), `type_name`/`type_namespace` the type's own name.
    `qualify` is the namespace written on enum types: the type's namespace
    when objects carry namespaces, None when only the default one is read.
    """
    if kind == "e":
        return sql.ColumnType(_T.ENUM, type_name, enum=type_name, enum_namespace=qualify)
    if type_namespace == "pg_catalog":
        match = _TYPE_TEXT.match(type_text)
        if match is not None:
            head = (match["head"] + match["tail"]).strip()
            known = BUILTIN_TYPES.get(head)
            if known is not None:
                args = tuple(a.strip() for a in match["args"].split(",")) if match["args"] else ()
                return sql.ColumnType(known[1], known[0], args)
    elif type_name in EXTENSION_TYPES:
        name, family = EXTENSION_TYPES[type_name]
        return sql.ColumnType(family, name)
    return sql.ColumnType(_T.UNSUPPORTED, _unqualified(type_text, type_namespace))


def _unqualified(type_text: str, namespace: str) -> str:
    for prefix in (f"{namespace}.", f'"{namespace}".'):
        if type_text.startswith(prefix):
            return type_text[len(prefix) :]
    return type_text


# ── defaults ───────────────────────────────────────────────────────────────

_NEXTVAL = re.compile(r"^nextval\('.*'::regclass\)$", re.DOTALL)
_NOW = frozenset({"CURRENT_TIMESTAMP", "now()"})
# `value::type`: the type possibly schema-qualified and quoted, with arguments
# ("timestamp(3) without time zone"), or an array type (`text[]`)
_IDENT = r'(?:"[^"]+"|[A-Za-z_][\w$]*)'
_CAST = re.compile(
    rf"^(?P<value>.*?)::(?:{_IDENT}\.)?(?:\"[^\"]+\"|[A-Za-z_][\w\s$]*(?:\([\d,\s]*\))?[\w\s]*)(?:\[\])?$",
    re.DOTALL,
)
_NUMBER = re.compile(r"^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$")
_QUOTED = re.compile(r"^(?P<e>E?)'(?P<body>(?:[^']|'')*)'$", re.DOTALL)


def is_serial_default(expression: str) -> bool:
    """`nextval('"User_id_seq"'::regclass)`: the default of a serial column."""
    return _NEXTVAL.match(expression) is not None


@lru_cache(maxsize=4096)
def column_default(expression: str, family: sql.TypeFamily, is_list: bool) -> sql.ColumnDefault:
    """A default expression as neutral data; anything unrecognised stays an expression."""
    text = expression.strip()
    if text in _NOW:
        return sql.ColumnDefault(sql.DefaultKind.NOW)
    kind = LITERAL_KINDS.get(family)
    if kind is not None:
        if is_list:
            items = _array_items(text)
            if items is not None:
                literals = [_literal(item, kind) for item in items]
                if all(lit is not None for lit in literals):
                    return sql.ColumnDefault(
                        sql.DefaultKind.LIST,
                        items=tuple(lit for lit in literals if lit is not None),
                    )
        else:
            literal = _literal(text, kind)
            if literal is not None:
                return sql.ColumnDefault(sql.DefaultKind.VALUE, literal=literal)
    return sql.ColumnDefault(sql.DefaultKind.EXPRESSION, expression=text)


def _strip_cast(text: str) -> str:
    """`'abc'::text` → `'abc'`; `('-1'::integer)` → `'-1'` (casts may nest)."""
    while True:
        if text.startswith("(") and text.endswith(")") and _balanced(text[1:-1]):
            text = text[1:-1].strip()
            continue
        match = _CAST.match(text)
        if match is None or not _balanced_quotes(match["value"]):
            return text
        text = match["value"].strip()


def _balanced(text: str) -> bool:
    depth = 0
    in_quote = False
    for char in text:
        if char == "'":
            in_quote = not in_quote
        elif not in_quote:
            if char == "(":
                depth += 1
            elif char == ")":
                depth -= 1
                if depth < 0:
                    return False
    return depth == 0 and not in_quote


def _balanced_quotes(text: str) -> bool:
    return text.count("'") % 2 == 0


def _unquote(text: str) -> str | None:
    match = _QUOTED.match(text)
    if match is None:
        return None
    body = match["body"].replace("''", "'")
    if match["e"]:
        body = body.encode("latin-1", "backslashreplace").decode("unicode_escape")
    return body


def _literal(text: str, kind: sql.LiteralKind) -> sql.Literal | None:
    value = _strip_cast(text)
    quoted = _unquote(value)
    match kind:
        case sql.LiteralKind.NUMBER:
            number = quoted if quoted is not None else value
            return sql.Literal(kind, number) if _NUMBER.match(number) else None
        case sql.LiteralKind.BOOLEAN:
            word = (quoted if quoted is not None else value).lower()
            if word in ("true", "t", "yes", "on", "1"):
                return sql.Literal(kind, "true")
            if word in ("false", "f", "no", "off", "0"):
                return sql.Literal(kind, "false")
            return None
        case sql.LiteralKind.BYTES:
            if quoted is None:
                return None
            if quoted.startswith("\\x"):
                return sql.Literal(kind, quoted[2:].lower())
            return sql.Literal(kind, quoted.encode().hex())
        case sql.LiteralKind.DATETIME:
            return None if quoted is None else sql.Literal(kind, iso_datetime(quoted))
        case _:
            return None if quoted is None else sql.Literal(kind, quoted)


def _array_items(text: str) -> list[str] | None:
    """The items of `ARRAY[...]` or of an array literal `'{a,b}'`, or None."""
    value = _strip_cast(text)
    if value.startswith("ARRAY[") and value.endswith("]"):
        return _split_items(value[len("ARRAY[") : -1])
    quoted = _unquote(value)
    if quoted is not None and quoted.startswith("{") and quoted.endswith("}"):
        return [_quote(item) for item in _split_array_literal(quoted[1:-1])]
    return None


def _split_items(body: str) -> list[str]:
    """Top-level comma-separated items (commas inside quotes or brackets don't split)."""
    items: list[str] = []
    depth = 0
    in_quote = False
    start = 0
    for i, char in enumerate(body):
        if char == "'":
            in_quote = not in_quote
        elif not in_quote:
            if char in "([":
                depth += 1
            elif char in ")]":
                depth -= 1
            elif char == "," and depth == 0:
                items.append(body[start:i].strip())
                start = i + 1
    last = body[start:].strip()
    if last or items:
        items.append(last)
    return items


def _split_array_literal(body: str) -> list[str]:
    """`a,"b c",d` (PostgreSQL's array text) → its unquoted elements."""
    items: list[str] = []
    if not body:
        return items
    current: list[str] = []
    in_quote = False
    escaped = False
    for char in body:
        if escaped:
            current.append(char)
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == '"':
            in_quote = not in_quote
        elif char == "," and not in_quote:
            items.append("".join(current))
            current = []
        else:
            current.append(char)
    items.append("".join(current))
    return items


def _quote(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"
