#!/usr/bin/env bash
# The map benchmarks side by side (BENCHMARKS.md, "The map: opening and panning"):
#   1. open-to-drawn of the sample counties and of 40,000 ZIP points in headless Chromium with the mocked IPC,
#   2. the same in the real app (release build, Xvfb, tauri-driver + WebKitWebDriver), on the sample counties
#      and on a 40,000-ZIP workbook made by zips-workbook.mjs,
#   3. pan/zoom smoothness at 40,000 ZIP points and on the counties, in headless Chromium (plus the same moves
#      on an empty map, every layer hidden: what software WebGL costs with nothing of ours drawn) and in the
#      real app.
# Builds what it needs first: the UI into a temporary directory for Chromium, ui/dist + the release app and CLI
# for the real app (incrementally), and the sample workbook.
#
# usage: bench/app/run.sh [RUNS]      (default 5 repetitions of each open, 3 of each pan/zoom sequence)
# env:   SKIP_APP=1  leave out the real app (no Xvfb / tauri-driver needed)
#        CARGO_TARGET_DIR  where cargo builds (default target/); the binaries are run from there
# needs: node, /usr/bin/chromium, ../shared/data/zips.csv; for the real app Xvfb, WebKitWebDriver, tauri-driver
#        (scripts/install-deps.sh, or cargo install tauri-driver --locked).
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$PWD
runs=${1:-5}
pan_runs=$(( runs < 3 ? runs : 3 ))
export PATH="$repo/target/tools/bin:$HOME/.cargo/bin:$PATH"
# Cargo itself honours CARGO_TARGET_DIR; the binaries built are run from the same place.
release="${CARGO_TARGET_DIR:-$repo/target}/release"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/tessera-bench-app.XXXXXX")
xvfb=
cleanup() {
  [[ -n $xvfb ]] && kill "$xvfb" 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT

echo "== building: UI (for Chromium, in $tmp/dist), release CLI, sample workbook"
(cd ui && npx vite build --outDir "$tmp/dist" --emptyOutDir --logLevel warn)
cargo build --release --locked -p tessera-cli
scripts/sample-workbook.sh "$release/tessera" >/dev/null

echo
echo "== open to drawn, headless Chromium + mocked IPC"
node bench/app/open-time.mjs --dist "$tmp/dist" --dataset counties --runs "$runs"
echo
node bench/app/open-time.mjs --dist "$tmp/dist" --dataset zips40k --runs "$(( runs < 3 ? runs : 3 ))"

if [[ -z ${SKIP_APP:-} ]]; then
  echo
  echo "== open to drawn, real app (release)"
  scripts/build-ui.sh
  cargo build --release --locked -p tessera-app
  # Xvfb picks a free display and writes its number to fd 3 once it accepts connections.
  Xvfb -screen 0 1280x800x24 -nolisten tcp -displayfd 3 3>"$tmp/display" >"$tmp/xvfb.log" 2>&1 &
  xvfb=$!
  for _ in $(seq 100); do [[ -s $tmp/display ]] && break; sleep 0.1; done
  export DISPLAY=":$(cat "$tmp/display")"
  node bench/app/zips-workbook.mjs "$tmp/zips40k.tessera" --tessera "$release/tessera" >/dev/null 2>&1
  node bench/app/app-open-time.mjs --app "$release/tessera-app" --runs "$runs"
  echo
  node bench/app/app-open-time.mjs --app "$release/tessera-app" --runs "$pan_runs" --workbook "$tmp/zips40k.tessera"
fi

echo
echo "== pan and zoom, headless Chromium + mocked IPC"
node bench/app/pan-zoom.mjs --dist "$tmp/dist" --dataset zips40k --runs "$pan_runs"
echo
node bench/app/pan-zoom.mjs --dist "$tmp/dist" --dataset counties --runs "$pan_runs"
echo
node bench/app/pan-zoom.mjs --dist "$tmp/dist" --dataset zips40k --runs "$pan_runs" --without all

if [[ -z ${SKIP_APP:-} ]]; then
  echo
  echo "== pan and zoom, real app (release)"
  node bench/app/pan-zoom.mjs --app "$release/tessera-app" --runs "$pan_runs" --workbook "$tmp/zips40k.tessera"
  echo
  node bench/app/pan-zoom.mjs --app "$release/tessera-app" --runs "$pan_runs"
fi
