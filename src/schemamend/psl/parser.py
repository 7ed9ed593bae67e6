"""Recursive-descent parser: source text → `ast.SchemaFile` plus diagnostics.

Prisma's grammar is line-oriented: every field, attribute line, enum value and
configuration property ends at its newline, and a block ends at the first line
that starts with `}`. A line that does not parse is kept as `InvalidLine` with
Prisma's message, and parsing goes on with the next line; a block header whose
closing brace never comes makes every following line invalid, as in Prisma.
"""

from __future__ import annotations

import re

from schemamend.diagnostics import Diagnostic, Severity, SourceFile, Span
from schemamend.psl import ast
from schemamend.psl import lexer as lx
from schemamend.psl.fast_lines import LineReader

BLOCK_KEYWORDS = {
    "model": ast.BlockKind.MODEL,
    "view": ast.BlockKind.VIEW,
    "type": ast.BlockKind.TYPE,
    "enum": ast.BlockKind.ENUM,
    "datasource": ast.BlockKind.DATASOURCE,
    "generator": ast.BlockKind.GENERATOR,
}

_COMMENTS = (lx.COMMENT, lx.DOC, lx.BLOCK_COMMENT)
# read once: reading a member from its enum class is slow in Python 3.11
_MODEL_LIKE = (ast.BlockKind.MODEL, ast.BlockKind.VIEW, ast.BlockKind.TYPE)
_ENUM_BLOCK = ast.BlockKind.ENUM

MSG_INVALID_TOP_LEVEL = "Error validating: This line is invalid. It does not start with any known Prisma schema keyword."
MSG_INVALID_MODEL_LINE = "Error validating: This line is not a valid field or attribute definition."
MSG_INVALID_ENUM_LINE = "Error validating: This line is not an enum value definition."
MSG_LEGACY_COLON = "Field declarations don't require a `:`."
MSG_OPTIONAL_LIST = "Optional lists are not supported. Use either `Type[]` or `Type?`."
MSG_LEGACY_LIST = "To specify a list, please use `Type[]` instead of `[Type]`."
MSG_LEGACY_REQUIRED = "Fields are required by default, `!` is no longer required."


def invalid_config_line_message(kind: ast.BlockKind) -> str:
    return f"Error validating: This line is not a valid definition within a {kind.value}."


def missing_field_type_message(kind: ast.BlockKind, block_name: str) -> str:
    return (
        f'Error validating {kind.value} "{block_name}": This field declaration is invalid. '
        "It is either missing a name or a type."
    )


class _Fail(Exception):
    """The current line does not parse; the caller records it as invalid."""


class _Line:
    """One physical line (a `/* */` comment spanning lines counts as one).

    Tokens are computed on first use: most field lines are read by the fast
    path (`fast_lines.LineReader`) and never tokenized.
    """

    __slots__ = ("text", "begin", "start", "end", "first", "is_blank", "_tokens")

    def __init__(self, text: str, begin: int, start: int | None, end: int) -> None:
        self.text = text
        self.begin = begin  # offset of the line's first character
        self.is_blank = start is None
        self.start = begin if start is None else start  # first non-blank character
        self.end = end  # just past the newline
        self.first = "" if start is None else text[start]  # first non-blank character
        self._tokens: list[lx.Token] | None = None

    @property
    def tokens(self) -> list[lx.Token]:
        if self._tokens is None:
            self._tokens = lx.tokenize_range(self.text, self.start, self.end)
        return self._tokens


_NON_BLANK = re.compile(r"[^ \t\f\v\ufeff]")
# A block's opening line as usually written: keyword, name, `{`, maybe a `//` comment.
_PLAIN_BLOCK_HEADER = re.compile(
    r"(model|view|type|enum|datasource|generator)[ \t]++([A-Za-z_]\w*+)[ \t]*+\{"
    r"[ \t]*+(//[^\r\n]*+)?+(?:\r?\n|\r?\Z)",
    re.ASCII,
)


class Parser:
    def __init__(self, source: SourceFile) -> None:
        self.source = source
        self.text = source.text
        self.diagnostics: list[Diagnostic] = []
        self.fast_path = True
        self.fast = LineReader(source)
        # Set once a block header found no closing brace before the end of the text:
        # no later header can find one either.
        self._unclosed_from: int | None = None

    # ── helpers ───────────────────────────────────────────────────────────

    def span(self, start: int, end: int) -> Span:
        return Span(self.source, start, end)

    def error(self, message: str, start: int, end: int) -> None:
        self.diagnostics.append(Diagnostic(Severity.ERROR, message, self.span(start, end)))

    def tok_text(self, tok: lx.Token) -> str:
        return self.text[tok[1] : tok[2]]

    def line_text(self, line: _Line) -> str:
        return self.text[line.start : line.end].rstrip("\r\n")

    def invalid(self, line: _Line, message: str) -> ast.InvalidLine:
        self.error(message, line.start, line.end)
        return ast.InvalidLine(self.line_text(line), self.span(line.start, line.end))

    def line_at(self, pos: int) -> _Line:
        """The line starting at `pos` (extended over `/* */` comments that span lines)."""
        text = self.text
        if text.startswith("\n", pos):  # most blank lines
            return _Line(text, pos, None, pos + 1)
        newline = text.find("\n", pos)
        end = len(text) if newline == -1 else newline + 1
        if text.find("/*", pos, end) != -1:
            end = lx.end_of_line_with_block_comments(text, pos)
        match = _NON_BLANK.search(text, pos, end)
        start = match.start() if match and text[match.start()] not in "\r\n" else None
        return _Line(text, pos, start, end)

    # ── top level ─────────────────────────────────────────────────────────

    def parse(self) -> ast.SchemaFile:
        items: list[ast.TopLevel] = []
        size = len(self.text)
        pos = 0
        docs: list[str] = []
        doc_comments: list[ast.Comment] = []
        while pos < size:
            line = self.line_at(pos)
            if line.is_blank:
                self._flush_docs(items, doc_comments)
                docs, doc_comments = [], []
                pos = self._blank_lines(items, line)
                continue
            toks: list[lx.Token] = []
            header = self._plain_block_header(line) if self.fast_path else None
            if header is None:
                toks = line.tokens
                first = toks[0]
                if first[0] in _COMMENTS and len(toks) == 1:
                    comment = ast.Comment(
                        self.tok_text(first).rstrip("\r"), self.span(first[1], first[2])
                    )
                    if first[0] == lx.DOC:
                        docs.append(_doc_text(comment.text))
                        doc_comments.append(comment)
                    else:
                        self._flush_docs(items, doc_comments)
                        docs, doc_comments = [], []
                        items.append(comment)
                    pos = line.end
                    continue
                header = self._block_header(line)
            if header is not None:
                block = self._block(header, line, docs)
                if block is not None:
                    items.append(block[0])
                    docs, doc_comments = [], []
                    pos = block[1]
                    continue
            elif self._is_type_alias(toks):
                alias = self._type_alias(line)
                if alias is not None:
                    self._flush_docs(items, doc_comments)
                    docs, doc_comments = [], []
                    items.append(alias)
                    pos = line.end
                    continue
            self._flush_docs(items, doc_comments)
            docs, doc_comments = [], []
            items.append(self.invalid(line, MSG_INVALID_TOP_LEVEL))
            pos = line.end
        self._flush_docs(items, doc_comments)
        return ast.SchemaFile(self.source, items)

    @staticmethod
    def _flush_docs(items: list[ast.TopLevel], doc_comments: list[ast.Comment]) -> None:
        items.extend(doc_comments)

    def _blank_lines(self, items: list[ast.TopLevel], first: _Line) -> int:
        """Record a run of blank lines as one item; the offset after the run."""
        count, last = 1, first
        while last.end < len(self.text):
            following = self.line_at(last.end)
            if not following.is_blank:
                break
            count, last = count + 1, following
        items.append(ast.BlankLines(count, self.span(first.start, last.end)))
        return last.end

    def _plain_block_header(
        self, line: _Line
    ) -> tuple[ast.BlockKind, lx.Token, lx.Token, str | None] | None:
        """`_block_header` for the usual spelling (`model Name {`, ASCII names, spaces, an
        optional `//` comment), read without tokenizing; None for any other line."""
        match = _PLAIN_BLOCK_HEADER.match(self.text, line.start)
        if match is None or match.end() != line.end:
            return None
        keyword: lx.Token = (lx.IDENT, match.start(1), match.end(1))
        name: lx.Token = (lx.IDENT, match.start(2), match.end(2))
        return BLOCK_KEYWORDS[match.group(1)], keyword, name, match.group(3)

    def _block_header(
        self, line: _Line
    ) -> tuple[ast.BlockKind, lx.Token, lx.Token, str | None] | None:
        toks = line.tokens
        if len(toks) < 3 or toks[0][0] != lx.IDENT or toks[1][0] != lx.IDENT or toks[2][0] != "{":
            return None
        kind = BLOCK_KEYWORDS.get(self.tok_text(toks[0]))
        if kind is None:
            return None
        comment: str | None = None
        if len(toks) == 4 and toks[3][0] in _COMMENTS:
            comment = self.tok_text(toks[3]).rstrip("\r")
        elif len(toks) > 3:
            return None
        return kind, toks[0], toks[1], comment

    def _is_type_alias(self, toks: list[lx.Token]) -> bool:
        return (
            len(toks) >= 4
            and toks[0][0] == lx.IDENT
            and self.tok_text(toks[0]) == "type"
            and toks[1][0] == lx.IDENT
            and toks[2][0] == "="
        )

    def _type_alias(self, line: _Line) -> ast.TypeAlias | None:
        cur = _Cursor(self, line.tokens, 3)
        try:
            target, _arity, _text = self._field_type(cur, lenient=False)
            attributes = self._attributes(cur)
            cur.optional_comment()
            cur.expect_end()
        except _Fail:
            return None
        toks = line.tokens
        name = ast.Identifier(self.tok_text(toks[1]), self.source, toks[1][1])
        if target is None:
            return None
        return ast.TypeAlias(name, target, attributes, self.span(line.start, line.end))

    # ── blocks ────────────────────────────────────────────────────────────

    def _block(
        self,
        header: tuple[ast.BlockKind, lx.Token, lx.Token, str | None],
        open_line: _Line,
        docs: list[str],
    ) -> tuple[ast.Block, int] | None:
        """The block opened on `open_line` and the offset after its closing line.

        None when no line starting with `}` closes it: the caller then reports the
        header line, and anything read here is dropped.
        """
        if self._unclosed_from is not None and open_line.begin >= self._unclosed_from:
            return None
        kind, keyword, name_tok, open_comment = header
        name = ast.Identifier(self.tok_text(name_tok), self.source, name_tok[1])
        members: list[ast.Member] = []
        pending_docs: list[ast.Comment] = []
        is_model_like = kind in _MODEL_LIKE
        is_enum = kind is _ENUM_BLOCK
        fast = self.fast if self.fast_path and (is_model_like or is_enum) else None
        diagnostics_before = len(self.diagnostics)
        text = self.text
        size = len(text)
        pos = open_line.end
        while True:
            if pos >= size:
                del self.diagnostics[diagnostics_before:]
                self._unclosed_from = open_line.begin
                return None
            if fast is not None and text[pos] not in "\n}":  # not a blank or closing line
                documentation = [_doc_text(c.text) for c in pending_docs] if pending_docs else []
                read: ast.Field | ast.EnumValue | ast.BlockAttribute | None = (
                    fast.enum_value(pos, documentation)
                    if is_enum
                    else fast.field(pos, documentation)
                )
                if read is None and (read := fast.block_attribute(pos)) is not None:
                    members.extend(pending_docs)
                if read is not None:
                    members.append(read)
                    pos = read.end
                    if pending_docs:
                        pending_docs = []
                    continue
            if fast is not None and text.startswith("}\n", pos):  # the usual closing line
                close_brace = ("}", pos, pos + 1)
                pos += 2
                break
            line = self.line_at(pos)
            pos = line.end
            if line.first == "}":
                close_brace = ("}", line.start, line.start + 1)
                break
            if line.is_blank:
                members.extend(pending_docs)
                pending_docs = []
                if members and isinstance(members[-1], ast.BlankLines):
                    prev = members[-1]
                    members[-1] = ast.BlankLines(
                        prev.count + 1, prev.span.merge(self.span(line.start, line.end))
                    )
                else:
                    members.append(ast.BlankLines(1, self.span(line.start, line.end)))
                continue
            toks = line.tokens
            if len(toks) == 1 and toks[0][0] in _COMMENTS:
                comment = ast.Comment(
                    self.tok_text(toks[0]).rstrip("\r"), self.span(toks[0][1], toks[0][2])
                )
                if toks[0][0] == lx.DOC and kind is not ast.BlockKind.DATASOURCE:
                    pending_docs.append(comment)
                else:
                    members.extend(pending_docs)
                    pending_docs = []
                    members.append(comment)
                continue
            documentation = [_doc_text(c.text) for c in pending_docs]
            member = self._member(kind, name.name, line, documentation)
            if isinstance(member, ast.InvalidLine | ast.BlockAttribute):
                members.extend(pending_docs)
            pending_docs = []
            members.append(member)
        members.extend(pending_docs)
        block = ast.Block(
            kind=kind,
            name=name,
            members=members,
            documentation=docs,
            span=self.span(keyword[1], close_brace[2]),
            keyword_span=self.span(keyword[1], keyword[2]),
            open_comment=open_comment,
        )
        return block, pos

    def _member(
        self, kind: ast.BlockKind, block_name: str, line: _Line, docs: list[str]
    ) -> ast.Member:
        try:
            if kind in (ast.BlockKind.MODEL, ast.BlockKind.VIEW, ast.BlockKind.TYPE):
                if line.tokens[0][0] == lx.ATAT:
                    return self._block_attribute(line)
                return self._field(kind, block_name, line, docs)
            if kind is ast.BlockKind.ENUM:
                if line.tokens[0][0] == lx.ATAT:
                    return self._block_attribute(line)
                return self._enum_value(line, docs)
            return self._config_property(line, docs)
        except _Fail:
            if kind is ast.BlockKind.ENUM:
                return self.invalid(line, MSG_INVALID_ENUM_LINE)
            if kind in (ast.BlockKind.DATASOURCE, ast.BlockKind.GENERATOR):
                return self.invalid(line, invalid_config_line_message(kind))
            return self.invalid(line, MSG_INVALID_MODEL_LINE)

    def _block_attribute(self, line: _Line) -> ast.BlockAttribute:
        cur = _Cursor(self, line.tokens, 0)
        attribute = self._attribute(cur)
        comment = cur.optional_comment()
        cur.expect_end()
        return ast.BlockAttribute(attribute, comment, line.end)

    def _field(
        self, kind: ast.BlockKind, block_name: str, line: _Line, docs: list[str]
    ) -> ast.Field:
        cur = _Cursor(self, line.tokens, 0)
        name_tok = cur.expect(lx.IDENT)
        name = ast.Identifier(self.tok_text(name_tok), self.source, name_tok[1])
        pending: list[tuple[str, int, int]] = []
        if cur.peek_kind() == ":":
            colon = cur.next()
            pending.append((MSG_LEGACY_COLON, colon[1], colon[2]))
        field_type, arity, type_text = self._field_type(cur, lenient=True, pending=pending)
        attributes = self._attributes(cur)
        comment = cur.optional_comment()
        cur.expect_end()
        for message, start, end in pending:
            self.error(message, start, end)
        if field_type is None:
            self.error(missing_field_type_message(kind, block_name), line.start, line.end)
        return ast.Field(name, field_type, arity, attributes, docs, comment, line.end, type_text)

    def _field_type(
        self,
        cur: _Cursor,
        *,
        lenient: bool,
        pending: list[tuple[str, int, int]] | None = None,
    ) -> tuple[ast.FieldType | None, ast.Arity, str]:
        kind = cur.peek_kind()
        if kind in ("@", lx.ATAT, *_COMMENTS, lx.EOF):
            return None, ast.Arity.REQUIRED, ""
        start = cur.peek()[1]
        if kind == "[" and lenient:
            cur.next()
            inner = cur.expect(lx.IDENT)
            close = cur.expect("]")
            if pending is not None:
                pending.append((MSG_LEGACY_LIST, start, close[2]))
            ftype = ast.FieldType(self.tok_text(inner), self.source, inner[1])
            return ftype, ast.Arity.LIST, self.text[start : close[2]]
        name_tok = cur.expect(lx.IDENT)
        type_name = self.tok_text(name_tok)
        unsupported: str | None = None
        end = name_tok[2]
        if cur.peek_kind() == "(":
            cur.next()
            string = cur.expect(lx.STRING)
            close = cur.expect(")")
            unsupported = lx.unescape_string(self.tok_text(string))
            end = close[2]
        ftype = ast.FieldType(
            type_name, self.source, name_tok[1], unsupported, end if unsupported is not None else -1
        )
        arity = ast.Arity.REQUIRED
        if cur.peek_kind() == "[":
            cur.next()
            end = cur.expect("]")[2]
            arity = ast.Arity.LIST
            if cur.peek_kind() == "?":
                question = cur.next()
                end = question[2]
                if pending is not None:
                    pending.append((MSG_OPTIONAL_LIST, start, end))
        elif cur.peek_kind() == "?":
            end = cur.next()[2]
            arity = ast.Arity.OPTIONAL
        elif cur.peek_kind() == "!" and lenient:
            bang = cur.next()
            end = bang[2]
            if pending is not None:
                pending.append((MSG_LEGACY_REQUIRED, start, end))
        return ftype, arity, self.text[start:end]

    def _enum_value(self, line: _Line, docs: list[str]) -> ast.EnumValue:
        cur = _Cursor(self, line.tokens, 0)
        name_tok = cur.expect(lx.IDENT)
        attributes = self._attributes(cur)
        comment = cur.optional_comment()
        cur.expect_end()
        name = ast.Identifier(self.tok_text(name_tok), self.source, name_tok[1])
        return ast.EnumValue(name, attributes, docs, comment, line.end)

    def _config_property(self, line: _Line, docs: list[str]) -> ast.ConfigProperty:
        cur = _Cursor(self, line.tokens, 0)
        name_tok = cur.expect(lx.IDENT)
        name = ast.Identifier(self.tok_text(name_tok), self.source, name_tok[1])
        cur.expect("=")
        value: ast.Expression | None = None
        if cur.peek_kind() not in (*_COMMENTS, lx.EOF):
            value = self._expression(cur)
        comment = cur.optional_comment()
        cur.expect_end()
        return ast.ConfigProperty(name, value, comment, self.span(line.start, line.end), docs)

    # ── attributes and expressions ────────────────────────────────────────

    def _attributes(self, cur: _Cursor) -> list[ast.Attribute]:
        attributes: list[ast.Attribute] = []
        while cur.peek_kind() == "@":
            attributes.append(self._attribute(cur))
        return attributes

    def _attribute(self, cur: _Cursor) -> ast.Attribute:
        at = cur.next()
        if at[0] not in ("@", lx.ATAT):
            raise _Fail
        name, name_start, name_end = self._path(cur)
        if cur.peek_kind() == "(" and cur.peek()[1] == name_end:
            arguments = self._argument_list(cur)
            has_parens = True
        else:
            arguments = ast.NO_ARGUMENTS
            has_parens = False
        return ast.Attribute(name, arguments, has_parens, self.source, at[1], name_start)

    def _path(self, cur: _Cursor) -> tuple[str, int, int]:
        first = cur.expect(lx.IDENT)
        end = first[2]
        while cur.peek_kind() == "." and cur.peek()[1] == end:
            cur.next()
            part = cur.expect(lx.IDENT)
            end = part[2]
        return self.text[first[1] : end], first[1], end

    def _argument_list(self, cur: _Cursor) -> ast.ArgumentList:
        open_paren = cur.expect("(")
        arguments: list[ast.Argument] = []
        empty: list[ast.EmptyArgument] = []
        trailing_comma = False
        while cur.peek_kind() != ")":
            trailing_comma = False
            if cur.peek_kind() == lx.IDENT and cur.peek_kind(1) == ":":
                name_tok = cur.next()
                colon = cur.next()
                name = ast.Identifier(self.tok_text(name_tok), self.source, name_tok[1])
                if cur.peek_kind() in (",", ")"):
                    empty.append(ast.EmptyArgument(name, self.span(name_tok[1], colon[2])))
                else:
                    value = self._expression(cur)
                    arguments.append(ast.Argument(name, value))
            else:
                value = self._expression(cur)
                arguments.append(ast.Argument(None, value))
            if cur.peek_kind() == ",":
                cur.next()
                trailing_comma = True
            elif cur.peek_kind() != ")":
                raise _Fail
        close = cur.next()
        return ast.ArgumentList(
            arguments, empty, trailing_comma, self.source, open_paren[1], close[2]
        )

    def _expression(self, cur: _Cursor) -> ast.Expression:
        tok = cur.peek()
        kind = tok[0]
        if kind == lx.STRING:
            cur.next()
            raw = self.tok_text(tok)
            return ast.StringValue(lx.unescape_string(raw), raw, self.source, tok[1])
        if kind == lx.NUMBER:
            cur.next()
            return ast.NumericValue(self.tok_text(tok), self.source, tok[1])
        if kind == "[":
            cur.next()
            items: list[ast.Expression] = []
            while cur.peek_kind() != "]":
                items.append(self._expression(cur))
                if cur.peek_kind() == ",":
                    cur.next()
                elif cur.peek_kind() != "]":
                    raise _Fail
            close = cur.next()
            return ast.ArrayExpression(items, self.source, tok[1], close[2])
        if kind == "{":
            cur.next()
            members: list[ast.ObjectMember] = []
            while cur.peek_kind() != "}":
                key_tok = cur.expect(lx.IDENT)
                cur.expect(":")
                value = self._expression(cur)
                key = ast.Identifier(self.tok_text(key_tok), self.source, key_tok[1])
                members.append(ast.ObjectMember(key, value))
                if cur.peek_kind() == ",":
                    cur.next()
                elif cur.peek_kind() != "}":
                    raise _Fail
            close = cur.next()
            return ast.ObjectExpression(members, self.span(tok[1], close[2]))
        if kind == lx.IDENT:
            name, start, end = self._path(cur)
            if cur.peek_kind() == "(":
                arguments = self._argument_list(cur)
                assert arguments.span is not None
                return ast.FunctionCall(name, arguments, self.source, start)
            return ast.ConstantValue(name, self.source, start)
        raise _Fail


class _Cursor:
    """Position within one line's tokens; running off the end yields EOF."""

    __slots__ = ("parser", "tokens", "pos", "_eof")

    def __init__(self, parser: Parser, tokens: list[lx.Token], pos: int) -> None:
        self.parser = parser
        self.tokens = tokens
        self.pos = pos
        end = tokens[-1][2] if tokens else 0
        self._eof: lx.Token = (lx.EOF, end, end)

    def peek(self, ahead: int = 0) -> lx.Token:
        index = self.pos + ahead
        return self.tokens[index] if index < len(self.tokens) else self._eof

    def peek_kind(self, ahead: int = 0) -> str:
        return self.peek(ahead)[0]

    def next(self) -> lx.Token:
        tok = self.peek()
        self.pos += 1
        return tok

    def expect(self, kind: str) -> lx.Token:
        tok = self.peek()
        if tok[0] != kind:
            raise _Fail
        self.pos += 1
        return tok

    def optional_comment(self) -> str | None:
        if self.peek_kind() in _COMMENTS:
            tok = self.next()
            return self.parser.tok_text(tok).rstrip("\r")
        return None

    def expect_end(self) -> None:
        if self.pos < len(self.tokens):
            raise _Fail


def _doc_text(comment: str) -> str:
    body = comment[3:]
    return body[1:] if body.startswith(" ") else body


def parse_source(source: SourceFile) -> tuple[ast.SchemaFile, list[Diagnostic]]:
    parser = Parser(source)
    tree = parser.parse()
    return tree, parser.diagnostics
