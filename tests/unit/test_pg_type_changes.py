"""PostgreSQL column type changes as Prisma 7.10.1 makes them: altered in place with or without
a data-loss warning, or dropped and added again when no cast exists.

Each folder of `tests/fixtures/pg_type_changes/` is what the real Prisma CLI printed for
one table whose columns change type (see its README); `migrate diff` must print the same
script and summary, byte for byte. The `migrate dev` files of the same runs are checked in
tests/integration/test_dev_pg_type_changes.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from schemamend.commands.diff import DiffReport, State, migrate_diff
from schemamend.dialects.postgres.dialect import DIALECT
from schemamend.dialects.postgres.type_changes import Cast, prisma_type_name, type_change
from schemamend.diff import changes as ch
from schemamend.model import sql
from schemamend.safety import Risk
from schemamend.safety.checks import CheckCode, plan_checks

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "pg_type_changes"
CASES = sorted(p.name for p in FIXTURES.iterdir() if p.is_dir())


def _diff(case: str) -> DiffReport:
    folder = FIXTURES / case
    return migrate_diff(
        State("schema", str(folder / "before.prisma")),
        State("schema", str(folder / "after.prisma")),
    )


def test_every_case_folder_is_found() -> None:
    assert len(CASES) == 10


@pytest.mark.parametrize("case", CASES)
def test_diff_script_is_prismas(case: str) -> None:
    assert _diff(case).script == (FIXTURES / case / "script.sql").read_text(encoding="utf-8")


@pytest.mark.parametrize("case", CASES)
def test_diff_summary_is_prismas(case: str) -> None:
    assert _diff(case).summary == (FIXTURES / case / "summary.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize("case", CASES)
def test_a_recreated_column_is_destructive(case: str) -> None:
    """Dropping a column and adding it again loses every value it held."""
    recreated = [
        c
        for c in _diff(case).changes
        if isinstance(c, ch.AlterColumn) and DIALECT.recreates_column(c)
    ]
    assert recreated
    for change in recreated:
        checks = plan_checks([change])
        assert any(c.code is CheckCode.CHANGE_TYPE and c.risk is Risk.DESTRUCTIVE for c in checks)


# ── the table, on pairs read off the fixtures ─────────────────────────────────


def _type(name: str, *args: str) -> sql.ColumnType:
    families = {
        "SMALLINT": sql.TypeFamily.INT,
        "INTEGER": sql.TypeFamily.INT,
        "BIGINT": sql.TypeFamily.BIGINT,
        "DECIMAL": sql.TypeFamily.DECIMAL,
        "BOOLEAN": sql.TypeFamily.BOOLEAN,
        "TIMESTAMP": sql.TypeFamily.DATETIME,
        "TIME": sql.TypeFamily.DATETIME,
    }
    return sql.ColumnType(families.get(name, sql.TypeFamily.STRING), name, args)


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (_type("INTEGER"), _type("VARCHAR", "10"), Cast.RISKY),  # "-2147483648" may not fit
        (_type("INTEGER"), _type("VARCHAR", "11"), Cast.SAFE),
        (_type("SMALLINT"), _type("VARCHAR", "3"), Cast.RISKY),
        (_type("SMALLINT"), _type("VARCHAR", "4"), Cast.SAFE),
        (_type("SMALLINT"), _type("INTEGER"), Cast.SAFE),
        (_type("INTEGER"), _type("SMALLINT"), Cast.RISKY),
        (_type("INTEGER"), _type("DECIMAL", "9", "0"), Cast.RISKY),
        (_type("INTEGER"), _type("DECIMAL", "10", "0"), Cast.SAFE),
        (_type("DECIMAL", "5", "2"), _type("DECIMAL", "10", "4"), Cast.SAFE),
        (_type("DECIMAL", "10", "2"), _type("DECIMAL", "10", "4"), Cast.RISKY),
        (_type("VARCHAR", "10"), _type("VARCHAR", "5"), Cast.RISKY),
        (_type("VARCHAR", "5"), _type("CHAR", "8"), Cast.SAFE),
        (_type("TEXT"), _type("UUID"), Cast.RECREATE),
        (_type("UUID"), _type("VARCHAR", "31"), Cast.RECREATE),
        (_type("UUID"), _type("VARCHAR", "32"), Cast.SAFE),
        (_type("TIMESTAMP", "3"), _type("VARCHAR", "22"), Cast.RECREATE),
        (_type("TIMESTAMP", "3"), _type("VARCHAR", "23"), Cast.SAFE),
        (_type("TIMESTAMP", "6"), _type("TIMESTAMP", "3"), Cast.SAFE),
        (_type("TIME", "3"), _type("TIMESTAMP", "3"), Cast.RECREATE),
        (_type("BOOLEAN"), _type("VARCHAR", "1"), Cast.SAFE),
        (_type("BOOLEAN"), _type("CHAR", "1"), Cast.RECREATE),
        (_type("BOOLEAN"), _type("INTEGER"), Cast.RECREATE),
        (_type("JSONB"), _type("VARCHAR", "10000"), Cast.RISKY),
        (_type("BIT", "8"), _type("VARCHAR", "7"), Cast.RECREATE),
        (_type("INET"), _type("VARCHAR", "1"), Cast.SAFE),
        (_type("INET"), _type("CHAR", "100"), Cast.RECREATE),
        (_type("TEXT"), sql.ColumnType(sql.TypeFamily.ENUM, "Role", enum="Role"), Cast.RECREATE),
    ],
)
def test_prismas_verdict_on_a_pair(
    old: sql.ColumnType, new: sql.ColumnType, expected: Cast
) -> None:
    assert type_change(old, new) is expected


def test_a_pair_the_runs_never_showed_is_unknown() -> None:
    assert type_change(_type("CITEXT"), _type("VARCHAR", "10")) is None


@pytest.mark.parametrize(
    ("column_type", "name"),
    [
        (_type("INTEGER"), "Integer"),
        (_type("DOUBLE PRECISION"), "DoublePrecision"),
        (_type("DECIMAL", "65", "30"), "Decimal(65,30)"),
        (_type("VARCHAR", "10"), "VarChar(10)"),
        (_type("VARCHAR"), "VarChar"),
        (_type("JSONB"), "JsonB"),
        (_type("BYTEA"), "ByteA"),
    ],
)
def test_types_are_named_as_in_prismas_warnings(column_type: sql.ColumnType, name: str) -> None:
    assert prisma_type_name(column_type) == name
