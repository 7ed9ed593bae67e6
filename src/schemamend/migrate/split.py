"""Splitting a migration script into statements, with their line numbers.

Databases run one statement at a time here (so that a failure names the
statement and its lines, and so that SQLite does not need `executescript`).
The splitter knows each family's quoting and comment rules: strings,
quoted identifiers, dollar quotes (PostgreSQL), `#` comments and backslash
escapes (MySQL), and bodies whose semicolons do not end the statement
(SQLite `CREATE TRIGGER ... BEGIN ... END`, PostgreSQL `BEGIN ATOMIC ... END`).
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from schemamend.db.url import Family


@dataclass(frozen=True, slots=True)
class SplitRules:
    dollar_quotes: bool = False
    e_strings: bool = False  # E'...' with backslash escapes
    backslash_escapes: bool = False  # in every '...' and "..." string
    double_quote_is_string: bool = False
    hash_comments: bool = False
    dash_comment_needs_space: bool = False  # MySQL: `--` starts a comment only before a space
    nested_block_comments: bool = False
    backtick_identifiers: bool = False
    bracket_identifiers: bool = False
    trigger_bodies: bool = False  # SQLite CREATE TRIGGER ... BEGIN ... END
    atomic_bodies: bool = False  # PostgreSQL BEGIN ATOMIC ... END


RULES: dict[Family, SplitRules] = {
    Family.POSTGRESQL: SplitRules(
        dollar_quotes=True, e_strings=True, nested_block_comments=True, atomic_bodies=True
    ),
    Family.MYSQL: SplitRules(
        backslash_escapes=True,
        double_quote_is_string=True,
        hash_comments=True,
        dash_comment_needs_space=True,
        backtick_identifiers=True,
    ),
    Family.SQLITE: SplitRules(
        backtick_identifiers=True, bracket_identifiers=True, trigger_bodies=True
    ),
}


@dataclass(frozen=True, slots=True)
class Statement:
    index: int  # 1-based position in the script
    text: str  # from its first token to its end, without the terminating semicolon
    start_line: int  # 1-based line of the first token
    end_line: int

    @property
    def lines(self) -> str:
        if self.start_line == self.end_line:
            return f"line {self.start_line}"
        return f"lines {self.start_line}-{self.end_line}"

    def keywords(self, count: int = 3) -> tuple[str, ...]:
        """The first words, upper-cased (comments skipped): ("CREATE", "INDEX", ...)."""
        return tuple(_leading_words(self.text, count))

    def summary(self, width: int = 80) -> str:
        """The statement on one line, shortened to `width` characters."""
        one_line = " ".join(_strip_comments(self.text).split())
        return one_line if len(one_line) <= width else one_line[: width - 3] + "..."


def split_statements(script: str, family: Family) -> list[Statement]:
    return _Splitter(script, RULES[family]).run()


_WORD_START = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_")
_WORD_CHARS = _WORD_START | frozenset("0123456789$")


class _Splitter:
    def __init__(self, script: str, rules: SplitRules) -> None:
        self.s = script
        self.r = rules
        self.n = len(script)
        self.line_starts = [0] + [i + 1 for i, ch in enumerate(script) if ch == "\n"]
        self.statements: list[Statement] = []
        self._reset()

    def _reset(self) -> None:
        self.start: int | None = None  # offset of the statement's first token
        self.words: list[str] = []  # leading words of the statement (a few suffice)
        self.depth = 0  # open BEGIN/CASE bodies
        self.in_body_kind = False  # statement is a trigger / has BEGIN ATOMIC
        self._last_word = ""

    def line_of(self, offset: int) -> int:
        return bisect.bisect_right(self.line_starts, offset)

    def run(self) -> list[Statement]:
        i = 0
        s, n = self.s, self.n
        while i < n:
            ch = s[i]
            nxt = s[i + 1] if i + 1 < n else ""
            if ch in " \t\r\n\f\v":
                i += 1
            elif (
                ch == "-"
                and nxt == "-"
                and self._dash_comment(i)
                or ch == "#"
                and self.r.hash_comments
            ):
                i = self._skip_to_eol(i)
            elif ch == "/" and nxt == "*":
                i = self._skip_block_comment(i)
            elif ch == ";" and self.depth == 0:
                self._finish(i)
                i += 1
            else:
                self._mark(i)
                i = self._token(i)
        self._finish(n)
        return self.statements

    # -- pieces

    def _mark(self, i: int) -> None:
        if self.start is None:
            self.start = i

    def _finish(self, end: int) -> None:
        if self.start is not None:
            text = self.s[self.start : end].rstrip()
            last = self.start + len(text) - 1
            self.statements.append(
                Statement(
                    len(self.statements) + 1, text, self.line_of(self.start), self.line_of(last)
                )
            )
        self._reset()

    def _dash_comment(self, i: int) -> bool:
        if not self.r.dash_comment_needs_space:
            return True
        after = self.s[i + 2] if i + 2 < self.n else "\n"
        return after in " \t\r\n\f\v"

    def _skip_to_eol(self, i: int) -> int:
        end = self.s.find("\n", i)
        return self.n if end == -1 else end + 1

    def _skip_block_comment(self, i: int) -> int:
        depth = 0
        j = i
        while j < self.n:
            if self.s.startswith("/*", j):
                depth = depth + 1 if self.r.nested_block_comments or depth == 0 else depth
                j += 2
            elif self.s.startswith("*/", j):
                depth -= 1
                j += 2
                if depth == 0:
                    return j
            else:
                j += 1
        return self.n

    def _token(self, i: int) -> int:
        s, ch = self.s, self.s[i]
        if ch == "'":
            return self._skip_quoted(i, "'", self.r.backslash_escapes)
        if ch == '"':
            return self._skip_quoted(
                i, '"', self.r.backslash_escapes and self.r.double_quote_is_string
            )
        if ch == "`" and self.r.backtick_identifiers:
            return self._skip_quoted(i, "`", False)
        if ch == "[" and self.r.bracket_identifiers:
            end = s.find("]", i + 1)
            return self.n if end == -1 else end + 1
        if ch == "$" and self.r.dollar_quotes and not self._after_word_char(i):
            dollar_end = self._skip_dollar_quote(i)
            return dollar_end if dollar_end is not None else i + 1
        if ch in _WORD_START:
            j = i + 1
            while j < self.n and s[j] in _WORD_CHARS:
                j += 1
            if ch in "Ee" and j == i + 1 and j < self.n and s[j] == "'" and self.r.e_strings:
                return self._skip_quoted(j, "'", True)
            self._word(s[i:j].upper())
            return j
        return i + 1

    def _after_word_char(self, i: int) -> bool:
        return i > 0 and self.s[i - 1] in _WORD_CHARS

    def _skip_quoted(self, i: int, quote: str, backslashes: bool) -> int:
        j = i + 1
        s, n = self.s, self.n
        while j < n:
            c = s[j]
            if backslashes and c == "\\":
                j += 2
                continue
            if c == quote:
                if j + 1 < n and s[j + 1] == quote:  # doubled quote
                    j += 2
                    continue
                return j + 1
            j += 1
        return n

    def _skip_dollar_quote(self, i: int) -> int | None:
        j = i + 1
        s = self.s
        while j < self.n and (s[j] in _WORD_CHARS and s[j] != "$"):
            j += 1
        if j >= self.n or s[j] != "$" or (j > i + 1 and s[i + 1].isdigit()):
            return None
        tag = s[i : j + 1]
        end = s.find(tag, j + 1)
        return self.n if end == -1 else end + len(tag)

    def _word(self, word: str) -> None:
        words = self.words
        if len(words) < 4:
            words.append(word)
            if self.r.trigger_bodies and _is_trigger_head(words):
                self.in_body_kind = True
        if self.r.atomic_bodies and word == "ATOMIC" and self._last_word == "BEGIN":
            self.in_body_kind = True
            self.depth += 1
        elif self.in_body_kind:
            if word == "BEGIN" and self.r.trigger_bodies or word == "CASE" and self.depth > 0:
                self.depth += 1
            elif word == "END" and self.depth > 0:
                self.depth -= 1
        self._last_word = word


def _is_trigger_head(words: list[str]) -> bool:
    if words[:2] == ["CREATE", "TRIGGER"]:
        return True
    return (
        len(words) >= 3
        and words[0] == "CREATE"
        and words[1] in ("TEMP", "TEMPORARY")
        and words[2] == "TRIGGER"
    )


def _strip_comments(text: str) -> str:
    lines = [line for line in text.splitlines() if not line.lstrip().startswith(("--", "#"))]
    return "\n".join(lines)


def _leading_words(text: str, count: int) -> list[str]:
    words: list[str] = []
    for token in _strip_comments(text).replace("(", " ").replace(";", " ").split():
        words.append(token.upper())
        if len(words) == count:
            break
    return words
