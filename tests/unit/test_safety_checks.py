"""The safety classifier: risk classes decided from typed steps, then from live facts.

`plan_checks` never touches a database; `evaluate` turns measured facts into
verdicts. These tests feed it steps and measurements directly.
"""

from __future__ import annotations

from schemamend.diff import changes as ch
from schemamend.model import sql
from schemamend.safety import (
    CheckCode,
    Measurement,
    Risk,
    Verdict,
    evaluate,
    facts_needed,
    plan_checks,
)
from schemamend.safety.checks import (
    LOCKING_ROWS,
    DuplicateCount,
    NonNullCount,
    NullCount,
    OrphanCount,
    RowCount,
)
from schemamend.safety.steps import PlanStep

USERS = sql.TableRef(None, "users")
PROJECTS = sql.TableRef(None, "projects")
TEXT = sql.ColumnType(sql.TypeFamily.STRING, "TEXT")
INT = sql.ColumnType(sql.TypeFamily.INT, "INTEGER")


def column(
    name: str, *, required: bool = False, default: str | None = None, type_: sql.ColumnType = TEXT
) -> sql.Column:
    value = (
        sql.ColumnDefault(sql.DefaultKind.VALUE, sql.Literal(sql.LiteralKind.STRING, default))
        if default is not None
        else None
    )
    arity = sql.ColumnArity.REQUIRED if required else sql.ColumnArity.NULLABLE
    return sql.Column(name, type_, arity, value)


def table(ref: sql.TableRef, *columns: sql.Column) -> sql.Table:
    key = sql.PrimaryKey(f"{ref.name}_pkey", (sql.IndexColumn("id"),))
    return sql.Table(ref.name, (column("id", required=True), *columns), key)


def owner_fk() -> sql.ForeignKey:
    return sql.ForeignKey(
        "projects_owner_id_fkey",
        ("owner_id",),
        USERS,
        ("id",),
        sql.ReferentialAction.RESTRICT,
        sql.ReferentialAction.CASCADE,
    )


def verdicts(
    steps: list[PlanStep], measured: dict[object, Measurement] | None = None
) -> list[Verdict]:
    checks = plan_checks(steps)
    facts = {f: (measured or {}).get(f, Measurement(0)) for f in facts_needed(checks)}
    return evaluate(checks, facts)


def only(steps: list[PlanStep], measured: dict[object, Measurement] | None = None) -> Verdict:
    [verdict] = verdicts(steps, measured)
    return verdict


# ── safe without asking the database ───────────────────────────────────────


def test_creating_tables_enums_and_their_indexes_and_keys_is_safe_without_any_fact() -> None:
    new_table = table(PROJECTS, column("owner_id", required=True))
    index = sql.Index("projects_owner_id_idx", sql.IndexKind.NORMAL, (sql.IndexColumn("owner_id"),))
    steps: list[PlanStep] = [
        ch.CreateEnum(sql.EnumType("Status", ("A", "B"))),
        ch.CreateTable(new_table),
        ch.CreateIndex(PROJECTS, index),
        ch.AddForeignKey(PROJECTS, owner_fk()),
    ]
    checks = plan_checks(steps)
    assert facts_needed(checks) == [], "nothing about a new table needs live data"
    assert [v.risk for v in evaluate(checks, {})] == [Risk.SAFE] * 4
    assert [f.code for v in evaluate(checks, {}) for f in v.findings] == [
        CheckCode.CREATE_ENUM,
        CheckCode.CREATE_TABLE,
        CheckCode.CREATE_INDEX,
        CheckCode.ADD_FOREIGN_KEY,
    ]


def test_adding_a_nullable_column_or_one_with_a_default_is_safe_on_any_table() -> None:
    assert only([ch.AddColumn(USERS, column("nickname"))]).risk is Risk.SAFE
    step = ch.AddColumn(USERS, column("plan", required=True, default="FREE"))
    assert only([step], {RowCount(USERS): Measurement(10_000)}).risk is Risk.SAFE


# ── may-fail: decided by the rows ─────────────────────────────────────────


def test_a_required_column_without_default_may_fail_on_a_table_with_rows_and_says_how_many() -> (
    None
):
    step = ch.AddColumn(USERS, column("tenant_id", required=True))
    verdict = only([step], {RowCount(USERS): Measurement(3)})
    assert verdict.risk is Risk.MAY_FAIL
    finding = verdict.finding(CheckCode.NOT_NULL_COLUMN_ON_ROWS)
    assert finding is not None and finding.count == 3
    assert "3 rows" in finding.message and "tenant_id" in finding.message


def test_the_same_column_on_an_empty_table_is_safe() -> None:
    step = ch.AddColumn(USERS, column("tenant_id", required=True))
    assert only([step], {RowCount(USERS): Measurement(0)}).risk is Risk.SAFE


def test_a_unique_index_over_duplicate_values_may_fail_and_shows_the_repeated_values() -> None:
    index = sql.Index("users_email_key", sql.IndexKind.UNIQUE, (sql.IndexColumn("email"),))
    fact = DuplicateCount(USERS, ("email",))
    verdict = only([ch.CreateIndex(USERS, index)], {fact: Measurement(2, ("email = 'a@x'",))})
    assert verdict.risk is Risk.MAY_FAIL
    assert "email = 'a@x'" in verdict.summary


def test_a_foreign_key_that_existing_rows_violate_may_fail_with_count_and_example_keys() -> None:
    fact = OrphanCount(PROJECTS, owner_fk(), parent_exists=True)
    verdict = only(
        [ch.AddForeignKey(PROJECTS, owner_fk())], {fact: Measurement(4, ("owner_id = 'u9'",))}
    )
    assert verdict.risk is Risk.MAY_FAIL
    finding = verdict.finding(CheckCode.FOREIGN_KEY_VIOLATIONS)
    assert finding is not None and finding.count == 4 and finding.examples == ("owner_id = 'u9'",)


def test_rows_referencing_a_parent_the_plan_creates_are_all_orphans() -> None:
    steps: list[PlanStep] = [ch.CreateTable(table(USERS)), ch.AddForeignKey(PROJECTS, owner_fk())]
    assert OrphanCount(PROJECTS, owner_fk(), parent_exists=False) in facts_needed(
        plan_checks(steps)
    )


def test_making_a_column_required_over_nulls_may_fail() -> None:
    step = ch.AlterColumn(USERS, column("name"), column("name", required=True))
    fact = NullCount(USERS, "name", ())
    assert only([step], {fact: Measurement(1)}).risk is Risk.MAY_FAIL
    assert only([step], {fact: Measurement(0)}).risk is Risk.SAFE


def test_an_unmeasured_fact_counts_as_the_worst_case() -> None:
    step = ch.AddColumn(USERS, column("tenant_id", required=True))
    assert evaluate(plan_checks([step]), {})[0].risk is Risk.MAY_FAIL


# ── destructive, whatever the data ──────────────────────────────────────────


def test_drops_and_type_changes_are_destructive_and_say_what_they_remove() -> None:
    drop_table = only([ch.DropTable(table(USERS))], {RowCount(USERS): Measurement(7)})
    assert drop_table.risk is Risk.DESTRUCTIVE and "7 rows" in drop_table.summary

    drop_column = ch.DropColumn(USERS, column("legacy"))
    verdict = only([drop_column], {NonNullCount(USERS, "legacy"): Measurement(5)})
    assert verdict.risk is Risk.DESTRUCTIVE and "5 non-null values" in verdict.summary

    narrowing = ch.AlterColumn(USERS, column("age", type_=TEXT), column("age", type_=INT))
    assert only([narrowing]).risk is Risk.DESTRUCTIVE


def test_destructive_outranks_safe_findings_of_the_same_step() -> None:
    step = ch.AlterColumn(USERS, column("age", type_=TEXT), column("age", type_=INT, default="0"))
    verdict = only([step])
    assert {f.code for f in verdict.findings} == {CheckCode.CHANGE_TYPE, CheckCode.CHANGE_DEFAULT}
    assert verdict.risk is Risk.DESTRUCTIVE


# ── locking: decided by the table's size ─────────────────────────────────────


def test_an_index_on_a_large_existing_table_is_locking_and_names_table_and_rows() -> None:
    index = sql.Index("users_name_idx", sql.IndexKind.NORMAL, (sql.IndexColumn("name"),))
    verdict = only([ch.CreateIndex(USERS, index)], {RowCount(USERS): Measurement(LOCKING_ROWS + 1)})
    assert verdict.risk is Risk.LOCKING
    assert "users" in verdict.summary and f"{LOCKING_ROWS + 1:,} rows" in verdict.summary
    small = only([ch.CreateIndex(USERS, index)], {RowCount(USERS): Measurement(10)})
    assert small.risk is Risk.SAFE


def test_risk_classes_are_the_documented_words() -> None:
    assert [r.value for r in Risk] == ["safe", "locking", "may-fail", "destructive"]


# ── type changes: widening keeps every value, narrowing may not ─────────────────


def varchar(length: int) -> sql.ColumnType:
    return sql.ColumnType(sql.TypeFamily.STRING, "VARCHAR", (str(length),))


def inline_enum(*values: str) -> sql.ColumnType:
    return sql.ColumnType(sql.TypeFamily.ENUM, "ENUM", values)


def test_widening_a_type_is_safe_on_small_tables_and_locking_on_large_ones() -> None:
    longer = ch.AlterColumn(
        USERS, column("email", type_=varchar(191)), column("email", type_=varchar(255))
    )
    assert only([longer], {RowCount(USERS): Measurement(10)}).risk is Risk.SAFE
    big = only([longer], {RowCount(USERS): Measurement(LOCKING_ROWS * 5)})
    assert big.risk is Risk.LOCKING and "rewrite" in big.summary


def test_an_inline_enum_gaining_values_is_safe_but_losing_one_is_destructive() -> None:
    gains = ch.AlterColumn(
        USERS,
        column("role", type_=inline_enum("A", "B")),
        column("role", type_=inline_enum("A", "N", "B")),
    )
    assert only([gains]).risk is Risk.SAFE
    assert only([gains]).finding(CheckCode.WIDEN_TYPE) is not None
    loses = ch.AlterColumn(
        USERS, column("role", type_=inline_enum("A", "B")), column("role", type_=inline_enum("A"))
    )
    assert only([loses]).risk is Risk.DESTRUCTIVE


def test_narrowing_a_type_is_destructive() -> None:
    shorter = ch.AlterColumn(
        USERS, column("email", type_=varchar(255)), column("email", type_=varchar(50))
    )
    verdict = only([shorter], {NonNullCount(USERS, "email"): Measurement(12)})
    assert verdict.risk is Risk.DESTRUCTIVE
    assert (
        "VARCHAR(255) to VARCHAR(50)" in verdict.summary and "12 non-null values" in verdict.summary
    )


# ── columns the same plan adds ─────────────────────────────────────────────


def test_a_key_or_unique_index_over_a_column_the_plan_adds_asks_nothing_about_its_values() -> None:
    owner = ch.AddColumn(PROJECTS, column("owner_id"))
    key = ch.AddForeignKey(PROJECTS, owner_fk())
    slug = ch.AddColumn(PROJECTS, column("slug"))
    index = ch.CreateIndex(
        PROJECTS, sql.Index("projects_slug_key", sql.IndexKind.UNIQUE, (sql.IndexColumn("slug"),))
    )
    checks = plan_checks([owner, key, slug, index])
    assert facts_needed(checks) == [RowCount(PROJECTS)], "only the size (locking), no column query"


def test_a_unique_column_added_with_a_default_collides_as_soon_as_two_rows_exist() -> None:
    slug = ch.AddColumn(PROJECTS, column("slug", required=True, default="x"))
    index = ch.CreateIndex(
        PROJECTS, sql.Index("projects_slug_key", sql.IndexKind.UNIQUE, (sql.IndexColumn("slug"),))
    )
    one = verdicts([slug, index], {RowCount(PROJECTS): Measurement(1)})
    two = verdicts([slug, index], {RowCount(PROJECTS): Measurement(2)})
    assert one[1].risk is Risk.SAFE and two[1].risk is Risk.MAY_FAIL


def test_every_check_code_has_its_words() -> None:
    from schemamend.safety.wording import _WORDING

    assert set(_WORDING) == set(CheckCode)


def test_a_step_kind_the_classifier_does_not_know_is_never_safe() -> None:
    from dataclasses import dataclass

    @dataclass(frozen=True)
    class Mystery:
        STEP = "Mystery"

    verdict = only([Mystery()])  # type: ignore[list-item]
    assert verdict.risk is Risk.MAY_FAIL and verdict.findings[0].code is CheckCode.UNCLASSIFIED


def test_checking_a_new_key_against_a_large_table_is_locking() -> None:
    fact = OrphanCount(PROJECTS, owner_fk(), parent_exists=True)
    measured = {fact: Measurement(0), RowCount(PROJECTS): Measurement(LOCKING_ROWS * 2)}
    verdict = only([ch.AddForeignKey(PROJECTS, owner_fk())], measured)
    assert verdict.risk is Risk.LOCKING
    assert verdict.finding(CheckCode.KEY_CHECK_LOCKS_TABLE) is not None
