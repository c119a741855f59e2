#!/usr/bin/env bash
# Installs what Tessera needs to build, run and test on Debian/Ubuntu (run as root, or with sudo available).
# Idempotent: packages already present are skipped, so a second run costs seconds.
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

# Tauri 2 on Debian needs only these three of the usual list; gdal-bin gives ogrinfo (GeoPackage test), xvfb and
# xauth a display for the app's end-to-end test, chromium the UI's browser tests, strace the no-socket check
# of tests/security.rs (its namespace check uses util-linux's unshare, part of every Debian).
# procps gives pgrep (the package test finds the app it started in its process group). xdotool answers the app's
# native Save dialog in the end-to-end test (types a path, presses Enter), python3 reads the XLSX it exports.
packages=(build-essential pkg-config libwebkit2gtk-4.1-dev gdal-bin xvfb xauth chromium webkit2gtk-driver strace procps
  xdotool python3)
command -v node >/dev/null 2>&1 || packages+=(nodejs npm)
missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if ! command -v cargo >/dev/null 2>&1; then
  echo "error: no Rust toolchain (cargo) on PATH; install one with rustup (https://rustup.rs) and run this again" >&2
  exit 1
fi
rustup component add rustfmt clippy >/dev/null 2>&1 || true

# tauri-driver drives the real app in the end-to-end test (src-tauri/scripts/e2e.sh). One already on PATH is
# used as is; otherwise it is built (~1 min) into target/tools/bin, inside the repository rather than
# ~/.cargo/bin, so running the tests changes nothing outside the clone (e2e.sh puts that directory on PATH).
if ! command -v tauri-driver >/dev/null 2>&1 && [ ! -x target/tools/bin/tauri-driver ]; then
  echo "installing tauri-driver into target/tools/bin"
  cargo install tauri-driver --version 2.1.0 --locked --root target/tools --quiet
fi

# The window's front end: exact versions from package-lock.json, no download at run time.
if [ ! -d ui/node_modules ] || [ ui/package-lock.json -nt ui/node_modules/.package-lock.json ]; then
  npm --prefix ui ci --no-audit --no-fund --loglevel=error
fi
