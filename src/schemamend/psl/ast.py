"""Syntax tree of a Prisma schema file, as written (before any resolution).

The tree keeps comments, blank lines and unparsable lines in source order
(`Block.members`) so the formatter can reproduce a file; the validator reads
the typed views (`fields`, `attributes`, `properties`, `values`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from schemamend.diagnostics import SourceFile, Span

# Nodes read on every line (names, values, attributes, fields) keep offsets, not
# `Span` objects: their spans are made on demand (`.span`), which saves about a
# third of the parse time and memory of large schemas. Where the end is not
# implied by the text (start + len), the node keeps it too.


@dataclass(slots=True)
class Identifier:
    name: str
    file: SourceFile
    start: int

    @property
    def span(self) -> Span:
        return Span(self.file, self.start, self.start + len(self.name))


# ── expressions ────────────────────────────────────────────────────────────


@dataclass(slots=True)
class StringValue:
    value: str  # unescaped
    raw: str  # as written, with quotes
    file: SourceFile
    start: int

    @property
    def end(self) -> int:
        return self.start + len(self.raw)

    @property
    def span(self) -> Span:
        return Span(self.file, self.start, self.start + len(self.raw))


@dataclass(slots=True)
class NumericValue:
    text: str
    file: SourceFile
    start: int

    @property
    def end(self) -> int:
        return self.start + len(self.text)

    @property
    def span(self) -> Span:
        return Span(self.file, self.start, self.start + len(self.text))


@dataclass(slots=True)
class ConstantValue:
    """A bare word or dotted path: `true`, `Cascade`, `Hash`, `db.VarChar`."""

    name: str
    file: SourceFile
    start: int

    @property
    def end(self) -> int:
        return self.start + len(self.name)

    @property
    def span(self) -> Span:
        return Span(self.file, self.start, self.start + len(self.name))


@dataclass(slots=True)
class FunctionCall:
    name: str
    arguments: ArgumentList  # always with parentheses
    file: SourceFile
    start: int

    @property
    def end(self) -> int:
        return self.arguments.end

    @property
    def span(self) -> Span:
        return Span(self.file, self.start, self.end)


@dataclass(slots=True)
class ArrayExpression:
    items: list[Expression]
    file: SourceFile
    start: int  # the `[`
    end: int  # past the `]`

    @property
    def span(self) -> Span:
        return Span(self.file, self.start, self.end)


@dataclass(slots=True)
class ObjectMember:
    key: Identifier
    value: Expression

    @property
    def span(self) -> Span:
        return Span(self.key.file, self.key.start, self.value.end)


@dataclass(slots=True)
class ObjectExpression:
    members: list[ObjectMember]
    span: Span

    @property
    def end(self) -> int:
        return self.span.end


Expression = (
    StringValue | NumericValue | ConstantValue | FunctionCall | ArrayExpression | ObjectExpression
)


def expression_source(expr: Expression) -> str:
    """The expression's text as written in the file."""
    if isinstance(expr, StringValue):
        return expr.raw
    if isinstance(expr, NumericValue):
        return expr.text
    if isinstance(expr, ConstantValue):
        return expr.name
    if isinstance(expr, FunctionCall):
        return expr.file.text[expr.start : expr.arguments.end]
    return expr.span.text()


# ── arguments and attributes ──────────────────────────────────────────────


@dataclass(slots=True)
class Argument:
    name: Identifier | None
    value: Expression

    @property
    def span(self) -> Span:
        if self.name is None:
            return self.value.span
        return Span(self.name.file, self.name.start, self.value.end)


@dataclass(slots=True)
class EmptyArgument:
    """`name:` with no value (left while typing); Prisma reports it."""

    name: Identifier
    span: Span


@dataclass(slots=True)
class ArgumentList:
    arguments: list[Argument]
    empty_arguments: list[EmptyArgument]
    trailing_comma: bool
    # the parenthesised text; no file when there were no parentheses
    file: SourceFile | None = None
    start: int = 0
    end: int = 0

    @property
    def span(self) -> Span | None:
        return None if self.file is None else Span(self.file, self.start, self.end)

    def source_text(self) -> str:
        """The parenthesised text as written ("" without parentheses)."""
        return "" if self.file is None else self.file.text[self.start : self.end]


# The arguments of every attribute written without parentheses (`@id`, `@db.Text`): one
# shared, empty list. Nothing changes a tree after parsing.
NO_ARGUMENTS = ArgumentList([], [], False)


@dataclass(slots=True)
class Attribute:
    """`@name(args)` on a field or `@@name(args)` on a block; name excludes the `@`s."""

    name: str
    arguments: ArgumentList
    has_parens: bool
    file: SourceFile
    start: int  # the first `@`
    name_start: int

    @property
    def end(self) -> int:
        arguments = self.arguments
        return arguments.end if arguments.file is not None else self.name_start + len(self.name)

    @property
    def span(self) -> Span:
        return Span(self.file, self.start, self.end)


# ── comments and stray lines ──────────────────────────────────────────────


@dataclass(slots=True)
class Comment:
    """A full-line `//` comment (or `///` outside a documentable position)."""

    text: str  # including the slashes, without the newline
    span: Span


@dataclass(slots=True)
class BlankLines:
    count: int
    span: Span


@dataclass(slots=True)
class InvalidLine:
    """A line that could not be parsed; kept verbatim for the formatter."""

    text: str
    span: Span


# ── block members ─────────────────────────────────────────────────────────


class Arity(StrEnum):
    REQUIRED = "required"
    OPTIONAL = "optional"
    LIST = "list"


@dataclass(slots=True)
class FieldType:
    name: str  # the type's name, or "Unsupported" for Unsupported("...")
    file: SourceFile
    start: int
    unsupported: str | None = None  # the quoted database type of Unsupported("...")
    unsupported_end: int = -1  # the end of `Unsupported("...")`

    @property
    def span(self) -> Span:
        end = self.unsupported_end if self.unsupported_end >= 0 else self.start + len(self.name)
        return Span(self.file, self.start, end)


@dataclass(slots=True)
class Field:
    name: Identifier
    field_type: FieldType | None  # None: the type is missing (reported as an error)
    arity: Arity
    attributes: list[Attribute]
    documentation: list[str]  # `///` lines before the field, without the slashes
    comment: str | None  # trailing `// ...` on the same line
    end: int  # the line's end, past the newline
    type_text: str = ""  # the type as written, e.g. "String?" or "Unsupported(\"x\")[]"

    @property
    def span(self) -> Span:
        return Span(self.name.file, self.name.start, self.end)


@dataclass(slots=True)
class BlockAttribute:
    attribute: Attribute
    comment: str | None
    end: int  # the line's end, past the newline

    @property
    def span(self) -> Span:
        return Span(self.attribute.file, self.attribute.start, self.end)


@dataclass(slots=True)
class EnumValue:
    name: Identifier
    attributes: list[Attribute]
    documentation: list[str]
    comment: str | None
    end: int  # the line's end, past the newline

    @property
    def span(self) -> Span:
        return Span(self.name.file, self.name.start, self.end)


@dataclass(slots=True)
class ConfigProperty:
    name: Identifier
    value: Expression | None  # None when `= value` is missing
    comment: str | None
    span: Span
    documentation: list[str] = field(default_factory=list)


Member = Field | BlockAttribute | EnumValue | ConfigProperty | Comment | BlankLines | InvalidLine


class BlockKind(StrEnum):
    MODEL = "model"
    VIEW = "view"
    TYPE = "type"  # composite type (MongoDB only)
    ENUM = "enum"
    DATASOURCE = "datasource"
    GENERATOR = "generator"


@dataclass(slots=True)
class Block:
    kind: BlockKind
    name: Identifier
    members: list[Member]
    documentation: list[str]
    span: Span
    keyword_span: Span
    open_comment: str | None = None  # `model A { // comment`
    # Typed views of `members`, computed on first use: the validator reads them
    # many times per block. `members` is not changed after parsing.
    _fields: list[Field] | None = field(default=None, init=False, repr=False, compare=False)
    _attributes: list[BlockAttribute] | None = field(
        default=None, init=False, repr=False, compare=False
    )

    @property
    def fields(self) -> list[Field]:
        if self._fields is None:
            self._fields = [m for m in self.members if isinstance(m, Field)]
        return self._fields

    @property
    def attributes(self) -> list[BlockAttribute]:
        if self._attributes is None:
            self._attributes = [m for m in self.members if isinstance(m, BlockAttribute)]
        return self._attributes

    @property
    def values(self) -> list[EnumValue]:
        return [m for m in self.members if isinstance(m, EnumValue)]

    @property
    def properties(self) -> list[ConfigProperty]:
        return [m for m in self.members if isinstance(m, ConfigProperty)]


@dataclass(slots=True)
class TypeAlias:
    """`type Name = Type @attrs` (an old, unsupported form; reported)."""

    name: Identifier
    target: FieldType
    attributes: list[Attribute]
    span: Span


TopLevel = Block | TypeAlias | Comment | BlankLines | InvalidLine


@dataclass(slots=True)
class SchemaFile:
    source: SourceFile
    items: list[TopLevel]

    @property
    def blocks(self) -> list[Block]:
        return [i for i in self.items if isinstance(i, Block)]
