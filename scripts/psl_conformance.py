"""Conformance of schemamend's schema validation with Prisma's own fixtures.

    python scripts/psl_conformance.py [SHARED_DIR] [--markdown] [--verbose]

Each fixture in <shared>/corpus/psl-validation is a schema whose trailing
`// error: ...` / `// warning: ...` comment block is what Prisma prints for it.
We validate the whole file, render our diagnostics in Prisma's layout and
compare:

- verdict: valid (no error; warnings allowed) or invalid, must agree;
- messages: each expected diagnostic block counts once; it matches when one of
  our rendered blocks is identical (message, location line and context lines).

Exit status 1 when verdict agreement is below 100 %.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT / "src"))

from schemamend.psl import check_text  # noqa: E402

FIXTURE_DIR = Path("corpus") / "psl-validation"
FILE_LABEL = "schema.prisma"

# Providers schemamend does not support (yet): their fixtures are not considered.
EXCLUDED_PROVIDERS = {
    "mongodb": "MongoDB is not a SQL database; schemamend does not support it",
    "sqlserver": "SQL Server is not supported yet (schemamend reports a clear error for it)",
    "cockroachdb": "CockroachDB is not supported yet (schemamend reports a clear error for it)",
}

# Fixtures that contradict the Prisma 7.10.1 CLI (checked with the oracle) or another fixture.
EXCLUDED_FIXTURES = {
    "attributes/schema/mysql_does_not_support_multischema.prisma": (
        "expects a valid schema, but the identical fixture mysql_enums_do_not_have_a_schema expects an error "
        "and Prisma 7.10.1 reports 'The `schemas` property is not supported on the current connector.'"
    ),
    "attributes/schema/sqlite_does_not_support_multischema copy.prisma": (
        "expects a valid schema, but attributes/schema/on_sqlite.prisma expects the error for the same "
        "`schemas` property on SQLite, and Prisma 7.10.1 reports it too"
    ),
    "models/field_with_non_ascii_ident_should_not_error.prisma": (
        "expects 'This line is not a valid field or attribute definition.' for the field `lööps String[]`, "
        "but Prisma 7.10.1 accepts non-ASCII field names (as the fixture's own name says)"
    ),
    "preview_features/schema_engine_driver_adapters/postgres/url_is_still_required.prisma": (
        "expects 'Argument \"url\" is missing' for a PostgreSQL datasource without `url`; Prisma 7.10.1 keeps "
        "connection URLs out of the schema and accepts it (as every other fixture without `url` shows)"
    ),
    "views/no_unique.prisma": (
        "expects 'Each view must have at least one unique criteria', but views/basic_view.prisma and "
        "views/multi_schema.prisma (same shape) are valid, and Prisma 7.10.1 accepts all three"
    ),
    # Relation fixtures from older Prisma versions (wording or rule checked with the 7.10.1 CLI):
    "mysql/set_default_disabled.prisma": (
        "expects an 'Invalid referential action: `SetDefault`' error; Prisma 7.10.1 accepts SetDefault on "
        "MySQL with the warning 'MySQL does not actually support the `SetDefault` referential action...'"
    ),
    "mysql/set_default_disabled_when_relation_mode_foreign_keys.prisma": (
        'same schema as mysql/set_default_disabled.prisma with relationMode = "foreignKeys": Prisma 7.10.1 '
        "warns ('MySQL does not actually support the `SetDefault` referential action...') instead of failing"
    ),
    "mysql/set_default_warning_when_relation_mode_foreignkeys.prisma": (
        "old wording 'Using SetDefault on MySQL may yield to unexpected results...'; Prisma 7.10.1 prints the "
        "warning of mysql/set_default_warning.prisma"
    ),
    "relations/model_has_relation_to_a_view.prisma": (
        "expects 'Relations currently cannot be used with views' errors; Prisma 7.10.1 has no such rule "
        "(relations to views validate) and only reports 'Views cannot have primary keys.'"
    ),
    "relations/postgres/set_null_warns_on_mixed_fields.prisma": (
        "old wording; Prisma 7.10.1 warns 'The `onDelete` referential action of a relation should not be set "
        "to `SetNull` when a referenced field is required. We recommend ...'"
    ),
    "relations/postgres/set_null_warns_on_required_fields.prisma": (
        "old wording; Prisma 7.10.1 warns 'The `onDelete` referential action of a relation should not be set "
        "to `SetNull` when a referenced field is required. We recommend ...'"
    ),
    **{
        f"attributes/index/missing_index_warning/relation_mode_prisma/{name}.prisma": (
            "old wording of the missing-index warning; Prisma 7.10.1 prints the one-line text of "
            "three_fields_mixed_id.prisma ('... so relation fields will not benefit from the index ...')"
        )
        for name in (
            "one_field_no_index",
            "three_fields_index_leftmost",
            "three_fields_index_rightmost",
            "three_fields_mixed_unique",
            "three_fields_no_index",
        )
    },
    "mysql/node_drivers/prisma_mysql.prisma": (
        "the expected block is a rendering artefact of an old Prisma (`^ Unexpected token.` on line 1); "
        "the '@prisma/mysql' provider does not exist in Prisma 7.10.1"
    ),
}


# Expected messages we deliberately do not reproduce (verdict still agrees), checked with the oracle.
MESSAGE_DEVIATIONS = {
    "attributes/schema/mysql_enums_do_not_have_a_schema.prisma": (
        "Prisma 7.10.1 reports 'The `schemas` property is not supported on the current connector.' for this "
        "schema, not 'MySQL enums do not belong to a schema.'"
    ),
    "preview_features/native_full_text_search_postgres/mysql.prisma": (
        "the list after 'Expected one of:' is an older Prisma's; Prisma 7.10.1 lists nativeDistinct, "
        "partialIndexes, postgresqlExtensions, relationJoins, schemaEngineDriverAdapters, shardKeys, "
        "strictUndefinedChecks, typedSql, views"
    ),
    "views/view_with_indexes.prisma": (
        "Prisma 7.10.1 accepts `@unique` on a view field (it is the view's unique criteria) and only reports the "
        "`@@index`"
    ),
}


@dataclass
class FixtureResult:
    path: str
    provider: str | None
    expected: list[str]
    actual: list[str]
    expected_invalid: bool
    actual_invalid: bool
    excluded: str | None = None
    matched: int = 0
    missing: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)

    @property
    def verdict_ok(self) -> bool:
        return self.expected_invalid == self.actual_invalid


def shared_dir(argument: str | None) -> Path:
    if argument:
        return Path(argument).resolve()
    env = os.environ.get("SCHEMAMEND_SHARED")
    if env:
        return Path(env).resolve()
    return (REPO_ROOT.parent / "shared").resolve()


def split_fixture(text: str) -> list[str]:
    """The expected diagnostic blocks of a fixture (trailing `// error:` comment block)."""
    lines = text.splitlines()
    start: int | None = None
    for index in range(len(lines) - 1, -1, -1):
        line = lines[index]
        if not line.startswith("//"):
            if line.strip() == "":
                continue
            break
        body = _uncomment(line)
        if body.startswith("error: ") or body.startswith("warning: "):
            start = index
    if start is None:
        return []
    blocks: list[list[str]] = []
    for line in lines[start:]:
        if not line.startswith("//"):
            continue
        body = _uncomment(line)
        if body.startswith("error: ") or body.startswith("warning: "):
            blocks.append([body])
        elif blocks:
            blocks[-1].append(body)
    return ["\n".join(_trim_block(b)) for b in blocks]


def _uncomment(line: str) -> str:
    return line[3:] if line.startswith("// ") else line[2:]


def _trim_block(lines: list[str]) -> list[str]:
    while lines and lines[-1].strip() == "":
        lines.pop()
    return [line.rstrip() for line in lines]


def normalise(block: str) -> str:
    return "\n".join(line.rstrip() for line in block.splitlines()).strip()


def provider_of(text: str) -> str | None:
    in_datasource = False
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("datasource "):
            in_datasource = True
        elif in_datasource and stripped.startswith("}"):
            in_datasource = False
        elif in_datasource and stripped.startswith("provider"):
            _, _, value = stripped.partition("=")
            value = value.strip().strip('"')
            return {"postgres": "postgresql"}.get(value, value)
    return None


def run_fixture(root: Path, path: Path) -> FixtureResult:
    text = path.read_text(encoding="utf-8")
    relative = path.relative_to(root).as_posix()
    provider = provider_of(text)
    expected = [normalise(b) for b in split_fixture(text)]
    result = check_text(text, FILE_LABEL)
    actual = [normalise(d.render(file_label=FILE_LABEL)) for d in result.diagnostics]
    fixture = FixtureResult(
        path=relative,
        provider=provider,
        expected=expected,
        actual=actual,
        expected_invalid=any(b.startswith("error: ") for b in expected),
        actual_invalid=bool(result.errors),
    )
    if relative in EXCLUDED_FIXTURES:
        fixture.excluded = EXCLUDED_FIXTURES[relative]
    elif provider in EXCLUDED_PROVIDERS:
        fixture.excluded = EXCLUDED_PROVIDERS[provider]
    available = Counter(actual)
    for block in expected:
        if available[block] > 0:
            available[block] -= 1
            fixture.matched += 1
        else:
            fixture.missing.append(block)
    fixture.extra = list(available.elements())
    return fixture


def run_all(shared: Path) -> list[FixtureResult]:
    root = shared / FIXTURE_DIR
    paths = sorted(p for p in root.rglob("*") if p.is_file())
    return [run_fixture(root, p) for p in paths]


@dataclass
class Summary:
    considered: list[FixtureResult]
    excluded: list[FixtureResult]

    @property
    def verdict_agreement(self) -> float:
        if not self.considered:
            return 1.0
        return sum(f.verdict_ok for f in self.considered) / len(self.considered)

    @property
    def expected_blocks(self) -> int:
        return sum(len(f.expected) for f in self.considered)

    @property
    def matched_blocks(self) -> int:
        return sum(f.matched for f in self.considered)

    @property
    def message_rate(self) -> float:
        return self.matched_blocks / self.expected_blocks if self.expected_blocks else 1.0


def summarise(results: list[FixtureResult]) -> Summary:
    return Summary(
        [r for r in results if r.excluded is None], [r for r in results if r.excluded is not None]
    )


def render_text(summary: Summary, verbose: bool) -> str:
    out: list[str] = []
    considered = summary.considered
    agree = sum(f.verdict_ok for f in considered)
    out.append(f"fixtures considered: {len(considered)} (excluded: {len(summary.excluded)})")
    out.append(f"verdict agreement:   {agree}/{len(considered)} ({summary.verdict_agreement:.1%})")
    out.append(
        f"messages word for word: {summary.matched_blocks}/{summary.expected_blocks} ({summary.message_rate:.1%})"
    )
    out.append("")
    out.append("verdict mismatches:")
    for f in considered:
        if not f.verdict_ok:
            out.append(f"  {f.path}: expected {'invalid' if f.expected_invalid else 'valid'}")
            for block in f.actual if verbose else f.actual[:2]:
                out.append("      " + block.replace("\n", "\n      "))
    out.append("")
    out.append("message mismatches:")
    for f in considered:
        if f.missing:
            out.append(f"  {f.path}: {f.matched}/{len(f.expected)}")
            if verbose:
                for block in f.missing:
                    out.append("    expected:\n      " + block.replace("\n", "\n      "))
                for block in f.extra:
                    out.append("    ours:\n      " + block.replace("\n", "\n      "))
    out.append("")
    out.append("excluded:")
    for f in summary.excluded:
        out.append(f"  {f.path}: {f.excluded}")
    return "\n".join(out)


def render_markdown(summary: Summary) -> str:
    considered = summary.considered
    agree = sum(f.verdict_ok for f in considered)
    lines = [
        "## Schema validation conformance",
        "",
        "Measured with `python scripts/psl_conformance.py` against Prisma's own validation fixtures",
        "(`../shared/corpus/psl-validation`): each fixture's expected diagnostics are compared with ours,",
        "rendered in Prisma's layout.",
        "",
        "| measure | result |",
        "| --- | --- |",
        f"| fixtures considered | {len(considered)} |",
        f"| verdict agreement (valid / invalid) | {agree}/{len(considered)} ({summary.verdict_agreement:.1%}) |",
        f"| messages reproduced word for word | {summary.matched_blocks}/{summary.expected_blocks} "
        f"({summary.message_rate:.1%}) |",
        f"| fixtures excluded | {len(summary.excluded)} |",
        "",
        "Excluded fixtures:",
        "",
    ]
    reasons = Counter(f.excluded for f in summary.excluded if f.path not in EXCLUDED_FIXTURES)
    for reason, count in sorted(reasons.items(), key=lambda kv: str(kv[0])):
        lines.append(f"- {count} fixture(s): {reason}")
    for f in summary.excluded:
        if f.path in EXCLUDED_FIXTURES:
            lines.append(f"- `{f.path}`: {f.excluded}")
    mismatched = [f for f in considered if f.missing]
    if mismatched:
        lines += [
            "",
            "Fixtures whose messages differ (at least one expected block not reproduced):",
            "",
        ]
        for f in mismatched:
            reason = MESSAGE_DEVIATIONS.get(f.path)
            suffix = f": {reason}" if reason else ""
            lines.append(f"- `{f.path}` ({f.matched}/{len(f.expected)}){suffix}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "shared", nargs="?", help="the shared folder (default: $SCHEMAMEND_SHARED or ../shared)"
    )
    parser.add_argument(
        "--markdown", action="store_true", help="print the README conformance section"
    )
    parser.add_argument(
        "--verbose", "-v", action="store_true", help="show expected and actual blocks"
    )
    args = parser.parse_args(argv)
    summary = summarise(run_all(shared_dir(args.shared)))
    print(render_markdown(summary) if args.markdown else render_text(summary, args.verbose))
    return 0 if summary.verdict_agreement >= 1.0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
