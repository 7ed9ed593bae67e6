"""Verdicts: the checks of each step, decided by the measured facts, in words."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from schemamend.safety.checks import LOCKING_ROWS, Check, CheckCode, Condition, Fact, Risk
from schemamend.safety.facts import Measurement
from schemamend.safety.steps import PlanStep
from schemamend.safety.wording import message


@dataclass(frozen=True, slots=True)
class Finding:
    code: CheckCode
    risk: Risk
    message: str
    count: int | None = None
    examples: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Verdict:
    """A step's risk class (the worst finding) and everything found about it."""

    step: PlanStep
    risk: Risk
    findings: tuple[Finding, ...]

    def finding(self, code: CheckCode) -> Finding | None:
        return next((f for f in self.findings if f.code is code), None)

    @property
    def summary(self) -> str:
        """The finding that decided the class (the first of the worst)."""
        worst = [f for f in self.findings if f.risk is self.risk]
        return worst[0].message if worst else ""


def holds(check: Check, measured: Measurement | None) -> bool:
    """Whether a check's risk applies, given its measured fact."""
    match check.condition:
        case Condition.ALWAYS:
            return True
        case Condition.POSITIVE:
            return measured is None or measured.count > 0  # unknown: assume the worst
        case Condition.SEVERAL:
            return measured is None or measured.count > 1
        case Condition.LARGE:
            return measured is not None and measured.count > LOCKING_ROWS
    return True  # pragma: no cover - exhaustive


def evaluate(checks: Sequence[Check], measured: Mapping[Fact, Measurement]) -> list[Verdict]:
    """One verdict per step, in the order the checks name the steps."""
    by_step: dict[int, list[Check]] = {}
    order: list[PlanStep] = []
    for check in checks:
        key = id(check.step)
        if key not in by_step:
            by_step[key] = []
            order.append(check.step)
        by_step[key].append(check)
    return [_verdict(step, by_step[id(step)], measured) for step in order]


def _verdict(step: PlanStep, checks: list[Check], measured: Mapping[Fact, Measurement]) -> Verdict:
    findings: list[Finding] = []
    for check in checks:
        fact = measured.get(check.fact) if check.fact is not None else None
        if not holds(check, fact):
            continue
        findings.append(
            Finding(
                check.code,
                check.risk,
                message(check, fact),
                fact.count if fact is not None else None,
                fact.examples if fact is not None else (),
            )
        )
    risk = max((f.risk for f in findings), key=lambda r: r.severity, default=Risk.SAFE)
    return Verdict(step, risk, tuple(findings))


def facts_needed(checks: Sequence[Check]) -> list[Fact]:
    """The distinct facts the checks ask about, in order."""
    seen: dict[Fact, None] = {}
    for check in checks:
        if check.fact is not None:
            seen.setdefault(check.fact)
    return list(seen)
