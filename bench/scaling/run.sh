#!/usr/bin/env bash
# How cost grows: builds the CLI and the chart program, runs the sweep (bench/scaling/sweep.py) and draws
# docs/bench/scaling.png from its results. Every run is bounded (the CLI's --time-limit, and a harness kill).
#
# usage: bench/scaling/run.sh [sweep.py options, e.g. --sizes 1000,2000 --time-limit 300]   (from anywhere)
# needs: bench/.venv with numpy (the venv of BENCHMARKS.md); ../shared/data/places.csv; no network.
set -euo pipefail
cd "$(dirname "$0")/../.."
PY="${PYTHON:-bench/.venv/bin/python}"
TARGET="${CARGO_TARGET_DIR:-target}"
PNG="${PNG:-docs/bench/scaling.png}"
cargo build -q --release -p tessera-cli -p tessera-bench
"$PY" bench/scaling/sweep.py "$@"
"$TARGET/release/plot-scaling" bench/out/scaling/results.csv "$PNG"
