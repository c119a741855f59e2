"""Issue 14's cap benchmark: the 20,000 sample accounts as units (Tessera's own Delaunay adjacency, as
bench/speed does for "accounts"), 100 territories, workload within ±5%, with and without `--cap units:230`.

usage (from the repository root, after `cargo build --release -p tessera-cli`):
    python3 bench/caps/run.py [--seeds 5] [--cap units:230] [--time-limit S] [--search restarts|genetic]
                              [--tessera PATH]

For every seed it runs `tessera plan --units sample-data/accounts.csv --territories 100 --seed S [--cap ...]`
(default flags otherwise; `--time-limit S` lets every restart finish on a loaded machine, so that the plans do
not depend on the load; with `--search genetic` the memetic genetic search runs until the time limit instead,
so its plans do depend on the machine's speed and load) under /usr/bin/time, then reads the written plan back and counts each territory's
accounts itself (not trusting the metrics), and prints per run and per setting min / median / max of wall time,
user CPU time, travel (Tessera's figure, workload·km), the largest territory's unit count, max deviation,
non-contiguous territories and the exit code (and, for the genetic search, the generations done); last, the travel cost of the cap (capped / uncapped travel − 1,
seed by seed).
"""
import argparse, collections, csv, json, os, statistics, subprocess, tempfile

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))


def tri(xs, f):
    return f"{f(min(xs))} / {f(statistics.median(xs))} / {f(max(xs))}"


def run(tessera, seed, cap, out, extra):
    """One `tessera plan` run; `extra` holds the flags common to every run (time limit, search)."""
    plan, metrics, stats = (os.path.join(out, n) for n in ("plan.csv", "m.json", "time"))
    cmd = [tessera, "plan", "--units", os.path.join(ROOT, "sample-data", "accounts.csv"), "--territories", "100",
           "--seed", str(seed), "--out", plan, "--metrics", metrics, "--force"] + (["--cap", cap] if cap else []) + extra
    p = subprocess.run(["/usr/bin/time", "-f", "%e %U", "-o", stats] + cmd, capture_output=True, text=True)
    wall, user = (float(x) for x in open(stats).read().split()[-2:])
    m = json.load(open(metrics))
    counts = collections.Counter(r["territory"] for r in csv.DictReader(open(plan)))
    return dict(seed=seed, rc=p.returncode, wall=wall, user=user, travel=m["travel"], max_dev=m["max_dev"],
                noncontig=m["n_noncontiguous"], most=max(counts.values()),
                restarts=m.get("restarts_done", m.get("generations_done")),
                broken=[q["name"] for q in m["promises"] if not q["kept"]])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", type=int, default=5)
    ap.add_argument("--cap", default="units:230")
    ap.add_argument("--time-limit", type=float, help="passed to tessera plan (default: its own 30 s)")
    ap.add_argument("--search", choices=("restarts", "genetic"), default="restarts",
                    help="passed to tessera plan: the restart search (default) or the genetic search")
    ap.add_argument("--tessera", default=os.path.join(os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target")),
                                                      "release", "tessera"))
    a = ap.parse_args()
    print("load average at the start:", "/".join(f"{x:.1f}" for x in os.getloadavg()), f"(search: {a.search})",
          flush=True)
    extra = (["--time-limit", str(a.time_limit)] if a.time_limit else []) + ["--search", a.search]
    rows = {}
    with tempfile.TemporaryDirectory() as out:
        for cap in ("", a.cap):
            rows[cap] = []
            for seed in range(a.seeds):
                r = run(a.tessera, seed, cap, out, extra)
                load = os.getloadavg()[0]
                rows[cap].append(r)
                print(f"{'--cap ' + cap if cap else 'no cap'} seed {seed}: exit {r['rc']}, wall {r['wall']:.2f} s, "
                      f"user {r['user']:.2f} s, travel {r['travel']:.4e}, max_dev {r['max_dev']:.4f}, "
                      f"non-contiguous {r['noncontig']}, largest territory {r['most']} units, "
                      f"{'generations' if a.search == 'genetic' else 'restarts'} done {r['restarts']}, "
                      f"promises broken {r['broken']}, load {load:.1f}", flush=True)
    print("load average at the end:", "/".join(f"{x:.1f}" for x in os.getloadavg()))
    print()
    print("| run | seeds | wall s (min / median / max) | user CPU s | travel (workload·km) | largest territory (units) "
          "| max deviation | non-contiguous | exit codes |")
    print("|---|---:|---|---|---|---|---|---|---|")
    for cap, rs in rows.items():
        print(f"| {'`--cap ' + cap + '`' if cap else 'no cap'} | {len(rs)} | {tri([r['wall'] for r in rs], lambda v: f'{v:.2f}')} | "
              f"{tri([r['user'] for r in rs], lambda v: f'{v:.2f}')} | {tri([r['travel'] for r in rs], lambda v: f'{v:.4e}')} | "
              f"{tri([r['most'] for r in rs], str)} | {tri([r['max_dev'] for r in rs], lambda v: f'{v:.4f}')} | "
              f"{tri([r['noncontig'] for r in rs], str)} | {', '.join(str(r['rc']) for r in rs)} |")
    cost = [c["travel"] / f["travel"] - 1 for f, c in zip(rows[""], rows[a.cap])]
    print()
    print("travel cost of the cap, seed by seed:", ", ".join(f"{x * 100:+.2f}%" for x in cost),
          f"(min / median / max {tri(cost, lambda v: f'{v * 100:+.2f}%')})")


if __name__ == "__main__":
    main()
