"""`schemamend lint`: dangerous statements in migration files, before they reach production.

    report = lint(["prisma/migrations"], url="postgresql://...")
    report.findings          # Finding(rule, level, file, line, message), sorted by file and line
    report.exit_code         # 0 clean (or warnings only), 2 an error-level finding

Which files: the paths given (a migrations folder, one migration's folder,
or SQL files); else the migrations folder next to the schema, narrowed to
the migrations not yet applied to `url`, or to those changed since the git
ref `since`. Migrations before the first linted one are read too (not
reported on), so the rules know which tables already exist and their types.

With `url`: row counts, NULLs and duplicates come from the live database,
and the history is replayed from empty in a shadow database next to it:
the first failing statement is reported (SML013) with its file and line.
Nothing prints; failure to run raises SchemamendError (exit 1).
"""

from __future__ import annotations

import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from schemamend.db import PROVIDER_FAMILIES, Connection, DatabaseError, connect, parse_url
from schemamend.errors import SchemamendError
from schemamend.lint.facts import Facts, LiveFacts, NoFacts
from schemamend.lint.findings import Finding
from schemamend.lint.folder import folder_findings
from schemamend.lint.live import LiveTypes, live_types
from schemamend.lint.postgres import DeclaredNames
from schemamend.lint.replay import missing_object_finding
from schemamend.lint.rules import Level
from schemamend.lint.runner import LintSettings, Script, lint_scripts
from schemamend.migrate.folder import (
    LOCK_NAME,
    SCRIPT_NAME,
    MigrationsFolder,
    read_lock_provider,
    read_migrations_folder,
)

EXIT_CLEAN = 0
EXIT_FINDINGS = 2


class LintFailed(SchemamendError):
    code = "SM070"


@dataclass
class LintReport:
    family: str
    files: list[str] = field(default_factory=list)  # the scripts linted, in order
    findings: list[Finding] = field(default_factory=list)
    replayed: bool = False  # the shadow replay ran (a --url was given)
    notes: list[str] = field(default_factory=list)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.level is Level.ERROR]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.level is Level.WARNING]

    @property
    def exit_code(self) -> int:
        return EXIT_FINDINGS if self.errors else EXIT_CLEAN


@dataclass
class _FolderTargets:
    folder: MigrationsFolder
    names: list[str]  # the migrations to lint, in folder order


@dataclass
class _Inputs:
    folders: list[_FolderTargets] = field(default_factory=list)
    loose: list[Path] = field(default_factory=list)  # SQL files outside a migrations folder


def lint(
    paths: Sequence[str | Path] = (),
    *,
    schema: str | None = None,
    url: str | None = None,
    since: str | None = None,
    cwd: Path | None = None,
    environ: Mapping[str, str] | None = None,
) -> LintReport:
    """Lint migration scripts (see the module docstring for which ones)."""
    base = cwd or Path.cwd()
    schema_path = _schema_path(schema, base, required=not paths)
    if schema_path is None and paths:
        schema_path = _schema_beside(base / paths[0])
    family = _family(schema_path, paths, base)
    report = LintReport(family)
    declared = _declared_names(schema_path, report)
    live = _connect(url, schema_path, family, base) if url else None
    try:
        inputs = _collect(paths, schema_path, base, since, live)
        facts: Facts = NoFacts()
        types: LiveTypes | None = None
        if live is not None:
            facts, types = _live_facts(live)
        settings = LintSettings(family, facts, declared, types)
        for group in inputs.folders:
            report.findings += _lint_folder(group, settings, base, report)
            if live is not None:
                report.findings = _prefer_replay(
                    report.findings, _replay(live, group, base, family)
                )
                report.replayed = True
        loose = [Script(_display(p, base), _read(p)) for p in inputs.loose]
        report.files += [s.file for s in loose]
        report.findings += lint_scripts(loose, settings)
    finally:
        if live is not None:
            live.close()
    report.findings.sort(key=Finding.sort_key)
    return report


# -- inputs ----------------------------------------------------------------------------------


def _schema_path(schema: str | None, base: Path, *, required: bool) -> Path | None:
    from schemamend.psl.loader import find_schema_path

    try:
        path = find_schema_path(schema, base)
    except SchemamendError:
        if required or schema is not None:
            raise
        return None
    return path if path.is_absolute() else base / path


def _schema_beside(path: Path) -> Path | None:
    """`prisma/schema.prisma` for a path inside `prisma/migrations/` (Prisma's layout)."""
    if path.is_file():
        path = path.parent
    if (path / SCRIPT_NAME).is_file():  # one migration's folder
        path = path.parent
    candidate = path.parent / "schema.prisma"
    if path.name == "migrations" and candidate.is_file():
        return candidate
    return None


def _family(schema_path: Path | None, paths: Sequence[str | Path], base: Path) -> str:
    """The SQL family: the schema's provider, else a migration_lock.toml, else PostgreSQL."""
    if schema_path is not None:
        from schemamend.migrate.project import read_datasource

        return PROVIDER_FAMILIES[read_datasource(schema_path).provider].value
    for raw in paths:
        path = base / raw
        for folder in (path, path.parent, path.parent.parent):
            lock = folder / LOCK_NAME
            if lock.is_file():
                provider = read_lock_provider(lock.read_text(encoding="utf-8"))
                if provider in PROVIDER_FAMILIES:
                    return PROVIDER_FAMILIES[provider].value
    return "postgresql"


def _declared_names(schema_path: Path | None, report: LintReport) -> DeclaredNames | None:
    """Tables and columns of the declared schema (None without a valid schema)."""
    if schema_path is None:
        return None
    from schemamend.psl import load_schema

    datamodel = load_schema(schema_path).datamodel
    if datamodel is None:
        report.notes.append("the schema has errors: renames are not checked against it")
        return None
    return DeclaredNames(
        {m.db_name: frozenset(f.db_name for f in m.fields) for m in datamodel.tables}
    )


def _collect(
    paths: Sequence[str | Path],
    schema_path: Path | None,
    base: Path,
    since: str | None,
    live: Connection | None,
) -> _Inputs:
    inputs = _Inputs()
    if not paths:
        assert schema_path is not None
        folder = read_migrations_folder(_migrations_dir(schema_path))
        names = folder.names
        if live is not None:
            names = _pending(folder, live)
        elif since is not None:
            names = _changed_since(folder, since)
        inputs.folders.append(_FolderTargets(folder, names))
        return inputs
    for raw in paths:
        _add_path(inputs, base / raw, since)
    return inputs


def _add_path(inputs: _Inputs, path: Path, since: str | None) -> None:
    if path.is_dir() and (path / SCRIPT_NAME).is_file():
        _add_target(inputs, read_migrations_folder(path.parent), path.name)
    elif path.is_dir():
        folder = read_migrations_folder(path)
        names = _changed_since(folder, since) if since is not None else folder.names
        _add_targets(inputs, folder, names)
    elif path.is_file() and path.name == SCRIPT_NAME:
        _add_target(inputs, read_migrations_folder(path.parent.parent), path.parent.name)
    elif path.is_file():
        inputs.loose.append(path)
    else:
        raise LintFailed(f"{path}: no such file or folder")


def _add_target(inputs: _Inputs, folder: MigrationsFolder, name: str) -> None:
    _add_targets(inputs, folder, [name])


def _add_targets(inputs: _Inputs, folder: MigrationsFolder, names: Sequence[str]) -> None:
    """Add migrations of `folder` to lint, merged with any already chosen there (folder order)."""
    for group in inputs.folders:
        if group.folder.path.resolve() == folder.path.resolve():
            chosen = set(group.names) | set(names)
            group.names = [n for n in group.folder.names if n in chosen]
            return
    chosen = set(names)
    inputs.folders.append(_FolderTargets(folder, [n for n in folder.names if n in chosen]))


def _migrations_dir(schema_path: Path) -> Path:
    from schemamend.migrate.project import read_datasource

    base = schema_path if schema_path.is_dir() else schema_path.parent
    folder = base / "migrations"
    if not folder.is_dir():
        alternative = read_datasource(schema_path).file.parent / "migrations"
        if alternative.is_dir():
            return alternative
    return folder


def _pending(folder: MigrationsFolder, live: Connection) -> list[str]:
    from schemamend.migrate.history import History
    from schemamend.migrate.status import history_status

    history = History(live)
    exists = history.exists()
    records = history.records() if exists else []
    return history_status(folder, records, exists).pending


def _changed_since(folder: MigrationsFolder, ref: str) -> list[str]:
    """Migrations whose script differs from `ref` or is not tracked yet (git)."""
    changed = _git(folder.path, "diff", "--name-only", "--relative", ref, "--", ".")
    changed += _git(folder.path, "ls-files", "--others", "--exclude-standard", "--", ".")
    touched = {Path(line).parts[0] for line in changed if len(Path(line).parts) > 1}
    return [name for name in folder.names if name in touched]


def _git(directory: Path, *args: str) -> list[str]:
    try:
        done = subprocess.run(
            ["git", "-C", str(directory), *args], capture_output=True, text=True, check=False
        )
    except OSError as exc:
        raise LintFailed(f"--since needs git: {exc}") from exc
    if done.returncode != 0:
        raise LintFailed(f"git {' '.join(args[:2])} failed: {done.stderr.strip()}")
    return [line for line in done.stdout.splitlines() if line.strip()]


# -- linting ---------------------------------------------------------------------------------


def _lint_folder(
    group: _FolderTargets, settings: LintSettings, base: Path, report: LintReport
) -> list[Finding]:
    folder = group.folder
    if not group.names:
        return []
    first = folder.names.index(group.names[0])
    history = [_script(m.name, m.path, m.text, base) for m in folder.migrations[:first]]
    wanted = set(group.names)
    targets = [_script(m.name, m.path, m.text, base) for m in folder.migrations if m.name in wanted]
    report.files += [t.file for t in targets]
    file_of = {t.migration or "": t.file for t in targets}
    names = [n for i, n in enumerate(folder.names) if n in wanted or i < first]
    named = [f for f in folder_findings(names, file_of) if f.migration in wanted]
    return named + lint_scripts(targets, settings, history, from_empty=True)


def _script(name: str, path: Path, text: str, base: Path) -> Script:
    return Script(_display(path, base), text, name)


def _replay(live: Connection, group: _FolderTargets, base: Path, family: str) -> list[Finding]:
    """Replay the folder from empty up to the last linted migration; report the first failure."""
    from schemamend.migrate.shadow import replay, shadow_database

    if not group.names:
        return []
    folder = group.folder
    migrations = folder.up_to(group.names[-1])
    try:
        with shadow_database(live) as shadow:
            result = replay(shadow, migrations)
            existing = shadow.table_names() if result.failure is not None else set()
    except DatabaseError as exc:
        raise LintFailed(
            f"could not replay the history in a shadow database: {exc}",
            hint="the database user needs the right to create databases (as for Prisma's shadow database)",
        ) from exc
    failure = result.failure
    if failure is None:
        return []
    script = folder.get(failure.migration)
    file = _display(script.path, base) if script is not None else failure.migration
    return [
        missing_object_finding(
            failure.migration,
            file,
            failure.statement.start_line,
            failure.statement.text,
            failure.db_message,
            existing,
            family,
        )
    ]


def _prefer_replay(findings: list[Finding], replayed: list[Finding]) -> list[Finding]:
    """The replay's finding replaces the static one for the same statement (it has the database's words)."""
    places = {(f.file, f.line) for f in replayed}
    kept = [f for f in findings if not (f.code == "SML013" and (f.file, f.line) in places)]
    return kept + replayed


# -- live database ---------------------------------------------------------------------------


def _connect(url: str, schema_path: Path | None, family: str, base: Path) -> Connection:
    directory = schema_path.parent if schema_path is not None else base
    parsed = parse_url(url, base_dir=directory)
    if parsed.family.value != family:
        raise LintFailed(
            f"--url is a {parsed.family.value} database, but the migrations are for {family}"
        )
    return connect(parsed)


def _live_facts(live: Connection) -> tuple[LiveFacts, LiveTypes]:
    from schemamend.dialects.registry import dialect_for
    from schemamend.introspect import introspect

    schema = introspect(live)
    quote = dialect_for(live.family.value).quote_identifier
    estimates = {t.name: t.row_estimate for t in schema.tables}

    def query(sql: str) -> list[tuple[object, ...]]:
        return [tuple(row) for row in live.query(sql)]

    return LiveFacts(query, live.qualified, quote, estimates), live_types(schema)


# -- helpers ---------------------------------------------------------------------------------


def _display(path: Path, base: Path) -> str:
    try:
        return str(path.resolve().relative_to(base.resolve()))
    except ValueError:
        return str(path)


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise LintFailed(f"could not read {path}: {exc}") from exc
