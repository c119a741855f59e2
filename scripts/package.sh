#!/usr/bin/env bash
# Builds Tessera's installable package for this platform with Tauri's bundler: on Debian/Ubuntu a .deb with the
# app (/usr/bin/tessera-app), the `tessera` CLI (/usr/bin/tessera), a desktop entry and icons, and the sample
# workbook as a bundled resource (/usr/lib/Tessera/sample-data/us-counties.tessera), which the app copies into
# the planner's documents folder on the first run and never writes.
#
# usage: scripts/package.sh [--debug]
#   default   a release build (`tauri build`: cargo build --release with Tauri's custom protocol, then the bundle)
#   --debug   packs the debug build instead (`cargo build` + `tauri bundle --debug`): minutes less, used by the
#             package test (src-tauri/scripts/package-test.sh) so CI reuses the e2e stage's debug build
# Prints the path of the .deb on its last line.
#
# Only the deb is built: AppImage bundling downloads a tool and fails offline. The bundle settings for Windows
# (msi/nsis) and macOS (dmg/app) in src-tauri/tauri.conf.json are untested here.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD

profile=release
case "${1:-}" in
  "") ;;
  --debug) profile=debug ;;
  *) echo "usage: scripts/package.sh [--debug]" >&2; exit 2 ;;
esac
# As run-app.sh and test-all.sh: what the build needs (apt packages, the UI's npm packages with the Tauri CLI),
# so the README's install line works on a fresh machine.
scripts/install-deps.sh
target=${CARGO_TARGET_DIR:-$repo/target}
tauri=$repo/ui/node_modules/.bin/tauri
[ -x "$tauri" ] || { echo "package: needs the Tauri CLI: npm --prefix ui ci" >&2; exit 2; }

echo "package: the UI, the $profile CLI and the sample workbook"
scripts/build-ui.sh
if [ "$profile" = release ]; then
  cargo build --release --locked -p tessera-cli
else
  cargo build --locked -p tessera-cli -p tessera-app
fi
scripts/sample-workbook.sh "$target/$profile/tessera"

# What the bundle takes from the build (src-tauri/tauri.package.conf.json names these two paths). They are kept
# out of tauri.conf.json because tauri-build copies every bundle resource at each `cargo build` and fails when one
# is missing: the sample workbook is built, not committed.
stage=$repo/target/package
mkdir -p "$stage"
cp -f "$target/$profile/tessera" "$stage/tessera"
# The release profile keeps debug info (line tables for profiling and benchmarks: root Cargo.toml); the package
# does not need it. Stripped of debug info only, so a panic's backtrace still names the functions (the symbol
# table stays). Stripped here, after the build, because a `strip` setting in the profile would change every
# crate's build flags and rebuild all dependencies in release.
if [ "$profile" = release ]; then objcopy --strip-debug "$stage/tessera"; fi
cp -f sample-data/us-counties.tessera "$stage/sample.tessera"

rm -rf "$target/$profile/bundle/deb"
if [ "$profile" = release ]; then
  echo "package: tauri build (a cold release build takes a long time on 2 cores), then the deb"
  (cd src-tauri && "$tauri" build --ci --no-bundle --config tauri.package.conf.json -- --locked)
  # The bundler packs target/release/tessera-app: it gets a copy without debug info (as the CLI above, ~157 MB
  # → ~18 MB), and the build's own binary is put back afterwards, unchanged (same file, so cargo sees it fresh).
  app=$target/release/tessera-app
  mv -f "$app" "$app.with-debuginfo"
  trap 'mv -f "$app.with-debuginfo" "$app"' EXIT
  objcopy --strip-debug "$app.with-debuginfo" "$app"
  (cd src-tauri && "$tauri" bundle --ci --bundles deb --config tauri.package.conf.json)
else
  echo "package: tauri bundle --debug --bundles deb"
  (cd src-tauri && "$tauri" bundle --ci --debug --bundles deb --config tauri.package.conf.json)
fi
deb=$(ls "$target/$profile"/bundle/deb/*.deb)
echo "package: built"
echo "$deb"
