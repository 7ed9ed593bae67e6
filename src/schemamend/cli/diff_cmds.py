"""`schemamend migrate diff`: registered on the `migrate` group by cli/main.py."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from schemamend.cli.common import handle_errors, json_option
from schemamend.cli.output import print_json, stdout
from schemamend.commands.diff import State, migrate_diff


def _state(
    side: str, empty: bool, schema: str | None, migrations: str | None, url: str | None
) -> State:
    given = [
        State("empty") if empty else None,
        State("schema", schema) if schema else None,
        State("migrations", migrations) if migrations else None,
        State("url", url) if url else None,
    ]
    chosen = [g for g in given if g is not None]
    if len(chosen) != 1:
        raise click.UsageError(
            f"give exactly one of --{side}-empty, --{side}-schema, --{side}-migrations, --{side}-url"
        )
    return chosen[0]


@click.command("diff")
@click.option("--from-empty", is_flag=True, help="Start from an empty database.")
@click.option("--from-schema", metavar="PATH", help="Start from a schema file or folder.")
@click.option(
    "--from-migrations",
    metavar="DIR",
    help="Start from a migrations folder (replayed in a shadow database).",
)
@click.option("--from-url", metavar="URL", help="Start from a live database.")
@click.option("--to-empty", is_flag=True, help="End at an empty database.")
@click.option("--to-schema", metavar="PATH", help="End at a schema file or folder.")
@click.option(
    "--to-migrations",
    metavar="DIR",
    help="End at a migrations folder (replayed in a shadow database).",
)
@click.option("--to-url", metavar="URL", help="End at a live database.")
@click.option("--script", is_flag=True, help="Print the SQL script instead of a summary.")
@click.option(
    "--exit-code", is_flag=True, help="Exit 2 when there are changes, 0 when none, 1 on error."
)
@click.option(
    "--output", "output", metavar="FILE", help="Write to FILE instead of standard output."
)
@click.option(
    "--shadow-database-url", metavar="URL", help="Server for replaying migrations folders."
)
@json_option
@handle_errors
def diff(
    from_empty: bool,
    from_schema: str | None,
    from_migrations: str | None,
    from_url: str | None,
    to_empty: bool,
    to_schema: str | None,
    to_migrations: str | None,
    to_url: str | None,
    script: bool,
    exit_code: bool,
    output: str | None,
    shadow_database_url: str | None,
    as_json: bool,
) -> None:
    """Compare two schema states and print the SQL (or a summary) that turns one into the other."""
    source = _state("from", from_empty, from_schema, from_migrations, from_url)
    target = _state("to", to_empty, to_schema, to_migrations, to_url)
    report = migrate_diff(source, target, shadow_database_url=shadow_database_url)
    if as_json:
        print_json(
            {
                "from": source.label(),
                "to": target.label(),
                "provider": report.dialect.name,
                "empty": report.is_empty,
                "changes": report.describe_changes(),
                "script": report.script,
            }
        )
    else:
        text = report.script if script else report.summary
        if output:
            Path(output).write_text(text, encoding="utf-8")
            stdout().print(f"Wrote {len(report.changes)} change(s) to {output}")
        else:
            sys.stdout.write(text if text.endswith("\n") else text + "\n")
    if exit_code:
        sys.exit(0 if report.is_empty else 2)
