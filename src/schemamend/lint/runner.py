"""Running the rules over scripts: parse, check each statement, keep the catalog current."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from schemamend.lint.catalog import Catalog
from schemamend.lint.facts import Facts, NoFacts
from schemamend.lint.findings import Finding, finding
from schemamend.lint.live import LiveTypes
from schemamend.lint.postgres import DeclaredNames, PostgresLinter, ScriptContext
from schemamend.lint.rules import rule
from schemamend.lint.sql import parse_script


@dataclass(frozen=True, slots=True)
class Script:
    file: str  # shown in findings
    text: str
    migration: str | None = None  # the folder's name, when the script is a migration


@dataclass
class LintSettings:
    family: str = "postgresql"  # "postgresql", "mysql" or "sqlite"
    facts: Facts = field(default_factory=NoFacts)
    declared: DeclaredNames | None = None
    live: LiveTypes | None = None  # with --url: column types and enum values the database has


def lint_scripts(
    targets: Sequence[Script],
    settings: LintSettings,
    history: Sequence[Script] = (),
    *,
    from_empty: bool = False,
) -> list[Finding]:
    """Findings for `targets`; `history` (applied before them) only teaches the catalog.

    `from_empty`: history and targets together are every migration since an
    empty database, so a table none of them creates does not exist (SML013).
    """
    catalog = Catalog(complete=from_empty)
    for script in history:
        _lint_one(script, settings, catalog, linted=False)
    if settings.live is not None:
        catalog.add_live(settings.live.columns, settings.live.enums)
    findings: list[Finding] = []
    for script in targets:
        findings += _lint_one(script, settings, catalog, linted=True)
    return findings


def _lint_one(
    script: Script, settings: LintSettings, catalog: Catalog, *, linted: bool
) -> list[Finding]:
    catalog.start_script()
    parsed = parse_script(script.text, settings.family)
    if parsed.problem is not None:
        catalog.complete = False
        if not linted:
            return []
        return [
            finding(
                rule("SML000"),
                script.file,
                parsed.problem.line,
                f"does not parse as {settings.family}: {parsed.problem.message}",
                migration=script.migration,
            )
        ]
    context = ScriptContext(
        script.file,
        script.migration,
        catalog,
        settings.facts,
        settings.declared,
        linted,
        family=settings.family,
    )
    if settings.family == "postgresql":
        return PostgresLinter(context).run(parsed.statements)
    from schemamend.lint.generic import GenericLinter  # sqlglot: imported only when needed

    return GenericLinter(context).run(parsed.statements)
