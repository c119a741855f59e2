#!/usr/bin/env bash
# Builds sample-data/us-counties.tessera from the curated sample data with the `tessera import` CLI, plus a
# balanced scenario from `tessera plan` (unless the workbook is already newer than its sources). Needs a built
# tessera binary: pass its path as $1.
set -euo pipefail
cd "$(dirname "$0")/.."
tessera="${1:-target/release/tessera}"
out=sample-data/us-counties.tessera
src=(sample-data/us-counties.csv sample-data/us-county-adjacency.csv sample-data/us-counties.geojson sample-data/reps.csv)
fresh=1
[ -f "$out" ] || fresh=0
for f in "${src[@]}"; do [ "$f" -nt "$out" ] && fresh=0; done
if [ $fresh -eq 0 ]; then
  "$tessera" import --units sample-data/us-counties.csv --adjacency sample-data/us-county-adjacency.csv \
    --polygons sample-data/us-counties.geojson --reps sample-data/reps.csv --out "$out" --force
  # A second scenario beside the naive "current" one: one balanced territory per rep, to compare with.
  "$tessera" plan --workbook "$out" --save-as "balanced (±5%)" --seed 0
fi
