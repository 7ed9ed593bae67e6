"""Database URLs in the forms Prisma accepts, with the password never shown.

    postgresql://user:pass@host:5432/db?schema=app&sslmode=require   (also postgres://)
    mysql://user:pass@host:3306/db
    file:./dev.db                                                     (SQLite)

A relative SQLite path is taken relative to the folder of the schema file, as
Prisma does for `url = env("DATABASE_URL")` in `schema.prisma`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from enum import StrEnum

from schemamend.db.errors import InvalidDatabaseUrl

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing at start-up
if TYPE_CHECKING:
    from pathlib import Path

# pathlib and urllib.parse (which imports ipaddress) are imported by the functions that use
# them (a SQLite path, a redacted URL): reading a server URL needs neither.

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
    netloc, path, query = _split_server_url(text)
    user, password, host, port = _split_netloc(netloc)
    params = _query_params(query)
    if not host and not any(k in ("host", "socket") for k, _ in params):
        raise InvalidDatabaseUrl("the database URL has no host")
    database = _percent_decoded(path.lstrip("/"))
    if not database:
        raise InvalidDatabaseUrl("the database URL names no database (expected .../DATABASE)")
    return DatabaseUrl(
        family=family,
        host=host,
        port=port or _DEFAULT_PORTS[family],
        user=_percent_decoded(user),
        password=None if password is None else _percent_decoded(password),
        database=database,
        params=params,
    )


# URLs are split here, as `urllib.parse.urlsplit` splits them (tests/unit/test_url_split.py
# compares the two), rather than by urllib.parse: with ipaddress, importing it costs more at
# start-up than reading every URL a command is given.


def _split_server_url(text: str) -> tuple[str, str, str]:
    """`scheme://NETLOC/PATH?QUERY#fragment` → (netloc, path, query)."""
    rest = text.partition("://")[2].partition("#")[0]
    rest, _, query = rest.partition("?")
    slash = rest.find("/")
    if slash < 0:
        return rest, "", query
    return rest[:slash], rest[slash:], query


def _split_netloc(netloc: str) -> tuple[str, str | None, str, int | None]:
    """`user:password@host:port` → (user, password or None, host in lower case, port or None);
    user and password still percent-encoded."""
    userinfo, at, hostinfo = netloc.rpartition("@")
    user, colon, password = userinfo.partition(":") if at else ("", "", "")
    if "[" in netloc or "]" in netloc:
        host, port = _bracketed_host(hostinfo)
    else:
        host, _, port = hostinfo.partition(":")
    address, percent, zone = host.partition("%")  # an IPv6 zone keeps its case
    return user, password if colon else None, address.lower() + percent + zone, _port(port)


def _bracketed_host(hostinfo: str) -> tuple[str, str]:
    """An IPv6 host and its port: `[::1]:5432` → (`::1`, `5432`)."""
    before, opening, bracketed = hostinfo.partition("[")
    host, closing, after = bracketed.partition("]")
    port_follows = not after or after.startswith(":")
    if before or not opening or not closing or not port_follows or not re.fullmatch(_IPV6, host):
        raise InvalidDatabaseUrl("the database URL is malformed (invalid IPv6 host)")
    return host, after[1:]


def _port(text: str) -> int | None:
    if not text:
        return None
    if not (text.isascii() and text.isdigit()) or int(text) > 65535:
        # The port's text could be part of a password that contained a `@`: never echo it.
        raise InvalidDatabaseUrl("the database URL is malformed (invalid port)")
    return int(text)


def _query_params(query: str) -> tuple[tuple[str, str], ...]:
    """`a=1&b=&c` → (("a", "1"), ("b", ""), ("c", "")), `+` read as a space, as
    `urllib.parse.parse_qsl(query, keep_blank_values=True)` reads it."""
    params = []
    for pair in query.split("&"):
        if pair:
            name, _, value = pair.partition("=")
            params.append(
                (
                    _percent_decoded(name.replace("+", " ")),
                    _percent_decoded(value.replace("+", " ")),
                )
            )
    return tuple(params)


def _percent_decoded(text: str) -> str:
    """`s3cr%40t` → `s3cr@t` (UTF-8; bytes that are not UTF-8 become U+FFFD, as
    `urllib.parse.unquote` makes them)."""
    if "%" not in text:
        return text
    return re.sub(_PERCENT_RUN, _decode_percent_run, text)


def _decode_percent_run(match: re.Match[str]) -> str:
    return bytes.fromhex(match[0].replace("%", "")).decode("utf-8", "replace")


# Patterns compiled on first use (re caches them), not at import.
_PERCENT_RUN = r"(?:%[0-9A-Fa-f]{2})+"
_IPV6 = r"[0-9A-Fa-f:.]+(%[^\[\]]+)?|v[0-9A-Fa-f]+\.[^\[\]]+"


def _parse_sqlite(text: str, base_dir: Path | None) -> DatabaseUrl:
    from pathlib import Path

    location = text[len("file:") :]
    location, _, query = location.partition("?")
    if location.startswith("//"):
        location = location[2:]
    if not location:
        raise InvalidDatabaseUrl("the SQLite URL names no file (expected file:./dev.db)")
    path = Path(_percent_decoded(location))
    if not path.is_absolute():
        path = (base_dir or Path.cwd()) / path
    params = _query_params(query)
    return DatabaseUrl(family=Family.SQLITE, database=path.name, params=params, path=path)
