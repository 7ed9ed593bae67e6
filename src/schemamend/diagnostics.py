"""Diagnostics: errors and warnings about schema files, with where they point.

A `Diagnostic` points into a `SourceFile` through a `Span` (byte-free: offsets
are indices into the decoded text). Rendering follows Prisma's layout so that
our messages can be compared with Prisma's fixtures word for word.

Apart from `errors.py` (the exceptions every stage raises), so that a process that
never reads a schema file (introspection) does not create these records at start-up.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(slots=True)
class SourceFile:
    """One schema file: its path as shown to the user and its text."""

    path: str
    text: str
    _line_starts: list[int] = field(default_factory=list, repr=False, compare=False)

    def line_starts(self) -> list[int]:
        if not self._line_starts:
            starts = [0]
            find = self.text.find
            pos = find("\n")
            while pos != -1:
                starts.append(pos + 1)
                pos = find("\n", pos + 1)
            self._line_starts = starts
        return self._line_starts

    def line_col(self, offset: int) -> tuple[int, int]:
        """1-based line and column of an offset."""
        starts = self.line_starts()
        index = bisect.bisect_right(starts, offset) - 1
        return index + 1, offset - starts[index] + 1

    def line_text(self, line: int) -> str:
        starts = self.line_starts()
        begin = starts[line - 1]
        end = starts[line] - 1 if line < len(starts) else len(self.text)
        return self.text[begin:end].rstrip("\r")


@dataclass(slots=True)
class Span:
    """A half-open range [start, end) of offsets in one source file."""

    file: SourceFile
    start: int
    end: int

    def merge(self, other: Span) -> Span:
        return Span(self.file, min(self.start, other.start), max(self.end, other.end))

    @property
    def line(self) -> int:
        return self.file.line_col(self.start)[0]

    @property
    def column(self) -> int:
        return self.file.line_col(self.start)[1]

    def text(self) -> str:
        return self.file.text[self.start : self.end]


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """An error or warning about a schema, with the span it points at (None: no location)."""

    severity: Severity
    message: str
    span: Span | None = None
    code: str = "P1012"

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def location(self) -> dict[str, object]:
        if self.span is None:
            return {}
        line, column = self.span.file.line_col(self.span.start)
        end_line, end_column = self.span.file.line_col(self.span.end)
        return {
            "file": self.span.file.path,
            "line": line,
            "column": column,
            "endLine": end_line,
            "endColumn": end_column,
        }

    def render(self, *, caret: bool = False, file_label: str | None = None) -> str:
        """Prisma's plain-text layout: message, `-->  file:line`, context lines.

        The context shows the line before the span and every line the span
        touches. With `caret`, a line of `^` marks a single-line span (Prisma
        uses colour instead, which our fixture comparison cannot see).
        """
        head = f"{self.severity.value}: {self.message}"
        if self.span is None:
            return head
        src = self.span.file
        start_line, start_col = src.line_col(self.span.start)
        end_line, _ = src.line_col(self.span.end)
        first = max(1, start_line - 1)
        last = max(start_line, end_line)
        last = min(last, len(src.line_starts()))
        width = 2  # Prisma pads line numbers to two columns; longer numbers overflow the gutter
        pad = " " * width
        label = file_label if file_label is not None else src.path
        out = [head, f"  -->  {label}:{start_line}", f"{pad} | "]
        if start_line == 1:
            out.append(f"{pad} | ")  # Prisma shows an empty "line 0" before the first line
        for number in range(first, last + 1):
            out.append(f"{number:>{width}} | {src.line_text(number)}")
            if caret and number == start_line and end_line == start_line:
                length = max(1, self.span.end - self.span.start)
                out.append(f"{pad} | {' ' * (start_col - 1)}{'^' * length}")
        out.append(f"{pad} | ")
        return "\n".join(out)
