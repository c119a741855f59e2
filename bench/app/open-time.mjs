// Open-to-drawn time of the map, in headless Chromium with the mocked IPC: from the page asking for the
// workbook (the store's "loading") to the first idle frame with the coloured territories, split by the marks
// ui/src/map/mapView.ts leaves (OPEN_MARKS). Fresh page per repetition; prints medians (min–max).
//
//   node bench/app/open-time.mjs --dist DIR [--dataset counties|zips40k] [--runs 7] [--screenshot PNG] [--json]
//
// DIR is a `vite build` of ui/ (bench/app/run.sh builds one). Not a test: nothing here asserts a time.
import { writeFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { countiesDataset, zipsDataset } from "./datasets.mjs";
import { fmt, framesBetween, readMarks, startBrowser, stats } from "./browser.mjs";

const { values: opts } = parseArgs({
  options: {
    dist: { type: "string" },
    dataset: { type: "string", default: "counties" },
    runs: { type: "string", default: "7" },
    screenshot: { type: "string" },
    json: { type: "boolean", default: false },
  },
});
if (!opts.dist) throw new Error("--dist DIR (a vite build of ui/) is required");

/** Phases as [label, from mark, to mark]; "nav" is navigation start (0). */
export const PHASES = [
  ["page start → open (bundle, map, style)", "nav", "open"],
  ["open → units arrived (all IPC)", "open", "arrived"],
  ["arrived → drawing starts (waits for style)", "arrived", "units"],
  ["units → meshes built and handed to the map", "units", "units-sent"],
  ["→ framed, coloured (page layout)", "units-sent", "colored"],
  ["  territory borders", "colored", "borders"],
  ["  labels, overlays", "borders", "labels"],
  ["→ idle (frames drawn)", "labels", "drawn"],
  ["OPEN → DRAWN", "open", "drawn"],
  ["page start → drawn", "nav", "drawn"],
];

const dataset = opts.dataset === "zips40k" ? zipsDataset() : countiesDataset();
const browser = await startBrowser(opts.dist);
const runs = [];
try {
  for (let i = 0; i < Number(opts.runs); i++) {
    const { page, errors } = await browser.open(dataset);
    const marks = { nav: 0, ...(await readMarks(page)) };
    const { ipc, longTasks } = await page.evaluate(() => ({ ipc: window.__BENCH_IPC__, longTasks: window.__BENCH_LONGTASKS__ }));
    if (errors.length) console.error(errors);
    runs.push({ marks, ipc, longTasks });
    if (opts.screenshot && i === 0) await writeFile(opts.screenshot, await page.screenshot({ type: "png" }));
    await page.close();
  }
} finally {
  await browser.close();
}

const rows = PHASES.map(([label, from, to]) => [label, stats(runs.map((r) => r.marks[to] - r.marks[from]))]);
rows.push(["frames drawn, open → drawn", stats(runs.map((r) => framesBetween(r.marks, "open", "drawn")))]);
const ipcOf = (cmd) => stats(runs.map((r) => r.ipc.filter((c) => c.cmd === cmd).reduce((s, c) => s + c.ms, 0)));
const ipcRows = ["units_geojson", "open_scenario"].map((cmd) => [`  of which ${cmd} (mock${cmd === "units_geojson" ? ": JSON.parse" : ""})`, ipcOf(cmd)]);
if (opts.json) {
  console.log(JSON.stringify({ dataset: opts.dataset, bytes: dataset.bytes, runs }, null, 1));
} else {
  console.log(
    `headless Chromium + mocked IPC, ${opts.dataset}: ${dataset.units.features.length} units, ` +
      `${(dataset.bytes / 1e6).toFixed(2)} MB GeoJSON; ${runs.length} runs; ms median (min–max)`,
  );
  for (const [label, s] of [...rows.slice(0, 2), ...ipcRows, ...rows.slice(2)]) console.log(`${label.padEnd(44)} ${fmt(s)}`);
}
