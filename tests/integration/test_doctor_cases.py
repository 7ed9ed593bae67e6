"""Doctor on databases that went wrong in other ways (SQLite: quick, and enough to show each cause)."""

from __future__ import annotations

from pathlib import Path

from schemamend.commands.doctor import doctor
from schemamend.commands.render import render_from_empty
from schemamend.migrate.history import History, now
from schemamend.migrate.split import split_statements
from schemamend.psl import load_schema

from .doctor_support import cause, cause_codes, open_url, packaged_incident, repair

SCHEMA = """
datasource db {
  provider = "sqlite"
}

model Account {
  id    Int     @id @default(autoincrement())
  email String  @unique
  name  String?
  plan  String  @default("free")
}
"""


def _project(root: Path, schema: str = SCHEMA) -> Path:
    (root / "prisma" / "migrations").mkdir(parents=True)
    path = root / "prisma" / "schema.prisma"
    path.write_text(schema, encoding="utf-8")
    return path


def _push(schema: Path, url: str) -> None:
    """What `db push` does: the schema's tables, no history."""
    script = render_from_empty(load_schema(schema).require())
    with open_url(url) as conn:
        for statement in split_statements(script, conn.family):
            conn.execute(statement.text)


def _add_migration(schema: Path, name: str, text: str) -> None:
    folder = schema.parent / "migrations" / name
    folder.mkdir(parents=True)
    (folder / "migration.sql").write_text(text, encoding="utf-8")


def test_a_pushed_database_has_no_history_table_and_baseline_is_the_fix(
    tmp_path: Path, sqlite_url: str
) -> None:
    schema = _project(tmp_path)
    _push(schema, sqlite_url)
    report = doctor(str(schema), url=sqlite_url)
    assert report.drift.in_sync
    assert "created with a schema push" in cause(report, "no-history-table")
    assert "no-migrations" in cause_codes(report)
    assert report.exit_code == 2
    assert any(f.command.startswith("schemamend baseline") for f in report.fixes)
    assert not any("repair" in f.command for f in report.fixes)


def test_undeclared_tables_and_columns_are_reported_with_their_data_never_as_drift(
    tmp_path: Path, sqlite_url: str
) -> None:
    schema = packaged_incident(tmp_path / "project", sqlite_url)
    repair(schema, sqlite_url)
    from schemamend.commands.baseline import baseline

    assert baseline(str(schema), url=sqlite_url).recorded
    with open_url(sqlite_url) as conn:
        conn.execute('CREATE TABLE "legacy_exports" ("id" INTEGER PRIMARY KEY, "payload" TEXT)')
        conn.execute("INSERT INTO \"legacy_exports\" (\"payload\") VALUES ('a'), ('b'), ('c')")
        conn.execute('ALTER TABLE "users" ADD COLUMN "fax" TEXT')
        conn.execute('UPDATE "users" SET "fax" = \'555\' WHERE "role" = \'ADMIN\'')
    report = doctor(str(schema), url=sqlite_url)
    extra = {(f.kind, f.name): f.rows for f in report.drift.extra}
    assert extra == {("table", "legacy_exports"): 3, ("column", "fax"): 1}
    assert report.healthy and report.exit_code == 0
    assert "left alone" in cause(report, "undeclared-objects")
    strict = doctor(str(schema), url=sqlite_url, strict=True)
    assert strict.exit_code == 2


def test_a_column_of_another_type_is_different_with_the_aspect_named(
    tmp_path: Path, sqlite_url: str
) -> None:
    schema = _project(tmp_path)
    _push(schema, sqlite_url)
    with open_url(sqlite_url) as conn:
        History(conn).create()
    changed = SCHEMA.replace('plan  String  @default("free")', "plan  Int     @default(1)")
    schema.write_text(changed, encoding="utf-8")
    report = doctor(str(schema), url=sqlite_url)
    (difference,) = report.drift.different
    assert difference.label() == "column Account.plan"
    assert {a.name for a in difference.aspects} == {"type", "default"}
    assert "different-objects" in cause_codes(report)


def test_failed_and_pending_migrations_are_named_with_their_fixes(
    tmp_path: Path, sqlite_url: str
) -> None:
    schema = _project(tmp_path)
    script = render_from_empty(load_schema(schema).require())
    _add_migration(schema, "20250101000000_init", script)
    _add_migration(schema, "20250202000000_broken", "ALTER TABLE nowhere ADD COLUMN x TEXT;\n")
    _add_migration(schema, "20250303000000_later", "CREATE INDEX later_idx ON Account(name);\n")
    with open_url(sqlite_url) as conn:
        history = History(conn)
        history.create()
        for statement in split_statements(script, conn.family):
            conn.execute(statement.text)
        folder = schema.parent / "migrations"
        init = (folder / "20250101000000_init" / "migration.sql").read_bytes()
        from schemamend.migrate.folder import checksum

        history.record_applied("20250101000000_init", checksum(init), now())
        history.record_failed("20250202000000_broken", "0" * 64, now(), "no such table: nowhere")
    report = doctor(str(schema), url=sqlite_url)
    assert report.history.failed == ["20250202000000_broken"]
    assert report.history.pending == ["20250303000000_later"]
    assert "deploys are blocked" in cause(report, "failed-migration")
    assert report.fixes[0].command.endswith("--rolled-back 20250202000000_broken")
    assert report.history.replay.failed_at == "20250202000000_broken"


def test_an_edited_migration_is_reported(tmp_path: Path, sqlite_url: str) -> None:
    schema = _project(tmp_path)
    script = render_from_empty(load_schema(schema).require())
    _add_migration(schema, "20250101000000_init", script)
    with open_url(sqlite_url) as conn:
        history = History(conn)
        history.create()
        for statement in split_statements(script, conn.family):
            conn.execute(statement.text)
        history.record_applied("20250101000000_init", "f" * 64, now())
    report = doctor(str(schema), url=sqlite_url)
    assert report.history.edited == ["20250101000000_init"]
    assert "changed after being applied" in cause(report, "edited-migrations")
    assert report.drift.in_sync


def test_an_empty_database_with_a_good_history_is_fixed_by_deploy(
    tmp_path: Path, sqlite_url: str
) -> None:
    schema = _project(tmp_path)
    _add_migration(schema, "20250101000000_init", render_from_empty(load_schema(schema).require()))
    with open_url(sqlite_url):
        pass
    report = doctor(str(schema), url=sqlite_url)
    assert report.history.pending == ["20250101000000_init"]
    assert report.history.replay.ok and not report.history.replay.differences
    assert report.fixes[0].command.startswith("schemamend migrate deploy")
    assert not any("repair" in f.command or "baseline" in f.command for f in report.fixes)
