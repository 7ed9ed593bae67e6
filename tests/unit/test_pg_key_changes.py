"""PostgreSQL primary-key changes as Prisma 7.10.1 makes them: the key dropped and added again
around a change of its columns' types, its columns or their order; renamed; foreign keys on
retyped columns dropped and added again.

Each folder of `tests/fixtures/pg_key_changes/` is what the real Prisma CLI printed (see its
README); `migrate diff` must print the same script and summary, byte for byte, or the file we
write instead where Prisma's SQL fails (`*.schemamend.*`). The `migrate dev` files of the same
runs are checked in tests/integration/test_dev_pg_key_changes.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from schemamend.commands.diff import DiffReport, State, migrate_diff
from schemamend.dialects.postgres.render import serial_sequence_name
from schemamend.diff import changes as ch
from schemamend.safety import Risk
from schemamend.safety.checks import CheckCode, plan_checks

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "pg_key_changes"
CASES = sorted(p.name for p in FIXTURES.iterdir() if p.is_dir())


def expected(case: str, name: str) -> str:
    """Our expected file: Prisma's, unless the folder holds the one we write instead."""
    stem, suffix = name.rsplit(".", 1)
    ours = FIXTURES / case / f"{stem}.schemamend.{suffix}"
    return (ours if ours.is_file() else FIXTURES / case / name).read_text(encoding="utf-8")


def _diff(case: str) -> DiffReport:
    folder = FIXTURES / case
    return migrate_diff(
        State("schema", str(folder / "before.prisma")),
        State("schema", str(folder / "after.prisma")),
    )


def test_every_case_folder_is_found() -> None:
    assert len(CASES) == 19


@pytest.mark.parametrize("case", CASES)
def test_diff_script_is_prismas(case: str) -> None:
    assert _diff(case).script == expected(case, "script.sql")


@pytest.mark.parametrize("case", CASES)
def test_diff_summary_is_prismas(case: str) -> None:
    assert _diff(case).summary == expected(case, "summary.txt")


def test_the_deviations_are_the_documented_ones() -> None:
    """Ours differs from Prisma's only where Prisma's SQL fails (see the fixtures' README)."""
    deviating = sorted({p.parent.name for p in FIXTURES.glob("*/*.schemamend.*")})
    assert deviating == [
        "autoincrement_key_with_foreign_keys",
        "int_to_bigint_autoincrement",
        "referenced_key_narrowed_foreign_key_unchanged",
    ]
    for case in deviating[:2]:
        for name in ("script.sql", "migration.sql"):
            prisma = (FIXTURES / case / name).read_text(encoding="utf-8")
            ours = prisma.replace(
                'ALTER COLUMN "id" SET DATA TYPE BIGSERIAL,\nADD CONSTRAINT "User_pkey" PRIMARY KEY ("id");\n',
                'ALTER COLUMN "id" SET DATA TYPE BIGINT,\nADD CONSTRAINT "User_pkey" PRIMARY KEY ("id");\n'
                'ALTER SEQUENCE "User_id_seq" AS BIGINT;\n',
            )
            assert ours != prisma and expected(case, name) == ours


@pytest.mark.parametrize(
    ("table", "column", "name"),
    [
        ("User", "id", "User_id_seq"),
        ("a" * 60, "id", "a" * 56 + "_id_seq"),
        ("x" * 40, "y" * 40, "x" * 29 + "_" + "y" * 29 + "_seq"),
        ("t" * 30, "é" * 20, "t" * 29 + "_" + "é" * 14 + "_seq"),  # never half a character
    ],
)
def test_a_serial_sequence_is_named_as_postgresql_names_it(
    table: str, column: str, name: str
) -> None:
    """Checked against PostgreSQL 15 (`CREATE TABLE ... SERIAL`, then pg_class)."""
    assert serial_sequence_name(table, column) == name


# ── risk, judged like the other type changes ─────────────────────────────────


def _checks(case: str) -> dict[str, list[tuple[CheckCode, Risk]]]:
    out: dict[str, list[tuple[CheckCode, Risk]]] = {}
    for check in plan_checks(list(_diff(case).changes)):
        out.setdefault(ch.describe(check.step), []).append((check.code, check.risk))
    return out


def test_a_widened_key_with_foreign_keys_on_it_loses_nothing() -> None:
    """Int → BigInt: the keys and foreign keys are only dropped to be added again; the widened
    columns are safe as any widening is; building the keys again blocks writes on big tables."""
    checks = _checks("key_with_foreign_keys")
    assert checks["drop foreign key Post_authorId_fkey on Post"] == [
        (CheckCode.RECREATE_FOREIGN_KEY, Risk.SAFE)
    ]
    assert checks["drop primary key User_pkey on User"] == [
        (CheckCode.RECREATE_PRIMARY_KEY, Risk.SAFE)
    ]
    assert (CheckCode.WIDEN_TYPE, Risk.SAFE) in checks["alter column User.id"]
    assert checks["add primary key User_pkey on User (id)"] == [
        (CheckCode.ADD_PRIMARY_KEY, Risk.SAFE),
        (CheckCode.INDEX_BUILD_LOCKS_TABLE, Risk.LOCKING),  # only its columns' types changed
    ]
    worst = max((risk for found in checks.values() for _, risk in found), key=lambda r: r.severity)
    assert worst is Risk.MAY_FAIL  # the foreign keys added again check for orphans, as always


def test_a_key_whose_column_is_recreated_is_destructive() -> None:
    checks = _checks("string_to_int_recreated")
    assert (CheckCode.CHANGE_TYPE, Risk.DESTRUCTIVE) in checks["alter column Tag.id"]
    assert checks["drop primary key Tag_pkey on Tag"] == [
        (CheckCode.RECREATE_PRIMARY_KEY, Risk.SAFE)
    ]


def test_a_narrowed_key_is_destructive_like_any_narrowing() -> None:
    checks = _checks("varchar_key_shorter")
    assert (CheckCode.CHANGE_TYPE, Risk.DESTRUCTIVE) in checks["alter column M.id"]


def test_a_key_on_other_columns_may_fail_over_duplicates() -> None:
    checks = _checks("key_moves_to_another_column")
    assert (CheckCode.UNIQUE_OVER_DUPLICATES, Risk.MAY_FAIL) in checks[
        "add primary key User_pkey on User (email)"
    ]


def test_a_dropped_key_is_destructive_and_a_renamed_one_safe() -> None:
    assert _checks("key_removed")["drop primary key M_pkey on M"] == [
        (CheckCode.DROP_PRIMARY_KEY, Risk.DESTRUCTIVE)
    ]
    assert _checks("key_renamed")["rename primary key User_pkey to user_pk on User"] == [
        (CheckCode.RENAME_PRIMARY_KEY, Risk.SAFE)
    ]
