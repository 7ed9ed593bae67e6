"""Our PostgreSQL wire client (`schemamend.db.pg_wire`) against psycopg, on real servers.

Introspection by URL reads through `connect(url, read_only=True)`, which speaks
the protocol itself instead of importing psycopg (~100 ms). These tests hold it
to psycopg's behaviour: the same rows for every catalog query, the same errors,
and a move to psycopg for whatever it does not cover.

The shared server trusts every local connection and has TLS off, so password
authentication, TLS and Unix sockets are tested on a private server this module
starts (initdb + pg_ctl, skipped where they are missing).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from schemamend.commands.render import render_from_empty
from schemamend.db import (
    AuthenticationFailed,
    Connection,
    DatabaseMissing,
    DatabaseUnreachable,
    StatementFailed,
    connect,
    parse_url,
)
from schemamend.db.postgres import PostgresConnection, PostgresReader
from schemamend.dialects.postgres import introspect as pg_introspect
from schemamend.introspect import introspect
from tests.integration.test_introspect_postgres import WIDE_SCHEMA, apply_script, schemas_for

pytestmark = pytest.mark.postgres

CATALOG_QUERIES = sorted(p.stem for p in Path(pg_introspect._SQL_DIR).glob("*.sql"))


def catalog_params(name: str, namespaces: list[str]) -> tuple[object, ...]:
    """The parameters `read_schema` passes to each catalog query."""
    text = pg_introspect.catalog_query(name)
    return (namespaces,) * text.count("%s")


def typed(rows: list[Any]) -> list[Any]:
    """Rows with each value's type beside it: 1 and True, or [1] and (1,), must not pass as equal."""

    def mark(value: Any) -> Any:
        if isinstance(value, list):
            return ("list", [mark(v) for v in value])
        return (type(value).__name__, value)

    return [tuple(mark(v) for v in row) for row in rows]


def reader(url: str) -> PostgresReader:
    conn = connect(parse_url(url), read_only=True)
    assert isinstance(conn, PostgresReader) and not conn.uses_psycopg
    return conn


def one_line(text: str) -> str:
    return " ".join(text.split())


# ── the same rows as psycopg ────────────────────────────────────────────────


def assert_catalog_reads_alike(url: str) -> None:
    with reader(url) as wire, connect(parse_url(url)) as psy:
        assert isinstance(psy, PostgresConnection) and not isinstance(psy, PostgresReader)
        for namespaces in (["public"], ["public", "other", "pg_catalog"]):
            for name in CATALOG_QUERIES:
                sql, params = pg_introspect.catalog_query(name), catalog_params(name, namespaces)
                ours, theirs = wire.query(sql, params), psy.query(sql, params)
                assert typed(ours) == typed(theirs), (url, name, namespaces)
        assert introspect(wire) == introspect(psy)
        assert not wire.uses_psycopg  # every catalog query ran on the wire client


@pytest.mark.shared
def test_every_catalog_query_returns_psycopgs_rows_on_every_corpus_database(
    shared_dir: Path, pg_server: Any
) -> None:
    schemas = schemas_for(shared_dir, "postgresql")
    assert len(schemas) >= 10
    for _path, datamodel in schemas:
        with pg_server.throwaway() as url:
            with connect(parse_url(url)) as conn:
                apply_script(conn, render_from_empty(datamodel, "postgresql"))
            assert_catalog_reads_alike(url)


def test_catalog_queries_return_psycopgs_rows_for_every_native_type_view_and_outside_key(
    pg_url: str,
) -> None:
    from schemamend.psl import check_text

    datamodel = check_text(WIDE_SCHEMA).require()
    with connect(parse_url(pg_url)) as conn:
        apply_script(conn, render_from_empty(datamodel, "postgresql"))
        conn.execute(
            'CREATE SCHEMA other; CREATE TABLE other.t (id int PRIMARY KEY, "we""ird, name" text);'
            "CREATE TABLE public.refs (id int PRIMARY KEY, t_id int REFERENCES other.t (id));"
            "CREATE INDEX refs_expr ON public.refs ((t_id + 1)) WHERE id > 0;"
            "CREATE VIEW public.v AS SELECT id FROM public.refs; ANALYZE"
        )
    assert_catalog_reads_alike(pg_url)


def test_values_of_every_converted_type_equal_psycopgs(pg_url: str) -> None:
    sql = (
        "SELECT true, false, NULL::bool, 1::int2, -2::int4, 9007199254740993::int8, 26::oid,"
        " 1.5::float4, 'NaN'::float8, '-Infinity'::float8, 'x'::\"char\", 'nm'::name,"
        " 'tëxt ✓'::text, 'v'::varchar(3), 'c'::char(3), '1 2'::int2vector, '3 4'::oidvector,"
        " '{t,NULL}'::bool[], '{1,2}'::int2[], '{{1,2},{3,4}}'::int4[], '{5}'::int8[],"
        ' \'{7}\'::oid[], \'{1.5,NaN}\'::float8[], \'{a,"b c",NULL,"NULL","","q\\"\\\\"}\'::text[],'
        " '{n}'::name[], '{x}'::\"char\"[], '{v}'::varchar[], '[0:1]={5,6}'::int2[], '{}'::text[],"
        " 'unknown literal', '2026-11-25 12:00:00.5+05:30'::timestamptz,"
        " '2026-11-25 12:00:00'::timestamp, NULL::timestamptz"
    )
    with reader(pg_url) as wire, connect(parse_url(pg_url)) as psy:
        ours, theirs = wire.query(sql), psy.query(sql)
        assert typed(ours)[0][:8] == typed(theirs)[0][:8]
        assert str(typed(ours)) == str(typed(theirs))  # NaN != NaN, its text is equal
        assert not wire.uses_psycopg


def test_parameters_reach_the_server_as_psycopg_sends_them(pg_url: str) -> None:
    names = ["plain", 'we"ird', "back\\slash", "a,b", "NULL", "", "{brace}", "ünï"]
    sql = "SELECT %s::text[], %s::int, %s::bool, %s::text, %s::float8, %s::text IS NULL, '100%%'"
    params = (names, 42, True, "it's", 0.25, None)
    with reader(pg_url) as wire, connect(parse_url(pg_url)) as psy:
        assert typed(wire.query(sql, params)) == typed(psy.query(sql, params))
        assert not wire.uses_psycopg


def test_a_result_type_it_does_not_convert_is_read_again_through_psycopg(pg_url: str) -> None:
    sql = "SELECT 1.50::numeric, '{\"a\": 1}'::jsonb, current_setting('timezone')"
    with reader(pg_url) as wire, connect(parse_url(pg_url)) as psy:
        wire.execute("SET timezone TO 'Asia/Kolkata'")
        psy.execute("SET timezone TO 'Asia/Kolkata'")
        assert wire.query(sql) == psy.query(sql)
        assert wire.uses_psycopg
        # the session moved with its settings: the URL's schema, the time zone set above
        assert wire.query("SELECT current_schema()") == [("public",)]


TIMESTAMPS = [
    "2026-11-25 12:00:00.5+05:30",
    "1999-12-31 23:59:59.999999-08",
    "0044-03-15 12:00:00+00",  # local mean time before time zones
    "0001-01-01 00:00:00+00",  # before year 1 in zones west of Greenwich
    "9999-12-31 23:00:00+00",  # past year 9999 in zones east of it
    "infinity",
    "0010-01-01 BC",
]


@pytest.mark.parametrize("zone", ["Etc/UTC", "Asia/Kolkata", "America/New_York", "+02:30"])
def test_timestamps_read_as_psycopg_reads_them_in_every_session_time_zone(
    pg_url: str, zone: str
) -> None:
    # psycopg returns timestamptz in the session's zone, and refuses what datetime cannot
    # hold; the wire client converts what it can and leaves the rest to psycopg.
    sql = "SELECT %s::timestamptz, %s::timestamp"
    for value in TIMESTAMPS:
        outcomes = []
        for read_only in (True, False):
            with connect(parse_url(pg_url), read_only=read_only) as conn:
                conn.execute(f"SET timezone TO '{zone}'")
                try:
                    outcomes.append(repr(conn.query(sql, (value, value))))
                except StatementFailed as exc:
                    outcomes.append(exc.message)
        assert outcomes[0] == outcomes[1], value


def test_introspection_by_url_imports_neither_psycopg_nor_the_socket_module(pg_url: str) -> None:
    code = (
        "import sys\n"
        "from schemamend.introspect import introspect\n"
        f"schema = introspect({pg_url!r})\n"
        "assert 'psycopg' not in sys.modules, 'psycopg was imported'\n"
        "assert 'socket' not in sys.modules, 'socket was imported'  # _socket is enough\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)


def test_commands_and_transactions_keep_the_session_usable(pg_url: str) -> None:
    with reader(pg_url) as wire:
        assert wire.query("SELECT 1; SELECT 2") == [(1,)]  # psycopg returns the first result
        assert not wire.in_transaction()
        with wire.transaction():
            assert wire.in_transaction()
            assert wire.query("SELECT 3") == [(3,)]
        assert not wire.in_transaction()
        wire.execute("SET application_name TO 'x'")
        assert wire.query("") == []


def test_a_batch_returns_each_querys_rows_as_one_by_one(pg_url: str) -> None:
    statements = [
        (pg_introspect.catalog_query(name), catalog_params(name, ["public"]))
        for name in CATALOG_QUERIES
    ]
    statements.append(("SELECT %s::int + 1, 'x'", (41,)))
    statements.append(("SELECT 1 WHERE false", ()))
    with reader(pg_url) as wire, connect(parse_url(pg_url)) as psy:
        batched = wire.query_batch(statements)
        assert [typed(rows) for rows in batched] == [
            typed(psy.query(sql, params)) for sql, params in statements
        ]
        assert batched[-2:] == [[(42, "x")], []]
        assert wire.query_batch([]) == []
        assert not wire.uses_psycopg


def test_a_failing_batch_raises_as_one_by_one_and_the_session_goes_on(pg_url: str) -> None:
    statements = [("SELECT 1", ()), ("SELECT nope FROM pg_class", ()), ("SELECT 3", ())]
    errors = []
    for conn in (reader(pg_url), connect(parse_url(pg_url))):
        with conn:
            with pytest.raises(StatementFailed) as failed:
                conn.query_batch(statements)
            errors.append((failed.value.db_code, failed.value.message))
            assert conn.query_batch([("SELECT 4", ())]) == [[(4,)]]
    assert errors[0] == errors[1] and errors[0][0] == "42703"


def test_a_batch_with_a_type_it_does_not_convert_is_read_again_through_psycopg(
    pg_url: str,
) -> None:
    statements = [("SELECT 1", ()), ("SELECT 1.50::numeric", ()), ("SELECT 'a'", ())]
    with reader(pg_url) as wire, connect(parse_url(pg_url)) as psy:
        assert wire.query_batch(statements) == psy.query_batch(statements)
        assert wire.uses_psycopg


# ── the same errors as psycopg ──────────────────────────────────────────────


def test_bad_sql_raises_statement_failed_as_psycopg_does(pg_url: str) -> None:
    errors = []
    for conn in (reader(pg_url), connect(parse_url(pg_url))):
        with conn:
            with pytest.raises(StatementFailed) as failed:
                conn.query("SELECT nope FROM pg_class WHERE relname = %s", ("x",))
            errors.append((failed.value.db_code, failed.value.message))
            assert conn.query("SELECT 1") == [(1,)]  # the session goes on
    assert errors[0] == errors[1]
    assert errors[0][0] == "42703" and 'column "nope" does not exist' in errors[0][1]


def test_a_missing_database_raises_database_missing_as_psycopg_does(pg_server: Any) -> None:
    pg_server.require()
    url = parse_url(pg_server.url("sm_no_such_database"))
    messages = []
    for read_only in (True, False):
        with pytest.raises(DatabaseMissing) as missing:
            connect(url, read_only=read_only)
        messages.append(missing.value.message)
    assert messages[0] == messages[1]


def test_an_unknown_role_and_a_closed_port_fail_as_with_psycopg(pg_server: Any) -> None:
    pg_server.require()
    for raw in (
        f"postgresql://sm_no_such_role@{pg_server.host}:{pg_server.port}/postgres",
        f"postgresql://postgres@{pg_server.host}:1/postgres",
    ):
        url = parse_url(raw)
        failures = []
        for read_only in (True, False):
            with pytest.raises(DatabaseUnreachable) as failed:
                connect(url, read_only=read_only, connect_timeout=2)
            failures.append(one_line(failed.value.message))
        ours, theirs = failures
        libpq_part = ours.split(": ", 1)[1]  # psycopg adds its own "connection failed: "
        assert libpq_part in theirs, (ours, theirs)


def test_tls_off_on_the_server(pg_server: Any) -> None:
    pg_server.require()
    with reader(pg_server.url("postgres")) as conn:
        if conn.query("SHOW ssl") != [("off",)]:
            pytest.skip("the shared server has TLS on; the private server tests cover it")
    base = f"postgresql://postgres@{pg_server.host}:{pg_server.port}/postgres"
    with reader(base + "?sslmode=prefer") as conn:  # prefer: on in clear
        assert conn.query("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()") == [(False,)]
    failures = []
    for read_only in (True, False):
        with pytest.raises(DatabaseUnreachable) as failed:
            connect(parse_url(base + "?sslmode=require"), read_only=read_only)
        failures.append(one_line(failed.value.message))
    assert "server does not support SSL, but SSL was required" in failures[0]
    assert failures[0].split(": ", 1)[1] in failures[1]


def test_settings_it_does_not_cover_open_psycopg(pg_server: Any, monkeypatch: Any) -> None:
    pg_server.require()
    base = f"postgresql://postgres@{pg_server.host}:{pg_server.port}/postgres"
    client_cert = parse_url(base + "?sslcert=/nonexistent.crt&sslmode=disable")
    with connect(client_cert, read_only=True) as conn:
        assert not isinstance(conn, PostgresReader)  # a plain psycopg connection
        assert conn.query("SELECT 1") == [(1,)]
    monkeypatch.setenv("PGAPPNAME", "from-the-environment")  # libpq reads it, we do not
    with connect(parse_url(base), read_only=True) as conn:
        assert not isinstance(conn, PostgresReader)
        assert conn.query("SELECT current_setting('application_name')") == [
            ("from-the-environment",)
        ]


def test_application_name_and_options_reach_the_server(pg_server: Any) -> None:
    pg_server.require()
    url = (
        f"postgresql://postgres@{pg_server.host}:{pg_server.port}/postgres"
        "?application_name=sm-wire&options=-c%20statement_timeout%3D1234"
    )
    with reader(url) as conn:
        assert conn.query(
            "SELECT current_setting('application_name'), current_setting('statement_timeout')"
        ) == [("sm-wire", "1234ms")]


# ── a private server: passwords, TLS, Unix socket ───────────────────────────

PASSWORD = "s3cret-'pw\"%"


@dataclass
class PrivateServer:
    port: int
    socket_dir: Path
    cert: Path

    def url(
        self, user: str, password: str | None = PASSWORD, host: str = "127.0.0.1", query: str = ""
    ) -> str:
        from urllib.parse import quote

        auth = user if password is None else f"{user}:{quote(password, safe='')}"
        return f"postgresql://{auth}@{host}:{self.port}/postgres{query}"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def private_pg() -> Iterator[PrivateServer]:
    """A PostgreSQL server of our own: TLS on, password methods per role, a Unix socket."""
    bindir = Path(shutil.which("initdb") or "/nonexistent").resolve().parent
    if not (bindir / "pg_ctl").exists() or shutil.which("openssl") is None:
        pytest.skip("initdb, pg_ctl and openssl are needed for the private server")
    as_postgres: list[str] = []
    # Not under pytest's temporary folder: its parents are private to this user, and the
    # server runs as `postgres` when the tests run as root.
    root = Path(tempfile.mkdtemp(prefix="sm_private_pg_"))
    if os.geteuid() == 0:  # initdb refuses to run as root
        if shutil.which("runuser") is None:
            pytest.skip("running as root without runuser")
        as_postgres = ["runuser", "-u", "postgres", "--"]
        os.chmod(root, 0o777)
    data, sock = root / "data", root / "sock"
    sock.mkdir()
    os.chmod(sock, 0o777)
    (root / "pw").write_text(PASSWORD + "\n")
    os.chmod(root / "pw", 0o644)

    def run(*args: str) -> None:
        subprocess.run([*as_postgres, *args], check=True, capture_output=True, cwd=root)

    port = _free_port()
    options = (
        f"-p {port} -k {sock} -c listen_addresses=127.0.0.1 -c ssl=on "
        "-c ssl_cert_file=server.crt -c ssl_key_file=server.key"
    )
    try:
        run(str(bindir / "initdb"), "-D", str(data), "-U", "postgres", "--pwfile", str(root / "pw"),
            "--auth=scram-sha-256", "-E", "UTF8", "--no-instructions")  # fmt: skip
        run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
            "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost",
            "-keyout", str(data / "server.key"), "-out", str(data / "server.crt"))  # fmt: skip
        (data / "pg_hba.conf").write_text(
            "local all all scram-sha-256\n"
            "hostssl all sm_clear_only 127.0.0.1/32 reject\n"
            "hostnossl all sm_tls_only 127.0.0.1/32 reject\n"
            "host all sm_md5 127.0.0.1/32 md5\n"
            "host all sm_cleartext 127.0.0.1/32 password\n"
            "host all all 127.0.0.1/32 scram-sha-256\n"
        )
        run(str(bindir / "pg_ctl"), "-D", str(data), "-l", str(root / "log"), "-w", "-t", "30",
            "-o", options, "start")  # fmt: skip
    except (subprocess.CalledProcessError, OSError) as exc:
        shutil.rmtree(root, ignore_errors=True)
        pytest.skip(f"the private server could not be made: {exc}")
    server = PrivateServer(port, sock, data / "server.crt")
    try:
        with connect(parse_url(server.url("postgres"))) as admin:
            for role, encryption in (
                ("sm_md5", "md5"),
                ("sm_cleartext", "scram-sha-256"),
                ("sm_scram", "scram-sha-256"),
                ("sm_clear_only", "scram-sha-256"),
                ("sm_tls_only", "scram-sha-256"),
            ):
                admin.execute(f"SET password_encryption = '{encryption}'")
                literal = "'" + PASSWORD.replace("'", "''") + "'"  # no parameters in CREATE ROLE
                admin.execute(f"CREATE ROLE {role} LOGIN PASSWORD {literal}")
        yield server
    finally:
        run(str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop")
        shutil.rmtree(root, ignore_errors=True)


def session_facts(conn: Connection) -> tuple[Any, ...]:
    rows = conn.query("SELECT current_user, ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")
    return rows[0]


@pytest.mark.parametrize("role", ["sm_scram", "sm_md5", "sm_cleartext", "postgres"])
def test_each_password_method_authenticates_as_with_psycopg(
    private_pg: PrivateServer, role: str
) -> None:
    url = private_pg.url(role, query="?sslmode=disable")
    with reader(url) as wire, connect(parse_url(url)) as psy:
        assert session_facts(wire) == session_facts(psy) == (role, False)
        assert not wire.uses_psycopg


@pytest.mark.parametrize("role", ["sm_scram", "sm_md5", "sm_cleartext"])
def test_a_wrong_password_fails_as_with_psycopg_and_is_never_shown(
    private_pg: PrivateServer, role: str
) -> None:
    wrong = "not-the-pw-1234"
    messages = []
    for read_only in (True, False):
        with pytest.raises(AuthenticationFailed) as failed:
            connect(parse_url(private_pg.url(role, wrong)), read_only=read_only)
        messages.append(str(failed.value))
        assert wrong not in str(failed.value) and PASSWORD not in str(failed.value)
    assert messages[0] == messages[1]


def test_no_password_where_one_is_asked_for_is_left_to_psycopg(private_pg: PrivateServer) -> None:
    # libpq would look in ~/.pgpass: the wire client steps aside and psycopg decides.
    messages = []
    for read_only in (True, False):
        with pytest.raises(AuthenticationFailed) as failed:
            connect(parse_url(private_pg.url("sm_scram", None)), read_only=read_only)
        messages.append(str(failed.value))
    assert messages[0] == messages[1]


@pytest.mark.parametrize("mode", ["prefer", "require"])
def test_tls_is_used_when_the_server_offers_it(private_pg: PrivateServer, mode: str) -> None:
    url = private_pg.url("sm_scram", query=f"?sslmode={mode}")
    with reader(url) as wire, connect(parse_url(url)) as psy:
        assert session_facts(wire) == session_facts(psy) == ("sm_scram", True)


def test_verify_full_checks_the_certificate_and_the_host_name(private_pg: PrivateServer) -> None:
    query = f"?sslmode=verify-full&sslrootcert={private_pg.cert}"
    url = private_pg.url("sm_scram", host="localhost", query=query)
    with reader(url) as wire:
        assert session_facts(wire) == ("sm_scram", True)
    # 127.0.0.1 is not a name the certificate (DNS:localhost) carries: both clients refuse
    wrong_host = parse_url(private_pg.url("sm_scram", host="127.0.0.1", query=query))
    for read_only in (True, False):
        with pytest.raises(DatabaseUnreachable):
            connect(wrong_host, read_only=read_only)
    verify_ca = private_pg.url(
        "sm_scram", query=f"?sslmode=verify-ca&sslrootcert={private_pg.cert}"
    )
    with reader(verify_ca) as wire:
        assert session_facts(wire) == ("sm_scram", True)


def test_verify_ca_refuses_a_certificate_from_another_authority(
    private_pg: PrivateServer, tmp_path: Path
) -> None:
    other = tmp_path / "other.crt"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=other", "-keyout", str(tmp_path / "other.key"), "-out", str(other)],
        check=True, capture_output=True,
    )  # fmt: skip
    url = parse_url(private_pg.url("sm_scram", query=f"?sslmode=verify-ca&sslrootcert={other}"))
    for read_only in (True, False):
        with pytest.raises(DatabaseUnreachable, match="certificate verify failed"):
            connect(url, read_only=read_only)


def test_prefer_retries_in_clear_and_allow_retries_with_tls_as_libpq_does(
    private_pg: PrivateServer,
) -> None:
    # sm_clear_only is refused over TLS, sm_tls_only without it.
    for role, mode, tls in (("sm_clear_only", "prefer", False), ("sm_tls_only", "allow", True)):
        url = private_pg.url(role, query=f"?sslmode={mode}")
        with reader(url) as wire, connect(parse_url(url)) as psy:
            assert session_facts(wire) == session_facts(psy) == (role, tls)
    for role, mode in (("sm_clear_only", "require"), ("sm_tls_only", "disable")):
        url = parse_url(private_pg.url(role, query=f"?sslmode={mode}"))
        for read_only in (True, False):
            with pytest.raises(DatabaseUnreachable, match="pg_hba.conf"):
                connect(url, read_only=read_only)


def test_unix_socket_from_the_host_parameter(private_pg: PrivateServer) -> None:
    url = private_pg.url("sm_scram", host="localhost", query=f"?host={private_pg.socket_dir}")
    with reader(url) as wire, connect(parse_url(url)) as psy:
        query = "SELECT current_user, inet_server_addr() IS NULL"  # NULL over a Unix socket
        assert wire.query(query) == psy.query(query) == [("sm_scram", True)]


def test_introspection_by_url_through_scram_and_tls(private_pg: PrivateServer) -> None:
    url = private_pg.url("postgres", query="?sslmode=require")
    with connect(parse_url(url)) as conn:
        conn.execute("DROP TABLE IF EXISTS t; CREATE TABLE t (id int PRIMARY KEY, name text)")
    with reader(url) as wire, connect(parse_url(url)) as psy:
        assert introspect(wire) == introspect(psy)
        assert [t.name for t in introspect(wire).tables] == ["t"]


# ── the other read-only paths: migrate status, doctor ──────────────────────


def test_history_records_read_alike_without_leaving_the_wire_client(pg_url: str) -> None:
    from datetime import UTC, datetime

    from schemamend.migrate.history import History

    with connect(parse_url(pg_url)) as psy:
        history = History(psy)
        history.create()
        started = datetime(2026, 11, 25, 12, 0, 0, 123456, tzinfo=UTC)
        history.record_applied("20261125_init", "a" * 64, started)
        history.record_failed("20261126_fail", "b" * 64, started, "ERROR: boom")
        expected = history.records()
    with reader(pg_url) as wire:
        assert History(wire).records() == expected
        assert not wire.uses_psycopg
