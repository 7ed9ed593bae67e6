"""Start-up cost: a command imports what it runs, not what the other verbs need.

A `schemamend` process pays for every module it imports before its first query
(tens of milliseconds for the renderer, the differ or rich), which at 100 or
1,000 tables is as much as the catalog queries themselves (bench/README.md).
"""

from __future__ import annotations

import json
import subprocess
import sys

import click
from click.testing import CliRunner

from schemamend.cli.main import cli

VERBS = {
    "baseline", "check", "db", "demo", "deploy", "doctor",
    "format", "lint", "migrate", "repair", "validate", "verify",
}  # fmt: skip


def modules_after(code: str) -> set[str]:
    """The modules a fresh interpreter holds after running `code`."""
    script = f"{code}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    out = subprocess.run(
        [sys.executable, "-c", script], check=True, capture_output=True, text=True
    ).stdout
    return set(json.loads(out))


def under(modules: set[str], *packages: str) -> set[str]:
    return {m for m in modules if any(m == p or m.startswith(p + ".") for p in packages)}


def test_introspection_imports_neither_renderers_nor_differ_nor_parser() -> None:
    modules = modules_after(
        "from schemamend.introspect import introspect\n"
        "import schemamend.db.postgres, schemamend.db.sqlite\n"
        "import schemamend.dialects.postgres.introspect, schemamend.dialects.mysql.introspect\n"
        "import schemamend.dialects.sqlite.introspect"
    )
    assert "schemamend.dialects.postgres.introspect" in modules
    heavy = under(
        modules,
        "schemamend.diff",
        "schemamend.safety",
        "schemamend.psl",
        "schemamend.model.datamodel",
        "schemamend.dialects.calculator",
        *(f"schemamend.dialects.{db}.{part}" for db in ("postgres", "mysql", "sqlite")
          for part in ("render", "calculate")),
    )  # fmt: skip
    assert heavy == set()


def test_introspection_import_leaves_out_pathlib_and_url_parsing() -> None:
    # pathlib and urllib.parse (with ipaddress) cost milliseconds at start-up; a URL's text
    # is parsed, and a SQLite path made, only when a call needs them.
    modules = modules_after("from schemamend.introspect import introspect")
    assert {"pathlib", "urllib.parse", "ipaddress"} & modules == set()


def test_postgres_introspection_by_url_imports_neither_pathlib_nor_datetime_nor_urllib() -> None:
    # What `introspect("postgresql://...")` imports before and while it reads the catalog.
    modules = modules_after(
        "from schemamend.introspect import introspect\n"
        "from schemamend.db import parse_url\n"
        "url = parse_url('postgresql://app:secret@localhost:5432/app?schema=public')\n"
        "import schemamend.db.postgres\n"
        "from schemamend.dialects.postgres import introspect as reader\n"
        "for name in ('relations', 'columns', 'constraints', 'indexes', 'enums',\n"
        "             'operator_classes', 'extensions'):\n"
        "    assert reader.catalog_query(name).strip()"
    )
    assert "schemamend.db.pg_wire" in modules
    assert {"pathlib", "datetime", "urllib.parse", "ipaddress"} & modules == set()
    # typing is for the type checker only on this path (`TYPE_CHECKING = False` blocks).
    assert "typing" not in modules
    # Quoting and reading need neither the dialect adapter nor its capability records, nor
    # the records of diagnostics about schema files.
    assert {
        "schemamend.dialects.postgres.dialect",
        "schemamend.dialects.base",
        "schemamend.diagnostics",
    } & modules == set()


def test_every_dataclass_on_the_introspection_path_has_a_docstring() -> None:
    # Without one, @dataclass writes one from inspect.signature(cls) at import: ~40 µs each.
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            "import dataclasses, json, sys\n"
            "from schemamend.introspect import introspect\n"
            "import schemamend.db.postgres, schemamend.dialects.postgres.introspect\n"
            "print(json.dumps(sorted(\n"
            "    f'{module.__name__}.{name}'\n"
            "    for module in list(sys.modules.values())\n"
            "    if module.__name__.startswith('schemamend')\n"
            "    for name, value in vars(module).items()\n"
            "    if isinstance(value, type) and dataclasses.is_dataclass(value)\n"
            "    and value.__module__ == module.__name__\n"
            "    and (value.__doc__ or '').startswith(value.__name__ + '(')\n"
            ")))",
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    assert json.loads(out) == []


def test_dialect_still_renders_and_calculates_once_asked() -> None:
    modules = modules_after(
        "from schemamend.dialects.registry import dialect_for\n"
        "dialect = dialect_for('postgresql')\n"
        'assert dialect.quote_identifier(\'a"b\') == \'"a""b"\'\n'
        "from schemamend.psl import check_text\n"
        'result = check_text(\'datasource db {\\n  provider = "postgresql"\\n}\\n'
        "model A {\\n  id Int @id\\n}\\n')\n"
        "assert result.datamodel is not None\n"
        "assert [t.name for t in dialect.calculate(result.datamodel).tables] == ['A']"
    )
    assert "schemamend.dialects.postgres.calculate" in modules


def test_cli_imports_no_verb_module_rich_or_driver_until_a_verb_runs() -> None:
    modules = modules_after("import schemamend.cli.main")
    assert (
        under(modules, "rich", "psycopg", "pymysql", "schemamend.migrate", "schemamend.commands")
        == set()
    )
    assert {m for m in modules if m.startswith("schemamend.cli.") and m.endswith("_cmds")} == set()


def test_db_pull_loads_the_db_verbs_only() -> None:
    modules = modules_after(
        "import click\n"
        "from schemamend.cli.main import cli\n"
        "db = cli.get_command(click.Context(cli), 'db')\n"
        "assert sorted(db.commands) == ['pull', 'push']"
    )
    assert {"schemamend.cli.db_cmds", "schemamend.cli.pull_cmds"} <= modules
    assert (
        under(
            modules,
            "rich",
            "schemamend.cli.migrate_cmds",
            "schemamend.cli.repair_cmds",
            "schemamend.cli.incident_cmds",
            "schemamend.migrate",
            "schemamend.safety",
        )
        == set()
    )


def test_help_lists_every_verb() -> None:
    result = CliRunner().invoke(cli, ["--help"])
    assert result.exit_code == 0, result.output
    listed = {
        line.split()[0]
        for line in result.output.split("Commands:", 1)[1].splitlines()
        if line.startswith("  ")
    }
    assert listed == VERBS


def test_migrate_group_holds_its_verbs_from_other_modules() -> None:
    migrate = cli.get_command(click.Context(cli), "migrate")
    assert migrate is not None
    assert set(getattr(migrate, "commands", {})) == {"deploy", "dev", "diff", "resolve", "status"}
