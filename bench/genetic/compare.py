"""Genetic search against repeated restarts at equal wall time, side by side in one run, scored by the referee.

usage (from the repository root, after `cargo build --release -p tessera-cli` and the referee's venv):
    bench/.venv/bin/python bench/genetic/compare.py [--instances georgia conus zips-east] [--budgets 10 30]
                                                    [--seeds 5] [--out bench/out/genetic.md]
                                                    [--before PATH] [--only INST:BUDGET ...]

--before PATH adds a third method, "before": the genetic search of another build of tessera (say, main's), run
right after the genetic search on the same seed, so a change to the search is measured against the search without
it under the same load. --only keeps the listed instance:budget pairs (e.g. georgia:10 zips-east:30).

For every instance, budget B and seed S, two commands run one after the other (so both see the same load):
    tessera plan --units U --adjacency A --territories P --seed S --time-limit B --search genetic
    tessera plan --units U --adjacency A --territories P --seed S --time-limit B --restarts 100000
The second is the restart search given the same deadline: with 100,000 restarts asked for, it restarts until the
time limit and keeps the best. Every plan is scored by ../shared/peers/evaluate.py (travel to weighted medoids,
max deviation, contiguity). Writes a markdown table (min / median / max over the seeds) and every run's row.
"""
import argparse, json, os, statistics, subprocess, sys, time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SHARED = os.path.normpath(os.path.join(ROOT, "..", "shared"))
sys.path.insert(0, os.path.join(SHARED, "peers"))
import evaluate as EV  # noqa: E402

TESSERA = os.path.join(ROOT, "target", "release", "tessera")
TARGETS = {  # issue 12: travel at most this within the budget (seconds)
    "georgia": (2.3427e8, 10),
    "conus": (2.54e10, 30),
    "zips-east": (1.262e6, 30),
}


def run(inst, method, budget, seed, out_dir, before=None):
    d = os.path.join(SHARED, "instances", inst)
    p = json.load(open(os.path.join(d, "instance.json")))["territories"]
    plan = os.path.join(out_dir, f"{inst}-{method}-{budget}-{seed}.csv")
    metrics = plan.replace(".csv", ".json")
    binary = before if method == "before" else os.environ.get("TESSERA", TESSERA)
    cmd = [binary, "plan", "--units", os.path.join(d, "units.csv"),
           "--adjacency", os.path.join(d, "adjacency.csv"), "--territories", str(p), "--seed", str(seed),
           "--time-limit", str(budget), "--out", plan, "--metrics", metrics, "--force"]
    cmd += ["--search", "genetic"] if method in ("genetic", "before") else ["--restarts", "100000"]
    # An old plan of the same name must not be scored for a run that wrote none.
    for f in (plan, metrics):
        if os.path.exists(f):
            os.remove(f)
    t0 = time.time()
    r = subprocess.run(["/usr/bin/time", "-f", "%e %U"] + cmd, capture_output=True, text=True)
    wall_user = r.stderr.strip().splitlines()[-1].split()
    if not os.path.exists(plan):
        print(f"{inst} {method} {budget} s seed {seed}: exit {r.returncode}, no plan: {r.stderr.strip()[:300]}", file=sys.stderr)
        return {
            "instance": inst, "method": method, "budget": budget, "seed": seed, "exit": r.returncode,
            "wall": float(wall_user[0]), "user": float(wall_user[1]), "travel": float("inf"), "max_dev": float("inf"),
            "noncontig": -1, "feasible": False, "work": None, "developed": None, "started": t0,
        }
    score = EV.evaluate(d, plan, pp=False)
    m = json.load(open(metrics))
    return {
        "instance": inst, "method": method, "budget": budget, "seed": seed, "exit": r.returncode,
        "wall": float(wall_user[0]), "user": float(wall_user[1]),
        "travel": score["travel"],
        "max_dev": score["max_dev"], "noncontig": score["n_noncontiguous"],
        "feasible": score["all_assigned_once"] and score["within_tolerance"] and score["n_noncontiguous"] == 0,
        "work": m.get("generations_done", m.get("restarts_done")),
        "developed": m.get("plans_developed"),
        "started": t0,
    }


def mmm(xs, f="{:.4e}"):
    xs = sorted(xs)
    return f"{f.format(statistics.median(xs))} ({f.format(xs[0])}–{f.format(xs[-1])})"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--instances", nargs="*", default=["georgia", "conus", "zips-east"])
    ap.add_argument("--budgets", nargs="*", type=int, default=[10, 30])
    ap.add_argument("--seeds", type=int, default=5)
    ap.add_argument("--out", default=os.path.join(ROOT, "bench", "out", "genetic.md"))
    ap.add_argument("--before", help="another tessera build whose genetic search runs beside this one's")
    ap.add_argument("--only", nargs="*", help="instance:budget pairs to run (default: every one)")
    a = ap.parse_args()
    methods = ["genetic"] + (["before"] if a.before else []) + ["restarts"]
    wanted = lambda inst, budget: not a.only or f"{inst}:{budget}" in a.only
    out_dir = os.path.join(os.path.dirname(a.out), "genetic-plans")
    os.makedirs(out_dir, exist_ok=True)
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT).stdout.strip()
    head = f"`bench/.venv/bin/python bench/genetic/compare.py {' '.join(sys.argv[1:])}` — commit {commit}, started {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, load average {os.getloadavg()[0]:.1f}/{os.getloadavg()[1]:.1f}/{os.getloadavg()[2]:.1f}"
    rows = []
    for inst in a.instances:
        for budget in a.budgets:
            if not wanted(inst, budget):
                continue
            for seed in range(a.seeds):
                for method in methods:
                    r = run(inst, method, budget, seed, out_dir, a.before)
                    rows.append(r)
                    print(json.dumps(r), flush=True)
    head += f"; load average at the end {os.getloadavg()[0]:.1f}/{os.getloadavg()[1]:.1f}/{os.getloadavg()[2]:.1f}."
    lines = [head, "", "| instance | budget s | method | travel (referee) | max_dev | feasible | wall s | user s | generations / restarts done | plans developed | wins (seed by seed, lower travel) |",
             "|---|---:|---|---|---|---|---|---|---|---|---|"]
    for inst in a.instances:
        for budget in a.budgets:
            if not wanted(inst, budget):
                continue
            sel = {m: sorted([r for r in rows if r["instance"] == inst and r["budget"] == budget and r["method"] == m], key=lambda r: r["seed"]) for m in methods}
            for m in methods:
                rs = sel[m]
                # Wins against the restarts; the restarts' against this build's genetic search.
                other = sel["restarts" if m != "restarts" else "genetic"]
                wins = sum(1 for x, y in zip(rs, other) if x["feasible"] and (x["travel"] < y["travel"] or not y["feasible"]))
                dev = [r["developed"] for r in rs if r["developed"] is not None]
                lines.append(f"| {inst} | {budget} | {m} | {mmm([r['travel'] for r in rs])} | {mmm([r['max_dev'] for r in rs], '{:.4f}')} | {sum(r['feasible'] for r in rs)} of {len(rs)} | {mmm([r['wall'] for r in rs], '{:.1f}')} | {mmm([r['user'] for r in rs], '{:.1f}')} | {mmm([r['work'] for r in rs if r['work'] is not None] or [float('nan')], '{:.0f}')} | {mmm(dev, '{:.0f}') if dev else '–'} | {wins} of {len(rs)} |")
    lines += ["", "Targets of issue 12 (travel by the referee, within the budget):", ""]
    for inst, (target, budget) in TARGETS.items():
        for m in [x for x in methods if x != "restarts"]:
            rs = [r for r in rows if r["instance"] == inst and r["budget"] == budget and r["method"] == m]
            if rs:
                met = sum(1 for r in rs if r["feasible"] and r["travel"] <= target)
                lines.append(f"- **{inst}**, {budget} s, {m}: travel ≤ {target:.4e} in {met} of {len(rs)} seeds (median {statistics.median(r['travel'] for r in rs):.4e})")
    lines += ["", "<details><summary>Every run</summary>", "", "| instance | budget | method | seed | exit | wall s | user s | travel | max_dev | non-contiguous | done | developed |", "|---|---:|---|---:|---:|---:|---:|---|---:|---:|---:|---:|"]
    for r in rows:
        lines.append(f"| {r['instance']} | {r['budget']} | {r['method']} | {r['seed']} | {r['exit']} | {r['wall']:.2f} | {r['user']:.2f} | {r['travel']:.6e} | {r['max_dev']:.4f} | {r['noncontig']} | {r['work']} | {r['developed'] if r['developed'] is not None else '–'} |")
    lines += ["", "</details>"]
    open(a.out, "w").write("\n".join(lines) + "\n")
    json.dump(rows, open(a.out.replace(".md", ".json"), "w"), indent=1)
    print("\n".join(lines))


if __name__ == "__main__":
    main()
