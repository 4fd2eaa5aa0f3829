#!/usr/bin/env python3
"""What the service's PostgreSQL backends wait on while a workload runs.

usage: pg_waits.py PSQL_CONNINFO SECONDS [INTERVAL_MS]

Samples pg_stat_activity every INTERVAL_MS (default 50) for SECONDS: every active client backend of the
service's database counts once per sample under its wait event ("CPU" when it waits on nothing).
Lock waits are listed with the longest one seen and the statement that waited. Prints one JSON object.
"""
import collections
import json
import subprocess
import sys
import time

conninfo, seconds = sys.argv[1], float(sys.argv[2])
interval = (int(sys.argv[3]) if len(sys.argv) > 3 else 50) / 1000
query = ("select coalesce(wait_event_type, 'CPU') || '|' || coalesce(wait_event, '-') || '|' || "
         "round(extract(epoch from (clock_timestamp() - state_change)) * 1000)::bigint || '|' || left(regexp_replace(query, '\\s+', ' ', 'g'), 120) "
         "from pg_stat_activity where datname = current_database() and backend_type = 'client backend' and state = 'active' and pid <> pg_backend_pid()")
# One psql reads the queries from stdin, so a sample costs a round trip, not a process start.
psql = subprocess.Popen(["psql", "-X", "-q", "-tA", conninfo], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1)
marker = "--sample-end--"
waits, samples, active = collections.Counter(), 0, 0
locks = collections.Counter()
longest_lock = {"ms": 0, "query": None, "event": None}
end = time.monotonic() + seconds
while time.monotonic() < end:
    psql.stdin.write(query + ";\nselect '" + marker + "';\n")
    psql.stdin.flush()
    while (line := psql.stdout.readline().rstrip("\n")) != marker:
        if not line:
            continue
        kind, event, ms, text = line.split("|", 3)
        waits[f"{kind}:{event}"] += 1
        active += 1
        if kind == "Lock":
            locks[text] += 1
            if int(ms) > longest_lock["ms"]:
                longest_lock = {"ms": int(ms), "query": text, "event": event}
    samples += 1
    time.sleep(interval)
psql.stdin.close()
psql.wait()
print(json.dumps({
    "samples": samples,
    "interval_ms": interval * 1000,
    "mean_active_backends": round(active / samples, 2) if samples else 0,
    "waits": [{"event": e, "share": round(n / active, 4), "samples": n} for e, n in waits.most_common(12)] if active else [],
    "lock_samples": sum(locks.values()),
    "lock_statements": [{"query": q, "samples": n} for q, n in locks.most_common(5)],
    "longest_lock_wait": longest_lock,
}))
