"""Errors raised by the database layer, with Prisma's codes where Prisma has one."""

from __future__ import annotations

from schemamend.errors import SchemamendError


class DatabaseError(SchemamendError):
    """Base of every database-layer error."""

    code = "SM100"


class InvalidDatabaseUrl(DatabaseError):
    code = "P1013"


class DatabaseUnreachable(DatabaseError):
    """P1001: nothing answered (refused, timed out, unknown host)."""

    code = "P1001"


class AuthenticationFailed(DatabaseError):
    code = "P1000"


class DatabaseMissing(DatabaseError):
    code = "P1003"


class LockTimeout(DatabaseError):
    """P1002: another migration run held the lock for longer than we were willing to wait."""

    code = "P1002"


class DriverMissing(DatabaseError):
    code = "SM101"


class StatementFailed(DatabaseError):
    """One SQL statement was rejected by the database.

    `db_code` is the database's own code (SQLSTATE on PostgreSQL, the error
    number on MySQL, the result-code name on SQLite), `db_message` its text.
    """

    code = "SM102"

    def __init__(self, db_code: str, db_message: str) -> None:
        super().__init__(
            f"{db_message} (database error code: {db_code})" if db_code else db_message
        )
        self.db_code = db_code
        self.db_message = db_message
