#!/usr/bin/env bash
# Manage API keys from the command line (the first strategy-office key must come from here):
#   build/apikey.sh create --name NAME --administration CODE --role ROLE [ROLE ...]   (or ROLE,ROLE)
#   build/apikey.sh list
#   build/apikey.sh revoke ID
# Uses ConnectionStrings__Marten when set, else the local cluster's database (like build/run.sh).
# `create` prints the new key alone on stdout; it is shown only once (only its hash is stored).
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
cd "$repo"
if [ -z "${ConnectionStrings__Marten:-}" ]; then
  ConnectionStrings__Marten="$(build/pg.sh db gemeinsamdigital)"
  export ConnectionStrings__Marten
fi
exec dotnet run --project src/GemeinsamDigital.Api -c "${CONFIGURATION:-Debug}" --no-launch-profile -- apikey "$@"
