#!/usr/bin/env bash
# Start a throw-away PostgreSQL server on loopback for the test suite.
#
# Source it: it exports EPIC_TEST_POSTGRES_URL and defines stop_postgres.
# PostgreSQL refuses to run as root, so the server runs as the
# "postgres" system user in a temporary folder of its own.
set -euo pipefail

if ! compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi
pg_bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
id postgres >/dev/null 2>&1 || useradd --system --home-dir /nonexistent postgres

pg_dir="$(mktemp -d /tmp/epic-pg.XXXXXX)"
chown postgres "$pg_dir"
# A free port on loopback, so a server already running elsewhere is no clash.
pg_port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
as_postgres() { runuser -u postgres -- "$@"; }

as_postgres "$pg_bin/initdb" -D "$pg_dir/data" -U postgres --auth=trust \
  -E UTF8 --locale=C.UTF-8 >/dev/null
as_postgres "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/server.log" -w \
  -o "-c listen_addresses=127.0.0.1 -p $pg_port -k $pg_dir -c fsync=off" start >/dev/null

export EPIC_TEST_POSTGRES_URL="postgresql+psycopg://postgres@127.0.0.1:$pg_port/postgres"

stop_postgres() {
  as_postgres "$pg_bin/pg_ctl" -D "$pg_dir/data" -m fast stop >/dev/null || true
  rm -rf "$pg_dir"
}
