"""MariaDB prints DECIMAL defaults at the column's scale (`0` → `0.0000`): that is no drift.

The script keeps the schema's spelling (`DEFAULT 0`, as Prisma writes it); the
database stores the value at the column's scale. Render, apply, read back:
nothing may differ, or repair and doctor would report work that is not there.
"""

from __future__ import annotations

from schemamend.commands.render import plan_from_empty
from schemamend.commands.repair import remaining_differences
from schemamend.db import connect, parse_url
from schemamend.dialects.registry import dialect_for
from schemamend.diff.differ import diff_schemas
from schemamend.introspect import introspect
from schemamend.migrate.drift import compare
from schemamend.psl import check_text

SCHEMA = """
datasource db {
  provider = "mysql"
}

model Price {
  id       Int      @id
  zero     Decimal  @default(0)
  half     Decimal  @default(1.5)
  negative Decimal  @default(-2)
  scaled   Decimal  @default(0) @db.Decimal(10, 4)
  fraction Decimal? @default(12.25) @db.Decimal(10, 4)
}
"""


def test_decimal_defaults_read_back_from_mariadb_match_the_declared_ones(mysql_url: str) -> None:
    plan = plan_from_empty(check_text(SCHEMA).require(), "mysql")
    for spelling in (
        "DEFAULT 0,",
        "DEFAULT 1.5,",
        "DEFAULT -2,",
        "DECIMAL(10, 4) NOT NULL DEFAULT 0,",
        "DEFAULT 12.25,",
    ):
        assert spelling in plan.script, spelling
    dialect = dialect_for("mysql")

    with connect(parse_url(mysql_url)) as conn:
        for step in plan.steps:
            for statement in step.statements:
                conn.execute(statement)
        live = introspect(conn)
        remaining = remaining_differences(conn, dialect, plan.schema)

    stored = {
        c.name: c.default.literal.text
        for c in live.tables[0].columns
        if c.default and c.default.literal
    }
    assert stored["scaled"] == "0.0000"  # the database's spelling differs...
    assert diff_schemas(live, plan.schema, dialect.capabilities) == []  # ...its meaning does not
    assert not compare(live, plan.schema, dialect.capabilities).different
    assert remaining == []
