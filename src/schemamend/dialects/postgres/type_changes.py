"""How Prisma Migrate changes a PostgreSQL column's type, and what it warns about.

Prisma sorts every type change into one of three kinds:

- SAFE: `ALTER COLUMN ... SET DATA TYPE`, no warning;
- RISKY: the same statement, with a warning in `migrate dev`'s "Warnings:" block
  ("The data in that column could be lost. The data in that column will be cast
  from `Integer` to `SmallInt`.");
- RECREATE: no cast is used: the column is dropped and added again (`DROP COLUMN`
  then `ADD COLUMN`), losing its data.

The tables below were read off the output of the real Prisma 7.10.1 `migrate dev`
for a matrix of type pairs (tests/fixtures/pg_type_changes holds the runs and the
test that replays them); a pair they do not cover is `None` (unknown): callers keep
their own behaviour for it.
"""

from __future__ import annotations

from enum import Enum
from itertools import product

from schemamend.model import sql


class Cast(Enum):
    SAFE = "safe"
    RISKY = "risky"
    RECREATE = "recreate"


SAFE, RISKY, RECREATE = Cast.SAFE, Cast.RISKY, Cast.RECREATE

_INTEGERS = ("SMALLINT", "INTEGER", "BIGINT")
_FLOATS = ("REAL", "DOUBLE PRECISION")
_NUMBERS = (*_INTEGERS, *_FLOATS, "DECIMAL")
_TEXTS = ("TEXT", "VARCHAR", "CHAR")
_DATETIMES = ("TIMESTAMP", "TIMESTAMPTZ", "DATE", "TIME", "TIMETZ")
_JSONS = ("JSON", "JSONB")


def _pairs(
    sources: tuple[str, ...], targets: tuple[str, ...], cast: Cast
) -> dict[tuple[str, str], Cast]:
    return {(a, b): cast for a, b in product(sources, targets) if a != b}


# (old type, new type) → kind, where the arguments of either type do not matter.
# Later entries override earlier ones.
_BY_NAME: dict[tuple[str, str], Cast] = {
    # numbers among themselves
    **_pairs(_NUMBERS, _INTEGERS + _FLOATS, RISKY),
    **_pairs(("SMALLINT",), ("INTEGER", "BIGINT", *_FLOATS), SAFE),
    **_pairs(("INTEGER",), ("BIGINT", *_FLOATS), SAFE),
    **_pairs(("BIGINT",), _FLOATS, SAFE),
    ("REAL", "DOUBLE PRECISION"): SAFE,
    **_pairs(_FLOATS, ("DECIMAL",), RISKY),
    ("OID", "INTEGER"): SAFE,
    ("SMALLINT", "OID"): RECREATE,
    ("MONEY", "DECIMAL"): RISKY,
    ("MONEY", "INTEGER"): RISKY,
    ("DECIMAL", "MONEY"): RECREATE,
    ("INTEGER", "MONEY"): RECREATE,
    # into numbers and timestamps, from what has no cast to them
    **_pairs(("BOOLEAN", *_TEXTS, "TIMESTAMP", "BYTEA", *_JSONS), _NUMBERS, RECREATE),
    **_pairs((*_NUMBERS, "BOOLEAN", *_TEXTS, "BYTEA", *_JSONS), ("TIMESTAMP",), RECREATE),
    # date and time among themselves: a time of day has no date, a date no time of day
    **_pairs(_DATETIMES, _DATETIMES, SAFE),
    ("DATE", "TIME"): RECREATE,
    ("DATE", "TIMETZ"): RECREATE,
    **_pairs(("TIME", "TIMETZ"), ("TIMESTAMP", "TIMESTAMPTZ", "DATE"), RECREATE),
    # into booleans, bytes, JSON: recreated from anything else
    **_pairs((*_NUMBERS, *_TEXTS, *_DATETIMES, "BYTEA", *_JSONS), ("BOOLEAN",), RECREATE),
    **_pairs((*_NUMBERS, "BOOLEAN", *_TEXTS, *_DATETIMES, *_JSONS), ("BYTEA",), RECREATE),
    **_pairs((*_NUMBERS, "BOOLEAN", *_TEXTS, *_DATETIMES, "UUID", "BYTEA"), _JSONS, RECREATE),
    **_pairs(_JSONS, _JSONS, SAFE),
    # into text-like types that parse their input
    **_pairs(_TEXTS, ("UUID", "XML", "INET"), RECREATE),
    # into unbounded text: anything
    **_pairs(
        (
            *_NUMBERS,
            "BOOLEAN",
            *_TEXTS,
            *_DATETIMES,
            "UUID",
            *_JSONS,
            "BYTEA",
            "XML",
            "INET",
            "BIT",
            "VARBIT",
        ),
        ("TEXT",),
        SAFE,
    ),
    ("VARBIT", "BIT"): RISKY,
}

_LONGEST_TEXT = 10485760  # PostgreSQL's longest VARCHAR(n) / CHAR(n)

# Into VARCHAR(n) / CHAR(n) from a type of bounded text length: the steps
# (longest n, kind) in increasing n; an n longer than the last step is SAFE.
_INTO_SHORT_TEXT: dict[tuple[str, str], tuple[tuple[int, Cast], ...]] = {
    **{(a, b): ((3, RISKY),) for a, b in product(("SMALLINT",), ("VARCHAR", "CHAR"))},
    **{(a, b): ((10, RISKY),) for a, b in product(("INTEGER",), ("VARCHAR", "CHAR"))},
    **{(a, b): ((19, RISKY),) for a, b in product(("BIGINT",), ("VARCHAR", "CHAR"))},
    **{(a, b): ((46, RISKY),) for a, b in product(("REAL",), ("VARCHAR", "CHAR"))},
    **{(a, b): ((316, RISKY),) for a, b in product(("DOUBLE PRECISION",), ("VARCHAR", "CHAR"))},
    **{(a, b): ((22, RECREATE),) for a, b in product(("TIMESTAMP",), ("VARCHAR", "CHAR"))},
    **{(a, b): ((27, RECREATE),) for a, b in product(("TIMESTAMPTZ", "DATE"), ("VARCHAR", "CHAR"))},
    **{(a, b): ((13, RECREATE),) for a, b in product(("TIME",), ("VARCHAR", "CHAR"))},
    **{(a, b): ((18, RECREATE),) for a, b in product(("TIMETZ",), ("VARCHAR", "CHAR"))},
    **{(a, b): ((31, RECREATE),) for a, b in product(("UUID",), ("VARCHAR", "CHAR"))},
    ("BOOLEAN", "VARCHAR"): (),
    ("INET", "VARCHAR"): (),
    ("INET", "CHAR"): ((_LONGEST_TEXT, RECREATE),),  # any n (seen from 1 to 100)
    ("BOOLEAN", "CHAR"): ((3, RECREATE), (4, RISKY)),
}
# Into VARCHAR(n) / CHAR(n) from these: always RISKY, whatever n (seen up to n = 10000 for
# JSONB, 10485760 for TEXT, 10000 for BYTEA and XML).
_UNBOUNDED = frozenset({"TEXT", *_JSONS, "BYTEA", "XML"})
# Into DECIMAL(p,s) from integers: RISKY when fewer than this many digits stay before the point.
_INTEGER_DIGITS = {"SMALLINT": 3, "INTEGER": 10, "BIGINT": 19}


def column_change(old: sql.Column, new: sql.Column) -> Cast | None:
    """How Prisma changes the column's type (`None`: the type does not change, or the pair is
    not in the tables). A column that becomes or stops being a list is recreated."""
    if old.is_list != new.is_list:
        return RECREATE
    return type_change(old.type, new.type)


def type_change(old: sql.ColumnType, new: sql.ColumnType) -> Cast | None:
    a, b = old.name.upper(), new.name.upper()
    if sql.TypeFamily.ENUM in (old.family, new.family):
        # to, from or between enums: never cast (seen with text, VARCHAR(n), integers, lists)
        same_enum = (old.enum, old.enum_namespace) == (new.enum, new.enum_namespace)
        return None if same_enum and old.family is new.family else RECREATE
    if a == b:
        return _same_name(a, old.args, new.args)
    if b in ("VARCHAR", "CHAR") and new.args:
        return _into_short_text(a, old.args, b, _number(new.args[0]))
    if b == "VARCHAR" and a in (
        *_NUMBERS,
        "BOOLEAN",
        *_TEXTS,
        *_DATETIMES,
        "UUID",
        *_JSONS,
        "INET",
    ):
        return SAFE  # unbounded VARCHAR
    if b == "DECIMAL" and a in _INTEGER_DIGITS and len(new.args) == 2:
        precision, scale = _number(new.args[0]), _number(new.args[1])
        return RISKY if precision - scale < _INTEGER_DIGITS[a] else SAFE
    return _BY_NAME.get((a, b))


def _same_name(name: str, old: tuple[str, ...], new: tuple[str, ...]) -> Cast | None:
    if name in ("VARCHAR", "CHAR"):
        if not new:
            return SAFE
        return _into_short_text(name, old, name, _number(new[0]))
    if name == "DECIMAL" and len(old) == len(new) == 2:
        (p, s), (p2, s2) = (_number(x) for x in old), (_number(x) for x in new)
        return SAFE if p2 - s2 >= p - s and s2 >= s else RISKY
    if name in _DATETIMES:
        return SAFE  # another precision
    return None


def _into_short_text(source: str, args: tuple[str, ...], target: str, length: int) -> Cast | None:
    if source in ("VARCHAR", "CHAR"):
        return RISKY if not args or length < _number(args[0]) else SAFE
    if source in _UNBOUNDED:
        return RISKY
    if source == "DECIMAL" and args:
        return RISKY if length <= _number(args[0]) + 1 else SAFE
    if source == "BIT" and args:  # shorter than the bits: no cast
        return RECREATE if length < _number(args[0]) else SAFE
    if source == "VARBIT" and args and target == "VARCHAR":
        return RISKY if length < _number(args[0]) else SAFE
    steps = _INTO_SHORT_TEXT.get((source, target))
    if steps is None:
        return None
    return next((cast for longest, cast in steps if length <= longest), SAFE)


def _number(text: str) -> int:
    try:
        return int(text.strip())
    except ValueError:
        return 0


# ── Prisma's names of the types, in its warnings ─────────────────────────────

_PRISMA_NAMES = {
    "TEXT": "Text",
    "CHAR": "Char",
    "VARCHAR": "VarChar",
    "BIT": "Bit",
    "VARBIT": "VarBit",
    "UUID": "Uuid",
    "XML": "Xml",
    "INET": "Inet",
    "CITEXT": "Citext",
    "BOOLEAN": "Boolean",
    "INTEGER": "Integer",
    "SMALLINT": "SmallInt",
    "OID": "Oid",
    "BIGINT": "BigInt",
    "DOUBLE PRECISION": "DoublePrecision",
    "REAL": "Real",
    "DECIMAL": "Decimal",
    "MONEY": "Money",
    "TIMESTAMP": "Timestamp",
    "TIMESTAMPTZ": "Timestamptz",
    "DATE": "Date",
    "TIME": "Time",
    "TIMETZ": "Timetz",
    "JSON": "Json",
    "JSONB": "JsonB",
    "BYTEA": "ByteA",
}


def prisma_type_name(column_type: sql.ColumnType) -> str:
    """The native type as Prisma names it in a warning: `Integer`, `VarChar(10)`, `Decimal(65,30)`."""
    name = _PRISMA_NAMES.get(column_type.name.upper(), column_type.name)
    args = ",".join(a.replace(" ", "") for a in column_type.args)
    return f"{name}({args})" if args else name
