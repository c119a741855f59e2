// Datasets for the map benchmarks, in the shape the mocked IPC (ui/tests/browser/mock-ipc.mjs) answers with:
// `{ summary, units, alignment }`, as the app's `current_workbook`, `units_geojson` and `current_alignment`
// commands return them.
//
// - counties: the sample workbook's units exactly as the app sends them (`tessera export … .geojson` writes the
//   same text as the `units_geojson` command: `workbook::export::plan_geojson`), its "current" territories and
//   their adjacency from the sample county adjacency.
// - zips40k: 40,000 ZIP points of the contiguous US from ../shared/data/zips.csv (drawn as circles), in ~90
//   territories by the ZIP's first two digits (neighbouring ZIPs, so territories are compact and the colouring
//   has real adjacency to work with).
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const repo = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

/** Minimal CSV reader for our sample files (quoted fields, no embedded newlines). */
function parseCsv(text) {
  const lines = text.trim().split(/\r?\n/);
  const split = (line) => {
    const out = [];
    let field = "";
    let quoted = false;
    for (let i = 0; i < line.length; i++) {
      const c = line[i];
      if (quoted) {
        if (c === '"' && line[i + 1] === '"') field += line[++i];
        else if (c === '"') quoted = false;
        else field += c;
      } else if (c === '"') quoted = true;
      else if (c === ",") {
        out.push(field);
        field = "";
      } else field += c;
    }
    out.push(field);
    return out;
  };
  const header = split(lines[0]);
  return lines.slice(1).map((line) => Object.fromEntries(split(line).map((v, i) => [header[i], v])));
}

function reps() {
  return parseCsv(readFileSync(join(repo, "sample-data/reps.csv"), "utf8")).map((r) => ({
    id: r.id,
    name: r.name,
    lon: Number(r.lon),
    lat: Number(r.lat),
    capacity: Number(r.capacity),
  }));
}

/** Territory names in order of first appearance, each unit's index into them, and adjacent territory pairs. */
function alignmentOf(territoryNames, unitPairs) {
  const territories = [];
  const index = new Map();
  const territoryOf = territoryNames.map((name) => {
    if (!index.has(name)) {
      index.set(name, territories.length);
      territories.push(name);
    }
    return index.get(name);
  });
  const adjacent = new Map();
  for (const [a, b] of unitPairs) {
    const [s, t] = [territoryOf[a], territoryOf[b]];
    if (s === t) continue;
    const pair = s < t ? [s, t] : [t, s];
    adjacent.set(pair.join(","), pair);
  }
  return { territories, territoryOf, adjacent: [...adjacent.values()] };
}

/** The sample county workbook as the app serves it; `tessera` is the release CLI binary. */
export function countiesDataset(tessera = join(repo, "target/release/tessera")) {
  const dir = mkdtempSync(join(tmpdir(), "tessera-bench-"));
  const out = join(dir, "counties.geojson");
  try {
    execFileSync(tessera, ["export", "--scenario", "current", "--out", out, join(repo, "sample-data/us-counties.tessera")], {
      stdio: "ignore",
    });
    const text = readFileSync(out, "utf8");
    const units = JSON.parse(text);
    const ids = new Map(units.features.map((f, i) => [f.properties.id, i]));
    const edges = parseCsv(readFileSync(join(repo, "sample-data/us-county-adjacency.csv"), "utf8"))
      .map((e) => [ids.get(e.a), ids.get(e.b)])
      .filter(([a, b]) => a !== undefined && b !== undefined);
    return {
      bytes: Buffer.byteLength(text),
      summary: {
        name: "us-counties",
        path: "/bench/us-counties.tessera",
        unitCount: units.features.length,
        measures: ["workload", "accounts", "account_hours", "potential_usd"],
        geometry: "polygons",
        adjacencyEdges: edges.length,
        reps: reps(),
      },
      units,
      alignment: alignmentOf(
        units.features.map((f) => f.properties.territory),
        edges,
      ),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `count` ZIP points of the contiguous US with territories by ZIP prefix (see the file comment). */
export function zipsDataset(count = 40_000, csv = resolve(repo, "../shared/data/zips.csv")) {
  const rows = parseCsv(readFileSync(csv, "utf8"))
    .map((r) => ({ zip: r.zip_code, lat: Number(r.lat), lon: Number(r.lon) }))
    .filter((r) => r.lon > -125 && r.lon < -66 && r.lat > 24 && r.lat < 50);
  if (rows.length < count) throw new Error(`${csv} has ${rows.length} contiguous-US ZIPs, fewer than ${count}`);
  // Spread the dropped ones over the country rather than cutting off the last states.
  const picked = Array.from({ length: count }, (_, i) => rows[Math.floor((i * rows.length) / count)]);
  const features = picked.map((r, i) => ({
    type: "Feature",
    id: r.zip,
    geometry: { type: "Point", coordinates: [r.lon, r.lat] },
    properties: { id: r.zip, territory: `Z${r.zip.slice(0, 2)}`, workload: 1 + (i % 7) },
  }));
  // Units in the same or neighbouring 0.5° cells are "adjacent" (for the territory colouring only).
  const cells = new Map();
  const cellOf = (lon, lat) => [Math.floor(lon * 2), Math.floor(lat * 2)];
  picked.forEach((r, i) => {
    const key = cellOf(r.lon, r.lat).join(",");
    if (!cells.has(key)) cells.set(key, []);
    cells.get(key).push(i);
  });
  // One representative unit per territory and cell; every two in the same or neighbouring cells are paired.
  const reps_ = new Map();
  for (const [key, members] of cells) {
    const firstOf = new Map();
    for (const m of members) if (!firstOf.has(features[m].properties.territory)) firstOf.set(features[m].properties.territory, m);
    reps_.set(key, [...firstOf.values()]);
  }
  const pairs = [];
  for (const [key, mine] of reps_) {
    const [x, y] = key.split(",").map(Number);
    for (const [dx, dy] of [[0, 0], [1, 0], [0, 1], [1, 1], [1, -1]]) {
      const theirs = reps_.get(`${x + dx},${y + dy}`);
      if (theirs) for (const a of mine) for (const b of theirs) if (a !== b) pairs.push([a, b]);
    }
  }
  const units = { type: "FeatureCollection", features };
  return {
    bytes: Buffer.byteLength(JSON.stringify(units)),
    summary: {
      name: "zips-40k",
      path: "/bench/zips-40k.tessera",
      unitCount: count,
      measures: ["workload"],
      geometry: "points",
      adjacencyEdges: pairs.length,
      reps: reps(),
    },
    units,
    alignment: alignmentOf(
      features.map((f) => f.properties.territory),
      pairs,
    ),
  };
}
