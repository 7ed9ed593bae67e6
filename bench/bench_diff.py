"""Diff speed on big schemas: two calculated SQL schemas that differ in a few places.

    .venv/bin/python bench/bench_diff.py [--sizes 1000,5000] [--runs 5] [--dialect postgresql]

For each size, in a fresh Python process: the synthetic schema (bench/gen_schemas.py) is
loaded and calculated twice into two independent `model.sql.Schema` objects (equal values,
no shared objects, as when a declared schema is compared with an introspected one). The
second gets a few changes: one table added (with a foreign key), a column dropped, an index
changed (its sort order flipped: drop + create). Timed, median of `runs`:

- `diff_schemas` of the two (the 5,000-table target is < 0.5 s, issue #4);
- rendering the changes as a migration script;
- the same diff of two equal schemas (nothing to do: the cost of comparing alone).

Calculation time and peak RSS of the process are printed beside them.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))

from bench.gen_schemas import generate  # noqa: E402

CHILD = r"""
import dataclasses, json, resource, statistics, sys, time
from pathlib import Path
from schemamend.psl import load_schema
from schemamend.commands.render import resolve_dialect
from schemamend.diff.differ import diff_schemas
from schemamend.diff.script import migration_script, render_steps
from schemamend.model import sql

path, runs, dialect_name = Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
datamodel = load_schema(path).require()
dialect = resolve_dialect(datamodel, dialect_name)

calculate_times = []
for _ in range(runs):
    start = time.perf_counter()
    dialect.calculate(datamodel)
    calculate_times.append(time.perf_counter() - start)
before = dialect.calculate(datamodel)
after = dialect.calculate(datamodel)  # equal values, distinct objects


def changed(schema: sql.Schema) -> sql.Schema:
    tables = list(schema.tables)
    middle = len(tables) // 2
    # a table in the middle with an @@index: flip the sort order of its first column
    normal = sql.IndexKind.NORMAL
    i = next(i for i in range(middle, len(tables)) if any(x.kind is normal for x in tables[i].indexes))
    table = tables[i]
    k = next(k for k, x in enumerate(table.indexes) if x.kind is normal)
    index = table.indexes[k]
    first = index.columns[0]
    flipped = dataclasses.replace(
        first, sort=sql.SortOrder.ASC if first.sort is sql.SortOrder.DESC else sql.SortOrder.DESC
    )
    index = dataclasses.replace(index, columns=(flipped,) + index.columns[1:])
    tables[i] = dataclasses.replace(
        table, indexes=table.indexes[:k] + (index,) + table.indexes[k + 1:]
    )
    # another table: drop the last column no key, index or foreign key uses
    j = i + 1
    table = tables[j]
    used = {c.name for k in (table.primary_key,) if k for c in k.columns}
    used |= {c.name for ix in table.indexes for c in ix.columns}
    used |= {name for fk in table.foreign_keys for name in fk.columns}
    drop = [c for c in table.columns if c.name not in used][-1]
    tables[j] = dataclasses.replace(
        table, columns=tuple(c for c in table.columns if c is not drop)
    )
    # one new table, referencing the first one
    target = tables[0]
    key = target.primary_key.columns[0].name
    key_type = next(c.type for c in target.columns if c.name == key)
    new = sql.Table(
        name="bench_added",
        namespace=target.namespace,
        columns=(
            sql.Column("id", sql.ColumnType(sql.TypeFamily.INT, "INTEGER"), sql.ColumnArity.REQUIRED,
                       auto_increment=True),
            sql.Column("note", sql.ColumnType(sql.TypeFamily.STRING, "TEXT"), sql.ColumnArity.NULLABLE),
            sql.Column("targetId", key_type, sql.ColumnArity.REQUIRED),
        ),
        primary_key=sql.PrimaryKey("bench_added_pkey", (sql.IndexColumn("id"),)),
        indexes=(sql.Index("bench_added_targetId_idx", sql.IndexKind.NORMAL,
                           (sql.IndexColumn("targetId"),)),),
        foreign_keys=(sql.ForeignKey("bench_added_targetId_fkey", ("targetId",),
                                     sql.TableRef(target.namespace, target.name), (key,),
                                     sql.ReferentialAction.CASCADE,
                                     sql.ReferentialAction.CASCADE),),
    )
    tables.append(new)
    return dataclasses.replace(schema, tables=tuple(tables), _tables_by_ref={})


after = changed(after)
diff_times, render_times, equal_times = [], [], []
for _ in range(runs):
    start = time.perf_counter()
    changes = diff_schemas(before, after, dialect.capabilities)
    middle = time.perf_counter()
    script = migration_script(render_steps(changes, dialect.render))
    end = time.perf_counter()
    diff_times.append(middle - start)
    render_times.append(end - middle)
other = dialect.calculate(datamodel)
assert not diff_schemas(before, other, dialect.capabilities)
for _ in range(runs):
    start = time.perf_counter()
    diff_schemas(before, other, dialect.capabilities)
    equal_times.append(time.perf_counter() - start)
print(json.dumps({
    "tables": len(before.tables),
    "calculate": statistics.median(calculate_times),
    "diff": statistics.median(diff_times),
    "render": statistics.median(render_times),
    "equal": statistics.median(equal_times),
    "changes": [type(c).__name__ for c in changes],
    "script": script,
    "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
}))
"""


def run_size(size: int, runs: int, dialect: str) -> dict[str, object]:
    with tempfile.TemporaryDirectory(prefix="sm-bench-") as tmp:
        schema = Path(tmp) / "schema.prisma"
        schema.write_text(generate(size))
        proc = subprocess.run(
            [sys.executable, "-c", CHILD, str(schema), str(runs), dialect],
            capture_output=True,
            text=True,
            check=True,
            cwd=REPO,
        )
        result: dict[str, object] = json.loads(proc.stdout)
        return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,5000")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--dialect", default="postgresql")
    parser.add_argument("--show-script", action="store_true", help="print the rendered changes")
    args = parser.parse_args(argv)
    print(
        "| models | tables | calculate s | diff s | render changes s | diff + render s "
        "| diff of equal schemas s | changes | peak RSS MB |"
    )
    print("|---" * 9 + "|", flush=True)
    for size in args.sizes.split(","):
        r = run_size(int(size), args.runs, args.dialect)
        diff, render = float(r["diff"]), float(r["render"])  # type: ignore[arg-type]
        changes = r["changes"]
        assert isinstance(changes, list)
        print(
            f"| {int(size)} | {r['tables']} | {r['calculate']:.3f} | {diff:.3f} | {render:.4f} "
            f"| {diff + render:.3f} | {r['equal']:.3f} | {', '.join(changes)} "
            f"| {r['peak_rss_mb']:.0f} |",
            flush=True,
        )
        if args.show_script:
            print(f"\n```sql\n{r['script']}```\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
