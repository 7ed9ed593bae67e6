"""Tokenizer for the Prisma schema language.

One compiled pattern scans the whole file; tokens are plain tuples
`(kind, start, end)` because millions of small objects would dominate the
parse time of large schemas.
"""

from __future__ import annotations

import re
from typing import Final

NEWLINE: Final = "NL"
DOC: Final = "DOC"
COMMENT: Final = "COMMENT"
BLOCK_COMMENT: Final = "BCOMMENT"
STRING: Final = "STR"
BAD_STRING: Final = "BADSTR"
NUMBER: Final = "NUM"
IDENT: Final = "ID"
ATAT: Final = "ATAT"
EOF: Final = "EOF"
UNKNOWN: Final = "?CHAR"

Token = tuple[str, int, int]

_PUNCT = "@{}()[],:=?!."

_PATTERN = re.compile(
    r"""
    (?P<WS>[ \t\f\v\ufeff]+)
  | (?P<NL>\r?\n|\r)
  | (?P<BCOMMENT>/\*.*?\*/)
  | (?P<DOC>///[^\r\n]*)
  | (?P<COMMENT>//[^\r\n]*)
  | (?P<STR>"(?:[^"\\\r\n]|\\.)*")
  | (?P<BADSTR>"(?:[^"\\\r\n]|\\.)*)
  | (?P<NUM>-?[0-9]+(?:\.[0-9]+)?(?![A-Za-z_]))
  | (?P<ID>\w[\w\-]*)
  | (?P<ATAT>@@)
  | (?P<P>[@{}()\[\],:=?!.])
  | (?P<X>.)
    """,
    re.VERBOSE | re.DOTALL,
)


def tokenize(text: str) -> list[Token]:
    """All tokens but whitespace, ending with one EOF token."""
    tokens: list[Token] = []
    append = tokens.append
    for match in _PATTERN.finditer(text):
        kind = match.lastgroup
        if kind == "WS":
            continue
        start, end = match.span()
        if kind == "P":
            append((text[start], start, end))
        elif kind == "X":
            append((UNKNOWN, start, end))
        else:
            append((kind or UNKNOWN, start, end))
    append((EOF, len(text), len(text)))
    return tokens


def tokenize_range(text: str, start: int, end: int) -> list[Token]:
    """Tokens of text[start:end] (absolute offsets), without whitespace and newlines."""
    tokens: list[Token] = []
    append = tokens.append
    for match in _PATTERN.finditer(text, start, end):
        kind = match.lastgroup
        if kind == "WS" or kind == "NL":
            continue
        tok_start, tok_end = match.span()
        if kind == "P":
            append((text[tok_start], tok_start, tok_end))
        elif kind == "X":
            append((UNKNOWN, tok_start, tok_end))
        else:
            append((kind or UNKNOWN, tok_start, tok_end))
    return tokens


def end_of_line_with_block_comments(text: str, start: int) -> int:
    """End of the line starting at `start`, extended over `/* */` comments that span lines."""
    for match in _PATTERN.finditer(text, start):
        if match.lastgroup == "NL":
            return match.end()
    return len(text)


_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "0": "\0", "/": "/"}


def unescape_string(raw: str) -> str:
    """The value of a quoted string literal (`raw` includes the quotes)."""
    body = raw[1:-1]
    if "\\" not in body:
        return body
    out: list[str] = []
    i = 0
    while i < len(body):
        ch = body[i]
        if ch != "\\" or i + 1 >= len(body):
            out.append(ch)
            i += 1
            continue
        nxt = body[i + 1]
        if (
            nxt == "u"
            and i + 5 < len(body) + 0
            and re.fullmatch(r"[0-9a-fA-F]{4}", body[i + 2 : i + 6])
        ):
            out.append(chr(int(body[i + 2 : i + 6], 16)))
            i += 6
            continue
        out.append(_ESCAPES.get(nxt, nxt))
        i += 2
    return "".join(out)
