"""How often `schemamend validate` reaches Prisma's verdict on generated and mutated schemas.

    python scripts/validate_conformance.py [--count N] [--seed S] [--verbose]

Cases come from tests/conformance/validate_cases.py (generated schemas for
PostgreSQL, SQLite and MySQL with 0–2 semantic mutations each). Prisma's
verdict is its own validator (prisma-fmt, the Wasm module inside the installed
`prisma` 7.10.1 package, the one `prisma validate` runs); ours is
`schemamend.psl.check_text`. Prints a markdown line for the README and the
disagreeing cases.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from schemamend.psl import check_text  # noqa: E402
from tests.conformance.format_oracle import WasmFormatter, wasm_available  # noqa: E402
from tests.conformance.validate_cases import validation_cases  # noqa: E402


def compare(count: int, seed: int) -> tuple[int, int, int, list[tuple[str, str, str, str]]]:
    """(agreeing, total, invalid per Prisma, disagreements as (name, text, ours, prisma))."""
    agree = invalid = 0
    disagreements = []
    with WasmFormatter() as prisma:
        cases = list(validation_cases(count, seed))
        for name, text in cases:
            _, prisma_errors = prisma.format_and_validate(text)
            ours = check_text(text)
            ours_invalid = bool(ours.errors)
            prisma_invalid = bool(prisma_errors.strip())
            invalid += prisma_invalid
            if ours_invalid == prisma_invalid:
                agree += 1
            else:
                rendered = "\n".join(d.render() for d in ours.errors) or "(valid)"
                disagreements.append((name, text, rendered, prisma_errors or "(valid)"))
    return agree, len(cases), invalid, disagreements


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--count", type=int, default=500)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()
    if not wasm_available():
        print(
            "Prisma's validator is not available (run ../shared/tools/prisma-oracle/oracle.sh once)"
        )
        return 1
    agree, total, invalid, disagreements = compare(args.count, args.seed)
    print(
        f"- `schemamend validate` reaches Prisma 7.10.1's verdict on {agree}/{total} generated and "
        f"mutated schemas ({invalid} of them invalid for Prisma; seed {args.seed})."
    )
    for name, text, ours, theirs in disagreements:
        print(f"\n## {name}\n--- ours:\n{ours}\n--- prisma:\n{theirs}")
        if args.verbose:
            print(f"--- schema:\n{text}")
    return 0 if not disagreements else 2


if __name__ == "__main__":
    raise SystemExit(main())
