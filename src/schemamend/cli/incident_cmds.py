"""CLI verbs of the incident workflow: `doctor`, `verify`, `baseline` and `demo`.

Registered in cli/main.py (`_LAZY_COMMANDS`). Each verb calls its
command function (the Python API) and turns the report into one screen of
text (rich tables, colour on a terminal) or JSON.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import click
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from schemamend.cli.common import handle_errors, json_option, schema_option, url_option
from schemamend.cli.output import print_json, stdout

F = TypeVar("F", bound=Callable[..., Any])

_MAX_ROWS = 14
_FAMILY_LABELS = {
    "postgresql": "PostgreSQL",
    "postgres": "PostgreSQL",
    "mysql": "MySQL",
    "sqlite": "SQLite",
}


def _where(target: Any) -> str:
    label = _FAMILY_LABELS.get(target.provider, target.provider)
    if target.provider == "sqlite":
        return f"{label} database {target.location}"
    schema = f', schema "{target.namespace}"' if label == "PostgreSQL" else ""
    return f'{label} database "{target.database_name}"{schema} at {target.location}'


def _table(*columns: str) -> Table:
    table = Table(
        show_header=True, header_style="bold", box=None, pad_edge=False, padding=(0, 2, 0, 0)
    )
    for column in columns:
        table.add_column(column, overflow="fold")
    return table


def _more(console: Console, shown: int, total: int) -> None:
    if total > shown:
        console.print(f"  [dim]... and {total - shown} more (--json lists all)[/]")


def shadow_option(func: F) -> F:
    return click.option(
        "--shadow-database-url",
        "shadow_database_url",
        default=None,
        help="Server where the throwaway replay database is created and dropped "
        "(default: the database's own server).",
    )(func)


# ── doctor ─────────────────────────────────────────────────────────────────────

_SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "note": "cyan"}


def print_doctor(report: Any, console: Console | None = None, *, header: bool = True) -> None:
    console = console or stdout()
    drift, history = report.drift, report.history
    if header:
        console.print(
            f"[bold]schemamend doctor[/] — {escape(_where(report.target))}\n"
            f"[dim]{escape(str(report.target.schema_path))}: {report.declared_tables} tables "
            f"declared; the database has {report.live_tables}[/]"
        )
    _print_missing(console, drift)
    _print_different(console, drift)
    _print_extra(console, drift)
    _print_history(console, history)
    if report.causes:
        console.print("\n[bold]Why[/]")
        for cause in report.causes:
            style = _SEVERITY_STYLE.get(cause.severity, "")
            console.print(f"  [{style}]{cause.severity:7}[/] {escape(cause.message)}")
    if report.fixes:
        console.print("\n[bold]Fix it[/] (safest first)")
        for number, fix in enumerate(report.fixes, 1):
            console.print(f"  {number}. [bold green]{escape(fix.command)}[/]")
            console.print(f"     [dim]{escape(fix.why)}[/]")
    console.print()
    if report.healthy:
        console.print(
            f"[bold green]Healthy[/]: the database matches the schema and history builds it "
            f"[dim]({report.seconds:.1f} s)[/]"
        )
    else:
        console.print(f"[bold red]Drift found[/] [dim](exit 2, {report.seconds:.1f} s)[/]")


def _print_missing(console: Console, drift: Any) -> None:
    if not drift.missing:
        console.print("\n[green]Nothing declared is missing.[/]")
        return
    console.print("\n[bold red]Missing[/] (declared in the schema, not in the database)")
    table = _table("kind", "name", "what")
    rows = _missing_rows(drift.missing)
    for kind, name, what in rows[:_MAX_ROWS]:
        table.add_row(kind, escape(name), escape(what))
    console.print(table)
    _more(console, min(len(rows), _MAX_ROWS), len(rows))


def _missing_rows(findings: Sequence[Any]) -> list[tuple[str, str, str]]:
    """Missing tables in one row each (with their indexes and keys), then everything else."""
    parts: dict[str, list[Any]] = {}
    for finding in findings:
        if finding.in_missing_table:
            parts.setdefault(finding.table, []).append(finding)
    rows = []
    for finding in findings:
        if finding.in_missing_table:
            continue
        if finding.kind == "table":
            inner = parts.get(finding.name, [])
            counts = [f"{finding.detail.split(',')[0]}"]
            indexes = sum(1 for f in inner if f.kind in ("index", "unique"))
            keys = sum(1 for f in inner if f.kind == "foreign key")
            if indexes:
                counts.append(f"{indexes} index{'es' if indexes > 1 else ''}")
            if keys:
                counts.append(f"{keys} foreign key{'s' if keys > 1 else ''}")
            rows.append(("table", finding.name, ", ".join(counts)))
        elif finding.kind in ("column", "enum value"):
            rows.append((finding.kind, f"{finding.table}.{finding.name}", finding.detail))
        elif finding.table is not None:
            rows.append((finding.kind, finding.name, f"on {finding.table} {finding.detail}"))
        else:
            rows.append((finding.kind, finding.name, finding.detail))
    return rows


def _print_different(console: Console, drift: Any) -> None:
    if not drift.different:
        return
    console.print("\n[bold yellow]Different[/] (present, but not as declared)")
    table = _table("object", "aspect", "declared", "live")
    count = 0
    for difference in drift.different:
        for aspect in difference.aspects:
            count += 1
            if count <= _MAX_ROWS:
                table.add_row(
                    escape(difference.label()),
                    aspect.name,
                    escape(aspect.declared),
                    escape(aspect.live),
                )
    console.print(table)
    _more(console, min(count, _MAX_ROWS), count)


def _print_extra(console: Console, drift: Any) -> None:
    if not drift.extra:
        return
    console.print("\n[bold cyan]Not declared[/] (in the database only; left alone)")
    table = _table("kind", "name", "data")
    for finding in drift.extra[:_MAX_ROWS]:
        name = (
            f"{finding.table}.{finding.name}"
            if finding.kind in ("column", "enum value")
            else finding.name
        )
        if finding.rows is None:
            data = ""
        elif finding.kind == "column":
            data = f"{finding.rows} non-NULL values"
        else:
            data = f"{finding.rows} rows"
        table.add_row(finding.kind, escape(name), data)
    console.print(table)
    _more(console, min(len(drift.extra), _MAX_ROWS), len(drift.extra))


def _print_history(console: Console, history: Any) -> None:
    console.print(f"\n[bold]History[/] [dim]({escape(str(history.folder))})[/]")
    if not history.has_table:
        console.print("  [red]no _prisma_migrations table[/]: no migration was ever recorded")
    parts = [
        f"{len(history.migrations)} in the folder",
        f"{len(history.applied)} applied",
        f"{len(history.pending)} pending",
        f"{len(history.failed)} failed",
        f"{len(history.edited)} edited",
        f"{len(history.unknown)} unknown",
    ]
    if history.archived:
        parts.append(f"{len(history.archived)} archived")
    console.print("  " + " · ".join(parts))
    replay = history.replay
    if replay.unavailable:
        console.print(f"  replay: [yellow]not run[/] ({escape(replay.unavailable)})")
    elif replay.ran and replay.failed_at:
        console.print(
            f"  replay on an empty shadow database: [red]fails at {escape(replay.failed_at)}[/] "
            f"({escape(replay.error or '')})"
        )
    elif replay.ran and replay.differences:
        console.print(
            f"  replay on an empty shadow database: [yellow]builds a different schema[/] "
            f"({len(replay.differences)} differences)"
        )
    elif replay.ran:
        console.print("  replay on an empty shadow database: [green]builds the declared schema[/]")


@click.command()
@schema_option
@url_option
@click.option("--no-replay", is_flag=True, help="Do not replay history in a shadow database.")
@shadow_option
@click.option("--strict", is_flag=True, help="Objects the schema does not declare count as drift.")
@json_option
@handle_errors
def doctor(
    schema: str | None,
    url: str | None,
    no_replay: bool,
    shadow_database_url: str | None,
    strict: bool,
    as_json: bool,
) -> None:
    """Find what differs between the database, the schema and the history; explain it; fix it.

    Exit 0: healthy; 2: drift found; 1: error.
    """
    from schemamend.commands.doctor import doctor as run_doctor

    report = run_doctor(
        schema,
        url=url,
        replay_history=not no_replay,
        shadow_database_url=shadow_database_url,
        strict=strict,
    )
    if as_json:
        print_json(report.to_json())
    else:
        print_doctor(report)
    sys.exit(report.exit_code)


# ── verify ─────────────────────────────────────────────────────────────────────


def print_verify(report: Any, console: Console | None = None, *, header: bool = True) -> None:
    console = console or stdout()
    if header:
        console.print(f"[bold]schemamend verify[/] — {escape(_where(report.target))}")
    table = _table("table", "present", "columns", "missing or different")
    shown = sorted(report.tables, key=lambda t: (t.ok, t.name))
    for coverage in shown[: _MAX_ROWS + 6]:
        present = "[green]yes[/]" if coverage.present else "[red]missing[/]"
        style = "green" if coverage.columns_matching == coverage.columns else "red"
        cols = f"[{style}]{coverage.columns_matching}/{coverage.columns}[/]"
        problems = [f"-{c}" for c in coverage.missing_columns if coverage.present]
        problems += [f"~{c}" for c in coverage.different_columns]
        problems += [f"index {i}" for i in coverage.missing_indexes]
        problems += [f"fk {k}" for k in coverage.missing_foreign_keys]
        table.add_row(escape(coverage.name), present, cols, escape(", ".join(problems)))
    console.print(table)
    _more(console, min(len(shown), _MAX_ROWS + 6), len(shown))
    if report.enums_missing:
        console.print(f"[red]missing enums[/]: {escape(', '.join(report.enums_missing))}")
    if report.enum_values_missing:
        console.print(
            f"[red]missing enum values[/]: {escape(', '.join(report.enum_values_missing))}"
        )
    total = len(report.tables)
    if report.ok:
        console.print(f"[bold green]OK[/]: all {total} declared tables are present and match.")
    else:
        bad = sum(1 for t in report.tables if not t.ok)
        console.print(
            f"[bold red]FAIL[/]: {report.present}/{total} declared tables present; {bad} missing "
            "or not matching (exit 2)."
        )


@click.command()
@schema_option
@url_option
@json_option
@handle_errors
def verify(schema: str | None, url: str | None, as_json: bool) -> None:
    """List every declared table: present or missing, and its column coverage. Exit 0 only if all match."""
    from schemamend.commands.verify import verify as run_verify

    report = run_verify(schema, url=url)
    if as_json:
        print_json(report.to_json())
    else:
        print_verify(report)
    sys.exit(report.exit_code)


# ── baseline ───────────────────────────────────────────────────────────────────


def print_baseline(report: Any, console: Console | None = None, *, header: bool = True) -> None:
    console = console or stdout()
    if header:
        console.print(f"[bold]schemamend baseline[/] — {escape(_where(report.target))}")
    for check in report.checks:
        console.print(f"  [green]✓[/] {escape(check)}")
    if report.refused:
        console.print(
            "[bold red]Refused[/]: the live database does not match the baseline, so recording it "
            "as applied would be false. Differences:"
        )
        for line in report.refused[:_MAX_ROWS]:
            console.print(f"  - {escape(line)}")
        _more(console, min(len(report.refused), _MAX_ROWS), len(report.refused))
        console.print(
            "[dim]hint: `schemamend doctor` explains them; `schemamend repair` fixes the missing ones[/]"
        )
        return
    if report.already:
        console.print(
            "[green]Nothing to do[/]: the migrations folder already builds the declared schema "
            "and is applied here."
        )
        return
    if report.dry_run:
        console.print(
            f"[bold]Would write[/] {escape(str(report.path))} ({report.statements} statements) and "
            f"archive {len(report.archived) or 'the'} current migration(s). Nothing was changed (--dry-run)."
        )
        return
    console.print(
        f"[bold green]Wrote[/] {escape(str(report.path))} ({report.statements} statements)"
    )
    if report.archived:
        console.print(
            f"[bold]Archived[/] {len(report.archived)} migration(s) to {escape(str(report.archive_dir))}:"
        )
        for name in report.archived[:_MAX_ROWS]:
            console.print(f"  - {escape(name)}")
    if report.never_applied:
        console.print(
            f"[yellow]note[/]: {len(report.never_applied)} of them were never applied here; the "
            "baseline already contains what the schema declares."
        )
    if report.recorded:
        console.print(
            f"[bold green]Recorded[/] `{escape(report.name)}` as applied in _prisma_migrations."
        )
    console.print()
    for line in report.explanation():
        console.print(f"[dim]{escape(line)}[/]")


@click.command()
@schema_option
@url_option
@click.option(
    "--name",
    "name",
    default=None,
    help="Folder name of the baseline (default: <timestamp>_baseline).",
)
@click.option(
    "--dry-run", is_flag=True, help="Verify and show what would be written; change nothing."
)
@shadow_option
@json_option
@handle_errors
def baseline(
    schema: str | None,
    url: str | None,
    name: str | None,
    dry_run: bool,
    shadow_database_url: str | None,
    as_json: bool,
) -> None:
    """Write a migration that builds the schema from empty; archive what it supersedes; record it.

    Refuses (exit 2) unless the live database matches the declared schema and
    the baseline replayed in a shadow database builds the same thing.
    """
    from schemamend.commands.baseline import baseline as run_baseline

    report = run_baseline(
        schema, url=url, name=name, dry_run=dry_run, shadow_database_url=shadow_database_url
    )
    if as_json:
        print_json(report.to_json())
    else:
        print_baseline(report)
    sys.exit(report.exit_code)


# ── demo ───────────────────────────────────────────────────────────────────────


@click.command()
@click.option(
    "--url",
    "url",
    default=None,
    help="Run on this (empty) PostgreSQL database instead of an embedded SQLite file.",
)
@click.option(
    "--keep",
    "keep",
    default=None,
    type=click.Path(file_okay=False),
    help="Build the demo project in this folder and keep it.",
)
@handle_errors
def demo(url: str | None, keep: str | None) -> None:
    """The reference incident end to end: missing tables, doctor, repair, baseline, verify."""
    from schemamend.cli.demo_view import run_and_print

    code = run_and_print(url=url, keep=keep)
    sys.exit(code)
