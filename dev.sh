#!/usr/bin/env bash
# schemamend developer entry point.
#
#   ./dev.sh setup            create .venv (python3 >= 3.11) and install '.[test]' (skipped when
#                             pyproject.toml is unchanged since the last install)
#   ./dev.sh services         make sure PostgreSQL (127.0.0.1:5432) and MariaDB (127.0.0.1:3306)
#                             are running; start them if needed
#   ./dev.sh lint             ruff check, ruff format --check, mypy
#   ./dev.sh test [ARGS...]   setup, services, lint, then pytest ARGS
#   ./dev.sh demo [ARGS...]   setup, then .venv/bin/schemamend demo ARGS
#
# Environment:
#   PYTHON                    interpreter used to create .venv (default: python3)
#   SCHEMAMEND_SKIP_DB=1      do not check or start the database servers (DB tests then skip),
#                             ignored when SCHEMAMEND_REQUIRE_DB=1
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$ROOT"

VENV="$ROOT/.venv"
STAMP="$VENV/.schemamend-install-stamp"
PG_HOST=127.0.0.1
PG_PORT=5432
MY_HOST=127.0.0.1
MY_PORT=3306
WAIT_SECONDS=30

say() { printf 'dev.sh: %s\n' "$*" >&2; }
die() { printf 'schemamend tests: %s\n' "$*" >&2; exit 1; }

python_ok() {
    "$1" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null
}

cmd_setup() {
    local py="${PYTHON:-python3}"
    if [[ -x "$VENV/bin/python" ]] && ! python_ok "$VENV/bin/python"; then
        say "existing .venv uses Python < 3.11; recreating it"
        rm -rf "$VENV"
    fi
    if [[ ! -x "$VENV/bin/python" ]]; then
        command -v "$py" >/dev/null 2>&1 || die "$py not found; install Python >= 3.11 or set PYTHON"
        python_ok "$py" || die "$py is older than 3.11; set PYTHON to a Python >= 3.11"
        say "creating .venv with $("$py" --version 2>&1)"
        "$py" -m venv "$VENV"
        rm -f "$STAMP"
    fi
    local want have=""
    want="$(sha256sum pyproject.toml | cut -d' ' -f1)"
    [[ -f "$STAMP" ]] && have="$(cat "$STAMP")"
    if [[ "$want" != "$have" ]]; then
        say "installing schemamend[test] into .venv"
        "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip
        "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -e '.[test]'
        printf '%s\n' "$want" >"$STAMP"
    fi
    # An editable install leaves the package uncompiled, and where PYTHONDONTWRITEBYTECODE
    # is set (this workplace sets it) every command would compile it again at start-up.
    # Only changed files are compiled; stale bytecode is never used.
    "$VENV/bin/python" -m compileall -q src >/dev/null
}

skip_db() {
    [[ "${SCHEMAMEND_SKIP_DB:-0}" == "1" && "${SCHEMAMEND_REQUIRE_DB:-0}" != "1" ]]
}

pg_up() {
    pg_isready -q -h "$PG_HOST" -p "$PG_PORT" >/dev/null 2>&1
}

mysql_admin() {
    if command -v mariadb-admin >/dev/null 2>&1; then
        echo mariadb-admin
    elif command -v mysqladmin >/dev/null 2>&1; then
        echo mysqladmin
    fi
}

my_up() {
    local admin
    admin="$(mysql_admin)"
    [[ -n "$admin" ]] || return 1
    "$admin" --connect-timeout=2 -h "$MY_HOST" -P "$MY_PORT" -u root ping >/dev/null 2>&1
}

wait_for() {
    # wait_for NAME PROBE_FUNCTION
    local name="$1" probe="$2" i
    for ((i = 0; i < WAIT_SECONDS * 2; i++)); do
        "$probe" && return 0
        sleep 0.5
    done
    die "$name did not become ready within ${WAIT_SECONDS}s after starting it"
}

ensure_postgres() {
    if command -v pg_isready >/dev/null 2>&1 && pg_up; then
        return 0
    fi
    [[ -d /etc/postgresql ]] && [[ -n "$(ls /etc/postgresql 2>/dev/null)" ]] \
        || die "PostgreSQL is not installed (no /etc/postgresql); install postgresql or set SCHEMAMEND_SKIP_DB=1"
    command -v pg_ctlcluster >/dev/null 2>&1 \
        || die "PostgreSQL is not installed (no pg_ctlcluster); install postgresql or set SCHEMAMEND_SKIP_DB=1"
    command -v pg_isready >/dev/null 2>&1 \
        || die "PostgreSQL client tools are missing (no pg_isready); install postgresql-client or set SCHEMAMEND_SKIP_DB=1"
    local version
    version="$(ls /etc/postgresql | sort -V | tail -n 1)"
    say "starting PostgreSQL $version"
    # A non-zero exit may just mean "already running" (still starting up): wait either way.
    pg_ctlcluster --skip-systemctl-redirect "$version" main start \
        || say "pg_ctlcluster exited with status $?; waiting for the server anyway"
    wait_for "PostgreSQL at $PG_HOST:$PG_PORT (see /var/log/postgresql/)" pg_up
}

ensure_mariadb() {
    if my_up; then
        return 0
    fi
    [[ -x /usr/sbin/mariadbd ]] \
        || die "MariaDB is not installed (no /usr/sbin/mariadbd); install mariadb-server or set SCHEMAMEND_SKIP_DB=1"
    [[ -n "$(mysql_admin)" ]] \
        || die "MariaDB client tools are missing (no mariadb-admin/mysqladmin); install mariadb-client or set SCHEMAMEND_SKIP_DB=1"
    say "starting MariaDB"
    start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd \
        || die "could not start MariaDB (start-stop-daemon failed)"
    wait_for "MariaDB at $MY_HOST:$MY_PORT (see /var/log/mysql/ or the journal)" my_up
}

cmd_services() {
    if skip_db; then
        say "SCHEMAMEND_SKIP_DB=1: not checking database servers (database tests will be skipped)"
        return 0
    fi
    ensure_postgres
    ensure_mariadb
}

cmd_lint() {
    local rc=0
    local paths=(src tests)
    [[ -d bench ]] && paths+=(bench)
    [[ -d scripts ]] && paths+=(scripts)
    "$VENV/bin/ruff" check "${paths[@]}" || rc=1
    "$VENV/bin/ruff" format --check "${paths[@]}" || rc=1
    "$VENV/bin/mypy" || rc=1
    return "$rc"
}

# The real Prisma CLI used as a differential oracle lives in ../shared; its first call
# installs its npm packages (about two minutes). Install it before the tests so that
# no oracle test finds it missing; with SCHEMAMEND_REQUIRE_SHARED=1 a failed install fails.
cmd_oracle() {
    local shared="${SCHEMAMEND_SHARED:-$ROOT/../shared}"
    local oracle="$shared/tools/prisma-oracle/oracle.sh"
    [[ -f "$oracle" ]] || return 0
    if ! bash "$oracle" --version >/dev/null 2>"$VENV/.oracle-install.log"; then
        if [[ "${SCHEMAMEND_REQUIRE_SHARED:-}" == 1 ]]; then
            die "the Prisma oracle could not be installed (see $VENV/.oracle-install.log)"
        fi
        say "the Prisma oracle could not be installed; oracle tests will be skipped"
    fi
}

cmd_test() {
    cmd_setup
    cmd_services
    cmd_oracle
    local lint_rc=0 test_rc=0
    cmd_lint || lint_rc=$?
    "$VENV/bin/python" -m pytest "$@" || test_rc=$?
    if ((lint_rc != 0)); then
        say "lint failed (ruff/mypy output above)"
    fi
    if ((test_rc == 5)); then
        say "pytest collected no tests (exit 5)"
    fi
    if ((test_rc != 0)); then
        return "$test_rc"
    fi
    return "$lint_rc"
}

cmd_demo() {
    cmd_setup
    exec "$VENV/bin/schemamend" demo "$@"
}

usage() {
    awk 'NR > 1 && !/^#/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "$0"
}

main() {
    local cmd="${1:-}"
    [[ $# -gt 0 ]] && shift
    case "$cmd" in
        setup) cmd_setup ;;
        services) cmd_services ;;
        lint)
            cmd_setup
            cmd_lint
            ;;
        test) cmd_test "$@" ;;
        demo) cmd_demo "$@" ;;
        -h | --help | help) usage ;;
        *)
            usage >&2
            exit 2
            ;;
    esac
}

main "$@"
