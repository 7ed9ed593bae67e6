"""A small PostgreSQL client (frontend/backend protocol 3.0) for the paths that only read.

Importing psycopg costs about 100 ms, as much as reading a 1,000-table catalog,
so introspection speaks the protocol itself (standard library only; `ssl` is
imported only when TLS is used). What it covers, and nothing more:

- TCP or Unix-socket connections (`host` starting with `/` is a socket folder),
  libpq's `sslmode` (disable, allow, prefer, require, verify-ca, verify-full)
  with `sslrootcert` (a file or `system`), `application_name`, `options`,
  `connect_timeout`;
- trust, cleartext password, MD5 and SCRAM-SHA-256 (no channel binding);
- queries through the extended protocol (Parse/Bind/Describe/Execute/Sync) with
  text parameters (`%s` markers; a list is sent as an array literal), or the
  simple protocol when there are none, as psycopg does;
- text results of the types catalog queries (and `_prisma_migrations`) return,
  converted as psycopg converts them: bool, integers and oid, floats, text-like
  types, their arrays, timestamp and timestamptz.

Anything else (client certificates, GSSAPI, libpq environment variables, a
password to look up in ~/.pgpass, a result type not listed, ...) raises
`NotSupported` and the caller opens a psycopg connection instead.

Protocol reference: https://www.postgresql.org/docs/current/protocol.html
"""

from __future__ import annotations

# `_socket` is the C module under `socket`, whose own import (the enum wrappers of every
# constant) costs about 2 ms of a 50 ms start-up; TLS, rare here, goes through `socket`
# and `ssl` (imported then).
import _socket
import os
import re
import struct
from collections.abc import Callable, Mapping, Sequence
from contextlib import suppress

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing at start-up
if TYPE_CHECKING:
    import ssl
    from typing import Any

    Row = tuple[Any, ...]
    Convert = Callable[[bytes], Any]

# hashlib, hmac, base64 and secrets (authentication) and ssl are imported when first needed:
# a trusted local connection in clear needs none of them, and they cost milliseconds at start-up.


_PROTOCOL_3_0 = 196608  # major 3, minor 0
_SSL_REQUEST = 80877103
_I16 = struct.Struct("!h")
_I32 = struct.Struct("!i")
_RECEIVE_SIZE = 1 << 16

# Connection parameters this client understands (the keys of `postgres.connect_kwargs`).
_KNOWN_PARAMS = frozenset(
    {"host", "port", "dbname", "user", "password", "connect_timeout", "autocommit"}
    | {"sslmode", "sslrootcert", "application_name", "options"}
)
_SSL_MODES = ("disable", "allow", "prefer", "require", "verify-ca", "verify-full")
# Environment variables that are not libpq's, though they start with PG.
_NOT_LIBPQ_ENV = frozenset({"PGDATA"})


class NotSupported(Exception):
    """Outside this client's scope: the caller should use psycopg instead."""


class ConnectFailed(Exception):
    """The connection could not be opened; the text is worded as libpq words it."""


class ConnectionLost(Exception):
    """The server closed the connection, or the socket failed, after it was opened."""


class ServerError(Exception):
    """An ErrorResponse; `fields` maps its field codes (S, C, M, D, H, P, ...) to their text.

    `sqlstate` and `diag.message_primary`/`diag.message_detail` are named as psycopg names them.
    """

    def __init__(self, fields: Mapping[str, str]) -> None:
        self.fields = dict(fields)
        self.sqlstate = self.fields.get("C", "")
        self.message_primary = self.fields.get("M", "")
        self.message_detail = self.fields.get("D")
        self.diag = self
        super().__init__(
            f"{self.fields.get('V') or self.fields.get('S', 'ERROR')}:  {self.message_primary}"
        )


# ── result types ─────────────────────────────────────────────────────────────

# Type OID → conversion of its text form, for the types psycopg returns as these Python values.
# int2vector (22) and oidvector (30) are strings in psycopg too ('1 2').
_SCALARS: dict[int, Convert] = {
    16: b"t".__eq__,
    **dict.fromkeys((20, 21, 23, 26), int),  # int8 int2 int4 oid
    **dict.fromkeys((700, 701), float),  # float4 float8
    **dict.fromkeys((18, 19, 22, 25, 30, 705, 1042, 1043), bytes.decode),  # "char" name ... varchar
}
_ARRAY_ELEMENTS: dict[int, Callable[[str], Any]] = {
    1000: lambda text: text == "t",  # bool[]
    **dict.fromkeys((1005, 1007, 1016, 1028), int),  # int2[] int4[] int8[] oid[]
    **dict.fromkeys((1021, 1022), float),  # float4[] float8[]
    **dict.fromkeys((1002, 1003, 1009, 1014, 1015), str),  # "char"[] name[] text[] ...
}


def parse_array(text: str, element: Callable[[str], Any]) -> list[Any]:
    """A text-format array (`{a,"b c",NULL}`, nested, or `[0:1]={...}`) as nested lists."""
    if text.startswith("["):  # explicit bounds, when the lower bound is not 1
        text = text[text.index("=") + 1 :]
    if '"' not in text and "{" not in text[1:]:  # flat, nothing quoted: the common case
        inner = text[1:-1]
        return (
            [None if item == "NULL" else element(item) for item in inner.split(",")]
            if inner
            else []
        )
    stack: list[list[Any]] = []
    result: list[Any] = []
    i, end = 0, len(text)
    while i < end:
        char = text[i]
        if char == "{":
            nested: list[Any] = []
            if stack:
                stack[-1].append(nested)
            stack.append(nested)
            i += 1
        elif char == "}":
            result = stack.pop()
            i += 1
        elif char == ",":
            i += 1
        elif char == '"':
            chars: list[str] = []
            i += 1
            while text[i] != '"':
                if text[i] == "\\":
                    i += 1
                chars.append(text[i])
                i += 1
            stack[-1].append(element("".join(chars)))
            i += 1
        else:
            j = i
            while text[j] not in ",}":
                j += 1
            item = text[i:j]
            stack[-1].append(None if item == "NULL" else element(item))
            i = j
    return result


def _converter(type_oid: int, parameters: Mapping[str, str]) -> Convert | None:
    """How to convert a column of this type, in this session; None when not covered."""
    scalar = _SCALARS.get(type_oid)
    if scalar is not None:
        return scalar
    element = _ARRAY_ELEMENTS.get(type_oid)
    if element is not None:
        return lambda value: parse_array(value.decode("utf-8"), element)
    if type_oid in (1114, 1184) and parameters.get("DateStyle", "").startswith("ISO"):
        return _timestamp_converter(type_oid == 1184, parameters.get("TimeZone", ""))
    return None


def _timestamp_converter(with_zone: bool, zone_name: str) -> Convert:
    """timestamp → a naive datetime; timestamptz → an aware one in the session's TimeZone,
    as psycopg returns them (a zone Python does not know is left to psycopg)."""
    from datetime import UTC, datetime, timedelta

    # Compiled here, not at import: catalog queries return no timestamps (re caches it).
    # ISO DateStyle: 2026-11-25 12:00:00[.123456][+05[:30[:00]]]. Anything else (a year past
    # 9999, BC, infinity) raises NotSupported, and psycopg then gives its own answer or error.
    timestamp = re.compile(
        rb"(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)(?:\.(\d{1,6}))?"
        rb"(?:([-+])(\d\d)(?::(\d\d))?(?::(\d\d))?)?"
    )
    zone: Any = None
    if with_zone:
        from zoneinfo import ZoneInfo

        try:
            zone = ZoneInfo(zone_name)
        except (KeyError, ValueError, OSError) as exc:  # not found (a KeyError), bad key, file
            raise NotSupported(f"TimeZone {zone_name!r}") from exc

    def convert(value: bytes) -> datetime:
        match = timestamp.fullmatch(value)
        if match is None or (match[8] is None) == with_zone:
            raise NotSupported(f"timestamp {value!r}")
        micros = int(match[7].ljust(6, b"0")) if match[7] else 0
        year, month, day, hour, minute, second = (int(match[i]) for i in range(1, 7))
        if not with_zone:
            return datetime(year, month, day, hour, minute, second, micros)
        offset = timedelta(
            hours=int(match[9]), minutes=int(match[10] or 0), seconds=int(match[11] or 0)
        )
        try:
            moment = datetime(year, month, day, hour, minute, second, micros, tzinfo=UTC)
            moment -= offset if match[8] == b"+" else -offset
            return moment.astimezone(zone)
        except (OverflowError, ValueError) as exc:  # at the edges of datetime's range
            raise NotSupported(f"timestamp {value!r}") from exc

    return convert


# ── parameters ───────────────────────────────────────────────────────────────

_MARKER = re.compile(r"%(.)", re.DOTALL)


def numbered_markers(sql: str) -> str:
    """`%s` markers as `$1`, `$2`, ... and `%%` as `%` (psycopg's marker syntax)."""
    count = 0

    def number(match: re.Match[str]) -> str:
        nonlocal count
        if match.group(1) == "%":
            return "%"
        if match.group(1) != "s":
            raise NotSupported(f"parameter marker %{match.group(1)}")
        count += 1
        return f"${count}"

    return _MARKER.sub(number, sql)


def param_text(value: object) -> str | None:
    """A parameter's text form; a list becomes an array literal (strings quoted)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        if "\x00" in value:
            raise NotSupported("a NUL character in a parameter")
        return value
    if isinstance(value, list | tuple):
        return "{" + ",".join(_array_item(item) for item in value) + "}"
    raise NotSupported(f"a {type(value).__name__} parameter")


def _array_item(value: object) -> str:
    if isinstance(value, list | tuple):
        return param_text(value) or "{}"
    text = param_text(value)
    if text is None:
        return "NULL"
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


# ── SCRAM-SHA-256 (RFC 5802, RFC 7677) ───────────────────────────────────────


class ScramSha256:
    """The client side of SCRAM-SHA-256 without channel binding (gs2 header `n,,`).

    PostgreSQL ignores the SCRAM user name (the startup message names the
    user), so it is sent empty unless given (RFC 7677's example names one).
    """

    mechanism = "SCRAM-SHA-256"

    def __init__(self, password: str, *, nonce: str | None = None, user: str = "") -> None:
        import base64
        import secrets

        if not password.isascii():
            # The password would need SASLprep (RFC 4013) first, which this client does not do.
            raise NotSupported("a non-ASCII password with SCRAM")
        self._password = password.encode()
        self._nonce = nonce or base64.b64encode(secrets.token_bytes(18)).decode()
        self._first_bare = f"n={user},r={self._nonce}"
        self._server_signature = b""

    def first_message(self) -> bytes:
        return f"n,,{self._first_bare}".encode()

    def final_message(self, server_first: bytes) -> bytes:
        import base64
        import hashlib

        text = server_first.decode()
        fields = dict(part.split("=", 1) for part in text.split(","))
        nonce, salt, iterations = fields["r"], base64.b64decode(fields["s"]), int(fields["i"])
        if not nonce.startswith(self._nonce):
            raise ConnectFailed("SCRAM: the server's nonce does not extend ours")
        salted = hashlib.pbkdf2_hmac("sha256", self._password, salt, iterations)
        client_key = _hmac(salted, b"Client Key")
        without_proof = f"c=biws,r={nonce}"  # biws: base64 of the gs2 header "n,,"
        auth_message = f"{self._first_bare},{text},{without_proof}".encode()
        signature = _hmac(hashlib.sha256(client_key).digest(), auth_message)
        proof = bytes(a ^ b for a, b in zip(client_key, signature, strict=True))
        self._server_signature = _hmac(_hmac(salted, b"Server Key"), auth_message)
        return f"{without_proof},p={base64.b64encode(proof).decode()}".encode()

    def verify(self, server_final: bytes) -> None:
        """Raise ConnectFailed unless the server proved that it knows the password too."""
        import base64
        import hmac

        fields = dict(part.split("=", 1) for part in server_final.decode().split(","))
        if "e" in fields:
            raise ConnectFailed(f"SCRAM: the server refused the proof ({fields['e']})")
        if not hmac.compare_digest(base64.b64decode(fields.get("v", "")), self._server_signature):
            raise ConnectFailed("SCRAM: incorrect server signature")


def _hmac(key: bytes, message: bytes) -> bytes:
    import hashlib
    import hmac

    return hmac.new(key, message, hashlib.sha256).digest()


def md5_password(password: str, user: str, salt: bytes) -> bytes:
    """The MD5 password message: 'md5' + md5(md5(password + user) hex + salt) hex."""
    import hashlib

    inner = hashlib.md5((password + user).encode()).hexdigest().encode()
    return b"md5" + hashlib.md5(inner + salt).hexdigest().encode()


# ── the connection ──────────────────────────────────────────────────────────


def _extended_query(sql: str, params: Sequence[object]) -> bytes:
    """Parse, Bind, Describe and Execute of one statement (unnamed), parameters and
    results as text; the caller adds the Sync."""
    values = [param_text(value) for value in params]
    if len(values) > 32767:
        raise NotSupported("more than 32767 parameters")
    bind = [b"\x00\x00\x00\x00", _I16.pack(len(values))]  # portal, statement, text formats
    for value in values:
        if value is None:
            bind.append(_I32.pack(-1))
        else:
            encoded = value.encode()
            bind.append(_I32.pack(len(encoded)) + encoded)
    bind.append(b"\x00\x00")  # text results
    return (
        _message(b"P", b"\x00" + _cstring(numbered_markers(sql)) + b"\x00\x00")
        + _message(b"B", b"".join(bind))
        + _message(b"D", b"P\x00")
        + _message(b"E", b"\x00\x00\x00\x00\x00")
    )


def _message(kind: bytes, body: bytes = b"") -> bytes:
    return kind + _I32.pack(len(body) + 4) + body


def _cstring(text: str) -> bytes:
    return text.encode() + b"\x00"


def connect(params: Mapping[str, Any]) -> WireConnection:
    """Open a connection from psycopg-style keyword parameters (see `postgres.connect_kwargs`).

    Raises NotSupported (use psycopg instead) or ConnectFailed (worded as libpq
    words it, a server's refusal included).
    """
    unknown = sorted(set(params) - _KNOWN_PARAMS)
    if unknown:
        raise NotSupported(f"connection parameters {', '.join(unknown)}")
    if not params.get("autocommit"):
        raise NotSupported("transactions opened implicitly (autocommit off)")
    libpq_env = [k for k in os.environ if k.startswith("PG") and k not in _NOT_LIBPQ_ENV]
    if libpq_env:
        raise NotSupported(f"libpq environment variables ({', '.join(sorted(libpq_env))})")
    host = str(params.get("host") or "")
    if not host or "," in host or host.startswith("@"):
        raise NotSupported("a default, multiple or abstract-socket host")
    mode = str(params.get("sslmode") or "")
    rootcert = str(params.get("sslrootcert") or "")
    if not mode:
        mode = "verify-full" if rootcert == "system" else "prefer"
    if mode not in _SSL_MODES or (rootcert == "system" and mode != "verify-full"):
        raise NotSupported(f"sslmode={mode} with sslrootcert={rootcert or '(none)'}")
    unix = host.startswith("/")
    if unix and (
        mode in ("require", "verify-ca", "verify-full") or not hasattr(_socket, "AF_UNIX")
    ):
        raise NotSupported("a Unix socket with TLS, or on a system without them")
    tries = {"disable": [False], "allow": [False, True], "prefer": [True, False]}.get(mode, [True])
    if unix:
        tries = [False]
    earlier = ""  # libpq reports every attempt's failure
    for number, use_ssl in enumerate(tries, 1):
        conn = WireConnection(params, host, unix)
        try:
            conn.open(use_ssl=use_ssl, mode=mode, rootcert=rootcert, may_retry=number < len(tries))
            return conn
        except _RetryOtherEncryption as retry:
            earlier += f"{retry.cause}\n"
        except ConnectFailed as exc:
            raise ConnectFailed(f"{earlier}{exc}") from None
    raise AssertionError("unreachable: the last attempt returns or raises")


class _RetryOtherEncryption(Exception):
    """Failed before authentication completed: libpq tries the other encryption (allow, prefer)."""

    def __init__(self, cause: ConnectFailed) -> None:
        super().__init__(str(cause))
        self.cause = cause


class WireConnection:
    """One open protocol-3.0 session in autocommit mode (each query is its own transaction)."""

    def __init__(self, params: Mapping[str, Any], host: str, unix: bool) -> None:
        self._params = params
        self._host = host
        self._unix = unix
        self._port = int(params.get("port") or 5432)
        self._timeout = float(params.get("connect_timeout") or 0) or None
        self._sock: _socket.socket | None = None
        self._buf = b""  # received, not yet read from position _pos
        self._pos = 0
        self.parameters: dict[str, str] = {}
        self.ssl_in_use = False
        self._authenticated = False
        #: ReadyForQuery's status: I (idle), T (in a transaction), E (in a failed transaction).
        self.transaction_status = "I"

    @property
    def _where(self) -> str:
        if self._unix:
            return f'connection to server on socket "{self._socket_path}" failed'
        return f'connection to server at "{self._host}", port {self._port} failed'

    @property
    def _socket_path(self) -> str:
        return os.path.join(self._host, f".s.PGSQL.{self._port}")

    # -- opening

    def open(self, *, use_ssl: bool, mode: str, rootcert: str, may_retry: bool) -> None:
        """Connect and authenticate; with `may_retry`, a failure that libpq answers by trying
        the other encryption (before authentication completed) raises _RetryOtherEncryption."""
        sock = self._connected_socket()
        self._sock = sock
        try:
            if use_ssl:
                sock = self._negotiate_ssl(sock, mode, rootcert)
                self._sock = sock
            self._startup()
            sock.settimeout(None)
        except (ServerError, ConnectionLost, OSError) as exc:
            self.close()
            reason = _reason(exc) if isinstance(exc, OSError) else str(exc)
            failure = ConnectFailed(f"{self._where}: {reason}")
            refused = isinstance(exc, ServerError) and not self._authenticated
            if use_ssl:  # prefer: TLS refused by the server's rules, or a failed handshake
                refused = (refused and self.ssl_in_use) or _is_tls_error(exc)
            if may_retry and refused:
                raise _RetryOtherEncryption(failure) from None
            raise failure from None
        except BaseException:
            self.close()
            raise

    def _connected_socket(self) -> _socket.socket:
        try:
            if self._unix:
                sock = _socket.socket(_socket.AF_UNIX, _socket.SOCK_STREAM)
                sock.settimeout(self._timeout)
                try:
                    sock.connect(self._socket_path)
                except OSError:
                    sock.close()
                    raise
            else:
                # An ASCII host goes as bytes (getaddrinfo takes them; typeshed says str only):
                # a str would load the idna codec first, which costs milliseconds.
                host: Any = self._host.encode() if self._host.isascii() else self._host
                sock = _tcp_connection(host, self._port, self._timeout)
                sock.setsockopt(_socket.IPPROTO_TCP, _socket.TCP_NODELAY, 1)
        except _socket.gaierror as exc:
            raise ConnectFailed(
                f'could not translate host name "{self._host}" to address: {exc.strerror}'
            ) from None
        except OSError as exc:
            hint = (
                "Is the server running locally and accepting connections on that socket?"
                if self._unix
                else "Is the server running on that host and accepting TCP/IP connections?"
            )
            raise ConnectFailed(f"{self._where}: {_reason(exc)}\n\t{hint}") from None
        return sock

    def _negotiate_ssl(self, sock: _socket.socket, mode: str, rootcert: str) -> _socket.socket:
        sock.sendall(_I32.pack(8) + _I32.pack(_SSL_REQUEST))
        answer = sock.recv(1)
        if answer == b"N":
            if mode == "prefer":
                return sock  # the server has no TLS: go on in clear, as libpq does
            raise ConnectFailed(f"{self._where}: server does not support SSL, but SSL was required")
        if answer != b"S":
            raise ConnectFailed(f"{self._where}: received invalid response to SSL negotiation")
        import socket

        plain = socket.socket(sock.family, sock.type, sock.proto, fileno=sock.detach())
        wrapped = _ssl_context(mode, rootcert).wrap_socket(plain, server_hostname=self._host)
        self.ssl_in_use = True
        return wrapped

    def _startup(self) -> None:
        user = str(self._params.get("user") or "") or _os_user()
        pairs = {"user": user, "database": str(self._params.get("dbname") or user)}
        for key in ("application_name", "options"):
            if self._params.get(key):
                pairs[key] = str(self._params[key])
        body = _I32.pack(_PROTOCOL_3_0) + b"".join(
            _cstring(k) + _cstring(v) for k, v in pairs.items()
        )
        self._send(_I32.pack(len(body) + 5) + body + b"\x00")
        scram: ScramSha256 | None = None
        while True:
            kind, data = self._receive()
            if kind == b"R":
                scram = self._authenticate(_I32.unpack_from(data)[0], data[4:], user, scram)
            elif kind == b"S":
                self._parameter_status(data)
            elif kind == b"Z":
                self.transaction_status = data.decode()
                break
            elif kind == b"E":
                raise ServerError(_fields(data))
            elif kind not in (b"K", b"N", b"v"):  # key data, notice, protocol negotiation
                raise ConnectFailed(f"{self._where}: unexpected message {kind!r} at start-up")
        encoding = self.parameters.get("client_encoding", "").upper()
        if encoding not in ("UTF8", "UNICODE"):
            self.close()
            raise NotSupported(f"client_encoding {encoding or '(not reported)'}")

    def _authenticate(
        self, code: int, data: bytes, user: str, scram: ScramSha256 | None
    ) -> ScramSha256 | None:
        if code == 0:  # AuthenticationOk
            self._authenticated = True
            return None
        if code in (3, 5, 10):
            password = self._params.get("password")
            if password is None:  # libpq would look in ~/.pgpass
                raise NotSupported("a password the server asks for and the URL does not give")
            if code == 3:
                self._send(_message(b"p", _cstring(password)))
            elif code == 5:
                self._send(_message(b"p", md5_password(password, user, data[:4]) + b"\x00"))
            else:
                mechanisms = data.decode().split("\x00")
                if ScramSha256.mechanism not in mechanisms:
                    raise NotSupported(f"SASL mechanisms {mechanisms}")
                scram = ScramSha256(password)
                first = scram.first_message()
                body = _cstring(ScramSha256.mechanism) + _I32.pack(len(first)) + first
                self._send(_message(b"p", body))
            return scram
        if code == 11 and scram is not None:  # SASLContinue
            self._send(_message(b"p", scram.final_message(data)))
            return scram
        if code == 12 and scram is not None:  # SASLFinal
            scram.verify(data)
            return None
        raise NotSupported(f"authentication request {code}")

    # -- queries

    def query(self, sql: str, params: Sequence[object] = ()) -> list[Row]:
        """All rows of the first result (none for a command).

        Raises ServerError (the connection stays usable), NotSupported (a result
        type this client does not convert; the statement did run) or ConnectionLost.
        """
        if params:
            self._send(_extended_query(sql, params) + _message(b"S"))
        else:
            self._send(_message(b"Q", _cstring(sql)))
        results = self._results()
        return results[0] if results else []

    def query_batch(self, statements: Sequence[tuple[str, Sequence[object]]]) -> list[list[Row]]:
        """The rows of each statement, sent together (one Sync): the server runs the next
        while this client reads the previous one's rows. Each statement is one query;
        they run in one implicit transaction, and the first error stops the rest.
        Raises as `query` does."""
        if not statements:
            return []
        self._send(
            b"".join(_extended_query(sql, params) for sql, params in statements) + _message(b"S")
        )
        results = self._results()
        if len(results) != len(statements):
            raise NotSupported("a batched statement returned no result or several")
        return results

    def _results(self) -> list[list[Row]]:
        """The rows of every statement's result up to ReadyForQuery, in order."""
        receive = self._receive
        results: list[list[Row]] = []
        rows: list[Row] = []
        unsupported = ""
        error: ServerError | None = None
        while True:
            kind, data = receive()
            if kind == b"T":
                converters, unsupported = _describe(data, unsupported, self.parameters)
                rows = []
                if converters is not None:
                    try:
                        rows = self._data_rows(converters)
                    except NotSupported as exc:  # a value: the rows left are skipped below
                        unsupported = unsupported or str(exc)
            elif kind in (b"C", b"I"):  # one statement done
                if error is None:
                    results.append(rows)
                rows = []
            elif kind == b"Z":
                self.transaction_status = data.decode()
                break
            elif kind == b"E":
                error = error or ServerError(_fields(data))
            elif kind == b"S":
                self._parameter_status(data)
            elif kind in (b"G", b"H", b"W"):  # COPY: not for this client
                self.close()
                raise NotSupported("COPY")
            # 1 2 n s N A: parse/bind complete, no data, suspended, notice, notification
        if error is not None:
            raise error
        if unsupported:
            raise NotSupported(unsupported)
        if self.parameters.get("client_encoding", "").upper() not in ("UTF8", "UNICODE"):
            raise NotSupported("client_encoding changed")
        return results

    def _data_rows(self, converters: list[Convert]) -> list[Row]:
        """The DataRow messages that follow a RowDescription, converted.

        The hot loop of a large catalog: rows are read in place from the buffer.
        """
        rows: list[Row] = []
        size_at = _I32.unpack_from
        while True:
            buf, pos = self._buf, self._pos
            limit = len(buf)
            while pos + 5 <= limit and buf[pos] == 68:  # b"D"
                end = pos + 1 + size_at(buf, pos + 1)[0]
                if end > limit:
                    break
                values: list[Any] = []
                at = pos + 7  # past the type, length and column count
                for convert in converters:
                    size = size_at(buf, at)[0]
                    at += 4
                    if size < 0:
                        values.append(None)
                    else:
                        values.append(convert(buf[at : at + size]))
                        at += size
                rows.append(tuple(values))
                pos = end
            self._pos = pos
            if limit - pos < 5:
                self._fill(5)
            elif buf[pos] != 68:
                return rows
            else:  # a row that has not fully arrived
                self._fill(1 + size_at(buf, pos + 1)[0])

    def close(self) -> None:
        sock, self._sock = self._sock, None
        if sock is None:
            return
        with suppress(OSError):  # already gone
            sock.sendall(_message(b"X"))
        sock.close()

    @property
    def closed(self) -> bool:
        return self._sock is None

    # -- messages

    def _send(self, data: bytes) -> None:
        if self._sock is None:
            raise ConnectionLost("the connection is closed")
        try:
            self._sock.sendall(data)
        except OSError as exc:
            self.close()
            raise ConnectionLost(_reason(exc)) from None

    def _receive(self) -> tuple[bytes, bytes]:
        """The next message: its type byte and its body."""
        buf, pos = self._buf, self._pos
        if len(buf) - pos < 5:
            buf, pos = self._fill(5)
        end = pos + 1 + _I32.unpack_from(buf, pos + 1)[0]
        if end > len(buf):
            buf, pos = self._fill(end - pos)
            end = 1 + _I32.unpack_from(buf, 1)[0]
        self._pos = end
        return buf[pos : pos + 1], buf[pos + 5 : end]

    def _fill(self, need: int) -> tuple[bytes, int]:
        """Receive until `need` bytes are buffered past the read position, which becomes 0."""
        chunks = [self._buf[self._pos :]]
        have = len(chunks[0])
        try:
            while have < need and self._sock is not None:
                chunk = self._sock.recv(max(_RECEIVE_SIZE, need - have))
                if not chunk:
                    break
                chunks.append(chunk)
                have += len(chunk)
        except OSError as exc:
            self.close()
            raise ConnectionLost(_reason(exc)) from None
        if have < need:
            self.close()
            raise ConnectionLost("server closed the connection unexpectedly")
        self._buf, self._pos = b"".join(chunks), 0
        return self._buf, 0

    def _parameter_status(self, data: bytes) -> None:
        name, value, _ = data.decode("utf-8", "replace").split("\x00")
        self.parameters[name] = value


def _describe(
    data: bytes, unsupported: str, parameters: Mapping[str, str]
) -> tuple[list[Convert] | None, str]:
    """A RowDescription's converters; None (rows skipped) when a column's type is not handled."""
    count = _I16.unpack_from(data)[0]
    converters: list[Convert] = []
    pos = 2
    for _ in range(count):
        pos = data.index(b"\x00", pos) + 1  # the column name
        type_oid = _I32.unpack_from(data, pos + 6)[0]
        pos += 18  # table oid, attnum, type oid, typlen, typmod, format
        try:
            convert = _converter(type_oid, parameters)
        except NotSupported as exc:
            convert, unsupported = None, unsupported or str(exc)
        if convert is None:
            return None, unsupported or f"result type oid {type_oid}"
        converters.append(convert)
    return converters, unsupported


def _fields(data: bytes) -> dict[str, str]:
    fields = {}
    for part in data.decode("utf-8", "replace").split("\x00"):
        if part:
            fields[part[0]] = part[1:]
    return fields


def _reason(exc: OSError) -> str:
    if isinstance(exc, TimeoutError):
        return "timeout expired"
    return exc.strerror or str(exc) or type(exc).__name__


def _tcp_connection(host: Any, port: int, timeout: float | None) -> _socket.socket:
    """A socket connected to the first of the host's addresses that accepts, else the last
    address's error (as `socket.create_connection` does)."""
    last: OSError = OSError("getaddrinfo returned no address")
    for family, kind, proto, _, address in _socket.getaddrinfo(host, port, 0, _socket.SOCK_STREAM):
        sock = _socket.socket(family, kind, proto)
        try:
            sock.settimeout(timeout)
            sock.connect(address)
        except OSError as exc:
            sock.close()
            last = exc
        else:
            return sock
    raise last


def _is_tls_error(exc: Exception) -> bool:
    import ssl

    return isinstance(exc, ssl.SSLError)


def _os_user() -> str:
    import pwd

    return pwd.getpwuid(os.geteuid()).pw_name


def _ssl_context(mode: str, rootcert: str) -> ssl.SSLContext:
    """libpq's checks: verify-ca and verify-full check the chain, verify-full the host name too;
    a root certificate file that exists (given, or ~/.postgresql/root.crt) is checked in any mode."""
    import ssl
    from pathlib import Path

    home = Path.home() / ".postgresql"
    if (home / "postgresql.crt").exists() or (home / "root.crl").exists():
        raise NotSupported("a client certificate or revocation list in ~/.postgresql")
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    if not rootcert and (home / "root.crt").exists():
        rootcert = str(home / "root.crt")
    if rootcert == "system":
        context.load_default_certs()
    elif rootcert and Path(rootcert).is_file():
        context.load_verify_locations(rootcert)
    elif rootcert or mode in ("verify-ca", "verify-full"):
        raise NotSupported("a root certificate that does not exist")  # psycopg reports it
    if rootcert:
        context.verify_mode = ssl.CERT_REQUIRED
        context.check_hostname = mode == "verify-full"
    return context
