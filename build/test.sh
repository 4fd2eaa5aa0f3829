#!/usr/bin/env bash
# README command 2: build and run every test against a real PostgreSQL, and lint the OpenAPI
# document (build/lint-openapi.sh, where Node.js is installed; counted as one check), then print
# one line "N passed, N failed[, N skipped]". Exit code is non-zero when anything failed.
#
# PostgreSQL: GD_TEST_POSTGRES if set, else Testcontainers when a Docker engine answers,
# else a throwaway local cluster (build/pg.sh), which this script stops again if it started it.
# Chromium (the monitoring page's browser tests): build/chromium.sh installs Debian's package when missing.
set -uo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
cd "$repo"

results="$repo/.data/test-results"
rm -rf "$results" "$repo/.data/test-browser.txt"
mkdir -p "$results"

started_cluster=false
if [ -z "${GD_TEST_POSTGRES:-}" ] && ! { [ -S /var/run/docker.sock ] && docker info >/dev/null 2>&1; }; then
  if ! build/pg.sh status >/dev/null 2>&1; then
    build/pg.sh start >/dev/null || exit 1
    started_cluster=true
  fi
fi
cleanup() { if $started_cluster; then build/pg.sh stop 2>/dev/null || true; started_cluster=false; fi; }
trap cleanup EXIT

# The monitoring page's browser tests drive Debian's chromium: installed here when missing.
build/chromium.sh

# Local dotnet tools (.config/dotnet-tools.json: Kiota, for the generated-client test).
dotnet tool restore >/dev/null 2>&1 || echo "dotnet tool restore failed: the generated-client test will fail."

dotnet build GemeinsamDigital.sln -c Release -nologo -v quiet 2>&1 | tail -n 30
build_status=${PIPESTATUS[0]}
if [ "$build_status" -ne 0 ]; then
  echo "Build failed."
  echo "0 passed, 1 failed"
  exit 1
fi

# The service as the container image runs it (pre-generated code, no Roslyn): the tests that start
# the built service as a child process (ApiProcess) run this build. Its own artifacts folder, so
# the solution's Release output above stays the dynamic build the in-process tests use.
rm -rf "$repo/.data/static-service"
if ! dotnet publish src/GemeinsamDigital.Api -c Release -p:StaticCode=true -nologo -v quiet \
    --artifacts-path "$repo/.data/static-artifacts" -o "$repo/.data/static-service" 2>&1 | tail -n 30; then
  echo "The static build failed (is src/GemeinsamDigital.Api/Internal/Generated stale? run build/codegen.sh)."
fi
export GD_TEST_SERVICE="$repo/.data/static-service"

dotnet test GemeinsamDigital.sln -c Release --no-build -nologo \
  --logger "trx" --logger "console;verbosity=minimal" --results-directory "$results" "$@"
test_status=$?

[ -f "$repo/.data/test-postgres-source.txt" ] && cat "$repo/.data/test-postgres-source.txt"
[ -f "$repo/.data/test-browser.txt" ] && cat "$repo/.data/test-browser.txt"

# The OpenAPI document the built service serves, linted with Spectral: one check more in the summary.
lint_passed=0; lint_failed=0
if command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; then
  if build/lint-openapi.sh --no-build; then
    echo "OpenAPI lint (build/lint-openapi.sh): passed"
    lint_passed=1
  else
    echo "OpenAPI lint (build/lint-openapi.sh): FAILED"
    lint_failed=1
  fi
else
  echo "OpenAPI lint not run: Node.js is not installed (build/lint-openapi.sh needs node and npm)."
fi

# Sum the counters of every test project's TRX report.
passed=0; failed=0; skipped=0; reports=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  reports=$((reports + 1))
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
  get() { echo "$counters" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*' || echo 0; }
  total=$(get total); executed=$(get executed); p=$(get passed); f=$(get failed); e=$(get error); t=$(get timeout); a=$(get aborted)
  passed=$((passed + p))
  failed=$((failed + f + e + t + a))
  skipped=$((skipped + total - executed))
done
if [ "$reports" -eq 0 ] || { [ "$test_status" -ne 0 ] && [ "$failed" -eq 0 ]; }; then
  # The runner failed without reporting a failing test (crash, no reports): count it as a failure.
  failed=$((failed + 1))
fi

passed=$((passed + lint_passed))
failed=$((failed + lint_failed))
summary="$passed passed, $failed failed"
[ "$skipped" -gt 0 ] && summary="$summary, $skipped skipped"
cleanup  # before the summary, so the summary is the last line printed
echo "$summary"
[ "$failed" -eq 0 ]
