"""Findings as text lines (`file:line: CODE message`), GitHub annotations, or JSON."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from schemamend.lint.findings import Finding


def text_line(f: Finding) -> str:
    """`file:line: CODE message` — what GitHub's problem matchers and editors parse."""
    return f"{f.file}:{f.line}: {f.code} {f.level.value}: {f.message}"


def github_line(f: Finding) -> str:
    """A GitHub Actions workflow command: an annotation on the file and line."""
    message = _escape_data(f"{f.message}. Fix: {f.fix}")
    file = _escape_property(f.file)
    title = _escape_property(f"{f.code} {f.rule.name}")
    return f"::{f.level.value} file={file},line={f.line},title={title}::{message}"


def render(findings: Sequence[Finding], fmt: str) -> list[str]:
    line = github_line if fmt == "github" else text_line
    return [line(f) for f in findings]


def as_json(findings: Sequence[Finding]) -> list[dict[str, Any]]:
    return [f.to_json() for f in findings]


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")
