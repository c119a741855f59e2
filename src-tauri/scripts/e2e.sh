#!/usr/bin/env bash
# End-to-end test of the real app: under a virtual X display, tauri-driver (with Debian's WebKitWebDriver)
# starts target/debug/tessera-app on a copy of the sample workbook; ui/tests/e2e/app.e2e.mjs reassigns a unit,
# checks the figures, undoes and checks them again.
#
# usage: src-tauri/scripts/e2e.sh            (from the repository root)
# needs: xvfb, webkit2gtk-driver (WebKitWebDriver), tauri-driver (`cargo install tauri-driver --locked`),
#        node, the sample workbook (scripts/sample-workbook.sh target/release/tessera).
# env:   DISPLAY_NUM (default 98), E2E_SCREENSHOT=PATH saves a screenshot after the edit.
set -euo pipefail
cd "$(dirname "$0")/../.."

command -v WebKitWebDriver >/dev/null || { echo "e2e: needs WebKitWebDriver (apt-get install webkit2gtk-driver)" >&2; exit 2; }
command -v tauri-driver >/dev/null || [[ -x ${TAURI_DRIVER:-} ]] ||
  { echo "e2e: needs tauri-driver (cargo install tauri-driver --locked)" >&2; exit 2; }
[[ -f sample-data/us-counties.tessera ]] ||
  { echo "e2e: build the sample workbook first: scripts/sample-workbook.sh target/release/tessera" >&2; exit 2; }

npm --prefix ui run build >/dev/null
cargo build -p tessera-app

num=${DISPLAY_NUM:-98}
Xvfb ":$num" -screen 0 1280x800x24 -nolisten tcp >/tmp/tessera-e2e-xvfb.log 2>&1 &
xvfb=$!
trap 'kill $xvfb 2>/dev/null || true' EXIT
sleep 1
export DISPLAY=":$num" LIBGL_ALWAYS_SOFTWARE=1
node --test ui/tests/e2e/app.e2e.mjs
