#!/usr/bin/env bash
# Writes Wolverine's generated handler code into src/GemeinsamDigital.Api/Internal/Generated, which a
# static build (-p:StaticCode=true: the container image, build/bench.sh) compiles in instead of
# generating it with Roslyn at start. Run it after changing an endpoint or handler; the test
# StaticCodeTests fails while the folder is stale. No database is needed.
#   build/codegen.sh [--no-build]   (--no-build: the Release build is current, e.g. after build/test.sh's)
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
project="$repo/src/GemeinsamDigital.Api"
out="$repo/.data/codegen"
mkdir -p "$out"
bin="$project/bin/Release/net10.0"
if [ "${1:-}" != "--no-build" ]; then
  dotnet build "$project" -c Release -nologo -v quiet >/dev/null
fi
rm -rf "$project/Internal/Generated"
# Wolverine writes below the content root, the working directory: the project folder.
cd "$project"
# The host is only built, never started: the connection string and the secret are never used.
ASPNETCORE_ENVIRONMENT=Production DOTNET_ENVIRONMENT=Production \
ConnectionStrings__Marten="Host=127.0.0.1;Port=1;Username=codegen;Password=codegen;Database=codegen" \
Subjects__LookupSecret="$(head -c 32 /dev/urandom | base64)" \
  dotnet "$bin/GemeinsamDigital.Api.dll" codegen write >"$out/codegen.log" 2>&1 \
  || { cat "$out/codegen.log" >&2; exit 1; }
echo "Wrote $(find "$project/Internal/Generated" -name '*.cs' | wc -l) files to src/GemeinsamDigital.Api/Internal/Generated."
