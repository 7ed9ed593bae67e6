"""The parts of the PostgreSQL wire client that need no server: SCRAM, arrays, parameters.

The client against real servers: tests/integration/test_pg_wire.py.
"""

from __future__ import annotations

import pytest

from schemamend.db import pg_wire
from schemamend.db.pg_wire import (
    NotSupported,
    ScramSha256,
    numbered_markers,
    param_text,
    parse_array,
)

# RFC 7677, section 3: user "user", password "pencil".
RFC7677_CLIENT_NONCE = "rOprNGfwEbeRWgbNEkqO"
RFC7677_SERVER_FIRST = (
    b"r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096"
)
RFC7677_CLIENT_FINAL = (
    b"c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
    b"p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ="
)
RFC7677_SERVER_FINAL = b"v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4="


def test_scram_sha_256_reproduces_rfc_7677_exchange() -> None:
    scram = ScramSha256("pencil", nonce=RFC7677_CLIENT_NONCE, user="user")
    assert scram.first_message() == b"n,,n=user,r=rOprNGfwEbeRWgbNEkqO"
    assert scram.final_message(RFC7677_SERVER_FIRST) == RFC7677_CLIENT_FINAL
    scram.verify(RFC7677_SERVER_FINAL)  # the server's signature is accepted


def test_scram_rejects_a_server_that_does_not_know_the_password() -> None:
    scram = ScramSha256("pencil", nonce=RFC7677_CLIENT_NONCE, user="user")
    scram.final_message(RFC7677_SERVER_FIRST)
    with pytest.raises(pg_wire.ConnectFailed, match="incorrect server signature"):
        scram.verify(b"v=" + b"A" * 43 + b"=")


def test_scram_rejects_a_server_nonce_that_does_not_extend_the_client_nonce() -> None:
    scram = ScramSha256("pencil", nonce=RFC7677_CLIENT_NONCE)
    with pytest.raises(pg_wire.ConnectFailed, match="nonce"):
        scram.final_message(b"r=someoneelse,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096")


def test_scram_with_a_non_ascii_password_is_left_to_psycopg() -> None:
    # SASLprep (RFC 4013) would normalise it first; this client does not implement it.
    with pytest.raises(NotSupported):
        ScramSha256("pässword")


def test_scram_client_nonces_differ_between_exchanges() -> None:
    assert ScramSha256("x").first_message() != ScramSha256("x").first_message()


@pytest.mark.parametrize(
    ("text", "element", "expected"),
    [
        ("{}", str, []),
        ("{1,2,3}", int, [1, 2, 3]),
        ("{1,NULL,3}", int, [1, None, 3]),
        ('{a,"b c","NULL",NULL,""}', str, ["a", "b c", "NULL", None, ""]),
        (r'{"a\"b","c\\d","{x,y}"}', str, ['a"b', "c\\d", "{x,y}"]),
        ("{{1,2},{3,4}}", int, [[1, 2], [3, 4]]),
        ('{{"a b",c},{NULL,d}}', str, [["a b", "c"], [None, "d"]]),
        ("[0:1]={5,6}", int, [5, 6]),  # int2vector cast to int2[] keeps its lower bound 0
        (
            "{1.5,NaN,-Infinity}",
            float,
            [1.5, pytest.approx(float("nan"), nan_ok=True), float("-inf")],
        ),
        ("{t,f}", lambda item: item == "t", [True, False]),
    ],
)
def test_text_arrays_parse_as_psycopg_returns_them(
    text: str, element: object, expected: list[object]
) -> None:
    assert parse_array(text, element) == expected  # type: ignore[arg-type]


def test_markers_are_numbered_and_doubled_percent_signs_are_literal() -> None:
    assert numbered_markers("a = %s AND b LIKE 'x%%' AND c = ANY(%s)") == (
        "a = $1 AND b LIKE 'x%' AND c = ANY($2)"
    )


def test_named_markers_are_left_to_psycopg() -> None:
    with pytest.raises(NotSupported):
        numbered_markers("a = %(name)s")


def test_parameters_are_sent_as_text_and_lists_as_quoted_array_literals() -> None:
    assert param_text(None) is None
    assert param_text(True) == "t"
    assert param_text(42) == "42"
    assert param_text(["public", 'we"ird\\', "a,b", "NULL"]) == (
        r'{"public","we\"ird\\","a,b","NULL"}'
    )
    assert param_text([None, ["x"]]) == '{NULL,{"x"}}'
    assert param_text([]) == "{}"


def test_parameters_of_other_types_are_left_to_psycopg() -> None:
    with pytest.raises(NotSupported):
        param_text(b"bytes")
    with pytest.raises(NotSupported):
        param_text("nul \x00 inside")
