#!/usr/bin/env bash
# Starts tessera-app in a virtual X display, waits for the window to draw, and saves a screenshot of the screen.
#
# usage: src-tauri/scripts/xvfb-screenshot.sh [OUT_PNG] [WAIT_SECONDS] [-- APP ARGS...]
#   OUT_PNG       default docs/screenshot.png
#   WAIT_SECONDS  default 20 (software rendering under Xvfb is slow; the first frame of 3,000 polygons takes seconds)
# env: TESSERA_APP (default target/debug/tessera-app), DISPLAY_NUM (default: a free display Xvfb picks),
#      SIZE (default 1280x800),
#      CLICK="X Y" clicks there first (xdotool; e.g. a scenario in the side panel), then waits 5 s,
#      HOVER="X Y" moves the pointer there (xdotool) before the screenshot, to show the hover panel
#
# Needs: xvfb, imagemagick (import), and a built app: npm --prefix ui ci && npm --prefix ui run build &&
# cargo build -p tessera-app. Run from the repository root.
set -euo pipefail

out=${1:-docs/screenshot.png}
wait_s=${2:-20}
shift $(( $# > 2 ? 2 : $# ))
[[ ${1:-} == "--" ]] && shift
app=${TESSERA_APP:-target/debug/tessera-app}
size=${SIZE:-1280x800}

# -displayfd: Xvfb reports its display once it accepts connections, and with no number given picks a free one.
displayfile=$(mktemp)
Xvfb ${DISPLAY_NUM:+":$DISPLAY_NUM"} -screen 0 "${size}x24" -nolisten tcp -displayfd 3 3>"$displayfile" \
  >/tmp/tessera-xvfb.log 2>&1 &
xvfb=$!
app_pid=
cleanup() {
  [[ -n $app_pid ]] && kill "$app_pid" 2>/dev/null || true
  kill "$xvfb" 2>/dev/null || true
  rm -f "$displayfile"
}
trap cleanup EXIT
for _ in $(seq 100); do
  [[ -s $displayfile ]] && break
  kill -0 "$xvfb" 2>/dev/null || { echo "Xvfb failed to start:" >&2; cat /tmp/tessera-xvfb.log >&2; exit 1; }
  sleep 0.1
done
num=$(tr -dc 0-9 <"$displayfile")
[[ -n $num ]] || { echo "Xvfb did not report a display" >&2; exit 1; }

# Xvfb has no GPU: Mesa's software GL (llvmpipe) renders WebGL. Keep WebKitGTK's compositing ON: with
# WEBKIT_DISABLE_COMPOSITING_MODE=1 MapLibre silently leaves whole tiles of the units layer undrawn.
export LIBGL_ALWAYS_SOFTWARE=1
DISPLAY=":$num" "$app" "$@" >/tmp/tessera-app.log 2>&1 &
app_pid=$!
sleep "$wait_s"
if ! kill -0 "$app_pid" 2>/dev/null; then
  echo "tessera-app exited early; its output:" >&2
  cat /tmp/tessera-app.log >&2
  exit 1
fi
if [[ -n ${CLICK:-} ]]; then
  # shellcheck disable=SC2086 # "X Y" is two arguments
  # Then straight off to a corner: a tooltip would appear over the button, and under Xvfb (no compositor) its
  # box stays painted on the root window after it hides.
  DISPLAY=":$num" xdotool mousemove $CLICK click 1 mousemove 1 1
  sleep 5
fi
if [[ -n ${HOVER:-} ]]; then
  # shellcheck disable=SC2086 # "X Y" is two arguments
  DISPLAY=":$num" xdotool mousemove $HOVER
  sleep 3
fi
mkdir -p "$(dirname "$out")"
DISPLAY=":$num" import -window root "$out"
echo "saved $out"
