#!/usr/bin/env bash
# Benchmarks: our command and read paths against PostgreSQL's own ceiling on this machine.
#   build/bench.sh            full run (1,000 then 100,000 measures; ~20 min on 2 cores)
#   BENCH_QUICK=1 build/bench.sh   smaller and shorter (a smoke run of the whole pipeline)
# Starts its own PostgreSQL cluster (.data/bench-pg) and the service in Release mode on loopback,
# loads data, runs each workload with wrk/hey (installed from Debian packages if missing),
# measures the pgbench ceiling at the same client counts, and writes .data/bench/report.md and
# .data/bench/results.json. Every request goes to 127.0.0.1; every load is bounded in time.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
cd "$repo"
bench="$repo/build/bench"
out="$repo/.data/bench"
quick="${BENCH_QUICK:-0}"
duration="${BENCH_DURATION:-$([ "$quick" = 1 ] && echo 5 || echo 20)}"
small="${BENCH_SMALL:-1000}"
large="${BENCH_LARGE:-$([ "$quick" = 1 ] && echo 5000 || echo 100000)}"
long_events="${BENCH_LONG_EVENTS:-10000}"
mkdir -p "$out"
rm -f "$out"/*.json "$out"/*.txt "$out"/report.md
log() { echo "[bench $(date +%H:%M:%S)] $*" >&2; }

# --- tools -------------------------------------------------------------------
need=()
command -v wrk >/dev/null || need+=(wrk)
command -v hey >/dev/null || need+=(hey)
command -v pgbench >/dev/null || need+=(postgresql-contrib)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    log "installing ${need[*]}"
    apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  else
    echo "Install ${need[*]} (Debian: apt-get install ${need[*]})" >&2; exit 3
  fi
fi

# --- PostgreSQL (own cluster, own port) ----------------------------------------
export GD_PG_DATA="$repo/.data/bench-pg"
pg="build/pg.sh"
GD_PG_DATA="$GD_PG_DATA" $pg stop >/dev/null 2>&1 || true
admin="$($pg start)"
pgport=$(echo "$admin" | sed -E 's/.*Port=([0-9]+).*/\1/')
psqlc() { psql -X -q -h 127.0.0.1 -p "$pgport" -U postgres "$@"; }
psqlc -d postgres -c "drop database if exists gd_bench with (force)" -c "create database gd_bench" >/dev/null
psqlc -d postgres -c "drop database if exists gd_ceiling with (force)" -c "create database gd_ceiling" >/dev/null
cs="Host=127.0.0.1;Port=$pgport;Username=postgres;Password=postgres;Database=gd_bench;Maximum Pool Size=100"
export ConnectionStrings__Marten="$cs"

# --- build --------------------------------------------------------------------
log "building Release"
dotnet build GemeinsamDigital.sln -c Release -nologo -v quiet >/dev/null
dll="$repo/src/GemeinsamDigital.Api/bin/Release/net10.0/GemeinsamDigital.Api.dll"
loader="$repo/tests/GemeinsamDigital.Benchmarks/bin/Release/net10.0/GemeinsamDigital.Benchmarks.dll"

# --- service -------------------------------------------------------------------
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port"
export ASPNETCORE_ENVIRONMENT=Production Demo__Seed=false
# One client sends the whole load here; lift the per-client rate limit (it is tested elsewhere).
export Limits__RateLimit__PermitLimit=100000000 Limits__RateLimit__AnonymousPermitLimit=100000000
svc_pid=""
# Starts the service (not in a subshell: svc_pid must stay set) and leaves the milliseconds
# from process start to a ready answer in $ready_ms.
ready_ms=0
start_service() {
  local t0; t0=$(date +%s%N)
  # Content root = the build output, so appsettings.json (log levels) applies as in production.
  dotnet "$dll" --urls "$base" --contentRoot "$(dirname "$dll")" >> "$out/service.log" 2>&1 &
  svc_pid=$!
  for _ in $(seq 1 1200); do
    if curl -fs "$base/health/ready" >/dev/null 2>&1; then
      ready_ms=$(( ($(date +%s%N) - t0) / 1000000 )); return 0
    fi
    kill -0 "$svc_pid" 2>/dev/null || break
    sleep 0.02
  done
  echo "service did not become ready; see $out/service.log" >&2; exit 1
}
stop_service() { [ -n "$svc_pid" ] && kill "$svc_pid" 2>/dev/null && wait "$svc_pid" 2>/dev/null || true; svc_pid=""; }
rss_mb() { awk '/VmHWM/ {printf "%.0f", $2/1024}' "/proc/$svc_pid/status" 2>/dev/null || echo 0; }
cleanup() { stop_service; GD_PG_DATA="$GD_PG_DATA" $pg stop >/dev/null 2>&1 || true; }
trap cleanup EXIT

log "first start (applies the schema)"
start_service
key="$(dotnet "$dll" apikey create --name bench --administration skzl --role strategy-office | tail -1)"
export GD_BENCH_KEY="$key" GD_BENCH_DIR="$bench"

record() { echo "$2" > "$out/$1.json"; }
wrk_run() { # name connections script [extra env...]
  local name=$1 c=$2 script=$3
  local line; line=$(wrk -t"$(( c < 2 ? 1 : 2 ))" -c"$c" -d"${duration}s" --timeout 10s -s "$script" "$base" | grep '^WRK_JSON' | sed 's/^WRK_JSON //')
  record "$name" "$line"; echo "$line"
}
ceiling_append() { # name clients
  local name=$1 c=$2
  pgbench -h 127.0.0.1 -p "$pgport" -U postgres -n -c "$c" -j "$(( c < 2 ? 1 : 2 ))" -T "$duration" -D streams="$small" \
    -f "$bench/ceiling-append.sql" gd_ceiling > "$out/$name.txt" 2>&1
  python3 "$bench/parse_pgbench.py" "$out/$name.txt" > "$out/$name.json"; cat "$out/$name.json"
}

# Workload 2: 250 measure + 250 dashboard reads per second while commands run alongside, either
# paced (2 connections, each waiting $pace_ms before its next command: a steady, busy office) or
# saturating (4 connections as fast as the machine allows: reads then compete for the 2 cores).
pace_ms="${BENCH_PACE_MS:-15}"
# Reads come from 25 connections per kind, each waiting a random (exponential) gap before its next
# request: 250/s per kind from independent clients, not hey's lock-step bursts of one per worker.
read_connections=25
read_gap_ms=$(( read_connections * 1000 / 250 - 2 ))  # minus ~2 ms answer time, so ~250/s arrive
paced_reads() { # name read
  GD_BENCH_READ="$2" GD_BENCH_GAP_MS="$read_gap_ms" GD_BENCH_IDS="$out/ids-$label.txt" \
    wrk -t1 -c"$read_connections" -d"${duration}s" --timeout 10s -s "$bench/wrk-reads.lua" "$base" \
    | grep '^WRK_JSON' | sed 's/^WRK_JSON //' > "$out/$1.json"
}
reads_with_commands() { # label variant connections pace_ms
  local label=$1 variant=$2 c=$3 pace=$4
  GD_BENCH_PACE_MS="$pace" GD_BENCH_IDS="$out/ids-$label.txt" wrk -t1 -c"$c" -d"$((duration + 2))s" --timeout 10s -s "$bench/wrk-commands.lua" "$base" \
    | grep '^WRK_JSON' | sed 's/^WRK_JSON //' > "$out/w2-$label-$variant-commands.json" &
  local bg=$!
  sleep 1
  label=$label paced_reads "w2-$label-$variant-measure" measure &
  local reads=$!
  label=$label paced_reads "w2-$label-$variant-dashboard" /api/dashboard/portfolio
  wait "$reads" "$bg"
}

# Each workload starts once the async daemon has projected every event of the one before: the
# monitoring projection trails a saturating command run by tens of thousands of events, and its
# catch-up would otherwise be measured as part of the next workload.
caught_up() { dotnet "$loader" wait-projections > /dev/null; }

run_scale() { # label measures
  local label=$1 n=$2
  # Warm-up (not measured): Wolverine's first compilation of each endpoint, the connection pool,
  # and .NET's tiered JIT, which keeps recompiling hot methods for about a minute under load
  # (perf showed 11% of the service's CPU in the JIT after 10 s, 2% after 60 s).
  local warm="${BENCH_WARMUP:-$([ "$quick" = 1 ] && echo 5 || echo 30)}"
  local first; first=$(head -1 "$out/ids-$label.txt")
  GD_BENCH_IDS="$out/ids-$label.txt" wrk -t2 -c8 -d"${warm}s" -s "$bench/wrk-commands.lua" "$base" >/dev/null &
  local warm_commands=$!
  hey -z "${warm}s" -c 2 -q 50 -H "X-Api-Key: $key" "$base/api/dashboard/portfolio" >/dev/null &
  local warm_dashboard=$!
  hey -z "${warm}s" -c 2 -q 50 -H "X-Api-Key: $key" "$base/api/measures/$first" >/dev/null
  wait "$warm_commands" "$warm_dashboard"  # not a bare wait: the service is a child of this shell too
  # Workload 3's paths too: the first time travels and histories run before the JIT has tiered them up.
  local longid; longid=$(cat "$out/long-id.txt")
  hey -n 30 -c 1 -H "X-Api-Key: $key" "$base/api/measures/$longid?version=$((long_events / 2))" >/dev/null
  python3 "$bench/history.py" "$base" "$longid" "$key" 5 >/dev/null
  caught_up
  log "[$label] workload 1: commands on $n measures"
  for c in 1 8 32; do
    GD_BENCH_IDS="$out/ids-$label.txt" wrk_run "w1-$label-c$c" "$c" "$bench/wrk-commands.lua" >/dev/null
    echo "{\"rss_mb\": $(rss_mb)}" > "$out/rss-w1-$label-c$c.json"
  done
  caught_up
  log "[$label] workload 2: reads at 500/s with commands alongside (paced, then saturating)"
  reads_with_commands "$label" paced 2 "$pace_ms"
  caught_up
  reads_with_commands "$label" saturated 4 0
  caught_up
  log "[$label] workload 3: history and time travel of a measure with $long_events events"
  local longid; longid=$(cat "$out/long-id.txt")
  python3 "$bench/history.py" "$base" "$longid" "$key" 20 > "$out/w3-$label-history.json"
  hey -n 100 -c 1 -H "X-Api-Key: $key" "$base/api/measures/$longid?version=$((long_events / 2))" > "$out/w3-$label-timetravel.txt"
  python3 "$bench/parse_hey.py" "$out/w3-$label-timetravel.txt" > "$out/w3-$label-timetravel.json"
  echo "{\"rss_mb\": $(rss_mb)}" > "$out/rss-$label.json"
}

log "loading $small measures in their pilot and one measure with $long_events events"
dotnet "$loader" pilots --count "$small" --ids "$out/ids-small.txt" | tail -1 > "$out/load-small.json"
dotnet "$loader" long --events "$long_events" --ids "$out/long-id.txt" | tail -1 > "$out/load-long.json"
dotnet "$loader" wait-projections > /dev/null

log "ceiling: pgbench append transaction at 1, 8, 32 clients; sequential read of the events table"
psqlc -d gd_ceiling -v streams="$small" -f "$bench/ceiling-schema.sql" >/dev/null 2>&1
for c in 1 8 32; do ceiling_append "ceiling-c$c" "$c" >/dev/null; done

run_scale small "$small"

log "workload 5: cold start to ready (3 times)"
stop_service
for i in 1 2 3; do
  start_service
  echo "{\"ms\": $ready_ms}" > "$out/w5-cold-$i.json"
  stop_service
done
start_service

log "workload 6: growing to $large measures"
dotnet "$loader" pilots --count "$((large - small))" --ids "$out/ids-extra.txt" | tail -1 > "$out/load-large.json"
cat "$out/ids-small.txt" "$out/ids-extra.txt" > "$out/ids-large.txt"
dotnet "$loader" wait-projections > /dev/null
run_scale large "$large"

log "workload 4: full projection rebuild vs sequential read of the events table"
events=$(psqlc -d gd_bench -tAc "select count(*) from gd.mt_events")
seq_ms=$(python3 "$bench/time_ms.py" psql -X -q -h 127.0.0.1 -p "$pgport" -U postgres -d gd_bench -c "copy (select * from gd.mt_events order by seq_id) to '/dev/null'")
rebuild_ms=$(python3 "$bench/time_ms.py" curl -fsS -X POST -H "X-Api-Key: $key" "$base/api/admin/projections/rebuild?timeoutSeconds=3600")
echo "{\"events\": $events, \"seq_read_ms\": $seq_ms, \"rebuild_ms\": $rebuild_ms}" > "$out/w4-rebuild.json"

python3 "$bench/report.py" "$out" > "$out/report.md"
cat "$out/report.md"
