#!/usr/bin/env bash
# Rebuilds build/local-feed/patched.distributedlock.postgres.1.3.3.nupkg from the nuspec beside it.
# A .nupkg is a zip holding the nuspec; python3's zipfile keeps this free of extra tools.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="$here/../local-feed/patched.distributedlock.postgres.1.3.3.nupkg"
rm -f "$out"
(cd "$here" && python3 -m zipfile -c "$out" Patched.DistributedLock.Postgres.nuspec)
echo "wrote $out (clear ~/.nuget/packages/patched.distributedlock.postgres to pick it up)"
