"""Speed of `schemamend lint` on generated migrations folders (target: 1,000 files < 5 s).

    .venv/bin/python bench/bench_lint.py [--files 100,1000] [--runs 3] [--squawk]

For each size, a migrations folder of that many `<timestamp>_<name>/migration.sql` files is
written to a temporary directory, in the shapes Prisma generates (create enum, create table,
indexes, foreign keys, added and dropped columns, the odd rename), each migration building on
tables of earlier ones. Reported: the median wall time of `lint(folder)` in this process, the
time of a whole `schemamend lint` command (process start and imports included), and with
`--squawk` the time squawk takes on the same files, with the ratio.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

SHAPES = (
    """-- CreateEnum
CREATE TYPE "Status{i}" AS ENUM ('ACTIVE', 'PAUSED', 'DONE');

-- CreateTable
CREATE TABLE "table_{i}" (
    "id" TEXT NOT NULL,
    "name" VARCHAR(191) NOT NULL,
    "status" "Status{i}" NOT NULL DEFAULT 'ACTIVE',
    "amount" DECIMAL(12,2),
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "parent_id" TEXT,

    CONSTRAINT "table_{i}_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "table_{i}_name_key" ON "table_{i}"("name");
""",
    """-- AlterTable
ALTER TABLE "table_{p}" ADD COLUMN     "note_{i}" TEXT,
ADD COLUMN     "rank_{i}" INTEGER NOT NULL DEFAULT 0;

-- CreateIndex
CREATE INDEX "table_{p}_rank_{i}_idx" ON "table_{p}"("rank_{i}");
""",
    """-- AddForeignKey
ALTER TABLE "table_{p}" ADD CONSTRAINT "table_{p}_parent_{i}_fkey" FOREIGN KEY ("parent_id") REFERENCES "table_{q}"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AlterTable
ALTER TABLE "table_{p}" ALTER COLUMN "amount" SET DATA TYPE DECIMAL(14,2);
""",
    """-- AlterTable
ALTER TABLE "table_{p}" DROP COLUMN "note_{r}",
ADD COLUMN     "label_{i}" VARCHAR(64) NOT NULL;

-- RenameIndex
ALTER INDEX "table_{p}_name_key" RENAME TO "table_{p}_name_{i}_key";

-- Backfill
UPDATE "table_{p}" SET "status" = 'DONE' WHERE "created_at" < '2020-01-01';
""",
)


def generate(folder: Path, count: int) -> None:
    folder.mkdir(parents=True)
    (folder / "migration_lock.toml").write_text('provider = "postgresql"\n', encoding="utf-8")
    tables: list[int] = []
    for i in range(count):
        shape = 0 if len(tables) < 2 or i % 4 == 0 else i % 4
        p, q = (
            tables[(i * 7) % len(tables)] if tables else 0,
            tables[(i * 3) % len(tables)] if tables else 0,
        )
        sql = SHAPES[shape].format(i=i, p=p, q=q, r=i - 1)
        if shape == 0:
            tables.append(i)
        name = f"2025{(i // 86400) % 12 + 1:02d}{(i // 3600) % 28 + 1:02d}{(i // 60) % 24:02d}{i % 60:02d}{i % 100:02d}_step_{i}"
        (folder / name).mkdir()
        (folder / name / "migration.sql").write_text(sql, encoding="utf-8")


def time_in_process(folder: Path, runs: int) -> tuple[float, int]:
    from schemamend.commands.lint import lint

    times, findings = [], 0
    for _ in range(runs):
        start = time.perf_counter()
        report = lint([folder], cwd=folder.parent)
        times.append(time.perf_counter() - start)
        findings = len(report.findings)
    return statistics.median(times), findings


def time_command(args: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(args, capture_output=True, check=False)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--files", default="100,1000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--squawk", action="store_true", help="also time squawk on the same files")
    args = parser.parse_args()
    schemamend = str(Path(sys.executable).with_name("schemamend"))
    squawk = str(Path(sys.executable).with_name("squawk")) if args.squawk else None
    if squawk is not None and not Path(squawk).exists():
        squawk = shutil.which("squawk")
    header = "| files | findings | lint() median | `schemamend lint` command | squawk | ratio |"
    print(header)
    print("|---|---|---|---|---|---|")
    for count in (int(n) for n in args.files.split(",")):
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp) / "migrations"
            generate(folder, count)
            in_process, findings = time_in_process(folder, args.runs)
            command = time_command([schemamend, "lint", str(folder)])
            squawk_s = "—"
            ratio = "—"
            if squawk is not None:
                files = sorted(str(p) for p in folder.rglob("migration.sql"))
                theirs = time_command([squawk, *files])
                squawk_s, ratio = f"{theirs:.2f} s", f"{command / theirs:.1f}x"
            verdict = "" if count < 1000 or command < 5 else " (over 5 s!)"
            print(
                f"| {count:,} | {findings:,} | {in_process:.2f} s | {command:.2f} s{verdict} | "
                f"{squawk_s} | {ratio} |"
            )


if __name__ == "__main__":
    main()
