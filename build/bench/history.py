"""Times reading a measure's whole history page by page (following 'next'), N times; prints JSON.

Usage: history.py BASE MEASURE KEY RUNS [LIMIT]. LIMIT defaults to the largest page the API
allows (HistoryEndpoint.MaxLimit, 10,000), as an auditor reading a whole history would ask."""
import json, statistics, sys, time, urllib.request

base, measure, key, runs = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
limit = int(sys.argv[5]) if len(sys.argv) > 5 else 10000
def get(url):
    # "next" may be an absolute link.
    req = urllib.request.Request(url if url.startswith("http") else base + url, headers={"X-Api-Key": key, "Accept": "application/json"})
    with urllib.request.urlopen(req, timeout=30) as r:
        return json.loads(r.read())
times, events, errors = [], 0, 0
for _ in range(runs):
    t0 = time.perf_counter(); url = f"/api/measures/{measure}/history?limit={limit}"; n = 0
    try:
        while url:
            page = get(url); n += len(page["items"]); url = page.get("next")
    except Exception:
        errors += 1
    times.append((time.perf_counter() - t0) * 1000); events = n
times.sort()
pct = lambda p: times[min(len(times) - 1, int(round(p / 100 * (len(times) - 1))))]
print(json.dumps({"requests": runs, "limit": limit, "events": events, "p50_ms": round(statistics.median(times), 3),
                  "p95_ms": round(pct(95), 3), "p99_ms": round(pct(99), 3), "errors": errors}))
