"""CLI verbs for migration history: `migrate deploy|status|resolve` and the start-up `deploy`.

Registered in cli/main.py with `cli.add_command(migrate)` and
`cli.add_command(deploy)`.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click
from rich.markup import escape

from schemamend.cli.common import handle_errors, json_option, schema_option, url_option
from schemamend.cli.output import print_json, stderr, stdout
from schemamend.db import DatabaseError
from schemamend.migrate.apply import ApplyResult, FailedMigration, describe_ran
from schemamend.migrate.status import HistoryStatus

F = TypeVar("F", bound=Callable[..., Any])

_FAMILY_LABELS = {
    "postgresql": "PostgreSQL",
    "postgres": "PostgreSQL",
    "mysql": "MySQL",
    "sqlite": "SQLite",
}


def lock_timeout_option(func: F) -> F:
    return click.option(
        "--lock-timeout",
        "lock_timeout",
        type=click.FloatRange(min=0),
        default=60.0,
        show_default=True,
        help="Seconds to wait for the migration lock held by another deploy.",
    )(func)


def _target_line(target: Any) -> str:
    label = _FAMILY_LABELS.get(target.provider, target.provider)
    if target.provider == "sqlite":
        return f'Datasource "{target.datasource}": {label} database "{target.database_name}" at "{target.location}"'
    where = f', schema "{target.namespace}"' if label == "PostgreSQL" else ""
    return (
        f'Datasource "{target.datasource}": {label} database "{target.database_name}"{where} '
        f'at "{target.location}"'
    )


def _out(text: str = "") -> None:
    stdout().print(escape(text))


# --------------------------------------------------------------------------- migrate group


@click.group()
def migrate() -> None:
    """Apply and inspect migration history (Prisma's migrations folder and _prisma_migrations)."""


@migrate.command("deploy")
@schema_option
@url_option
@lock_timeout_option
@json_option
@handle_errors
def migrate_deploy(schema: str | None, url: str | None, lock_timeout: float, as_json: bool) -> None:
    """Apply pending migrations, each with its history row (one transaction where possible)."""
    from schemamend.commands.migrate import deploy

    report = deploy(schema, url=url, lock_timeout_s=lock_timeout)
    if as_json:
        print_json({"ok": report.ok, **_target_json(report.target), **_apply_json(report.result)})
        sys.exit(report.exit_code)
    _out(_target_line(report.target))
    _out()
    _print_apply(report.result, str(report.target.migrations_dir))
    sys.exit(report.exit_code)


@migrate.command("status")
@schema_option
@url_option
@json_option
@handle_errors
def migrate_status(schema: str | None, url: str | None, as_json: bool) -> None:
    """Compare the migrations folder with the database; exit 0 only when up to date."""
    from schemamend.commands.migrate import status

    report = status(schema, url=url)
    if as_json:
        print_json(
            {
                **_target_json(report.target),
                "databaseExists": report.database_exists,
                **_status_json(report.status),
            }
        )
        sys.exit(report.exit_code)
    _out(_target_line(report.target))
    _out()
    if not report.database_exists:
        _out("The database does not exist yet (`migrate deploy` creates it).")
    _print_status(report.status, str(report.target.migrations_dir))
    sys.exit(report.exit_code)


@migrate.command("resolve")
@schema_option
@url_option
@click.option("--applied", "applied", default=None, metavar="NAME", help="Record NAME as applied.")
@click.option(
    "--rolled-back",
    "rolled_back",
    default=None,
    metavar="NAME",
    help="Record the failed NAME as rolled back.",
)
@click.option("--force", is_flag=True, help="With --applied: record it without verifying first.")
@lock_timeout_option
@json_option
@handle_errors
def migrate_resolve(
    schema: str | None,
    url: str | None,
    applied: str | None,
    rolled_back: str | None,
    force: bool,
    lock_timeout: float,
    as_json: bool,
) -> None:
    """Resolve a failed migration: --rolled-back NAME (then deploy retries it) or --applied NAME."""
    from schemamend.commands.migrate import resolve

    report = resolve(
        schema,
        applied=applied,
        rolled_back=rolled_back,
        force=force,
        url=url,
        lock_timeout_s=lock_timeout,
    )
    notes = _verification_notes(report.verification)
    if as_json:
        print_json(
            {
                "ok": True,
                **_target_json(report.target),
                "action": report.action,
                "migration": report.name,
                "verification": notes,
            }
        )
        return
    _out(_target_line(report.target))
    _out()
    for note in notes:
        _out(note)
    if report.action == "applied":
        _out(f"Migration {report.name} marked as applied.")
    else:
        _out(f"Migration {report.name} marked as rolled back.")


def _verification_notes(verification: Any) -> list[str]:
    if verification is None:
        return []
    if verification.skipped:
        return ["Not verified (--force)."]
    if verification.unavailable:
        return [f"Not verified: {verification.unavailable}."]
    replay = verification.replay
    if replay is not None and replay.failure is not None:
        return [
            "Not verified: the migrations up to it do not replay on an empty database "
            f"({replay.failure.describe()})."
        ]
    if verification.comparison is None:
        return [
            "History up to it replays cleanly in a shadow database; comparing that with the live "
            "database needs the schema differ, which is not available yet: not verified."
        ]
    return ["Verified: the live database contains what the migrations up to it create."]


# --------------------------------------------------------------------------- start-up deploy


@click.command("deploy")
@schema_option
@url_option
@click.option(
    "--wait",
    "wait",
    type=click.FloatRange(min=0),
    default=0.0,
    show_default=True,
    help="Seconds to wait for the database to accept connections (retries with backoff).",
)
@lock_timeout_option
@json_option
@handle_errors
def deploy(
    schema: str | None, url: str | None, wait: float, lock_timeout: float, as_json: bool
) -> None:
    """Start-up command: wait for the database, apply pending migrations, check the schema.

    Never falls back to `db push`, never hides a failure. Exit 0: up to date;
    1: a migration or the connection failed; 2: declared tables/columns/enums
    are missing from the database (drift).
    """
    from schemamend.commands.migrate import startup_deploy

    def on_retry(attempt: int, error: DatabaseError, pause: float) -> None:
        if not as_json:
            stderr().print(
                escape(f"waiting for the database (attempt {attempt}, retry in {pause:.1f} s)")
            )

    report = startup_deploy(
        schema, wait_s=wait, url=url, lock_timeout_s=lock_timeout, on_retry=on_retry
    )
    if as_json:
        payload: dict[str, Any] = {
            "ok": report.ok,
            "exitCode": report.exit_code,
            **_target_json(report.target),
        }
        payload["attempts"] = report.attempts
        if report.result is not None:
            payload.update(_apply_json(report.result))
        if report.error is not None:
            payload["error"] = {"code": report.error.code, "message": report.error.message}
        if report.live_check is not None:
            payload["drift"] = {
                "checked": report.live_check.scope,
                "missing": list(report.live_check.missing),
                "different": list(report.live_check.different),
                "extra": report.live_check.extra,
                "note": report.live_check.note,
            }
        sys.stdout.write(json.dumps(payload, separators=(",", ":")) + "\n")
        sys.exit(report.exit_code)
    _print_startup(report)
    sys.exit(report.exit_code)


def _print_startup(report: Any) -> None:
    _out(_target_line(report.target))
    if report.attempts > 1:
        _out(f"Database reachable after {report.attempts} attempts ({report.waited_s:.1f} s).")
    if report.error is not None:
        stderr().print(
            f"[bold red]error[/] {escape(report.error.code)}: {escape(report.error.message)}"
        )
        if report.error.hint:
            stderr().print(f"[dim]hint[/]: {escape(report.error.hint)}")
        return
    result = report.result
    if result is None:
        return
    if result.failed is not None:
        _print_failure(result.failed)
        return
    applied = len(result.applied)
    if applied:
        _out(f"Applied {applied} migration(s): " + ", ".join(m.name for m in result.applied) + ".")
    else:
        _out(f"No pending migrations ({result.found} in the folder, all applied).")
    check = report.live_check
    if check is None:
        return
    if check.note:
        _out(f"Note: {check.note}.")
    if check.different:
        _out(
            f"Note: {len(check.different)} declared object(s) differ in the database (not a failure):"
        )
        for text in check.different[:5]:
            _out(f"  ~ {text}")
    if check.ok:
        _out(f"Schema check: all {check.tables_declared} declared tables exist ({check.scope}).")
        return
    missing = check.missing
    stderr().print(
        f"[bold red]drift[/]: {len(missing)} declared object(s) missing from the database:"
    )
    shown = missing[:15]
    for item in shown:
        stderr().print(escape(f"  - {item}"))
    if len(missing) > len(shown):
        stderr().print(escape(f"  ... and {len(missing) - len(shown)} more (--json lists all)"))
    stderr().print(
        "[dim]hint[/]: the migrations folder does not create them; write a migration that does "
        "(schemamend never falls back to db push)"
    )


# --------------------------------------------------------------------------- rendering


def _print_apply(result: ApplyResult, folder: str) -> None:
    _out(f"{result.found} migration{'s' if result.found != 1 else ''} found in {folder}")
    _out()
    for migration in result.applied:
        how = "one transaction" if migration.atomic else "statement by statement"
        _out(f"Applied migration `{migration.name}` ({migration.statements} statements, {how})")
    for name in result.skipped:
        _out(f"Skipped `{name}`: applied meanwhile by another deploy")
    if result.failed is not None:
        _print_failure(result.failed)
        return
    if not result.applied:
        _out("No pending migrations to apply.")
    else:
        _out()
        _out("All migrations have been successfully applied.")


def _print_failure(failed: FailedMigration) -> None:
    err = stderr()
    st = failed.statement
    err.print(f"[bold red]error[/] P3018: migration `{escape(failed.name)}` failed to apply.")
    err.print(
        escape(f"  {failed.path}, {st.lines} (statement {st.index} of {failed.total_statements}):")
    )
    for line in st.text.splitlines()[:8]:
        err.print(escape(f"    {line}"))
    err.print(escape(f"  Database error code: {failed.db_code or 'unknown'}"))
    for line in failed.db_message.splitlines():
        err.print(escape(f"  {line}"))
    err.print(escape(describe_ran(failed)))
    err.print(
        escape(
            "hint: later deploys refuse to run until it is resolved: fix the cause, then "
            f"`schemamend migrate resolve --rolled-back {failed.name}` to retry it, or "
            f"`--applied {failed.name}` if you completed it by hand"
        )
    )


def _print_status(status: HistoryStatus, folder: str) -> None:
    count = status.folder_count
    _out(f"{count} migration{'s' if count != 1 else ''} found in {folder}")
    _out()
    if not status.has_history_table and status.folder_count:
        _out("No migration was ever applied (no _prisma_migrations table).")
    sections = [
        (
            "Following migration(s) have failed (deploys are blocked until resolved):",
            [f.name for f in status.failed],
        ),
        ("Following migration(s) were edited after they were applied:", status.edited),
        (
            "Following migration(s) are recorded in the database but missing from the folder:",
            status.missing_from_folder,
        ),
        ("Following migration(s) have not yet been applied:", status.pending),
    ]
    for title, names in sections:
        if names:
            _out(title)
            for name in names:
                _out(name)
            _out()
    if status.rolled_back:
        _out("Rolled back (attempts that no longer count): " + ", ".join(status.rolled_back))
        _out()
    _print_archived(status.archived)
    if status.up_to_date:
        _out("Database schema is up to date!")
    elif status.failed:
        _out("Resolve with `schemamend migrate resolve --rolled-back NAME` or `--applied NAME`.")
    elif status.pending and not (status.edited or status.missing_from_folder):
        _out("To apply them run `schemamend migrate deploy`.")


def _print_archived(archived: dict[str, str]) -> None:
    """Recorded migrations a baseline superseded: expected after `schemamend baseline`, not a problem."""
    for baseline in dict.fromkeys(archived.values()):
        names = [name for name, by in archived.items() if by == baseline]
        _out(
            f"Following migration(s) were archived by a baseline (moved to migrations_archive/{baseline}/):"
        )
        for name in names:
            _out(name)
        _out()


def _target_json(target: Any) -> dict[str, Any]:
    return {
        "schema": str(target.schema_path),
        "provider": target.provider,
        "database": target.database,
        "migrationsDir": str(target.migrations_dir),
    }


def _apply_json(result: ApplyResult) -> dict[str, Any]:
    data: dict[str, Any] = {
        "found": result.found,
        "applied": [m.name for m in result.applied],
        "skipped": result.skipped,
        "failed": None,
    }
    failed = result.failed
    if failed is not None:
        data["failed"] = {
            "migration": failed.name,
            "statement": failed.statement.index,
            "startLine": failed.statement.start_line,
            "endLine": failed.statement.end_line,
            "sql": failed.statement.text,
            "dbCode": failed.db_code,
            "dbMessage": failed.db_message,
            "atomic": failed.atomic,
            "committedStatements": [s.index for s in failed.committed],
        }
    return data


def _status_json(status: HistoryStatus) -> dict[str, Any]:
    return {
        "upToDate": status.up_to_date,
        "found": status.folder_count,
        "hasHistoryTable": status.has_history_table,
        "applied": status.applied,
        "pending": status.pending,
        "failed": [
            {"migration": f.name, "startedAt": f.started_at.isoformat(), "logs": f.logs}
            for f in status.failed
        ],
        "rolledBack": status.rolled_back,
        "edited": status.edited,
        "missingFromFolder": status.missing_from_folder,
        "archived": [{"migration": name, "baseline": by} for name, by in status.archived.items()],
    }
