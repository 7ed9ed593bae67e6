"""Doctor benchmark against real PostgreSQL: 1,000 declared tables, 10 of them missing.

    python bench/bench_doctor.py [--tables 1000] [--missing 10] [--runs 3]

Setup (not timed): the synthetic schema of `bench/gen_schemas.py` (N models,
enums, relations, indexes), its migration rendered from empty and deployed to
a fresh database, then the last `--missing` tables dropped (CASCADE: the
foreign keys that pointed at them go too). In one run, each a fresh process:

- `doctor --no-replay`: schema parse + validation, introspection, diff,
  history table read, report: what the "< 3 s" target is about (the peers
  measured 2.6 s (migra) to 56 s for the diff alone);
- `doctor`: the same plus replaying the whole history on an empty shadow
  database (created and dropped on the server: CREATE/DROP DATABASE cost
  what the server makes them cost);
- `python -c "import schemamend.cli.main"`: start-up every call pays.

Times are medians of `--runs` runs, wall clock, in seconds.
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

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
HOST, PORT, USER = "127.0.0.1", 5432, "postgres"


def url(database: str) -> str:
    return f"postgresql://{USER}@{HOST}:{PORT}/{database}"


def admin(sql: str) -> None:
    subprocess.run(
        ["psql", "-X", "-q", "-h", HOST, "-U", USER, "-d", "postgres", "-c", sql],
        check=True,
        capture_output=True,
    )


def setup(root: Path, database: str, tables: int, missing: int) -> Path:
    from bench.gen_schemas import generate
    from schemamend.commands.migrate import deploy
    from schemamend.commands.render import render_from_empty
    from schemamend.db import connect, parse_url
    from schemamend.dialects.registry import dialect_for
    from schemamend.psl import load_schema

    prisma = root / "prisma"
    (prisma / "migrations" / "20250101000000_init").mkdir(parents=True)
    schema = prisma / "schema.prisma"
    schema.write_text(generate(tables), encoding="utf-8")
    datamodel = load_schema(schema).require()
    script = render_from_empty(datamodel)
    (prisma / "migrations" / "20250101000000_init" / "migration.sql").write_text(script, "utf-8")
    (prisma / "migrations" / "migration_lock.toml").write_text('provider = "postgresql"\n', "utf-8")
    admin(f'CREATE DATABASE "{database}"')
    report = deploy(str(schema), url=url(database))
    assert report.ok, report.result.failed
    declared = dialect_for("postgresql").calculate(datamodel)
    with connect(parse_url(url(database))) as conn:
        for table in declared.tables[-missing:]:
            conn.execute(f'DROP TABLE "{table.name}" CASCADE')
    return schema


def timed(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, capture_output=True, check=False)
    return time.perf_counter() - start


def median_of(command: list[str], runs: int) -> float:
    return statistics.median(timed(command) for _ in range(runs))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--tables", type=int, default=1000)
    parser.add_argument("--missing", type=int, default=10)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    database = f"bench_doctor_{args.tables}_{int(time.time())}"
    exe = [sys.executable, "-c", "from schemamend.cli.main import main; main()"]
    with tempfile.TemporaryDirectory() as tmp:
        schema = setup(Path(tmp), database, args.tables, args.missing)
        try:
            base = [*exe, "doctor", "--schema", str(schema), "--url", url(database)]
            check = subprocess.run([*base, "--no-replay", "--json"], capture_output=True, text=True)
            if not check.stdout.strip():
                raise SystemExit(f"doctor failed (exit {check.returncode}):\n{check.stderr}")
            payload = json.loads(check.stdout)
            tables = sum(1 for f in payload["missing"] if f["kind"] == "table")
            rows = [
                (
                    "start-up (import the CLI)",
                    median_of([sys.executable, "-c", "import schemamend.cli.main"], args.runs),
                ),
                ("doctor --no-replay", median_of([*base, "--no-replay"], args.runs)),
                ("doctor (with shadow replay)", median_of(base, args.runs)),
            ]
        finally:
            admin(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
    print(
        f"doctor on {payload['liveTables']} live / {payload['declaredTables']} declared tables; "
        f"found {tables} missing tables (exit {check.returncode})"
    )
    print()
    print(f"| run | seconds (median of {args.runs}) |")
    print("|---|---|")
    for label, seconds in rows:
        print(f"| {label} | {seconds:.2f} |")


if __name__ == "__main__":
    main()
