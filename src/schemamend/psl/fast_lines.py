"""Fast path of the parser: the common line shapes read by direct string scanning.

Nearly every line of a real schema is a plain field (`name Type? @attr(...)`),
a block attribute (`@@index([a, b(sort: Desc)], type: Hash)`) or an enum
value. `LineReader` reads those straight from the text, without tokenizing,
and builds exactly the nodes the general parser (`parser.py`) would build.
It accepts a deliberately narrow grammar: at anything unusual (other
whitespace, hyphenated or non-ASCII identifiers, empty or spaced-out syntax,
objects, `/*` comments, a lone carriage return, a line that is not valid) it
raises `NotFast` and the general parser reads the line instead, with its
diagnostics. Unit tests compare both paths on every corpus schema.
"""

from __future__ import annotations

import re
from sys import intern

from schemamend.diagnostics import SourceFile
from schemamend.psl import ast
from schemamend.psl.lexer import unescape_string


class NotFast(Exception):
    """The line is not one of the shapes read here; use the general parser."""


# After a line's head: either an attribute's `@` and name, then its argument when it is
# one plain value (`("x")`, `(64)`, `(ADMIN)`, `(now())`: most attributes) or a `(` that
# starts a general argument list; or the end of the line, after a `// comment` or not.
# Its groups are numbered below.
_ATTRIBUTE_OR_LINE_END_TEXT = (
    r"[ \t]*+(?:@([A-Za-z_]\w*+(?:\.[A-Za-z_]\w*+)*+)"
    r'(?:\((?:("[^"\\\r\n]*+")|(-?[0-9]++(?:\.[0-9]++)?+)|([A-Za-z_]\w*+)(\(\))?+)\)|(\())?+'
    r"|(//[^\r\n]*+)?+(?:\r?\n|\r?\Z)())"
)


# The groups of `_ATTRIBUTE_OR_LINE_END_TEXT`, counted from the head's last group:
_ATTRIBUTE_NAME = 1  # the last group matched for an attribute without parentheses
_STRING_VALUE = 2  # `("x")`
_NUMBER_VALUE = 3  # `(64)`
_CONSTANT_VALUE = 4  # `(ADMIN)`, or the name of a call `(now())`
_CALL_PARENTHESES = 5  # the `()` of `(now())`
_OPEN_PARENTHESIS = 6  # any other argument list: read by `_argument_list`
_COMMENT = 7
_LINE_END = 8


# Field line: name, type, `[]`/`?` (groups 1-3), then its first attribute or its end.
# Every pattern here is ASCII-only (`\w` is `[A-Za-z0-9_]`, which the regex engine checks
# faster): a non-ASCII name is read by the general parser.
_FIELD_LINE = re.compile(
    r"[ \t]*+([A-Za-z_]\w*+)[ \t]++([A-Za-z_]\w*+)(\[\]|\?)?+" + _ATTRIBUTE_OR_LINE_END_TEXT,
    re.ASCII,
)
_FIELD_HEAD_GROUPS = 3
# Enum value line: the name (group 1), then its first attribute or its end.
_ENUM_VALUE_LINE = re.compile(r"[ \t]*+([A-Za-z_]\w*+)" + _ATTRIBUTE_OR_LINE_END_TEXT, re.ASCII)
_ENUM_VALUE_HEAD_GROUPS = 1
# The next attribute or the line's end, after an attribute.
_ATTRIBUTE_OR_LINE_END = re.compile(_ATTRIBUTE_OR_LINE_END_TEXT, re.ASCII)
_BLOCK_ATTRIBUTE_HEAD = re.compile(r"[ \t]*+@@([A-Za-z_]\w*+(?:\.[A-Za-z_]\w*+)*+)", re.ASCII)
_REST_OF_LINE = re.compile(r"[ \t]*+(//[^\r\n]*+)?+(?:\r?\n|\r?\Z)")
# An argument's name, its colon and the spaces before its value.
_ARGUMENT_NAME = re.compile(r"([A-Za-z_]\w*+):[ \t]*+", re.ASCII)
# An array of plain names separated by a comma and one space.
_NAME_ARRAY = re.compile(r"\[([A-Za-z_]\w*+(?:, [A-Za-z_]\w*+)*+)\]", re.ASCII)
_PATH = re.compile(r"[A-Za-z_]\w*+(?:\.[A-Za-z_]\w*+)*+", re.ASCII)
_STRING = re.compile(r'"(?:[^"\\\r\n]++|\\.)*+"')
_NUMBER = re.compile(r"-?[0-9]++(?:\.[0-9]++)?+(?![A-Za-z_])")

_ARITIES = {None: ast.Arity.REQUIRED, "?": ast.Arity.OPTIONAL, "[]": ast.Arity.LIST}
_IDENT_START = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_")
_NUMBER_START = frozenset("-0123456789")


class LineReader:
    """Reads one line at an offset; every method returns None where the line is not its shape.

    Each value read is followed by a check of what comes next (`,`, `)`, `]`, an
    attribute, a comment or the end of the line), so a name or number the lexer
    would split differently (`a-b`, `1.5.3`, `a.`) never gets through.
    """

    def __init__(self, source: SourceFile) -> None:
        self.source = source
        self.text = source.text

    # ── lines ─────────────────────────────────────────────────────────────

    def field(self, pos: int, documentation: list[str]) -> ast.Field | None:
        """The field line starting at `pos` (its `end` is the offset past its newline)."""
        head = _FIELD_LINE.match(self.text, pos)
        if head is None:
            return None
        if head.lastindex == _FIELD_HEAD_GROUPS + _LINE_END:  # a field without attributes
            attributes: list[ast.Attribute] = []
            comment, end = head.group(_FIELD_HEAD_GROUPS + _COMMENT), head.end()
        else:
            try:
                attributes, comment, end = self._attributes_to_line_end(head, _FIELD_HEAD_GROUPS)
            except (NotFast, IndexError):
                return None
        source = self.source
        name, type_name, modifier = head.group(1, 2, 3)
        return ast.Field(
            ast.Identifier(intern(name), source, head.start(1)),
            ast.FieldType(intern(type_name), source, head.start(2)),
            _ARITIES[modifier],
            attributes,
            documentation,
            comment,
            end,
            intern(type_name + modifier) if modifier else type_name,
        )

    def block_attribute(self, pos: int) -> ast.BlockAttribute | None:
        head = _BLOCK_ATTRIBUTE_HEAD.match(self.text, pos)
        if head is None:
            return None
        start = head.start(1) - 2
        try:
            attribute, after = self._attribute(start, head.group(1), head.start(1), head.end(1))
            if self.text[after] == "\n":  # the usual end of the line
                return ast.BlockAttribute(attribute, None, after + 1)
            line_end = _REST_OF_LINE.match(self.text, after)
            if line_end is None:
                return None
        except (NotFast, IndexError):
            return None
        return ast.BlockAttribute(attribute, line_end.group(1), line_end.end())

    def enum_value(self, pos: int, documentation: list[str]) -> ast.EnumValue | None:
        head = _ENUM_VALUE_LINE.match(self.text, pos)
        if head is None:
            return None
        try:
            attributes, comment, end = self._attributes_to_line_end(head, _ENUM_VALUE_HEAD_GROUPS)
        except (NotFast, IndexError):
            return None
        name = ast.Identifier(intern(head.group(1)), self.source, head.start(1))
        return ast.EnumValue(name, attributes, documentation, comment, end)

    def _attributes_to_line_end(
        self, piece: re.Match[str], shift: int
    ) -> tuple[list[ast.Attribute], str | None, int]:
        """`@a @b(...)`, an optional `// comment` and the newline (or end of text).

        `piece`: the match of the line's head and `_ATTRIBUTE_OR_LINE_END_TEXT`, whose
        groups come after the head's `shift` groups."""
        text = self.text
        attributes: list[ast.Attribute] = []
        while True:
            kind = (piece.lastindex or 0) - shift
            if kind == _LINE_END:
                return attributes, piece.group(_COMMENT + shift), piece.end()
            name_group = _ATTRIBUTE_NAME + shift
            name_start = piece.start(name_group)
            if kind == _ATTRIBUTE_NAME:  # no parentheses
                attribute = ast.Attribute(
                    intern(piece.group(name_group)),
                    ast.NO_ARGUMENTS,
                    False,
                    self.source,
                    name_start - 1,
                    name_start,
                )
                pos = piece.end()
            elif kind == _OPEN_PARENTHESIS:
                attribute, pos = self._attribute(
                    name_start - 1,
                    intern(piece.group(name_group)),
                    name_start,
                    piece.end(name_group),
                )
            else:
                attribute, pos = self._attribute_with_one_value(piece, kind, shift), piece.end()
            attributes.append(attribute)
            if text[pos] == "\n":  # the usual end of the line, right after its last attribute
                return attributes, None, pos + 1
            next_piece = _ATTRIBUTE_OR_LINE_END.match(text, pos)
            if next_piece is None:
                raise NotFast
            piece, shift = next_piece, 0

    # ── attributes and expressions ────────────────────────────────────────

    def _attribute(
        self, at: int, name: str, name_start: int, name_end: int
    ) -> tuple[ast.Attribute, int]:
        """`@name` or `@name(args)`; `at` is the first `@`."""
        if self.text.startswith("(", name_end):
            arguments, end = self._argument_list(name_end)
            return ast.Attribute(name, arguments, True, self.source, at, name_start), end
        return ast.Attribute(name, ast.NO_ARGUMENTS, False, self.source, at, name_start), name_end

    def _attribute_with_one_value(
        self, piece: re.Match[str], kind: int, shift: int
    ) -> ast.Attribute:
        """`@name(value)` with a plain value (`kind`: its group, before `shift`)."""
        source = self.source
        value: ast.Expression
        group = kind + shift
        value_start = piece.start(group)
        if kind == _STRING_VALUE:
            raw = piece.group(group)
            value = ast.StringValue(raw[1:-1], raw, source, value_start)
        elif kind == _NUMBER_VALUE:
            value = ast.NumericValue(piece.group(group), source, value_start)
        elif kind == _CONSTANT_VALUE:
            value = ast.ConstantValue(intern(piece.group(group)), source, value_start)
        else:  # _CALL_PARENTHESES: `name()`
            call_end = piece.end(group)
            name_group = _CONSTANT_VALUE + shift
            no_arguments = ast.ArgumentList([], [], False, source, call_end - 2, call_end)
            value = ast.FunctionCall(
                intern(piece.group(name_group)), no_arguments, source, piece.start(name_group)
            )
        name_group = _ATTRIBUTE_NAME + shift
        name_start = piece.start(name_group)
        arguments = ast.ArgumentList(
            [ast.Argument(None, value)], [], False, source, piece.end(name_group), piece.end()
        )
        name = intern(piece.group(name_group))
        return ast.Attribute(name, arguments, True, source, name_start - 1, name_start)

    def _skip(self, pos: int) -> int:
        """The offset of the first character at or after `pos` that is not a space or tab."""
        text = self.text
        while text[pos] == " " or text[pos] == "\t":
            pos += 1
        return pos

    def _separator(self, pos: int, close: str) -> tuple[int, bool]:
        """After a list item: past `,` and spaces (True), or at `close` (False)."""
        text = self.text
        char = text[pos]
        if char == " " or char == "\t":
            pos = self._skip(pos)
            char = text[pos]
        if char == ",":
            pos += 1
            while text[pos] == " " or text[pos] == "\t":
                pos += 1
            return pos, True
        if char != close:
            raise NotFast
        return pos, False

    def _argument_list(self, open_paren: int) -> tuple[ast.ArgumentList, int]:
        text = self.text
        arguments: list[ast.Argument] = []
        trailing_comma = False
        pos = open_paren + 1
        while text[pos] == " " or text[pos] == "\t":
            pos += 1
        while text[pos] != ")":
            argument, pos = self._argument(pos)
            arguments.append(argument)
            pos, trailing_comma = self._separator(pos, ")")
        end = pos + 1
        return ast.ArgumentList(arguments, [], trailing_comma, self.source, open_paren, end), end

    def _argument(self, pos: int) -> tuple[ast.Argument, int]:
        text = self.text
        named = _ARGUMENT_NAME.match(text, pos)
        if named is not None:  # `name: value`, the usual spelling
            value_start = named.end()
            if text[value_start] in ",)":
                raise NotFast  # `name:` with no value: the general parser reports it
            value, end = self._expression(value_start)
            identifier = ast.Identifier(intern(named.group(1)), self.source, pos)
            return ast.Argument(identifier, value), end
        if text[pos] in _IDENT_START:
            name = _PATH.match(text, pos)
            assert name is not None
            name_end = name.end()
            colon = name_end if text[name_end] == ":" else self._skip(name_end)
            if text[colon] == ":":
                if "." in name.group():
                    raise NotFast
                value_start = colon + 1
                while text[value_start] == " " or text[value_start] == "\t":
                    value_start += 1
                if text[value_start] in ",)":
                    raise NotFast  # `name:` with no value: the general parser reports it
                value, end = self._expression(value_start)
                return ast.Argument(
                    ast.Identifier(intern(name.group()), self.source, pos), value
                ), end
        value, end = self._expression(pos)
        return ast.Argument(None, value), end

    def _expression(self, pos: int) -> tuple[ast.Expression, int]:
        text = self.text
        char = text[pos]
        if char == '"':
            match = _STRING.match(text, pos)
            if match is None:
                raise NotFast
            raw = match.group()
            end = match.end()
            return ast.StringValue(unescape_string(raw), raw, self.source, pos), end
        if char in _IDENT_START:
            match = _PATH.match(text, pos)
            assert match is not None
            end = match.end()
            if text[end] == "(":
                arguments, call_end = self._argument_list(end)
                return ast.FunctionCall(
                    intern(match.group()), arguments, self.source, pos
                ), call_end
            return ast.ConstantValue(intern(match.group()), self.source, pos), end
        if char in _NUMBER_START:
            match = _NUMBER.match(text, pos)
            if match is None:
                raise NotFast
            end = match.end()
            return ast.NumericValue(match.group(), self.source, pos), end
        if char == "[":
            return self._array(pos)
        raise NotFast

    def _array(self, open_bracket: int) -> tuple[ast.ArrayExpression, int]:
        names = _NAME_ARRAY.match(self.text, open_bracket)
        if names is not None:
            return self._name_array(open_bracket, names)
        text = self.text
        items: list[ast.Expression] = []
        pos = open_bracket + 1
        while text[pos] == " " or text[pos] == "\t":
            pos += 1
        while text[pos] != "]":
            item, pos = self._expression(pos)
            items.append(item)
            pos, _ = self._separator(pos, "]")
        end = pos + 1
        return ast.ArrayExpression(items, self.source, open_bracket, end), end

    def _name_array(
        self, open_bracket: int, names: re.Match[str]
    ) -> tuple[ast.ArrayExpression, int]:
        """`[a, b]`, the usual array (`fields:`, `references:`, index fields), matched by
        `_NAME_ARRAY`: its items are read by splitting, not one by one."""
        source = self.source
        items: list[ast.Expression] = []
        pos = open_bracket + 1
        for name in names.group(1).split(", "):
            items.append(ast.ConstantValue(intern(name), source, pos))
            pos += len(name) + 2
        end = names.end()
        return ast.ArrayExpression(items, source, open_bracket, end), end
