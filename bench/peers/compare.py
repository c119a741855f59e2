"""Runs Tessera and the peer methods side by side, in one go on one machine, and scores every plan with the referee.

usage (from the repository root, after `cargo build --release -p tessera-cli` and the venv of bench/README.md):
    bench/.venv/bin/python bench/peers/compare.py [INSTANCE ...] [--out bench/out/peers.md]
Default instances: georgia conus zips-east zips-conus-large. Wall time includes process start-up for everyone
(Python's imports for the peers, file parsing for Tessera), as in ../shared/peers/RESULTS.md.
"""
import argparse, json, os, subprocess, sys, time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SHARED = os.path.normpath(os.path.join(ROOT, "..", "shared"))
sys.path.insert(0, os.path.join(SHARED, "peers"))
import evaluate as EV  # noqa: E402

PEERS = {"georgia": ["kmeans", "mcf", "recom"], "conus": ["kmeans", "mcf", "recom"],
         "zips-east": ["kmeans", "mcf", "recom"], "zips-conus-large": ["kmeans", "mcf"]}
TARGETS = {"georgia": 2.387e8, "conus": 2.655e10, "zips-east": 1.315e6}


def run(cmd):
    """Runs cmd under /usr/bin/time; returns (wall seconds, peak resident memory of the process in MB)."""
    stats = os.path.join(ROOT, "bench", "out", ".time")
    t = time.perf_counter()
    subprocess.run(["/usr/bin/time", "-f", "%M", "-o", stats] + cmd, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - t
    with open(stats) as f:
        kb = int(f.read().strip().splitlines()[-1])
    return wall, kb / 1024.0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("instances", nargs="*", default=list(PEERS))
    ap.add_argument("--out", default=os.path.join(ROOT, "bench", "out", "peers.md"))
    ap.add_argument("--tessera", default=os.path.join(ROOT, "target", "release", "tessera"))
    a = ap.parse_args()
    out_dir = os.path.join(ROOT, "bench", "out")
    os.makedirs(out_dir, exist_ok=True)
    rows = []
    for inst in a.instances:
        d = os.path.join(SHARED, "instances", inst)
        meta = json.load(open(os.path.join(d, "instance.json")))
        p = meta["territories"]
        plan = os.path.join(out_dir, f"{inst}-tessera.csv")
        wall, rss = run([a.tessera, "plan", "--units", os.path.join(d, "units.csv"), "--adjacency",
                         os.path.join(d, "adjacency.csv"), "--territories", str(p), "--out", plan, "--force",
                         "--seed", "0"])
        r = EV.evaluate(d, plan, pp=False)
        rows.append((inst, "tessera", wall, rss, r))
        print(inst, "tessera", f"{wall:.2f}s", r["travel"], r["max_dev"], r["n_noncontiguous"], flush=True)
        for m in PEERS[inst]:
            pd = os.path.join(out_dir, f"{inst}-{m}")
            wall, rss = run([sys.executable, os.path.join(SHARED, "peers", "peers.py"), d, m, "--seed", "0", "--out", pd])
            r = EV.evaluate(d, os.path.join(pd, "plan.csv"), pp=False)
            rows.append((inst, m, wall, rss, r))
            print(inst, m, f"{wall:.2f}s", r["travel"], r["max_dev"], r["n_noncontiguous"], flush=True)
    with open(a.out, "w") as f:
        f.write("| instance | method | wall s | peak MB | max_dev | travel | non-contiguous | Tessera's time / method's |\n")
        f.write("|---|---|---|---|---|---|---|---|\n")
        for inst, m, wall, rss, r in rows:
            tw = next(w for i, mm, w, _, _ in rows if i == inst and mm == "tessera")
            f.write(f"| {inst} | {m} | {wall:.2f} | {rss:.0f} | {r['max_dev']:.4f} | {r['travel']:.4e} | "
                    f"{r['n_noncontiguous']} | {tw / wall:.2f} |\n")
    print("wrote", a.out)


if __name__ == "__main__":
    main()
