#!/usr/bin/env python3
"""What one command writes: rows per table, index entries, WAL bytes (and full-page images among them) and the measure document's size.

usage: command_writes.py PSQL_CONNINFO BASE_URL API_KEY MEASURE_ID COUNT

Sends COUNT record-measurement commands one after the other to one measure, waits until the async
projections have applied them and PostgreSQL's statistics are flushed, and divides the differences
of pg_stat_user_tables and of the WAL position by COUNT. Everything else on the cluster must be idle
(the benchmark runs it between workloads); asynchronous writes (projections, subscriptions) are
included and named by their tables. Prints one JSON object.
"""
import json
import subprocess
import sys
import time
import urllib.request

conninfo, base, key, measure, count = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])


def sql(query):
    out = subprocess.run(["psql", "-X", "-q", "-tA", "-F", "\t", conninfo, "-c", query],
                         check=True, capture_output=True, text=True).stdout
    return [line.split("\t") for line in out.splitlines() if line]


def stats():
    rows = sql("select relname, n_tup_ins, n_tup_upd, n_tup_hot_upd, n_tup_del, "
               "(select count(*) from pg_index i where i.indrelid = t.relid) "
               "from pg_stat_user_tables t where schemaname = 'gd'")
    return {r[0]: tuple(int(x) for x in r[1:]) for r in rows}


def wal():
    return int(sql("select pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::bigint")[0][0])


def full_page_images():
    # After a checkpoint the first change of each page writes the whole page to the WAL: a
    # checkpoint during the commands inflates their WAL, and this count says when that happened.
    return int(sql("select wal_fpi from pg_stat_wal")[0][0])


def document():
    r = sql(f"select pg_column_size(data), octet_length(data::text) from gd.mt_doc_measurestate where id = '{measure}'")
    return {"stored_bytes": int(r[0][0]), "json_bytes": int(r[0][1])}


def caught_up():
    # Every async shard's progression ("name:All") at the newest event; the daemon's own rows
    # (HighWaterMark, HighWaterStuckGap, ...) are not shards.
    for _ in range(600):
        r = sql("select coalesce(min(p.last_seq_id), 0) >= (select coalesce(max(seq_id), 0) from gd.mt_events) "
                "from gd.mt_event_progression p where p.name like '%:All'")
        if r and r[0][0] == "t":
            return
        time.sleep(0.1)


def settle():
    caught_up()
    # Backends report table statistics at most once a second, idle ones after 10 s.
    time.sleep(11)


settle()
doc_before, before, wal_before, fpi_before = document(), stats(), wal(), full_page_images()
for n in range(count):
    body = json.dumps({"indicator": "nutzung", "value": n, "on": "2025-03-01", "source": "bench"}).encode()
    request = urllib.request.Request(f"{base}/api/measures/{measure}/record-measurement", data=body, method="POST",
                                     headers={"Content-Type": "application/json", "X-Api-Key": key})
    urllib.request.urlopen(request).read()
settle()
after, wal_after, fpi_after, doc_after = stats(), wal(), full_page_images(), document()

tables = []
for name, (ins, upd, hot, dele, indexes) in sorted(after.items()):
    b = before.get(name, (0, 0, 0, 0, indexes))
    d_ins, d_upd, d_hot, d_del = ins - b[0], upd - b[1], hot - b[2], dele - b[3]
    if d_ins or d_upd or d_del:
        tables.append({
            "table": name,
            "inserted": round(d_ins / count, 2),
            "updated": round(d_upd / count, 2),
            "hot_updated": round(d_hot / count, 2),
            "deleted": round(d_del / count, 2),
            "indexes": indexes,
            # An insert or a non-HOT update adds an entry to every index; a HOT update to none.
            "index_entries": round((d_ins + d_upd - d_hot) * indexes / count, 2),
        })
print(json.dumps({
    "commands": count,
    "wal_bytes_per_command": round((wal_after - wal_before) / count),
    "full_page_images_per_command": round((fpi_after - fpi_before) / count, 2),
    "rows_per_command": round(sum(t["inserted"] + t["updated"] + t["deleted"] for t in tables), 2),
    "index_entries_per_command": round(sum(t["index_entries"] for t in tables), 2),
    "document_before": doc_before,
    "document_after": doc_after,
    "tables": tables,
}))
