"""`schemamend check`: the guard for CI and pre-commit hooks.

    report = check("prisma/schema.prisma")              # exit_code 0 only when all conditions hold
    report.first_failure.evidence, report.first_failure.fix

The conditions, in order:
1. the migrations folder replays from an empty database without error;
2. what it builds equals the schema file (no change is missing a migration);
3. no applied migration file was edited since it was applied (only with a URL);
4. `schemamend lint` finds nothing at error level (when the lint is installed).

Every condition that can run is run; the first failing one is the headline,
with its evidence and the command that fixes it. Nothing here prints.
"""

from __future__ import annotations

import shlex
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from schemamend.commands.dev import DevInputs, HistoryReplay, read_dev_state
from schemamend.diff import changes as ch
from schemamend.safety import describe_step
from schemamend.safety import steps as rs

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_FAILED = 2


class Status(StrEnum):
    PASSED = "passed"
    FAILED = "failed"
    SKIPPED = "skipped"


@dataclass(frozen=True)
class Condition:
    number: int
    title: str
    status: Status
    evidence: tuple[str, ...] = ()  # failed: what shows it; skipped: why
    fix: str | None = None  # the command (or action) that fixes it

    def to_json(self) -> dict[str, object]:
        return {
            "condition": self.number,
            "title": self.title,
            "status": self.status.value,
            "evidence": list(self.evidence),
            "fix": self.fix,
        }


TITLES = {
    1: "the migrations folder replays from an empty database",
    2: "history builds exactly the schema file",
    3: "no applied migration was edited",
    4: "lint finds nothing at error level",
}


@dataclass
class CheckReport:
    schema_path: Path
    migrations_dir: Path
    migrations: int
    conditions: list[Condition] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(c.status is not Status.FAILED for c in self.conditions)

    @property
    def first_failure(self) -> Condition | None:
        return next((c for c in self.conditions if c.status is Status.FAILED), None)

    @property
    def exit_code(self) -> int:
        return EXIT_OK if self.ok else EXIT_FAILED

    def to_json(self) -> dict[str, object]:
        first = self.first_failure
        return {
            "ok": self.ok,
            "schema": str(self.schema_path),
            "migrationsDir": str(self.migrations_dir),
            "migrations": self.migrations,
            "firstFailure": first.number if first else None,
            "conditions": [c.to_json() for c in self.conditions],
        }


def check(
    schema: str | None = None,
    *,
    url: str | None = None,
    shadow_database_url: str | None = None,
    cwd: Path | None = None,
    environ: Mapping[str, str] | None = None,
) -> CheckReport:
    """Run the four conditions (see the module docstring)."""
    state = read_dev_state(schema, url, shadow_database_url, cwd, environ)
    inputs, history = state.inputs, state.history
    report = CheckReport(inputs.schema_path, inputs.migrations_dir, len(history.folder.migrations))
    commands = _Commands(schema, url, shadow_database_url)
    report.conditions.append(_replays(history, inputs, commands))
    if history.schema is None:
        report.conditions.append(
            Condition(2, TITLES[2], Status.SKIPPED, ("history does not replay",))
        )
    else:
        steps = state.steps(history.schema)
        report.conditions.append(_builds_schema(steps, commands))
    report.conditions.append(_unedited(schema, url, cwd, environ, commands))
    report.conditions.append(_lint_clean(schema, url, cwd, environ, commands))
    return report


@dataclass(frozen=True)
class _Commands:
    """The command lines printed as fixes, with the options the user gave."""

    schema: str | None
    url: str | None
    shadow_database_url: str | None

    def line(self, verb: str, *extra: str, url: bool = False) -> str:
        parts = ["schemamend", *verb.split(), *extra]
        if self.schema:
            parts += ["--schema", self.schema]
        if url and self.url:
            parts += ["--url", self.url]
        if self.shadow_database_url and verb != "lint":
            parts += ["--shadow-database-url", self.shadow_database_url]
        return shlex.join(parts)


def _replays(history: HistoryReplay, inputs: DevInputs, commands: _Commands) -> Condition:
    failure = history.failure
    if failure is None:
        return Condition(1, TITLES[1], Status.PASSED)
    missing = _missing_tables(
        failure.statement.text, history.tables_before_failure, inputs.provider
    )
    what = (
        ", ".join(f"table `{t}` does not exist" for t in missing)
        if missing
        else failure.db_message.strip()
    )
    evidence = [
        f"`{failure.migration}` fails when replayed from an empty database: {what}",
        f"  statement {failure.statement.index} ({failure.statement.lines}) of "
        f"{failure.migration}/migration.sql: {_first_line(failure.statement.text)}",
        f"  database error: {failure.db_message.strip()}",
    ]
    if history.replayed:
        evidence.append(f"  replayed before it: {', '.join(history.replayed)}")
    else:
        evidence.append("  it is the first migration: no earlier migration creates what it needs")
    fix = (
        f"{commands.line('baseline', url=True)}   (checks the database matches the schema, "
        "writes a migration that builds it from empty, and archives the old ones; "
        f"`{commands.line('doctor', url=True)}` explains first)"
    )
    return Condition(1, TITLES[1], Status.FAILED, tuple(evidence), fix)


def _missing_tables(statement: str, existing: frozenset[str], provider: str) -> list[str]:
    """Tables the failing statement names that the replay had not created (best effort)."""
    try:
        from schemamend.lint.replay import referenced_tables
    except ImportError:  # the lint's SQL parsers are optional
        return []
    from schemamend.db import PROVIDER_FAMILIES

    family = PROVIDER_FAMILIES[provider].value
    try:
        names = referenced_tables(statement, family)
    except Exception:  # noqa: BLE001 - a statement the parser cannot read: no names, the DB error stays
        return []
    return [n for n in names if n not in existing]


def _first_line(text: str, limit: int = 100) -> str:
    line = next((ln.strip() for ln in text.splitlines() if ln.strip()), "")
    return line if len(line) <= limit else line[: limit - 3] + "..."


def _builds_schema(steps: Sequence[object], commands: _Commands) -> Condition:
    if not steps:
        return Condition(2, TITLES[2], Status.PASSED)
    described = [describe_step(s) for s in steps]  # type: ignore[arg-type]
    shown = described[:12]
    evidence = [f"the schema file has {len(steps)} change(s) that no migration makes:"]
    evidence += [f"  {line}" for line in shown]
    if len(described) > len(shown):
        evidence.append(f"  ... and {len(described) - len(shown)} more")
    name = suggested_name(steps)
    fix = commands.line("migrate dev", "--create-only", "--name", name)
    return Condition(2, TITLES[2], Status.FAILED, tuple(evidence), fix)


def suggested_name(steps: Sequence[object]) -> str:
    """A migration name from the most telling change: a new table, then a new column, ..."""
    for kind in (
        ch.CreateTable,
        ch.AddColumn,
        ch.CreateIndex,
        ch.CreateEnum,
        ch.AlterEnum,
        rs.AddEnumValue,
    ):
        step = next((s for s in steps if isinstance(s, kind)), None)
        match step:
            case ch.CreateTable(next=table):
                return f"add_{table.name}".lower()
            case ch.AddColumn(table=ref, next=column):
                return f"add_{ref.name}_{column.name}".lower()
            case ch.CreateIndex(table=ref):
                return f"index_{ref.name}".lower()
            case ch.CreateEnum(next=enum) | ch.AlterEnum(next=enum) | rs.AddEnumValue(enum=enum):
                return f"update_{enum.name}".lower()
    return "update_schema"


def _unedited(
    schema: str | None,
    url: str | None,
    cwd: Path | None,
    environ: Mapping[str, str] | None,
    commands: _Commands,
) -> Condition:
    if url is None:
        return Condition(3, TITLES[3], Status.SKIPPED, ("no --url: applied checksums not read",))
    from schemamend.commands.migrate import status

    report = status(schema, url=url, cwd=cwd, environ=environ)
    edited = report.status.edited
    if not edited:
        return Condition(3, TITLES[3], Status.PASSED)
    evidence = [
        f"`{name}` was applied to {report.target.database} and its migration.sql changed since "
        "(its checksum differs from _prisma_migrations)"
        for name in edited
    ]
    fix = (
        f"restore the applied file (git checkout -- {report.target.migrations_dir}/{edited[0]}/"
        f"migration.sql) and put the change in a new migration: "
        f"{commands.line('migrate dev', '--create-only', '--name', 'fix_' + edited[0].split('_', 1)[-1])}"
    )
    return Condition(3, TITLES[3], Status.FAILED, tuple(evidence), fix)


def _lint_clean(
    schema: str | None,
    url: str | None,
    cwd: Path | None,
    environ: Mapping[str, str] | None,
    commands: _Commands,
) -> Condition:
    try:
        from schemamend.commands.lint import lint
    except ImportError:
        return Condition(4, TITLES[4], Status.SKIPPED, ("schemamend lint is not installed",))
    report = lint(schema=schema, url=url, cwd=cwd, environ=environ)
    errors = report.errors
    if not errors:
        return Condition(4, TITLES[4], Status.PASSED)
    evidence = [f"{f.file}:{f.line}: {f.rule.code} {f.message}" for f in errors[:10]]
    if len(errors) > 10:
        evidence.append(f"... and {len(errors) - 10} more")
    return Condition(4, TITLES[4], Status.FAILED, tuple(evidence), commands.line("lint", url=True))
