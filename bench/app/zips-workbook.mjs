// Writes a 40,000-ZIP-point workbook for the real-app benchmarks: the zips40k dataset of datasets.mjs as a
// units CSV (territory = ZIP prefix), imported by the release CLI (adjacency from a Delaunay triangulation).
//
//   node bench/app/zips-workbook.mjs OUT.tessera [--tessera target/release/tessera]
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { repo, zipsDataset } from "./datasets.mjs";

const { values: opts, positionals } = parseArgs({
  allowPositionals: true,
  options: { tessera: { type: "string", default: join(repo, "target/release/tessera") } },
});
if (positionals.length !== 1) throw new Error("usage: zips-workbook.mjs OUT.tessera");
const { units } = zipsDataset();
const dir = mkdtempSync(join(tmpdir(), "tessera-bench-zips-"));
try {
  const csv = join(dir, "zips.csv");
  const rows = units.features.map((f) => {
    const [lon, lat] = f.geometry.coordinates;
    return `${f.properties.id},${lon},${lat},${f.properties.workload},${f.properties.territory}`;
  });
  writeFileSync(csv, `id,lon,lat,workload,territory\n${rows.join("\n")}\n`);
  execFileSync(opts.tessera, ["import", "--units", csv, "--reps", join(repo, "sample-data/reps.csv"), "--out", positionals[0], "--force"], {
    stdio: "inherit",
  });
} finally {
  rmSync(dir, { recursive: true, force: true });
}
