"""Builds Tessera's sample data from ../shared/data (run from the repository root).

usage: python3 sample-data/build/make_sample.py [SHARED_DATA_DIR]

Pure standard library, deterministic (seeded), so anyone can rebuild and diff the output:
- us-counties.csv       contiguous-US counties + DC with 1990 Census population as `workload`, account measures
                        aggregated from the synthetic accounts, and a naive `territory` (nearest rep) as the current
                        alignment a planner would start from;
- us-counties.geojson   their polygons (id = FIPS);
- us-county-adjacency.csv  queen contiguity + the two island bridges;
- reps.csv              25 reps with home bases in large places near the population's weighted k-means centres;
- accounts.csv          the 20,000 synthetic accounts (points, for the account-level workflow).
"""
import csv, json, math, os, random, sys

SRC = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared", "data")
OUT = os.path.join(os.path.dirname(__file__), "..")
N_REPS = 25  # Los Angeles County is 0.90 x a territory's target at 25 reps; at 30+ it alone breaks +-5%.
R = 6371.0088


def km(lon0, lat0, lon1, lat1):
    p0, p1 = math.radians(lat0), math.radians(lat1)
    a = math.sin((p1 - p0) / 2) ** 2 + math.cos(p0) * math.cos(p1) * math.sin(math.radians(lon1 - lon0) / 2) ** 2
    return 2 * R * math.asin(math.sqrt(min(1.0, max(0.0, a))))


def main():
    counties = [r for r in csv.DictReader(open(os.path.join(SRC, "counties.csv"), encoding="utf-8")) if r["conus"] == "True"]
    fips = {r["fips"] for r in counties}
    acc = {f: [0, 0.0, 0.0] for f in fips}  # accounts, hours, potential
    accounts = list(csv.DictReader(open(os.path.join(SRC, "accounts.csv"), encoding="utf-8")))
    for a in accounts:
        s = acc.get(a["county_fips"])
        if s is not None:
            s[0] += 1
            s[1] += float(a["workload_h"])
            s[2] += float(a["annual_potential_usd"])

    # Rep home bases: weighted k-means (seeded) on county centroids by population, snapped to the nearest
    # place of >= 50,000 people, so reps live where the work is, in real towns.
    pts = [(float(r["lon"]), float(r["lat"]), float(r["workload"])) for r in counties]
    rng = random.Random(20261126)
    centers = [pts[i][:2] for i in rng.sample(range(len(pts)), N_REPS)]
    for _ in range(40):
        sums = [[0.0, 0.0, 0.0] for _ in centers]
        for x, y, w in pts:
            k = min(range(len(centers)), key=lambda j: km(x, y, *centers[j]))
            sums[k][0] += w * x; sums[k][1] += w * y; sums[k][2] += w
        centers = [(s[0] / s[2], s[1] / s[2]) if s[2] > 0 else c for s, c in zip(sums, centers)]
    places = [p for p in csv.DictReader(open(os.path.join(SRC, "places.csv"), encoding="utf-8"))
              if int(p["population"]) >= 50000 and p["county_fips"] in fips]
    reps, used = [], set()
    for i, (x, y) in enumerate(sorted(centers, key=lambda c: (-c[1], c[0]))):
        p = min((p for p in places if p["geonameid"] not in used),
                key=lambda p: km(x, y, float(p["lon"]), float(p["lat"])))
        used.add(p["geonameid"])
        reps.append({"id": f"R{i + 1:02d}", "name": f"{p['name']}, {p['admin1']}", "lon": p["lon"], "lat": p["lat"],
                     "capacity": "1"})
    with open(os.path.join(OUT, "reps.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, ["id", "name", "lon", "lat", "capacity"])
        w.writeheader(); w.writerows(reps)

    with open(os.path.join(OUT, "us-counties.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["id", "name", "state", "lon", "lat", "workload", "accounts", "account_hours", "potential_usd",
                    "territory"])
        for r in sorted(counties, key=lambda r: r["fips"]):
            x, y = float(r["lon"]), float(r["lat"])
            near = min(reps, key=lambda p: km(x, y, float(p["lon"]), float(p["lat"])))
            a = acc[r["fips"]]
            w.writerow([r["fips"], r["name"], r["state_abbr"], r["lon"], r["lat"], r["workload"], a[0],
                        round(a[1], 2), round(a[2]), near["id"]])

    gj = json.load(open(os.path.join(SRC, "counties.geojson"), encoding="utf-8"))
    feats = [{"type": "Feature", "properties": {"id": f["properties"]["fips"]}, "geometry": f["geometry"]}
             for f in gj["features"] if f["properties"]["fips"] in fips]
    feats.sort(key=lambda f: f["properties"]["id"])
    with open(os.path.join(OUT, "us-counties.geojson"), "w", encoding="utf-8") as f:
        f.write('{"type":"FeatureCollection","features":[\n')
        f.write(",\n".join(json.dumps(x, separators=(",", ":")) for x in feats))
        f.write("\n]}\n")

    with open(os.path.join(OUT, "us-county-adjacency.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["a", "b", "type", "shared_border_km"])
        for r in csv.DictReader(open(os.path.join(SRC, "county_adjacency.csv"), encoding="utf-8")):
            if r["fips_a"] in fips and r["fips_b"] in fips:
                w.writerow([r["fips_a"], r["fips_b"], r["type"], r["shared_border_km"]])

    with open(os.path.join(OUT, "accounts.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["id", "lon", "lat", "workload", "potential_usd", "visits_per_year", "segment", "place", "state",
                    "county"])
        for a in accounts:
            w.writerow([a["account_id"], a["lon"], a["lat"], a["workload_h"], a["annual_potential_usd"],
                        a["visits_per_year"], a["segment"], a["place_name"], a["state"], a["county_fips"]])


if __name__ == "__main__":
    main()
