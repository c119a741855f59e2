#!/usr/bin/env bash
# End-to-end test of the real app: under a virtual X display, tauri-driver (with Debian's WebKitWebDriver)
# starts target/debug/tessera-app on a copy of the sample workbook; ui/tests/e2e/app.e2e.mjs reassigns a unit,
# checks the figures, undoes and checks them again, measures edit latency, runs the optimizer and quits (the
# workbook must be one file again); ui/tests/e2e/planner.e2e.mjs designs first territories for a workbook
# imported without them and reads an explained Optimize result; ui/tests/e2e/managers.e2e.mjs exports through the
# native Save dialog (answered with xdotool) and compares two scenarios (E2E_DOCS=1 writes the README's
# screenshots).
# Builds what it needs first (the UI, the debug app and CLI, the sample workbook), incrementally.
#
# usage: src-tauri/scripts/e2e.sh            (from anywhere; called by scripts/test-all.sh)
# needs: xvfb, xdotool, gdal-bin (ogrinfo), python3, webkit2gtk-driver (WebKitWebDriver), tauri-driver (scripts/install-deps.sh installs it under
#        target/tools/bin), node.
# env:   DISPLAY_NUM  an X display number to use; default: Xvfb picks a free one
#        E2E_SCREENSHOT=PATH  screenshot after the edit (default ui/tests/screenshots/real-app-after-edit.png;
#                     empty: none)
#        E2E_TIMEOUT  seconds before the test run is killed (default 600)
#        CARGO_TARGET_DIR  where the debug app and CLI are built (default target/); TESSERA_APP, TESSERA_CLI
#                     override the binaries. The app runs with a HOME of its own (a temporary folder).
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$PWD
export PATH="$repo/target/tools/bin:$PATH"

command -v WebKitWebDriver >/dev/null || { echo "e2e: needs WebKitWebDriver (apt-get install webkit2gtk-driver)" >&2; exit 2; }
command -v Xvfb >/dev/null || { echo "e2e: needs Xvfb (apt-get install xvfb)" >&2; exit 2; }
command -v xdotool >/dev/null || { echo "e2e: needs xdotool to answer the native dialogs (apt-get install xdotool)" >&2; exit 2; }
command -v tauri-driver >/dev/null || [[ -x ${TAURI_DRIVER:-} ]] ||
  { echo "e2e: needs tauri-driver (scripts/install-deps.sh, or cargo install tauri-driver --locked)" >&2; exit 2; }

echo "e2e: building the UI, the debug app and CLI, and the sample workbook"
npm --prefix ui run build >/dev/null
cargo build --locked -p tessera-app -p tessera-cli
# Cargo's target folder: CARGO_TARGET_DIR when set (relative to the repository), else target/.
target_dir=${CARGO_TARGET_DIR:-target}
[[ $target_dir = /* ]] || target_dir=$repo/$target_dir
export TESSERA_APP=${TESSERA_APP:-$target_dir/debug/tessera-app} TESSERA_CLI=${TESSERA_CLI:-$target_dir/debug/tessera}
scripts/sample-workbook.sh "$TESSERA_CLI"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/tessera-e2e.XXXXXX")
xvfb=
cleanup() {
  [[ -n $xvfb ]] && kill "$xvfb" 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT

# Xvfb writes its display number to -displayfd once it accepts connections: no sleep. With no DISPLAY_NUM, or
# when that display is taken, it picks a free display itself, so another X server is never a failure.
start_xvfb() { # [display]
  rm -f "$tmp/display"
  Xvfb ${1:+":$1"} -screen 0 1280x800x24 -nolisten tcp -displayfd 3 3>"$tmp/display" >"$tmp/xvfb.log" 2>&1 &
  xvfb=$!
  for _ in $(seq 100); do
    [[ -s $tmp/display ]] && return 0
    kill -0 "$xvfb" 2>/dev/null || { xvfb=; return 1; }
    sleep 0.1
  done
  kill "$xvfb" 2>/dev/null || true
  xvfb=
  return 1
}
if ! start_xvfb "${DISPLAY_NUM:-}"; then
  if [[ -n ${DISPLAY_NUM:-} ]]; then
    echo "e2e: display :$DISPLAY_NUM is not usable ($(tail -1 "$tmp/xvfb.log")); letting Xvfb pick a free one"
  fi
  start_xvfb || { echo "e2e: Xvfb failed to start:" >&2; cat "$tmp/xvfb.log" >&2; exit 2; }
fi
num=$(tr -dc 0-9 <"$tmp/display")
echo "e2e: Xvfb on display :$num"

# Xvfb has no GPU: Mesa's software GL renders WebGL.
export DISPLAY=":$num" LIBGL_ALWAYS_SOFTWARE=1
export E2E_SCREENSHOT=${E2E_SCREENSHOT-$repo/ui/tests/screenshots/real-app-after-edit.png}
[[ -n $E2E_SCREENSHOT ]] && mkdir -p "$(dirname "$E2E_SCREENSHOT")"
# The app gets a HOME and XDG folders of its own: the tests must not add to the user's recent workbooks or
# change the workbook the app reopens for them.
mkdir -p "$tmp/home"
env -u XDG_CONFIG_HOME -u XDG_DATA_HOME -u XDG_CACHE_HOME -u XDG_DOCUMENTS_DIR HOME="$tmp/home" \
  timeout --kill-after=10 "${E2E_TIMEOUT:-600}" node --test ui/tests/e2e/app.e2e.mjs ui/tests/e2e/planner.e2e.mjs \
  ui/tests/e2e/explore.e2e.mjs ui/tests/e2e/managers.e2e.mjs
