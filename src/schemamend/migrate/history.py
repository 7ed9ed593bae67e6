"""Prisma's `_prisma_migrations` table: the same columns, types and row life cycle.

A row is written per attempt to apply a migration:

- applied:     finished_at set, rolled_back_at NULL (applied_steps_count 1; 0 when
               recorded by `resolve --applied`, where started_at = finished_at)
- failed:      finished_at NULL, rolled_back_at NULL, logs = the database's error
- rolled back: rolled_back_at set (`resolve --rolled-back`); ignored by deploy
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from schemamend.db import Connection, Family

TABLE = "_prisma_migrations"

# The table as Prisma Migrate creates it, per family (checked against the real Prisma CLI on
# PostgreSQL and SQLite; MySQL from the schema engine's source).
_CREATE_TABLE: dict[Family, str] = {
    Family.POSTGRESQL: """CREATE TABLE IF NOT EXISTS {table} (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)""",
    Family.MYSQL: """CREATE TABLE IF NOT EXISTS {table} (
    id                      VARCHAR(36) PRIMARY KEY NOT NULL,
    checksum                VARCHAR(64) NOT NULL,
    finished_at             DATETIME(3),
    migration_name          VARCHAR(255) NOT NULL,
    logs                    TEXT,
    rolled_back_at          DATETIME(3),
    started_at              DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    applied_steps_count     INTEGER UNSIGNED NOT NULL DEFAULT 0
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci""",
    Family.SQLITE: """CREATE TABLE IF NOT EXISTS {table} (
    "id"                    TEXT PRIMARY KEY NOT NULL,
    "checksum"              TEXT NOT NULL,
    "finished_at"           DATETIME,
    "migration_name"        TEXT NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        DATETIME,
    "started_at"            DATETIME NOT NULL DEFAULT current_timestamp,
    "applied_steps_count"   INTEGER UNSIGNED NOT NULL DEFAULT 0
)""",
}


def _iso_millis(ts: datetime) -> str:
    # The form Prisma writes on SQLite: 2026-11-25T12:45:33.781+00:00
    return ts.astimezone(UTC).isoformat(timespec="milliseconds")


def _naive_utc(ts: datetime) -> datetime:
    return ts.astimezone(UTC).replace(tzinfo=None)


def _aware(ts: datetime) -> datetime:
    return ts


# How each family stores a timestamp parameter.
_ENCODE_TS: dict[Family, Callable[[datetime], object]] = {
    Family.POSTGRESQL: _aware,
    Family.MYSQL: _naive_utc,  # DATETIME(3) has no zone: Prisma stores UTC
    Family.SQLITE: _iso_millis,
}


def now() -> datetime:
    return datetime.now(UTC)


def decode_timestamp(value: object) -> datetime | None:
    """A stored timestamp as an aware UTC datetime (any form Prisma or SQLite may have written)."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, int | float):  # Unix milliseconds (older SQLite rows)
        return datetime.fromtimestamp(value / 1000, UTC)
    text = str(value).strip()
    if text.isdigit():
        return datetime.fromtimestamp(int(text) / 1000, UTC)
    parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


@dataclass(frozen=True)
class HistoryRecord:
    id: str
    checksum: str
    finished_at: datetime | None
    migration_name: str
    logs: str | None
    rolled_back_at: datetime | None
    started_at: datetime
    applied_steps_count: int

    @property
    def is_rolled_back(self) -> bool:
        return self.rolled_back_at is not None

    @property
    def is_failed(self) -> bool:
        return self.finished_at is None and self.rolled_back_at is None


_COLUMNS = "id, checksum, finished_at, migration_name, logs, rolled_back_at, started_at, applied_steps_count"


class History:
    """Reads and writes `_prisma_migrations` over one connection."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.table = conn.qualified(TABLE)
        self._encode = _ENCODE_TS[conn.family]

    def exists(self) -> bool:
        return TABLE in self.conn.table_names()

    def create(self) -> None:
        self.conn.execute(_CREATE_TABLE[self.conn.family].format(table=self.table))

    def records(self) -> list[HistoryRecord]:
        """Every row, oldest first (as Prisma lists them: by started_at)."""
        if not self.exists():
            return []
        rows = self.conn.query(f"SELECT {_COLUMNS} FROM {self.table}")
        records = [
            HistoryRecord(
                id=str(r[0]),
                checksum=str(r[1]),
                finished_at=decode_timestamp(r[2]),
                migration_name=str(r[3]),
                logs=r[4],
                rolled_back_at=decode_timestamp(r[5]),
                started_at=decode_timestamp(r[6]) or datetime.min.replace(tzinfo=UTC),
                applied_steps_count=int(r[7] or 0),
            )
            for r in rows
        ]
        records.sort(key=lambda rec: rec.started_at)
        return records

    def _insert(
        self,
        name: str,
        checksum: str,
        started_at: datetime,
        finished_at: datetime | None,
        logs: str | None,
        steps: int,
    ) -> str:
        record_id = str(uuid.uuid4())
        self.conn.execute(
            self.conn.sql(
                f"INSERT INTO {self.table} (id, checksum, finished_at, migration_name, logs, "
                "rolled_back_at, started_at, applied_steps_count) "
                "VALUES (%s, %s, %s, %s, %s, NULL, %s, %s)"
            ),
            (
                record_id,
                checksum,
                self._encode(finished_at) if finished_at else None,
                name,
                logs,
                self._encode(started_at),
                steps,
            ),
        )
        return record_id

    def record_applied(self, name: str, checksum: str, started_at: datetime) -> str:
        """A migration applied now (inside the migration's own transaction, where possible)."""
        return self._insert(name, checksum, started_at, now(), None, 1)

    def record_started(self, name: str, checksum: str, started_at: datetime) -> str:
        """Prisma's first step where DDL is not transactional: the row before the script runs."""
        return self._insert(name, checksum, started_at, None, None, 0)

    def record_failed(self, name: str, checksum: str, started_at: datetime, logs: str) -> str:
        return self._insert(name, checksum, started_at, None, logs, 0)

    def mark_finished(self, record_id: str, steps: int = 1) -> None:
        self.conn.execute(
            self.conn.sql(
                f"UPDATE {self.table} SET finished_at = %s, applied_steps_count = %s WHERE id = %s"
            ),
            (self._encode(now()), steps, record_id),
        )

    def mark_failed(self, record_id: str, logs: str) -> None:
        self.conn.execute(
            self.conn.sql(f"UPDATE {self.table} SET logs = %s WHERE id = %s"), (logs, record_id)
        )

    def mark_rolled_back(self, record_id: str) -> None:
        self.conn.execute(
            self.conn.sql(f"UPDATE {self.table} SET rolled_back_at = %s WHERE id = %s"),
            (self._encode(now()), record_id),
        )

    def mark_applied(self, name: str, checksum: str) -> str:
        """`resolve --applied`: a finished row with no steps, started_at = finished_at."""
        stamp = now()
        return self._insert(name, checksum, stamp, stamp, None, 0)
