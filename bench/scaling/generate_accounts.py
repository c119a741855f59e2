"""Writes N synthetic accounts the way sample-data/accounts.csv was made, for the "how cost grows" sweep.

usage (from the repository root): python3 bench/scaling/generate_accounts.py N OUT.csv [--seed S] [--places P]

The recipe is ../shared/data/build/build_data.py's (see ../shared/data/README.md, "accounts.csv"), draw for draw:
a GeoNames place of the contiguous US + DC drawn with probability ∝ population, the point uniform in a disk of
radius min(25, 1 + 0.004·√pop) km around it, potential lognormal (median 60,000, σ 1.0), segment A/B/C by
potential quantile, visits 24/12/4 a year, visit duration lognormal(1 h, σ 0.35) × (1.5/1.0/0.75) clipped to
[0.25, 4], workload = visits × duration. With the shared build's seed (20240607) and N = 20,000 it writes the same
accounts as sample-data/accounts.csv (ids, positions, workload, potential, segment, place), which `--check`
verifies. The only column left out is the county, which the build found by point-in-polygon (geopandas); the
optimizer does not read it. Needs numpy only; reads ../shared/data/places.csv, no network.
"""
import argparse, csv, math, os, sys

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PLACES = os.path.normpath(os.path.join(ROOT, "..", "shared", "data", "places.csv"))
# The shared build's filter: every state but AK, HI and the territories (its NON_CONUS); DC is kept.
NON_CONUS = {"AK", "HI", "AS", "GU", "MP", "PR", "VI"}
BUILD_SEED = 20240607


def load_places(path):
    """The places of the contiguous US + DC, in the file's order (the order the build drew from)."""
    names, states, pop, lon, lat = [], [], [], [], []
    with open(path, newline="", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            if r["admin1"] in NON_CONUS:
                continue
            names.append(r["name"]); states.append(r["admin1"])
            pop.append(float(r["population"])); lon.append(float(r["lon"])); lat.append(float(r["lat"]))
    return names, states, np.array(pop), np.array(lon), np.array(lat)


def generate(n, seed, places):
    names, states, ppop, plon, plat = places
    rng = np.random.default_rng(seed)
    # Same draws in the same order as build_data.py, so seed 20240607 reproduces the shipped accounts.
    idx = rng.choice(len(ppop), size=n, p=ppop / ppop.sum())
    pop = ppop[idx]
    radius = np.minimum(25.0, 1.0 + 0.004 * np.sqrt(pop))  # km: bigger places spread wider
    r = radius * np.sqrt(rng.random(n)); th = rng.random(n) * 2 * np.pi
    lat = plat[idx] + (r * np.sin(th)) / 111.32
    lon = plon[idx] + (r * np.cos(th)) / (111.32 * np.cos(np.radians(plat[idx])))
    pot = np.round(np.exp(rng.normal(math.log(60000), 1.0, n)), -2)
    q = np.quantile(pot, [0.8, 0.5])
    seg = np.where(pot >= q[0], "A", np.where(pot >= q[1], "B", "C"))
    visits = np.select([seg == "A", seg == "B"], [24, 12], 4)
    dur = np.round(np.clip(rng.lognormal(math.log(1.0), 0.35, n) * np.select([seg == "A", seg == "B"], [1.5, 1.0], 0.75),
                           0.25, 4), 2)
    work = np.round(visits * dur, 2)
    width = max(5, len(str(n)))
    for i in range(n):
        j = idx[i]
        yield (f"A{i + 1:0{width}d}", f"{lon[i]:.5f}", f"{lat[i]:.5f}", f"{work[i]:g}", str(int(pot[i])),
               str(int(visits[i])), seg[i], names[j], states[j])


HEADER = ["id", "lon", "lat", "workload", "potential_usd", "visits_per_year", "segment", "place", "state"]


def check(places):
    """Seed 20240607, N = 20,000 against sample-data/accounts.csv: same rows, column for column (county aside)."""
    ours = list(generate(20000, BUILD_SEED, places))
    with open(os.path.join(ROOT, "sample-data", "accounts.csv"), newline="", encoding="utf-8") as f:
        theirs = list(csv.DictReader(f))
    bad = 0
    for o, t in zip(ours, theirs):
        same = (o[0] == t["id"] and abs(float(o[1]) - float(t["lon"])) < 2e-5 and abs(float(o[2]) - float(t["lat"])) < 2e-5
                and abs(float(o[3]) - float(t["workload"])) < 1e-9 and o[4] == t["potential_usd"] and o[6] == t["segment"]
                and o[7] == t["place"] and o[8] == t["state"])
        bad += not same
    print(f"check: {len(ours)} generated, {len(theirs)} in sample-data/accounts.csv, {bad} differ")
    return bad == 0 and len(ours) == len(theirs)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("n", type=int, nargs="?")
    ap.add_argument("out", nargs="?")
    ap.add_argument("--seed", type=int, default=BUILD_SEED)
    ap.add_argument("--places", default=PLACES)
    ap.add_argument("--check", action="store_true", help="compare seed 20240607, N=20,000 with sample-data/accounts.csv")
    a = ap.parse_args()
    places = load_places(a.places)
    if a.check:
        sys.exit(0 if check(places) else 1)
    if a.n is None or a.out is None:
        ap.error("N and OUT are required (or --check)")
    os.makedirs(os.path.dirname(os.path.abspath(a.out)), exist_ok=True)
    with open(a.out, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(HEADER)
        w.writerows(generate(a.n, a.seed, places))


if __name__ == "__main__":
    main()
