#!/bin/sh
# Runs every fuzz target ONE AT A TIME for $SECS seconds (default 600) at the lowest priority, seeded with the
# curated seeds in fuzz/seeds/<target>/; the generated corpus goes to fuzz/corpus/<target>/ (not committed),
# crashes to fuzz/artifacts/<target>/, each run's log to fuzz/logs/<target>.log (not committed).
# Needs cargo-fuzz (`cargo install cargo-fuzz`); on the stable toolchain RUSTC_BOOTSTRAP=1 lets it pass -Z flags.
#   usage: fuzz/run-all.sh [SECS] [TARGET...]
set -u
cd "$(dirname "$0")"
SECS=${1:-600}
[ $# -gt 0 ] && shift
TARGETS=${*:-units_csv reps_csv plan_csv adjacency_csv polygons_geojson open_workbook}
mkdir -p logs
for t in $TARGETS; do
    mkdir -p "corpus/$t"
    echo "== $t: $SECS s, started $(date -u +%FT%TZ)"
    RUSTC_BOOTSTRAP=1 nice -n 19 cargo fuzz run -s address "$t" "corpus/$t" "seeds/$t" -- \
        -max_total_time="$SECS" -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 >"logs/$t.log" 2>&1
    echo "== $t: exit $?, ended $(date -u +%FT%TZ)"
    grep -E '^(stat::|Done|==[0-9]+==|SUMMARY|thread .* panicked)' "logs/$t.log" | head -20
done
