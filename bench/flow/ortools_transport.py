"""Solve the transport-zips-491 instance with OR-Tools SimpleMinCostFlow, the network built exactly as
../shared/instances/transport-zips-491/make_transport.py does, and print JSON {cost, solve_seconds}:
solve_seconds is the best of REPEATS calls to solve() (network building excluded).

usage: python ortools_transport.py [INSTANCE_DIR] [REPEATS]
"""
import json
import sys
import time

import numpy as np
import pandas as pd
from ortools.graph.python import min_cost_flow

ESCAPE = 10_000_000  # cost per unit of flow through the escape hub (10,000 km), as in make_transport.py

inst = sys.argv[1] if len(sys.argv) > 1 else "../shared/instances/transport-zips-491"
repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 3
sup = pd.read_csv(f"{inst}/supplies.csv", dtype={"id": str})
cen = pd.read_csv(f"{inst}/centers.csv", dtype={"unit_id": str})
arcs = pd.read_csv(f"{inst}/arcs.csv")
w = sup.supply.values.astype(np.int64)
n, p = len(sup), len(cen)
cap = cen.capacity.values.astype(np.int64)

best, cost, status = None, None, None
for _ in range(repeats):
    mcf = min_cost_flow.SimpleMinCostFlow()
    tail = arcs.unit.values
    head = n + arcs.center.values
    mcf.add_arcs_with_capacity_and_unit_cost(tail, head, np.full(len(arcs), w.max() * 10), arcs.cost.values)
    sink, hub = n + p, n + p + 1
    mcf.add_arcs_with_capacity_and_unit_cost(np.arange(n, n + p), np.full(p, sink), cap, np.zeros(p, dtype=np.int64))
    mcf.add_arcs_with_capacity_and_unit_cost(np.arange(n), np.full(n, hub), w, np.full(n, ESCAPE))
    mcf.add_arcs_with_capacity_and_unit_cost(np.full(p, hub), np.arange(n, n + p), cap, np.zeros(p, dtype=np.int64))
    mcf.set_nodes_supplies(np.arange(n), w)
    mcf.set_node_supply(sink, -int(w.sum()))
    t0 = time.perf_counter()
    status = mcf.solve()
    t = time.perf_counter() - t0
    best = t if best is None else min(best, t)
    cost = int(mcf.optimal_cost()) if status == mcf.OPTIMAL else None
print(json.dumps({"solver": "OR-Tools 9.15 SimpleMinCostFlow", "nodes": n + p + 2, "arcs": int(mcf.num_arcs()),
                  "cost": cost, "optimal": status == mcf.OPTIMAL, "solve_seconds": round(best, 4)}))
