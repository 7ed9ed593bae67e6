"""`schemamend lint` against a PostgreSQL server: the shadow replay, live row counts, pending only."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from schemamend.cli.main import cli
from schemamend.commands.lint import lint
from schemamend.db import connect, parse_url
from schemamend.migrate.folder import read_migrations_folder
from schemamend.migrate.history import History, now

SCHEMA = """datasource db {
  provider = "postgresql"
}

model Order {
  id     String @id
  userId String @map("user_id")

  @@map("orders")
}
"""


def _incident(shared_dir: Path) -> Path:
    return shared_dir / "scenarios" / "seed-incident" / "prisma"


@pytest.mark.shared
def test_reference_scenario_missing_users_table_found_by_replay(
    shared_dir: Path, pg_url: str
) -> None:
    prisma = _incident(shared_dir)
    report = lint([prisma / "migrations"], schema=str(prisma / "schema.prisma"), url=pg_url)

    assert report.replayed
    missing = [f for f in report.findings if f.code == "SML013"][0]  # the first, in folder order
    assert missing.migration == "20251108_add_onboarding_applications"
    assert missing.file.endswith("20251108_add_onboarding_applications/migration.sql")
    assert missing.line == 21  # the ALTER TABLE ... REFERENCES "users" statement
    assert "references `users`, which no earlier migration creates" in missing.message
    assert 'relation "users" does not exist' in missing.message
    assert report.exit_code == 2


@pytest.mark.shared
def test_reference_scenario_duplicate_migration_name(shared_dir: Path) -> None:
    prisma = _incident(shared_dir)
    report = lint([prisma / "migrations"], schema=str(prisma / "schema.prisma"))
    [duplicate] = [f for f in report.findings if f.code == "SML014"]
    assert duplicate.migration == "20251116132708_add_missing_customer_plan_fields"
    assert "20251109190000_add_missing_customer_plan_fields" in duplicate.message
    # without a database, the same root cause is found statically from the folder
    [missing] = [f for f in report.findings if f.code == "SML013" and "`users`" in f.message]
    assert missing.line == 21


@pytest.mark.shared
def test_reference_scenario_cli_text_format(shared_dir: Path, pg_url: str) -> None:
    prisma = _incident(shared_dir)
    result = CliRunner().invoke(
        cli,
        [
            "lint",
            "--schema",
            str(prisma / "schema.prisma"),
            "--url",
            pg_url,
            str(prisma / "migrations"),
        ],
    )
    assert result.exit_code == 2, result.output
    assert "20251108_add_onboarding_applications/migration.sql:21: SML013 error: " in result.output


def _project(tmp_path: Path, migrations: dict[str, str]) -> Path:
    prisma = tmp_path / "prisma"
    (prisma / "migrations").mkdir(parents=True)
    (prisma / "schema.prisma").write_text(SCHEMA, encoding="utf-8")
    for name, sql in migrations.items():
        (prisma / "migrations" / name).mkdir()
        (prisma / "migrations" / name / "migration.sql").write_text(sql, encoding="utf-8")
    return prisma


def _apply_and_record(url: str, prisma: Path, names: list[str], rows_sql: str) -> None:
    folder = read_migrations_folder(prisma / "migrations")
    with connect(parse_url(url)) as conn:
        history = History(conn)
        history.create()
        for name in names:
            script = folder.get(name)
            assert script is not None
            conn.execute(script.text)
            history.record_applied(name, script.checksum, now())
        conn.execute(rows_sql)


def test_default_lints_only_pending_migrations_with_live_row_counts(
    tmp_path: Path, pg_url: str
) -> None:
    prisma = _project(
        tmp_path,
        {
            "20250101000000_init": 'CREATE TABLE "orders" ("id" TEXT PRIMARY KEY, "user_id" TEXT);\n'
            'DROP TABLE IF EXISTS "scratch";',
            "20250201000000_currency": '\n-- AlterTable\nALTER TABLE "orders" ADD COLUMN "currency" TEXT NOT NULL;\n'
            'CREATE UNIQUE INDEX CONCURRENTLY "orders_user_id_key" ON "orders"("user_id");',
        },
    )
    _apply_and_record(
        pg_url,
        prisma,
        ["20250101000000_init"],
        "INSERT INTO orders VALUES ('1', 'u1'), ('2', 'u1'), ('3', 'u2')",
    )

    report = lint(schema=str(prisma / "schema.prisma"), url=pg_url, cwd=tmp_path)

    assert report.files == ["prisma/migrations/20250201000000_currency/migration.sql"]
    found = {f.code: f for f in report.findings}
    assert set(found) == {"SML004", "SML006", "SML009"}  # not SML001 of the applied migration
    assert found["SML004"].line == 3
    assert found["SML004"].message.endswith("but the table has 3 rows")
    assert found["SML006"].message.endswith("but 1 value(s) repeat")
    assert report.exit_code == 2


def test_nothing_pending_nothing_to_report(tmp_path: Path, pg_url: str) -> None:
    prisma = _project(
        tmp_path, {"20250101000000_init": 'CREATE TABLE "orders" ("id" TEXT PRIMARY KEY);'}
    )
    _apply_and_record(pg_url, prisma, ["20250101000000_init"], "SELECT 1")
    report = lint(schema=str(prisma / "schema.prisma"), url=pg_url, cwd=tmp_path)
    assert report.files == []
    assert report.findings == []
    assert report.exit_code == 0


def test_since_lints_migrations_changed_after_a_git_ref(tmp_path: Path) -> None:
    git = shutil.which("git")
    if git is None:
        pytest.skip("git not installed")
    import subprocess

    prisma = _project(
        tmp_path, {"20250101000000_init": 'CREATE TABLE "orders" ("id" TEXT); DROP TABLE "old";'}
    )

    def run(*args: str) -> None:
        subprocess.run([git, "-C", str(tmp_path), *args], check=True, capture_output=True)

    run("init", "-q")
    run("add", ".")
    run("-c", "user.email=t@example.com", "-c", "user.name=t", "commit", "-q", "-m", "init")
    new = prisma / "migrations" / "20250201000000_drop_user_id"
    new.mkdir()
    (new / "migration.sql").write_text(
        'ALTER TABLE "orders" DROP COLUMN "user_id";', encoding="utf-8"
    )

    report = lint(schema=str(prisma / "schema.prisma"), since="HEAD", cwd=tmp_path)

    assert report.files == ["prisma/migrations/20250201000000_drop_user_id/migration.sql"]
    assert [f.code for f in report.findings] == ["SML002"]


def test_types_and_enum_values_of_tables_made_outside_the_history(
    tmp_path: Path, pg_url: str
) -> None:
    """`db push` made the table: the history has no CREATE, the live database has the types."""
    prisma = _project(
        tmp_path,
        {
            "20250301000000_tighten": 'ALTER TABLE "orders" ALTER COLUMN "user_id" SET DATA TYPE VARCHAR(8);\n'
            "CREATE TYPE \"State_new\" AS ENUM ('OPEN');\n"
            'ALTER TABLE "orders" ALTER COLUMN "state" TYPE "State_new" USING ("state"::text::"State_new");\n',
        },
    )
    with connect(parse_url(pg_url)) as conn:
        conn.execute("CREATE TYPE \"State\" AS ENUM ('OPEN', 'CLOSED')")
        conn.execute(
            'CREATE TABLE "orders" ("id" TEXT PRIMARY KEY, "user_id" VARCHAR(40), "state" "State")'
        )

    report = lint(schema=str(prisma / "schema.prisma"), url=pg_url, cwd=tmp_path)

    messages = {f.code: f.message for f in report.findings}
    assert messages["SML003"] == (
        "changes `orders.user_id` from varchar(40) to varchar(8): "
        "narrowing: values longer than 8 characters fail"
    )
    assert messages["SML011"].endswith("which drops 'CLOSED'")
