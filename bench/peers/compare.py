"""Runs Tessera over seeds and the peer methods side by side, in one go on one machine, and scores every plan
with the referee (../shared/peers/evaluate.py).

usage (from the repository root, after `cargo build --release -p tessera-cli` and the venv of BENCHMARKS.md):
    bench/.venv/bin/python bench/peers/compare.py [INSTANCE ...] [--seeds 10] [--no-peers] [--all-peers] [--out bench/out/peers.md]

Instances: georgia conus zips-east zips-conus-large (../shared/instances) and accounts (sample-data/accounts.csv,
100 territories, no adjacency file: Tessera derives its Delaunay adjacency). Default: all five.

Tessera runs `tessera plan` with its default flags (only --units [--adjacency] --territories --seed --out, plus
--metrics to keep its own figures) for seeds 0..N-1; the peers (k-means, OR-Tools min-cost flow, GerryChain
ReCom) run `peers.py INSTANCE METHOD --seed 0` once each; ReCom is left out on zips-conus-large unless
--all-peers (see SKIP).
Every process runs under `/usr/bin/time` (wall, user and system CPU, peak resident memory), and wall time
includes process start-up for everyone (Python's imports for the peers, file parsing for Tessera).

The referee needs an instance folder. For `accounts` one is built in bench/out/instances/accounts from the
accounts and the very adjacency Tessera plans with: `tessera import` derives it exactly as `tessera plan` does
(same import code, same defaults) and stores it in the workbook, from which it is read back.

Writes bench/out/peers.md (the summary table, the targets of issue 9, one row per Tessera run) and
bench/out/peers.json (every raw figure).
"""
import argparse, csv, json, os, re, signal, sqlite3, statistics, subprocess, sys, time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SHARED = os.path.normpath(os.path.join(ROOT, "..", "shared"))
OUT = os.path.join(ROOT, "bench", "out")
sys.path.insert(0, os.path.join(SHARED, "peers"))
import evaluate as EV  # noqa: E402

INSTANCES = ["georgia", "conus", "zips-east", "zips-conus-large", "accounts"]
PEERS = ["kmeans", "mcf", "recom"]
# Left out unless --all-peers: ReCom's seed plan (recursive_tree_part, 491 parts of 29,546 ZIPs) was not found
# within peers.py's 300 s seed timeout in a trial (2 Dec 2026, commit 8052d8e): 5 minutes for no plan.
SKIP = {("zips-conus-large", "recom")}
ACCOUNTS_P = 100

# Issue 9's targets (per instance: what to check on the median/max over seeds); georgia has none in issue 9, so
# issue 3's (travel ≤ 2.387e8) is kept for it.
TARGETS = {
    "georgia": {"travel_med": 2.387e8},
    "conus": {"travel_med": 2.578e10, "wall_med": 2.0},
    "zips-east": {"travel_med": 1.265e6, "wall_med": 2.0},
    "zips-conus-large": {"travel_med": 7.05e6, "wall_med": 10.0, "wall_max": 20.0, "rss_max": 300.0},
    "accounts": {"wall_med": 5.0, "wall_max": 5.0},
}


def timed(cmd, stats_path, timeout=None, stdout=None):
    """Runs cmd under /usr/bin/time. Returns wall, user and sys seconds, peak MB, exit code, stderr text and
    whether it was killed at `timeout` (its whole process group, so no grandchild keeps running)."""
    t = time.perf_counter()
    p = subprocess.Popen(["/usr/bin/time", "-f", "%e %U %S %M", "-o", stats_path] + cmd, stdout=stdout or subprocess.DEVNULL,
                         stderr=subprocess.PIPE, text=True, start_new_session=True)
    killed = False
    try:
        _, err = p.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, signal.SIGKILL)
        _, err = p.communicate()
        killed = True
    wall = time.perf_counter() - t
    user = sysc = rss = None
    try:
        with open(stats_path) as f:
            last = f.read().strip().splitlines()[-1].split()
        _, user, sysc, kb = float(last[0]), float(last[1]), float(last[2]), int(last[3])
        rss = kb / 1024.0
    except (OSError, IndexError, ValueError):
        pass  # killed before /usr/bin/time wrote its line
    return {"wall": wall, "user": user, "sys": sysc, "rss_mb": rss, "rc": p.returncode, "stderr": err, "killed": killed}


def accounts_instance(tessera):
    """bench/out/instances/accounts: units.csv, adjacency.csv and instance.json for the referee, the adjacency
    being the one `tessera plan --units sample-data/accounts.csv` derives (read back from a workbook)."""
    d = os.path.join(OUT, "instances", "accounts")
    os.makedirs(d, exist_ok=True)
    src = os.path.join(ROOT, "sample-data", "accounts.csv")
    wb = os.path.join(d, "accounts.tessera")
    subprocess.run([tessera, "import", "--units", src, "--out", wb, "--force"], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    con = sqlite3.connect(f"file:{wb}?mode=ro", uri=True)
    ids = [r[0] for r in con.execute("SELECT id FROM units ORDER BY fid")]
    (edges_json, source), = con.execute("SELECT adjacency_edges, adjacency_source FROM tessera_dataset")
    con.close()
    edges = json.loads(edges_json)  # unit-index pairs, index = fid - 1
    with open(src, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert [r["id"] for r in rows] == ids, "the workbook's units are not in the file's order"
    with open(os.path.join(d, "units.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["id", "lon", "lat", "workload"])
        w.writerows([r["id"], r["lon"], r["lat"], r["workload"]] for r in rows)
    with open(os.path.join(d, "adjacency.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["a", "b"])
        w.writerows([ids[a], ids[b]] for a, b in edges)
    meta = {"territories": ACCOUNTS_P, "tolerance": 0.05, "n_units": len(ids), "n_edges": len(edges),
            "adjacency": f"Tessera's own ({json.loads(source)}), read back from `tessera import` of {os.path.relpath(src, ROOT)}",
            "description": "sample-data/accounts.csv (20,000 synthetic accounts), workload = hours a year"}
    with open(os.path.join(d, "instance.json"), "w") as f:
        json.dump(meta, f, indent=1)
    return d


def tessera_cmd(tessera, inst, d, p, seed, plan, metrics):
    if inst == "accounts":  # points only: Tessera derives the adjacency itself, as a planner's run would
        files = ["--units", os.path.join(ROOT, "sample-data", "accounts.csv")]
    else:
        files = ["--units", os.path.join(d, "units.csv"), "--adjacency", os.path.join(d, "adjacency.csv")]
    return [tessera, "plan"] + files + ["--territories", str(p), "--seed", str(seed), "--out", plan, "--metrics", metrics]


def score(d, plan):
    r = EV.evaluate(d, plan, pp=False)
    r["feasible"] = bool(r["all_assigned_once"] and r["within_tolerance"] and r["n_noncontiguous"] == 0)
    return r


def spread(xs):
    xs = [x for x in xs if x is not None]
    return (min(xs), statistics.median(xs), max(xs)) if xs else (None, None, None)


def fmt(x, f):
    """x in format f; exponents written 7.0088e6 as in the rest of BENCHMARKS.md, not 7.0088e+06."""
    if x is None:
        return "–"
    s = format(x, f)
    return s.replace("e+0", "e").replace("e+", "e").replace("e-0", "e-") if f.endswith("e") else s


def tri(xs, f):
    lo, med, hi = spread(xs)
    return f"{fmt(med, f)} ({fmt(lo, f)}–{fmt(hi, f)})"


def short(note):
    """The import's long warnings in a few words (they are on every accounts row)."""
    note = re.sub(r'column "(\w+)" holds codes, not amounts.*', r"column \1 read as text", note)
    return re.sub(r"(\d+) links? longer than (\S+) km dropped from the Delaunay adjacency \((\d+) kept because the graph "
                  r"would fall apart without them\)", r"Delaunay: \1 links > \2 km dropped (\3 kept)", note)


def notes_of(run):
    """The lines of Tessera's stderr that say something happened besides the closing summary."""
    keep = ("note", "warning", "stopped", "deadline", "cut", "limit", "error", "promise")
    return [ln.strip() for ln in run["stderr"].splitlines() if any(k in ln.lower() for k in keep)]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("instances", nargs="*", default=INSTANCES)
    ap.add_argument("--seeds", type=int, default=10, help="Tessera runs seeds 0..SEEDS-1 (default 10)")
    ap.add_argument("--no-peers", action="store_true", help="Tessera only")
    ap.add_argument("--peer-seed", type=int, default=0)
    ap.add_argument("--all-peers", action="store_true", help="also ReCom on zips-conus-large (see SKIP)")
    ap.add_argument("--peer-timeout", type=float, default=600, help="seconds before a peer run is killed")
    ap.add_argument("--timeout", type=float, default=600, help="seconds before a Tessera run is killed")
    ap.add_argument("--out", default=os.path.join(OUT, "peers.md"))
    ap.add_argument("--render", metavar="PEERS.json", help="only rewrite the markdown from an earlier run's JSON")
    ap.add_argument("--tessera", default=os.path.join(os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target")),
                                                      "release", "tessera"))
    a = ap.parse_args()
    os.makedirs(OUT, exist_ok=True)
    if a.render:
        j = json.load(open(a.render))
        a.instances = list(dict.fromkeys(r["instance"] for r in j["results"]))
        a.seeds = j["seeds"]
        write_markdown(a, j["results"], j["commit"], j["started"], j["load_start"], j["load_end"])
        print("wrote", a.out)
        return
    stats = os.path.join(OUT, ".time")
    commit = subprocess.run(["git", "-C", ROOT, "describe", "--always", "--dirty"], capture_output=True, text=True).stdout.strip()
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    load_start = os.getloadavg()
    results = []  # dicts: instance, method, seed, timing, referee figures
    for inst in a.instances:
        d = accounts_instance(a.tessera) if inst == "accounts" else os.path.join(SHARED, "instances", inst)
        meta = json.load(open(os.path.join(d, "instance.json")))
        p = meta["territories"]
        for seed in range(a.seeds):
            plan = os.path.join(OUT, f"{inst}-tessera-s{seed}.csv")
            metrics = os.path.join(OUT, f"{inst}-tessera-s{seed}.json")
            for f in (plan, metrics):
                if os.path.exists(f):
                    os.remove(f)  # never score a plan left over from an earlier run
            run = timed(tessera_cmd(a.tessera, inst, d, p, seed, plan, metrics), stats, a.timeout)
            run.update(instance=inst, method="tessera", seed=seed, n=meta.get("n_units"), p=p, notes=notes_of(run))
            if os.path.exists(plan):
                run["ref"] = score(d, plan)
            if os.path.exists(metrics):
                m = json.load(open(metrics))
                run["own"] = {k: m.get(k) for k in ("seconds", "cancelled", "certificate", "restarts_done", "stopped_early", "stopped")
                              if k in m}
            results.append(run)
            r = run.get("ref", {})
            print(inst, "tessera", seed, f"{run['wall']:.2f}s user {run['user']}s {run['rss_mb']}MB rc={run['rc']}",
                  r.get("travel"), r.get("max_dev"), r.get("n_noncontiguous"), *run["notes"], flush=True)
        if a.no_peers:
            continue
        for m in PEERS:
            if (inst, m) in SKIP and not a.all_peers:
                continue
            pd_ = os.path.join(OUT, f"{inst}-{m}")
            plan = os.path.join(pd_, "plan.csv")
            if os.path.exists(plan):
                os.remove(plan)
            run = timed([sys.executable, os.path.join(SHARED, "peers", "peers.py"), d, m, "--seed", str(a.peer_seed),
                         "--out", pd_], stats, a.peer_timeout)
            run.update(instance=inst, method=m, seed=a.peer_seed, n=meta.get("n_units"), p=p, notes=[])
            if os.path.exists(plan) and run["rc"] == 0:
                run["ref"] = score(d, plan)
            else:
                run["notes"] = [f"no plan: {'killed at ' + str(a.peer_timeout) + ' s' if run['killed'] else 'exit ' + str(run['rc'])}"]
                tail = run["stderr"].strip().splitlines()[-1:] or [""]
                run["notes"] += [tail[0][:200]]
            results.append(run)
            r = run.get("ref", {})
            print(inst, m, f"{run['wall']:.2f}s user {run['user']}s {run['rss_mb']}MB rc={run['rc']}",
                  r.get("travel"), r.get("max_dev"), r.get("n_noncontiguous"), *run["notes"], flush=True)
    load_end = os.getloadavg()
    for r in results:
        r.pop("stderr", None)  # the notes keep what matters
    with open(os.path.splitext(a.out)[0] + ".json", "w") as f:
        json.dump({"commit": commit, "started": started, "load_start": load_start, "load_end": load_end,
                   "seeds": a.seeds, "results": results}, f, indent=1)
    write_markdown(a, results, commit, started, load_start, load_end)
    print("wrote", a.out)


def write_markdown(a, results, commit, started, load_start, load_end):
    cmd = "bench/.venv/bin/python bench/peers/compare.py" + (f" {' '.join(a.instances)}" if a.instances != INSTANCES else "") \
        + (f" --seeds {a.seeds}" if a.seeds != 10 else "") + (" --no-peers" if a.no_peers else "") \
        + (" --all-peers" if getattr(a, "all_peers", False) else "")
    L = [f"`{cmd}` — commit {commit}, started {started}, load average (1/5/15 min) "
         f"{'/'.join(f'{x:.1f}' for x in load_start)} at the start, {'/'.join(f'{x:.1f}' for x in load_end)} at the end.",
         f"Tessera: seeds 0–{a.seeds - 1}, median (min–max); peers: one run each, seed {a.peer_seed}. "
         "Wall and user CPU in seconds, peak resident memory in MB (`/usr/bin/time`); travel, max_dev and "
         "non-contiguous territories from the referee; feasible = every unit once, within ±5% and contiguous.", ""]
    L.append("| instance | units | p | method | wall s | user s | peak MB | travel | max_dev | non-contiguous | "
             "feasible | Tessera's median wall / method's |")
    L.append("|---|---:|---:|---|---|---|---|---|---|---|---|---|")
    for inst in dict.fromkeys(r["instance"] for r in results):
        rows = [r for r in results if r["instance"] == inst]
        ts = [r for r in rows if r["method"] == "tessera"]
        tw = spread([r["wall"] for r in ts])[1] if ts else None
        n, p = rows[0]["n"], rows[0]["p"]
        if ts:
            refs = [r.get("ref", {}) for r in ts]
            feas = sum(bool(x.get("feasible")) for x in refs)
            L.append(f"| {inst} | {fmt(n, ',')} | {p} | **tessera** | {tri([r['wall'] for r in ts], '.2f')} | "
                     f"{tri([r['user'] for r in ts], '.2f')} | {tri([r['rss_mb'] for r in ts], '.0f')} | "
                     f"**{tri([x.get('travel') for x in refs], '.4e')}** | {tri([x.get('max_dev') for x in refs], '.4f')} | "
                     f"{tri([x.get('n_noncontiguous') for x in refs], 'g')} | **{feas} of {len(ts)}** | 1.00 |")
        for r in rows:
            if r["method"] == "tessera":
                continue
            x = r.get("ref")
            if x is None:
                L.append(f"| {inst} | {fmt(n, ',')} | {p} | {r['method']} | {r['wall']:.2f} | {fmt(r['user'], '.2f')} | "
                         f"{fmt(r['rss_mb'], '.0f')} | {' '.join(r['notes'])} | | | | {fmt(tw / r['wall'] if tw else None, '.2f')} |")
                continue
            L.append(f"| {inst} | {fmt(n, ',')} | {p} | {r['method']} | {r['wall']:.2f} | {fmt(r['user'], '.2f')} | "
                     f"{fmt(r['rss_mb'], '.0f')} | {fmt(x['travel'], '.4e')} | {x['max_dev']:.4f} | {x['n_noncontiguous']} | "
                     f"{'yes' if x['feasible'] else 'no'} | {fmt(tw / r['wall'] if tw else None, '.2f')} |")
    L += ["", "Issue 9's targets (georgia: issue 3's travel target; medians and maxima over the seeds above):", ""]
    for inst in dict.fromkeys(r["instance"] for r in results):
        t = TARGETS.get(inst, {})
        ts = [r for r in results if r["instance"] == inst and r["method"] == "tessera"]
        if not ts:
            continue
        walls, rss = [r["wall"] for r in ts], [r["rss_mb"] for r in ts]
        travel = [r.get("ref", {}).get("travel") for r in ts]
        feas = sum(bool(r.get("ref", {}).get("feasible")) for r in ts)
        checks = [f"feasible {feas} of {len(ts)} ({'met' if feas == len(ts) else 'NOT met'})"]
        for key, label, xs, agg, f in (("travel_med", "median travel", travel, 1, ".4e"), ("wall_med", "median wall s", walls, 1, ".2f"),
                                       ("wall_max", "max wall s", walls, 2, ".2f"), ("rss_max", "max peak MB", rss, 2, ".0f")):
            if key in t:
                v = spread(xs)[agg]
                ok = v is not None and v <= t[key]
                checks.append(f"{label} {fmt(v, f)} ≤ {fmt(t[key], f)}: {'met' if ok else 'NOT met'}")
        gaps = [c["gap"] * 100 for r in ts for c in [(r.get("own") or {}).get("certificate")] if isinstance(c, dict) and "gap" in c]
        checks.append(f"certificate gap {tri(gaps, '.2f')}% in {len(gaps)} of {len(ts)} runs" if gaps else "no certificate")
        L.append(f"- **{inst}**: " + "; ".join(checks))
    L += ["", "Every Tessera run (exit 3 = plan written, a promise not kept; notes = its stderr besides the summary):", "",
          "| instance | seed | wall s | user s | peak MB | exit | restarts done | travel | max_dev | non-contiguous | feasible | certificate gap | notes |",
          "|---|---:|---:|---:|---:|---:|---:|---|---|---:|---|---|---|"]
    for r in results:
        if r["method"] != "tessera":
            continue
        x = r.get("ref", {})
        cert = (r.get("own") or {}).get("certificate")
        gap = f"{cert['gap'] * 100:.2f}%" if isinstance(cert, dict) and "gap" in cert else "–"
        # The import's warnings name the units file, the same on every row: the message is enough.
        notes = "; ".join([short(re.sub(r"^warning: \S+: ", "", x)) for x in r["notes"]]
                          + (["killed at the harness timeout"] if r["killed"] else []))
        L.append(f"| {r['instance']} | {r['seed']} | {r['wall']:.2f} | {fmt(r['user'], '.2f')} | {fmt(r['rss_mb'], '.0f')} | "
                 f"{r['rc']} | {fmt((r.get('own') or {}).get('restarts_done'), 'd')} | {fmt(x.get('travel'), '.4e')} | {fmt(x.get('max_dev'), '.4f')} | {fmt(x.get('n_noncontiguous'), 'd')} | "
                 f"{'yes' if x.get('feasible') else 'no'} | {gap} | {notes} |")
    with open(a.out, "w") as f:
        f.write("\n".join(L) + "\n")


if __name__ == "__main__":
    main()
