#!/usr/bin/env bash
# Package test: builds the .deb (scripts/package.sh --debug: the debug build the e2e stage made, packed by Tauri's
# bundler in seconds, since a cold release build does not fit CI's time on 2 cores), installs it, and checks what a
# planner gets:
#   - the files: /usr/bin/tessera-app, /usr/bin/tessera (the CLI on the PATH), the desktop entry, the icon, the
#     sample workbook in the app's resource folder /usr/lib/Tessera/;
#   - the first run under Xvfb with a fresh, empty HOME copies the sample into ~/Documents/Tessera/sample.tessera
#     and shows that copy (ui/tests/e2e/package.e2e.mjs through tauri-driver); the next run reopens it;
#   - the installed sample is never written; the installed CLI reads the planner's copy;
#   - removing the package leaves the planner's workbook where it was.
# As root it installs for real (dpkg -i, then dpkg -r); otherwise, or when a package named tessera is installed
# already (someone's real install is never touched), it extracts the package into a temporary root (dpkg -x), which
# the app handles the same way (its resource folder is found relative to the executable).
#
# usage: src-tauri/scripts/package-test.sh          (called by scripts/test-all.sh)
# env:   PACKAGE_SCREENSHOT=PATH  the first run's window (default: none)
#        PACKAGE_START_SCREENSHOT=PATH  its start view (default: none)
#        PACKAGE_TEST_EXTRACT=1   extract even as root
#        PACKAGE_TIMEOUT          seconds before the app test is killed (default 300)
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$PWD
export PATH="$repo/target/tools/bin:$PATH"
for tool in dpkg dpkg-deb Xvfb WebKitWebDriver tauri-driver sha256sum; do
  command -v "$tool" >/dev/null || { echo "package-test: needs $tool (scripts/install-deps.sh)" >&2; exit 2; }
done

deb=$(scripts/package.sh --debug | tail -1)
[[ -f $deb ]] || { echo "package-test: scripts/package.sh gave no .deb ($deb)" >&2; exit 1; }
name=$(dpkg-deb -f "$deb" Package)

tmp=$(mktemp -d "${TMPDIR:-/tmp}/tessera-package.XXXXXX")
xvfb=
installed=
cleanup() {
  [[ -n $xvfb ]] && kill "$xvfb" 2>/dev/null || true
  if [[ -n $installed ]]; then dpkg -r "$name" >/dev/null 2>&1 || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT

failures=0
check() { # DESCRIPTION COMMAND...
  local what=$1
  shift
  if "$@"; then echo "ok - $what"; else echo "not ok - $what"; failures=$((failures + 1)); fi
}

if [[ $(id -u) -eq 0 && ${PACKAGE_TEST_EXTRACT:-0} != 1 ]] && ! dpkg -s "$name" >/dev/null 2>&1; then
  echo "package-test: dpkg -i $deb"
  installed=1
  dpkg -i "$deb" >/dev/null
  root=
else
  echo "package-test: dpkg -x $deb into a temporary root (not root, or a '$name' package is installed already)"
  root=$tmp/root
  dpkg -x "$deb" "$root"
fi
app=$root/usr/bin/tessera-app
cli=$root/usr/bin/tessera
sample=$root/usr/lib/Tessera/sample-data/us-counties.tessera
desktop=$root/usr/share/applications/Tessera.desktop

check "the app is installed: $app" test -x "$app"
check "the CLI is installed: $cli" test -x "$cli"
if [[ -n $installed ]]; then
  check "the CLI is on the PATH as tessera" test "$(command -v tessera)" = /usr/bin/tessera
fi
check "the sample workbook is a bundled resource: $sample" test -s "$sample"
check "the desktop entry starts tessera-app with a file" grep -qx 'Exec=tessera-app %f' "$desktop"
check "the desktop entry names its icon" grep -qx 'Icon=tessera-app' "$desktop"
check "the icon is installed" test -s "$root/usr/share/icons/hicolor/128x128/apps/tessera-app.png"
check "*.tessera files are known to the desktop" grep -q 'glob pattern="\*.tessera"' "$root/usr/share/mime/packages/tessera.xml"
shipped=$(sha256sum <"$sample")

# A virtual display; Xvfb writes its number to -displayfd once it accepts connections.
Xvfb -screen 0 1280x800x24 -nolisten tcp -displayfd 3 3>"$tmp/display" >"$tmp/xvfb.log" 2>&1 &
xvfb=$!
for _ in $(seq 100); do [[ -s $tmp/display ]] && break; sleep 0.1; done
[[ -s $tmp/display ]] || { echo "package-test: Xvfb failed to start:" >&2; cat "$tmp/xvfb.log" >&2; exit 2; }

# A fresh, empty HOME and none of the caller's XDG folders: the planner's first run.
home=$tmp/home
mkdir -p "$home"
status=0
env -u XDG_CONFIG_HOME -u XDG_DATA_HOME -u XDG_CACHE_HOME -u XDG_DOCUMENTS_DIR -u TESSERA_WORKBOOK \
  HOME="$home" DISPLAY=":$(tr -dc 0-9 <"$tmp/display")" LIBGL_ALWAYS_SOFTWARE=1 \
  TESSERA_APP="$app" TESSERA_SAMPLE="$sample" E2E_SCREENSHOT="${PACKAGE_SCREENSHOT:-}" \
  E2E_START_SCREENSHOT="${PACKAGE_START_SCREENSHOT:-}" \
  timeout --kill-after=10 "${PACKAGE_TIMEOUT:-300}" node --test ui/tests/e2e/package.e2e.mjs || status=$?
[[ $status -eq 0 ]] || failures=$((failures + 1))

copy=$home/Documents/Tessera/sample.tessera
check "the installed sample was not written" test "$(sha256sum <"$sample")" = "$shipped"
check "the installed CLI reads the planner's copy" \
  bash -c '"$0" scenarios "$1" | grep -q "balanced (±5%)"' "$cli" "$copy"

# Remove the package; the planner's workbook stays.
if [[ -n $installed ]]; then
  dpkg -r "$name" >/dev/null
  installed=
  check "dpkg -r removed the app" test ! -e /usr/bin/tessera-app
  check "dpkg -r removed the sample" test ! -e "$sample"
else
  rm -rf "$root"
  check "the extracted package is gone" test ! -e "$app"
fi
check "the planner's workbook remains after removal" test -s "$copy"

echo "package-test: $failures failed"
[[ $failures -eq 0 ]]
