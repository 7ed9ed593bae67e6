"""Server URLs are split as `urllib.parse` splits them (db/url.py does it itself, to keep
urllib.parse and ipaddress out of a command's start-up)."""

from __future__ import annotations

from urllib.parse import parse_qsl, unquote, urlsplit

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from schemamend.db import InvalidDatabaseUrl, parse_url

URL_CHARS = st.sampled_from(list("abcXYZ019-._~%20%40%2F%zz:@/?#&=+[]! é€"))
PIECE = st.lists(URL_CHARS, max_size=8).map("".join)


def urllib_reading(text: str) -> tuple[object, ...] | None:
    """What `parse_url` should hold for `text`, read by urllib.parse; None when urllib
    rejects it."""
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        return None
    return (
        parts.hostname or "",
        port or 5432,
        unquote(parts.username or ""),
        unquote(parts.password) if parts.password is not None else None,
        unquote(parts.path.lstrip("/")),
        tuple(parse_qsl(parts.query, keep_blank_values=True)),
    )


def our_reading(text: str) -> tuple[object, ...] | None:
    try:
        url = parse_url(text)
    except InvalidDatabaseUrl:
        return None
    return (url.host, url.port, url.user, url.password, url.database, url.params)


def agree(text: str) -> None:
    expected = urllib_reading(text.strip())  # parse_url strips the text it is given
    ours = our_reading(text)
    if ours is None:
        # We also refuse URLs with no host or database, which urllib splits happily.
        assert expected is None or not expected[0] or not expected[4], text
    else:
        assert ours == expected, text


@pytest.mark.parametrize(
    "text",
    [
        "postgresql://app:s3cr%40t@db.internal:6543/shop?schema=tenant&sslmode=require",
        "postgresql://u@h/db",
        "postgres://u:p@H.Example.COM/db?schema=a+b&x&y=&=z",
        "postgresql://u:p:q@h:5432/d%C3%A9j%C3%A0?schema=%E2%82%AC",
        "postgresql://u:p%zz@h/db%ff%fe",
        "postgresql://user:pa@ss@h:1/db",
        "postgresql://u:p?x@h/db",
        "postgresql://u:p#x@h/db",
        "postgresql://h/db?a=b/c#frag?x",
        "postgresql://[::1]:5433/db",
        "postgresql://u:p@[2001:DB8::1]/db",
        "postgresql://[fe80::1%25Eth0]:5432/db",
        "postgresql://[::1/db",
        "postgresql://::1]/db",
        "postgresql://[nothex]/db",
        "postgresql://h:99999/db",
        "postgresql://h:54x/db",
        "postgresql://h:/db",
        "postgresql://h:0/db",
        "postgresql://h:٣/db",
        "postgresql:///db?host=/var/run/postgresql",
        "postgresql://:@a:/a? ",
    ],
)
def test_examples_are_read_as_urllib_reads_them(text: str) -> None:
    agree(text)


@settings(max_examples=400, deadline=None)
@given(user=PIECE, password=PIECE, host=PIECE, port=PIECE, path=PIECE, query=PIECE)
def test_generated_urls_are_read_as_urllib_reads_them(
    user: str, password: str, host: str, port: str, path: str, query: str
) -> None:
    agree(f"postgresql://{user}:{password}@{host}:{port}/{path}?{query}")
    agree(f"postgresql://{user}@{host}/{path}")
