"""How `schemamend demo` looks: one short section per step, printed as each step finishes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.rule import Rule
from rich.table import Table

from schemamend.cli.incident_cmds import print_baseline, print_doctor, print_verify
from schemamend.cli.output import stdout
from schemamend.cli.repair_cmds import print_repair
from schemamend.commands.repair import RepairReport

_INTRO = (
    "A property-finance app: production was created with `db push`, later work added only "
    "incremental migrations. Now creating a developer project fails. Let's find out why and "
    "fix it without losing a row."
)


def run_and_print(url: str | None = None, keep: str | None = None) -> int:
    from schemamend.commands.demo import run_demo

    console = stdout()
    where = "embedded SQLite (no server)" if url is None else "the database given by --url"
    console.print(Rule("[bold]schemamend demo[/] — the missing-tables incident"))
    console.print(f"[dim]{escape(_INTRO)}[/]\nRunning on {where}.")
    report = run_demo(
        url, workdir=Path(keep) if keep else None, on_step=lambda s: print_step(s, console)
    )
    console.print(Rule())
    if report.ok:
        console.print(
            "[bold green]Done[/]: the missing tables exist, history builds the schema from empty, "
            "and every production row is as it was."
        )
    else:
        failed = [s.title for s in report.steps if not s.ok]
        console.print(
            f"[bold red]The demo did not go as expected[/] at: {escape(', '.join(failed))}"
        )
    if report.kept:
        console.print(f"[dim]The demo project is kept in {escape(str(report.project))}[/]")
    return 0 if report.ok else 1


def print_step(step: Any, console: Console) -> None:
    console.print()
    console.print(Rule(f"[bold]{step.number}. {escape(step.title)}[/]", align="left"))
    printer = _PRINTERS.get(step.kind)
    if printer is not None:
        printer(step.payload, console)


def _production(payload: Any, console: Console) -> None:
    if payload.project is not None:
        console.print(
            f"[dim]Project {escape(str(payload.project))}; DATABASE_URL={escape(payload.database)}; "
            "every command below runs there.[/]"
        )
    console.print(
        f"Tables: {escape(', '.join(payload.tables))} — and no project tables.\n"
        f"History: {len(payload.history)} migrations applied and recorded in _prisma_migrations: "
        f"{escape(', '.join(payload.history))}"
    )
    rows = ", ".join(f"{t} {n}" for t, n in payload.rows.items())
    console.print(f"Rows: {escape(rows)}")


def _insert(payload: Any, console: Console) -> None:
    console.print(f"[dim]{escape(payload.sql)}[/]")
    if payload.ok:
        console.print(f"[bold green]OK[/]: {escape(payload.message)}")
    else:
        console.print(
            f"[bold red]P2021[/]: The table `developer_projects` does not exist in the current "
            f"database. [dim]({escape(payload.message)})[/]"
        )


def _doctor(payload: Any, console: Console) -> None:
    print_doctor(payload, console, header=False)


def _repair(payload: Any, console: Console) -> None:
    if isinstance(payload, RepairReport):
        print_repair(payload)
        return
    # commands/demo.py's stand-in report (AdditiveRepair)
    applied = getattr(payload, "applied", ())
    console.print(f"[green]Applied {len(applied)} safe step(s)[/] in one transaction:")
    for line in applied[:12]:
        console.print(f"  + {escape(line)}")
    held = getattr(payload, "held", ())
    if held:
        console.print(f"[yellow]Held back[/] {len(held)} step(s): {escape(', '.join(held))}")


def _baseline(payload: Any, console: Console) -> None:
    print_baseline(payload, console, header=False)


def _verify(payload: Any, console: Console) -> None:
    print_verify(payload, console, header=False)


def _counts(payload: Any, console: Console) -> None:
    table = Table(
        show_header=True, header_style="bold", box=None, pad_edge=False, padding=(0, 2, 0, 0)
    )
    table.add_column("table")
    table.add_column("rows before", justify="right")
    table.add_column("rows after", justify="right")
    for name, before in payload.before.items():
        after = payload.after.get(name)
        style = "green" if after == before else "red"
        table.add_row(escape(name), str(before), f"[{style}]{after}[/]")
    console.print(table)
    if payload.same_rows:
        console.print(
            "[green]Every row is unchanged[/] (checksums of each table before and after match)."
        )
    else:
        console.print("[bold red]Rows changed[/]: the checksums before and after differ.")


def _fresh(payload: Any, console: Console) -> None:
    if payload.matches:
        console.print(
            f"`migrate deploy` on a new, empty database applied {escape(', '.join(payload.applied))} "
            "and built [green]exactly the declared schema[/]."
        )
        return
    console.print("[red]The folder does not build the declared schema:[/]")
    for line in payload.differences[:10]:
        console.print(f"  - {escape(line)}")


_PRINTERS = {
    "production": _production,
    "insert": _insert,
    "doctor": _doctor,
    "repair": _repair,
    "baseline": _baseline,
    "verify": _verify,
    "counts": _counts,
    "fresh": _fresh,
}
