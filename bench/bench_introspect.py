"""Introspection benchmark against real PostgreSQL: ours, the catalog floor, migra, SQLAlchemy.

    python bench/bench_introspect.py [--sizes 100 1000 5000] [--runs 3]
        [--migra /tmp/migra-venv/bin/migra] [--write-readme]

Databases: `peer_s{N}_a` from `../shared/bench/build_dbs.sh N` (N synthetic
tables: 9 columns, identity PK, one FK, one index, 10 shared enums).

In one run, for each size:
- floor: `psql -f ../shared/bench/catalog.sql` (six set-wise catalog queries,
  output discarded): no introspection can send less;
- ours (process): a fresh `python -c "introspect(URL)"`: start-up, imports,
  connection, queries and model, as a CLI call pays them;
- ours (in-process): `introspect(conn)` on an open connection, imports warm;
- migra: a fresh `migra --unsafe EMPTY_DB_URL URL` process, the diff from an
  empty database (`bench_migra_empty`, created when missing) to the synthetic
  one: migra inspects both, and the empty one costs it little. migra is not a
  dependency of this project; it runs from its own virtualenv, given with
  `--migra PATH` or `SCHEMAMEND_BENCH_MIGRA=PATH` (bench/README.md has the
  command that makes one). Without it, the table says so;
- SQLAlchemy: a fresh process running `MetaData.reflect()` (needs the `bench`
  extra: `pip install -e '.[bench]'`); without it, the table says so;
- peak memory (max RSS) of our whole process;
- the start-up a psycopg-based Python tool pays (interpreter, psycopg import,
  connection); ours reads through its own protocol client (db/pg_wire.py) and
  does not import psycopg.
Times are medians of `--runs` runs (the peers at 5,000 tables: one run).
Targets: ours ≤ 1.5× the floor; ≥ 5× faster than both peers at 1,000 tables;
< 300 MB at 5,000 tables.
"""

from __future__ import annotations

import argparse
import os
import platform
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
MIGRA_ENV = "SCHEMAMEND_BENCH_MIGRA"
MIGRA_EMPTY_DB = "bench_migra_empty"
# Peers are run once per size above this many tables (each run takes seconds to a minute).
PEER_SINGLE_RUN_ABOVE = 1000

# Nothing is imported for the report before the work (json alone costs ~1 ms of a 50 ms
# run); the peak is VmHWM, this process's own (ru_maxrss carries the parent's over exec).
OURS_PROCESS = """
import sys
from schemamend.introspect import introspect
tables = len(introspect(sys.argv[1]).tables)
try:
    with open("/proc/self/status") as status:
        peak_kib = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
except OSError:
    import resource
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(tables, peak_kib)
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
class Peers:
    """Which peers this run measures, or why not."""

    sqlalchemy: bool
    migra: str | None  # the migra executable
    missing: list[str]


@dataclass
class Row:
    tables: int
    floor_s: float
    ours_process_s: float
    ours_in_process_s: float
    python_baseline_s: float
    sqlalchemy_s: float | None
    migra_s: float | None
    peak_mib: float

    def _peer(self, seconds: float | None) -> list[str]:
        if seconds is None:
            return ["not run", "not run"]
        return [
            f"{seconds:.3f} (×{seconds / self.floor_s:.1f})",
            f"×{seconds / self.ours_process_s:.1f}",
        ]

    def cells(self) -> list[str]:
        return [
            f"{self.tables:,}",
            f"{self.floor_s:.3f}",
            f"{self.ours_process_s:.3f} (×{self.ours_process_s / self.floor_s:.2f})",
            f"{self.ours_in_process_s:.3f} (×{self.ours_in_process_s / self.floor_s:.2f})",
            f"{self.python_baseline_s:.3f}",
            *self._peer(self.migra_s),
            *self._peer(self.sqlalchemy_s),
            f"{self.peak_mib:.0f}",
        ]


HEADER = [
    "tables",
    "floor: psql catalog.sql (s)",
    "ours, whole process (s, × floor)",
    "ours, in-process (s, × floor)",
    "a psycopg tool's start: Python + psycopg + connect, nothing else (s)",
    "migra diff from empty, whole process (s, × floor)",
    "ours faster than migra",
    "SQLAlchemy reflect, whole process (s, × floor)",
    "ours faster than SQLAlchemy",
    "ours peak RSS (MiB)",
]


def url(database: str) -> str:
    return f"postgresql://{USER}@{HOST}:{PORT}/{database}"


def timed(command: list[str], ok_codes: tuple[int, ...] = (0,)) -> tuple[float, str]:
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if done.returncode not in ok_codes:
        sys.exit(f"{command[0]} exited {done.returncode}: {done.stderr.strip()[-2000:]}")
    return elapsed, done.stdout


def psql_scalar(query: str) -> str:
    return subprocess.run(
        ["psql", "-X", "-A", "-t", "-h", HOST, "-U", USER, "-d", "postgres", "-c", query],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()


def database_exists(name: str) -> bool:
    return psql_scalar(f"SELECT 1 FROM pg_database WHERE datname = '{name}'") == "1"


def measure_in_process(database: str, runs: int) -> float:
    from schemamend.db import connect, parse_url
    from schemamend.introspect import introspect

    # read_only: the connection `introspect(URL)` opens (our wire client, not psycopg)
    with connect(parse_url(url(database)), read_only=True) as conn:
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


def find_peers(migra_option: str | None) -> Peers:
    missing = []
    sqlalchemy = has_sqlalchemy()
    if not sqlalchemy:
        missing.append("SQLAlchemy: not installed in this interpreter (pip install -e '.[bench]')")
    given = migra_option or os.environ.get(MIGRA_ENV) or shutil.which("migra")
    migra = None
    if given is None:
        missing.append(
            f"migra: not available (pass --migra PATH or set {MIGRA_ENV}; "
            "bench/README.md has the command that makes its virtualenv)"
        )
    elif shutil.which(given) is None:
        missing.append(f"migra: {given} is not an executable")
    else:
        migra = given
    return Peers(sqlalchemy, migra, missing)


def migra_statements(size: int, out: str) -> None:
    """migra's script from empty must create every synthetic table, or it did not diff them."""
    created = sum(1 for line in out.splitlines() if line.startswith("create table "))
    assert created == size, f"migra created {created} tables, expected {size}"


def measure(size: int, runs: int, peers: Peers) -> Row:
    """Each run times the floor, ours and the peers back to back, so that load from other
    processes on the machine weighs on all of them alike."""
    database = f"peer_s{size}_a"
    floor_command = [
        "psql",
        "-X",
        "-A",
        "-t",
        "-q",
        "-h",
        HOST,
        "-U",
        USER,
        "-d",
        database,
        "-f",
        str(CATALOG_SQL),
        "-o",
        "/dev/null",
    ]
    ours_command = [sys.executable, "-c", OURS_PROCESS, url(database)]
    sa_url = f"postgresql+psycopg://{USER}@{HOST}:{PORT}/{database}"
    sa_command = [sys.executable, "-c", SQLALCHEMY_PROCESS, sa_url] if peers.sqlalchemy else None
    # migra exits 2 when the databases differ, which they do here.
    migra_command = (
        [peers.migra, "--unsafe", url(MIGRA_EMPTY_DB), url(database)] if peers.migra else None
    )
    baseline_command = [sys.executable, "-c", PYTHON_BASELINE_PROCESS, url(database)]
    floor: list[float] = []
    baseline: list[float] = []
    ours: list[float] = []
    peaks: list[float] = []
    sqlalchemy: list[float] = []
    migra: list[float] = []
    for run in range(runs):
        peer_run = size <= PEER_SINGLE_RUN_ABOVE or run == 0
        floor.append(timed(floor_command)[0])
        elapsed, out = timed(ours_command)
        tables, peak_kib = map(int, out.split())
        assert tables == size, out
        ours.append(elapsed)
        peaks.append(peak_kib / 1024)
        baseline.append(timed(baseline_command)[0])
        if migra_command is not None and peer_run:
            elapsed, out = timed(migra_command, ok_codes=(0, 2))
            if run == 0:
                migra_statements(size, out)
            migra.append(elapsed)
        if sa_command is not None and peer_run:
            sqlalchemy.append(timed(sa_command)[0])
    return Row(
        tables=size,
        floor_s=statistics.median(floor),
        ours_process_s=statistics.median(ours),
        ours_in_process_s=measure_in_process(database, runs),
        python_baseline_s=statistics.median(baseline),
        sqlalchemy_s=statistics.median(sqlalchemy) if sqlalchemy else None,
        migra_s=statistics.median(migra) if migra else None,
        peak_mib=max(peaks),
    )


def verdicts(rows: list[Row]) -> str:
    """The issue's targets, met or not, for the sizes measured."""
    parts = []
    for row in rows:
        ratio = row.ours_process_s / row.floor_s
        verdict = "met" if ratio <= 1.5 else "not met"
        if ratio > 1.5:
            verdict += "; the gap is Python's start-up and imports, constant in the size"
        parts.append(f"{row.tables:,} tables ×{ratio:.2f} ({verdict})")
    lines = ["ours ≤ 1.5× the floor, whole process: " + "; ".join(parts) + "."]
    at_1000 = next((r for r in rows if r.tables == 1000), None)
    if at_1000 is not None:
        peers = []
        for name, seconds in (("migra", at_1000.migra_s), ("SQLAlchemy", at_1000.sqlalchemy_s)):
            if seconds is None:
                peers.append(f"{name} not run")
            else:
                ratio = seconds / at_1000.ours_process_s
                peers.append(f"{name} ×{ratio:.1f} ({'met' if ratio >= 5 else 'not met'})")
        lines.append("≥ 5× faster than both peers at 1,000 tables: " + "; ".join(peers) + ".")
    at_5000 = next((r for r in rows if r.tables == 5000), None)
    if at_5000 is not None:
        mib = at_5000.peak_mib
        lines.append(
            f"Peak memory at 5,000 tables: {mib:.0f} MiB ({'met' if mib * 1.048576 < 300 else 'not met'}: < 300 MB)."
        )
    return " ".join(lines)


def table(rows: list[Row], runs: int, load: tuple[float, float], peers: Peers) -> str:
    lines = [
        "| " + " | ".join(HEADER) + " |",
        "|" + "|".join("---" for _ in HEADER) + "|",
        *("| " + " | ".join(r.cells()) + " |" for r in rows),
    ]
    not_run = "".join(f"\n\n**Not run**: {reason}." for reason in peers.missing)
    note = (
        f"\nMedians of {runs} runs (the peers above {PEER_SINGLE_RUN_ABOVE:,} tables: 1 run), "
        f"measured {time.strftime('%Y-%m-%d')} on this machine by `bench/bench_introspect.py`; "
        f"PostgreSQL on 127.0.0.1; load average {load[0]:.1f} before, {load[1]:.1f} after "
        f"({os.cpu_count()} CPUs: above that, processes wait for a core and times stretch); "
        f"Python {platform.python_version()} (`{sys.executable}`). "
        "migra: `migra --unsafe` from an empty database to the synthetic one, in its own "
        "virtualenv. Targets: " + verdicts(rows) + not_run
    )
    return "\n".join(lines) + "\n" + note


MIGRA_SETUP = f"""migra is not a dependency of schemamend: to include it, make a throwaway virtualenv
outside the repository and pass its executable. These versions work on Python 3.11
(SQLAlchemy 1.4, whose `postgresql://` driver is psycopg2; schemainspect imports
`pkg_resources`, hence setuptools):

```
python3.11 -m venv /tmp/migra-venv && /tmp/migra-venv/bin/pip install 'migra==3.0.1663481299' \\
  'schemainspect==3.1.1663587362' 'sqlbag==0.1.1617247075' 'SQLAlchemy==1.4.54' \\
  'psycopg2-binary==2.9.13' 'setuptools<70'
python bench/bench_introspect.py --migra /tmp/migra-venv/bin/migra   # or {MIGRA_ENV}=...
```
"""


def write_readme(text: str) -> None:
    section = f"{START}\n## Introspection (PostgreSQL)\n\n{text}\n\n{MIGRA_SETUP}{END}"
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
    parser.add_argument(
        "--migra",
        default=None,
        help=f"migra executable, in its own virtualenv (default: ${MIGRA_ENV}, else migra on PATH)",
    )
    parser.add_argument("--write-readme", action="store_true", help="update bench/README.md")
    args = parser.parse_args()
    if shutil.which("psql") is None or not CATALOG_SQL.exists():
        sys.exit("needs psql and ../shared/bench/catalog.sql")
    peers = find_peers(args.migra)
    for reason in peers.missing:
        print(f"NOT RUN: {reason}", file=sys.stderr)
    if peers.migra is not None and not database_exists(MIGRA_EMPTY_DB):
        psql_scalar(f'CREATE DATABASE "{MIGRA_EMPTY_DB}"')
    rows = []
    load_before = os.getloadavg()[0]
    for size in args.sizes:
        if not database_exists(f"peer_s{size}_a"):
            sys.exit(f"missing peer_s{size}_a: run ../shared/bench/build_dbs.sh {size}")
        rows.append(measure(size, args.runs, peers))
        print(f"measured {size} tables", file=sys.stderr)
    text = table(rows, args.runs, (load_before, os.getloadavg()[0]), peers)
    print(text)
    if args.write_readme:
        write_readme(text)


if __name__ == "__main__":
    main()
