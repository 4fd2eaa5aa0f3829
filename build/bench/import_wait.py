"""Waits until a background import has completed (GET /api/imports/{id} every 0.25 s, at most an
hour) and prints its figures as JSON: wall time from the POST's start to the first poll that sees it
completed, rows and commands per second over that time, and the service's own createdAt → finishedAt.

Usage: import_wait.py BASE KEY IMPORT_ID T0_NS POST_MS COMMANDS
  T0_NS     wall clock (date +%s%N) just before the POST was sent
  POST_MS   how long the POST took (upload, reading and storing the rows) until its 202
  COMMANDS  how many commands the file's rows imply (import-file's count)"""
import json, re, sys, time, urllib.request
from datetime import datetime

base, key, import_id, t0, post_ms, commands = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6])

def get():
    req = urllib.request.Request(f"{base}/api/imports/{import_id}", headers={"X-Api-Key": key, "Accept": "application/json"})
    with urllib.request.urlopen(req, timeout=30) as r:
        return json.loads(r.read())

def instant(text):
    # Python 3.11 reads at most 6 fractional digits; the service writes 7.
    return datetime.fromisoformat(re.sub(r"(\.\d{6})\d+", r"\1", text.replace("Z", "+00:00")))

deadline = time.monotonic() + 3600
polls = 0
while True:
    job = get(); polls += 1
    if job["status"] == "completed":
        break
    if time.monotonic() > deadline:
        sys.exit(f"import {import_id} not completed after an hour: {json.dumps(job)}")
    time.sleep(0.25)
wall_s = (time.time_ns() - t0) / 1e9
server_s = (instant(job["finishedAt"]) - instant(job["createdAt"])).total_seconds()
print(json.dumps({"id": import_id, "rows": job["rows"], "processed": job["processed"], "counts": job["counts"], "commands": commands,
                  "post_ms": post_ms, "wall_s": round(wall_s, 3), "server_s": round(server_s, 3),
                  "rows_per_s": round(job["rows"] / wall_s, 2), "commands_per_s": round(commands / wall_s, 2), "polls": polls}))
