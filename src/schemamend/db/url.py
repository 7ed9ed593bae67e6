"""Database URLs in the forms Prisma accepts, with the password never shown.

    postgresql://user:pass@host:5432/db?schema=app&sslmode=require   (also postgres://)
    mysql://user:pass@host:3306/db
    file:./dev.db                                                     (SQLite)

A relative SQLite path is taken relative to the folder of the schema file, as
Prisma does for `url = env("DATABASE_URL")` in `schema.prisma`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import TYPE_CHECKING

from schemamend.db.errors import InvalidDatabaseUrl

if TYPE_CHECKING:
    from pathlib import Path

# pathlib and urllib.parse (which imports ipaddress) are imported by the functions that use
# them: a process that only introspects through an open connection never pays for them.

REDACTED = "***"


class Family(StrEnum):
    POSTGRESQL = "postgresql"
    MYSQL = "mysql"
    SQLITE = "sqlite"


_SCHEMES = {
    "postgresql": Family.POSTGRESQL,
    "postgres": Family.POSTGRESQL,
    "mysql": Family.MYSQL,
    "mariadb": Family.MYSQL,
}
_DEFAULT_PORTS = {Family.POSTGRESQL: 5432, Family.MYSQL: 3306}

# The datasource providers of schema.prisma, mapped to the family that serves them.
PROVIDER_FAMILIES = {
    "postgresql": Family.POSTGRESQL,
    "postgres": Family.POSTGRESQL,
    "mysql": Family.MYSQL,
    "sqlite": Family.SQLITE,
}


@dataclass(frozen=True)
class DatabaseUrl:
    """A parsed connection URL. `repr`/`str` show `***` in place of the password."""

    family: Family
    host: str = ""
    port: int | None = None
    user: str = ""
    password: str | None = field(default=None, repr=False)
    database: str = ""
    params: tuple[tuple[str, str], ...] = ()
    path: Path | None = None  # SQLite database file

    def param(self, name: str) -> str | None:
        for key, value in self.params:
            if key == name:
                return value
        return None

    @property
    def schema(self) -> str:
        """The PostgreSQL schema (`?schema=`, default `public`); the database name elsewhere."""
        if self.family is Family.POSTGRESQL:
            return self.param("schema") or "public"
        return self.database

    @property
    def location(self) -> str:
        """`host:port` (or the file path): what a "can't reach" message names."""
        if self.path is not None:
            return str(self.path)
        return f"{self.host}:{self.port}"

    def with_database(self, database: str) -> DatabaseUrl:
        return replace(self, database=database)

    def redacted(self) -> str:
        if self.family is Family.SQLITE:
            return f"file:{self.path}"
        from urllib.parse import quote

        auth = quote(self.user, safe="") if self.user else ""
        if self.password is not None:
            auth += f":{REDACTED}"
        if auth:
            auth += "@"
        query = "&".join(f"{k}={v}" for k, v in self.params if k not in _SECRET_PARAMS)
        scheme = "postgresql" if self.family is Family.POSTGRESQL else "mysql"
        tail = f"?{query}" if query else ""
        return f"{scheme}://{auth}{self.host}:{self.port}/{self.database}{tail}"

    def scrub(self, text: str) -> str:
        """`text` with the password (raw and URL-encoded) replaced by `***`."""
        if self.password:
            from urllib.parse import quote

            for secret in {self.password, quote(self.password, safe="")}:
                text = text.replace(secret, REDACTED)
        for key, value in self.params:
            if key in _SECRET_PARAMS and value:
                text = text.replace(value, REDACTED)
        return text

    def __str__(self) -> str:
        return self.redacted()

    def __repr__(self) -> str:
        return f"DatabaseUrl({self.redacted()!r})"


_SECRET_PARAMS = frozenset({"password", "sslpassword"})


def parse_url(raw: str, *, base_dir: Path | None = None) -> DatabaseUrl:
    """Parse a Prisma connection URL; relative SQLite paths are resolved against `base_dir`."""
    text = raw.strip()
    if not text:
        raise InvalidDatabaseUrl("the database URL is empty")
    if text.startswith("file:"):
        return _parse_sqlite(text, base_dir)
    scheme, sep, _ = text.partition("://")
    family = _SCHEMES.get(scheme.lower()) if sep else None
    if family is None:
        shown = scheme if sep else text[:12]
        raise InvalidDatabaseUrl(
            f"unsupported database URL scheme `{shown}`",
            hint="use postgresql://, postgres://, mysql:// or file:PATH (SQLite)",
        )
    return _parse_server(text, family)


def _parse_server(text: str, family: Family) -> DatabaseUrl:
    from urllib.parse import parse_qsl, unquote, urlsplit

    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError as exc:
        # urlsplit's message can quote the netloc, password included: keep it out.
        raise InvalidDatabaseUrl(f"the database URL is malformed ({_safe_reason(exc)})") from None
    password = unquote(parts.password) if parts.password is not None else None
    params = tuple(parse_qsl(parts.query, keep_blank_values=True))
    host = parts.hostname or ""
    database = unquote(parts.path.lstrip("/"))
    if not host and not any(k in ("host", "socket") for k, _ in params):
        raise InvalidDatabaseUrl("the database URL has no host")
    if not database:
        raise InvalidDatabaseUrl("the database URL names no database (expected .../DATABASE)")
    return DatabaseUrl(
        family=family,
        host=host,
        port=port or _DEFAULT_PORTS[family],
        user=unquote(parts.username or ""),
        password=password,
        database=database,
        params=params,
    )


def _safe_reason(exc: ValueError) -> str:
    message = str(exc)
    return "invalid port" if "port" in message.lower() else "cannot be parsed"


def _parse_sqlite(text: str, base_dir: Path | None) -> DatabaseUrl:
    from pathlib import Path
    from urllib.parse import parse_qsl, unquote

    location = text[len("file:") :]
    location, _, query = location.partition("?")
    if location.startswith("//"):
        location = location[2:]
    if not location:
        raise InvalidDatabaseUrl("the SQLite URL names no file (expected file:./dev.db)")
    path = Path(unquote(location))
    if not path.is_absolute():
        path = (base_dir or Path.cwd()) / path
    params = tuple(parse_qsl(query, keep_blank_values=True))
    return DatabaseUrl(family=Family.SQLITE, database=path.name, params=params, path=path)
