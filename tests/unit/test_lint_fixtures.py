"""Every lint rule fires where its fixture says, and nowhere else.

tests/fixtures/lint/ holds one case per rule: a migration script (`CODE-name.sql`) or a
migrations folder (`CODE-name/`, for rules that need history or folder names), and beside it
`CODE-name.expected.txt`: every finding, in the text format (`file:line: CODE level: message`).
A rule firing in another rule's fixture (or in `clean.sql`) fails that fixture's test.
Subfolders `mysql/` and `sqlite/` hold cases for those dialects (each with its schema).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from schemamend.commands.lint import lint
from schemamend.lint import RULES
from schemamend.lint.output import render

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "lint"


def _cases() -> list[Path]:
    cases: list[Path] = []
    for folder in (FIXTURES, FIXTURES / "mysql", FIXTURES / "sqlite"):
        for path in sorted(folder.iterdir()):
            if path.name.endswith(".expected.txt") or path.name == "schema.prisma":
                continue
            if path.suffix == ".sql" or (path.is_dir() and path.name[:3] == "SML"):
                cases.append(path)
    return cases


def _expected_path(case: Path) -> Path:
    return case.with_name(case.name.removesuffix(".sql") + ".expected.txt")


@pytest.mark.parametrize("case", _cases(), ids=lambda p: str(p.relative_to(FIXTURES)))
def test_fixture_findings_match_the_expected_file(case: Path) -> None:
    report = lint([case.name], schema="schema.prisma", cwd=case.parent)
    expected = _expected_path(case).read_text(encoding="utf-8").splitlines()
    assert render(report.findings, "text") == expected


def test_every_rule_has_a_fixture_named_after_its_code() -> None:
    names = {p.name.removesuffix(".sql") for p in _cases()}
    for rule in RULES:
        assert f"{rule.code}-{rule.name}" in names, f"no fixture for {rule.code} {rule.name}"


def test_each_rule_fixture_fires_its_own_rule() -> None:
    for case in _cases():
        code = case.name[:6]
        if not code.startswith("SML"):
            continue
        lines = _expected_path(case).read_text(encoding="utf-8").splitlines()
        assert any(f": {code} " in line for line in lines), f"{case.name} does not fire {code}"
