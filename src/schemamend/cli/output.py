"""Turning reports and errors into terminal text or JSON.

rich is imported when the first console is made: a command that prints JSON
or raw text (`db pull --print`) does not pay for it.
"""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console

    from schemamend.diagnostics import Diagnostic

_stdout: Console | None = None
_stderr: Console | None = None


def stdout() -> Console:
    global _stdout
    if _stdout is None:
        from rich.console import Console

        _stdout = Console(highlight=False, soft_wrap=True)
    return _stdout


def stderr() -> Console:
    global _stderr
    if _stderr is None:
        from rich.console import Console

        _stderr = Console(stderr=True, highlight=False, soft_wrap=True)
    return _stderr


def print_json(payload: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(payload, indent=2, sort_keys=False) + "\n")


def diagnostic_json(diagnostic: Diagnostic) -> dict[str, Any]:
    data: dict[str, Any] = {"severity": diagnostic.severity.value, "message": diagnostic.message}
    data.update(diagnostic.location())
    return data


def print_diagnostics(diagnostics: list[Diagnostic], console: Console | None = None) -> None:
    """Prisma's layout, with a caret under single-line spans and colour on a terminal."""
    from rich.text import Text

    console = console or stderr()
    for diagnostic in diagnostics:
        rendered = diagnostic.render(caret=True)
        head, _, rest = rendered.partition("\n")
        style = "bold red" if diagnostic.is_error else "bold yellow"
        severity, _, message = head.partition(": ")
        line = Text()
        line.append(severity, style=style)
        line.append(": ")
        line.append(message, style="bold")
        console.print(line)
        if rest:
            console.print(Text(rest, style="none"))
        console.print()
