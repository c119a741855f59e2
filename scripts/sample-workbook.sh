#!/usr/bin/env bash
# Builds sample-data/us-counties.tessera from the curated sample data with the `tessera import` CLI, plus a
# balanced scenario from `tessera plan` (unless the workbook is already newer than its sources). Needs a built
# tessera binary: pass its path as $1 (a debug build is fine: the optimizer is optimised in dev builds too).
set -euo pipefail
cd "$(dirname "$0")/.."
tessera="${1:-target/release/tessera}"
out=sample-data/us-counties.tessera
src=(sample-data/us-counties.csv sample-data/us-county-adjacency.csv sample-data/us-counties.geojson sample-data/reps.csv)
fresh=1
[ -f "$out" ] || fresh=0
for f in "${src[@]}"; do [ "$f" -nt "$out" ] && fresh=0; done
if [ $fresh -eq 0 ]; then
  # Built beside the target and moved into place at the end: a failed or interrupted build never leaves a
  # half-made workbook that looks newer than its sources (and so would not be rebuilt next time).
  part=sample-data/.us-counties.building.tessera
  rm -f "$part" "$part"-*
  "$tessera" import --units sample-data/us-counties.csv --adjacency sample-data/us-county-adjacency.csv \
    --polygons sample-data/us-counties.geojson --reps sample-data/reps.csv --out "$part" --force
  # A second scenario beside the naive "current" one: one balanced territory per rep, to compare with.
  "$tessera" plan --workbook "$part" --save-as "balanced (±5%)" --seed 0
  mv -f "$part" "$out"
  rm -f "$part"-*
fi
