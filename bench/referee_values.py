"""Scores every peer plan with the referee (../shared/peers/evaluate.py) and writes tests/data/referee.json,
the expected figures `tessera evaluate` is tested against.

usage (from the repository root): bench/.venv/bin/python bench/referee_values.py
"""
import glob, json, os, sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.path.join(ROOT, "..", "shared")
sys.path.insert(0, os.path.join(SHARED, "peers"))
import evaluate as EV  # noqa: E402

out = []
for plan in sorted(glob.glob(os.path.join(SHARED, "peers", "plans", "*", "*.csv"))):
    inst = os.path.basename(os.path.dirname(plan))
    r = EV.evaluate(os.path.join(SHARED, "instances", inst), plan, pp=False)
    out.append({"instance": inst, "plan": os.path.basename(plan), "p": r["p"], "travel": r["travel"],
                "max_dev": r["max_dev"], "cv": r["cv"], "n_noncontiguous": r["n_noncontiguous"]})
    print(inst, os.path.basename(plan), r["travel"], r["max_dev"], r["n_noncontiguous"], flush=True)
with open(os.path.join(ROOT, "tests", "data", "referee.json"), "w") as f:
    json.dump(out, f, indent=1)
