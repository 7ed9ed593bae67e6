"""`schemamend format`: rewrite schema files as `prisma format` does."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from schemamend.psl.format import format_sources
from schemamend.psl.loader import find_schema_path, read_schema_sources


@dataclass(frozen=True)
class FormattedFile:
    path: Path
    changed: bool


@dataclass(frozen=True)
class FormatReport:
    files: tuple[FormattedFile, ...]
    elapsed_ms: float

    @property
    def changed(self) -> list[FormattedFile]:
        return [f for f in self.files if f.changed]


def format_schema_files(schema: str | None = None, *, write: bool = True, cwd: Path | None = None) -> FormatReport:
    """Format every file of the schema; with `write`, save the files that change."""
    start = time.perf_counter()
    path = find_schema_path(schema, cwd)
    sources = read_schema_sources(path)
    outputs = format_sources(sources)
    files = []
    for source, text in zip(sources, outputs, strict=True):
        changed = text != source.text
        if changed and write:
            Path(source.path).write_text(text, encoding="utf-8")
        files.append(FormattedFile(Path(source.path), changed))
    return FormatReport(tuple(files), (time.perf_counter() - start) * 1000)
