#!/usr/bin/env python3
"""What one hand edit's workbook write costs under each SQLite journal mode, on a copy of a workbook.

Replays the statements of `Workbook::record_edit` (workbook/src/store/history.rs) for one unit of the "current"
scenario: stamp `modified`, read and rewrite the unit's assignment, append a history row, mirror the territory
into the units layer, commit. Tessera itself uses the rollback journal (DELETE) with synchronous=FULL; this
script measures what WAL would save, to judge that trade-off (see BENCHMARKS.md, "Hand edits in the real app").

usage: python3 bench/app/edit-latency.journal-modes.py WORKBOOK [COMMITS]
       (bench/app/edit-latency.sh builds /tmp/tessera-edit-bench/zips.tessera; the workbook is copied first)
"""
import os
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time


def run(path, mode, sync, commits):
    con = sqlite3.connect(path, isolation_level=None)
    # The GeoPackage R-tree triggers call these; Tessera registers them on its own connections.
    for name in ["ST_IsEmpty", "ST_MinX", "ST_MaxX", "ST_MinY", "ST_MaxY"]:
        con.create_function(name, 1, lambda g: 0)
    con.execute(f"PRAGMA journal_mode={mode}")
    con.execute(f"PRAGMA synchronous={sync}")
    sid = con.execute("SELECT id FROM tessera_scenarios WHERE name = 'current'").fetchone()[0]
    fids = [r[0] for r in con.execute("SELECT fid FROM units LIMIT 200")]
    times = []
    for k in range(commits):
        fid = fids[k % len(fids)]
        t = time.perf_counter()
        con.execute("BEGIN IMMEDIATE")
        con.execute(
            "UPDATE tessera_meta SET value = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE key = 'modified'"
        )
        (territory,) = con.execute(
            "SELECT territory FROM tessera_assignments WHERE scenario = ? AND unit = ?", (sid, fid)
        ).fetchone()
        con.execute(
            "UPDATE tessera_assignments SET territory = ? WHERE scenario = ? AND unit = ?", (territory, sid, fid)
        )
        con.execute(
            "INSERT INTO tessera_history (scenario, seq, created, change, undone) VALUES "
            "(?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM tessera_history WHERE scenario = ?), "
            "strftime('%Y-%m-%dT%H:%M:%fZ','now'), '{}', 0)",
            (sid, sid),
        )
        con.execute("UPDATE units SET territory = ? WHERE fid = ?", (territory, fid))
        con.execute("COMMIT")
        times.append((time.perf_counter() - t) * 1000)
    con.execute("PRAGMA journal_mode=DELETE")
    con.close()
    times.sort()
    print(
        f"{mode:8s} synchronous={sync:6s} commit median {statistics.median(times):6.2f} ms"
        f"  p90 {times[int(0.9 * len(times))]:6.2f}  max {times[-1]:6.2f}"
    )


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    commits = int(sys.argv[2]) if len(sys.argv) > 2 else 60
    with tempfile.TemporaryDirectory(dir=os.path.dirname(os.path.abspath(sys.argv[1]))) as tmp:
        path = os.path.join(tmp, "journal-modes.tessera")
        shutil.copyfile(sys.argv[1], path)
        for _ in range(2):
            for mode, sync in [("DELETE", "FULL"), ("TRUNCATE", "FULL"), ("WAL", "FULL"), ("WAL", "NORMAL")]:
                run(path, mode, sync, commits)


if __name__ == "__main__":
    main()
