#!/usr/bin/env bash
# Several service nodes on one PostgreSQL, the way past one machine: stateless API nodes, the async
# daemon distributed by Marten's HotCold mode (one node projects, the others stand by).
#   build/cluster.sh [NODES]     (default 3; ~3 min on 2 cores)
# Starts its own PostgreSQL database (the local cluster, build/pg.sh), applies the schema with
# db-apply, starts NODES processes of the static build (as the image) in Production on loopback ports and runs
# build/cluster/scenario.py: commands spread over all nodes, exactly one node runs each projection,
# the runner is killed and another takes over (timed), dashboards on every node converge, an API
# key revoked on one node is refused on all (timed). Output: the scenario's lines, also in
# .data/cluster/report.txt; exit code non-zero when a check fails.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
cd "$repo"
nodes="${1:-3}"
out="$repo/.data/cluster"
mkdir -p "$out"
rm -f "$out"/*.log "$out"/report.txt

admin="$(build/pg.sh start)"
pgport=$(echo "$admin" | sed -E 's/.*Port=([0-9]+).*/\1/')
psql -X -q -h 127.0.0.1 -p "$pgport" -U postgres -d postgres \
  -c "drop database if exists gd_cluster with (force)" -c "create database gd_cluster" >/dev/null
# A patient connect timeout: three nodes start at once on a small machine.
export ConnectionStrings__Marten="Host=127.0.0.1;Port=$pgport;Username=postgres;Password=postgres;Database=gd_cluster;Timeout=30"

# The nodes run the static build, as the container image does (no Roslyn at start or first request).
if [ "${CLUSTER_NO_BUILD:-0}" != 1 ]; then
  dotnet build tests/GemeinsamDigital.Benchmarks -c Release -nologo -v quiet >/dev/null
  rm -rf "$repo/.data/static-service"
  dotnet publish src/GemeinsamDigital.Api -c Release -p:StaticCode=true -nologo -v quiet \
    --artifacts-path "$repo/.data/static-artifacts" -o "$repo/.data/static-service" >/dev/null
fi
dll="$repo/.data/static-service/GemeinsamDigital.Api.dll"
loader="$repo/tests/GemeinsamDigital.Benchmarks/bin/Release/net10.0/GemeinsamDigital.Benchmarks.dll"

export ASPNETCORE_ENVIRONMENT=Production DOTNET_ENVIRONMENT=Production Demo__Seed=false
export Projections__DaemonMode=HotCold
export Subjects__LookupSecret="$(head -c 32 /dev/urandom | base64)"
export Limits__RateLimit__PermitLimit=100000
dotnet "$dll" db-apply > "$out/db-apply.log" 2>&1
key="$(dotnet "$dll" apikey create --name cluster --administration skzl --role strategy-office 2>/dev/null | tail -1)"
rm -f "$out/ids.txt"
dotnet "$loader" pilots --count 30 --ids "$out/ids.txt" > /dev/null

pids=()
cleanup() { for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null || true; done; }
trap cleanup EXIT
spec=""
for i in $(seq 1 "$nodes"); do
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  dotnet "$dll" --urls "http://127.0.0.1:$port" --contentRoot "$(dirname "$dll")" > "$out/node$i.log" 2>&1 &
  pids+=($!)
  disown $!  # the scenario kills one on purpose: no job-control notice for it
  spec="$spec node$i=$port:$!"
done
python3 build/cluster/scenario.py --key "$key" --ids "$out/ids.txt" $spec | tee "$out/report.txt"
exit "${PIPESTATUS[0]}"
