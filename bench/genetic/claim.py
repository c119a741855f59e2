"""The claim "genetic algorithms reduce the variance of sales value between territories by up to 50% with minimal
increase in total travel", answered from `tessera explore`'s front: the least travel increase over the current
plan among plans on the front whose workload variance (over territories) is at most half the current plan's, and
the plans either side of it (the least-travel plan that does not halve the variance, and the next plan that does).

usage (from the repository root, after `cargo build --release -p tessera-cli`):
    python3 bench/genetic/claim.py [--time-limit 60] [--seed 0] [--out bench/out/claim.md]

Cases: the sample counties from their "current" alignment (the units file's territory column, one territory per
rep) and conus from ../shared/peers/plans/conus/kmeans.csv as the current plan (49 territories).
"""
import argparse, json, os, subprocess, time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SHARED = os.path.normpath(os.path.join(ROOT, "..", "shared"))
TESSERA = os.environ.get("TESSERA", os.path.join(ROOT, "target", "release", "tessera"))
SD = os.path.join(ROOT, "sample-data")
CONUS = os.path.join(SHARED, "instances", "conus")

CASES = {
    "sample counties (from current)": ["--units", os.path.join(SD, "us-counties.csv"), "--adjacency",
                                       os.path.join(SD, "us-county-adjacency.csv"), "--reps", os.path.join(SD, "reps.csv")],
    "conus (from kmeans.csv)": ["--units", os.path.join(CONUS, "units.csv"), "--adjacency", os.path.join(CONUS, "adjacency.csv"),
                                "--territories", "49", "--current", os.path.join(SHARED, "peers", "plans", "conus", "kmeans.csv")],
}


def answer(doc):
    cur = doc["current"]
    v0, t0 = cur["variance"], cur["travel"]
    plans = sorted(doc["plans"], key=lambda r: r["travel"])
    halving = [r for r in plans if r["variance"] <= 0.5 * v0]
    best = halving[0] if halving else None
    cheaper = [r for r in plans if best and r["travel"] < best["travel"]]
    below = cheaper[-1] if cheaper else None
    above = halving[1] if len(halving) > 1 else None
    return cur, best, below, above


def fmt(r, cur):
    if r is None:
        return "–"
    return (f"{r['file'] or 'current'}: variance {r['variance'] / cur['variance']:.1%} of current, travel "
            f"{r['travel']:.4e} ({r['travel'] / cur['travel'] - 1:+.2%}), max_dev {r['max_dev']:.3f}, cv {r['cv']:.3f}, "
            f"moved {r['moved_fraction']:.1%}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--time-limit", type=int, default=60)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", default=os.path.join(ROOT, "bench", "out", "claim.md"))
    a = ap.parse_args()
    lines = [f"`python3 bench/genetic/claim.py --time-limit {a.time_limit} --seed {a.seed}` — started "
             f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, load average {os.getloadavg()[0]:.1f}", ""]
    for name, args in CASES.items():
        out = os.path.join(os.path.dirname(a.out), "claim-" + name.split()[0])
        cmd = [TESSERA, "explore", *args, "--front-balance", "cv", "--time-limit", str(a.time_limit),
               "--seed", str(a.seed), "--out", out, "--force"]
        r = subprocess.run(cmd, capture_output=True, text=True)
        lines.append(f"**{name}**: `tessera explore {' '.join(os.path.relpath(x, ROOT) if os.path.isabs(x) else x for x in cmd[2:])}` "
                     f"(exit {r.returncode}; {r.stderr.strip().splitlines()[-1] if r.stderr.strip() else ''})")
        lines.append("")
        doc = json.load(open(os.path.join(out, "front.json")))
        cur, best, below, above = answer(doc)
        lines.append(f"- current plan: variance {cur['variance']:.4e}, travel {cur['travel']:.4e}, max_dev "
                     f"{cur['max_dev']:.3f}, cv {cur['cv']:.3f}, {cur['n_noncontiguous']} territories not contiguous")
        lines.append(f"- front: {len(doc['plans'])} plans from {len(doc['searches'])} searches ({doc['plans_developed']} plans developed)")
        lines.append(f"- **least travel increase that halves the variance**: {fmt(best, cur)}")
        lines.append(f"- the least-travel plan on the front that does not halve it: {fmt(below, cur)}")
        lines.append(f"- the next plan that halves it: {fmt(above, cur)}")
        lines.append("")
    os.makedirs(os.path.dirname(a.out), exist_ok=True)
    open(a.out, "w").write("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
