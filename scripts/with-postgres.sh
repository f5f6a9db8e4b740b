#!/usr/bin/env bash
# Run a command against a throw-away PostgreSQL server: started on loopback only, stopped afterwards.
# Usage: scripts/with-postgres.sh COMMAND [ARGS...]   (DATABASE_URL is set for the command)
set -euo pipefail
pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -z "$pgbin" ]; then echo "PostgreSQL is not installed (scripts/system-packages.sh)" >&2; exit 1; fi
workdir=$(mktemp -d /tmp/shopops-pg.XXXXXX)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
if [ "$(id -u)" = 0 ]; then chown postgres "$workdir"; fi
as_pg "$pgbin/initdb" -D "$workdir/data" -U shopops --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
stop() { as_pg "$pgbin/pg_ctl" -D "$workdir/data" -m fast stop >/dev/null 2>&1 || true; rm -rf "$workdir"; }
trap stop EXIT
as_pg "$pgbin/pg_ctl" -D "$workdir/data" -w -l "$workdir/server.log" \
  -o "-c listen_addresses=127.0.0.1 -p $port -k $workdir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
  start >/dev/null
export DATABASE_URL="postgres://shopops@127.0.0.1:$port/postgres"
echo "PostgreSQL on 127.0.0.1:$port" >&2
"$@"
