"""Prisma's reformatter additions: complete half-written relations before the layout.

`prisma format` adds what a relation needs and the user left out, as text inserted into the
source (the layout pass then aligns it):

- a missing back-relation field on the referenced model (`posts Post[]`, or `post Post?` when
  the referencing fields are unique), named by camel-casing (and, for lists, pluralising) the
  referencing model's name, with `@ignore` when that model is ignored;
- a missing forward field for a lone list field (`user User? @relation(fields: [userId],
  references: [id])`) plus its scalar fields;
- a missing `@relation(fields: [...], references: [...])`, or its missing arguments;
- missing referencing scalar fields, named `<model with a lower first letter><Referenced field>`,
  typed like the referenced field (with its native type attribute), optional when the relation
  field is.

As in Prisma, nothing is added when the schema has errors that the parser or name resolution
see (here: parse errors, unknown field types, ambiguous relation pairs).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from schemamend.diagnostics import SourceFile
from schemamend.model.datamodel import SCALAR_TYPES
from schemamend.psl import ast
from schemamend.psl.parser import parse_source
from schemamend.psl.validate.context import mapped_name

_MODEL_KINDS = (ast.BlockKind.MODEL, ast.BlockKind.VIEW)
_FIELD_ATTRIBUTES = frozenset(
    ("id", "unique", "default", "updatedAt", "map", "relation", "ignore", "shardKey")
)
_RELATION_ARGUMENTS = frozenset(("name", "fields", "references", "onDelete", "onUpdate", "map"))
_BLOCK_ATTRIBUTES = frozenset(
    ("id", "unique", "index", "fulltext", "map", "ignore", "schema", "shardKey")
)


# ── names (Prisma uses the Inflector crate's camel case and plural) ─────────


def camel_case(name: str) -> str:
    """Inflector-style lower camel case: `user_profile` → `userProfile`, `HTTPServer` → `httpserver`."""
    out: list[str] = []
    new_word = False
    found_real_char = False
    last_char = " "
    for ch in name.rstrip():
        if ch in "-_ " and found_real_char:
            new_word = True
        elif not found_real_char and not ch.isalnum():
            continue
        elif ch.isnumeric():
            found_real_char = True
            new_word = True
            out.append(ch)
        elif new_word or (last_char.islower() and ch.isupper()):
            found_real_char = True
            new_word = False
            out.append(_ascii_upper(ch))
        else:
            found_real_char = True
            last_char = ch
            out.append(_ascii_lower(ch))
    return "".join(out)


def _ascii_upper(ch: str) -> str:
    return ch.upper() if ch.isascii() else ch


def _ascii_lower(ch: str) -> str:
    return ch.lower() if ch.isascii() else ch


_UNCOUNTABLE_WORDS = """accommodation adulthood advertising advice aggression aid air aircraft alcohol anger applause
    arithmetic assistance athletics bacon baggage beef biology blood botany bread butter carbon
    cardboard cash chalk chaos chess countryside crossroads dancing deer dignity dirt dust
    economics education electricity engineering enjoyment envy equipment ethics evidence
    evolution fame fiction flour flu food fuel fun furniture gallows garbage garlic genetics
    gold golf gossip grammar gratitude grief guilt gymnastics happiness hardware harm hate
    hatred health heat help homework honesty honey hospitality housework humour hunger hydrogen
    ice importance inflation information innocence iron irony jam jewelry judo karate knowledge
    lack laughter lava leather leisure lightning linguine linguini linguistics literature
    litter livestock logic loneliness luck luggage macaroni machinery magic management mankind
    marble mathematics mayonnaise measles methane milk money mud mumps music nature news
    nitrogen nonsense nurture nutrition obedience obesity oxygen pasta patience physics poetry
    pollution poverty pride psychology publicity punctuation quartz racism relaxation
    reliability research respect revenge rice rubbish rum safety scenery seafood seaside series
    shame sheep shopping sleep smoke smoking snow soap software soil spaghetti steam stuff
    stupidity sunshine symmetry tennis thirst thunder timber toys traffic trust underwear
    unemployment unity validity veal vengeance violence vitality warmth wealth weather welfare
    wheat wildlife wisdom yoga zinc zoology"""
_UNCOUNTABLE = frozenset(_UNCOUNTABLE_WORDS.split())

_SPECIAL_PLURALS = {
    "ox": "oxen",
    "man": "men",
    "woman": "women",
    "die": "dice",
    "yes": "yeses",
    "foot": "feet",
    "eave": "eaves",
    "goose": "geese",
    "tooth": "teeth",
    "quiz": "quizzes",
}

# (pattern, suffix): the first group is kept and the suffix appended; checked last to first.
_PLURAL_RULES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(pattern + r"\Z"), suffix)
    for pattern, suffix in (
        (r"(\w*)s", "s"),
        (r"(\w*([^aeiou]ese))", ""),
        (r"(\w*(ax|test))is", "es"),
        (r"(\w*(alias|[^aou]us|tlas|gas|ris))", "es"),
        (r"(\w*(e[mn]u))s?", "s"),
        (r"(\w*([^l]ias|[aeiou]las|[emjzr]as|[iu]am))", ""),
        (
            r"(\w*(alumn|syllab|octop|vir|radi|nucle|fung|cact|stimul|termin|bacill|foc|uter|loc"
            r"|strat))(?:us|i)",
            "i",
        ),
        (r"(\w*(alumn|alg|vertebr))(?:a|ae)", "ae"),
        (r"(\w*(seraph|cherub))(?:im)?", "im"),
        (r"(\w*(her|at|gr))o", "oes"),
        (
            r"(\w*(agend|addend|millenni|dat|extrem|bacteri|desiderat|strat|candelabr|errat|ov"
            r"|symposi|curricul|automat|quor))(?:a|um)",
            "a",
        ),
        (
            r"(\w*(apheli|hyperbat|periheli|asyndet|noumen|phenomen|criteri|organ|prolegomen|hedr"
            r"|automat))(?:a|on)",
            "a",
        ),
        (r"(\w*)sis", "ses"),
        (r"(\w*(kni|wi|li))fe", "ves"),
        (r"(\w*(ar|l|ea|eo|oa|hoo))f", "ves"),
        (r"(\w*([^aeiouy]|qu))y", "ies"),
        (r"(\w*([^ch][ieo][ln]))ey", "ies"),
        (r"(\w*(x|ch|ss|sh|zz)es)", ""),
        (r"(\w*(x|ch|ss|sh|zz))", "es"),
        (r"(\w*(matr|cod|mur|sil|vert|ind|append))(?:ix|ex)", "ices"),
        (r"(\w*(m|l))(?:ice|ouse)", "ice"),
        (r"(\w*(pe))(?:rson|ople)", "ople"),
        (r"(\w*(child))(?:ren)?", "ren"),
        (r"(\w*eaux)", ""),
    )
]


def pluralize(word: str) -> str:
    if word in _UNCOUNTABLE:
        return word
    if word in _SPECIAL_PLURALS:
        return _SPECIAL_PLURALS[word]
    for pattern, suffix in reversed(_PLURAL_RULES):
        match = pattern.search(word)
        if match is not None and match.group(1) is not None:
            return match.group(1) + suffix
    return word + "s"


def _lower_first(name: str) -> str:
    return name[:1].lower() + name[1:]


def _upper_first(name: str) -> str:
    return name[:1].upper() + name[1:]


# ── the schema as the relation pass sees it ───────────────────────────────


@dataclass
class _RelationAttr:
    attribute: ast.Attribute
    name: str | None
    fields: list[str] | None
    references: list[str] | None


@dataclass
class _Model:
    block: ast.Block
    file_index: int
    fields: dict[str, ast.Field] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.block.name.name

    @property
    def ignored(self) -> bool:
        return any(a.attribute.name == "ignore" for a in self.block.attributes)


def _names(expr: ast.Expression | None) -> list[str] | None:
    if not isinstance(expr, ast.ArrayExpression):
        return None
    names: list[str] = []
    for item in expr.items:
        if isinstance(item, ast.ConstantValue | ast.FunctionCall):
            names.append(item.name)
    return names


def _relation_attr(f: ast.Field) -> _RelationAttr | None:
    for attribute in f.attributes:
        if attribute.name == "relation":
            return _parse_relation_attr(attribute)
    return None


def _parse_relation_attr(attribute: ast.Attribute) -> _RelationAttr:
    name: str | None = None
    fields: list[str] | None = None
    references: list[str] | None = None
    for arg in attribute.arguments.arguments:
        key = arg.name.name if arg.name else None
        if key in (None, "name") and isinstance(arg.value, ast.StringValue):
            name = arg.value.value
        elif key == "fields":
            fields = _names(arg.value)
        elif key == "references":
            references = _names(arg.value)
    return _RelationAttr(attribute, name, fields, references)


def _relation_name(f: ast.Field) -> str | None:
    attr = _relation_attr(f)
    return attr.name if attr else None


@dataclass
class _Insert:
    file_index: int
    offset: int
    text: str
    order: int


@dataclass
class _Inline:
    """A relation with one singular side holding (or meant to hold) the foreign key."""

    referencing: _Model
    referenced: _Model
    forward: ast.Field | None
    back: ast.Field | None
    one_to_one: bool


class _Pass:
    def __init__(self, trees: list[ast.SchemaFile]) -> None:
        self.trees = trees
        self.models: dict[str, _Model] = {}
        self.enums: set[str] = set()
        self.composites: set[str] = set()
        for index, tree in enumerate(trees):
            for block in tree.blocks:
                if block.kind in _MODEL_KINDS:
                    model = _Model(block, index)
                    for f in block.fields:
                        model.fields.setdefault(f.name.name, f)
                    self.models.setdefault(block.name.name, model)
                elif block.kind is ast.BlockKind.ENUM:
                    self.enums.add(block.name.name)
                elif block.kind is ast.BlockKind.TYPE:
                    self.composites.add(block.name.name)
        self.inserts: list[_Insert] = []
        self._relation_fields: dict[str, list[ast.Field]] = {}

    # ── checks ────────────────────────────────────────────────────────────

    def types_resolve(self) -> bool:
        known = (
            set(SCALAR_TYPES) | self.enums | self.composites | set(self.models) | {"Unsupported"}
        )
        for model in self.models.values():
            for f in model.block.fields:
                if f.field_type is None or f.field_type.name not in known:
                    return False
        return True

    def relation_fields(self, model: _Model) -> list[ast.Field]:
        cached = self._relation_fields.get(model.name)
        if cached is None:
            cached = [
                f
                for f in model.block.fields
                if f.field_type is not None and f.field_type.name in self.models
            ]
            self._relation_fields[model.name] = cached
        return cached

    def opposites(self, model: _Model, f: ast.Field) -> list[ast.Field]:
        assert f.field_type is not None
        target = self.models[f.field_type.name]
        name = _relation_name(f)
        return [
            g
            for g in self.relation_fields(target)
            if g.field_type is not None
            and g.field_type.name == model.name
            and g is not f
            and _relation_name(g) == name
        ]

    def closing_lines_clean(self) -> bool:
        """Nothing but a comment after a block's `}` (Prisma reports anything else)."""
        for tree in self.trees:
            text = tree.source.text
            for block in tree.blocks:
                end = text.find("\n", block.span.end)
                rest = text[block.span.end : len(text) if end == -1 else end].strip()
                if rest and not rest.startswith(("//", "/*")):
                    return False
        return True

    def names_unique(self) -> bool:
        """No two fields of a model share a name or a database name (`@map`)."""
        for model in self.models.values():
            names: set[str] = set()
            db_names: set[str] = set()
            for f in model.block.fields:
                db_name = mapped_name(f.attributes, "map") or f.name.name
                if f.name.name in names or db_name in db_names:
                    return False
                names.add(f.name.name)
                db_names.add(db_name)
        return True

    def enum_defaults_valid(self) -> bool:
        values = {
            block.name.name: {v.name.name for v in block.values}
            for tree in self.trees
            for block in tree.blocks
            if block.kind is ast.BlockKind.ENUM
        }
        for model in self.models.values():
            for f in model.block.fields:
                if f.field_type is None or f.field_type.name not in values:
                    continue
                for attribute in f.attributes:
                    if attribute.name != "default" or not attribute.arguments.arguments:
                        continue
                    value = attribute.arguments.arguments[0].value
                    if (
                        isinstance(value, ast.ConstantValue)
                        and value.name not in values[f.field_type.name]
                    ):
                        return False
        return True

    def attributes_known(self) -> bool:
        for model in self.models.values():
            for f in model.block.fields:
                for attribute in f.attributes:
                    if attribute.name not in _FIELD_ATTRIBUTES and "." not in attribute.name:
                        return False
            for member in model.block.attributes:
                name = member.attribute.name
                if name not in _BLOCK_ATTRIBUTES and "." not in name:
                    return False
        return True

    def references_resolve(self) -> bool:
        """Field lists name existing scalar fields, as Prisma's parser database requires."""
        for model in self.models.values():
            relation_names = {f.name.name for f in self.relation_fields(model)}
            scalar_names = set(model.fields) - relation_names
            for member in model.block.attributes:
                attribute = member.attribute
                if attribute.name in ("id", "unique", "index", "fulltext", "shardKey"):
                    names = _fields_argument(attribute)
                    if names is not None and not set(names) <= scalar_names:
                        return False
            for f in self.relation_fields(model):
                if any(a.name in ("map", "id", "unique", "default") for a in f.attributes):
                    return False
                attr = _relation_attr(f)
                if attr is None or f.field_type is None:
                    continue
                if any(
                    arg.name is not None and arg.name.name not in _RELATION_ARGUMENTS
                    for arg in attr.attribute.arguments.arguments
                ):
                    return False
                target = self.models[f.field_type.name]
                if attr.fields is not None and not set(attr.fields) <= scalar_names:
                    return False
                if attr.references is not None and not set(attr.references) <= set(target.fields):
                    return False
        return True

    def consistent(self) -> bool:
        """What Prisma's parser database checks before it completes relations."""
        return (
            self.closing_lines_clean()
            and self.types_resolve()
            and self.names_unique()
            and self.enum_defaults_valid()
            and self.attributes_known()
            and self.references_resolve()
        )

    # ── relation discovery (the order Prisma walks relations in) ───────────

    def inline_relations(self) -> list[_Inline] | None:
        relations: list[_Inline] = []
        for model in self.models.values():
            for f in self.relation_fields(model):
                opposite = self.opposites(model, f)  # Prisma pairs with the first candidate
                relation = self._classify(model, f, opposite[0] if opposite else None)
                if relation is not None:
                    relations.append(relation)
        return relations

    def _classify(self, model: _Model, f: ast.Field, other: ast.Field | None) -> _Inline | None:
        assert f.field_type is not None
        target = self.models[f.field_type.name]
        is_list = f.arity is ast.Arity.LIST
        if other is None:
            if is_list:
                return _Inline(target, model, None, f, one_to_one=False)
            return _Inline(model, target, f, None, one_to_one=self._fields_unique(model, f))
        other_list = other.arity is ast.Arity.LIST
        if is_list:
            return None  # m:n, or 1:n met from its singular side
        if other_list:
            return _Inline(model, target, f, other, one_to_one=False)
        if self._is_forward_of_one_to_one(model, f, target, other):
            return _Inline(model, target, f, other, one_to_one=True)
        return None

    @staticmethod
    def _is_forward_of_one_to_one(
        model: _Model, f: ast.Field, target: _Model, other: ast.Field
    ) -> bool:
        """Which side of a 1:1 holds the foreign key, as Prisma decides (both sides may).

        Learnt from the CLI: a side with `fields`/`references` does; otherwise a required side
        does when the other is optional (a back-relation field must be optional); with equal
        arities the side whose (model, field) names sort first does, unless the other side has
        the arguments and this one is optional.
        """
        if _has_fk_args(f):
            return True
        required = f.arity is ast.Arity.REQUIRED
        other_required = other.arity is ast.Arity.REQUIRED
        if required != other_required:
            return required
        if _has_fk_args(other) and not required:
            return False
        return (model.name, f.name.name) < (target.name, other.name.name)

    def _fields_unique(self, model: _Model, f: ast.Field) -> bool:
        attr = _relation_attr(f)
        if attr is None or not attr.fields:
            return False
        wanted = set(attr.fields)
        return any(set(criteria) == wanted for criteria in self.unique_criteria(model))

    def unique_criteria(self, model: _Model) -> list[list[str]]:
        """Primary key first, then `@unique` fields, then `@@unique` lists (Prisma's order)."""
        primary: list[list[str]] = []
        uniques: list[list[str]] = []
        for f in model.block.fields:
            for attribute in f.attributes:
                if attribute.name == "id":
                    primary.append([f.name.name])
                elif attribute.name == "unique":
                    uniques.append([f.name.name])
        block_uniques: list[list[str]] = []
        for member in model.block.attributes:
            attribute = member.attribute
            if attribute.name not in ("id", "unique"):
                continue
            names = _fields_argument(attribute)
            if names is None:
                continue
            (primary if attribute.name == "id" else block_uniques).append(names)
        return primary + uniques + block_uniques

    def referenced_key(self, model: _Model) -> list[str]:
        criteria = self.unique_criteria(model)
        return criteria[0] if criteria else []

    # ── what to add ───────────────────────────────────────────────────────

    def run(self) -> None:
        relations = self.inline_relations()
        if relations is None:
            return
        for relation in relations:
            self._missing_relation_fields(relation)
            self._missing_scalar_fields(relation)
        for relation in relations:
            self._missing_relation_attribute(relation)

    def _inferred(self, relation: _Inline) -> list[tuple[str, ast.Field | None]]:
        """Names (and referenced fields) of the scalar fields a relation without `fields:` uses."""
        prefix = _lower_first(relation.referenced.name)
        key = self.referenced_key(relation.referenced)
        return [(prefix + _upper_first(name), relation.referenced.fields.get(name)) for name in key]

    def _referencing_names(self, relation: _Inline) -> list[str]:
        if relation.forward is not None:
            attr = _relation_attr(relation.forward)
            if attr is not None and attr.fields is not None:
                return attr.fields
        return [name for name, _ in self._inferred(relation)]

    def _referenced_names(self, relation: _Inline) -> list[str]:
        if relation.forward is not None:
            attr = _relation_attr(relation.forward)
            if attr is not None and attr.references is not None:
                return attr.references
        return self.referenced_key(relation.referenced)

    def _fields_arg(self, relation: _Inline) -> str:
        return "fields: [" + ", ".join(self._referencing_names(relation)) + "]"

    def _references_arg(self, relation: _Inline) -> str:
        return "references: [" + ", ".join(self._referenced_names(relation)) + "]"

    def _missing_relation_fields(self, relation: _Inline) -> None:
        if relation.back is None:
            name = camel_case(relation.referencing.name)
            if relation.one_to_one:
                line = f"{name} {relation.referencing.name}?"
            else:
                line = f"{pluralize(name)} {relation.referencing.name}[]"
            if relation.referencing.ignored:
                line += " @ignore"
            self._add_field(relation.referenced, line)
        if relation.forward is None:
            name = camel_case(relation.referenced.name)
            arity = "" if self._inferred_all_required(relation) else "?"
            line = (
                f"{name} {relation.referenced.name}{arity} @relation({self._fields_arg(relation)}, "
                f"{self._references_arg(relation)})"
            )
            self._add_field(relation.referencing, line)

    def _inferred_all_required(self, relation: _Inline) -> bool:
        """The new forward field is required only if its scalar fields all exist, required."""
        inferred = self._inferred(relation)
        existing = [relation.referencing.fields.get(name) for name, _ in inferred]
        return bool(inferred) and all(
            f is not None and f.arity is ast.Arity.REQUIRED for f in existing
        )

    def _missing_scalar_fields(self, relation: _Inline) -> None:
        forward = relation.forward
        if forward is not None:
            attr = _relation_attr(forward)
            if attr is not None and attr.fields is not None:
                return
        optional = forward is None or forward.arity is not ast.Arity.REQUIRED
        for name, referenced in self._inferred(relation):
            if name in relation.referencing.fields:
                continue
            if referenced is None or referenced.field_type is None:
                return
            type_name = referenced.field_type.name
            if type_name not in SCALAR_TYPES or referenced.arity is ast.Arity.LIST:
                return
            line = f"{name} {type_name}{'?' if optional else ''}"
            native = _native_type_attribute(referenced)
            if native:
                line += " " + native
            self._add_field(relation.referencing, line)

    def _missing_relation_attribute(self, relation: _Inline) -> None:
        forward = relation.forward
        if forward is None or forward.field_type is None:
            return
        model = relation.referencing
        attr = _relation_attr(forward)
        args = f"{self._fields_arg(relation)}, {self._references_arg(relation)}"
        if attr is None:
            end = _type_end(forward)
            self._insert(model.file_index, end, f" @relation({args})")
            return
        parts: list[str] = []
        if attr.fields is None:
            parts.append(self._fields_arg(relation))
        if attr.references is None:
            parts.append(self._references_arg(relation))
        if not parts:
            return
        attribute = attr.attribute
        if not attribute.arguments.arguments and not attribute.arguments.empty_arguments:
            self._insert(model.file_index, attribute.span.end, "(" + ", ".join(parts) + ")")
            return
        close = attribute.span.end - 1
        self._insert(model.file_index, close, ", " + ", ".join(parts))

    # ── text insertion ────────────────────────────────────────────────────

    def _add_field(self, model: _Model, line: str) -> None:
        source = model.block.span.file
        close = model.block.span.end - 1
        line_start = source.text.rfind("\n", 0, close) + 1
        self._insert(model.file_index, line_start, line + "\n")

    def _insert(self, file_index: int, offset: int, text: str) -> None:
        self.inserts.append(_Insert(file_index, offset, text, len(self.inserts)))


def _has_fk_args(f: ast.Field) -> bool:
    attr = _relation_attr(f)
    return attr is not None and (attr.fields is not None or attr.references is not None)


def _fields_argument(attribute: ast.Attribute) -> list[str] | None:
    for arg in attribute.arguments.arguments:
        if arg.name is None or arg.name.name == "fields":
            return _names(arg.value)
    return None


def _type_end(f: ast.Field) -> int:
    """Offset just past the field's type as written (arity included)."""
    assert f.field_type is not None
    return f.field_type.span.start + len(f.type_text)


def _native_type_attribute(f: ast.Field) -> str | None:
    for attribute in f.attributes:
        if "." in attribute.name:
            return attribute.span.text()
    return None


def complete_relations(sources: list[SourceFile]) -> list[SourceFile]:
    """The sources with Prisma's relation additions inserted (unchanged when there are none)."""
    trees: list[ast.SchemaFile] = []
    for source in sources:
        tree, diagnostics = parse_source(source)
        if diagnostics:
            return sources
        trees.append(tree)
    return complete_relations_in_trees(trees)


def complete_relations_in_trees(trees: list[ast.SchemaFile]) -> list[SourceFile]:
    """Like `complete_relations`, for files already parsed without errors."""
    sources = [tree.source for tree in trees]
    relation_pass = _Pass(trees)
    if not relation_pass.consistent():
        return sources
    relation_pass.run()
    result: list[SourceFile] = []
    for index, source in enumerate(sources):
        inserts = sorted(
            (i for i in relation_pass.inserts if i.file_index == index),
            key=lambda i: (i.offset, i.order),
        )
        result.append(_apply(source, inserts) if inserts else source)
    return result


def _apply(source: SourceFile, inserts: list[_Insert]) -> SourceFile:
    pieces: list[str] = []
    cursor = 0
    for insert in inserts:
        pieces.append(source.text[cursor : insert.offset])
        pieces.append(insert.text)
        cursor = insert.offset
    pieces.append(source.text[cursor:])
    return SourceFile(source.path, "".join(pieces))
