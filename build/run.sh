#!/usr/bin/env bash
# README command 1: run the service on http://localhost:5080 (Swagger UI at /swagger).
# Uses ConnectionStrings__Marten when set; otherwise starts the local PostgreSQL cluster
# (build/pg.sh) and points the service at it. An empty database gets the demo measures.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
cd "$repo"

if [ -z "${ConnectionStrings__Marten:-}" ]; then
  ConnectionStrings__Marten="$(build/pg.sh db gemeinsamdigital)"
  export ConnectionStrings__Marten
  echo "Using the local PostgreSQL cluster (stop it with: build/pg.sh stop)"
fi
export ASPNETCORE_ENVIRONMENT="${ASPNETCORE_ENVIRONMENT:-Development}"
if [ "$ASPNETCORE_ENVIRONMENT" = Development ]; then
  # Development keys exist only in appsettings.Development.json (honoured only in Development).
  echo "Development API keys (header X-Api-Key):"
  python3 - "$repo/src/GemeinsamDigital.Api/appsettings.Development.json" <<'PY'
import json, sys
for k in json.load(open(sys.argv[1]))["Auth"]["DevelopmentKeys"]:
    print(f"  {k['Key']:<40} {','.join(k['Roles']):<18} {k['Administration']}")
PY
fi
echo "GemeinsamDigital API on http://localhost:5080 — monitoring page: http://localhost:5080/monitoring/ — Swagger UI: http://localhost:5080/swagger"
exec dotnet run --project src/GemeinsamDigital.Api -c "${CONFIGURATION:-Debug}" "$@"
