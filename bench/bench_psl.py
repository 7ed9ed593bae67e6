"""Parse + validate speed and memory on synthetic schemas, beside Prisma's own engine.

    .venv/bin/python bench/bench_psl.py [--sizes 100,1000,5000] [--runs 3] [--markdown]

Each size runs in a fresh Python process (so peak RSS belongs to that size
alone) and reports the median wall time of `runs` parse + validate passes and
peak memory. When `npm` can install `@prisma/prisma-schema-wasm` (the module
behind `prisma validate`), its validation of the same file is timed in the same
run, inside one Node process, and the ratio is printed.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
WASM_PACKAGE = "@prisma/prisma-schema-wasm@8.1.0-2.59be4fda12412a79eeb9c2ae727b6aa723593323"
WASM_HOME = Path(
    os.environ.get("SCHEMAMEND_BENCH_HOME", Path.home() / ".cache" / "schemamend-bench")
)

CHILD = r"""
import json, resource, sys, time, tracemalloc
from pathlib import Path
from bench.peak_memory import peak_rss_mb
from schemamend.psl import load_schema
import schemamend.psl.validate  # imported on first use by load_schema: not part of the timing
path, runs = Path(sys.argv[1]), int(sys.argv[2])
times = []
for _ in range(runs):
    result = None  # one schema in memory at a time: peak RSS is that of one load
    start = time.perf_counter()
    result = load_schema(path)
    times.append(time.perf_counter() - start)
    assert result.ok, [d.render() for d in result.errors[:3]]
rss_mb = peak_rss_mb()
tracemalloc.start()
load_schema(path)
_, peak = tracemalloc.get_traced_memory()
print(json.dumps({"times": times, "peak_rss_mb": rss_mb, "traced_peak_mb": peak / 2**20,
                  "models": len(result.datamodel.models)}))
"""


def ensure_wasm() -> Path | None:
    if shutil.which("node") is None or shutil.which("npm") is None:
        return None
    marker = WASM_HOME / "node_modules" / "@prisma" / "prisma-schema-wasm" / "package.json"
    if not marker.exists():
        WASM_HOME.mkdir(parents=True, exist_ok=True)
        subprocess.run(["npm", "init", "-y"], cwd=WASM_HOME, capture_output=True, check=False)
        done = subprocess.run(
            ["npm", "install", "--no-audit", "--no-fund", "--loglevel=error", WASM_PACKAGE],
            cwd=WASM_HOME,
            capture_output=True,
            check=False,
        )
        if done.returncode != 0:
            return None
    return WASM_HOME


def time_prisma(home: Path, files: list[Path], runs: int) -> dict[str, float]:
    out = subprocess.run(
        ["node", str(HERE / "prisma_validate.mjs"), str(home), str(runs), *map(str, files)],
        capture_output=True,
        text=True,
        check=True,
    )
    results = {}
    for line in out.stdout.splitlines():
        row = json.loads(line)
        if row["ok"]:
            results[row["file"]] = row["median_s"]
    return results


def time_ours(path: Path, runs: int) -> dict[str, object]:
    out = subprocess.run(
        [sys.executable, "-c", CHILD, str(path), str(runs)],
        capture_output=True,
        text=True,
        check=True,
        cwd=REPO,
    )
    data: dict[str, object] = json.loads(out.stdout)
    return data


def main() -> None:
    sys.path.insert(0, str(REPO))
    from bench.gen_schemas import generate

    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="100,1000,5000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--markdown", action="store_true")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]

    workdir = Path(tempfile.mkdtemp(prefix="schemamend-bench-"))
    files = {}
    for n in sizes:
        path = workdir / f"models_{n}.prisma"
        path.write_text(generate(n), encoding="utf-8")
        files[n] = path

    home = ensure_wasm()
    prisma = time_prisma(home, list(files.values()), args.runs) if home else {}

    rows = []
    for n in sizes:
        ours = time_ours(files[n], args.runs)
        median = statistics.median(ours["times"])  # type: ignore[arg-type]
        theirs = prisma.get(str(files[n]))
        rows.append(
            (
                n,
                files[n].stat().st_size / 1024,
                median,
                ours["peak_rss_mb"],
                ours["traced_peak_mb"],
                theirs,
                (median / theirs) if theirs else None,
            )
        )
    header = "| models | file KiB | schemamend parse+validate s | peak RSS MB | Python heap peak MB | Prisma wasm validate s | ratio ours/Prisma |"
    print(header)
    print("|---:|---:|---:|---:|---:|---:|---:|")
    for n, kib, median, rss, traced, theirs, ratio in rows:
        prisma_text = f"{theirs:.3f}" if theirs else "n/a"
        ratio_text = f"{ratio:.2f}×" if ratio else "n/a"
        print(
            f"| {n} | {kib:.0f} | {median:.3f} | {rss:.0f} | {traced:.0f} | {prisma_text} | {ratio_text} |"
        )
    print(
        f"\nmedian of {args.runs} runs each, one process per size; Prisma: {WASM_PACKAGE if home else 'not available'}"
    )
    shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
