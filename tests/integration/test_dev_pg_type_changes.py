"""`migrate dev --create-only` on PostgreSQL column type changes writes Prisma's file: its
warnings (only for the pairs Prisma warns about, with its type names), and `DROP COLUMN` +
`ADD COLUMN` where no cast exists, with Prisma's message for such a column.

Each folder of `tests/fixtures/pg_type_changes/` holds the `migration.sql` the real
Prisma 7.10.1 `migrate dev` wrote after `before.prisma`'s table was created (see its README).
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from schemamend.commands.dev import migrate_dev

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "pg_type_changes"
CASES = sorted(p.name for p in FIXTURES.iterdir() if p.is_dir())


@pytest.mark.parametrize("case", CASES)
def test_the_migration_file_is_prismas(case: str, tmp_path: Path, pg_url: str) -> None:
    folder = FIXTURES / case
    schema = tmp_path / "prisma" / "schema.prisma"
    schema.parent.mkdir()
    schema.write_text((folder / "before.prisma").read_text(encoding="utf-8"), encoding="utf-8")
    migrate_dev(str(schema), name="init", url=pg_url, now=datetime(2026, 1, 1, tzinfo=UTC))
    schema.write_text((folder / "after.prisma").read_text(encoding="utf-8"), encoding="utf-8")

    report = migrate_dev(str(schema), name="next", url=pg_url, now=datetime(2026, 1, 2, tzinfo=UTC))

    assert report.script == (folder / "migration.sql").read_text(encoding="utf-8")
