"""Inputs for the formatter conformance checks: corpus schemas, random schemas and mutations.

Everything is deterministic for a given seed, so a failing case can be replayed from its name.
"""

from __future__ import annotations

import random
import re
import zlib
from collections.abc import Iterator
from pathlib import Path

_URL_PROPERTY = re.compile(r"^[ \t]*(url|directUrl|shadowDatabaseUrl)[ \t]*=.*(\r?\n)?", re.M)
_EXPECTED_DIAGNOSTICS = re.compile(r"^// (error|warning): ", re.M)


def strip_datasource_urls(text: str) -> str:
    """Prisma 7 rejects `url = ...` in the schema (P1012): drop those properties."""
    return _URL_PROPERTY.sub("", text)


def corpus_schemas(shared_dir: Path) -> Iterator[tuple[str, str]]:
    """(name, text): real-world schemas, the scenario and the error-free validation fixtures."""
    corpus = shared_dir / "corpus"
    for path in sorted((corpus / "real-world").rglob("*.prisma")):
        yield str(path.relative_to(shared_dir)), strip_datasource_urls(_read(path))
    scenario = shared_dir / "scenarios" / "seed-incident" / "prisma" / "schema.prisma"
    if scenario.is_file():
        yield str(scenario.relative_to(shared_dir)), strip_datasource_urls(_read(scenario))
    for path in sorted((corpus / "psl-validation").rglob("*.prisma")):
        text = _read(path)
        if not _EXPECTED_DIAGNOSTICS.search(text):
            yield str(path.relative_to(shared_dir)), strip_datasource_urls(text)


def _read(path: Path) -> str:
    return path.read_bytes().decode("utf-8")


# ── random schemas ─────────────────────────────────────────────────────────

_MODEL_NAMES = [
    "User", "Post", "Profile", "Tag", "Category", "Comment", "HTTPLog", "user_session",
    "Address", "Person", "Child", "Status", "Box", "Datum", "APIKey", "Order_Item", "Leaf",
]  # fmt: skip
_FIELD_NAMES = [
    "name", "title", "email", "createdAt", "updatedAt", "count", "price", "isActive", "data",
    "slug", "bio", "score", "external_id", "rank", "body", "payload", "flags", "nickName",
]  # fmt: skip
_SCALARS = ["String", "Int", "BigInt", "Float", "Decimal", "Boolean", "DateTime", "Json", "Bytes"]
_DEFAULTS = {
    "String": ['"x"', '""', '"a \\"quoted\\" word"', "uuid()", "cuid()", '"日本"'],
    "Int": ["0", "42", "-1"],
    "BigInt": ["0", "9007199254740993"],
    "Float": ["1.5", "0", "-2.25"],
    "Decimal": ["0", "1.10"],
    "Boolean": ["true", "false"],
    "DateTime": ["now()"],
    "Json": ['"{}"', '"[1, 2]"'],
}
_PG_NATIVE = {
    "String": ["@db.VarChar(255)", "@db.Text", "@db.Uuid", "@db.Char(2)"],
    "Int": ["@db.SmallInt", "@db.Integer"],
    "Decimal": ["@db.Decimal(10, 2)", "@db.Money"],
    "DateTime": ["@db.Timestamptz(6)", "@db.Date"],
    "Float": ["@db.Real"],
}
_COMMENTS = ["// a comment", "//no space", "// trailing  ", "// 囧 unicode", "/* block */"]
_DOCS = ["/// Documentation.", "///tight doc", "/// two  spaces"]


class _SchemaBuilder:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.provider = rng.choice(["postgresql", "postgresql", "sqlite", "mysql"])
        count = rng.randint(1, 5)
        self.models = rng.sample(_MODEL_NAMES, count)
        self.enums = [f"Kind{i}" for i in range(rng.randint(0, 2))]
        self.lines: dict[str, list[str]] = {m: [] for m in self.models}
        self.block_attrs: dict[str, list[str]] = {m: [] for m in self.models}
        self.used: dict[str, set[str]] = {m: {"id"} for m in self.models}
        self.id_type: dict[str, str] = {}
        self.enum_values: dict[str, list[str]] = {}
        self.maps = 0

    def comment(self) -> str:
        return self.rng.choice(_COMMENTS)

    def maybe_trailing(self) -> str:
        return " " + self.comment() if self.rng.random() < 0.15 else ""

    def build(self) -> str:
        rng = self.rng
        out = ["datasource db {", f'  provider = "{self.provider}"']
        if self.provider != "sqlite" and rng.random() < 0.3:
            out.append('  relationMode = "prisma"' + self.maybe_trailing())
        out += ["}", ""]
        if rng.random() < 0.6:
            out += ["generator client {", '  provider = "prisma-client-js"']
            if rng.random() < 0.5:
                out.append('  output = "../generated"')
            if rng.random() < 0.3:
                out.append('  previewFeatures = ["views","fullTextSearchPostgres"]')
            out += ["}", ""]
        for enum in self.enums:
            out += self.enum_block(enum)
        for model in self.models:
            self.id_fields(model)
        for model in self.models:
            self.scalar_fields(model)
        self.relations()
        for model in self.models:
            if rng.random() < 0.3:
                out.append(rng.choice(_DOCS))
            out.append(f"model {model} {{")
            out += ["  " + line for line in self.lines[model]]
            if self.block_attrs[model]:
                out.append("")
                out += ["  " + line for line in self.block_attrs[model]]
            out += ["}", ""]
        if rng.random() < 0.3:
            out.append(self.comment())
        return "\n".join(out) + "\n"

    def enum_block(self, name: str) -> list[str]:
        rng = self.rng
        lines = [f"enum {name} {{"]
        self.enum_values[name] = []
        for i in range(rng.randint(1, 4)):
            value = rng.choice(["A", "BB", "CCC_LONG", "dd"]) + str(i)
            self.enum_values[name].append(value)
            attrs = f' @map("v{i}")' if rng.random() < 0.3 else ""
            lines.append(f"  {value}{attrs}{self.maybe_trailing()}")
        if rng.random() < 0.3:
            lines.append(f'  @@map("{name.lower()}s")')
        return [*lines, "}", ""]

    def id_fields(self, model: str) -> None:
        rng = self.rng
        kind = rng.choice(["int", "string", "string"])
        if kind == "int":
            self.id_type[model] = "Int"
            self.lines[model].append("id Int @id @default(autoincrement())" + self.maybe_trailing())
        else:
            self.id_type[model] = "String"
            native = " @db.Uuid" if self.provider == "postgresql" and rng.random() < 0.3 else ""
            default = "@default(uuid())" if native else "@default(cuid())"
            self.lines[model].append(f"id String @id {default}{native}")

    def scalar_fields(self, model: str) -> None:
        rng = self.rng
        for _ in range(rng.randint(0, 6)):
            name = rng.choice(_FIELD_NAMES)
            if name in self.used[model]:
                continue
            self.used[model].add(name)
            type_name = rng.choice(_SCALARS + self.enums)
            arity = ""
            roll = rng.random()
            if roll < 0.25:
                arity = "?"
            elif roll < 0.32 and self.provider == "postgresql":
                arity = "[]"
            attrs = self.field_attributes(type_name, arity)
            if rng.random() < 0.12:
                self.lines[model].append(self.comment())
            if rng.random() < 0.1:
                self.lines[model].append(rng.choice(_DOCS))
            if rng.random() < 0.1:
                self.lines[model].append("")
            line = f"{name} {type_name}{arity}"
            if attrs:
                line += " " + " ".join(attrs)
            self.lines[model].append(line + self.maybe_trailing())
        scalars = sorted(n for n in self.used[model] if n != "id")
        if scalars and rng.random() < 0.4:
            picked = rng.sample(scalars, min(len(scalars), rng.randint(1, 2)))
            self.block_attrs[model].append(f"@@index([{', '.join(picked)}])")
        if rng.random() < 0.3:
            self.block_attrs[model].append(f'@@map("{model.lower()}_table")')

    def field_attributes(self, type_name: str, arity: str) -> list[str]:
        rng = self.rng
        attrs: list[str] = []
        if arity == "" and type_name in ("String", "Int") and rng.random() < 0.15:
            attrs.append("@unique")
        if arity != "[]" and type_name in _DEFAULTS and rng.random() < 0.3:
            attrs.append(f"@default({rng.choice(_DEFAULTS[type_name])})")
        if arity != "[]" and type_name in self.enums and rng.random() < 0.3:
            attrs.append(f"@default({self.enum_values[type_name][0]})")
        if type_name == "DateTime" and arity != "[]" and not attrs and rng.random() < 0.3:
            attrs.append("@updatedAt")
        if rng.random() < 0.2:
            self.maps += 1
            attrs.append(f'@map("{rng.choice(["col", "x_y", "Weird Name"])}{self.maps}")')
        if self.provider == "postgresql" and type_name in _PG_NATIVE and rng.random() < 0.25:
            attrs.append(rng.choice(_PG_NATIVE[type_name]))
        return attrs

    def relations(self) -> None:
        rng = self.rng
        for child in self.models:
            if rng.random() < 0.35:
                continue
            parent = rng.choice(self.models)
            if parent == child:
                continue
            field_name = parent[0].lower() + parent[1:].replace("_", "")
            fk = field_name + "Id"
            if field_name in self.used[child] or fk in self.used[child]:
                continue
            self.used[child] |= {field_name, fk}
            optional = "?" if rng.random() < 0.4 else ""
            one_to_one = rng.random() < 0.2
            unique = " @unique" if one_to_one else ""
            style = rng.random()
            if style < 0.6:
                action = ", onDelete: Cascade" if rng.random() < 0.3 else ""
                self.lines[child].append(
                    f"{field_name} {parent}{optional} @relation(fields: [{fk}], "
                    f"references: [id]{action})"
                )
                self.lines[child].append(f"{fk} {self.id_type[parent]}{optional}{unique}")
                back_missing = rng.random() < 0.4
            else:
                # No @relation and no scalar: `prisma format` adds both (and the back field).
                self.lines[child].append(f"{field_name} {parent}{optional}")
                one_to_one = False
                back_missing = rng.random() < 0.7
            if not back_missing:
                back = child[0].lower() + child[1:].replace("_", "") + ("" if one_to_one else "s")
                if back not in self.used[parent]:
                    self.used[parent].add(back)
                    arity = "?" if one_to_one else "[]"
                    self.lines[parent].append(f"{back} {child}{arity}")


def random_schema(seed: int) -> str:
    """A small schema touching most of the formatter's surface (usually valid for Prisma)."""
    return _SchemaBuilder(random.Random(seed)).build()


# ── mutations that `prisma format` undoes ─────────────────────────────────

_HSPACE = re.compile(r"[ \t]+")


def mutate(text: str, seed: int) -> str:
    """Reindent, respace, reorder attributes, add comments and blank lines; maybe CRLF."""
    rng = random.Random(seed)
    out: list[str] = []
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped and rng.random() < 0.5:
            line = rng.choice(["", " ", "    ", "\t", "      "]) + stripped
        if _respaceable(stripped) and rng.random() < 0.5:
            line = _respace(line, rng)
        if stripped.startswith(("@@", "}")) is False and " @" in line and rng.random() < 0.3:
            line = _shuffle_field_attributes(line, rng)
        if rng.random() < 0.06:
            out.append(rng.choice(["", "", "// inserted comment", "   /// inserted doc"]))
        out.append(line)
        if stripped.startswith("}") and rng.random() < 0.3:
            out.extend([""] * rng.randint(0, 3))
    result = "\n".join(out)
    result = _move_block_attributes_up(result, rng)
    if rng.random() < 0.15:
        result = result.replace("\n", "\r\n")
    if rng.random() < 0.2:
        result = "\n" * rng.randint(1, 3) + result
    if rng.random() < 0.2:
        result = result.rstrip("\n") + "\n" * rng.randint(0, 4)
    return result


def _respaceable(line: str) -> bool:
    return bool(line) and '"' not in line and "//" not in line and "/*" not in line


def _respace(line: str, rng: random.Random) -> str:
    indent = line[: len(line) - len(line.lstrip())]
    body = _HSPACE.sub(lambda _: rng.choice([" ", "  ", "   ", "\t"]), line.strip())
    body = re.sub(r",\s*", lambda _: rng.choice([",", ", ", " , "]), body)
    body = re.sub(r":\s*", lambda _: rng.choice([":", ": ", " : "]), body)
    return indent + body


def _shuffle_field_attributes(line: str, rng: random.Random) -> str:
    if '"' in line or "//" in line or "/*" in line:
        return line
    head, _, rest = line.partition(" @")
    attributes = _split_attributes("@" + rest)
    if attributes is None or len(attributes) < 2:
        return line
    rng.shuffle(attributes)
    return head + " " + " ".join(attributes)


def _split_attributes(text: str) -> list[str] | None:
    parts: list[str] = []
    depth = 0
    current = ""
    for ch in text.strip():
        if ch == "@" and depth == 0 and current.strip():
            parts.append(current.strip())
            current = ""
        depth += ch in "([{"
        depth -= ch in ")]}"
        current += ch
    if depth != 0:
        return None
    parts.append(current.strip())
    return parts


def _move_block_attributes_up(text: str, rng: random.Random) -> str:
    """Move some `@@` lines to just after their block's opening line (Prisma moves them back)."""
    lines = text.split("\n")
    for index in range(len(lines)):
        if lines[index].strip().startswith("@@") and rng.random() < 0.3:
            opening = index
            while opening > 0 and not lines[opening].rstrip().endswith("{"):
                opening -= 1
            if opening > 0 or lines[0].rstrip().endswith("{"):
                moved = lines.pop(index)
                lines.insert(opening + 1, moved)
    return "\n".join(lines)


def generated_cases(count: int, seed: int = 0) -> Iterator[tuple[str, str]]:
    """(name, text): random schemas and mutated copies of them."""
    for i in range(count):
        case_seed = seed * 100_003 + i
        base = random_schema(case_seed)
        if i % 2 == 0:
            yield f"random-{case_seed}", base
        else:
            yield f"mutated-{case_seed}", mutate(base, case_seed)


def mutated_corpus(shared_dir: Path, per_schema: int, seed: int = 0) -> Iterator[tuple[str, str]]:
    for name, text in corpus_schemas(shared_dir):
        if not name.startswith(("corpus/real-world", "scenarios")):
            continue
        for k in range(per_schema):
            yield (
                f"{name}#mutation-{seed}-{k}",
                mutate(text, zlib.crc32(f"{name}#{seed}#{k}".encode())),
            )
