"""The `schemamend` command line: arguments in, reports out, errors to exit codes.

Exit codes: 0 success; 1 error (invalid input, failed command); 2 a difference
or drift was found (where a verb documents it). Tracebacks only with --debug.
"""

from __future__ import annotations

import gc
import sys
from collections.abc import Callable

import click

from schemamend import __version__
from schemamend.cli.common import escape as _escape
from schemamend.cli.common import handle_errors, json_option, schema_option
from schemamend.cli.output import diagnostic_json, print_diagnostics, print_json, stderr, stdout

__all__ = ["cli", "handle_errors", "json_option", "main", "schema_option"]


class _LazyGroup(click.Group):
    """The top-level group: verbs of `_LAZY_COMMANDS` are loaded on first lookup."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.commands, *_LAZY_COMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in _LAZY_COMMANDS:
            self.add_command(_LAZY_COMMANDS[cmd_name](), cmd_name)
        return self.commands.get(cmd_name)


@click.group(cls=_LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="schemamend")
@click.option("--debug", is_flag=True, help="Show tracebacks of internal errors.")
def cli(debug: bool) -> None:
    """Migration engine and drift doctor for Prisma schemas, in pure Python."""


@cli.command()
@schema_option
@json_option
@handle_errors
def validate(schema: str | None, as_json: bool) -> None:
    """Check a schema as Prisma does and summarise it."""
    from schemamend.commands.validate import validate as run_validate

    report = run_validate(schema)
    if as_json:
        print_json(
            {
                "ok": report.ok,
                "schema": str(report.schema_path),
                "provider": report.provider(),
                "counts": report.counts(),
                "errors": [diagnostic_json(d) for d in report.diagnostics if d.is_error],
                "warnings": [diagnostic_json(d) for d in report.diagnostics if not d.is_error],
            }
        )
        sys.exit(0 if report.ok else 1)
    if report.diagnostics:
        print_diagnostics(report.diagnostics)
    if not report.ok:
        errors = sum(1 for d in report.diagnostics if d.is_error)
        stderr().print(
            f"[bold red]The schema at {_escape(str(report.schema_path))} is invalid[/]: {errors} error(s)."
        )
        sys.exit(1)
    counts = report.counts()
    parts = [
        f"{counts['models']} models",
        f"{counts['enums']} enums",
        f"{counts['relations']} relations",
    ]
    if counts["views"]:
        parts.insert(1, f"{counts['views']} views")
    provider = report.provider()
    suffix = f" ({provider})" if provider else ""
    stdout().print(
        f"The schema at {_escape(str(report.schema_path))} is valid{suffix}: {', '.join(parts)}."
    )


@cli.command("format")
@schema_option
@click.option("--check", is_flag=True, help="Change nothing; exit 1 when a file is not formatted.")
@json_option
@handle_errors
def format_command(schema: str | None, check: bool, as_json: bool) -> None:
    """Rewrite the schema in Prisma's canonical layout (as `prisma format`)."""
    from schemamend.commands.format import format_schema_files

    report = format_schema_files(schema, write=not check)
    if as_json:
        print_json(
            {
                "ok": not (check and report.changed),
                "files": [{"path": str(f.path), "changed": f.changed} for f in report.files],
                "warnings": [diagnostic_json(d) for d in report.warnings],
            }
        )
    else:
        if report.warnings:
            print_diagnostics(list(report.warnings))
        if check and report.changed:
            for item in report.changed:
                stderr().print(f"would reformat {_escape(str(item.path))}")
            stderr().print("! There are unformatted files. Run schemamend format to format them.")
        elif check:
            stdout().print("All files are formatted correctly!")
        else:
            stdout().print(
                f"Formatted {_escape(str(report.schema_path))} in {report.elapsed_ms:.0f}ms."
            )
    if check and report.changed:
        sys.exit(1)


def _migrate() -> click.Command:
    from schemamend.cli.diff_cmds import diff
    from schemamend.cli.migrate_cmds import migrate
    from schemamend.cli.prevent_cmds import dev

    migrate.add_command(diff)
    migrate.add_command(dev)
    return migrate


def _deploy() -> click.Command:
    from schemamend.cli.migrate_cmds import deploy

    return deploy


def _repair() -> click.Command:
    from schemamend.cli.repair_cmds import repair_command

    return repair_command


def _incident(name: str) -> Callable[[], click.Command]:
    def load() -> click.Command:
        from schemamend.cli import incident_cmds

        command: click.Command = getattr(incident_cmds, name)
        return command

    return load


def _lint() -> click.Command:
    from schemamend.cli.lint_cmds import lint_command

    return lint_command


def _check() -> click.Command:
    from schemamend.cli.prevent_cmds import check_command

    return check_command


def _db() -> click.Command:
    from schemamend.cli.db_cmds import db
    from schemamend.cli.pull_cmds import pull

    db.add_command(pull)
    return db


# Verbs defined in their own modules, each imported only when its verb is run (or when
# the help lists every verb): `db pull` does not import what `migrate` or `repair` need.
_LAZY_COMMANDS: dict[str, Callable[[], click.Command]] = {
    "migrate": _migrate,
    "deploy": _deploy,
    "repair": _repair,
    "doctor": _incident("doctor"),
    "verify": _incident("verify"),
    "baseline": _incident("baseline"),
    "demo": _incident("demo"),
    "lint": _lint,
    "check": _check,
    "db": _db,
}


def main() -> None:
    try:
        cli(prog_name="schemamend")
    finally:
        # The process ends next: spare it the interpreter's last garbage collection over
        # every object still alive (30-60 ms, more after a large schema). Output files are
        # closed or flushed by then; atexit handlers still run.
        gc.freeze()


if __name__ == "__main__":
    main()
