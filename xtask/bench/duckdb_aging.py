#!/usr/bin/env python3
"""The DuckDB baseline of `cargo xtask bench`: aging buckets only.

For every snapshot file given, the open amount per collector per aging
bucket, in one query over all the files (read_csv with the file list and
filename=true), with 2 threads, the result materialised with fetchall().

Buckets follow core/src/aging.rs: days past due (dpd) = snapshot date − due
date, the snapshot date being the file name YYYY-MM-DD.csv; Current is
dpd <= 0, then 1–30, 31–60, 61–90, 91–120 and 121+ (inclusive upper edges).

Usage: duckdb_aging.py --runs N SNAPSHOT.csv...

One warm-up run, then N timed runs in this process. Prints one JSON object
on stdout: the seconds of each timed run, the peak resident memory of this
process (ru_maxrss), the DuckDB version, the result's row count and, for the
cross-check against arsite's metrics.json, the amounts in cents per snapshot
(total and per collector per bucket).
"""

import argparse
import json
import resource
import sys
import time

import duckdb

BUCKETS = ["Current", "1–30", "31–60", "61–90", "91–120", "121+"]

QUERY = """
WITH items AS (
    SELECT
        CAST(regexp_extract(filename, '(\\d{4}-\\d{2}-\\d{2})\\.csv$', 1) AS DATE) AS as_of,
        collector,
        due_date,
        open_amount
    FROM read_csv(
        $files,
        header = true,
        filename = true,
        types = {'due_date': 'DATE', 'open_amount': 'DECIMAL(18,2)', 'collector': 'VARCHAR'}
    )
)
SELECT
    as_of,
    collector,
    CASE
        WHEN date_diff('day', due_date, as_of) <= 0 THEN 0
        WHEN date_diff('day', due_date, as_of) <= 30 THEN 1
        WHEN date_diff('day', due_date, as_of) <= 60 THEN 2
        WHEN date_diff('day', due_date, as_of) <= 90 THEN 3
        WHEN date_diff('day', due_date, as_of) <= 120 THEN 4
        ELSE 5
    END AS bucket,
    sum(open_amount) AS amount
FROM items
GROUP BY ALL
"""


def run_once(con, files):
    started = time.perf_counter()
    rows = con.execute(QUERY, {"files": files}).fetchall()
    return time.perf_counter() - started, rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("files", nargs="+")
    args = parser.parse_args()

    con = duckdb.connect()
    con.execute(f"SET threads = {int(args.threads)}")
    warmup, rows = run_once(con, args.files)
    print(f"duckdb: warm-up {warmup:.3f} s, {len(rows)} result rows", file=sys.stderr)
    times = []
    for i in range(args.runs):
        seconds, rows = run_once(con, args.files)
        times.append(seconds)
        print(f"duckdb: run {i + 1}/{args.runs}: {seconds:.3f} s", file=sys.stderr)

    snapshots = {}
    for as_of, collector, bucket, amount in rows:
        cents = int(amount * 100)
        snap = snapshots.setdefault(str(as_of), {"total_cents": 0, "by_collector": {}})
        snap["total_cents"] += cents
        per = snap["by_collector"].setdefault(collector or "", [0] * len(BUCKETS))
        per[bucket] += cents

    # ru_maxrss is in KiB on Linux.
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    json.dump(
        {
            "duckdb_version": duckdb.__version__,
            "threads": args.threads,
            "files": len(args.files),
            "warmup_s": warmup,
            "times_s": times,
            "peak_rss_bytes": peak,
            "result_rows": len(rows),
            "bucket_labels": BUCKETS,
            "snapshots": snapshots,
        },
        sys.stdout,
        ensure_ascii=False,
    )
    print()


if __name__ == "__main__":
    main()
