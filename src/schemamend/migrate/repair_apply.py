"""Applying a repair plan: all or nothing where the database allows it.

Where DDL is transactional (PostgreSQL, SQLite) every applied step runs in
ONE transaction: if any statement fails, the whole repair rolls back and
the database is as it was. Foreign keys created `NOT VALID` are checked at
the end of that transaction and validated only when no row violates them.
Statements that cannot run inside a transaction block (concurrent index
builds; enum values that the same transaction would use) run outside it,
each on its own and each reported.

Where DDL is not transactional (MySQL: every DDL statement commits), the
steps run one by one; a failure stops the run and says exactly which
statements had already run.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from schemamend.db import Connection, StatementFailed
from schemamend.dialects.base import Dialect
from schemamend.errors import SchemamendError
from schemamend.safety import describe_step, fact_queries, measure
from schemamend.safety.checks import OrphanCount
from schemamend.safety.facts import Measurement
from schemamend.safety.steps import AddForeignKeyNotValid, PlanStep, ValidateForeignKey
from schemamend.safety.verdict import Verdict

LOCK_TIMEOUT_S = 10.0

# Database error codes that mean "the user lacks a privilege" (PostgreSQL SQLSTATE, MySQL errno).
_PRIVILEGE_CODES = {"42501", "1142", "1044", "1227", "1045", "1143"}


class Action(StrEnum):
    """What the repair does with a planned step."""

    APPLY = "apply"  # inside the repair's transaction (or in order, on MySQL)
    APPLY_NOT_VALID = "apply not valid"  # a foreign key created NOT VALID, validated if clean
    BEFORE = "before transaction"  # must be committed before the transaction uses it
    AFTER = "after transaction"  # cannot run inside a transaction block
    HOLD = "held back"  # its risk class is not allowed (see the flags)
    BLOCKED = "blocked"  # needs a step that is held back
    UNSUPPORTED = "unsupported"  # the database cannot do it in place

    @property
    def runs(self) -> bool:
        return self in _RUNS


_RUNS = {Action.APPLY, Action.APPLY_NOT_VALID, Action.BEFORE, Action.AFTER}


@dataclass(frozen=True)
class PlannedStep:
    step: PlanStep
    verdict: Verdict
    action: Action
    statements: tuple[str, ...]
    reason: str = ""  # why it is held, blocked or unsupported; how it runs otherwise
    cleanup: tuple[str, ...] = ()  # run when a step outside the transaction fails

    def describe(self) -> str:
        return describe_step(self.step)


class Outcome(StrEnum):
    APPLIED = "applied"
    VALIDATED = "applied, validated"
    LEFT_NOT_VALID = "applied NOT VALID"
    FAILED = "failed"


@dataclass(frozen=True)
class StepResult:
    item: PlannedStep
    outcome: Outcome
    error: str | None = None
    violations: Measurement | None = None  # rows violating a NOT VALID foreign key
    follow_up: tuple[str, ...] = ()  # SQL for the user: list the violating rows, then validate


@dataclass(frozen=True)
class ApplyResult:
    results: tuple[StepResult, ...]
    transactional: bool

    @property
    def failed(self) -> tuple[StepResult, ...]:
        return tuple(r for r in self.results if r.outcome is Outcome.FAILED)

    @property
    def left_not_valid(self) -> tuple[StepResult, ...]:
        return tuple(r for r in self.results if r.outcome is Outcome.LEFT_NOT_VALID)


class RepairFailed(SchemamendError):
    code = "SM060"


class RepairPrivilegeMissing(RepairFailed):
    code = "SM061"


def apply_plan(conn: Connection, dialect: Dialect, items: Sequence[PlannedStep]) -> ApplyResult:
    """Run the steps the plan applies; raises RepairFailed when the repair cannot complete.

    The caller holds the migration lock (`Connection.migration_lock`).
    """
    before = [i for i in items if i.action is Action.BEFORE]
    main = [i for i in items if i.action in (Action.APPLY, Action.APPLY_NOT_VALID)]
    after = [i for i in items if i.action is Action.AFTER]
    results: list[StepResult] = []
    for item in before:
        results.append(_run_alone(conn, item, raise_on_failure=True))
    if conn.transactional_ddl:
        results += _run_in_transaction(conn, dialect, main, committed=[r.item for r in results])
    else:
        results += _run_one_by_one(conn, dialect, main, done=results)
    for item in after:
        results.append(_run_alone(conn, item, raise_on_failure=False))
    return ApplyResult(tuple(results), conn.transactional_ddl)


def _run_in_transaction(
    conn: Connection, dialect: Dialect, items: list[PlannedStep], committed: list[PlannedStep]
) -> list[StepResult]:
    if not items:
        return []
    try:
        with conn.transaction():
            for item in items:
                _execute(conn, item)
            return [_finish(conn, dialect, item) for item in items]
    except _StepFailed as failure:
        raise _failure_error(conn, failure, transactional=True, ran=committed) from None


def _run_one_by_one(
    conn: Connection, dialect: Dialect, items: list[PlannedStep], done: list[StepResult]
) -> list[StepResult]:
    results: list[StepResult] = []
    for item in items:
        try:
            _execute(conn, item)
        except _StepFailed as failure:
            ran = [r.item for r in [*done, *results]]
            raise _failure_error(conn, failure, transactional=False, ran=ran) from None
        results.append(_finish(conn, dialect, item))
    return results


def _run_alone(conn: Connection, item: PlannedStep, *, raise_on_failure: bool) -> StepResult:
    try:
        _execute(conn, item)
    except _StepFailed as failure:
        if raise_on_failure:
            raise _failure_error(conn, failure, transactional=False, ran=[]) from None
        _clean_up_after(conn, item)
        return StepResult(item, Outcome.FAILED, failure.error.message)
    return StepResult(item, Outcome.APPLIED)


def _clean_up_after(conn: Connection, item: PlannedStep) -> None:
    """A failed concurrent index build leaves an invalid index behind: drop it."""
    for statement in item.cleanup:
        try:
            conn.execute(statement)
        except StatementFailed:
            return


class _StepFailed(Exception):
    def __init__(self, item: PlannedStep, statement: str, error: StatementFailed) -> None:
        super().__init__(error.message)
        self.item = item
        self.statement = statement
        self.error = error


def _execute(conn: Connection, item: PlannedStep) -> None:
    for statement in item.statements:
        try:
            conn.execute(statement)
        except StatementFailed as exc:
            raise _StepFailed(item, statement, exc) from None


def _finish(conn: Connection, dialect: Dialect, item: PlannedStep) -> StepResult:
    """Validate a NOT VALID foreign key when no existing row violates it."""
    if item.action is not Action.APPLY_NOT_VALID or not isinstance(
        item.step, AddForeignKeyNotValid
    ):
        return StepResult(item, Outcome.APPLIED)
    fact = OrphanCount(item.step.table, item.step.next, parent_exists=True)
    found = measure(
        [fact],
        conn.query,
        dialect.quote_identifier,
        qualify_namespaces=dialect.capabilities.namespaces,
    )[fact]
    validate = dialect.render_repair(ValidateForeignKey(item.step.table, item.step.next))
    if found.count:
        listing = fact_queries(fact, dialect.quote_identifier, dialect.capabilities.namespaces).rows
        follow_up = tuple(s for s in (listing, *validate) if s)
        return StepResult(item, Outcome.LEFT_NOT_VALID, violations=found, follow_up=follow_up)
    for statement in validate:
        try:
            conn.execute(statement)
        except StatementFailed as exc:
            raise _StepFailed(item, statement, exc) from None
    return StepResult(item, Outcome.VALIDATED, violations=found)


def _failure_error(
    conn: Connection, failure: _StepFailed, *, transactional: bool, ran: Sequence[PlannedStep]
) -> RepairFailed:
    what = failure.item.describe()
    db_message = failure.error.db_message.strip()
    if transactional and ran:
        listing = "\n".join(f"  - {i.describe()}" for i in ran)
        outcome = (
            "The repair's transaction was rolled back; only what had to be committed before it "
            f"remains:\n{listing}"
        )
    elif transactional:
        outcome = "The whole repair was rolled back: the database is unchanged."
    elif ran:
        listing = "\n".join(f"  - {i.describe()}" for i in ran)
        outcome = (
            "DDL is not transactional on this database, so the steps before it stay applied:\n"
            f"{listing}\nNothing after it ran."
        )
    else:
        outcome = "Nothing had run before it: the database is unchanged."
    if failure.error.db_code in _PRIVILEGE_CODES:
        privilege = _privilege_needed(failure.item)
        return RepairPrivilegeMissing(
            f"the database user `{conn.url.user or '?'}` lacks the {privilege} privilege the repair "
            f"needs ({what}): {db_message}\n{outcome}",
            hint=f"grant {privilege} to `{conn.url.user or '?'}` (or run the repair as the owner "
            "of the schema), then run it again",
        )
    return RepairFailed(
        f"repair failed at: {what}\n{db_message}\nstatement: {failure.statement}\n{outcome}",
        hint="fix the cause (see `schemamend repair --dry-run`) and run the repair again",
    )


def _privilege_needed(item: PlannedStep) -> str:
    from schemamend.diff import changes as ch

    match item.step:
        case (
            ch.CreateTable()
            | ch.CreateEnum()
            | ch.CreateSchema()
            | ch.CreateIndex()
            | ch.CreateExtension()
        ):
            return "CREATE"
        case ch.AddForeignKey() | AddForeignKeyNotValid():
            return "REFERENCES"
        case _:
            return "ALTER (ownership of the object)"
