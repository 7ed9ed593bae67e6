"""`schemamend db pull`: registered on the `db` group by cli/main.py."""

from __future__ import annotations

import sys

import click

from schemamend.cli.common import escape, handle_errors, json_option, schema_option, url_option
from schemamend.cli.output import print_json, stderr, stdout


@click.command("pull")
@schema_option
@url_option
@click.option("--print", "print_only", is_flag=True, help="Print the schema instead of writing it.")
@json_option
@handle_errors
def pull(schema: str | None, url: str | None, print_only: bool, as_json: bool) -> None:
    """Write a schema.prisma describing the live database (as `prisma db pull`)."""
    from schemamend.commands.pull import db_pull

    report = db_pull(schema, url=url, print_only=print_only)
    if as_json:
        print_json(
            {
                "ok": True,
                "schema": str(report.schema_path),
                "written": report.written,
                "models": report.models,
                "enums": report.enums,
                "warnings": list(report.warnings),
                "text": report.text,
            }
        )
        return
    for warning in report.warnings:
        stderr().print(f"[yellow]warning[/]: {escape(warning)}")
    if print_only:
        sys.stdout.write(report.text)
        return
    stdout().print(
        f"Introspected {report.models} models and {report.enums} enums from {escape(report.url)} "
        f"and wrote them into {escape(str(report.schema_path))}."
    )
