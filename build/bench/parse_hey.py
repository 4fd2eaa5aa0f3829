"""Turns hey's text summary into one JSON object (rps, p50/p95/p99 in ms, errors)."""
import json, re, sys

text = open(sys.argv[1]).read()
def num(pattern, default=0.0):
    m = re.search(pattern, text)
    return float(m.group(1)) if m else default
pct = {p: num(rf"\s{p}%+ in ([0-9.]+) secs") * 1000 for p in ("50", "95", "99")}
codes = {int(c): int(n) for c, n in re.findall(r"\[(\d{3})\]\s+(\d+) responses", text)}
ok = sum(n for c, n in codes.items() if 200 <= c < 400)
errors = sum(n for c, n in codes.items() if c >= 400) + int(num(r"Error distribution:\s*\n\s*\[(\d+)\]", 0))
print(json.dumps({
    "requests": sum(codes.values()), "rps": num(r"Requests/sec:\s+([0-9.]+)"),
    "p50_ms": round(pct["50"], 3), "p95_ms": round(pct["95"], 3), "p99_ms": round(pct["99"], 3),
    "mean_ms": round(num(r"Average:\s+([0-9.]+) secs") * 1000, 3), "ok": ok, "errors": errors, "status": codes,
}))
