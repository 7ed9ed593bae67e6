"""Validation and lowering: parsed files → `Datamodel` (or diagnostics).

Pipeline (each pass adds diagnostics and goes on):
configuration blocks → names (symbol table, duplicates) → types → attributes
(ids, defaults, native types, indexes, maps) → relations → lowering.
"""

from __future__ import annotations

from schemamend.errors import Diagnostic
from schemamend.model.datamodel import Datamodel
from schemamend.psl import ast


def validate_schema(files: list[ast.SchemaFile], diagnostics: list[Diagnostic]) -> Datamodel | None:
    """Validate parsed files; append every diagnostic found to `diagnostics`.

    Returns the datamodel when there is no error (warnings allowed), else None.
    """
    raise NotImplementedError("validation pipeline is being written")
