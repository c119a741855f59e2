#!/usr/bin/env bash
# Issue 13's scale targets: exporting a scenario of the 29,546-ZIP instance to each format in under 5 s, and
# comparing two of its scenarios in under 2 s. Imports the instance into a workbook, plans two scenarios on it
# (once; kept in the work folder), then times `tessera compare` and every `tessera export` format REPEATS times
# each with /usr/bin/time, and prints min / median / max of wall and user CPU time, peak memory and the output's
# size, with the load average before and after. The app's Export… runs the same code (workbook's
# export_scenario), so these times are the app's too, less the dialog.
#
# usage: bench/exports/run.sh [WORK_DIR]     (default: a temporary folder, removed at the end)
# env:   TESSERA   the CLI (default: $CARGO_TARGET_DIR or target, release/tessera)
#        INSTANCE  default ../shared/instances/zips-conus-large beside the repository
#        REPEATS   default 5
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$PWD
T=${TESSERA:-${CARGO_TARGET_DIR:-$repo/target}/release/tessera}
I=${INSTANCE:-$repo/../shared/instances/zips-conus-large}
[[ -d $I ]] || I=/work/shared/instances/zips-conus-large
REPEATS=${REPEATS:-5}
[[ -x $T ]] || { echo "no release CLI at $T: cargo build --release -p tessera-cli" >&2; exit 2; }
if [[ -n ${1:-} ]]; then work=$1; mkdir -p "$work"; else work=$(mktemp -d); trap 'rm -rf "$work"' EXIT; fi
wb=$work/z.tessera
if [[ ! -f $wb ]]; then
  "$T" import --units "$I/units.csv" --adjacency "$I/adjacency.csv" --out "$wb" >/dev/null
  # The plans need not keep ±5% (exit 3): only their size and difference matter here.
  "$T" plan --workbook "$wb" --territories 491 --save-as a --restarts 1 --seed 1 --time-limit 40 >/dev/null || true
  "$T" plan --workbook "$wb" --territories 491 --save-as b --restarts 1 --seed 2 --tolerance 0.1 --time-limit 40 \
    >/dev/null || true
fi
echo "commit $(git -C "$repo" rev-parse --short HEAD), $(date -u '+%Y-%m-%d %H:%M UTC'), load before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "| command | wall (min / median / max) | user CPU (min / median / max) | peak memory (max) | output |"
echo "| --- | --- | --- | --- | --- |"
# Runs "$@" REPEATS times; prints one table row named $1 for output $2 (a file or a folder).
measure() {
  local name=$1 out=$2; shift 2
  local times=()
  for _ in $(seq "$REPEATS"); do
    /usr/bin/time -o "$work/time" -f '%e %U %M' "$@" >/dev/null 2>&1
    times+=("$(tail -1 "$work/time")")
  done
  printf '%s\n' "${times[@]}" | python3 -c '
import statistics, sys
rows = [tuple(map(float, l.split())) for l in sys.stdin if l.strip()]
w = sorted(r[0] for r in rows); u = sorted(r[1] for r in rows); m = max(r[2] for r in rows)
f = lambda v: "%.2f / %.2f / %.2f s" % (v[0], statistics.median(v), v[-1])
print("| %s | %s | %s | %.0f MB | %s |" % (sys.argv[1], f(w), f(u), m / 1024, sys.argv[2]))
' "$name" "$(du -sh "$out" 2>/dev/null | cut -f1)"
}
measure "compare a b" "$work/zc" "$T" compare "$wb" a b --out "$work/zc" --force
for f in csv geojson xlsx gpkg html json; do
  measure "export .$f" "$work/a.$f" "$T" export "$wb" --scenario a --baseline b --out "$work/a.$f" --force
done
measure "export units-geojson" "$work/a-units.geojson" \
  "$T" export "$wb" --scenario a --baseline b --format units-geojson --out "$work/a-units.geojson" --force
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
