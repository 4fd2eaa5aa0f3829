#!/usr/bin/env python3
"""The multi-node scenario of build/cluster.sh against nodes that are already running.

Usage: scenario.py --key KEY --ids FILE node1=PORT:PID node2=PORT:PID ...
Prints one line per step and exits 1 when a check fails.
"""
import argparse
import json
import os
import signal
import sys
import time
import urllib.error
import urllib.request

parser = argparse.ArgumentParser()
parser.add_argument("--key", required=True)
parser.add_argument("--ids", required=True)
parser.add_argument("--commands", type=int, default=300)
parser.add_argument("nodes", nargs="+")
args = parser.parse_args()

nodes = {}
for spec in args.nodes:
    name, rest = spec.split("=")
    port, pid = rest.split(":")
    nodes[name] = {"base": f"http://127.0.0.1:{port}", "pid": int(pid)}
ids = [line.strip() for line in open(args.ids) if line.strip()]
failed = []


def say(text):
    print(text, flush=True)


def check(ok, text):
    say(("ok    " if ok else "FAIL  ") + text)
    if not ok:
        failed.append(text)


def request(node, method, path, body=None, key=None, timeout=30):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(nodes[node]["base"] + path, data=data, method=method)
    req.add_header("X-Api-Key", key or args.key)
    if data is not None:
        req.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(req, timeout=timeout) as res:
            text = res.read()
            return res.status, (json.loads(text) if text and res.headers.get_content_type().endswith("json") else None)
    except urllib.error.HTTPError as e:
        return e.code, None


def alive(node):
    try:
        os.kill(nodes[node]["pid"], 0)
        return True
    except OSError:
        return False


def wait_ready(names, seconds=120):
    deadline = time.time() + seconds
    for n in names:
        while True:
            try:
                with urllib.request.urlopen(nodes[n]["base"] + "/health/ready", timeout=5) as res:
                    if res.status == 200:
                        break
            except (urllib.error.URLError, OSError):
                pass
            if time.time() > deadline or not alive(n):
                return False
            time.sleep(0.2)
    return True


def runners(names):
    """Per async projection, the nodes whose daemon runs it (GET /api/admin/projections on each)."""
    running = {}
    for n in names:
        status, body = request(n, "GET", "/api/admin/projections")
        if status != 200:
            continue
        for p in body["items"]:
            if p["lifecycle"] == "async":
                running.setdefault(p["name"], [])
                if p["status"] == "Running":
                    running[p["name"]].append(n)
    return running


def volatile_free(value):
    if isinstance(value, dict):
        return {k: volatile_free(v) for k, v in value.items() if k not in ("computedAt",)}
    if isinstance(value, list):
        return [volatile_free(v) for v in value]
    return value


def dashboards(n):
    figures = {}
    for d in ("portfolio", "funnel", "indicators", "overdue"):
        status, body = request(n, "GET", f"/api/dashboard/{d}")
        figures[d] = volatile_free(body) if status == 200 else status
    return figures


def converge(names, seconds=60):
    """Seconds until every node's dashboards show the same figures (None when they never do)."""
    start = time.time()
    while time.time() - start < seconds:
        seen = [json.dumps(dashboards(n), sort_keys=True) for n in names]
        if len(set(seen)) == 1:
            return time.time() - start
        time.sleep(0.25)
    return None


def commands(names, count, offset=0):
    statuses = {}
    for i in range(count):
        node = names[i % len(names)]
        measure = ids[i % len(ids)]
        body = {"indicator": "nutzung", "value": offset + i, "on": f"2025-04-{(i % 28) + 1:02d}", "source": "cluster"}
        status, _ = request(node, "POST", f"/api/measures/{measure}/record-measurement", body)
        statuses.setdefault(node, {}).setdefault(status, 0)
        statuses[node][status] += 1
    return statuses


names = list(nodes)
say(f"{len(names)} nodes in HotCold on one database: " + ", ".join(f"{n} {nodes[n]['base']}" for n in names))
check(wait_ready(names), "every node ready")

# Exactly one node runs each async projection.
deadline = time.time() + 60
while True:
    running = runners(names)
    if (running and all(len(v) == 1 for v in running.values())) or time.time() > deadline:
        break
    time.sleep(0.5)
for projection, on in sorted(running.items()):
    check(len(on) == 1, f"projection '{projection}' runs on exactly one node: {on}")
runner = running.get("monitoring", [None])[0]

# Commands spread over every node.
t0 = time.time()
spread = commands(names, args.commands)
elapsed = time.time() - t0
check(all(list(s.keys()) == [200] for s in spread.values()) and len(spread) == len(names),
      f"{args.commands} commands spread over {len(names)} nodes, all 200 ({args.commands / elapsed:.0f}/s sequential): "
      + ", ".join(f"{n} {sum(s.values())}" for n, s in spread.items()))
took = converge(names)
check(took is not None, f"dashboards on every node show the same figures after the commands ({took:.1f} s)" if took is not None else "dashboards converge")

# An API key revoked on one node is refused on all.
status, created = request(names[0], "POST", "/api/admin/api-keys", {"name": "cluster-revoke", "administration": "skzl", "roles": ["dashboard-reader"]})
check(status == 201, f"key created on {names[0]}")
secret, key_id = created["key"], created["id"]
check(all(request(n, "GET", "/api/dashboard/funnel", key=secret)[0] == 200 for n in names), "the new key works on every node (each now remembers it)")
status, _ = request(names[-1], "POST", f"/api/admin/api-keys/{key_id}/revoke")
revoked_at = time.time()
check(status == 200, f"key revoked on {names[-1]}")
refused = {}
while time.time() - revoked_at < 10 and len(refused) < len(names):
    for n in names:
        if n not in refused and request(n, "GET", "/api/dashboard/funnel", key=secret)[0] == 401:
            refused[n] = time.time() - revoked_at
    time.sleep(0.01)
check(len(refused) == len(names), "the revoked key is refused on every node: " + ", ".join(f"{n} after {s * 1000:.0f} ms" for n, s in refused.items()))

# Kill the node that runs the projections; another takes over.
if runner:
    say(f"killing {runner} (SIGKILL), the node running the async projections")
    os.kill(nodes[runner]["pid"], signal.SIGKILL)
    killed_at = time.time()
    rest = [n for n in names if n != runner]
    new_runner, took_over = None, None
    while time.time() - killed_at < 120:
        on = runners(rest).get("monitoring", [])
        if len(on) == 1:
            new_runner, took_over = on[0], time.time() - killed_at
            break
        time.sleep(0.25)
    check(new_runner is not None, f"{new_runner} took over the projections {took_over:.1f} s after the kill" if new_runner else "another node takes over within 120 s")
    after = commands(rest, args.commands // 3, offset=args.commands)
    check(all(list(s.keys()) == [200] for s in after.values()), f"{args.commands // 3} more commands on the remaining nodes, all 200")
    took = converge(rest)
    check(took is not None, f"dashboards on the remaining nodes converge again ({took:.1f} s), including the new commands" if took is not None else "dashboards converge after the take-over")
    projected = runners(rest)
    check(all(len(v) == 1 for v in projected.values()), "still exactly one runner per projection: " + ", ".join(f"{p} {v}" for p, v in sorted(projected.items())))
    check(wait_ready(rest, 30), "the remaining nodes are ready")

say(f"{'all checks passed' if not failed else str(len(failed)) + ' check(s) failed'}")
sys.exit(1 if failed else 0)
