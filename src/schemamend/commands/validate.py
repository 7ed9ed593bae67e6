"""`schemamend validate`: read, parse and validate a schema."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from schemamend.diagnostics import Diagnostic
from schemamend.model.datamodel import Datamodel, RelationKind
from schemamend.psl import load_schema
from schemamend.psl.loader import find_schema_path


@dataclass
class ValidateReport:
    schema_path: Path
    diagnostics: list[Diagnostic]
    datamodel: Datamodel | None

    @property
    def ok(self) -> bool:
        return self.datamodel is not None and not any(d.is_error for d in self.diagnostics)

    def counts(self) -> dict[str, int]:
        if self.datamodel is None:
            return {}
        dm = self.datamodel
        return {
            "models": sum(1 for m in dm.models if not m.is_view),
            "views": sum(1 for m in dm.models if m.is_view),
            "enums": len(dm.enums),
            "relations": len(dm.relations),
            "manyToMany": sum(1 for r in dm.relations if r.kind is RelationKind.MANY_TO_MANY),
        }

    def provider(self) -> str | None:
        if self.datamodel is None or self.datamodel.datasource is None:
            return None
        return self.datamodel.datasource.provider


def validate(schema: str | None = None, cwd: Path | None = None) -> ValidateReport:
    """Validate the schema at `schema` (or the default location); raises SchemaInputError."""
    path = find_schema_path(schema, cwd)
    result = load_schema(path)
    datamodel = result.datamodel if result.ok else None
    return ValidateReport(path, result.diagnostics, datamodel)
