"""`schemamend format`: rewrite schema files as `prisma format` does.

As Prisma does, the formatted text is validated before anything is written:
a schema with errors is reported and left untouched (warnings do not stop it).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from schemamend.diagnostics import Diagnostic
from schemamend.errors import SchemaInvalidError
from schemamend.psl.format import format_for_write
from schemamend.psl.loader import find_schema_path, read_schema_sources


@dataclass(frozen=True)
class FormattedFile:
    path: Path
    changed: bool


@dataclass(frozen=True)
class FormatReport:
    schema_path: Path
    files: tuple[FormattedFile, ...]
    warnings: tuple[Diagnostic, ...]
    elapsed_ms: float

    @property
    def changed(self) -> list[FormattedFile]:
        return [f for f in self.files if f.changed]


def format_schema_files(
    schema: str | None = None, *, write: bool = True, cwd: Path | None = None
) -> FormatReport:
    """Format every file of the schema; with `write`, save the files that change.

    Raises SchemaInvalidError (with every diagnostic) when the formatted schema
    has errors; nothing is written then.
    """
    start = time.perf_counter()
    path = find_schema_path(schema, cwd)
    sources = read_schema_sources(path)
    outcome = format_for_write(sources)
    if any(d.is_error for d in outcome.diagnostics):
        raise SchemaInvalidError(list(outcome.diagnostics))
    files = []
    for source, text in zip(sources, outcome.texts, strict=True):
        changed = text != source.text
        if changed and write:
            Path(source.path).write_text(text, encoding="utf-8")
        files.append(FormattedFile(Path(source.path), changed))
    warnings = tuple(d for d in outcome.diagnostics if not d.is_error)
    return FormatReport(path, tuple(files), warnings, (time.perf_counter() - start) * 1000)
