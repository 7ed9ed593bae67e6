"""Parse + validate + render (from empty) speed and memory on synthetic schemas.

    .venv/bin/python bench/bench_render.py [--sizes 100,1000,5000] [--runs 3] [--dialect postgresql]
                                          [--prisma] [--traced]

Each size runs in a fresh Python process (peak RSS belongs to that size
alone) and reports the median wall time of `runs` passes of: load (parse +
validate) and render (calculate the SQL schema, diff from empty, render the
script) through the public entry points, then of each stage alone (parse,
validate, calculate, diff, render steps; garbage collector paused as those
entry points do), plus peak RSS (and, with `--traced`, the peak traced by tracemalloc). With `--prisma`,
`prisma migrate diff --from-empty --script` on the same file is timed once
through the oracle (../shared/tools/prisma-oracle; includes ~0.75 s CLI start)
and the ratio is printed.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))

from bench.gen_schemas import generate  # noqa: E402

CHILD = r"""
import gc, json, resource, sys, time, tracemalloc
from pathlib import Path
from bench.peak_memory import peak_rss_mb
from schemamend.psl import load_schema, parse_sources
from schemamend.psl.loader import read_schema_sources
from schemamend.psl.validate import validate_schema
from schemamend.commands.render import render_from_empty, resolve_dialect
from schemamend.diff.differ import diff_from_empty
from schemamend.diff.script import migration_script, render_steps
path, runs, dialect = Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
stages = {"parse": [], "validate": [], "calculate": [], "diff": [], "render": []}
load_times, render_times = [], []
for _ in range(runs):
    # the two public entry points, as commands call them
    start = time.perf_counter()
    datamodel = load_schema(path).require()
    middle = time.perf_counter()
    script = render_from_empty(datamodel, dialect)
    load_times.append(middle - start)
    render_times.append(time.perf_counter() - middle)
    # the same work stage by stage (the garbage collector paused as those entry points do)
    sources = read_schema_sources(path)
    gc.disable()
    t0 = time.perf_counter()
    files, diagnostics = parse_sources(sources)
    t1 = time.perf_counter()
    datamodel = validate_schema(files, diagnostics)
    t2 = time.perf_counter()
    target = resolve_dialect(datamodel, dialect)
    t3 = time.perf_counter()
    schema = target.calculate(datamodel)
    t4 = time.perf_counter()
    changes = diff_from_empty(schema, target.capabilities)
    t5 = time.perf_counter()
    migration_script(render_steps(changes, target.render))
    t6 = time.perf_counter()
    gc.enable()
    for name, took in zip(stages, (t1 - t0, t2 - t1, t4 - t3, t5 - t4, t6 - t5)):
        stages[name].append(took)
    del files, diagnostics, schema, changes
rss_mb = peak_rss_mb()
peak = 0
if sys.argv[4] == "1":  # tracemalloc slows everything down several times: opt-in
    tracemalloc.start()
    render_from_empty(load_schema(path).require(), dialect)
    _, peak = tracemalloc.get_traced_memory()
print(json.dumps({"load": load_times, "render": render_times, "peak_rss_mb": rss_mb,
                  "traced_peak_mb": peak / 2**20, "script_kb": len(script) / 1024,
                  "statements": script.count("\n-- ") + 1, "stages": stages}))
"""


def run_size(size: int, runs: int, dialect: str, prisma: bool, traced: bool) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="sm-bench-") as tmp:
        schema = Path(tmp) / "schema.prisma"
        schema.write_text(generate(size))
        proc = subprocess.run(
            [sys.executable, "-c", CHILD, str(schema), str(runs), dialect, "1" if traced else "0"],
            capture_output=True,
            text=True,
            check=True,
            cwd=REPO,
        )
        data = json.loads(proc.stdout)
        row = {
            "models": size,
            "load_s": statistics.median(data["load"]),
            "render_s": statistics.median(data["render"]),
            "peak_rss_mb": data["peak_rss_mb"],
            "traced_peak_mb": data["traced_peak_mb"],
            "script_kb": data["script_kb"],
            "statements": data["statements"],
        }
        row.update({name: statistics.median(times) for name, times in data["stages"].items()})
        if prisma:
            oracle = REPO.parent / "shared" / "tools" / "prisma-oracle" / "oracle.sh"
            start = time.perf_counter()
            done = subprocess.run(
                [
                    str(oracle),
                    "migrate",
                    "diff",
                    "--from-empty",
                    "--to-schema",
                    str(schema),
                    "--script",
                ],
                capture_output=True,
                cwd=tmp,
                check=False,
            )
            if done.returncode == 0:
                row["prisma_s"] = time.perf_counter() - start
    return row


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100,1000,5000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--dialect", default="postgresql")
    parser.add_argument("--prisma", action="store_true", help="also time Prisma through the oracle")
    parser.add_argument("--traced", action="store_true", help="also trace allocations (slow)")
    args = parser.parse_args(argv)
    header = (
        "| models | parse+validate s | render s | total s | parse s | validate s | calculate s "
        "| diff s | render steps s | peak RSS MB | traced peak MB | script KB | statements "
        "| Prisma s | Prisma / ours |"
    )
    print(header)
    print("|---" * 15 + "|", flush=True)
    for size in args.sizes.split(","):
        r = run_size(int(size), args.runs, args.dialect, args.prisma, args.traced)
        total = r["load_s"] + r["render_s"]
        prisma = r.get("prisma_s")
        ratio = f"{prisma / total:.2f}" if prisma else "-"
        prisma_text = f"{prisma:.2f}" if prisma else "-"
        print(
            f"| {r['models']:.0f} | {r['load_s']:.3f} | {r['render_s']:.3f} | {total:.3f} "
            f"| {r['parse']:.3f} | {r['validate']:.3f} | {r['calculate']:.3f} | {r['diff']:.3f} "
            f"| {r['render']:.3f} | {r['peak_rss_mb']:.0f} | {r['traced_peak_mb']:.0f} | {r['script_kb']:.0f} "
            f"| {r['statements']:.0f} | {prisma_text} | {ratio} |",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
