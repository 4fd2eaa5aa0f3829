"""Turns pgbench's summary into one JSON object (tps, mean latency ms, failures)."""
import json, re, sys

text = open(sys.argv[1]).read()
def num(pattern):
    m = re.search(pattern, text)
    return float(m.group(1)) if m else 0.0
print(json.dumps({
    "tps": num(r"tps = ([0-9.]+)"), "latency_ms": num(r"latency average = ([0-9.]+) ms"),
    "transactions": int(num(r"number of transactions actually processed: (\d+)")),
    "failed": int(num(r"number of failed transactions: (\d+)")),
}))
