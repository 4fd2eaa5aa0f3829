#!/usr/bin/env bash
# Benchmarks: our command and read paths against PostgreSQL's own ceiling on this machine.
#   build/bench.sh            full run (1,000, 10,000 and 100,000 measures; ~40 min on 2 cores)
#   BENCH_QUICK=1 build/bench.sh   smaller and shorter (a smoke run of the whole pipeline)
#   BENCH_ONLY=import build/bench.sh   only the import workload (1,000 measures loaded for the reads; ~6 min)
#   BENCH_ONLY=webhooks build/bench.sh only the webhook workload (1,000 measures; ~7 min)
#   BENCH_ONLY=coldstart build/bench.sh cold start of the static and the dynamic build (~3 min)
#   BENCH_SCALE_ONLY=1 build/bench.sh  the full run without import, webhooks and cold start (the scale figures and the peer)
# Starts its own PostgreSQL cluster (.data/bench-pg) and the service in Release mode on loopback,
# loads data, runs each workload with wrk/hey (installed from Debian packages if missing),
# measures the pgbench ceiling and the peer baseline (bare Marten) at the same client counts, and
# writes .data/bench/report.md and .data/bench/results.json. Every request goes to 127.0.0.1;
# every load is bounded in time.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
cd "$repo"
bench="$repo/build/bench"
out="$repo/.data/bench"
quick="${BENCH_QUICK:-0}"
duration="${BENCH_DURATION:-$([ "$quick" = 1 ] && echo 5 || echo 20)}"
small="${BENCH_SMALL:-1000}"
medium="${BENCH_MEDIUM:-$([ "$quick" = 1 ] && echo 2000 || echo 10000)}"
large="${BENCH_LARGE:-$([ "$quick" = 1 ] && echo 5000 || echo 100000)}"
long_events="${BENCH_LONG_EVENTS:-10000}"
only="${BENCH_ONLY:-}"
scale_only="${BENCH_SCALE_ONLY:-0}"
import_rows="${BENCH_IMPORT_ROWS:-$([ "$quick" = 1 ] && echo 1000 || echo 10000)}"
single_rows="${BENCH_SINGLE_ROWS:-$import_rows}"
case "$only" in ""|import|webhooks|coldstart) ;; *) echo "BENCH_ONLY: 'import', 'webhooks', 'coldstart' or unset" >&2; exit 2 ;; esac
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

# dotnet-counters records the service's GC (collections, pause time, heap) during workload 2.
counters="$repo/.data/tools/dotnet-counters"
if [ ! -x "$counters" ] && ! dotnet tool install dotnet-counters --tool-path "$repo/.data/tools" >/dev/null 2>&1; then
  echo "dotnet-counters could not be installed (dotnet tool install dotnet-counters): the GC figures are left out" >&2
fi

# --- PostgreSQL (own cluster, own port) ----------------------------------------
export GD_PG_DATA="$repo/.data/bench-pg"
pg="build/pg.sh"
GD_PG_DATA="$GD_PG_DATA" $pg stop >/dev/null 2>&1 || true
admin="$($pg start)"
pgport=$(echo "$admin" | sed -E 's/.*Port=([0-9]+).*/\1/')
psqlc() { psql -X -q -h 127.0.0.1 -p "$pgport" -U postgres "$@"; }
# Lock waits longer than 100 ms go to the server log (counted per workload 2 run).
psqlc -d postgres -c "alter system set log_lock_waits = on" -c "alter system set deadlock_timeout = '100ms'" -c "select pg_reload_conf()" >/dev/null
pglog="$GD_PG_DATA/server.log"
psqlc -d postgres -c "drop database if exists gd_bench with (force)" -c "create database gd_bench" >/dev/null
psqlc -d postgres -c "drop database if exists gd_ceiling with (force)" -c "create database gd_ceiling" >/dev/null
psqlc -d postgres -c "drop database if exists gd_peer with (force)" -c "create database gd_peer" >/dev/null
cs="Host=127.0.0.1;Port=$pgport;Username=postgres;Password=postgres;Database=gd_bench;Maximum Pool Size=100"
export ConnectionStrings__Marten="$cs"

# --- build --------------------------------------------------------------------
log "building Release, and the static build the container image runs (pre-generated code, no Roslyn)"
dotnet build GemeinsamDigital.sln -c Release -nologo -v quiet >/dev/null
dynamic_dll="$repo/src/GemeinsamDigital.Api/bin/Release/net10.0/GemeinsamDigital.Api.dll"
rm -rf "$out/static"
# Its own artifacts folder: the Release output above stays the dynamic build.
dotnet publish src/GemeinsamDigital.Api -c Release -p:StaticCode=true --artifacts-path "$repo/.data/static-artifacts" -o "$out/static" -nologo -v quiet >/dev/null
dll="$out/static/GemeinsamDigital.Api.dll"
loader="$repo/tests/GemeinsamDigital.Benchmarks/bin/Release/net10.0/GemeinsamDigital.Benchmarks.dll"

# --- service -------------------------------------------------------------------
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port"
export ASPNETCORE_ENVIRONMENT=Production Demo__Seed=false
# One client sends the whole load here; lift the per-client rate limit (it is tested elsewhere).
export Limits__RateLimit__PermitLimit=100000000 Limits__RateLimit__AnonymousPermitLimit=100000000
# The webhook workload's receiver listens on 127.0.0.1 over plain http; Production refuses both
# (https only, no loopback targets), so they are allowed here for the benchmark alone.
export Webhooks__AllowLoopback=true Webhooks__RequireHttps=false
# Production requires the secret that finds subjects' pseudonyms (docs/security.md); a throwaway one here.
export Subjects__LookupSecret="${Subjects__LookupSecret:-$(head -c 32 /dev/urandom | base64)}"
# Production changes no schema at start: the upgrade procedure's db-apply creates it (docs/operations.md).
dotnet "$dll" db-apply > "$out/db-apply.log" 2>&1
svc_pid=""
# Starts the service (not in a subshell: svc_pid must stay set) and leaves the milliseconds
# from process start to a ready answer in $ready_ms.
ready_ms=0
start_service() { # [dll]
  local t0 run="${1:-$dll}"; t0=$(date +%s%N)
  # Content root = the build output, so appsettings.json (log levels) applies as in production.
  dotnet "$run" --urls "$base" --contentRoot "$(dirname "$run")" >> "$out/service.log" 2>&1 &
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
wh_pid="" follow_pid=""
cleanup() {
  [ ${#read_pids[@]} -gt 0 ] && kill "${read_pids[@]}" 2>/dev/null
  [ -n "$wh_pid" ] && kill "$wh_pid" 2>/dev/null
  [ -n "$follow_pid" ] && kill "$follow_pid" 2>/dev/null
  stop_service; GD_PG_DATA="$GD_PG_DATA" $pg stop >/dev/null 2>&1 || true; }
trap cleanup EXIT

log "first start (applies the schema)"
start_service
# The GC the service runs with (its runtimeconfig, and DOTNET_ overrides if any).
python3 - "$(dirname "$dll")/GemeinsamDigital.Api.runtimeconfig.json" > "$out/gc-settings.json" <<'PY'
import json, os, sys
config = json.load(open(sys.argv[1]))["runtimeOptions"].get("configProperties", {})
print(json.dumps({"runtimeconfig": {k: v for k, v in config.items() if k.startswith("System.GC")},
                  "environment": {k: v for k, v in os.environ.items() if k.upper().startswith(("DOTNET_GC", "COMPLUS_GC"))}}))
PY
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
# The peer baseline: bare Marten with the service's configuration (FetchForWriting, AppendOne,
# SaveChanges; the async projections alongside), appending workload 1's event. Its appends carry no
# hash chain, so their measures would read as "broken" and the rebuild's integrity sweep refuses
# while any stream is: it writes to its own database on the same cluster (gd_peer), measures loaded
# there as in gd_bench. Each run warms up first (not measured): a fresh process, cold JIT and pool.
peer_cs="${cs/Database=gd_bench/Database=gd_peer}"
peer_warm="${BENCH_PEER_WARMUP:-$([ "$quick" = 1 ] && echo 5 || echo 15)}"
# The loader is a web project (server GC by default); the service runs workstation GC (its .csproj).
peer_append() { # name clients
  DOTNET_gcServer=0 ConnectionStrings__Marten="$peer_cs" dotnet "$loader" peer --clients "$2" --seconds "$duration" --warmup "$peer_warm" --daemon \
    --ids "$out/ids-peer.txt" 2>> "$out/peer.log" | tail -1 > "$out/$1.json"
  cat "$out/$1.json"
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

# Workload 8: webhooks. The same commands (8 connections, as fast as they are answered, for
# $duration s) first without a webhook subscription, then with 10, all to one receiver on loopback
# (tests/GemeinsamDigital.Benchmarks webhook-receiver: answers 200 at once, records each delivery's
# arrival minus its change's timestamp); then paced commands (2 connections, $pace_ms ms apart, as in
# workload 2) with the same 10. After each run with subscriptions it waits until every delivery has
# arrived (10 × the changes the run committed) and records how long after the commands stopped the
# last one came. One client follows the change feed with long polls during each run.
wh_port="" wh_end_ns=0 wh_changes=0 wh_seq0=0 wh_log0=0
wh_drain_max="${BENCH_WEBHOOK_DRAIN_MAX:-$([ "$quick" = 1 ] && echo 120 || echo 240)}"
start_receiver() {
  wh_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  dotnet "$loader" webhook-receiver --port "$wh_port" --out "$out/wh-receiver-final.json" >> "$out/receiver.log" 2>&1 &
  wh_pid=$!
  for _ in $(seq 1 600); do
    curl -fs "http://127.0.0.1:$wh_port/count" >/dev/null 2>&1 && return 0
    kill -0 "$wh_pid" 2>/dev/null || break
    sleep 0.05
  done
  echo "webhook receiver did not start; see $out/receiver.log" >&2; exit 1
}
stop_receiver() { kill -TERM "$wh_pid"; wait "$wh_pid" || true; wh_pid=""; }
subscribe() { # count: creates that many subscriptions to the receiver (/hook/1 …), ids in wh-subscriptions.txt
  local i
  for i in $(seq 1 "$1"); do
    curl -fsS -X POST -H "X-Api-Key: $key" -H 'Content-Type: application/json' \
      -d "{\"url\": \"http://127.0.0.1:$wh_port/hook/$i\", \"description\": \"benchmark receiver $i\"}" "$base/api/subscriptions" \
      | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])'
  done > "$out/wh-subscriptions.txt"
}
unsubscribe() {
  local id
  for id in $(cat "$out/wh-subscriptions.txt"); do curl -fsS -o /dev/null -X DELETE -H "X-Api-Key: $key" "$base/api/subscriptions/$id"; done
}
max_seq() { psqlc -d gd_bench -tAc "select coalesce(max(seq_id), 0) from gd.mt_events"; }
webhook_commands() { # name connections pace_ms: commands for $duration s with the feed follower alongside
  local name=$1 c=$2 pace=$3
  wh_seq0=$(max_seq) wh_log0=$(stat -c %s "$out/service.log")
  GD_BENCH_KEY="$key" dotnet "$loader" feed-follower --base "$base" --after "$wh_seq0" --out "$out/$name-feed.json" >> "$out/follower.log" 2>&1 &
  follow_pid=$!
  sleep 2  # the follower's start-up, not to be measured with the commands
  GD_BENCH_PACE_MS="$pace" GD_BENCH_IDS="$out/ids-small.txt" wrk -t"$(( c < 8 ? 1 : 2 ))" -c"$c" -d"${duration}s" --timeout 10s \
    -s "$bench/wrk-commands.lua" "$base" | grep '^WRK_JSON' | sed 's/^WRK_JSON //' > "$out/$name.json"
  wh_end_ns=$(date +%s%N)
  kill -TERM "$follow_pid"; wait "$follow_pid" || true; follow_pid=""
  sleep 1  # commands still in flight when wrk closed its connections commit meanwhile
  # Every event of the run is a measure's (record-measurement), one delivery per subscription each,
  # but for the tombstones Marten writes where its high water mark skipped a gap.
  wh_changes=$(psqlc -d gd_bench -tAc "select count(*) from gd.mt_events where seq_id > $wh_seq0 and type <> 'tombstone'")
  # Gaps in the global sequence (numbers taken by transactions that rolled back, e.g. a command's
  # attempt that lost a concurrent write): the async daemon's high water mark waits at each one.
  psqlc -d gd_bench -tAc "select json_build_object('changes', count(*), 'gaps', count(*) filter (where g > 1), 'missing', coalesce(sum(g - 1) filter (where g > 1), 0))
    from (select seq_id - lag(seq_id, 1, $wh_seq0::bigint) over (order by seq_id) as g
          from gd.mt_events where seq_id > $wh_seq0 and type <> 'tombstone') t" > "$out/$name-seq.json"
}
wh_since() { tail -c +$(( wh_log0 + 1 )) "$out/service.log" | grep -c "$1" || true; }  # lines with $1 logged since the run started
webhook_log() { # name: the service's warnings since the run started that explain delays
  echo "{\"high_water_skips\": $(wh_since 'high water detection is skipping'), \"dispatcher_pauses\": $(wh_since 'Webhook deliveries paused')}" > "$out/$1-log.json"
}
webhook_drain() { # name subscriptions
  python3 "$bench/webhook_drain.py" "http://127.0.0.1:$wh_port" "$base" "$key" "$out/wh-subscriptions.txt" \
    "$wh_changes" "$(( wh_changes * $2 ))" "$wh_end_ns" "$wh_drain_max" > "$out/$1-drain.json"
  curl -fsS "http://127.0.0.1:$wh_port/stats" > "$out/$1-receiver.json"
  # The two halves of the latency, from the service's own delivery queue: commit (the event's
  # timestamp) to queued by the fan-out, and queued to delivered (the receiver's answer recorded).
  psqlc -d gd_bench -tAc "select json_build_object(
      'queued_p50_ms', round(percentile_cont(0.5) within group (order by q)), 'queued_p99_ms', round(percentile_cont(0.99) within group (order by q)),
      'queued_max_ms', round(max(q)), 'sent_p50_ms', round(percentile_cont(0.5) within group (order by s)),
      'sent_p99_ms', round(percentile_cont(0.99) within group (order by s)), 'sent_max_ms', round(max(s)), 'deliveries', count(*))
    from (select extract(epoch from d.created_at - e.timestamp) * 1000 as q, extract(epoch from d.delivered_at - d.created_at) * 1000 as s
          from gd.webhook_deliveries d join gd.mt_events e on e.seq_id = d.sequence
          where d.sequence > $wh_seq0 and d.status = 'delivered') t" > "$out/$1-queue.json"
  curl -fsS -o /dev/null -X POST "http://127.0.0.1:$wh_port/reset"
  webhook_log "$1"
  cat "$out/$1-drain.json" "$out/$1-log.json" >&2
}
webhooks_workload() {
  local subs=10 load_before
  start_receiver
  # Warm-up: the fan-out's and the dispatcher's paths, the service's webhook client and the
  # receiver, compiled and tiered up before anything is measured.
  log "workload 8: warm-up (10 subscriptions, paced commands for 5 s, every delivery received)"
  subscribe "$subs"
  local measured=$duration; duration=5
  webhook_commands wh-warm 2 "$pace_ms"
  duration=$measured
  webhook_drain wh-warm "$subs" 2>/dev/null
  unsubscribe
  caught_up
  load_before=$(cut -d' ' -f1-3 /proc/loadavg)
  log "workload 8: commands at 8 connections without subscriptions (load average $load_before)"
  webhook_commands wh-none 8 0
  caught_up
  webhook_log wh-none
  log "workload 8: the same commands with $subs subscriptions"
  subscribe "$subs"
  webhook_commands wh-ten 8 0
  log "workload 8: waiting for the $(( wh_changes * subs )) deliveries of $wh_changes changes (at most $wh_drain_max s)"
  webhook_drain wh-ten "$subs"
  # Anew: a backlog left after the wait (its deliveries cancelled) must not reach the paced run.
  unsubscribe
  caught_up
  log "workload 8: paced commands (2 connections, $pace_ms ms apart) with $subs subscriptions"
  subscribe "$subs"
  webhook_commands wh-paced 2 "$pace_ms"
  webhook_drain wh-paced "$subs"
  unsubscribe
  stop_receiver
  echo "{\"before\": [${load_before// /, }], \"after\": [$(cut -d' ' -f1-3 /proc/loadavg | sed 's/ /, /g')]}" > "$out/wh-load.json"
  caught_up
}

# Cold start of the static build (what the image runs) and of the dynamic one (Roslyn at start and
# at each endpoint's first request), alternating: ready, then the first read of the list, the first
# command and the first dashboard (each compiles its handler in the dynamic build), and peak memory.
coldstart_workload() {
  log "workload 5: cold start, static and dynamic build (3 times each)"
  stop_service
  local i build run first_list first_command first_dashboard id
  id=$(head -1 "$out/ids-small.txt")
  for i in 1 2 3; do
    for build in static dynamic; do
      run=$dll; [ "$build" = dynamic ] && run=$dynamic_dll
      start_service "$run"
      first_list=$(curl -fsS -o /dev/null -w '%{time_total}' -H "X-Api-Key: $key" "$base/api/measures")
      first_command=$(curl -sS -o /dev/null -w '%{time_total}' -X POST -H "X-Api-Key: $key" -H 'Content-Type: application/json' \
        -d '{"indicator":"nutzung","value":1,"on":"2025-03-01","source":"bench"}' "$base/api/measures/$id/record-measurement")
      first_dashboard=$(curl -fsS -o /dev/null -w '%{time_total}' -H "X-Api-Key: $key" "$base/api/dashboard/funnel")
      echo "{\"build\": \"$build\", \"ready_ms\": $ready_ms, \"first_list_s\": $first_list, \"first_command_s\": $first_command, \"first_dashboard_s\": $first_dashboard, \"rss_mb\": $(rss_mb)}" > "$out/w5-$build-$i.json"
      stop_service
    done
  done
  start_service
}

run_scale() { # label measures
  local label=$1 n=$2
  echo "{\"measures\": $n}" > "$out/scale-$label.json"
  warm_up "$label"
  log "[$label] workload 1: commands on $n measures"
  for c in 1 8 32; do
    GD_BENCH_IDS="$out/ids-$label.txt" wrk_run "w1-$label-c$c" "$c" "$bench/wrk-commands.lua" >/dev/null
    echo "{\"rss_mb\": $(rss_mb)}" > "$out/rss-w1-$label-c$c.json"
  done
  caught_up
  log "[$label] workload 2: reads at 500/s with commands alongside (paced, then saturating)"
  # While the paced run lasts: the service's GC (dotnet-counters) and what its PostgreSQL backends
  # wait on (pg_waits.py), and the lock waits the server logs; a stall shows up in one of them.
  local conninfo="postgresql://postgres:postgres@127.0.0.1:$pgport/gd_bench" observers=() locks_before
  locks_before=$(grep -c "still waiting for" "$pglog" || true)
  if [ -x "$counters" ]; then
    "$counters" collect -p "$svc_pid" --counters System.Runtime --format csv -o "$out/gc-$label.csv" \
      --duration "$(date -u -d "@$((duration + 1))" +%H:%M:%S)" --refresh-interval 1 >/dev/null 2>&1 &
    observers+=($!)
  fi
  python3 "$bench/pg_waits.py" "$conninfo" "$duration" > "$out/pgwaits-$label.json" &
  observers+=($!)
  reads_with_commands "$label" paced 2 "$pace_ms"
  wait "${observers[@]}" || true
  [ -f "$out/gc-$label.csv" ] && python3 "$bench/gc_counters.py" "$out/gc-$label.csv" > "$out/gc-$label.json"
  echo "{\"lock_waits_logged\": $(( $(grep -c "still waiting for" "$pglog" || true) - locks_before ))}" > "$out/locks-$label.json"
  caught_up
  reads_with_commands "$label" saturated 4 0
  caught_up
  log "[$label] workload 3: history and time travel of a measure with $long_events events"
  local longid; longid=$(cat "$out/long-id.txt")
  python3 "$bench/history.py" "$base" "$longid" "$key" 20 > "$out/w3-$label-history.json"
  python3 "$bench/history_copy.py" "postgresql://postgres:postgres@127.0.0.1:$pgport/gd_bench" gd "$longid" 20 > "$out/w3-$label-copy.json"
  hey -n 100 -c 1 -H "X-Api-Key: $key" "$base/api/measures/$longid?version=$((long_events / 2))" > "$out/w3-$label-timetravel.txt"
  python3 "$bench/parse_hey.py" "$out/w3-$label-timetravel.txt" > "$out/w3-$label-timetravel.json"
  log "[$label] workload 8: what one command writes (rows, index entries, WAL) on a short and on the long measure"
  python3 "$bench/command_writes.py" "$conninfo" "$base" "$key" "$(head -1 "$out/ids-small.txt")" 100 > "$out/w8-$label-short.json"
  python3 "$bench/command_writes.py" "$conninfo" "$base" "$key" "$longid" 100 > "$out/w8-$label-long.json"
  echo "{\"rss_mb\": $(rss_mb)}" > "$out/rss-$label.json"
}

if [ -n "$only" ]; then
  log "loading $small measures in their pilot (the commands' and reads' measures)"
  dotnet "$loader" pilots --count "$small" --ids "$out/ids-small.txt" | tail -1 > "$out/load-small.json"
  dotnet "$loader" wait-projections > /dev/null
  [ "$only" = coldstart ] || warm_up small
  "${only}_workload"
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

log "peer baseline: bare Marten appends at 1, 8, 32 writers on $small measures of its own database"
ConnectionStrings__Marten="$peer_cs" dotnet "$loader" pilots --count "$small" --ids "$out/ids-peer.txt" | tail -1 > "$out/load-peer.json"
for c in 1 8 32; do peer_append "peer-c$c" "$c" >/dev/null; done

log "what a node keeps per measure for the dashboards (no database)"
dotnet "$loader" row-memory --count 20000 --measurements 3 | tail -1 > "$out/row-memory.json"
run_scale small "$small"
# The import at the small scale, as in BENCH_ONLY=import, so both runs measure the same; it leaves
# 2 × $import_rows more measures (in stages idea to pilot, ~6 events per row) for the larger scale.
if [ "$scale_only" != 1 ]; then
  import_workload
  # Webhooks at the small scale; the subscriptions are deleted at its end, so nothing is delivered later.
  webhooks_workload
  coldstart_workload
fi

# Workload 6: the same workloads at each larger scale (the measures added are pilots like the first).
grow() { # label measures previous-label
  local label=$1 n=$2 previous=$3 have
  have=$(wc -l < "$out/ids-$previous.txt")
  log "workload 6: growing to $n measures"
  dotnet "$loader" pilots --count "$((n - have))" --ids "$out/ids-extra-$label.txt" | tail -1 > "$out/load-$label.json"
  cat "$out/ids-$previous.txt" "$out/ids-extra-$label.txt" > "$out/ids-$label.txt"
  dotnet "$loader" wait-projections > /dev/null
  run_scale "$label" "$n"
}
previous=small
if [ "$medium" -gt "$small" ] && [ "$medium" -lt "$large" ]; then grow medium "$medium" small; previous=medium; fi
grow large "$large" "$previous"

log "workload 4: full projection rebuild vs sequential read of the events table"
events=$(psqlc -d gd_bench -tAc "select count(*) from gd.mt_events")
seq_ms=$(python3 "$bench/time_ms.py" psql -X -q -h 127.0.0.1 -p "$pgport" -U postgres -d gd_bench -c "copy (select * from gd.mt_events order by seq_id) to '/dev/null'")
rebuild_ms=$(python3 "$bench/time_ms.py" curl -fsS -X POST -H "X-Api-Key: $key" "$base/api/admin/projections/rebuild?timeoutSeconds=3600")
echo "{\"events\": $events, \"seq_read_ms\": $seq_ms, \"rebuild_ms\": $rebuild_ms}" > "$out/w4-rebuild.json"

python3 "$bench/report.py" "$out" > "$out/report.md"
cat "$out/report.md"
