"""Changes → a migration script: one `-- Step` comment per step, Prisma's layout.

A step is usually one change. Dialects that alter several columns in one
statement (PostgreSQL: `ALTER TABLE t DROP COLUMN a,\nADD COLUMN b ...`) pass
`render_alter_table`; then consecutive column changes of one table (with the
primary key dropped before them and added after) become one `-- AlterTable`
step linked to all of them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from schemamend.diff.changes import (
    AddColumn,
    AddPrimaryKey,
    AlterColumn,
    Change,
    DropColumn,
    DropPrimaryKey,
)

EMPTY_MIGRATION = "-- This is an empty migration.\n"

ColumnChange = AddColumn | DropColumn | AlterColumn
# What one ALTER TABLE statement holds: the key dropped, the column changes, the key added.
AlterTableChange = AddColumn | DropColumn | AlterColumn | DropPrimaryKey | AddPrimaryKey
RenderAlterTable = Callable[[Sequence[AlterTableChange]], list[str]]


@dataclass(frozen=True, slots=True)
class RenderedStep:
    """The SQL of one step, linked to the change(s) it came from (`change` is the first)."""

    change: Change
    statements: tuple[str, ...]
    grouped: tuple[Change, ...] = ()

    @property
    def changes(self) -> tuple[Change, ...]:
        return self.grouped or (self.change,)

    def text(self) -> str:
        return f"-- {self.change.STEP}\n" + "".join(f"{s};\n" for s in self.statements)


def render_steps(
    changes: Sequence[Change],
    render: Callable[[Change], list[str]],
    render_alter_table: RenderAlterTable | None = None,
) -> list[RenderedStep]:
    if render_alter_table is None:
        return [RenderedStep(change, tuple(render(change))) for change in changes]
    steps: list[RenderedStep] = []
    for group in _group_column_changes(changes):
        if len(group) == 1 and not isinstance(group[0], AlterTableChange):
            steps.append(RenderedStep(group[0], tuple(render(group[0]))))
        else:
            columns = [c for c in group if isinstance(c, AlterTableChange)]
            steps.append(RenderedStep(group[0], tuple(render_alter_table(columns)), tuple(group)))
    return steps


def _group_column_changes(changes: Sequence[Change]) -> list[list[Change]]:
    """Consecutive column (and primary-key) changes of one table together; every other change alone."""
    groups: list[list[Change]] = []
    for change in changes:
        last = groups[-1][-1] if groups else None
        if (
            isinstance(change, AlterTableChange)
            and isinstance(last, AlterTableChange)
            and last.table == change.table
        ):
            groups[-1].append(change)
        else:
            groups.append([change])
    return groups


def migration_script(steps: Sequence[RenderedStep]) -> str:
    """The text of a `migration.sql` file."""
    if not steps:
        return EMPTY_MIGRATION
    return "\n".join(step.text() for step in steps)
