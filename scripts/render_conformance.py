"""Conformance of schemamend's from-empty SQL with Prisma's, per provider.

    python scripts/render_conformance.py [SHARED_DIR] [--random N] [--verbose]

Cases: the seed-incident scenario, every real-world schema, every fixture in
tests/fixtures/render, synthetic schemas (bench/gen_schemas.py) and random
portable schemas; each with its own provider, and with the provider switched
(postgresql ⇄ sqlite) when the schema still validates. For each case we
compare `render_from_empty` with the output of
`prisma migrate diff --from-empty --to-schema <schema> --script`
(the real Prisma 7.10.1 CLI, see scripts/prisma_oracle.py; cached).

A case is *identical* when the bytes match, *deviation* when they match once
Prisma's known-invalid SQL is rewritten the way we write it (see
`KNOWN_DEVIATIONS`), *different* otherwise; it is *skipped* when either side
rejects the schema. The human summary (the same command without `--script`) is compared for the
scenario, real-world schemas and fixtures. Prints a markdown block for the README.
"""

from __future__ import annotations

import argparse
import difflib
import random
import re
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT / "src"))
sys.path.insert(0, str(REPO_ROOT))

from schemamend.commands.render import render_from_empty, summarize_from_empty  # noqa: E402
from schemamend.dialects.registry import dialect_for  # noqa: E402
from schemamend.errors import SchemamendError  # noqa: E402
from schemamend.psl import check_text  # noqa: E402
from scripts.prisma_oracle import oracle_from_empty  # noqa: E402

ORACLE_PROVIDERS = ("postgresql", "sqlite")
FIXTURES = REPO_ROOT / "tests" / "fixtures" / "render"
_PROVIDER = re.compile(r'(datasource\s+\w+\s*\{[^}]*?provider\s*=\s*)"(\w+)"', re.DOTALL)


# ── known deviations: Prisma's SQL that the target database rejects ───────────

_SQLITE_BARE_JSON_DEFAULT = re.compile(
    r"^(\s+\"[^\"]+\" JSONB(?: NOT NULL)? DEFAULT )([\[{].*?)(,?)$"
)


def _quote_sqlite_json_defaults(script: str) -> str:
    """Prisma writes `DEFAULT {"a": 1}` on SQLite (a syntax error); we write a string."""
    out = []
    for line in script.split("\n"):
        match = _SQLITE_BARE_JSON_DEFAULT.match(line)
        if match:
            head, json_text, comma = match.groups()
            line = f"{head}'{json_text.replace(chr(39), chr(39) * 2)}'{comma}"
        out.append(line)
    return "\n".join(out)


# provider → (deviation code, rewrite of Prisma's script)
KNOWN_DEVIATIONS: dict[str, list[tuple[str, Callable[[str], str]]]] = {
    "sqlite": [("sqlite-json-default", _quote_sqlite_json_defaults)],
}


def apply_known_deviations(provider: str, prisma_script: str) -> tuple[str, list[str]]:
    """Prisma's script rewritten as we knowingly write it, and the deviation codes used."""
    used = []
    for code, rewrite in KNOWN_DEVIATIONS.get(provider, []):
        rewritten = rewrite(prisma_script)
        if rewritten != prisma_script:
            used.append(code)
            prisma_script = rewritten
    return prisma_script, used


# ── cases ─────────────────────────────────────────────────────────────────────


def provider_of(text: str) -> str | None:
    match = _PROVIDER.search(text)
    if match is None:
        return None
    return "postgresql" if match.group(2) == "postgres" else match.group(2)


def switch_provider(text: str, provider: str) -> str:
    return _PROVIDER.sub(lambda m: f'{m.group(1)}"{provider}"', text, count=1)


@dataclass(frozen=True)
class Case:
    name: str
    text: str
    provider: str
    origin: str  # "scenario", "real-world", "fixture", "synthetic", "random"


def cases_for(name: str, text: str, origin: str, *, switch: bool = True) -> Iterator[Case]:
    own = provider_of(text)
    if own is None:
        return
    yield Case(name, text, own, origin)
    if switch:
        for other in ORACLE_PROVIDERS:
            if other != own:
                yield Case(f"{name} (as {other})", switch_provider(text, other), other, origin)


def schema_files(shared: Path) -> Iterator[tuple[str, Path, str]]:
    scenario = shared / "scenarios" / "seed-incident" / "prisma" / "schema.prisma"
    if scenario.is_file():
        yield "seed-incident", scenario, "scenario"
    for path in sorted((shared / "corpus" / "real-world").glob("*/**/schema.prisma")):
        project = path.relative_to(shared / "corpus" / "real-world").parts[0]
        yield project, path, "real-world"


def all_cases(
    shared: Path, random_count: int = 20, synthetic_sizes: tuple[int, ...] = (5, 25)
) -> list[Case]:
    cases: list[Case] = []
    for name, path, origin in schema_files(shared):
        cases += cases_for(name, path.read_text(), origin)
    for path in sorted(FIXTURES.glob("*.prisma")):
        cases += cases_for(f"fixture {path.stem}", path.read_text(), "fixture")
    try:
        from bench.gen_schemas import generate

        for size in synthetic_sizes:
            cases += cases_for(
                f"synthetic n={size}", generate(size, seed=size), "synthetic", switch=False
            )
    except ImportError:
        pass
    for seed in range(random_count):
        for provider in ORACLE_PROVIDERS:
            text = random_schema(random.Random(seed), provider)
            cases.append(Case(f"random seed={seed}", text, provider, "random"))
    return cases


# ── comparison ────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class Outcome:
    case: Case
    status: str  # identical | deviation | different | skipped
    detail: str = ""


def compare(case: Case) -> Outcome:
    result = check_text(case.text)
    if not result.ok:
        return Outcome(case, "skipped", "schemamend rejects the schema")
    try:
        ours = render_from_empty(result.require())
    except SchemamendError as error:
        return Outcome(case, "different", f"schemamend failed: {error.message}")
    prisma = oracle_from_empty(case.text)
    if prisma is None:
        return Outcome(case, "skipped", "Prisma rejects the schema")
    if ours == prisma:
        return Outcome(case, "identical")
    rewritten, codes = apply_known_deviations(case.provider, prisma)
    if codes and ours == rewritten:
        return Outcome(case, "deviation", ", ".join(codes))
    diff = difflib.unified_diff(
        prisma.splitlines(True), ours.splitlines(True), "prisma", "schemamend"
    )
    return Outcome(case, "different", "".join(list(diff)[:40]))


def compare_summary(case: Case) -> Outcome:
    """The same for the human summary (`migrate diff` without `--script`)."""
    result = check_text(case.text)
    if not result.ok:
        return Outcome(case, "skipped", "schemamend rejects the schema")
    prisma = oracle_from_empty(case.text, script=False)
    if prisma is None:
        return Outcome(case, "skipped", "Prisma rejects the schema")
    ours = summarize_from_empty(result.require())
    if ours == prisma:
        return Outcome(case, "identical")
    diff = difflib.unified_diff(
        prisma.splitlines(True), ours.splitlines(True), "prisma", "schemamend"
    )
    return Outcome(case, "different", "".join(list(diff)[:40]))


def markdown(outcomes: list[Outcome]) -> str:
    lines = [
        "| provider | identical | known deviation | different | total compared | skipped |",
        "|---|---|---|---|---|---|",
    ]
    for provider in ORACLE_PROVIDERS:
        mine = [o for o in outcomes if o.case.provider == provider]
        count = {
            s: sum(1 for o in mine if o.status == s)
            for s in ("identical", "deviation", "different", "skipped")
        }
        compared = count["identical"] + count["deviation"] + count["different"]
        lines.append(
            f"| {provider} | {count['identical']} | {count['deviation']} | {count['different']} "
            f"| {compared} | {count['skipped']} |"
        )
    used = {code for o in outcomes if o.status == "deviation" for code in o.detail.split(", ")}
    lines += ["", "Deliberate deviations from Prisma's output (*known deviation* above):"]
    for provider in ("postgresql", "sqlite", "mysql"):
        for deviation in dialect_for(provider).deviations:
            seen = " (seen in this run)" if deviation.code in used else ""
            lines.append(f"- `{deviation.code}`{seen}: {deviation.description}")
    return "\n".join(lines)


# ── random portable schemas ───────────────────────────────────────────────────

_SCALARS = ("String", "Int", "BigInt", "Float", "Decimal", "Boolean", "DateTime", "Json", "Bytes")
_LITERALS: dict[str, Callable[[random.Random], str]] = {
    "String": lambda r: r.choice(['""', '"x"', '"it\'s"', '"a b"']),
    "Int": lambda r: str(r.randint(-5, 500)),
    "BigInt": lambda r: str(r.randint(0, 2**40)),
    "Float": lambda r: r.choice(["1.5", "0", "-2.25", "10"]),
    "Decimal": lambda r: r.choice(["1.10", "0", "99.999"]),
    "Boolean": lambda r: r.choice(["true", "false"]),
    "DateTime": lambda r: r.choice(["now()", '"2024-01-02T03:04:05.678Z"']),
    "Json": lambda r: r.choice(['"{}"', '"[1, 2]"', '"{\\"a\\": true}"']),
    "Bytes": lambda r: '"aGVsbG8="',
}


def random_schema(rng: random.Random, provider: str) -> str:
    """A small valid schema that uses only features every provider has."""
    n_models = rng.randint(1, 5)
    models = [f"M{i}{rng.choice(['', 'Item', 'Log'])}" for i in range(n_models)]
    enums = [f"E{i}" for i in range(rng.randint(0, 2))]
    fields: dict[str, list[str]] = {m: [] for m in models}
    attrs: dict[str, list[str]] = {m: [] for m in models}
    for model in models:
        id_type = rng.choice(["Int", "String", "Int"])
        id_default = {
            "Int": rng.choice([" @default(autoincrement())", ""]),
            "String": rng.choice([" @default(cuid())", " @default(uuid())", ""]),
        }[id_type]
        fields[model].append(f"id {id_type} @id{id_default}")
        scalars = []
        for j in range(rng.randint(1, 6)):
            type_name = rng.choice(_SCALARS + tuple(enums))
            name = f"f{j}"
            optional = rng.random() < 0.3
            line = f"{name} {type_name}{'?' if optional else ''}"
            if type_name in enums:
                if rng.random() < 0.5:
                    line += f" @default({rng.choice(['A', 'B'])})"
            elif rng.random() < 0.4:
                line += f" @default({_LITERALS[type_name](rng)})"
            if type_name in ("String", "Int") and rng.random() < 0.2:
                line += " @unique"
            if rng.random() < 0.15:
                line += f' @map("{name}_col")'
            fields[model].append(line)
            scalars.append((name, type_name))
        indexable = [n for n, t in scalars if t not in ("Json", "Bytes")]
        if len(indexable) >= 2 and rng.random() < 0.5:
            a, b = rng.sample(indexable, 2)
            attrs[model].append(f"@@index([{a}, {b}(sort: Desc)])")
        if len(indexable) >= 2 and rng.random() < 0.3:
            a, b = rng.sample(indexable, 2)
            attrs[model].append(f"@@unique([{a}, {b}])")
        if rng.random() < 0.2:
            attrs[model].append(f'@@map("{model.lower()}s")')
    id_types = {m: fields[m][0].split()[1] for m in models}
    for i, model in enumerate(models[1:], start=1):
        target = models[rng.randrange(i)]
        kind = rng.choice(["1:n", "1:n", "m:n", "1:1", "none"])
        rel = f"r{i}"
        if kind in ("1:n", "1:1"):
            optional = rng.random() < 0.5
            unique = " @unique" if kind == "1:1" else ""
            action = rng.choice(
                [
                    "",
                    ", onDelete: Cascade",
                    ", onDelete: SetNull" if optional else "",
                    ", onUpdate: NoAction",
                ]
            )
            fields[model].append(f"{rel}Id {id_types[target]}{'?' if optional else ''}{unique}")
            fields[model].append(
                f'{rel} {target}{"?" if optional else ""} @relation("{rel}", fields: [{rel}Id], references: [id]{action})'
            )
            back = f"{model}?" if kind == "1:1" else f"{model}[]"
            fields[target].append(f'{rel}Back {back} @relation("{rel}")')
            if kind == "1:n" and rng.random() < 0.5:
                attrs[model].append(f"@@index([{rel}Id])")
        elif kind == "m:n":
            fields[model].append(f'{rel} {target}[] @relation("{rel}")')
            fields[target].append(f'{rel}Back {model}[] @relation("{rel}")')
    out = [f'datasource db {{\n  provider = "{provider}"\n}}\n']
    for model in models:
        body = "\n".join(f"  {line}" for line in fields[model] + attrs[model])
        out.append(f"model {model} {{\n{body}\n}}\n")
    for enum in enums:
        out.append(f"enum {enum} {{\n  A\n  B\n}}\n")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("shared", nargs="?", type=Path, default=REPO_ROOT.parent / "shared")
    parser.add_argument(
        "--random", type=int, default=20, help="random schemas per provider (default 20)"
    )
    parser.add_argument("--verbose", action="store_true", help="print every difference")
    args = parser.parse_args(argv)
    cases = all_cases(args.shared, args.random)
    outcomes = [compare(case) for case in cases]
    summaries = [
        compare_summary(c)
        for c in cases
        if c.provider in ORACLE_PROVIDERS and c.origin in ("scenario", "real-world", "fixture")
    ]
    for outcome in outcomes:
        if outcome.status == "different" or (args.verbose and outcome.status == "skipped"):
            print(
                f"## {outcome.case.name} [{outcome.case.provider}] {outcome.status}",
                file=sys.stderr,
            )
            print(outcome.detail, file=sys.stderr)
    for outcome in summaries:
        if outcome.status == "different":
            print(f"## summary {outcome.case.name} [{outcome.case.provider}]", file=sys.stderr)
            print(outcome.detail, file=sys.stderr)
    print(markdown(outcomes))
    compared = [o for o in summaries if o.status != "skipped"]
    same = sum(1 for o in compared if o.status == "identical")
    print(f"\nSummaries (`migrate diff` without `--script`): {same}/{len(compared)} identical.")
    failed = any(o.status == "different" for o in outcomes + summaries)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
