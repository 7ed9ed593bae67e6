"""`schemamend format`: rewrite a schema exactly as Prisma 7's `prisma format` does.

The layout rules, learnt from the real Prisma CLI (7.10.1) and its fixtures:

- Top level: leading and trailing blank lines go; runs of blank lines become one; a block is
  always followed by one blank line (unless a comment sits on its closing line); comments and
  unparsable lines are kept, left-trimmed; `/* */` comments are rewritten as `/** * ... */`.
- Inside a block, lines form *tables*: fields (name, type, attributes), enum values (name,
  attributes) and properties (name, `=`, value) are aligned in columns. A blank line ends a
  table; comments and unparsable lines sit inside it without taking part in the alignment.
  A row only pads the columns it has, and widths count UTF-8 bytes (as Rust's `str::len`).
- Block attributes (`@@...`) move to the end of their block, after one blank line, in a
  fixed order (`@@id`, `@@unique`, `@@index`, `@@fulltext`, `@@map`, `@@ignore`, then the rest
  as written), each carrying the comment lines written just above it. A blank line that only
  separated an attribute from what came before it disappears with it; blank lines right after
  `{` and right before `}` go.
- Field attributes are sorted the same way (`@id`, `@unique`, `@default`, `@updatedAt`, `@map`,
  `@relation`, `@ignore`, then the rest as written); enum value attributes are not sorted and
  Prisma writes them with no space between them (kept, to stay byte-identical).
- A `/* */` comment that follows another comment line and is indented by two or more
  characters keeps its opening `/*` as text (a Prisma quirk, reproduced).
- Expressions are rewritten canonically: `f(a, b: c)`, `[a, b]`, `{ a: b }` (and `{  }`).
- Before the layout, Prisma completes relations (see `schemamend.psl.format_relations`).
- Output uses `\\n` line endings and ends with exactly one newline.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from schemamend.diagnostics import Diagnostic, SourceFile
from schemamend.psl import ast, check_sources, lexer
from schemamend.psl.format_relations import complete_relations_in_trees
from schemamend.psl.parser import parse_source

INDENT = "  "

FIELD_ATTRIBUTE_ORDER = ("id", "unique", "default", "updatedAt", "map", "relation", "ignore")
BLOCK_ATTRIBUTE_ORDER = ("id", "unique", "index", "fulltext", "map", "ignore")


# ── public API ────────────────────────────────────────────────────────────


def format_schema(source_text: str, path: str = "schema.prisma") -> str:
    """The text `prisma format` would write for a single-file schema."""
    return format_sources([SourceFile(path, source_text)])[0]


def format_sources(sources: Sequence[SourceFile]) -> list[str]:
    """Format the files of one (possibly multi-file) schema; one output text per input file.

    Relations are completed across all files, as Prisma does for a schema folder.
    """
    parsed = [parse_source(source) for source in sources]
    trees = [tree for tree, _ in parsed]
    if not any(diagnostics for _, diagnostics in parsed):
        # Prisma completes relations only in schemas that parse; the additions are text
        # inserted into the sources, so changed files are parsed again.
        completed = complete_relations_in_trees(trees)
        trees = [
            tree if new is tree.source else parse_source(new)[0]
            for tree, new in zip(trees, completed, strict=True)
        ]
    return [_format_tree(tree) for tree in trees]


@dataclass
class FormatOutcome:
    """What `prisma format` does with a schema: the formatted texts, and whether it writes them.

    Prisma validates the *formatted* schema and refuses to write (exit code 1, error P1012)
    when there are errors; warnings are printed and the files written.
    """

    texts: list[str]
    diagnostics: list[Diagnostic]

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.is_error]

    @property
    def ok(self) -> bool:
        return not self.errors


def format_for_write(sources: Sequence[SourceFile]) -> FormatOutcome:
    """Format, then validate the result as Prisma does before writing (for the CLI verb)."""
    texts = format_sources(sources)
    formatted = [SourceFile(src.path, text) for src, text in zip(sources, texts, strict=True)]
    return FormatOutcome(texts, check_sources(formatted).diagnostics)


def check_formatted(source_text: str, path: str = "schema.prisma") -> bool:
    """True when the text is already formatted (for `format --check`)."""
    return format_schema(source_text, path) == source_text


# ── expressions and attributes ────────────────────────────────────────────


def render_expression(expr: ast.Expression) -> str:
    if isinstance(expr, ast.StringValue):
        return expr.raw
    if isinstance(expr, ast.NumericValue):
        return expr.text
    if isinstance(expr, ast.ConstantValue):
        return expr.name
    if isinstance(expr, ast.FunctionCall):
        return f"{expr.name}({render_arguments(expr.arguments)})"
    if isinstance(expr, ast.ArrayExpression):
        return "[" + ", ".join(render_expression(item) for item in expr.items) + "]"
    members = ", ".join(f"{m.key.name}: {render_expression(m.value)}" for m in expr.members)
    return "{ " + members + " }"


def render_arguments(arguments: ast.ArgumentList) -> str:
    parts: list[tuple[int, str]] = []
    for arg in arguments.arguments:
        value = render_expression(arg.value)
        parts.append((arg.span.start, f"{arg.name.name}: {value}" if arg.name else value))
    for empty in arguments.empty_arguments:
        parts.append((empty.span.start, f"{empty.name.name}: "))
    parts.sort(key=lambda part: part[0])
    return ", ".join(text for _, text in parts)


def render_attribute(attribute: ast.Attribute, prefix: str) -> str:
    text = prefix + attribute.name
    if attribute.has_parens:
        text += f"({render_arguments(attribute.arguments)})"
    return text


def _rank(name: str, order: tuple[str, ...]) -> int:
    return order.index(name) if name in order else len(order)


def sorted_field_attributes(attributes: list[ast.Attribute]) -> list[ast.Attribute]:
    return sorted(attributes, key=lambda a: _rank(a.name, FIELD_ATTRIBUTE_ORDER))


# ── tables ────────────────────────────────────────────────────────────────


def _width(text: str) -> int:
    """Rust's `str::len`: the UTF-8 byte count (Prisma pads by it)."""
    return len(text.encode("utf-8"))


@dataclass
class _Row:
    columns: list[str]
    comment: str | None = None


@dataclass
class _Table:
    rows: list[_Row | str] = field(default_factory=list)  # str: a line outside the alignment

    def render(self, indent: str) -> list[str]:
        widths: list[int] = []
        for row in self.rows:
            if isinstance(row, _Row):
                for i, column in enumerate(row.columns):
                    if i == len(widths):
                        widths.append(0)
                    widths[i] = max(widths[i], _width(column))
        lines: list[str] = []
        for row in self.rows:
            if isinstance(row, str):
                lines.append(indent + row)
                continue
            parts: list[str] = []
            last = len(row.columns) - 1
            for i, column in enumerate(row.columns):
                pad = "" if i == last else " " * (widths[i] - _width(column) + 1)
                parts.append(column + pad)
            text = "".join(parts)
            if row.comment is not None:
                text += " " + row.comment
            lines.append(indent + text)
        self.rows = []
        return lines


# ── comments ──────────────────────────────────────────────────────────────


def canonical_block_comment(text: str, keep_opening: bool = False) -> list[str]:
    """`/* a\n b */` → ["/**", " * a", " * b", " */"] (Prisma's canonical form).

    Prisma leaves the opening `/*` of a block comment that follows another comment line and
    is indented by two or more characters (see `_keeps_opening`); `keep_opening` does that.
    """
    body = text[:-2] if keep_opening else text[2:-2]
    lines = ["/**"]
    for raw in body.split("\n"):
        stripped = raw.strip()
        if stripped.startswith("*"):
            stripped = stripped[1:].strip()
        if stripped:
            lines.append(" * " + stripped)
    lines.append(" */")
    return lines


def _comment_lines(text: str, keep_opening: bool = False) -> list[str]:
    stripped = text.strip()
    if stripped.startswith("/*") and stripped.endswith("*/") and len(stripped) >= 4:
        return canonical_block_comment(stripped, keep_opening)
    return [text.lstrip()]


def _comment_run_lines(comments: list[ast.Comment]) -> list[str]:
    """Lines for consecutive comment lines (Prisma treats such a run as one unit)."""
    lines: list[str] = []
    for position, comment in enumerate(comments):
        lines.extend(_comment_lines(comment.text, _keeps_opening(comment, position)))
    return lines


def _keeps_opening(comment: ast.Comment, position: int) -> bool:
    # Prisma's quirk: in a run, a later `/*` comment indented by two or more characters keeps
    # its opening `/*` as text.
    if position == 0:
        return False
    text = comment.span.file.text
    line_start = text.rfind("\n", 0, comment.span.start) + 1
    return comment.span.start - line_start >= 2


def _invalid_line(text: str) -> list[str]:
    """An unparsable line, kept as written; a line of several `/* */` comments is split."""
    tokens = lexer.tokenize(text)[:-1]
    if len(tokens) > 1 and all(kind == lexer.BLOCK_COMMENT for kind, _, _ in tokens):
        return [line for _, start, end in tokens for line in _comment_lines(text[start:end])]
    return [text.lstrip()]


class _Source:
    """Access to the raw lines of one file (for doc comments the tree keeps only as text)."""

    def __init__(self, source: SourceFile) -> None:
        self.source = source

    def lines_before(self, offset: int, count: int) -> list[str]:
        line = self.source.line_col(offset)[0]
        first = max(1, line - count)
        return [self.source.line_text(n).lstrip() for n in range(first, line)]

    def rest_of_line(self, offset: int) -> str:
        text = self.source.text
        end = text.find("\n", offset)
        end = len(text) if end == -1 else end
        return text[offset:end].rstrip("\r")


# ── blocks ────────────────────────────────────────────────────────────────


def _field_row(member: ast.Field) -> _Row:
    columns = [member.name.name]
    attributes = sorted_field_attributes(member.attributes)
    if member.field_type is not None:
        columns.append(_type_column(member))
    elif attributes:
        columns.append("")  # Prisma keeps the (empty) type column of a field without a type
    if attributes:
        columns.append(" ".join(render_attribute(a, "@") for a in attributes))
    return _Row(columns, member.comment)


def _type_column(member: ast.Field) -> str:
    """The base type as written, then the arity spelled canonically (`Json ?` → `Json?`).

    Prisma also rewrites the legacy `[Type]` and `Type!`; `Unsupported( "x" )` stays as typed.
    """
    assert member.field_type is not None
    base = member.field_type.span.text()
    if member.arity is ast.Arity.OPTIONAL:
        return base + "?"
    if member.arity is ast.Arity.LIST:
        return base + ("[]?" if member.type_text.endswith("?") else "[]")
    return base


def _enum_value_row(member: ast.EnumValue) -> _Row:
    columns = [member.name.name]
    if member.attributes:
        # Prisma 7 joins enum value attributes without a separator.
        columns.append("".join(render_attribute(a, "@") for a in member.attributes))
    return _Row(columns, member.comment)


def _property_row(member: ast.ConfigProperty) -> _Row:
    if member.value is None:
        return _Row([member.name.name], member.comment)
    return _Row([member.name.name, "=", render_expression(member.value)], member.comment)


@dataclass
class _PendingAttribute:
    comments: list[ast.Comment]
    member: ast.BlockAttribute
    order: int


def _block_attribute_line(member: ast.BlockAttribute) -> str:
    text = render_attribute(member.attribute, "@@")
    if member.comment is not None:
        text += " " + member.comment
    return text


def _before_attribute(members: list[ast.Member], index: int) -> bool:
    """A blank line followed (past comments) by a block attribute leaves no trace."""
    for member in members[index + 1 :]:
        if not isinstance(member, ast.Comment):
            return isinstance(member, ast.BlockAttribute)
    return False


def _render_block(block: ast.Block, src: _Source) -> list[str]:
    lines = [f"{block.kind.value} {block.name.name} {{"]
    table = _Table()
    attributes: list[_PendingAttribute] = []
    members = block.members
    comment_run: list[ast.Comment] = []

    def flush_comments() -> None:
        table.rows.extend(_comment_run_lines(comment_run))
        comment_run.clear()

    for index, member in enumerate(members):
        if isinstance(member, ast.Comment):
            comment_run.append(member)
            continue
        if isinstance(member, ast.BlockAttribute):
            attributes.append(_PendingAttribute(list(comment_run), member, len(attributes)))
            comment_run.clear()
            continue
        flush_comments()
        if isinstance(member, ast.BlankLines):
            if index == 0 or index == len(members) - 1 or _before_attribute(members, index):
                continue
            lines.extend(table.render(INDENT))
            if lines[-1] != "":
                lines.append("")
        elif isinstance(member, ast.InvalidLine):
            table.rows.extend(_invalid_line(member.text))
        else:
            docs = member.documentation
            if docs:
                table.rows.extend(src.lines_before(member.span.start, len(docs)))
            if isinstance(member, ast.Field):
                table.rows.append(_field_row(member))
            elif isinstance(member, ast.EnumValue):
                table.rows.append(_enum_value_row(member))
            else:
                table.rows.append(_property_row(member))
    flush_comments()
    lines.extend(table.render(INDENT))
    if attributes:
        if lines[-1] != "":
            lines.append("")
        attributes.sort(
            key=lambda p: (_rank(p.member.attribute.name, BLOCK_ATTRIBUTE_ORDER), p.order)
        )
        for pending in attributes:
            lines.extend(INDENT + line for line in _comment_run_lines(pending.comments))
            lines.append(INDENT + _block_attribute_line(pending.member))
    lines.append("}")
    return lines


def _render_type_alias(alias: ast.TypeAlias) -> str:
    text = f"type {alias.name.name} = {alias.target.span.text()}"
    for attribute in alias.attributes:
        text += " " + render_attribute(attribute, "@")
    return text


# ── top level ─────────────────────────────────────────────────────────────


def _format_tree(tree: ast.SchemaFile) -> str:
    src = _Source(tree.source)
    lines: list[str] = []
    blank_pending = False
    swallow_blank = False
    run_position = -1  # index of a comment within its run of comment lines
    for item in tree.items:
        run_position = run_position + 1 if isinstance(item, ast.Comment) else -1
        if isinstance(item, ast.BlankLines):
            if not swallow_blank:
                blank_pending = True
            continue
        swallow_blank = False
        if blank_pending and lines and lines[-1] != "":
            lines.append("")
        blank_pending = False
        if isinstance(item, ast.Block):
            if item.documentation:
                lines.extend(src.lines_before(item.keyword_span.start, len(item.documentation)))
            lines.extend(_render_block(item, src))
            close_comment = src.rest_of_line(item.span.end).strip()
            if close_comment:
                lines.extend(_comment_lines(close_comment))
            else:
                blank_pending = True
        elif isinstance(item, ast.TypeAlias):
            lines.append(_render_type_alias(item))
            swallow_blank = True
        elif isinstance(item, ast.Comment):
            lines.extend(_comment_lines(item.text, _keeps_opening(item, run_position)))
        else:
            lines.extend(_invalid_line(item.text))
    return "\n".join(lines) + "\n"
