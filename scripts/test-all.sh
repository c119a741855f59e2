#!/usr/bin/env bash
# Installs what is needed and runs every test: formatting, lints, Rust unit/integration/property tests
# (CLI end to end, GeoPackage checked with ogrinfo), benches compiled, and the UI's unit and browser tests.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh

echo "== front end build (embedded by the app's build)"
npm --prefix ui run build

echo "== cargo fmt --check"
cargo fmt --all -- --check

echo "== cargo clippy -D warnings (all targets: benches, examples and tests are compiled too)"
cargo clippy --workspace --all-targets --locked -- -D warnings

echo "== cargo test"
cargo test --workspace --locked

echo "== UI tests (vitest, then headless Chromium)"
npm --prefix ui test
