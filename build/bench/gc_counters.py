#!/usr/bin/env python3
"""Summarises a dotnet-counters CSV of the System.Runtime meter (collected during a workload).

usage: gc_counters.py COUNTERS_CSV

Rates (collections, pause time, allocations) are summed over the collection; gauges (heap size,
working set) give their maximum. Prints one JSON object keyed by counter name.
"""
import collections
import csv
import json
import sys

sums, maxima, kinds = collections.defaultdict(float), {}, {}
with open(sys.argv[1], newline="") as f:
    for row in csv.DictReader(f):
        name = row.get("Counter Name") or ""
        kind = row.get("Counter Type") or ""
        try:
            value = float(row.get("Mean/Increment") or "nan")
        except ValueError:
            continue
        if value != value:
            continue
        kinds[name] = kind
        if kind == "Rate":
            sums[name] += value
        else:
            maxima[name] = max(value, maxima.get(name, value))
print(json.dumps({
    "rates_summed": {k: round(v, 4) for k, v in sorted(sums.items())},
    "gauges_max": {k: round(v, 4) for k, v in sorted(maxima.items())},
}))
