"""How often `schemamend format` writes exactly what `prisma format` (Prisma 7.10.1) writes.

    python scripts/format_conformance.py [--generated N] [--seed S] [--cli-generated]

Compares, byte for byte:

- the corpus (real-world schemas, the scenario, Prisma's error-free validation fixtures;
  datasource `url`s stripped for Prisma 7) with the real CLI, `oracle.sh format`, cached by
  input hash under ~/.cache/schemamend-oracle (the first run takes a few minutes);
- N generated schemas (half of them mutated: reindented, respaced, attributes shuffled,
  comments and blank lines added, CRLF, block attributes moved) with Prisma's own formatter
  in Wasm (`--cli-generated`: with the CLI instead; slow the first time).

Cases Prisma refuses to write (validation errors) are counted apart. Prints a markdown line
for the README, then the names of differing cases.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "src"))

from schemamend.psl.format import format_schema  # noqa: E402
from tests.conformance.format_cases import corpus_schemas, generated_cases  # noqa: E402
from tests.conformance.format_oracle import WasmFormatter, cli_format  # noqa: E402


@dataclass
class Tally:
    identical: int = 0
    compared: int = 0
    refused: int = 0
    differing: list[str] = field(default_factory=list)

    def add(self, name: str, expected: str | None, ours: str) -> None:
        if expected is None:
            self.refused += 1
            return
        self.compared += 1
        if ours == expected:
            self.identical += 1
        else:
            self.differing.append(name)

    def summary(self) -> str:
        refused = f" (+{self.refused} that Prisma refuses to write)" if self.refused else ""
        return f"{self.identical}/{self.compared}{refused}"


def run(shared: Path, generated: int, seed: int, cli_generated: bool) -> tuple[Tally, Tally]:
    corpus = Tally()
    for name, text in corpus_schemas(shared):
        corpus.add(name, cli_format(text, shared).written, format_schema(text))
    gen = Tally()
    with WasmFormatter() as wasm:
        for name, text in generated_cases(generated, seed):
            if cli_generated:
                expected = cli_format(text, shared).written
            else:
                formatted, _ = wasm.format_and_validate(text)
                _, errors = wasm.format_and_validate(formatted)
                expected = None if errors else formatted
            gen.add(name, expected, format_schema(text))
    return corpus, gen


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    parser.add_argument("--generated", type=int, default=1000, metavar="N")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--cli-generated", action="store_true")
    args = parser.parse_args(argv)
    corpus, gen = run(args.shared, args.generated, args.seed, args.cli_generated)
    oracle = "the `prisma format` CLI" if args.cli_generated else "Prisma's formatter, Wasm build"
    print(
        f"- `schemamend format` output is byte-identical to `prisma format` 7.10.1 on "
        f"{corpus.summary()} corpus schemas (the CLI) and on {gen.summary()} generated and "
        f"mutated schemas ({oracle})."
    )
    for name in corpus.differing + gen.differing:
        print(f"  differs: {name}")
    return 0 if not (corpus.differing or gen.differing) else 1


if __name__ == "__main__":
    raise SystemExit(main())
