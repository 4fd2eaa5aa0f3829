#!/usr/bin/env bash
# Lints the OpenAPI document with Spectral (spectral:oas + the OWASP API Security ruleset,
# rules in build/openapi-lint/.spectral.yaml). Fails on any error or warning.
#
#   build/lint-openapi.sh                 build the service, run it, lint the document it serves
#   build/lint-openapi.sh --no-build      the same with the service as last built (build/test.sh)
#   build/lint-openapi.sh FILE            lint a document saved earlier
#
# The served document comes from the built service (CONFIGURATION, default Release) run against
# a scratch database: ConnectionStrings__Marten if set, else database gd_openapi_lint of the local
# cluster (build/pg.sh, stopped again if this script started it), else GD_TEST_POSTGRES; demo data off.
# Spectral is installed from npm (pinned in build/openapi-lint/package-lock.json) into
# build/openapi-lint/node_modules (git-ignored) on first use. Needs Node.js 18+.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
cd "$repo"

build=true
document=""
for arg in "$@"; do
  case "$arg" in
    --no-build) build=false ;;
    -*) echo "usage: $0 [--no-build] [FILE]" >&2; exit 2 ;;
    *) document="$arg" ;;
  esac
done

command -v node >/dev/null 2>&1 || { echo "lint-openapi: Node.js is not installed" >&2; exit 3; }

tools="$repo/build/openapi-lint"
spectral="$tools/node_modules/.bin/spectral"
if [ ! -x "$spectral" ] || [ "$tools/package-lock.json" -nt "$tools/node_modules/.package-lock.json" ]; then
  echo "lint-openapi: installing Spectral (npm ci, once)" >&2
  # No install scripts: the packages need none (one only reports usage statistics).
  (cd "$tools" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >&2)
fi

service_pid=""
started_cluster=false
cleanup() {
  if [ -n "$service_pid" ]; then kill "$service_pid" 2>/dev/null || true; wait "$service_pid" 2>/dev/null || true; fi
  if $started_cluster; then build/pg.sh stop >/dev/null 2>&1 || true; fi
}
trap cleanup EXIT

if [ -z "$document" ]; then
  configuration="${CONFIGURATION:-Release}"
  if $build; then
    dotnet build src/GemeinsamDigital.Api -c "$configuration" -nologo -v quiet >&2
  fi
  dll="$(ls src/GemeinsamDigital.Api/bin/"$configuration"/net*/GemeinsamDigital.Api.dll 2>/dev/null | head -1)"
  [ -n "$dll" ] || { echo "lint-openapi: no $configuration build of the service; run without --no-build" >&2; exit 1; }

  connection="${ConnectionStrings__Marten:-}"
  if [ -z "$connection" ]; then
    build/pg.sh status >/dev/null 2>&1 || started_cluster=true
    if ! connection="$(build/pg.sh db gd_openapi_lint 2>/dev/null)"; then
      started_cluster=false
      # No local PostgreSQL binaries: the server the tests use, if one was named.
      connection="${GD_TEST_POSTGRES:-}"
      [ -n "$connection" ] || { echo "lint-openapi: no PostgreSQL (set ConnectionStrings__Marten or install PostgreSQL)" >&2; exit 1; }
    fi
  fi
  port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
  log="$repo/.data/lint-openapi-service.log"
  mkdir -p "$repo/.data"
  run_service() {
    (cd "$(dirname "$dll")" && ASPNETCORE_ENVIRONMENT=Production DOTNET_ENVIRONMENT=Production ConnectionStrings__Marten="$connection" \
      Demo__Seed=false Logging__LogLevel__Default=Warning Subjects__LookupSecret="$(head -c 32 /dev/urandom | base64)" \
      exec dotnet "$(basename "$dll")" "$@")
  }
  # Production creates no schema at start (docs/operations.md "Upgrades"): apply it first, as an operator would.
  run_service db-apply >"$log" 2>&1 || { echo "lint-openapi: db-apply failed; see $log" >&2; tail -20 "$log" >&2; exit 1; }
  run_service --urls "http://127.0.0.1:$port" >>"$log" 2>&1 &
  service_pid=$!

  document="$repo/.data/openapi.json"
  rm -f "$document"
  for _ in $(seq 1 120); do
    if curl -sf -o "$document" "http://127.0.0.1:$port/swagger/v1/swagger.json"; then break; fi
    kill -0 "$service_pid" 2>/dev/null || { echo "lint-openapi: the service stopped; see $log" >&2; tail -20 "$log" >&2; exit 1; }
    sleep 0.5
  done
  [ -s "$document" ] || { echo "lint-openapi: the service served no document; see $log" >&2; exit 1; }
fi

"$spectral" lint "$document" --ruleset "$tools/.spectral.yaml" --fail-severity=warn --display-only-failures
