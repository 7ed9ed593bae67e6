"""The Prisma schema language front end: read, parse, validate, lower.

result = load_schema(Path("prisma/schema.prisma"))
if result.ok: use result.datamodel
else: report result.diagnostics
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from schemamend.collector import collector_paused
from schemamend.diagnostics import Diagnostic, SourceFile
from schemamend.errors import SchemaInvalidError
from schemamend.model.datamodel import Datamodel
from schemamend.psl import ast
from schemamend.psl.loader import read_schema_sources
from schemamend.psl.parser import parse_source


@dataclass
class SchemaResult:
    files: list[ast.SchemaFile]
    diagnostics: list[Diagnostic]
    datamodel: Datamodel | None

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.is_error]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if not d.is_error]

    @property
    def ok(self) -> bool:
        return self.datamodel is not None and not self.errors

    def require(self) -> Datamodel:
        """The datamodel, or SchemaInvalidError carrying every diagnostic."""
        if self.datamodel is None or self.errors:
            raise SchemaInvalidError(self.diagnostics)
        return self.datamodel


def parse_sources(sources: list[SourceFile]) -> tuple[list[ast.SchemaFile], list[Diagnostic]]:
    files: list[ast.SchemaFile] = []
    diagnostics: list[Diagnostic] = []
    for source in sources:
        tree, diags = parse_source(source)
        files.append(tree)
        diagnostics.extend(diags)
    return files, diagnostics


def check_sources(sources: list[SourceFile]) -> SchemaResult:
    """Parse and validate in-memory sources (one or many files of one schema)."""
    from schemamend.psl.validate import validate_schema

    with collector_paused(freeze=True):
        files, diagnostics = parse_sources(sources)
        datamodel = validate_schema(files, diagnostics)
    return SchemaResult(files, diagnostics, datamodel)


def check_text(text: str, path: str = "schema.prisma") -> SchemaResult:
    return check_sources([SourceFile(path, text)])


def load_schema(path: Path) -> SchemaResult:
    """Read a schema file or folder, parse and validate it (SchemaInputError if unreadable)."""
    return check_sources(read_schema_sources(path))
