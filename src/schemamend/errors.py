"""The errors every stage raises: a stable code, a message and an optional hint.

Diagnostics about schema files (`Diagnostic`, `Span`, `SourceFile`) live in
`schemamend.diagnostics`.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing at start-up
if TYPE_CHECKING:
    from schemamend.diagnostics import Diagnostic


class SchemamendError(Exception):
    """Base error: a stable code, a message and an optional hint for the user."""

    code = "SM000"
    exit_code = 1

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class SchemaInputError(SchemamendError):
    """The schema could not be read (missing file, empty folder, bad encoding)."""

    code = "SM001"


class SchemaInvalidError(SchemamendError):
    """The schema was read but has errors; `diagnostics` holds all of them."""

    code = "P1012"

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        errors = [d for d in diagnostics if d.is_error]
        super().__init__(f"the schema has {len(errors)} validation error(s)")
        self.diagnostics = diagnostics
