"""Synthetic Prisma schemas for benchmarks and scale tests.

    python bench/gen_schemas.py N [--seed S] > schema.prisma

or, from the repository root::

    from bench.gen_schemas import generate
    text = generate(1000)

The output is deterministic for a given (N, seed) and is a valid Prisma schema for PostgreSQL
(checked with the real Prisma CLI: ``../shared/tools/prisma-oracle/oracle.sh validate``). The
datasource has no ``url`` (Prisma 7 keeps the connection in prisma.config.ts).

What it contains, so parsers, differs and renderers get the whole surface at scale:

- 20 enums (some values and some enums ``@map``-ed), used by plain, optional, list and defaulted
  enum fields;
- models with ``Int``/``BigInt`` autoincrement, ``String`` uuid()/cuid() and ``@db.Uuid``
  ``dbgenerated`` ids; mixed scalars (String, Int, BigInt, Float, Decimal, Boolean, DateTime, Json,
  Bytes), optional and list fields, ``@unique``, ``@default(now())``, ``@updatedAt``, ``@map``,
  ``@@map``, native types (``@db.VarChar(n)``, ``@db.Decimal(p, s)``, ``@db.Timestamptz(6)``, ...);
- one-to-many relations to earlier models with the back-relation list on the referenced model,
  named relations wherever two relations join the same pair of models, optional relations with
  referential actions, one-to-one relations (``@unique`` foreign key), self relations;
- link models with a composite ``@@id`` (explicit many-to-many) and a few implicit many-to-many
  relations;
- ``@@index`` (some with ``sort: Desc``, some GIN on Json), ``@@unique``, custom ``map:`` names;
- ``///`` documentation comments and ``//`` comments.
"""

from __future__ import annotations

import argparse
import random
import sys
from dataclasses import dataclass, field

N_ENUMS = 20
RELATION_WINDOW = 60  # relations point to one of the previous RELATION_WINDOW models

_NOUNS = [
    "Account", "Order", "Invoice", "Product", "Customer", "Shipment", "Ticket", "Project",
    "Task", "Comment", "Review", "Payment", "Warehouse", "Vendor", "Contract", "Device",
    "Session", "Report", "Campaign", "Lead", "Asset", "Incident", "Policy", "Team",
]  # fmt: skip

_ENUM_NAMES = [
    "OrderStatus", "PaymentState", "Priority", "Severity", "Visibility", "Channel", "Region",
    "Currency", "PlanTier", "Role", "Weekday", "Color", "Size", "Stage", "Outcome", "Source",
    "Sentiment", "Frequency", "Carrier", "Language",
]  # fmt: skip

_ENUM_VALUES = [
    "ACTIVE", "PENDING", "ARCHIVED", "DRAFT", "LOW", "MEDIUM", "HIGH", "CRITICAL", "OPEN",
    "CLOSED", "NORTH", "SOUTH", "EAST", "WEST", "RED", "GREEN", "BLUE", "SMALL", "LARGE",
    "UNKNOWN",
]  # fmt: skip

_ROLES = ["owner", "author", "creator", "reviewer", "assignee", "source", "target", "approver"]


def _lower_first(s: str) -> str:
    return s[:1].lower() + s[1:]


def _upper_first(s: str) -> str:
    return s[:1].upper() + s[1:]


def _snake(s: str) -> str:
    out: list[str] = []
    for ch in s:
        if ch.isupper():
            if out:
                out.append("_")
            out.append(ch.lower())
        else:
            out.append(ch)
    return "".join(out)


@dataclass
class _Enum:
    name: str
    values: list[str]
    lines: list[str]


@dataclass
class _IdKind:
    type: str  # Prisma scalar type of the id
    attrs: str  # attributes after @id (default, native type)
    fk_native: str  # native-type attribute a foreign key to it must carry ("" if none)


_ID_KINDS = [
    _IdKind("Int", "@default(autoincrement())", ""),
    _IdKind("Int", "@default(autoincrement())", ""),
    _IdKind("BigInt", "@default(autoincrement())", ""),
    _IdKind("String", "@default(uuid())", ""),
    _IdKind("String", "@default(cuid())", ""),
    _IdKind("String", '@default(dbgenerated("gen_random_uuid()")) @db.Uuid', "@db.Uuid"),
]


@dataclass
class _Field:
    name: str
    type: str
    attrs: str = ""
    doc: str | None = None


@dataclass
class _Model:
    name: str
    id_kind: _IdKind | None  # None for link models (composite @@id): never a relation target
    mapped: bool
    fields: list[_Field] = field(default_factory=list)
    block: list[str] = field(default_factory=list)
    used: set[str] = field(default_factory=set)
    indexable: list[str] = field(default_factory=list)  # scalar, non-list, btree-indexable
    doc: str | None = None

    def add(self, f: _Field) -> None:
        if f.name in self.used:
            raise AssertionError(f"duplicate field {self.name}.{f.name}")
        self.used.add(f.name)
        self.fields.append(f)

    def fresh(self, base: str) -> str:
        if base not in self.used:
            return base
        k = 2
        while f"{base}{k}" in self.used:
            k += 1
        return f"{base}{k}"

    @property
    def db_name(self) -> str:
        return _snake(self.name) if self.mapped else self.name


class _Generator:
    def __init__(self, n: int, seed: int) -> None:
        self.n = n
        self.rnd = random.Random(seed)
        self.enums: list[_Enum] = []
        self.models: list[_Model] = []
        # (source, target) unordered pair -> number of relations between them
        self.pair_count: dict[tuple[str, str], int] = {}

    # ------------------------------------------------------------------ enums

    def make_enums(self) -> None:
        for k, name in enumerate(_ENUM_NAMES[:N_ENUMS]):
            count = 3 + k % 4
            start = (k * 3) % len(_ENUM_VALUES)
            values = [_ENUM_VALUES[(start + j) % len(_ENUM_VALUES)] for j in range(count)]
            lines = []
            for v in values:
                if k % 5 == 1:
                    lines.append(f'{v} @map("{v.lower()}")')
                else:
                    lines.append(v)
            if k % 7 == 3:
                lines.append("")
                lines.append(f'@@map("{_snake(name)}")')
            self.enums.append(_Enum(name, values, lines))

    # ------------------------------------------------------------------ scalars

    def scalar_fields(self, m: _Model) -> None:
        rnd = self.rnd
        fields: list[_Field] = []

        def add(
            base: str, type_: str, attrs: str = "", indexable: bool = True, map_ok: bool = True
        ) -> None:
            name = m.fresh(base)
            parts = [attrs] if attrs else []
            if map_ok and rnd.random() < 0.15 and _snake(name) != name:
                parts.append(f'@map("{_snake(name)}")')
            f = _Field(name, type_, " ".join(parts))
            m.add(f)
            fields.append(f)
            if indexable and not type_.endswith("[]"):
                m.indexable.append(name)

        add("name", "String", f"@db.VarChar({rnd.choice([64, 120, 255])})")
        palette = [
            lambda: add("title", "String?"),
            lambda: add("code", "String", f"@unique @db.VarChar({rnd.choice([16, 32])})"),
            lambda: add("email", "String", "@unique"),
            lambda: add("description", "String?", "@db.Text"),
            lambda: add("slug", "String", '@default("")'),
            lambda: add("quantity", "Int", "@default(0)"),
            lambda: add("position", "Int?", "@db.SmallInt"),
            lambda: add("views", "BigInt", "@default(0)"),
            lambda: add("externalRef", "BigInt?"),
            lambda: add("score", "Float", "@default(1.5)"),
            lambda: add("ratio", "Float?", "@db.Real"),
            lambda: add(
                "amount",
                "Decimal",
                f"@default(0) @db.Decimal({rnd.choice([10, 12, 18])}, {rnd.choice([2, 4])})",
            ),
            lambda: add("discount", "Decimal?"),
            lambda: add("isActive", "Boolean", "@default(true)"),
            lambda: add("archived", "Boolean?"),
            lambda: add("publishedAt", "DateTime?", "@db.Timestamptz(6)"),
            lambda: add("dueDate", "DateTime?", "@db.Date"),
            lambda: add("metadata", "Json?", indexable=False),
            lambda: add("settings", "Json", '@default("{}")', indexable=False),
            lambda: add("payload", "Bytes?", indexable=False),
            lambda: add("tags", "String[]", map_ok=False),
            lambda: add("scores", "Int[]", "@default([])", map_ok=False),
            lambda: self.enum_field(m, fields),
            lambda: self.enum_field(m, fields),
        ]
        for make in rnd.sample(palette, rnd.randint(3, 9)):
            make()
        add("createdAt", "DateTime", "@default(now())")
        if rnd.random() < 0.7:
            add("updatedAt", "DateTime", "@updatedAt")
        if rnd.random() < 0.1:
            fields[0].doc = f"Display name of the {m.name.lower()}."

    def enum_field(self, m: _Model, fields: list[_Field]) -> None:
        rnd = self.rnd
        e = rnd.choice(self.enums)
        base = _lower_first(e.name)
        shape = rnd.random()
        if shape < 0.5:
            type_, attrs = e.name, f"@default({rnd.choice(e.values)})"
        elif shape < 0.8:
            type_, attrs = e.name + "?", ""
        else:
            type_, attrs = e.name + "[]", ""
        name = m.fresh(base)
        f = _Field(name, type_, attrs)
        m.add(f)
        fields.append(f)
        if not type_.endswith("[]"):
            m.indexable.append(name)

    # ------------------------------------------------------------------ relations

    def relation_name(self, source: _Model, target: _Model, role: str, force: bool) -> str | None:
        """A relation name when the pair has (or may get) several relations, else None."""
        key = (min(source.name, target.name), max(source.name, target.name))
        self.pair_count[key] = self.pair_count.get(key, 0) + 1
        if force or self.pair_count[key] > 1:
            return f"{source.name}_{role}"
        return None

    def pick_target(self, i: int, exclude: set[str]) -> _Model | None:
        lo = max(0, i - RELATION_WINDOW)
        candidates = [
            t for t in self.models[lo:i] if t.id_kind is not None and t.name not in exclude
        ]
        return self.rnd.choice(candidates) if candidates else None

    def add_relation(
        self,
        source: _Model,
        target: _Model,
        role: str,
        *,
        optional: bool,
        one_to_one: bool,
        named: bool,
    ) -> str:
        """Foreign key on `source` to `target`, with the back-relation field on `target`."""
        assert target.id_kind is not None
        rnd = self.rnd
        rel_field = source.fresh(role)
        fk = source.fresh(f"{rel_field}Id")
        id_kind = target.id_kind
        fk_attrs = []
        if one_to_one:
            fk_attrs.append("@unique")
        if id_kind.fk_native:
            fk_attrs.append(id_kind.fk_native)
        if rnd.random() < 0.2:
            fk_attrs.append(f'@map("{_snake(fk)}")')
        source.add(_Field(fk, id_kind.type + ("?" if optional else ""), " ".join(fk_attrs)))

        rel_name = self.relation_name(source, target, rel_field, force=named)
        args = []
        if rel_name:
            args.append(f'"{rel_name}"')
        args.append(f"fields: [{fk}]")
        args.append("references: [id]")
        r = rnd.random()
        if optional and r < 0.3:
            args.append("onDelete: SetNull")
        elif r < 0.5:
            args.append("onDelete: Cascade")
        elif r < 0.6:
            args.append("onDelete: Restrict, onUpdate: Cascade")
        source.add(
            _Field(
                rel_field,
                target.name + ("?" if optional else ""),
                f"@relation({', '.join(args)})",
            )
        )

        if target is source:
            back = source.fresh(("child" if one_to_one else "children") + _upper_first(rel_field))
        else:
            back = target.fresh(
                _lower_first(source.name) + _upper_first(rel_field) + ("" if one_to_one else "List")
            )
        back_type = source.name + ("?" if one_to_one else "[]")
        back_attrs = f'@relation("{rel_name}")' if rel_name else ""
        target.add(_Field(back, back_type, back_attrs))
        if not one_to_one:
            source.indexable.append(fk)
        return fk

    def relations(self, i: int, m: _Model) -> None:
        rnd = self.rnd
        if i == 0:
            return
        count = rnd.choices([0, 1, 2, 3], weights=[2, 5, 3, 1])[0]
        roles = rnd.sample(_ROLES, count)
        fks: list[str] = []
        for role in roles:
            target = self.pick_target(i, exclude=set())
            if target is None:
                break
            one_to_one = rnd.random() < 0.12
            optional = rnd.random() < 0.35
            fk = self.add_relation(
                m, target, role, optional=optional, one_to_one=one_to_one, named=False
            )
            if not one_to_one:
                fks.append(fk)
        if fks and rnd.random() < 0.6:
            m.block.append(f"@@index([{fks[0]}])")
        if m.id_kind is not None and rnd.random() < 0.03:
            self.add_relation(m, m, "parent", optional=True, one_to_one=False, named=True)

    def link_model(self, i: int, m: _Model) -> bool:
        """Turn `m` into an explicit many-to-many link model; False if no two targets exist."""
        a = self.pick_target(i, exclude=set())
        if a is None:
            return False
        b = self.pick_target(i, exclude={a.name})
        if b is None:
            return False
        fa = self.add_relation(m, a, "left", optional=False, one_to_one=False, named=False)
        fb = self.add_relation(m, b, "right", optional=False, one_to_one=False, named=False)
        m.add(_Field("createdAt", "DateTime", "@default(now())"))
        m.add(_Field("note", "String?"))
        m.block.append(f"@@id([{fa}, {fb}])")
        m.block.append(f"@@index([{fb}])")
        return True

    def implicit_m2m(self, i: int, m: _Model) -> None:
        target = self.pick_target(i, exclude=set())
        if target is None or m.id_kind is None:
            return
        key = (min(m.name, target.name), max(m.name, target.name))
        self.pair_count[key] = self.pair_count.get(key, 0) + 1
        rel_name = f"{m.name}_{target.name}_m2m"
        m.add(_Field(m.fresh(_lower_first(target.name) + "Links"), target.name + "[]",
                     f'@relation("{rel_name}")'))  # fmt: skip
        target.add(_Field(target.fresh(_lower_first(m.name) + "Links"), m.name + "[]",
                          f'@relation("{rel_name}")'))  # fmt: skip

    # ------------------------------------------------------------------ block attributes

    def block_attributes(self, m: _Model) -> None:
        rnd = self.rnd
        cols = [c for c in m.indexable if c != "id"]
        if len(cols) >= 2 and rnd.random() < 0.35:
            a, b = rnd.sample(cols, 2)
            if rnd.random() < 0.3:
                m.block.append(f'@@unique([{a}, {b}], map: "{m.db_name}_{a}_{b}_uniq")')
            else:
                m.block.append(f"@@unique([{a}, {b}])")
        if len(cols) >= 2 and rnd.random() < 0.3:
            a, b = rnd.sample(cols, 2)
            m.block.append(f"@@index([{a}, {b}])")
        if "createdAt" in m.used and rnd.random() < 0.15:
            m.block.append("@@index([createdAt(sort: Desc)])")
        if "metadata" in m.used and rnd.random() < 0.3:
            m.block.append("@@index([metadata(ops: JsonbPathOps)], type: Gin)")
        if m.mapped:
            m.block.append(f'@@map("{m.db_name}")')

    # ------------------------------------------------------------------ driver

    def build(self) -> str:
        rnd = self.rnd
        self.make_enums()
        for i in range(self.n):
            name = f"{_NOUNS[i % len(_NOUNS)]}{i:05d}"
            is_link = i >= 2 and i % 25 == 24
            m = _Model(
                name=name,
                id_kind=None if is_link else rnd.choice(_ID_KINDS),
                mapped=rnd.random() < 0.2,
            )
            if rnd.random() < 0.05:
                m.doc = f"Synthetic model number {i}."
            self.models.append(m)
            if is_link and self.link_model(i, m):
                self.block_attributes(m)
                continue
            if m.id_kind is None:  # could not be a link model: give it a plain id
                m.id_kind = _ID_KINDS[0]
            m.add(_Field("id", m.id_kind.type, f"@id {m.id_kind.attrs}"))
            self.scalar_fields(m)
            self.relations(i, m)
            if rnd.random() < 0.02:
                self.implicit_m2m(i, m)
            self.block_attributes(m)
        return self.render()

    def render(self) -> str:
        out = [
            f"// Synthetic schema: {self.n} models, {len(self.enums)} enums "
            "(generated by bench/gen_schemas.py; do not edit).",
            "",
            "generator client {",
            '  provider = "prisma-client-js"',
            "}",
            "",
            "datasource db {",
            '  provider = "postgresql"',
            "}",
        ]
        for e in self.enums:
            out.append("")
            out.append(f"enum {e.name} {{")
            out.extend(f"  {line}".rstrip() for line in e.lines)
            out.append("}")
        for m in self.models:
            out.append("")
            if m.doc:
                out.append(f"/// {m.doc}")
            out.append(f"model {m.name} {{")
            w_name = max(len(f.name) for f in m.fields)
            w_type = max(len(f.type) for f in m.fields)
            for f in m.fields:
                if f.doc:
                    out.append(f"  /// {f.doc}")
                line = f"  {f.name.ljust(w_name)} {f.type.ljust(w_type)} {f.attrs}"
                out.append(line.rstrip())
            if m.block:
                out.append("")
                out.extend(f"  {b}" for b in m.block)
            out.append("}")
        out.append("")
        return "\n".join(out)


def generate(n: int, seed: int = 1) -> str:
    """A valid PostgreSQL Prisma schema with `n` models (deterministic for a given seed)."""
    if n < 1:
        raise ValueError("n must be at least 1")
    return _Generator(n, seed).build()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("models", type=int, help="number of models (e.g. 100, 1000, 5000)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    args = parser.parse_args(argv)
    sys.stdout.write(generate(args.models, args.seed))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
