"""The `db` group: commands that act on the database directly, outside migration history.

`db push` lives here; loaded by cli/main.py (`_LAZY_COMMANDS`) when `db` is run.
"""

from __future__ import annotations

import sys
from typing import Any

import click

from schemamend.cli.common import escape, handle_errors, json_option, schema_option, url_option
from schemamend.cli.output import print_json, stderr, stdout


@click.group("db")
def db() -> None:
    """Act on the database directly (no migration history)."""


@db.command("push")
@schema_option
@url_option
@click.option(
    "--accept-data-loss",
    is_flag=True,
    help="Also apply destructive steps, after copying what they remove into a backup.",
)
@click.option("--allow-locking", is_flag=True, help="Also apply steps that lock large tables.")
@json_option
@handle_errors
def push(
    schema: str | None, url: str | None, accept_data_loss: bool, allow_locking: bool, as_json: bool
) -> None:
    """Bring the database in line with the schema, safe steps only unless told otherwise."""
    from schemamend.commands.push import db_push

    report = db_push(
        schema, url=url, accept_data_loss=accept_data_loss, allow_locking=allow_locking
    )
    if as_json:
        print_json(push_json(report))
        sys.exit(report.exit_code)
    _print_push(report)
    sys.exit(report.exit_code)


def push_json(report: Any) -> dict[str, Any]:
    from schemamend.cli.repair_cmds import report_json

    return {
        **report_json(report.repair),
        "ok": report.exit_code == 0,
        "noChanges": report.no_changes,
        "stopped": report.stopped,
        "applied": report.applied,
        "hasHistory": report.has_history,
        "createdDatabase": report.created_database,
        "warnings": list(report.warnings),
    }


def _print_push(report: Any) -> None:
    from schemamend.cli.repair_cmds import print_repair

    out = stdout()
    for warning in report.warnings:
        stderr().print(f"[yellow]warning[/]: {escape(warning)}")
    if report.created_database:
        out.print(f"Created the database {escape(report.database)}.")
    if report.no_changes:
        out.print(
            f"The database {escape(report.database)} is already in sync with the schema: no changes."
        )
        return
    print_repair(report.repair)
    if report.stopped:
        stderr().print(
            "[bold yellow]Stopped[/]: nothing was changed, because the plan above holds steps that may fail "
            "or lose data. Fix the data, or pass --accept-data-loss (destructive steps, after a backup)"
            " / --allow-locking; or write a migration: `schemamend migrate dev --create-only --name <name>`."
        )
