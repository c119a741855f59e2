#!/usr/bin/env bash
# Installs what is needed and runs every test: formatting, lints, Rust unit/integration/property tests
# (CLI end to end, the README's CLI tour, GeoPackage checked with ogrinfo), benches compiled, the fuzz seeds'
# replay, the UI's unit and browser tests, the real app end to end (src-tauri/scripts/e2e.sh) and the installed
# package's first run (src-tauri/scripts/package-test.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh

# Every test must really run: one that finds the shared instances (../shared) or a tool (strace, unshare)
# missing fails instead of passing with a note (tests/support/needs.rs). TESSERA_STRICT=0 lets such tests skip.
export TESSERA_STRICT=${TESSERA_STRICT:-1}

echo "== front end build (embedded by the app's build)"
scripts/build-ui.sh

echo "== cargo fmt --check"
cargo fmt --all -- --check

echo "== cargo clippy -D warnings (all targets: benches, examples and tests are compiled too)"
cargo clippy --workspace --all-targets --locked -- -D warnings

log=$(mktemp)
stage_log=$(mktemp)
trap 'rm -f "$log" "$stage_log"' EXIT

# Passed and failed test counts in a runner's output: cargo's "test result:" lines, vitest's "Tests  N failed |
# M passed" and node's "# pass N" / "# fail N".
counts() {
  awk '
    /^test result:/ { p += $4; f += $6 }
    /^ +Tests +[0-9]/ { for (i = 3; i <= NF; i++) { if ($i ~ /^passed/) p += $(i - 1); if ($i ~ /^failed/) f += $(i - 1) } }
    /^# pass [0-9]+$/ { p += $3 }
    /^# fail [0-9]+$/ { f += $3 }
    END { print p + 0, f + 0 }' "$1"
}

# Runs one test stage, keeping its output. A failing stage does not end the run: every other result still
# shows, and the closing line counts it. A stage that fails without reporting a failed test (a build error, no
# display, a timeout) counts as one failure.
failed_stages=()
extra_failed=0
stage() { # NAME COMMAND...
  local name=$1 status=0
  shift
  echo "== $name"
  "$@" 2>&1 | tee "$stage_log" || status=$?
  cat "$stage_log" >>"$log"
  if [ "$status" -ne 0 ]; then
    failed_stages+=("$name")
    read -r _ f < <(counts "$stage_log")
    if [ "$f" -eq 0 ]; then
      echo "$name: exited with status $status before reporting a failed test; counted as one failure"
      extra_failed=$((extra_failed + 1))
    fi
  fi
}

stage "cargo test" cargo test --workspace --locked
# The fuzz seeds' replay: every seed and regression input through each fuzz target's body, one test per target
# (fuzz/tests/replay.rs). fuzz/ is a crate outside the workspace; it builds into the workspace's target folder
# so the dependencies it shares are not built twice. Bounded: a hang must fail the run.
stage "fuzz seeds replay (fuzz/tests/replay.rs)" timeout --kill-after=10 1200 \
  cargo test --manifest-path fuzz/Cargo.toml --locked --target-dir "${CARGO_TARGET_DIR:-target}"
# Bounded: a browser test once hung on a heavily loaded machine; a hang must fail the run, not stall CI.
stage "UI tests (vitest, then headless Chromium)" timeout --kill-after=10 1200 npm --prefix ui test
# The real app, driven by tauri-driver + WebKitWebDriver under Xvfb; builds the debug app, CLI and sample
# workbook first.
stage "end-to-end: the real app on the sample workbook (tauri-driver + WebKitWebDriver under Xvfb)" \
  src-tauri/scripts/e2e.sh
# The installable package: the e2e stage's debug build packed into a .deb by Tauri's bundler (seconds; a cold
# release build would not fit CI), installed, its first run on a fresh HOME under Xvfb, then removed. Bounded.
stage "package: the .deb installed, first run on a fresh HOME, removed (src-tauri/scripts/package-test.sh)" \
  timeout --kill-after=10 900 src-tauri/scripts/package-test.sh

# One closing line over every runner, so the total is read in one place.
read -r passed failed < <(counts "$log")
failed=$((failed + extra_failed))
[ ${#failed_stages[@]} -eq 0 ] || echo "failed stages: ${failed_stages[*]}"
echo "all: $passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ ${#failed_stages[@]} -eq 0 ]
