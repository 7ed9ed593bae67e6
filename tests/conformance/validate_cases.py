"""Schemas for the validation differential: generated ones and semantic mutations of them.

The format cases (`format_cases.random_schema`) are mostly valid; the mutations
here break them the ways people do — a deleted line, a wrong type, a missing
`@id`, an optional list, an unknown native type — so both validators must
decide, and their verdicts (valid or invalid) are compared.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Iterator

from tests.conformance.format_cases import random_schema, strip_datasource_urls

SCALARS = ("String", "Int", "BigInt", "Float", "Decimal", "Boolean", "DateTime", "Json", "Bytes")
DEFAULTS = (
    "now()",
    "autoincrement()",
    "uuid()",
    "cuid()",
    '"x"',
    "1",
    "1.5",
    "true",
    "[]",
    "dbgenerated()",
)
NATIVE = (
    "@db.VarChar(10)",
    "@db.Text",
    "@db.Timestamp(3)",
    "@db.Integer",
    "@db.Uuid",
    "@db.Decimal(10, 2)",
    "@db.Date",
)

_FIELD = re.compile(r"^(\s+)(\w+)(\s+)(\w+)(\[\]|\?)?(.*)$")


def _block_lines(lines: list[str]) -> list[int]:
    """Indexes of member lines inside model blocks."""
    inside = False
    found = []
    for i, line in enumerate(lines):
        if line.startswith("model "):
            inside = True
        elif line.startswith("}"):
            inside = False
        elif inside and line.strip() and not line.strip().startswith("//"):
            found.append(i)
    return found


def _field_lines(lines: list[str]) -> list[int]:
    return [
        i
        for i in _block_lines(lines)
        if _FIELD.match(lines[i]) and not lines[i].strip().startswith("@@")
    ]


def _delete_line(lines: list[str], rng: random.Random) -> None:
    candidates = _block_lines(lines)
    if candidates:
        del lines[rng.choice(candidates)]


def _duplicate_field(lines: list[str], rng: random.Random) -> None:
    candidates = _field_lines(lines)
    if candidates:
        i = rng.choice(candidates)
        lines.insert(i, lines[i])


def _change_type(lines: list[str], rng: random.Random) -> None:
    candidates = _field_lines(lines)
    if candidates:
        i = rng.choice(candidates)
        m = _FIELD.match(lines[i])
        assert m
        lines[i] = f"{m[1]}{m[2]}{m[3]}{rng.choice(SCALARS)}{m[5] or ''}{m[6]}"


def _change_arity(lines: list[str], rng: random.Random) -> None:
    candidates = _field_lines(lines)
    if candidates:
        i = rng.choice(candidates)
        m = _FIELD.match(lines[i])
        assert m
        lines[i] = f"{m[1]}{m[2]}{m[3]}{m[4]}{rng.choice(['', '?', '[]'])}{m[6]}"


def _remove_attribute(lines: list[str], rng: random.Random) -> None:
    candidates = [i for i in _block_lines(lines) if "@" in lines[i]]
    if candidates:
        i = rng.choice(candidates)
        attrs = list(re.finditer(r"@@?[\w.]+(\([^()]*(\([^()]*\))?[^()]*\))?", lines[i]))
        if attrs:
            a = rng.choice(attrs)
            lines[i] = lines[i][: a.start()] + lines[i][a.end() :]


def _add_default(lines: list[str], rng: random.Random) -> None:
    candidates = _field_lines(lines)
    if candidates:
        i = rng.choice(candidates)
        lines[i] = (
            re.sub(r"@default\([^)]*\)+", "", lines[i]) + f" @default({rng.choice(DEFAULTS)})"
        )


def _add_native_type(lines: list[str], rng: random.Random) -> None:
    candidates = _field_lines(lines)
    if candidates:
        i = rng.choice(candidates)
        lines[i] = re.sub(r"@db\.\w+(\([^)]*\))?", "", lines[i]) + " " + rng.choice(NATIVE)


def _retarget_relation(lines: list[str], rng: random.Random) -> None:
    models = [line.split()[1] for line in lines if line.startswith("model ")]
    candidates = [
        i for i in _field_lines(lines) if (m := _FIELD.match(lines[i])) and m[4] in models
    ]
    if candidates and len(models) > 1:
        i = rng.choice(candidates)
        m = _FIELD.match(lines[i])
        assert m
        lines[i] = f"{m[1]}{m[2]}{m[3]}{rng.choice(models)}{m[5] or ''}{m[6]}"


def _add_unique(lines: list[str], rng: random.Random) -> None:
    candidates = _field_lines(lines)
    if candidates:
        i = rng.choice(candidates)
        lines[i] += rng.choice([" @unique", " @id", " @updatedAt", " @ignore", ' @map("m")'])


MUTATIONS: tuple[Callable[[list[str], random.Random], None], ...] = (
    _delete_line,
    _duplicate_field,
    _change_type,
    _change_arity,
    _remove_attribute,
    _add_default,
    _add_native_type,
    _retarget_relation,
    _add_unique,
)

PROVIDERS = ("postgresql", "sqlite", "mysql")


def validation_case(seed: int) -> str:
    """A generated schema for one of the SQL providers with 0–2 semantic mutations."""
    rng = random.Random(seed)
    text = strip_datasource_urls(random_schema(seed))
    if rng.random() < 0.3:  # the same schema on another provider: capability checks
        provider = rng.choice(PROVIDERS)
        text = re.sub(
            r'provider\s*=\s*"(postgresql|sqlite|mysql)"', f'provider = "{provider}"', text, count=1
        )
    lines = text.split("\n")
    for _ in range(rng.choice((0, 1, 1, 2))):
        rng.choice(MUTATIONS)(lines, rng)
    return "\n".join(lines)


def validation_cases(count: int, seed: int = 0) -> Iterator[tuple[str, str]]:
    for i in range(count):
        yield f"case-{seed}-{i}", validation_case(seed * 100_000 + i)
