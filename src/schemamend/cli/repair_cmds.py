"""`schemamend repair`: registered on the root group by cli/main.py.

Exit codes: 0 the database matches the schema (or nothing was left to do),
2 differences remain (held back: may-fail, destructive or locking steps),
1 error.
"""

from __future__ import annotations

import sys
from typing import Any

import click
from rich.markup import escape
from rich.table import Table

from schemamend.cli.common import handle_errors, json_option, schema_option
from schemamend.cli.output import print_json, stdout
from schemamend.commands.repair import RepairOptions, RepairPlan, RepairReport, repair
from schemamend.diff import changes as ch
from schemamend.errors import SchemamendError
from schemamend.migrate.repair_apply import Action, Outcome, PlannedStep, StepResult
from schemamend.safety import steps as rs

RISK_STYLES = {
    "safe": "green",
    "locking": "yellow",
    "may-fail": "bold yellow",
    "destructive": "bold red",
}
ACTION_STYLES = {
    Action.APPLY: "green",
    Action.APPLY_NOT_VALID: "green",
    Action.BEFORE: "green",
    Action.AFTER: "green",
    Action.HOLD: "yellow",
    Action.BLOCKED: "yellow",
    Action.UNSUPPORTED: "red",
}


class ConfirmationNeeded(SchemamendError):
    code = "SM063"


@click.command("repair")
@schema_option
@click.option(
    "--url",
    "url",
    default=None,
    help="Database URL (default: the datasource's url, else DATABASE_URL).",
)
@click.option("--dry-run", is_flag=True, help="Print the plan; change nothing.")
@click.option("--yes", "-y", "yes", is_flag=True, help="Apply without asking.")
@click.option(
    "--allow-destructive",
    is_flag=True,
    help="Also drop what the schema no longer declares, after copying it into a backup.",
)
@click.option(
    "--allow-locking", is_flag=True, help="Also run steps that lock a large table while they run."
)
@json_option
@handle_errors
def repair_command(
    schema: str | None,
    url: str | None,
    dry_run: bool,
    yes: bool,
    allow_destructive: bool,
    allow_locking: bool,
    as_json: bool,
) -> None:
    """Bring the database to the schema: apply the safe steps, hold back the risky ones.

    Every step is classified safe, may-fail (checked against the rows), destructive or
    locking. Only safe steps run by default, in one transaction where the database allows.
    """
    options = RepairOptions(
        dry_run=dry_run, allow_destructive=allow_destructive, allow_locking=allow_locking
    )

    def confirm(plan: RepairPlan) -> bool:
        if not as_json:
            _print_plan(plan)
        if yes:
            return True
        if as_json or not sys.stdin.isatty():
            raise ConfirmationNeeded(
                f"repair would apply {len(plan.to_apply)} step(s) and needs confirmation, but there is "
                "no terminal to ask on",
                hint="pass --yes to apply the plan, or --dry-run to only print it",
            )
        return click.confirm(f"Apply {len(plan.to_apply)} step(s)?", default=False, err=True)

    report = repair(schema, url=url, options=options, confirm=confirm)
    if as_json:
        print_json(report_json(report))
    else:
        if report.applied is None and not report.cancelled:
            _print_plan(report.plan)  # not shown by confirm: dry run, or nothing to apply
        _print_outcome(report)
    sys.exit(report.exit_code)


# ── text ─────────────────────────────────────────────────────────────────


def print_repair(report: RepairReport) -> None:
    """The plan and what became of it (also used by `schemamend demo`)."""
    _print_plan(report.plan)
    _print_outcome(report)


def _out(text: str = "") -> None:
    stdout().print(text)


NAMES_PER_ROW = 8  # a row standing for many steps of one kind names this many of them


def _print_plan(plan: RepairPlan) -> None:
    counts = plan.risk_counts()
    summary = ", ".join(f"[{RISK_STYLES[k]}]{v} {k}[/]" for k, v in counts.items() if v)
    _out(f"Repair plan for [bold]{escape(plan.database)}[/] ({plan.provider})")
    if plan.is_empty:
        _out("[green]The database already matches the schema: nothing to do.[/]")
        return
    _out(f"{len(plan.items)} step(s): {summary}")
    table = Table(show_header=True, header_style="bold", box=None, pad_edge=False)
    table.add_column("risk", no_wrap=True)
    table.add_column("step")
    table.add_column("action", no_wrap=True)
    footnotes: list[str] = []
    for group in _groups(plan.items):
        footnote = _group_footnote(group)
        marker = ""
        if footnote:
            footnotes.append(footnote)
            marker = f" [dim]({len(footnotes)})[/]"
        table.add_row(*_row(group, marker))
    stdout().print(table)
    for number, footnote in enumerate(footnotes, start=1):
        _out(f"[dim]({number})[/] {escape(footnote)}")
    for note in plan.notes:
        _out(f"[yellow]note[/]: {escape(note)}")
    if plan.backup:
        _out(f"Backup of everything removed: [bold]{escape(plan.backup)}[/]")


def _kind_and_name(item: PlannedStep) -> tuple[str, str] | None:
    """Steps of one kind, risk and action are shown as one row (the plan stays one screen)."""
    match item.step:
        case ch.CreateExtension(next=extension):
            return "create extension", extension.name
        case ch.CreateEnum(next=enum):
            return "create enum", enum.name
        case ch.CreateTable(next=table):
            return "create table", str(table.ref)
        case ch.CreateIndex(next=index):
            return "create index", index.name
        case ch.AddForeignKey(next=fk):
            return "add foreign key", fk.name or "?"
        case ch.AddColumn(table=ref, next=column):
            return "add column", f"{ref}.{column.name}"
        case rs.AddEnumValue(enum=enum, value=value):
            return "add enum value", f"{enum.name}.{value}"
        case ch.DropTable(previous=table):
            return "drop table", str(table.ref)
        case ch.DropColumn(table=ref, previous=column):
            return "drop column", f"{ref}.{column.name}"
        case ch.DropIndex(previous=index):
            return "drop index", index.name
        case ch.DropForeignKey(previous=fk):
            return "drop foreign key", fk.name or "?"
        case ch.DropEnum(previous=enum):
            return "drop enum", enum.name
    return None


def _group_key(item: PlannedStep) -> tuple[str, str, str, str] | None:
    kind = _kind_and_name(item)
    if kind is None:
        return None
    return kind[0], item.verdict.risk.value, item.action.value, item.reason


def _groups(items: tuple[PlannedStep, ...]) -> list[list[PlannedStep]]:
    groups: list[list[PlannedStep]] = []
    for item in items:
        key = _group_key(item)
        if groups and key is not None and _group_key(groups[-1][0]) == key:
            groups[-1].append(item)
        else:
            groups.append([item])
    return groups


def _row(group: list[PlannedStep], marker: str) -> tuple[str, str, str]:
    first = group[0]
    risk = first.verdict.risk.value
    if len(group) == 1:
        text = escape(first.describe())
    else:
        names = [k[1] for k in (_kind_and_name(i) for i in group) if k is not None]
        shown = ", ".join(names[:NAMES_PER_ROW])
        more = f" … and {len(names) - NAMES_PER_ROW} more" if len(names) > NAMES_PER_ROW else ""
        label = _kind_and_name(first)
        text = escape(f"{label[0] if label else '?'} ×{len(group)}: {shown}{more}")
    action = f"[{ACTION_STYLES[first.action]}]{first.action.value}[/]"
    return f"[{RISK_STYLES[risk]}]{risk}[/]", text + marker, action


def _footnote(item: PlannedStep) -> str:
    """Why a step is not simply applied: what was found, and what the repair does about it."""
    if item.verdict.risk.value == "safe" and item.action is Action.APPLY:
        return ""
    found = [f.message for f in item.verdict.findings if f.risk is item.verdict.risk]
    if item.verdict.risk.value == "safe":
        found = []
    parts = [*found, item.reason] if item.reason else found
    return "; ".join(p for p in parts if p)


def _group_footnote(group: list[PlannedStep]) -> str:
    first = _footnote(group[0])
    if not first or len(group) == 1:
        return first
    return f"{first} — and {len(group) - 1} more like it (--json lists each)"


def _print_outcome(report: RepairReport) -> None:
    plan = report.plan
    _out()
    if report.cancelled:
        _out("Cancelled: nothing was changed.")
    elif report.options.dry_run:
        _out(f"Dry run: nothing was changed ({len(plan.to_apply)} step(s) would be applied).")
    elif report.applied is not None:
        _print_applied(report.applied.results, report.applied.transactional)
    for name in report.backups:
        _out(f"Backup written: [bold]{escape(name)}[/]")
    for result in report.applied.left_not_valid if report.applied else ():
        _print_not_valid(result)
    held = plan.held
    if held and not report.options.dry_run:
        _out(
            f"[yellow]Held back[/]: {len(held)} step(s), see the plan above; the database keeps them as they are."
        )
    if report.applied is not None:
        if report.remaining:
            _out(f"[yellow]Remaining differences[/] ({len(report.remaining)}):")
            for line in report.remaining[:15]:
                _out(f"  - {escape(line)}")
            if len(report.remaining) > 15:
                _out(f"  ... and {len(report.remaining) - 15} more")
        else:
            _out("[green]The database now matches the schema.[/]")


def _print_applied(results: tuple[StepResult, ...], transactional: bool) -> None:
    applied = [r for r in results if r.outcome is not Outcome.FAILED]
    how = "in one transaction" if transactional else "one by one (DDL is not transactional here)"
    _out(f"[green]Applied {len(applied)} step(s)[/] {how}.")
    for result in results:
        if result.outcome is Outcome.FAILED:
            _out(f"[red]failed[/]: {escape(result.item.describe())}: {escape(result.error or '')}")


def _print_not_valid(result: StepResult) -> None:
    found = result.violations
    count = found.count if found else 0
    _out(
        f"[yellow]NOT VALID[/]: {escape(result.item.describe())}: {count} existing row(s) reference "
        "missing rows; new writes are checked already."
    )
    if found and found.examples:
        _out(f"  e.g. {escape('; '.join(found.examples))}")
    if result.follow_up:
        listing, *validate = result.follow_up
        _out("  Fix or delete the rows this lists, then validate the key:")
        _out(f"    {escape(listing)};")
        for statement in validate:
            _out(f"    {escape(statement)};")


# ── JSON ─────────────────────────────────────────────────────────────────


def report_json(report: RepairReport) -> dict[str, Any]:
    plan = report.plan
    outcomes = {id(r.item): r for r in report.applied.results} if report.applied else {}
    return {
        "ok": report.ok,
        "database": plan.database,
        "provider": plan.provider,
        "transactional": plan.transactional,
        "dry_run": report.options.dry_run,
        "cancelled": report.cancelled,
        "risks": plan.risk_counts(),
        "steps": [_step_json(item, outcomes.get(id(item))) for item in plan.items],
        "backup": plan.backup,
        "backups": list(report.backups),
        "notes": list(plan.notes),
        "remaining": list(report.remaining),
    }


def _step_json(item: PlannedStep, result: StepResult | None) -> dict[str, Any]:
    data: dict[str, Any] = {
        "step": item.describe(),
        "risk": item.verdict.risk.value,
        "action": item.action.value,
        "reason": item.reason,
        "findings": [
            {
                "code": f.code.value,
                "risk": f.risk.value,
                "message": f.message,
                "count": f.count,
                "examples": list(f.examples),
            }
            for f in item.verdict.findings
        ],
        "statements": list(item.statements),
        "outcome": result.outcome.value if result else None,
    }
    if result is not None and result.violations is not None:
        data["violations"] = {
            "count": result.violations.count,
            "examples": list(result.violations.examples),
        }
    if result is not None and result.follow_up:
        data["follow_up"] = list(result.follow_up)
    if result is not None and result.error:
        data["error"] = result.error
    return data
