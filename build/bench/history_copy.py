#!/usr/bin/env python3
"""How long PostgreSQL alone takes to send a measure's events: the rows the history endpoint reads,
copied to the client RUNS times in one psql session (\\timing, output discarded). Prints JSON.

usage: history_copy.py PSQL_CONNINFO SCHEMA MEASURE RUNS
"""
import json, re, statistics, subprocess, sys

conninfo, schema, measure, runs = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
copy = f"copy (select * from {schema}.mt_events where stream_id = '{measure}' order by version) to stdout;"
script = "\\timing on\n\\o /dev/null\n" + (copy + "\n") * runs
out = subprocess.run(["psql", "-X", "-q", conninfo], input=script, capture_output=True, text=True, check=True).stdout
times = sorted(float(t) for t in re.findall(r"Time: ([0-9.]+) ms", out))
rows = subprocess.run(["psql", "-X", "-tA", conninfo, "-c", f"select count(*) from {schema}.mt_events where stream_id = '{measure}'"],
                      capture_output=True, text=True, check=True).stdout.strip()
print(json.dumps({"runs": len(times), "rows": int(rows), "p50_ms": round(statistics.median(times), 3), "min_ms": round(times[0], 3)}))
