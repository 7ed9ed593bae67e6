"""Changes → a migration script: one `-- Step` comment per change, Prisma's layout."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from schemamend.diff.changes import Change

EMPTY_MIGRATION = "-- This is an empty migration.\n"


@dataclass(frozen=True, slots=True)
class RenderedStep:
    """The SQL of one change, linked to the change it came from."""

    change: Change
    statements: tuple[str, ...]

    def text(self) -> str:
        return f"-- {self.change.STEP}\n" + "".join(f"{s};\n" for s in self.statements)


def render_steps(
    changes: Sequence[Change], render: Callable[[Change], list[str]]
) -> list[RenderedStep]:
    return [RenderedStep(change, tuple(render(change))) for change in changes]


def migration_script(steps: Sequence[RenderedStep]) -> str:
    """The text of a `migration.sql` file."""
    if not steps:
        return EMPTY_MIGRATION
    return "\n".join(step.text() for step in steps)
