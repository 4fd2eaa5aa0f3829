#!/usr/bin/env bash
# A throwaway local PostgreSQL cluster built from the installed server binaries.
#   build/pg.sh start   start (initdb on first use), print the connection string on stdout
#   build/pg.sh stop    stop it
#   build/pg.sh status  print the connection string if running, exit 1 otherwise
#   build/pg.sh url     same as status
#   build/pg.sh db NAME start if needed, create database NAME if missing, print its connection string
# Data lives under .data/pg (git-ignored). As root the server runs as the `postgres` user.
# GD_PG_DATA overrides the data folder; GD_PG_PORT asks for a port (default: a free one).
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
cmd="${1:-start}"

find_bindir() {
  if [ -n "${GD_PG_BIN:-}" ] && [ -x "$GD_PG_BIN/pg_ctl" ]; then echo "$GD_PG_BIN"; return; fi
  local d
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    [ -x "$d/pg_ctl" ] && [ -x "$d/initdb" ] && { echo "$d"; return; }
  done
  if command -v pg_config >/dev/null 2>&1; then
    d="$(pg_config --bindir)"; [ -x "$d/pg_ctl" ] && { echo "$d"; return; }
  fi
  if command -v pg_ctl >/dev/null 2>&1; then dirname "$(command -v pg_ctl)"; return; fi
}

bindir="$(find_bindir || true)"
if [ -z "$bindir" ]; then
  if command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1; then
    echo "No PostgreSQL binaries here, but Docker answers: tests will use Testcontainers; for the service run 'docker compose -f ops/docker-compose.yml up'." >&2
  else
    echo "No PostgreSQL found: install it (Debian/Ubuntu: 'apt-get install -y postgresql') or Docker, or set GD_TEST_POSTGRES / ConnectionStrings__Marten." >&2
  fi
  exit 3
fi

as_root=false
[ "$(id -u)" = 0 ] && as_root=true
run_pg() { if $as_root; then runuser -u postgres -- "$@"; else "$@"; fi; }

data="${GD_PG_DATA:-$repo/.data/pg}"
# The postgres user must be able to reach the data folder; a repo under /root is not reachable.
if $as_root && [ -z "${GD_PG_DATA:-}" ] && ! runuser -u postgres -- test -x "$repo" 2>/dev/null; then
  data="${TMPDIR:-/tmp}/gd-pg-$(printf '%s' "$repo" | md5sum | cut -c1-10)"
fi
pgdata="$data/cluster"
portfile="$data/port"
sockdir="$data/run"

conn() { echo "Host=127.0.0.1;Port=$(cat "$portfile");Username=postgres;Password=postgres;Database=${1:-postgres}"; }
running() { [ -f "$portfile" ] && [ -f "$pgdata/postmaster.pid" ] && run_pg "$bindir/pg_ctl" -D "$pgdata" status >/dev/null 2>&1; }

free_port() {
  python3 - <<'PY'
import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()
PY
}

start() {
  mkdir -p "$data"
  if running; then conn; return; fi
  mkdir -p "$sockdir"
  if $as_root; then chown -R postgres:postgres "$data"; fi
  if [ ! -f "$pgdata/PG_VERSION" ]; then
    echo "initdb $pgdata" >&2
    run_pg "$bindir/initdb" -D "$pgdata" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
  fi
  local port="${GD_PG_PORT:-$(free_port)}"
  echo "$port" > "$portfile"
  if $as_root; then chown postgres:postgres "$portfile"; fi
  # Tuned for a throwaway test/dev cluster: enough connections for parallel test classes.
  run_pg "$bindir/pg_ctl" -D "$pgdata" -l "$data/server.log" -w -t 60 start \
    -o "-p $port -k $sockdir -c listen_addresses=127.0.0.1 -c max_connections=300 -c shared_buffers=256MB -c fsync=on" >/dev/null \
    || { echo "PostgreSQL did not start; see $data/server.log" >&2; tail -20 "$data/server.log" >&2; exit 1; }
  echo "PostgreSQL ($("$bindir/postgres" --version | awk '{print $3}')) running on 127.0.0.1:$port, data in $pgdata" >&2
  conn
}

stop() {
  if [ -f "$pgdata/postmaster.pid" ]; then
    run_pg "$bindir/pg_ctl" -D "$pgdata" -m fast -w stop >/dev/null && echo "PostgreSQL stopped" >&2
  else
    echo "PostgreSQL not running" >&2
  fi
}

case "$cmd" in
  start) start ;;
  stop) stop ;;
  db)
    name="${2:?usage: $0 db NAME}"
    start >/dev/null
    exists=$("$bindir/psql" -h 127.0.0.1 -p "$(cat "$portfile")" -U postgres -d postgres -tAc "select 1 from pg_database where datname = '$name'")
    if [ "$exists" != 1 ]; then
      "$bindir/psql" -h 127.0.0.1 -p "$(cat "$portfile")" -U postgres -d postgres -qc "create database \"$name\"" >/dev/null
      echo "created database $name" >&2
    fi
    conn "$name" ;;
  status|url) if running; then conn; else echo "PostgreSQL not running" >&2; exit 1; fi ;;
  *) echo "usage: $0 start|stop|status|url" >&2; exit 2 ;;
esac
