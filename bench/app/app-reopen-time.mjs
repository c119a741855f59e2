// Opening a workbook a second time in the same window, in the real app: the window and MapLibre's worker are
// warm (started, their code compiled), so this separates what a cold start costs from what every opening costs.
// Each run starts the app on a fresh copy of the sample workbook, waits for the map's `drawn` mark, then opens
// the same workbook again through the store (a planner's Open… of it) and reads the second opening's marks
// (ui/src/map/mapView.ts OPEN_MARKS). Prints each run and the medians (min–max). Not a test: nothing asserts a time.
//
//   DISPLAY=:N node bench/app/app-reopen-time.mjs [--app target/release/tessera-app] [--workbook W] [--runs 5]
import { copyFile, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { startApp } from "../../ui/tests/e2e/webdriver.mjs";
import { repo } from "./datasets.mjs";
import { fmt, stats } from "./browser.mjs";

const { values: opts } = parseArgs({
  options: {
    app: { type: "string", default: join(repo, "target/release/tessera-app") },
    workbook: { type: "string", default: join(repo, "sample-data/us-counties.tessera") },
    runs: { type: "string", default: "5" },
  },
});
if (!process.env.DISPLAY) throw new Error("no DISPLAY: run under Xvfb (bench/app/run.sh starts one)");

/** The newest `open`, `arrived` and `drawn` marks, in ms: those of the latest opening. */
const LATEST = `const m = performance.getEntriesByType("mark");
  const last = (n) => m.filter((x) => x.name === "tessera:" + n).pop()?.startTime ?? null;
  return { open: last("open"), arrived: last("arrived"), drawn: last("drawn") };`;

async function once() {
  const dir = await mkdtemp(join(tmpdir(), "tessera-reopen-"));
  const workbook = join(dir, "bench.tessera");
  await copyFile(resolve(opts.workbook), workbook);
  const app = await startApp({ application: resolve(opts.app), args: [workbook], quiet: true });
  try {
    await app.until("return document.querySelector('#map')?.dataset.mapReady === 'true'", "the first drawing", 120_000, 50);
    const first = await app.run(LATEST);
    // Settle (the first opening's last frames, the figures panel), then open the same file again: the one the
    // app was started with may be reopened (RELIABILITY.md: paths the window may open).
    await new Promise((r) => setTimeout(r, 1500));
    await app.run(`void window.__tessera.store.open(${JSON.stringify(workbook)}); return true;`);
    await app.until("return performance.getEntriesByName('tessera:drawn').length >= 2", "the second drawing", 60_000, 50);
    const second = await app.run(LATEST);
    const span = (x) => ({ arrived: x.arrived - x.open, drawn: x.drawn - x.open });
    return { first: span(first), second: span(second) };
  } finally {
    await app.end();
    await rm(dir, { recursive: true, force: true });
  }
}

const runs = [];
for (let i = 0; i < Number(opts.runs); i++) {
  const r = await once();
  runs.push(r);
  console.log(`run ${i + 1}: first open → drawn ${Math.round(r.first.drawn)} ms, second ${Math.round(r.second.drawn)} ms`);
}
console.log(`${opts.workbook}, ${runs.length} runs; ms median (min–max)`);
for (const [label, pick] of [
  ["first opening: open → units arrived", (r) => r.first.arrived],
  ["first opening: OPEN → DRAWN", (r) => r.first.drawn],
  ["second opening: open → units arrived", (r) => r.second.arrived],
  ["second opening: OPEN → DRAWN", (r) => r.second.drawn],
]) {
  console.log(`${label.padEnd(40)} ${fmt(stats(runs.map(pick)))}`);
}
