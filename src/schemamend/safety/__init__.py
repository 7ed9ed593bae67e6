"""Safety: what each planned step risks, judged on typed steps and live facts.

    checks = plan_checks(steps, live)            # pure: no I/O
    facts = measure(facts_needed(checks), ...)   # the row counts, NULLs, duplicates, orphans
    verdicts = evaluate(checks, facts)           # one per step: risk class + findings in words

Risk classes: `safe`, `may-fail`, `destructive`, `locking` (`Risk`); each
finding carries a stable `CheckCode`.
"""

from schemamend.safety.checks import (
    LOCKING_ROWS,
    Check,
    CheckCode,
    Condition,
    Fact,
    Risk,
    plan_checks,
)
from schemamend.safety.facts import Measurement, fact_queries, measure
from schemamend.safety.steps import PlanStep, RepairStep, describe_step, enum_value_steps
from schemamend.safety.verdict import Finding, Verdict, evaluate, facts_needed, holds

__all__ = [
    "LOCKING_ROWS",
    "Check",
    "CheckCode",
    "Condition",
    "Fact",
    "Finding",
    "Measurement",
    "PlanStep",
    "RepairStep",
    "Risk",
    "Verdict",
    "describe_step",
    "enum_value_steps",
    "evaluate",
    "fact_queries",
    "facts_needed",
    "holds",
    "measure",
    "plan_checks",
]
