"""Issue 9's speed figures: `tessera plan` over seeds on the peers' instances, every plan scored by the referee.

usage (from the repository root, after `cargo build --release -p tessera-cli` and the venv of BENCHMARKS.md):
    bench/.venv/bin/python bench/speed/run.py [INSTANCE ...] [--seeds 10] [--time-limit S]

Runs exactly what bench/peers/compare.py runs for Tessera (its default flags, the same instance folders, the
accounts' Delaunay adjacency read back from `tessera import`), with two differences for a shared, loaded machine:
`--time-limit S` (default: Tessera's own 30 s) lets every restart finish, so the plans do not depend on the
machine's load, and the summary gives user CPU time next to wall time. Prints one line per run, then per instance
min / median / max of wall, user CPU, peak memory and the referee's travel, with the feasible count and the
restarts done.
"""
import argparse, json, os, statistics, sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "peers"))
import compare as C  # noqa: E402


def tri(xs, f):
    xs = [x for x in xs if x is not None]
    if not xs:
        return "–"
    return f"{f(min(xs))} / {f(statistics.median(xs))} / {f(max(xs))}"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("instances", nargs="*", default=["zips-conus-large", "accounts", "zips-east", "conus"])
    ap.add_argument("--seeds", type=int, default=10)
    ap.add_argument("--time-limit", type=float)
    ap.add_argument("--tessera", default=os.path.join(os.environ.get("CARGO_TARGET_DIR", os.path.join(C.ROOT, "target")),
                                                      "release", "tessera"))
    a = ap.parse_args()
    extra = []
    if a.time_limit:
        extra += ["--time-limit", str(a.time_limit)]
    os.makedirs(C.OUT, exist_ok=True)
    stats = os.path.join(C.OUT, ".time-speed")
    print("load average at the start:", "/".join(f"{x:.1f}" for x in os.getloadavg()), flush=True)
    rows = []
    for inst in a.instances:
        d = C.accounts_instance(a.tessera) if inst == "accounts" else os.path.join(C.SHARED, "instances", inst)
        p = json.load(open(os.path.join(d, "instance.json")))["territories"]
        for seed in range(a.seeds):
            plan = os.path.join(C.OUT, f"speed-{inst}-s{seed}.csv")
            metrics = os.path.join(C.OUT, f"speed-{inst}-s{seed}.json")
            for f in (plan, metrics):
                if os.path.exists(f):
                    os.remove(f)
            run = C.timed(C.tessera_cmd(a.tessera, inst, d, p, seed, plan, metrics) + extra, stats, 900)
            ref = C.score(d, plan) if os.path.exists(plan) else {}
            own = json.load(open(metrics)) if os.path.exists(metrics) else {}
            feasible = bool(ref) and ref.get("max_dev", 9) <= 0.05 + 1e-9 and ref.get("n_noncontiguous", 1) == 0
            row = dict(inst=inst, seed=seed, wall=run["wall"], user=run["user"], rss=run["rss_mb"], rc=run["rc"],
                       travel=ref.get("travel"), max_dev=ref.get("max_dev"), feasible=feasible,
                       done=own.get("restarts_done"))
            rows.append(row)
            print(f"{inst} seed {seed}: wall {run['wall']:.2f} s, user {run['user']} s, {run['rss_mb']:.0f} MB, exit {run['rc']}, "
                  f"travel {row['travel']:.4e}, max_dev {row['max_dev']:.4f}, feasible {feasible}, restarts done {row['done']}",
                  flush=True)
    print("load average at the end:", "/".join(f"{x:.1f}" for x in os.getloadavg()))
    print()
    print("| instance | seeds | wall s (min / median / max) | user s | peak MB | travel (referee) | feasible | restarts done |")
    print("|---|---:|---|---|---|---|---|---|")
    for inst in a.instances:
        r = [x for x in rows if x["inst"] == inst]
        print(f"| {inst} | {len(r)} | {tri([x['wall'] for x in r], lambda v: f'{v:.2f}')} | "
              f"{tri([x['user'] for x in r], lambda v: f'{v:.2f}')} | {tri([x['rss'] for x in r], lambda v: f'{v:.0f}')} | "
              f"{tri([x['travel'] for x in r], lambda v: f'{v:.4e}')} | {sum(x['feasible'] for x in r)} of {len(r)} | "
              f"{tri([x['done'] for x in r], str)} |")


if __name__ == "__main__":
    main()
