"""deploy / status / resolve against real PostgreSQL, MariaDB and SQLite databases."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from schemamend.commands.migrate import EXIT_DRIFT, deploy, resolve, startup_deploy, status
from schemamend.db import LockTimeout, connect, parse_url
from schemamend.migrate.errors import (
    CannotRollBackSucceededMigration,
    CannotRollBackUnappliedMigration,
    DatabaseSchemaNotEmpty,
    FoundFailedMigrations,
    MigrationAlreadyApplied,
    MigrationToMarkAppliedNotFound,
    ProviderSwitched,
    ResolveVerificationFailed,
)
from schemamend.migrate.history import History, HistoryRecord
from schemamend.migrate.split import split_statements
from tests.integration.migrate_project import MIGRATIONS, MigrateProject, make_project


@pytest.fixture(
    params=[
        pytest.param("pg_url", marks=pytest.mark.postgres, id="postgresql"),
        pytest.param("mysql_url", marks=pytest.mark.mysql, id="mysql"),
        pytest.param("sqlite_url", marks=pytest.mark.sqlite, id="sqlite"),
    ]
)
def project(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[MigrateProject]:
    url = request.getfixturevalue(request.param)
    yield make_project(tmp_path / "app", url)


def history_rows(project: MigrateProject) -> list[HistoryRecord]:
    with connect(parse_url(project.url)) as conn:
        return History(conn).records()


def run_sql(project: MigrateProject, sql: str) -> None:
    with connect(parse_url(project.url), create=True) as conn:
        conn.execute(sql)


def tables(project: MigrateProject) -> set[str]:
    with connect(parse_url(project.url)) as conn:
        return conn.table_names()


def test_deploy_applies_pending_migrations_in_order_and_records_each_once(
    project: MigrateProject,
) -> None:
    names = project.add_standard_history()

    report = deploy(str(project.schema), url=project.url)

    assert report.ok, report.result.failed
    assert [m.name for m in report.result.applied] == names
    assert report.result.history_created
    rows = history_rows(project)
    assert [r.migration_name for r in rows] == names
    for row, name in zip(rows, names, strict=True):
        script = (project.migrations / name / "migration.sql").read_bytes()
        assert row.checksum == hashlib.sha256(script).hexdigest()
        assert row.finished_at is not None and row.rolled_back_at is None
        assert row.applied_steps_count == 1 and row.logs is None
    assert {"users", "posts", "_prisma_migrations"} <= tables(project)


def test_second_deploy_has_nothing_to_do_and_status_is_up_to_date(project: MigrateProject) -> None:
    project.add_standard_history()
    deploy(str(project.schema), url=project.url)

    again = deploy(str(project.schema), url=project.url)
    report = status(str(project.schema), url=project.url)

    assert again.result.applied == [] and again.ok
    assert report.status.up_to_date and report.exit_code == 0
    assert report.status.applied == ["20240101000000_init", "20240102000000_posts"]


def test_status_lists_pending_migrations_and_exits_non_zero(project: MigrateProject) -> None:
    project.add_standard_history(1)
    deploy(str(project.schema), url=project.url)
    project.add_standard_history(2)

    report = status(str(project.schema), url=project.url)

    assert report.status.pending == ["20240102000000_posts"]
    assert report.exit_code == 1


def test_an_edited_migration_is_reported_but_line_ending_changes_are_not(
    project: MigrateProject,
) -> None:
    names = project.add_standard_history()
    deploy(str(project.schema), url=project.url)
    first = project.migrations / names[0] / "migration.sql"
    second = project.migrations / names[1] / "migration.sql"
    first.write_bytes(first.read_bytes().replace(b"\n", b"\r\n"))  # git checkout on Windows
    second.write_bytes(second.read_bytes() + b"-- an afterthought\n")

    report = status(str(project.schema), url=project.url)

    assert report.status.edited == [names[1]]
    assert report.status.applied == [names[0]]
    assert report.exit_code == 1


def test_migrations_recorded_but_missing_from_the_folder_are_reported(
    project: MigrateProject,
) -> None:
    names = project.add_standard_history()
    deploy(str(project.schema), url=project.url)
    (project.migrations / names[1] / "migration.sql").unlink()
    (project.migrations / names[1]).rmdir()

    report = status(str(project.schema), url=project.url)

    assert report.status.missing_from_folder == [names[1]]
    assert not report.status.up_to_date


BROKEN = {
    "postgresql": 'CREATE TABLE "tags" ("id" INTEGER PRIMARY KEY);\n\n-- the next one fails\nALTER TABLE "nope"\n  ADD COLUMN "x" INTEGER;\n',
    "sqlite": 'CREATE TABLE "tags" ("id" INTEGER PRIMARY KEY);\n\n-- the next one fails\nALTER TABLE "nope"\n  ADD COLUMN "x" INTEGER;\n',
    "mysql": "CREATE TABLE `tags` (`id` INTEGER PRIMARY KEY);\n\n-- the next one fails\nALTER TABLE `nope`\n  ADD COLUMN `x` INTEGER;\n",
}


def test_a_failed_migration_blocks_deploys_until_rolled_back_then_is_retried(
    project: MigrateProject,
) -> None:
    project.add_standard_history(1)
    broken = project.add_migration("20240103000000_tags", BROKEN[project.provider])

    first = deploy(str(project.schema), url=project.url)

    failed = first.result.failed
    assert failed is not None and first.exit_code == 1
    assert failed.name == "20240103000000_tags"
    assert (failed.statement.index, failed.statement.start_line, failed.statement.end_line) == (
        2,
        4,
        5,
    )
    assert failed.statement.text.startswith("ALTER TABLE")
    assert "nope" in failed.db_message
    if project.provider == "mysql":
        # DDL is not transactional: say exactly what ran and stayed.
        assert not failed.atomic and [s.index for s in failed.committed] == [1]
        assert "tags" in tables(project)
    else:
        assert failed.atomic and "tags" not in tables(project)
    row = [r for r in history_rows(project) if r.migration_name == failed.name][0]
    assert row.is_failed and row.logs and "lines 4-5" in row.logs and "nope" in row.logs

    with pytest.raises(FoundFailedMigrations) as blocked:
        deploy(str(project.schema), url=project.url)
    assert blocked.value.code == "P3009"
    assert "20240103000000_tags" in blocked.value.message
    assert status(str(project.schema), url=project.url).status.failed[0].name == failed.name

    resolve(str(project.schema), rolled_back=failed.name, url=project.url)
    if project.provider == "mysql":
        run_sql(project, "DROP TABLE `tags`")
    broken.write_text(BROKEN[project.provider].split("\n\n")[0] + "\n", encoding="utf-8")
    retried = deploy(str(project.schema), url=project.url)

    assert retried.ok and [m.name for m in retried.result.applied] == [failed.name]
    final = status(str(project.schema), url=project.url).status
    assert final.up_to_date and final.rolled_back == [failed.name]


def test_resolve_rolled_back_refuses_unknown_and_succeeded_migrations(
    project: MigrateProject,
) -> None:
    names = project.add_standard_history(1)
    deploy(str(project.schema), url=project.url)

    with pytest.raises(CannotRollBackUnappliedMigration) as unknown:
        resolve(str(project.schema), rolled_back="20990101000000_nothing", url=project.url)
    with pytest.raises(CannotRollBackSucceededMigration) as succeeded:
        resolve(str(project.schema), rolled_back=names[0], url=project.url)

    assert unknown.value.code == "P3011" and succeeded.value.code == "P3012"


def test_resolve_applied_verifies_against_a_shadow_replay_before_recording(
    project: MigrateProject,
) -> None:
    names = project.add_standard_history(2)
    connect(parse_url(project.url), create=True).close()  # an existing, empty database

    with pytest.raises(ResolveVerificationFailed) as refused:
        resolve(str(project.schema), applied=names[0], url=project.url)
    assert "users" in refused.value.message and refused.value.exit_code == 2
    assert history_rows(project) == []

    # The operator creates what the migration would have created, then baselines it.
    with connect(parse_url(project.url)) as conn:
        for statement in split_statements(MIGRATIONS[project.provider][0][1], conn.family):
            conn.execute(statement.text)
        conn.execute("CREATE TABLE extra_t (id INTEGER PRIMARY KEY)")  # extras are not differences
    report = resolve(str(project.schema), applied=names[0], url=project.url)

    verification = report.verification
    assert verification is not None and verification.verified, verification
    rows = history_rows(project)
    assert [(r.migration_name, r.applied_steps_count) for r in rows] == [(names[0], 0)]
    assert rows[0].started_at == rows[0].finished_at
    assert "posts" not in tables(project)  # recorded, not run
    assert [m.name for m in deploy(str(project.schema), url=project.url).result.applied] == [
        names[1]
    ]


def test_resolve_applied_errors_keep_prisma_codes(project: MigrateProject) -> None:
    names = project.add_standard_history(1)
    connect(parse_url(project.url), create=True).close()

    report = resolve(str(project.schema), applied=names[0], url=project.url, force=True)
    assert report.verification is not None and report.verification.skipped
    with pytest.raises(MigrationAlreadyApplied) as again:
        resolve(str(project.schema), applied=names[0], url=project.url, force=True)
    assert again.value.code == "P3008"
    with pytest.raises(MigrationToMarkAppliedNotFound) as unknown:
        resolve(str(project.schema), applied="nope", url=project.url)
    assert unknown.value.code == "P3017"


def test_resolve_applied_after_a_failure_supersedes_the_failed_attempt(
    project: MigrateProject,
) -> None:
    project.add_migration("20240103000000_tags", BROKEN[project.provider])
    assert deploy(str(project.schema), url=project.url).result.failed is not None

    resolve(str(project.schema), applied="20240103000000_tags", url=project.url, force=True)

    rows = history_rows(project)
    assert [(r.is_rolled_back, r.finished_at is not None) for r in rows] == [
        (True, False),
        (False, True),
    ]
    assert deploy(str(project.schema), url=project.url).ok


def test_deploy_refuses_a_non_empty_database_without_history(project: MigrateProject) -> None:
    project.add_standard_history(1)
    run_sql(project, "CREATE TABLE legacy_t (id INTEGER PRIMARY KEY)")

    with pytest.raises(DatabaseSchemaNotEmpty) as refused:
        deploy(str(project.schema), url=project.url)

    assert refused.value.code == "P3005"


def test_provider_mismatch_with_the_lock_file_is_an_error(project: MigrateProject) -> None:
    other = "mysql" if project.provider != "mysql" else "postgresql"
    project.write_lock(other)
    project.add_standard_history(1)

    with pytest.raises(ProviderSwitched) as switched:
        deploy(str(project.schema), url=project.url)

    assert switched.value.code == "P3019"
    assert (
        f"`{project.provider}`" in switched.value.message and f"`{other}`" in switched.value.message
    )


def test_startup_deploy_applies_then_reports_declared_tables_missing(
    project: MigrateProject,
) -> None:
    project.add_standard_history(1)  # creates users only; the schema also declares posts

    report = startup_deploy(str(project.schema), url=project.url, wait_s=0)

    assert report.result is not None and [m.name for m in report.result.applied] == [
        "20240101000000_init"
    ]
    assert report.live_check is not None
    missing = report.live_check.missing
    assert "table posts" in missing and all("posts" in item for item in missing), missing
    assert report.exit_code == EXIT_DRIFT


def test_startup_deploy_succeeds_when_everything_declared_exists(project: MigrateProject) -> None:
    project.add_standard_history(2)

    report = startup_deploy(str(project.schema), url=project.url)

    assert report.live_check is not None and report.live_check.missing == ()
    assert report.ok and report.exit_code == 0


def test_startup_check_reports_a_changed_foreign_key_as_different_not_missing(
    tmp_path: Path, sqlite_url: str
) -> None:
    project = make_project(tmp_path / "app", sqlite_url)
    project.add_migration(
        "20240101000000_init",
        'CREATE TABLE "users" ("id" TEXT NOT NULL PRIMARY KEY, "email" TEXT NOT NULL);\n'
        'CREATE TABLE "posts" ("id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,\n'
        '  "title" TEXT NOT NULL DEFAULT \'a;b\', "author_id" TEXT NOT NULL,\n'
        '  CONSTRAINT "posts_author_id_fkey" FOREIGN KEY ("author_id") REFERENCES "users" ("id"));\n',
    )

    report = startup_deploy(str(project.schema), url=sqlite_url)

    assert report.live_check is not None
    assert report.live_check.missing == ()
    assert report.live_check.different == (
        "foreign key posts_author_id_fkey on posts -> users (differs)",
    )
    assert report.exit_code == 0


@pytest.mark.parametrize(
    ("fixture", "take_lock"),
    [
        pytest.param(
            "pg_url",
            "SELECT pg_advisory_lock(72707369)",
            marks=pytest.mark.postgres,
            id="postgresql",
        ),
        pytest.param(
            "mysql_url",
            "SELECT GET_LOCK('prisma_migrate', 10)",
            marks=pytest.mark.mysql,
            id="mysql",
        ),
    ],
)
def test_deploy_waits_for_the_lock_prisma_takes(
    fixture: str, take_lock: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    url = request.getfixturevalue(fixture)
    project = make_project(tmp_path / "app", url)
    project.add_standard_history(1)

    with connect(parse_url(url)) as holder:  # stands in for a running `prisma migrate deploy`
        holder.query(take_lock)
        with pytest.raises(LockTimeout) as timed_out:
            deploy(str(project.schema), url=url, lock_timeout_s=1)
    assert timed_out.value.code == "P1002"
    assert history_rows(project) == []

    assert deploy(str(project.schema), url=url, lock_timeout_s=1).ok  # released with its session


def test_startup_check_falls_back_to_the_catalog_when_the_differ_fails(
    tmp_path: Path, sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from schemamend.migrate import live_check

    def broken(*args: object) -> live_check.LiveCheck:
        raise RuntimeError("differ bug")

    monkeypatch.setattr(live_check, "_check_with_differ", broken)
    project = make_project(tmp_path / "app", sqlite_url)
    project.add_standard_history(1)

    report = startup_deploy(str(project.schema), url=sqlite_url)

    assert report.live_check is not None and report.live_check.method == "catalog"
    assert report.live_check.missing == ("table posts",)
    assert report.live_check.note is not None and "differ bug" in report.live_check.note
    assert report.exit_code == EXIT_DRIFT
