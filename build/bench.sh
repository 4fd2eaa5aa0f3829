#!/usr/bin/env bash
# Benchmarks: our command and read paths against PostgreSQL's own ceiling on this machine.
#   build/bench.sh            full run (1,000 then 100,000 measures; ~20 min on 2 cores)
#   BENCH_QUICK=1 build/bench.sh   smaller and shorter (a smoke run of the whole pipeline)
#   BENCH_ONLY=import build/bench.sh   only the import workload (1,000 measures loaded for the reads; ~6 min)
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
only="${BENCH_ONLY:-}"
import_rows="${BENCH_IMPORT_ROWS:-$([ "$quick" = 1 ] && echo 1000 || echo 10000)}"
single_rows="${BENCH_SINGLE_ROWS:-$import_rows}"
case "$only" in ""|import) ;; *) echo "BENCH_ONLY: 'import' or unset" >&2; exit 2 ;; esac
# An import of up to 100 rows runs within its request (201); the workload measures a background one.
[ "$import_rows" -gt 100 ] || { echo "BENCH_IMPORT_ROWS must be more than 100" >&2; exit 2; }
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
read_pids=()
cleanup() { [ ${#read_pids[@]} -gt 0 ] && kill "${read_pids[@]}" 2>/dev/null; stop_service; GD_PG_DATA="$GD_PG_DATA" $pg stop >/dev/null 2>&1 || true; }
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

# Warm-up (not measured): Wolverine's first compilation of each endpoint, the connection pool,
# and .NET's tiered JIT, which keeps recompiling hot methods for about a minute under load
# (perf showed 11% of the service's CPU in the JIT after 10 s, 2% after 60 s).
warm_up() { # label
  local label=$1
  local warm="${BENCH_WARMUP:-$([ "$quick" = 1 ] && echo 5 || echo 30)}"
  local first; first=$(head -1 "$out/ids-$label.txt")
  GD_BENCH_IDS="$out/ids-$label.txt" wrk -t2 -c8 -d"${warm}s" -s "$bench/wrk-commands.lua" "$base" >/dev/null &
  local warm_commands=$!
  hey -z "${warm}s" -c 2 -q 50 -H "X-Api-Key: $key" "$base/api/dashboard/portfolio" >/dev/null &
  local warm_dashboard=$!
  hey -z "${warm}s" -c 2 -q 50 -H "X-Api-Key: $key" "$base/api/measures/$first" >/dev/null
  wait "$warm_commands" "$warm_dashboard"  # not a bare wait: the service is a child of this shell too
  # Workload 3's paths too: the first time travels and histories run before the JIT has tiered them up.
  if [ -f "$out/long-id.txt" ]; then
    local longid; longid=$(cat "$out/long-id.txt")
    hey -n 30 -c 1 -H "X-Api-Key: $key" "$base/api/measures/$longid?version=$((long_events / 2))" >/dev/null
    python3 "$bench/history.py" "$base" "$longid" "$key" 5 >/dev/null
  fi
  caught_up
}

# Workload 7: an import of $import_rows new measures (POST /api/imports, 202, polled until completed)
# while other clients read at 500/s as in workload 2, against the same rows' commands sent one by
# one over HTTP by one client (the same reads alongside, so both sides share the machine alike).
# Reads run from the moment the import is accepted (or the single commands start) until it is done:
# wrk stops at SIGINT and reports what it measured until then.
start_reads() { # name
  local kind read
  read_pids=()
  for kind in measure dashboard; do
    read=$kind; [ "$kind" = dashboard ] && read=/api/dashboard/portfolio
    GD_BENCH_READ="$read" GD_BENCH_GAP_MS="$read_gap_ms" GD_BENCH_IDS="$out/ids-small.txt" \
      wrk -t1 -c"$read_connections" -d3600s --timeout 10s -s "$bench/wrk-reads.lua" "$base" > "$out/$1-$kind.txt" &
    read_pids+=($!)
  done
}
stop_reads() { # name
  kill -INT "${read_pids[@]}"; wait "${read_pids[@]}"; read_pids=()
  local kind
  for kind in measure dashboard; do grep '^WRK_JSON' "$out/$1-$kind.txt" | sed 's/^WRK_JSON //' > "$out/$1-$kind.json"; done
}
import_file() { # rows prefix file: an import, polled until completed, with reads alongside; figures on stdout
  local rows=$1 prefix=$2 file=$3 reads=${4:-}
  local made; made=$(dotnet "$loader" import-file --rows "$rows" --prefix "$prefix" --out "$file" | tail -1)
  local commands; commands=$(echo "$made" | python3 -c 'import json,sys; print(json.load(sys.stdin)["commands"])')
  local t0 post_t code; t0=$(date +%s%N)
  code=$(curl -sS -o "$out/import-accepted.json" -w '%{http_code}' -X POST -H "X-Api-Key: $key" -H 'Content-Type: text/csv' \
    -H 'X-Reason: Benchmark' --data-binary @"$file" "$base/api/imports")
  post_t=$(( ($(date +%s%N) - t0) / 1000000 ))
  [ "$code" = 202 ] || { echo "import answered $code: $(cat "$out/import-accepted.json")" >&2; exit 1; }
  [ -n "$reads" ] && start_reads "$reads"
  local id; id=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["id"])' "$out/import-accepted.json")
  python3 "$bench/import_wait.py" "$base" "$key" "$id" "$t0" "$post_t" "$commands"
  [ -n "$reads" ] && stop_reads "$reads"
  return 0
}
import_workload() {
  # Warm-up: the import's paths (more rows than one message takes, so the next message is queued
  # too) and the single commands' (propose and the steps), compiled and tiered up. With only one
  # message's worth, the JIT still took half of the service's CPU during the measured import.
  local warm_rows=$(( import_rows < 500 ? import_rows : 500 ))
  log "workload 7: warm-up (an import of $warm_rows rows, $warm_rows rows of single commands)"
  import_file "$warm_rows" bench-warm-import "$out/import-warm.csv" > /dev/null
  GD_BENCH_KEY="$key" dotnet "$loader" single-commands --rows "$warm_rows" --prefix bench-warm-single --base "$base" > /dev/null
  caught_up
  # The machine is shared: the load average before and after goes into the report.
  local load_before; load_before=$(cut -d' ' -f1-3 /proc/loadavg)
  log "workload 7: import of $import_rows rows with reads at 500/s alongside (load average $load_before)"
  import_file "$import_rows" bench-import "$out/import.csv" w7-import-reads > "$out/w7-import.json"
  cat "$out/w7-import.json" >&2
  caught_up
  log "workload 7: the same commands for $single_rows rows one by one over HTTP, the same reads alongside"
  start_reads w7-single-reads
  GD_BENCH_KEY="$key" dotnet "$loader" single-commands --rows "$single_rows" --prefix bench-single --base "$base" | tail -1 > "$out/w7-single.json"
  stop_reads w7-single-reads
  cat "$out/w7-single.json" >&2
  echo "{\"before\": [${load_before// /, }], \"after\": [$(cut -d' ' -f1-3 /proc/loadavg | sed 's/ /, /g')]}" > "$out/w7-load.json"
  caught_up
}

run_scale() { # label measures
  local label=$1 n=$2
  warm_up "$label"
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

if [ "$only" = import ]; then
  log "loading $small measures in their pilot (the reads' measures)"
  dotnet "$loader" pilots --count "$small" --ids "$out/ids-small.txt" | tail -1 > "$out/load-small.json"
  dotnet "$loader" wait-projections > /dev/null
  warm_up small
  import_workload
  python3 "$bench/report.py" "$out" > "$out/report.md"
  cat "$out/report.md"
  exit 0
fi

log "loading $small measures in their pilot and one measure with $long_events events"
dotnet "$loader" pilots --count "$small" --ids "$out/ids-small.txt" | tail -1 > "$out/load-small.json"
dotnet "$loader" long --events "$long_events" --ids "$out/long-id.txt" | tail -1 > "$out/load-long.json"
dotnet "$loader" wait-projections > /dev/null

log "ceiling: pgbench append transaction at 1, 8, 32 clients; sequential read of the events table"
psqlc -d gd_ceiling -v streams="$small" -f "$bench/ceiling-schema.sql" >/dev/null 2>&1
for c in 1 8 32; do ceiling_append "ceiling-c$c" "$c" >/dev/null; done

run_scale small "$small"
# The import at the small scale, as in BENCH_ONLY=import, so both runs measure the same; it leaves
# 2 × $import_rows more measures (in stages idea to pilot, ~6 events per row) for the larger scale.
import_workload

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
