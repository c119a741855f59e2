#!/usr/bin/env bash
# Tessera's network simplex vs OR-Tools SimpleMinCostFlow, side by side in one go, on identical networks:
# transport-zips-491 (../shared/instances) and seeded random instances in the same format (units → 8 nearest
# centres, capacity 1.05 × average, escape hub), written by the solve_transport example.
# Each solver: best of REPEATS solves (solve only, parsing and network building excluded), ROUNDS rounds
# alternating the two so machine noise hits both alike.
#
# usage: bench/flow/run.sh [ROUNDS] [REPEATS]     (from anywhere; paths are relative to the repository root)
# needs: bench/.venv with ortools==9.15.6755 numpy pandas:
#   python3 -m venv bench/.venv && bench/.venv/bin/pip install ortools==9.15.6755 numpy pandas
set -euo pipefail
cd "$(dirname "$0")/../.."
ROUNDS="${1:-3}"
REPEATS="${2:-3}"
PY="${PYTHON:-bench/.venv/bin/python}"
OUT="bench/out/flow"
REAL="../shared/instances/transport-zips-491"
mkdir -p "$OUT"

cargo build -q -p tessera-optimizer --release --example solve_transport
OURS=target/release/examples/solve_transport

INSTANCES=()
if [ -f "$REAL/arcs.csv" ]; then INSTANCES+=("transport-zips-491=$REAL"); else echo "note: $REAL absent, skipped"; fi
for size in "3000 49" "10000 160" "30000 491"; do
  set -- $size
  dir="$OUT/random-$1x$2-seed1"
  "$OURS" --write-random "$dir" "$1" "$2" 1
  INSTANCES+=("random-$1x$2=$dir")
done

: > "$OUT/results.jsonl"
for inst in "${INSTANCES[@]}"; do
  name="${inst%%=*}"; dir="${inst#*=}"
  for r in $(seq 1 "$ROUNDS"); do
    "$OURS" "$dir" "$REPEATS" | sed "s/^{/{\"instance\": \"$name\", \"round\": $r, /" >> "$OUT/results.jsonl"
    "$PY" bench/flow/ortools_transport.py "$dir" "$REPEATS" | sed "s/^{/{\"instance\": \"$name\", \"round\": $r, /" >> "$OUT/results.jsonl"
  done
done

"$PY" - "$OUT/results.jsonl" <<'PYEOF'
import json, sys, statistics
rows = [json.loads(l) for l in open(sys.argv[1])]
names = list(dict.fromkeys(r["instance"] for r in rows))
ok = True
print(f"{'instance':<20} {'nodes':>7} {'arcs':>8} {'tessera s':>10} {'OR-Tools s':>10} {'ratio':>6} {'median':>6}  {'optimal cost':>18}  same")
for n in names:
    ours = [r for r in rows if r["instance"] == n and r["solver"].startswith("tessera")]
    ort = [r for r in rows if r["instance"] == n and r["solver"].startswith("OR-Tools")]
    ta = min(r["solve_seconds"] for r in ours); tb = min(r["solve_seconds"] for r in ort)
    med = statistics.median(a["solve_seconds"] / b["solve_seconds"] for a, b in zip(ours, ort))
    same = all(a["cost"] == b["cost"] for a, b in zip(ours, ort)) and all(r.get("optimal", True) for r in ort)
    ok &= same
    print(f"{n:<20} {ours[0]['nodes']:>7,} {ours[0]['arcs']:>8,} {ta:>10.4f} {tb:>10.4f} {ta / tb:>6.2f} {med:>6.2f}  {ours[0]['cost']:>18,}  {'yes' if same else 'NO'}")
print("ratio = best tessera / best OR-Tools over the rounds; median = median of per-round ratios")
sys.exit(0 if ok else 1)
PYEOF
