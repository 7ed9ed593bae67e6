"""Decorators shared by every verb: error handling and the common options."""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

import click

from schemamend.cli.output import diagnostic_json, print_diagnostics, print_json, stderr
from schemamend.errors import SchemaInvalidError, SchemamendError

F = TypeVar("F", bound=Callable[..., Any])


def handle_errors(func: F) -> F:
    """Map SchemamendError (and anything unexpected) to a message and exit code 1."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        ctx = click.get_current_context()
        debug = bool(ctx.find_root().params.get("debug"))
        as_json = bool(kwargs.get("as_json"))
        try:
            return func(*args, **kwargs)
        except click.exceptions.Exit:
            raise
        except SchemaInvalidError as exc:
            if as_json:
                print_json({"ok": False, "errors": [diagnostic_json(d) for d in exc.diagnostics]})
            else:
                print_diagnostics(exc.diagnostics)
            sys.exit(1)
        except SchemamendError as exc:
            if debug:
                raise
            if as_json:
                print_json(
                    {
                        "ok": False,
                        "error": {"code": exc.code, "message": exc.message, "hint": exc.hint},
                    }
                )
            else:
                stderr().print(f"[bold red]error[/]: {escape(exc.message)}")
                if exc.hint:
                    stderr().print(f"[dim]hint[/]: {escape(exc.hint)}")
            sys.exit(exc.exit_code)
        except KeyboardInterrupt:
            stderr().print("interrupted")
            sys.exit(130)
        except Exception as exc:  # noqa: BLE001 - the last line of defence against tracebacks
            if debug:
                raise
            stderr().print(
                f"[bold red]internal error[/]: {escape(type(exc).__name__)}: {escape(str(exc))}\n"
                "Run again with --debug for the traceback, and please report it."
            )
            sys.exit(1)

    return wrapper  # type: ignore[return-value]


def escape(text: str) -> str:
    from rich.markup import escape

    return escape(text)


def json_option(func: F) -> F:
    return click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")(func)


def schema_option(func: F) -> F:
    return click.option(
        "--schema",
        "schema",
        type=str,
        default=None,
        help="Schema file or folder (default: prisma/schema.prisma, or package.json's prisma.schema).",
    )(func)


def url_option(func: F) -> F:
    return click.option(
        "--url",
        "url",
        default=None,
        help="Database URL (default: the datasource's url / env(...), else DATABASE_URL).",
    )(func)
