"""`schemamend lint`: registered on the root group by cli/main.py.

Exit codes: 0 clean (warnings allowed), 2 an error-level finding, 1 failure to run.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import click

from schemamend.cli.main import handle_errors, json_option, schema_option
from schemamend.cli.output import print_json, stderr

if TYPE_CHECKING:
    from schemamend.commands.lint import LintReport


@click.command("lint")
@click.argument("paths", nargs=-1, type=click.Path())
@schema_option
@click.option(
    "--url",
    "url",
    default=None,
    help="Database: lint only migrations not applied to it, use its row counts, replay history in a shadow database.",
)
@click.option(
    "--since", "since", default=None, help="Lint only migrations changed since this git ref."
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "github"]),
    default="text",
    help="text: `file:line: CODE level: message`; github: workflow annotations.",
)
@json_option
@handle_errors
def lint_command(
    paths: tuple[str, ...],
    schema: str | None,
    url: str | None,
    since: str | None,
    fmt: str,
    as_json: bool,
) -> None:
    """Find dangerous statements in migration files: data loss, failures on existing rows, long locks.

    PATHS: migrations folders, migration folders or SQL files (default: the migrations folder
    next to the schema).
    """
    from schemamend.commands.lint import lint

    report = lint(paths, schema=schema, url=url, since=since)
    if as_json:
        print_json(_json(report))
    else:
        _print(report, fmt)
    sys.exit(report.exit_code)


def _json(report: LintReport) -> dict[str, object]:
    from schemamend.lint.output import as_json

    return {
        "ok": not report.errors,
        "family": report.family,
        "files": report.files,
        "replayed": report.replayed,
        "errors": len(report.errors),
        "warnings": len(report.warnings),
        "findings": as_json(report.findings),
        "notes": report.notes,
    }


def _print(report: LintReport, fmt: str) -> None:
    from schemamend.lint.output import render

    for line in render(report.findings, fmt):
        sys.stdout.write(line + "\n")
    for note in report.notes:
        stderr().print(f"note: {note}", markup=False)
    summary = (
        f"{len(report.files)} file(s) linted: {len(report.errors)} error(s), "
        f"{len(report.warnings)} warning(s)"
    )
    if not report.replayed:
        summary += " (no --url: history not replayed, row counts unknown)"
    stderr().print(summary, markup=False)
