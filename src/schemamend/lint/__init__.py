"""`schemamend lint`: dangerous statements in migration files, found before they run.

Rules are data (`rules.RULES`, stable codes SML000...); `runner.lint_scripts`
parses each script with a real parser for its dialect (pglast for
PostgreSQL, sqlglot for MySQL and SQLite) and returns findings;
`output` renders them as text, GitHub annotations or JSON.
"""

from schemamend.lint.findings import Finding
from schemamend.lint.rules import RULES, Level, Rule, rule
from schemamend.lint.runner import LintSettings, Script, lint_scripts

__all__ = ["RULES", "Finding", "Level", "LintSettings", "Rule", "Script", "lint_scripts", "rule"]
