"""Shared state of one validation run: the parsed files, the symbol table and
the diagnostics collected so far. Passes read it and add diagnostics; none of
them stops at the first error."""

from __future__ import annotations

from dataclasses import dataclass, field

from schemamend.diagnostics import Diagnostic, Severity, Span
from schemamend.model.datamodel import Datasource, Generator
from schemamend.psl import ast


@dataclass
class Context:
    files: list[ast.SchemaFile]
    diagnostics: list[Diagnostic] = field(default_factory=list)
    datasource: Datasource | None = None
    generators: list[Generator] = field(default_factory=list)
    preview_features: set[str] = field(default_factory=set)
    # symbol table: first declaration of each name wins (duplicates are reported)
    models: dict[str, ast.Block] = field(default_factory=dict)  # models and views
    enums: dict[str, ast.Block] = field(default_factory=dict)
    composite_types: dict[str, ast.Block] = field(default_factory=dict)

    # ── diagnostics ──────────────────────────────────────────────────────

    def error(self, message: str, span: Span | None) -> None:
        self.diagnostics.append(Diagnostic(Severity.ERROR, message, span))

    def warning(self, message: str, span: Span | None) -> None:
        self.diagnostics.append(Diagnostic(Severity.WARNING, message, span, code=""))

    @property
    def has_errors(self) -> bool:
        return any(d.is_error for d in self.diagnostics)

    # ── provider facts ───────────────────────────────────────────────────

    @property
    def provider(self) -> str | None:
        """The datasource's SQL family ("postgresql", "mysql", "sqlite", ...) or None."""
        return self.datasource.family if self.datasource else None

    @property
    def relation_mode(self) -> str:
        return self.datasource.relation_mode if self.datasource else "foreignKeys"

    # ── names ────────────────────────────────────────────────────────────

    def blocks(self) -> list[ast.Block]:
        return [b for f in self.files for b in f.blocks]


def mapped_name(attributes: list[ast.Attribute], attribute_name: str) -> str | None:
    """The string given to `@map("x")` / `@@map("x")` (or `name: "x"`), if any."""
    for attr in attributes:
        if attr.name != attribute_name:
            continue
        for arg in attr.arguments.arguments:
            if (arg.name is None or arg.name.name == "name") and isinstance(
                arg.value, ast.StringValue
            ):
                return arg.value.value
    return None
