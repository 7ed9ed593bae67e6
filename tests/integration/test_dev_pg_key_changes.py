"""`migrate dev` on PostgreSQL primary-key changes writes Prisma's file, and it applies.

Each folder of `tests/fixtures/pg_key_changes/` holds the `migration.sql` the real Prisma 7.10.1
`migrate dev` wrote after `before.prisma`'s tables were created (see its README), or the file we
write instead where Prisma's fails on PostgreSQL (`migration.schemamend.sql`): for those, Prisma's
file is shown to fail and ours to apply.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from schemamend.commands.dev import migrate_dev
from schemamend.commands.push import db_push
from schemamend.db import StatementFailed, connect, parse_url
from tests.unit.test_pg_key_changes import CASES, FIXTURES, expected

DEVIATIONS = {
    "int_to_bigint_autoincrement": 'type "bigserial" does not exist',
    "autoincrement_key_with_foreign_keys": 'type "bigserial" does not exist',
    "referenced_key_narrowed_foreign_key_unchanged": "other objects depend on it",
}


def _start(tmp_path: Path, case: str, url: str) -> Path:
    schema = tmp_path / "prisma" / "schema.prisma"
    schema.parent.mkdir(parents=True)
    schema.write_text(
        (FIXTURES / case / "before.prisma").read_text(encoding="utf-8"), encoding="utf-8"
    )
    migrate_dev(str(schema), name="init", url=url, apply=True, now=datetime(2026, 1, 1, tzinfo=UTC))
    schema.write_text(
        (FIXTURES / case / "after.prisma").read_text(encoding="utf-8"), encoding="utf-8"
    )
    return schema


@pytest.mark.parametrize("case", CASES)
def test_the_migration_file_is_prismas_and_applies(case: str, tmp_path: Path, pg_url: str) -> None:
    schema = _start(tmp_path, case, pg_url)

    report = migrate_dev(
        str(schema), name="next", url=pg_url, apply=True, now=datetime(2026, 1, 2, tzinfo=UTC)
    )

    assert report.script == expected(case, "migration.sql")
    assert report.applied is not None and getattr(report.applied, "ok", False), report.applied
    again = migrate_dev(str(schema), name="again", url=pg_url, now=datetime(2026, 1, 3, tzinfo=UTC))
    assert again.is_empty


@pytest.mark.parametrize("case", sorted(DEVIATIONS))
def test_where_we_deviate_prismas_file_fails(case: str, tmp_path: Path, pg_url: str) -> None:
    _start(tmp_path, case, pg_url)
    prisma = (FIXTURES / case / "migration.sql").read_text(encoding="utf-8")
    with (
        connect(parse_url(pg_url)) as conn,
        pytest.raises(StatementFailed, match=DEVIATIONS[case]),
        conn.transaction(),
    ):
        conn.execute(prisma)


@pytest.mark.parametrize("apply", ["migrate dev", "db push"])
def test_a_widened_autoincrement_key_counts_past_the_old_limit(
    apply: str, tmp_path: Path, pg_url: str
) -> None:
    schema = _start(tmp_path, "int_to_bigint_autoincrement", pg_url)
    with connect(parse_url(pg_url)) as conn:
        conn.execute("""INSERT INTO "User" ("email") VALUES ('a@example.com')""")
        conn.execute("""SELECT setval('"User_id_seq"', 2147483647)""")

    if apply == "db push":
        assert db_push(str(schema), url=pg_url).applied
    else:
        migrate_dev(
            str(schema), name="next", url=pg_url, apply=True, now=datetime(2026, 1, 2, tzinfo=UTC)
        )

    with connect(parse_url(pg_url)) as conn:
        conn.execute("""INSERT INTO "User" ("email") VALUES ('b@example.com')""")
        rows = conn.query('SELECT "id", "email" FROM "User" ORDER BY "id"')
    assert [tuple(r) for r in rows] == [(1, "a@example.com"), (2147483648, "b@example.com")]


def test_push_widens_a_referenced_key_keeping_rows(tmp_path: Path, pg_url: str) -> None:
    """Int → BigInt on a key with foreign keys on it: nothing to accept, every row kept."""
    schema = _start(tmp_path, "key_with_foreign_keys", pg_url)
    with connect(parse_url(pg_url)) as conn:
        conn.execute('INSERT INTO "User" ("id") VALUES (1), (2147483647)')
        conn.execute('INSERT INTO "Post" ("id", "authorId") VALUES (1, 2147483647)')
        conn.execute('INSERT INTO "Like" ("userId", "postId") VALUES (1, 1), (2147483647, 1)')

    report = db_push(str(schema), url=pg_url)

    assert report.applied and report.exit_code == 0, [i.describe() for i in report.plan.items]
    with connect(parse_url(pg_url)) as conn:
        conn.execute('INSERT INTO "User" ("id") VALUES (9007199254740993)')
        rows = conn.query('SELECT "userId", "postId" FROM "Like" ORDER BY 1')
        types = conn.query(
            "SELECT table_name, column_name, data_type FROM information_schema.columns "
            "WHERE column_name IN ('id', 'authorId', 'userId') AND table_name IN ('User', 'Post', 'Like') "
            "ORDER BY 1, 2"
        )
    assert [tuple(r) for r in rows] == [(1, 1), (2147483647, 1)]
    assert {(str(t), str(c)): str(d) for t, c, d in types} == {
        ("Like", "userId"): "bigint",
        ("Post", "authorId"): "bigint",
        ("Post", "id"): "integer",
        ("User", "id"): "bigint",
    }
    assert db_push(str(schema), url=pg_url).no_changes
