"""Introspection benchmark against real PostgreSQL: ours, the catalog floor, SQLAlchemy.

    python bench/bench_introspect.py [--sizes 100 1000 5000] [--runs 3] [--write-readme]

Databases: `peer_s{N}_a` from `../shared/bench/build_dbs.sh N` (N synthetic
tables: 9 columns, identity PK, one FK, one index, 10 shared enums).

In one run, for each size:
- floor: `psql -f ../shared/bench/catalog.sql` (six set-wise catalog queries,
  output discarded): no introspection can send less;
- ours (process): a fresh `python -c "introspect(URL)"`: start-up, imports,
  connection, queries and model, as a CLI call pays them;
- ours (in-process): `introspect(conn)` on an open connection, imports warm;
- SQLAlchemy: a fresh process running `MetaData.reflect()` (needs the `bench`
  extra: `pip install -e '.[bench]'`);
- peak memory (max RSS) of our whole process;
- the start-up any Python tool pays (interpreter, psycopg import, connection).
Times are medians of `--runs` runs. Targets: ours ≤ 1.5× the floor; ≥ 5×
faster than SQLAlchemy at 1,000 tables; < 300 MB at 5,000 tables.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
CATALOG_SQL = SHARED / "bench" / "catalog.sql"
README = REPO / "bench" / "README.md"
HOST, PORT, USER = "127.0.0.1", 5432, "postgres"
START, END = "<!-- bench_introspect:start -->", "<!-- bench_introspect:end -->"

OURS_PROCESS = """
import json, resource, sys, time
start = time.perf_counter()
from schemamend.introspect import introspect
schema = introspect(sys.argv[1])
elapsed = time.perf_counter() - start
peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"tables": len(schema.tables), "peak_mib": peak_kib / 1024, "inner_s": elapsed}))
"""

# What any Python tool pays before its first query: interpreter, driver import, connection.
PYTHON_BASELINE_PROCESS = """
import sys
import psycopg
psycopg.connect(sys.argv[1]).close()
"""

SQLALCHEMY_PROCESS = """
import sys
import sqlalchemy
engine = sqlalchemy.create_engine(sys.argv[1])
metadata = sqlalchemy.MetaData()
metadata.reflect(engine)
print(len(metadata.tables))
"""


@dataclass
class Row:
    tables: int
    floor_s: float
    ours_process_s: float
    ours_in_process_s: float
    python_baseline_s: float
    sqlalchemy_s: float | None
    peak_mib: float

    def _beyond_start_up(self, sqlalchemy_s: float) -> str:
        ours = self.ours_process_s - self.python_baseline_s
        theirs = sqlalchemy_s - self.python_baseline_s
        return f"×{theirs / ours:.1f}" if ours > 0 and theirs > 0 else "n/a"

    def cells(self) -> list[str]:
        sa = self.sqlalchemy_s
        return [
            f"{self.tables:,}",
            f"{self.floor_s:.3f}",
            f"{self.ours_process_s:.3f} (×{self.ours_process_s / self.floor_s:.2f})",
            f"{self.ours_in_process_s:.3f} (×{self.ours_in_process_s / self.floor_s:.2f})",
            f"{self.python_baseline_s:.3f}",
            "n/a" if sa is None else f"{sa:.3f} (×{sa / self.floor_s:.1f})",
            "n/a" if sa is None else f"×{sa / self.ours_process_s:.1f}",
            "n/a" if sa is None else self._beyond_start_up(sa),
            f"{self.peak_mib:.0f}",
        ]


HEADER = [
    "tables",
    "floor: psql catalog.sql (s)",
    "ours, whole process (s, × floor)",
    "ours, in-process (s, × floor)",
    "Python + psycopg + connect, nothing else (s)",
    "SQLAlchemy reflect, whole process (s, × floor)",
    "ours faster than SQLAlchemy",
    "… after the start-up both pay",
    "ours peak RSS (MiB)",
]


def url(database: str) -> str:
    return f"postgresql://{USER}@{HOST}:{PORT}/{database}"


def timed(command: list[str]) -> tuple[float, str]:
    start = time.perf_counter()
    done = subprocess.run(command, check=True, capture_output=True, text=True)
    return time.perf_counter() - start, done.stdout


def database_exists(name: str) -> bool:
    out = subprocess.run(
        ["psql", "-X", "-A", "-t", "-h", HOST, "-U", USER, "-d", "postgres", "-c",
         f"SELECT 1 FROM pg_database WHERE datname = '{name}'"],
        check=True, capture_output=True, text=True,
    ).stdout
    return out.strip() == "1"


def measure_in_process(database: str, runs: int) -> float:
    from schemamend.db import connect, parse_url
    from schemamend.introspect import introspect

    with connect(parse_url(url(database))) as conn:
        introspect(conn)  # warm: imports, cached query texts
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            introspect(conn)
            times.append(time.perf_counter() - start)
    return statistics.median(times)


def has_sqlalchemy() -> bool:
    try:
        import sqlalchemy  # noqa: F401
    except ImportError:
        return False
    return True


def measure(size: int, runs: int) -> Row:
    """Each run times the floor, ours and SQLAlchemy back to back, so that load from other
    processes on the machine weighs on all three alike."""
    database = f"peer_s{size}_a"
    floor_command = [
        "psql", "-X", "-A", "-t", "-q", "-h", HOST, "-U", USER, "-d", database,
        "-f", str(CATALOG_SQL), "-o", "/dev/null",
    ]
    ours_command = [sys.executable, "-c", OURS_PROCESS, url(database)]
    sa_url = f"postgresql+psycopg://{USER}@{HOST}:{PORT}/{database}"
    sa_command = [sys.executable, "-c", SQLALCHEMY_PROCESS, sa_url] if has_sqlalchemy() else None
    baseline_command = [sys.executable, "-c", PYTHON_BASELINE_PROCESS, url(database)]
    floor: list[float] = []
    baseline: list[float] = []
    ours: list[float] = []
    peaks: list[float] = []
    sqlalchemy: list[float] = []
    for run in range(runs):
        floor.append(timed(floor_command)[0])
        elapsed, out = timed(ours_command)
        report = json.loads(out)
        assert report["tables"] == size, report
        ours.append(elapsed)
        peaks.append(report["peak_mib"])
        baseline.append(timed(baseline_command)[0])
        if sa_command is not None and (size <= 1000 or run == 0):
            sqlalchemy.append(timed(sa_command)[0])
    return Row(
        tables=size,
        floor_s=statistics.median(floor),
        ours_process_s=statistics.median(ours),
        ours_in_process_s=measure_in_process(database, runs),
        python_baseline_s=statistics.median(baseline),
        sqlalchemy_s=statistics.median(sqlalchemy) if sqlalchemy else None,
        peak_mib=max(peaks),
    )


def table(rows: list[Row], runs: int, load: tuple[float, float]) -> str:
    lines = [
        "| " + " | ".join(HEADER) + " |",
        "|" + "|".join("---" for _ in HEADER) + "|",
        *("| " + " | ".join(r.cells()) + " |" for r in rows),
    ]
    note = (
        f"\nMedians of {runs} runs (SQLAlchemy at 5,000 tables: 1 run), measured "
        f"{time.strftime('%Y-%m-%d')} on this machine by `bench/bench_introspect.py`; "
        f"PostgreSQL on 127.0.0.1; load average {load[0]:.1f} before, {load[1]:.1f} after "
        f"({os.cpu_count()} CPUs: above that, processes wait for a core and times stretch). "
        "Targets: ours ≤ 1.5× the floor, ≥ 5× faster than SQLAlchemy "
        "at 1,000 tables, peak memory < 300 MB at 5,000 tables."
    )
    return "\n".join(lines) + "\n" + note


def write_readme(text: str) -> None:
    section = f"{START}\n## Introspection (PostgreSQL)\n\n{text}\n{END}"
    current = README.read_text(encoding="utf-8") if README.exists() else "# Benchmarks\n"
    if START in current and END in current:
        before, rest = current.split(START, 1)
        after = rest.split(END, 1)[1]
        current = before + section + after
    else:
        current = current.rstrip("\n") + "\n\n" + section + "\n"
    README.write_text(current, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 5000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--write-readme", action="store_true", help="update bench/README.md")
    args = parser.parse_args()
    if shutil.which("psql") is None or not CATALOG_SQL.exists():
        sys.exit("needs psql and ../shared/bench/catalog.sql")
    rows = []
    load_before = os.getloadavg()[0]
    for size in args.sizes:
        if not database_exists(f"peer_s{size}_a"):
            sys.exit(f"missing peer_s{size}_a: run ../shared/bench/build_dbs.sh {size}")
        rows.append(measure(size, args.runs))
        print(f"measured {size} tables", file=sys.stderr)
    text = table(rows, args.runs, (load_before, os.getloadavg()[0]))
    print(text)
    if args.write_readme:
        write_readme(text)


if __name__ == "__main__":
    main()
