"""Waits until the webhook receiver has every delivery of a command run (its count of distinct
webhook-ids reaches EXPECTED, polled every 0.25 s, at most MAX_S seconds) and prints JSON: how long
after the commands stopped the last delivery arrived (the backlog's drain), and the deliveries'
statuses as the service counts them (GET /api/subscriptions/{id}, summed over the subscriptions).

Usage: webhook_drain.py RECEIVER BASE KEY SUBSCRIPTIONS_FILE CHANGES EXPECTED END_NS MAX_S
  RECEIVER   the receiver's base URL (its GET /count)
  CHANGES    changes committed during the run; EXPECTED = CHANGES × subscriptions
  END_NS     wall clock (date +%s%N) when the commands stopped"""
import json, sys, time, urllib.request

receiver, base, key, subs_file = sys.argv[1:5]
changes, expected, end_ns, max_s = int(sys.argv[5]), int(sys.argv[6]), int(sys.argv[7]), float(sys.argv[8])

def get(url, headers=None):
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers or {}), timeout=30) as r:
        return json.loads(r.read())

started = time.monotonic()
while True:
    count = get(f"{receiver}/count")
    if count["distinct"] >= expected or time.monotonic() - started > max_s:
        break
    time.sleep(0.25)
waited_s = time.monotonic() - started
deliveries = {}
for sid in open(subs_file).read().split():
    for status, n in (get(f"{base}/api/subscriptions/{sid}", {"X-Api-Key": key, "Accept": "application/json"}).get("deliveries") or {}).items():
        deliveries[status] = deliveries.get(status, 0) + n
last = count.get("last_unix_ms")
print(json.dumps({"changes": changes, "expected": expected, "received": count["distinct"], "requests": count["requests"],
                  "drained": count["distinct"] >= expected, "end_unix_ms": end_ns // 1_000_000, "waited_s": round(waited_s, 2),
                  # The last delivery's arrival after the commands stopped (negative: it came before).
                  "drain_s": round((last - end_ns / 1e6) / 1000, 2) if last else None,
                  "deliveries": deliveries}))
