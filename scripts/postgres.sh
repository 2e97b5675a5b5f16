#!/usr/bin/env bash
# Start a throwaway PostgreSQL cluster on 127.0.0.1 for the tests, and print its URL.
#
#   export IVR_TEST_POSTGRES_URL="$(scripts/postgres.sh)"   # start (or reuse) it
#   scripts/postgres.sh stop                                 # stop it
#
# Idempotent: a cluster already running in the directory is reused. Installs
# Debian's postgresql first when no server binaries are found (as root). The
# cluster trusts local connections and skips fsync: it is for tests only.
# IVR_PG_DIR (default /tmp/ivr-postgres) and IVR_PG_PORT (default 54329) move it.
set -euo pipefail

dir="${IVR_PG_DIR:-/tmp/ivr-postgres}"
port="${IVR_PG_PORT:-54329}"
url="postgresql://postgres@127.0.0.1:${port}/postgres"

say() { echo "postgres.sh: $*" >&2; }

find_bin() {
    local found
    found="$(command -v pg_ctl 2>/dev/null || true)"
    if [[ -z "$found" ]]; then
        found="$(ls -d /usr/lib/postgresql/*/bin/pg_ctl 2>/dev/null | sort -V | tail -n 1 || true)"
    fi
    [[ -n "$found" ]] && dirname "$(readlink -f "$found")"
}

bin="$(find_bin || true)"
if [[ -z "$bin" ]]; then
    if [[ "$(id -u)" != 0 ]]; then
        say "no PostgreSQL server found; install it (apt-get install postgresql) or run as root"
        exit 1
    fi
    say "installing Debian's postgresql"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq postgresql >&2
    bin="$(find_bin)"
fi

# As root, the server must run as the postgres user.
if [[ "$(id -u)" == 0 ]]; then
    id postgres >/dev/null 2>&1 || useradd --system --home-dir "$dir" postgres
    as_owner() { runuser -u postgres -- "$@"; }
    owner=postgres
else
    as_owner() { "$@"; }
    owner="$(id -un)"
fi

if [[ "${1:-start}" == stop ]]; then
    if [[ -f "$dir/PG_VERSION" ]] && as_owner "$bin/pg_ctl" -D "$dir" status >/dev/null 2>&1; then
        as_owner "$bin/pg_ctl" -D "$dir" -m fast -w stop >&2
    fi
    exit 0
fi

if [[ ! -f "$dir/PG_VERSION" ]]; then
    mkdir -p "$dir"
    chown "$owner" "$dir"
    chmod 700 "$dir"
    say "creating a cluster in $dir"
    as_owner "$bin/initdb" -D "$dir" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 \
        >/dev/null
fi

if ! as_owner "$bin/pg_ctl" -D "$dir" status >/dev/null 2>&1; then
    say "starting PostgreSQL on 127.0.0.1:$port"
    options="-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off"
    options+=" -c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
    if ! as_owner "$bin/pg_ctl" -D "$dir" -l "$dir/server.log" -o "$options" -w -t 60 start \
        >/dev/null; then
        say "PostgreSQL did not start; its log says:"
        tail -n 20 "$dir/server.log" >&2 || true
        exit 1
    fi
fi

for _ in $(seq 1 50); do
    if "$bin/pg_isready" -q -h 127.0.0.1 -p "$port"; then
        echo "$url"
        exit 0
    fi
    sleep 0.2
done
say "PostgreSQL is running but does not answer on 127.0.0.1:$port"
exit 1
