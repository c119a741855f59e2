#!/usr/bin/env bash
# Installs what is needed and runs every test: formatting, lints, Rust unit/integration/property tests
# (CLI end to end, GeoPackage checked with ogrinfo), benches compiled, and the UI's unit and browser tests.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh

echo "== front end build (embedded by the app's build)"
scripts/build-ui.sh

echo "== cargo fmt --check"
cargo fmt --all -- --check

echo "== cargo clippy -D warnings (all targets: benches, examples and tests are compiled too)"
cargo clippy --workspace --all-targets --locked -- -D warnings

log=$(mktemp)
trap 'rm -f "$log"' EXIT

echo "== cargo test"
cargo test --workspace --locked 2>&1 | tee -a "$log"

echo "== UI tests (vitest, then headless Chromium)"
npm --prefix ui test 2>&1 | tee -a "$log"

# One closing line over every runner (cargo's, vitest's and node's summaries), so the total is read in one place.
passed=$(( $(grep -E '^test result:' "$log" | awk '{s += $4} END {print s + 0}') \
  + $(grep -E '^ +Tests +[0-9]+ passed' "$log" | awk '{s += $2} END {print s + 0}') \
  + $(grep -E '^# pass [0-9]+' "$log" | awk '{s += $3} END {print s + 0}') ))
failed=$(( $(grep -E '^test result:' "$log" | awk '{s += $6} END {print s + 0}') \
  + $(grep -E '^# fail [0-9]+' "$log" | awk '{s += $3} END {print s + 0}') ))
echo "all: $passed passed, $failed failed"
