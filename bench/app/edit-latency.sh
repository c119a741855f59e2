#!/usr/bin/env bash
# Hand-edit latency in the real desktop app (release build, Xvfb, software WebGL), on the sample counties and
# on 29,546 ZIP codes in 491 territories. Builds the ZIP workbook with the CLI once (in $BENCH_DIR), builds
# the window and the app in release, then runs bench/app/edit-latency.mjs RUNS times per workbook: each run
# starts the app on a fresh copy of the workbook and makes EDITS edits, each undone.
#
# usage: bench/app/edit-latency.sh [RUNS] [EDITS]        (from the repository root; defaults 3 and 20)
# needs: xvfb, webkit2gtk-driver (WebKitWebDriver), tauri-driver (`cargo install tauri-driver --locked`), node;
#        the ZIP instance in $ZIPS (default ../shared/instances/zips-conus-large: units.csv, adjacency.csv).
# env:   BENCH_DIR (default /tmp/tessera-edit-bench), DISPLAY_NUM (default 93), ONLY=counties|zips,
#        BENCH_JSON (append one JSON line per run), BENCH_ROWS=1 (print every sample), BENCH_UNITS (units per
#        edit, default 1; e.g. 200 for a box edit),
#        TESSERA_APP (measure this app binary instead of building target/release/tessera-app, e.g. one built
#        from an older commit in a git worktree).
# prints per run the medians of each part (see bench/app/edit-latency.mjs) and the total's p90 and max.
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${1:-3}
edits=${2:-20}
out=${BENCH_DIR:-/tmp/tessera-edit-bench}
zips=${ZIPS:-$(cd .. && pwd)/shared/instances/zips-conus-large}
mkdir -p "$out"

command -v WebKitWebDriver >/dev/null || { echo "needs WebKitWebDriver (apt-get install webkit2gtk-driver)" >&2; exit 2; }
command -v tauri-driver >/dev/null || [[ -x ${TAURI_DRIVER:-} ]] ||
  { echo "needs tauri-driver (cargo install tauri-driver --locked)" >&2; exit 2; }

cargo build --release -p tessera-cli
T=target/release/tessera
if [[ ! -f sample-data/us-counties.tessera ]]; then scripts/sample-workbook.sh "$T"; fi
if [[ ! -f $out/zips.tessera ]]; then
  # The instance has no reps and no alignment: plan one (one restart, fixed seed: the same plan every time),
  # add it to the units as their `territory` column, so the workbook's "current" scenario is that plan and
  # edits also rewrite the units layer's territory column, the heaviest write.
  # Exit 3 (plan written, a promise such as the tolerance not kept within 10 s) still gives the bench its plan.
  "$T" plan --units "$zips/units.csv" --adjacency "$zips/adjacency.csv" --territories 491 --restarts 1 --seed 1 \
    --time-limit 10 --out "$out/zips-plan.csv" --force || [ $? -eq 3 ]
  awk -F, 'NR == FNR { t[$1] = $2; next } FNR == 1 { print $0 ",territory"; next } { print $0 "," t[$1] }' \
    "$out/zips-plan.csv" "$zips/units.csv" >"$out/zips-units.csv"
  "$T" import --units "$out/zips-units.csv" --adjacency "$zips/adjacency.csv" --out "$out/zips.tessera.tmp" --force
  # A second, optimized scenario with its metrics, as a planner's workbook has: the window lists it.
  "$T" plan --workbook "$out/zips.tessera.tmp" --save-as balanced --territories 491 --restarts 1 --seed 2 \
    --time-limit 10 || [ $? -eq 3 ]
  mv "$out/zips.tessera.tmp" "$out/zips.tessera"
fi

if [[ -z ${TESSERA_APP:-} ]]; then
  scripts/build-ui.sh
  cargo build --release -p tessera-app
  TESSERA_APP=target/release/tessera-app
fi

num=${DISPLAY_NUM:-93}
Xvfb ":$num" -screen 0 1280x800x24 -nolisten tcp >"$out/xvfb.log" 2>&1 &
xvfb=$!
trap 'kill $xvfb 2>/dev/null || true' EXIT
sleep 1
export DISPLAY=":$num" LIBGL_ALWAYS_SOFTWARE=1 TESSERA_APP
for name in counties zips; do
  [[ -n ${ONLY:-} && $ONLY != "$name" ]] && continue
  wb=$([[ $name == counties ]] && echo sample-data/us-counties.tessera || echo "$out/zips.tessera")
  for run in $(seq 1 "$runs"); do
    BENCH_LABEL="$name run $run" node bench/app/edit-latency.mjs "$wb" "$edits"
  done
done
