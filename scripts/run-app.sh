#!/usr/bin/env bash
# Installs what is needed, builds Tessera and opens the app on the bundled sample workbook: started without a
# path, the app opens the planner's own copy of it (~/Documents/Tessera/sample.tessera, made on the first run),
# so the sample itself is never edited.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build-ui.sh
cargo build --release -p tessera-cli -p tessera-app
scripts/sample-workbook.sh target/release/tessera
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  cat >&2 <<MSG
There is no display here (DISPLAY and WAYLAND_DISPLAY are unset), so the window cannot open.
The sample workbook is ready: sample-data/us-counties.tessera. Use the headless CLI instead, e.g.
  target/release/tessera scenarios sample-data/us-counties.tessera
  target/release/tessera plan --units sample-data/us-counties.csv --adjacency sample-data/us-county-adjacency.csv \\
      --reps sample-data/reps.csv --out plan.csv --metrics metrics.json
or run the window on a virtual display: xvfb-run -s '-screen 0 1400x900x24' scripts/run-app.sh
MSG
  exit 0
fi
exec target/release/tessera-app
