"""CLI verbs that keep history and schema together: `migrate dev` and `check`.

Registered in cli/main.py: `migrate.add_command(dev)` and `cli.add_command(check_command)`.
"""

from __future__ import annotations

import sys
from typing import Any

import click
from rich.markup import escape

from schemamend.cli.common import handle_errors, json_option, schema_option, url_option
from schemamend.cli.output import print_json, stderr, stdout

RISK_STYLES = {"safe": "green", "may-fail": "yellow", "destructive": "red", "locking": "magenta"}


def shadow_option(func: Any) -> Any:
    return click.option(
        "--shadow-database-url",
        "shadow_database_url",
        default=None,
        metavar="URL",
        help="Server for the shadow database (a temporary database is created there and dropped); "
        "default: the database's server, SQLite in memory.",
    )(func)


# ── migrate dev ─────────────────────────────────────────────────────────────


@click.command("dev")
@schema_option
@click.option("--name", "-n", "name", required=True, help="Name of the migration (e.g. add_posts).")
@click.option("--create-only", is_flag=True, help="Write the migration; do not apply it.")
@click.option(
    "--apply",
    "apply_",
    is_flag=True,
    help="Also deploy it to --url (the default without --create-only).",
)
@url_option
@shadow_option
@json_option
@handle_errors
def dev(
    schema: str | None,
    name: str,
    create_only: bool,
    apply_: bool,
    url: str | None,
    shadow_database_url: str | None,
    as_json: bool,
) -> None:
    """Write the next migration: history replayed in a shadow database, diffed with the schema."""
    from schemamend.commands.dev import migrate_dev

    apply = apply_ or not create_only
    report = migrate_dev(
        schema, name=name, url=url, shadow_database_url=shadow_database_url, apply=apply
    )
    if as_json:
        print_json(dev_json(report))
        sys.exit(report.exit_code)
    _print_dev(report)
    sys.exit(report.exit_code)


def dev_json(report: Any) -> dict[str, Any]:
    from schemamend.safety import describe_step

    return {
        "ok": report.exit_code == 0,
        "migration": report.name,
        "path": str(report.path) if report.path else None,
        "script": report.script or None,
        "risks": report.risk_counts(),
        "steps": [
            {"step": describe_step(v.step), "risk": v.risk.value, "why": v.summary}
            for v in report.verdicts
        ],
        "warnings": list(report.warnings),
        "wroteLock": report.wrote_lock,
        "applied": bool(report.applied is not None and report.applied.ok),
    }


def _print_dev(report: Any) -> None:
    out = stdout()
    if report.is_empty:
        out.print(
            "[green]Already in sync[/]: the migrations folder builds the schema; no migration written."
        )
    else:
        out.print(f"Wrote [bold]{escape(str(report.path))}[/]")
        if report.wrote_lock:
            out.print(f"Wrote {escape(str(report.migrations_dir / 'migration_lock.toml'))}")
        out.print()
        out.print(escape(report.script.rstrip("\n")), highlight=False)
        out.print()
        _print_risks(report)
    if report.applied is not None:
        _print_applied(report.applied)
    elif not report.is_empty:
        out.print("Review and edit it, then apply it with `schemamend migrate deploy`.")


def _print_risks(report: Any) -> None:
    out = stdout()
    counts = report.risk_counts()
    summary = ", ".join(f"[{RISK_STYLES[k]}]{v} {k}[/]" for k, v in counts.items() if v)
    out.print(f"Risks: {summary}")
    for verdict in report.verdicts:
        if verdict.risk.value == "safe":
            continue
        style = RISK_STYLES[verdict.risk.value]
        out.print(f"  [{style}]{verdict.risk.value}[/] {escape(verdict.summary)}")


def _print_applied(deploy_report: Any) -> None:
    result = deploy_report.result
    out = stdout()
    if deploy_report.ok:
        names = [m.name for m in getattr(result, "applied", [])]
        out.print(
            f"Applied to {escape(deploy_report.target.database)}: {escape(', '.join(names) or 'nothing pending')}"
        )
    else:
        stderr().print(
            f"[bold red]Deploy failed[/] on {escape(deploy_report.target.database)}; "
            "`schemamend migrate status` shows where."
        )


# ── check ──────────────────────────────────────────────────────────────────


@click.command("check")
@schema_option
@url_option
@shadow_option
@json_option
@handle_errors
def check_command(
    schema: str | None, url: str | None, shadow_database_url: str | None, as_json: bool
) -> None:
    """Exit 0 only when history replays, builds the schema, is unedited and lints clean (for CI)."""
    from schemamend.commands.check import check

    report = check(schema, url=url, shadow_database_url=shadow_database_url)
    if as_json:
        print_json(report.to_json())
        sys.exit(report.exit_code)
    _print_check(report)
    sys.exit(report.exit_code)


_MARKS = {"passed": "[green]ok[/]  ", "failed": "[red]FAIL[/]", "skipped": "[dim]skip[/]"}


def _print_check(report: Any) -> None:
    out = stdout()
    out.print(
        f"schemamend check: {escape(str(report.schema_path))}, "
        f"{report.migrations} migration(s) in {escape(str(report.migrations_dir))}"
    )
    for condition in report.conditions:
        line = f"  {_MARKS[condition.status.value]} ({condition.number}) {escape(condition.title)}"
        if condition.status.value == "skipped" and condition.evidence:
            line += f" [dim]({escape(condition.evidence[0])})[/]"
        out.print(line)
    first = report.first_failure
    if first is None:
        out.print("[green]Check passed.[/]")
        return
    err = stderr()
    err.print(f"[bold red]Check failed[/] at condition ({first.number}): {escape(first.title)}")
    for line in first.evidence:
        err.print(escape(line), highlight=False)
    if first.fix:
        err.print(f"Fix: {escape(first.fix)}", highlight=False)
    others = [c for c in report.conditions if c.status.value == "failed" and c is not first]
    for other in others:
        err.print(f"Also failing: ({other.number}) {escape(other.title)}")
