"""Builds report.md (stdout) and results.json from the figures bench.sh wrote into one folder."""
import json, os, platform, statistics, subprocess, sys

out = sys.argv[1]
def load(name, default=None):
    path = os.path.join(out, name + ".json")
    return json.load(open(path)) if os.path.exists(path) else default

def cpu():
    try:
        return next(l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name"))
    except Exception:
        return platform.processor()

results = {"machine": {"cpu": cpu(), "cores": os.cpu_count()}, "workloads": {}, "targets": []}
lines = ["# Benchmark report", "",
         f"Machine: {results['machine']['cpu']}, {results['machine']['cores']} cores. "
         "Every figure of ours is also given as a ratio to PostgreSQL's own ceiling on the same machine.", ""]

def target(name, met, detail):
    results["targets"].append({"target": name, "met": bool(met), "detail": detail})

ceiling = {c: load(f"ceiling-c{c}") for c in (1, 8, 32)}
# The peer baseline: bare Marten (FetchForWriting, AppendOne, SaveChanges) with the same configuration.
peer = {c: load(f"peer-c{c}") for c in (1, 8, 32)}
def fmt(x, spec):
    return format(x, spec) if x is not None else "–"
def per(a, b):
    return a / b if a is not None and b else None
labels = [l for l in ("small", "medium", "large") if load(f"w1-{l}-c8") or load(f"w2-{l}-paced-measure")]
def measures_of(label):
    return (load(f"scale-{label}") or {}).get("measures")
def titled(label):
    n = measures_of(label)
    return f"{label}, {n:,} measures" if n else label
for label in labels:
    rows = []
    for c in (1, 8, 32):
        w = load(f"w1-{label}-c{c}")
        if not w:
            continue
        ceil = ceiling.get(c) or {}
        ratio = per(w["rps"], ceil.get("tps"))
        bare = (peer.get(c) or {}).get("rps")
        peer_ratio = per(w["rps"], bare)
        rss = (load(f"rss-w1-{label}-c{c}") or {}).get("rss_mb")
        rows.append((c, w, ceil, ratio, rss, bare, peer_ratio))
        results["workloads"][f"w1-{label}-c{c}"] = {**w, "ceiling_tps": ceil.get("tps"), "ratio": ratio, "rss_mb": rss,
                                                    "peer_rps": bare, "peer_ratio": peer_ratio}
    if rows:
        lines += [f"## Workload 1 ({titled(label)}): lifecycle commands", "",
                  "| clients | commands/s | p50 ms | p95 ms | p99 ms | errors | pgbench ceiling tps | ratio | bare Marten cmd/s | ratio to bare Marten | peak RSS MB |",
                  "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
        for c, w, ceil, ratio, rss, bare, peer_ratio in rows:
            lines.append(f"| {c} | {w['rps']:.0f} | {w['p50_ms']:.1f} | {w['p95_ms']:.1f} | {w['p99_ms']:.1f} | {w['errors']} | "
                         f"{fmt(ceil.get('tps'), '.0f')} | {fmt(ratio, '.2f')} | {fmt(bare, '.0f')} | {fmt(peer_ratio, '.2f')} | {rss} |")
        lines.append("")
        eight = next((r for r in rows if r[0] == 8), None)
        if eight and label == "small":
            target("Commands ≥ 50% of the pgbench ceiling at 8 clients", (eight[3] or 0) >= 0.5, f"ratio {eight[3] or 0:.2f}")
            target("Commands p99 < 30 ms at 8 clients", eight[1]["p99_ms"] < 30, f"p99 {eight[1]['p99_ms']:.1f} ms")
            if eight[5]:
                target("Commands ≥ 70% of bare Marten at 8 clients", eight[6] >= 0.7, f"ratio {eight[6]:.2f} ({eight[1]['rps']:.0f}/s vs {eight[5]:.0f}/s)")

    for variant, what in (("paced", "paced commands"), ("saturated", "saturating commands")):
        reads = [(n, load(f"w2-{label}-{variant}-{n}")) for n in ("measure", "dashboard")]
        reads = [(n, r) for n, r in reads if r]
        commands = load(f"w2-{label}-{variant}-commands") or {}
        if not reads:
            continue
        lines += [f"## Workload 2 ({titled(label)}): reads at 500 requests/s (250 measure + 250 dashboard) with {what} alongside", "",
                  f"Commands alongside: {commands.get('rps', 0):.0f}/s (p99 {commands.get('p99_ms', 0):.1f} ms, {commands.get('errors', 0)} errors).", "",
                  "| read | requests/s | p50 ms | p95 ms | p99 ms | max ms | errors |", "|---|---:|---:|---:|---:|---:|---:|"]
        for n, r in reads:
            lines.append(f"| {n} | {r['rps']:.0f} | {r['p50_ms']:.2f} | {r['p95_ms']:.2f} | {r['p99_ms']:.2f} | {r.get('max_ms', 0):.1f} | {r['errors']} |")
            results["workloads"][f"w2-{label}-{variant}-{n}"] = r
        results["workloads"][f"w2-{label}-{variant}-commands"] = commands
        lines.append("")
        if variant == "paced" and label in ("small", "large"):
            worst = max(r["p99_ms"] for _, r in reads)
            longest = max(r.get("max_ms", 0) for _, r in reads)
            target(f"Reads p99 < 10 ms at 500 requests/s with commands running ({titled(label)})", worst < 10,
                   f"worst p99 {worst:.2f} ms, {commands.get('rps', 0):.0f} commands/s alongside")
            target(f"Reads maximum < 100 ms over the run ({titled(label)})", longest < 100,
                   f"maximum {longest:.1f} ms over {(reads[0][1]['duration_us'] / 1e6):.0f} s (the target's window is 60 s)")
        if variant == "paced":
            gc, waits, locks = load(f"gc-{label}"), load(f"pgwaits-{label}"), load(f"locks-{label}")
            if gc or waits:
                lines += [f"What the service and PostgreSQL did meanwhile (dotnet-counters System.Runtime; pg_stat_activity sampled every "
                          f"{(waits or {}).get('interval_ms', 50):.0f} ms; lock waits over 100 ms in the server log):", ""]
                rates, gauges = (gc or {}).get("rates_summed", {}), (gc or {}).get("gauges_max", {})
                def rate(prefix):
                    return sum(v for k, v in rates.items() if k.startswith(prefix))
                def gen(name, g):
                    return next((v for k, v in rates.items() if k.startswith(name) and f"generation={g}" in k), 0)
                heap = lambda g: next((v for k, v in gauges.items() if k.startswith("dotnet.gc.last_collection.heap.size") and f"generation={g}" in k), 0)
                observed = {
                    "gc_collections": {g: gen("dotnet.gc.collections", g) for g in ("gen0", "gen1", "gen2")},
                    "gc_pause_s": rate("dotnet.gc.pause.time"),
                    "allocated_mb": rate("dotnet.gc.heap.total_allocated") / 1e6,
                    "gen2_heap_mb": heap("gen2") / 1e6,
                    "working_set_mb": next((v for k, v in gauges.items() if k.startswith("dotnet.process.memory.working_set")), 0) / 1e6,
                    "lock_contentions": rate("dotnet.monitor.lock_contentions"),
                    "pg": waits, "lock_waits_logged": (locks or {}).get("lock_waits_logged"),
                }
                results["workloads"][f"w2-{label}-observed"] = observed
                c = observed["gc_collections"]
                top = ", ".join(f"{w['event']} {w['share']:.0%}" for w in (waits or {}).get("waits", [])[:4]) or "–"
                longest_lock = ((waits or {}).get("longest_lock_wait") or {}).get("ms", 0)
                lines += ["| GC collections gen0 / gen1 / gen2 | GC pause s | allocated MB | gen-2 heap MB | working set MB | monitor lock contentions | active backends (mean) | backends' time by wait | lock-wait samples (longest ms) | lock waits logged |",
                          "|---|---:|---:|---:|---:|---:|---:|---|---:|---:|",
                          f"| {c['gen0']:.0f} / {c['gen1']:.0f} / {c['gen2']:.0f} | {observed['gc_pause_s']:.3f} | {observed['allocated_mb']:,.0f} | "
                          f"{observed['gen2_heap_mb']:,.0f} | {observed['working_set_mb']:,.0f} | {observed['lock_contentions']:.0f} | "
                          f"{(waits or {}).get('mean_active_backends', 0)} | {top} | {(waits or {}).get('lock_samples', 0)} ({longest_lock}) | "
                          f"{observed['lock_waits_logged'] if observed['lock_waits_logged'] is not None else '–'} |", ""]

    h, t, copy = load(f"w3-{label}-history"), load(f"w3-{label}-timetravel"), load(f"w3-{label}-copy")
    if h and t:
        lines += [f"## Workload 3 ({titled(label)}): a measure with 10,000 events", "",
                  "| request | p50 ms | p95 ms | p99 ms | errors |", "|---|---:|---:|---:|---:|",
                  f"| full history (pages of {h.get('limit', 1000):,}) | {h['p50_ms']:.1f} | {h['p95_ms']:.1f} | {h['p99_ms']:.1f} | {h['errors']} |",
                  f"| time travel to version 5,000 | {t['p50_ms']:.1f} | {t['p95_ms']:.1f} | {t['p99_ms']:.1f} | {t['errors']} |"]
        if copy:
            lines.append(f"| PostgreSQL alone: COPY of the same {copy['rows']:,} rows to psql ({copy['runs']} runs) | {copy['p50_ms']:.1f} | | | |")
        lines.append("")
        results["workloads"][f"w3-{label}"] = {"history": h, "timetravel": t, "copy": copy}
        if copy and label == "small":
            target("History ≤ 1.5 × PostgreSQL alone sending the same rows", h["p50_ms"] <= 1.5 * copy["p50_ms"],
                   f"{h['p50_ms']:.1f} ms vs COPY {copy['p50_ms']:.1f} ms: {h['p50_ms'] / copy['p50_ms']:.2f} ×")
        if label == "small":
            target("History of a 10,000-event measure < 200 ms", h["p50_ms"] < 200, f"p50 {h['p50_ms']:.1f} ms (pages of {h.get('limit', 1000):,})")
            target("Time travel to its middle < 20 ms", t["p50_ms"] < 20, f"p50 {t['p50_ms']:.1f} ms")

    writes = [(name, load(f"w8-{label}-{name}")) for name in ("short", "long")]
    if all(w for _, w in writes):
        lines += [f"## Workload 8 ({titled(label)}): what one command writes", "",
                  "Per record-measurement command, asynchronous projections and subscriptions included (build/bench/command_writes.py).", "",
                  "| measure | rows | index entries | WAL bytes | full-page images | document JSON bytes (stored) |", "|---|---:|---:|---:|---:|---:|"]
        for name, w in writes:
            d = w["document_after"]
            fpi = w.get("full_page_images_per_command", "")
            lines.append(f"| {name} | {w['rows_per_command']} | {w['index_entries_per_command']} | {w['wal_bytes_per_command']:,} | {fpi} | {d['json_bytes']:,} ({d['stored_bytes']:,}) |")
        lines += ["", "| table (short measure) | inserted | updated | HOT | indexes | index entries |", "|---|---:|---:|---:|---:|---:|"]
        for t in writes[0][1]["tables"]:
            lines.append(f"| {t['table']} | {t['inserted']} | {t['updated']} | {t['hot_updated']} | {t['indexes']} | {t['index_entries']} |")
        lines.append("")
        results["workloads"][f"w8-{label}"] = dict(writes)

peer_rows = [(c, p) for c, p in peer.items() if p]
if peer_rows:
    lines += ["## Peer baseline: bare Marten", "",
              "The same event as workload 1 appended the way the Critter Stack samples do (`FetchForWriting`, `AppendOne`, "
              "`SaveChanges`) with the service's Marten configuration and its async projections running alongside, on "
              f"{(load('load-peer') or {}).get('measures', 1000):,} measures of a database of its own: no HTTP, no authorization, no decision, no hash chain, no idempotency "
              "record, no retry (a lost concurrent write counts as an error).", "",
              "| clients | commands/s | p50 ms | p99 ms | errors | ratio to pgbench |", "|---:|---:|---:|---:|---:|---:|"]
    for c, p in peer_rows:
        r = per(p["rps"], (ceiling.get(c) or {}).get("tps"))
        lines.append(f"| {c} | {p['rps']:.0f} | {p['p50_ms']:.1f} | {p['p99_ms']:.1f} | {p['errors']} | {fmt(r, '.2f')} |")
        results["workloads"][f"peer-c{c}"] = {**p, "ceiling_ratio": r}
    lines.append("")

w4 = load("w4-rebuild")
if w4:
    rebuild_rate = w4["events"] / (w4["rebuild_ms"] / 1000)
    seq_rate = w4["events"] / (w4["seq_read_ms"] / 1000)
    ratio = rebuild_rate / seq_rate
    lines += ["## Workload 4: full projection rebuild", "",
              "| events | rebuild s | events/s | sequential read s | rows/s | ratio |", "|---:|---:|---:|---:|---:|---:|",
              f"| {w4['events']:,} | {w4['rebuild_ms']/1000:.1f} | {rebuild_rate:,.0f} | {w4['seq_read_ms']/1000:.2f} | {seq_rate:,.0f} | {ratio:.2f} |", ""]
    results["workloads"]["w4"] = {**w4, "rebuild_events_per_s": rebuild_rate, "seq_rows_per_s": seq_rate, "ratio": ratio}
    target("Rebuild ≥ 25% of the sequential read rate", ratio >= 0.25, f"ratio {ratio:.2f} over {w4['events']:,} events")

cold = {b: [c for c in (load(f"w5-{b}-{i}") for i in (1, 2, 3)) if c] for b in ("static", "dynamic")}
if any(cold.values()):
    lines += ["## Workload 5: cold start, static build (the image) and dynamic build (Roslyn at start)", "",
              "Medians of 3 alternating starts: process start to ready, then the first request of each kind",
              "(a dynamic build compiles each endpoint's handler at its first request), and peak memory.", "",
              "| build | ready | first list | first command | first dashboard | peak RSS |", "|---|---|---|---|---|---|"]
    w5 = {}
    for b, runs in cold.items():
        if not runs:
            continue
        m = {k: statistics.median(r[k] for r in runs) for k in ("ready_ms", "first_list_s", "first_command_s", "first_dashboard_s", "rss_mb")}
        w5[b] = m
        lines.append(f"| {b} | {m['ready_ms']:.0f} ms | {m['first_list_s'] * 1000:.0f} ms | {m['first_command_s'] * 1000:.0f} ms | {m['first_dashboard_s'] * 1000:.0f} ms | {m['rss_mb']:.0f} MB |")
    lines.append("")
    results["workloads"]["w5"] = w5
    if "static" in w5:
        target("Cold start to ready < 3 s", w5["static"]["ready_ms"] < 3000, f"static build, median {w5['static']['ready_ms']:.0f} ms")

imp, single = load("w7-import"), load("w7-single")
if imp and single:
    reads = {side: [(n, load(f"w7-{side}-reads-{n}")) for n in ("measure", "dashboard")] for side in ("import", "single")}
    rows_ratio = imp["rows_per_s"] / single["rows_per_s"]
    commands_ratio = imp["commands_per_s"] / single["commands_per_s"]
    c = imp["counts"]
    machine_load = load("w7-load")
    lines += ["## Import (workload 7)", "",
              f"An import of {imp['rows']:,} new measures (CSV, BOM, ';'; stages idea to pilot in turn: {imp['commands']:,} commands) "
              f"against the same rows' commands sent one by one over HTTP by one client ({single['rows']:,} rows, {single['commands']:,} commands; "
              "propose, then each step with If-Match), both with 250 measure + 250 dashboard reads per second from other clients alongside.", "",
              "| | rows | commands | seconds | rows/s | commands/s |", "|---|---:|---:|---:|---:|---:|",
              f"| import (POST to completed) | {imp['rows']:,} | {imp['commands']:,} | {imp['wall_s']:.1f} | {imp['rows_per_s']:.1f} | {imp['commands_per_s']:.0f} |",
              f"| single commands over HTTP | {single['rows']:,} | {single['commands']:,} | {single['seconds']:.1f} | {single['rows_per_s']:.1f} | {single['commands_per_s']:.0f} |",
              f"| ratio import / single | | | | {rows_ratio:.2f} | {commands_ratio:.2f} |", "",
              f"Import: the POST (upload, reading and storing {imp['rows']:,} rows) took {imp['post_ms']:,} ms until its 202; the service's own "
              f"createdAt → finishedAt {imp['server_s']:.1f} s. Outcomes: {c['create']:,} create, {c['update']} update, {c['unchanged']} unchanged, "
              f"{c['rejected']} rejected, {c['failed']} failed. Single commands: p50 {single['p50_ms']:.1f} ms, p99 {single['p99_ms']:.1f} ms "
              f"per command, {single['errors']} errors." + (f" Load average (1, 5, 15 min) of the shared machine before: {', '.join(map(str, machine_load['before']))}; "
              f"after: {', '.join(map(str, machine_load['after']))}." if machine_load else ""), "",
              "Other clients' reads meanwhile:", "",
              "| while | read | requests/s | p50 ms | p95 ms | p99 ms | errors |", "|---|---|---:|---:|---:|---:|---:|"]
    for side, what in (("import", "importing"), ("single", "single commands")):
        for n, r in reads[side]:
            if r:
                lines.append(f"| {what} | {n} | {r['rps']:.0f} | {r['p50_ms']:.2f} | {r['p95_ms']:.2f} | {r['p99_ms']:.2f} | {r['errors']} |")
    lines.append("")
    results["workloads"]["w7"] = {"import": imp, "single": single, "rows_ratio": rows_ratio, "commands_ratio": commands_ratio,
                                  "reads": {side: {n: r for n, r in rs if r} for side, rs in reads.items()}}

none, ten = load("wh-none"), load("wh-ten")
if none and ten:
    ratio = ten["rps"] / none["rps"] if none["rps"] else None
    runs = [(label, what, load(name), load(f"{name}-drain"), load(f"{name}-receiver"), load(f"{name}-feed"), load(f"{name}-queue"), load(f"{name}-seq"), load(f"{name}-log") or {})
            for label, name, what in (("0 subscriptions", "wh-none", "8 connections"), ("10 subscriptions", "wh-ten", "8 connections"),
                                      ("10 subscriptions, paced", "wh-paced", "2 connections, paced"))]
    machine_load = load("wh-load")
    lines += ["## Webhooks (workload 8)", "",
              "`record-measurement` commands over the 1,000 measures without a webhook subscription, then with 10 subscriptions to one receiver "
              "on loopback (it answers 200 at once; every change is delivered 10 times), then paced with the same 10. Delivery latency: the "
              "receiver's clock at arrival minus the change's timestamp, which PostgreSQL stamps when the command's transaction starts, so it "
              "overstates the time from commit by the transaction's own few milliseconds. Its halves come from the service's delivery queue "
              "(`webhook_deliveries`): commit to queued by the fan-out (`created_at`), queued to delivered (`delivered_at`, recorded after the "
              "receiver's answer). Drain: when the last delivery arrived after the "
              "commands stopped. One client follows the change feed (`wait=30`) meanwhile: its latency is an answer's arrival minus the "
              "newest change's timestamp in it. Sequence gaps: numbers of the global event sequence that no committed event took (a "
              "transaction rolled back, e.g. a command's attempt that lost a concurrent write and was retried); the async daemon's high water "
              "mark, which the fan-out and the feed follow, waits at each before passing it; high water skips: how often the service logged that "
              "it skipped a gap after waiting for it (3 s by default). Dispatcher pauses: how often the service logged \"Webhook deliveries "
              "paused for 2 s\" (an error in a delivery round, e.g. its claim query's 30 s command timeout).", "",
              f"Commands with 10 subscriptions / without: **{ratio:.2f}** ({ten['rps']:.0f}/s vs {none['rps']:.0f}/s)." if ratio else "",
              ("Load average (1, 5, 15 min) of the shared machine before: " + ", ".join(map(str, machine_load["before"]))
               + "; after: " + ", ".join(map(str, machine_load["after"])) + ".") if machine_load else "", "",
              "| run | commands | commands/s | p50 ms | p99 ms | errors | sequence gaps | high water skips | feed answers | feed latency p50 ms | p99 ms |",
              "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    section = {"ratio": ratio, "load": machine_load, "runs": {}}
    for label, what, w, drain, receiver, feed, queue, seq, log in runs:
        if not w:
            continue
        feed, seq = feed or {}, seq or {}
        lines.append(f"| {label} | {what} | {w['rps']:.0f} | {w['p50_ms']:.1f} | {w['p99_ms']:.1f} | {w['errors']} | {seq.get('gaps', '–')} | {log.get('high_water_skips', '–')} | "
                     f"{feed.get('answers', 0)} | {feed.get('p50_ms', 0):,.0f} | {feed.get('p99_ms', 0):,.0f} |")
        section["runs"][label] = {"commands": w, "sequence": seq, "log": log, "feed": feed, "drain": drain,
                                  "receiver": {k: v for k, v in (receiver or {}).items() if k != "per_second"}}
    lines += ["", "| run | changes | deliveries received / expected | repeats | latency p50 s | p99 s | max s | commit → queued p50 / p99 s | queued → delivered p50 / p99 s | deliveries/s while commands ran | after the commands | last one after the commands stopped | dispatcher pauses |",
              "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for label, what, w, drain, receiver, feed, queue, seq, log in runs:
        if not (w and drain and receiver):
            continue
        per_second = {int(k): v for k, v in receiver.get("per_second", {}).items()}
        end_s = drain["end_unix_ms"] / 1000
        during = sum(v for k, v in per_second.items() if k < end_s) / (w["duration_us"] / 1e6)
        after_span = (receiver["last_unix_ms"] / 1000 - end_s) if receiver.get("last_unix_ms") else 0
        after = sum(v for k, v in per_second.items() if k >= end_s) / after_span if after_span > 1 else None
        section["runs"][label]["deliveries_per_s"] = {"while_commands": during, "after_commands": after}
        section["runs"][label]["queue"] = queue
        q = queue or {}
        halves = lambda a: f"{(q.get(a + '_p50_ms') or 0) / 1000:.2f} / {(q.get(a + '_p99_ms') or 0) / 1000:.2f}" if q else "–"
        lines.append(f"| {label} | {drain['changes']:,} | {drain['received']:,} / {drain['expected']:,}{'' if drain['drained'] else ' (not drained)'} | "
                     f"{receiver['repeats']} | {receiver['p50_ms'] / 1000:.2f} | {receiver['p99_ms'] / 1000:.2f} | {receiver['max_ms'] / 1000:.2f} | "
                     f"{halves('queued')} | {halves('sent')} | "
                     f"{during:,.0f} | {f'{after:,.0f}/s' if after else '–'} | {drain['drain_s']:.1f} s | {log.get('dispatcher_pauses', '–')} |")
    lines.append("")
    results["workloads"]["webhooks"] = section

if len(labels) > 1:
    W = results["workloads"]
    def g(key, *path):
        v = W.get(key)
        for p in path:
            v = (v or {}).get(p) if isinstance(v, dict) else None
        return v
    curve = [
        ("commands/s at 8 clients", lambda l: g(f"w1-{l}-c8", "rps"), False),
        ("command p99 ms at 8 clients", lambda l: g(f"w1-{l}-c8", "p99_ms"), True),
        ("measure read p99 ms (paced)", lambda l: g(f"w2-{l}-paced-measure", "p99_ms"), True),
        ("dashboard read p99 ms (paced)", lambda l: g(f"w2-{l}-paced-dashboard", "p99_ms"), True),
        ("read maximum ms (paced)", lambda l: max(g(f"w2-{l}-paced-measure", "max_ms") or 0, g(f"w2-{l}-paced-dashboard", "max_ms") or 0) or None, True),
        ("history p50 ms", lambda l: g(f"w3-{l}", "history", "p50_ms"), True),
        ("time travel p50 ms", lambda l: g(f"w3-{l}", "timetravel", "p50_ms"), True),
        ("WAL bytes per command (short measure)", lambda l: g(f"w8-{l}", "short", "wal_bytes_per_command"), True),
        ("GC pause s during reads (paced)", lambda l: g(f"w2-{l}-observed", "gc_pause_s"), True),
        ("peak RSS MB", lambda l: (load(f"rss-{l}") or {}).get("rss_mb"), True),
    ]
    first, last = labels[0], labels[-1]
    lines += ["## Scale curve", "",
              "The same workloads at each scale, in one run (the process and the database grow from one scale to the next; peak RSS is the "
              "process's high-water mark so far). Growth: the largest scale's figure over the smallest's (for commands/s, the smallest's "
              "over the largest's, so above 1 is worse everywhere).", "",
              "| figure | " + " | ".join(titled(l) for l in labels) + " | growth |", "|---|" + "---:|" * (len(labels) + 1)]
    growth = {}
    for name, f, higher_is_worse in curve:
        values = [f(l) for l in labels]
        a, b = values[0], values[-1]
        gr = (b / a if higher_is_worse else a / b) if a and b else None
        growth[name] = {"values": dict(zip(labels, values)), "growth": gr}
        cells = " | ".join(fmt(v, ",.1f") if v is not None else "–" for v in values)
        lines.append(f"| {name} | {cells} | {fmt(gr, '.2f')} |")
    lines.append("")
    results["scale_curve"] = growth
    over = [n for n, v in growth.items() if v["growth"] is not None and v["growth"] > 1.5 and n != "peak RSS MB"]
    target(f"Each figure at {titled(last)} within 1.5 × the one at {titled(first)}", not over,
           "over 1.5 ×: " + ", ".join(f"{n} ({growth[n]['growth']:.2f})" for n in over) if over else "all within 1.5 ×")
    rss = growth["peak RSS MB"]["growth"]
    if rss is not None:
        target(f"Peak memory at {titled(last)} ≤ 1.5 × the peak at {titled(first)}", rss <= 1.5,
               f"{growth['peak RSS MB']['values'][last]} MB vs {growth['peak RSS MB']['values'][first]} MB: {rss:.2f} ×")
row_memory = load("row-memory")
if row_memory:
    lines += ["## What a node keeps per measure for the dashboards", "",
              f"Managed heap per monitoring row of a benchmark pilot measure with {row_memory['measurements']} measurements "
              f"({row_memory['rows']:,} rows, each read from its own JSON as the projection stores it; `row-memory`): "
              f"as stored {row_memory['full_bytes_per_row']:,} bytes, as kept (reduced to what the dashboards read) "
              f"**{row_memory['reduced_bytes_per_row']:,} bytes**; JSON {row_memory['json_bytes_per_row']:,} bytes.", ""]
    results["workloads"]["row-memory"] = row_memory

lines += ["## Targets", "", "| target | met | figure |", "|---|---|---|"]
lines += [f"| {t['target']} | {'yes' if t['met'] else 'no'} | {t['detail']} |" for t in results["targets"]]
json.dump(results, open(os.path.join(out, "results.json"), "w"), indent=2)
print("\n".join(lines))
