#!/bin/sh
# Distils a fuzzing run's corpus (fuzz/corpus/<target>/, not committed) into a few curated seeds to commit:
# libFuzzer's -merge=1 keeps a minimal set of inputs covering every feature the corpus reached, then the
# smallest of those, at most $MAX files (default 60) and $BYTES bytes (default 120000) a target, are copied into
# fuzz/seeds/<target>/ as corpus-<sha1>.
#   usage: fuzz/curate.sh [TARGET...]     (after fuzz/run-all.sh; run when no fuzzer is running)
set -eu
cd "$(dirname "$0")"
MAX=${MAX:-60}
BYTES=${BYTES:-120000}
BIN=target/x86_64-unknown-linux-gnu/release
TARGETS=${*:-units_csv reps_csv plan_csv adjacency_csv polygons_geojson open_workbook}
for t in $TARGETS; do
    min=$(mktemp -d)
    nice -n 19 "$BIN/$t" -merge=1 -rss_limit_mb=2048 -timeout=10 "$min" "corpus/$t" >"logs/$t.merge.log" 2>&1
    total=0
    for f in $(ls -S -r "$min" | head -n "$MAX"); do
        size=$(wc -c <"$min/$f")
        [ $((total + size)) -gt "$BYTES" ] && break
        total=$((total + size))
        cp "$min/$f" "seeds/$t/corpus-$f"
    done
    echo "$t: $(ls "$min" | wc -l) inputs after merge, $(ls "seeds/$t" | wc -l) seeds, $(du -sh "seeds/$t" | cut -f1)"
    rm -rf "$min"
done
