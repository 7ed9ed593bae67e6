"""Side by side: which hazards `schemamend lint` and squawk report on the same fixture files.

    .venv/bin/python scripts/lint_vs_squawk.py            # markdown table on stdout (for the README)

Each fixture in tests/fixtures/lint/ exercises one schemamend rule. Both tools read the same
files: schemamend lints the fixture as its tests do (with tests/fixtures/lint/schema.prisma);
squawk (PyPI `squawk-cli`, a binary inside the wheel) reads every .sql file of the fixture.
A cell counts the statements where the tool reports the fixture's hazard (schemamend: the
rule's code; squawk: its equivalent rules), next to the number of statements the fixture's
comments say are hazardous ("expected"): more than expected means it also fired where the
fixture shows the statement is safe. The last column lists every squawk rule that fired,
including its style rules (robust statements, timeouts, bigint...). `clean.sql` is what
Prisma generates for a new model: nothing to report.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "lint"

# The squawk rules that report the same hazard as each schemamend rule (from squawk's docs).
EQUIVALENT: dict[str, tuple[str, ...]] = {
    "SML000": ("syntax-error",),
    "SML001": ("ban-drop-table",),
    "SML002": ("ban-drop-column",),
    "SML003": ("changing-column-type",),
    "SML004": ("adding-required-field",),
    "SML005": ("adding-not-nullable-field",),
    "SML006": ("disallowed-unique-constraint",),
    "SML007": ("adding-foreign-key-constraint",),
    "SML008": ("require-concurrent-index-creation",),
    "SML009": ("ban-concurrent-index-creation-in-transaction",),
    "SML010": ("renaming-column", "renaming-table"),
    "SML011": (),
    "SML012": (),
    "SML013": (),
    "SML014": (),
    "SML015": (),
}


def squawk_binary() -> str | None:
    beside = Path(sys.executable).with_name("squawk")
    return str(beside) if beside.exists() else shutil.which("squawk")


def squawk_violations(binary: str, files: list[Path]) -> list[tuple[str, str, int]]:
    """(rule, file, line) for every squawk violation."""
    done = subprocess.run(
        [binary, "--reporter", "json", *map(str, files)],
        capture_output=True,
        text=True,
        check=False,
    )
    try:
        violations = json.loads(done.stdout or "[]")
    except json.JSONDecodeError:
        reason = (done.stderr.strip().splitlines() or ["?"])[0]
        return [(f"(squawk failed: {reason})", "", 0)]
    return [
        (str(v.get("rule_name")), str(v.get("file")), int(v.get("line") or 0)) for v in violations
    ]


def schemamend_hits(case: Path, code: str) -> int:
    from schemamend.commands.lint import lint

    report = lint([case.name], schema="schema.prisma", cwd=case.parent)
    return len({(f.file, f.line) for f in report.findings if f.code == code})


def expected_hits(case: Path, code: str) -> int:
    expected = case.with_name(case.name.removesuffix(".sql") + ".expected.txt")
    lines = expected.read_text(encoding="utf-8").splitlines()
    return len({line.split(f": {code} ")[0] for line in lines if f": {code} " in line})


def fixture_cases() -> list[Path]:
    return sorted(
        p
        for p in FIXTURES.iterdir()
        if (p.name.startswith("SML") or p.name == "clean.sql")
        and not p.name.endswith(".expected.txt")
    )


def table(binary: str | None) -> str:
    from schemamend.lint import rule

    lines = [
        "| fixture | hazard | expected | schemamend | squawk | squawk rules fired on the fixture |",
        "|---|---|---|---|---|---|",
    ]
    for case in fixture_cases():
        files = sorted(case.rglob("*.sql")) if case.is_dir() else [case]
        violations = squawk_violations(binary, files) if binary else []
        fired = sorted({v[0] for v in violations})
        if case.name == "clean.sql":
            code, hazard, expected, ours = "clean.sql", "(none)", 0, _all_hits(case)
            theirs = len({(f, ln) for _, f, ln in violations})
        else:
            code = case.name[:6]
            hazard, expected = rule(code).name, expected_hits(case, code)
            ours = schemamend_hits(case, code)
            theirs = len({(f, ln) for r, f, ln in violations if r in EQUIVALENT[code]})
        squawk_cell = "n/a" if binary is None else str(theirs)
        lines.append(
            f"| {code} | {hazard} | {expected} | {ours} | {squawk_cell} | {', '.join(fired) or '—'} |"
        )
    return "\n".join(lines)


def _all_hits(case: Path) -> int:
    from schemamend.commands.lint import lint

    return len(lint([case.name], schema="schema.prisma", cwd=case.parent).findings)


def main() -> None:
    binary = squawk_binary()
    if binary is None:
        print("squawk not found: install the bench extra (pip install squawk-cli)", file=sys.stderr)
    else:
        version = subprocess.run(
            [binary, "--version"], capture_output=True, text=True
        ).stdout.strip()
        print(f"<!-- produced by scripts/lint_vs_squawk.py with {version} -->")
    print(table(binary))


if __name__ == "__main__":
    main()
