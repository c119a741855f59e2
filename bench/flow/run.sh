#!/usr/bin/env bash
# Tessera's network simplex vs OR-Tools SimpleMinCostFlow on transport-zips-491, side by side in one go.
# Each solver: best of REPEATS solves (solve only, parsing and network building excluded), ROUNDS rounds
# alternating the two so machine noise hits both alike.
#
# usage: bench/flow/run.sh [INSTANCE_DIR] [ROUNDS] [REPEATS]     (run from the repository root)
# needs: bench/.venv with ortools==9.15.6755 numpy pandas:
#   python3 -m venv bench/.venv && bench/.venv/bin/pip install ortools==9.15.6755 numpy pandas
set -euo pipefail
cd "$(dirname "$0")/../.."
INST="${1:-../shared/instances/transport-zips-491}"
ROUNDS="${2:-3}"
REPEATS="${3:-3}"
PY="${PYTHON:-bench/.venv/bin/python}"
OUT="bench/out/flow"
mkdir -p "$OUT"

cargo build -q -p tessera-optimizer --release --example solve_transport
OURS=target/release/examples/solve_transport

: > "$OUT/ours.jsonl"
: > "$OUT/ortools.jsonl"
for r in $(seq 1 "$ROUNDS"); do
  "$OURS" "$INST" "$REPEATS" >> "$OUT/ours.jsonl"
  "$PY" bench/flow/ortools_transport.py "$INST" "$REPEATS" >> "$OUT/ortools.jsonl"
done

"$PY" - "$OUT/ours.jsonl" "$OUT/ortools.jsonl" <<'PYEOF'
import json, sys, statistics
ours = [json.loads(l) for l in open(sys.argv[1])]
ort = [json.loads(l) for l in open(sys.argv[2])]
print(f"{'round':>5}  {'tessera s':>10}  {'OR-Tools s':>10}  {'ratio':>6}  {'tessera cost':>16}  {'OR-Tools cost':>16}  same")
for k, (a, b) in enumerate(zip(ours, ort), 1):
    print(f"{k:>5}  {a['solve_seconds']:>10.4f}  {b['solve_seconds']:>10.4f}  {a['solve_seconds'] / b['solve_seconds']:>6.2f}"
          f"  {a['cost']:>16,}  {b['cost']:>16,}  {'yes' if a['cost'] == b['cost'] else 'NO'}")
ta = min(a["solve_seconds"] for a in ours); tb = min(b["solve_seconds"] for b in ort)
med = statistics.median(a["solve_seconds"] / b["solve_seconds"] for a, b in zip(ours, ort))
print(f" best  {ta:>10.4f}  {tb:>10.4f}  {ta / tb:>6.2f}   (median per-round ratio {med:.2f}; pivots {ours[0]['pivots']:,})")
same = all(a["cost"] == b["cost"] for a, b in zip(ours, ort))
sys.exit(0 if same else 1)
PYEOF
