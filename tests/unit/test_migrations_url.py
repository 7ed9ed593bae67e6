"""Database URLs: Prisma's forms, and the password never shown."""

from __future__ import annotations

from pathlib import Path

import pytest

from schemamend.db import Family, InvalidDatabaseUrl, parse_url


def test_postgres_urls_with_schema_parameter() -> None:
    url = parse_url("postgres://app:s3cr%40t@db.internal:6543/shop?schema=tenant&sslmode=require")

    assert url.family is Family.POSTGRESQL
    assert (url.host, url.port, url.user, url.password, url.database) == (
        "db.internal",
        6543,
        "app",
        "s3cr@t",
        "shop",
    )
    assert url.schema == "tenant" and url.param("sslmode") == "require"
    assert parse_url("postgresql://u@h/db").schema == "public"
    assert parse_url("postgresql://u@h/db").port == 5432


def test_mysql_urls_default_port_and_namespace_is_the_database() -> None:
    url = parse_url("mysql://root:pw@127.0.0.1/app")

    assert url.family is Family.MYSQL and url.port == 3306 and url.schema == "app"


@pytest.mark.parametrize(
    "text", ["postgresql://app:hunter2@h:5432/db", "mysql://app:hunter2@h/db?sslaccept=strict"]
)
def test_the_password_never_appears_in_str_repr_or_redacted(text: str) -> None:
    url = parse_url(text)

    for shown in (str(url), repr(url), url.redacted(), f"{url}", f"{url!r}"):
        assert "hunter2" not in shown
        assert "***" in shown
    assert url.scrub("FATAL: password hunter2 rejected") == "FATAL: password *** rejected"


def test_malformed_urls_do_not_leak_the_password_in_errors() -> None:
    with pytest.raises(InvalidDatabaseUrl) as error:
        parse_url("postgresql://app:hunter2@h:notaport/db")

    assert "hunter2" not in str(error.value)


def test_sqlite_relative_paths_are_relative_to_the_schema_folder(tmp_path: Path) -> None:
    url = parse_url("file:./dev.db?connection_limit=1", base_dir=tmp_path / "prisma")

    assert url.family is Family.SQLITE
    assert url.path == tmp_path / "prisma" / "dev.db"
    assert url.database == "dev.db"
    assert parse_url("file:/abs/x.db").path == Path("/abs/x.db")


@pytest.mark.parametrize(
    "text", ["", "sqlserver://h;database=x", "mongodb://h/db", "postgresql://h"]
)
def test_unsupported_or_incomplete_urls_are_rejected(text: str) -> None:
    with pytest.raises(InvalidDatabaseUrl):
        parse_url(text)
