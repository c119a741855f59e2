// Open-to-drawn time in the real app: target/release/tessera-app under an X display (Xvfb; WebKitGTK renders
// WebGL in software there), driven by tauri-driver + WebKitWebDriver through ui/tests/e2e/webdriver.mjs. Each
// run starts the app on a fresh copy of the sample workbook and waits for the map's `drawn` mark, then reads
//   - process start → window script start → open → drawn (the app process's start time from /proc),
//   - the map's marks (ui/src/map/mapView.ts OPEN_MARKS), as in open-time.mjs,
//   - once drawn: the commands the window loads with, timed again from the window (warm: the workbook is open
//     and its pages cached), and JSON.parse of the units' text alone, to split Rust + IPC from parsing.
// Prints medians (min–max). Not a test: nothing here asserts a time.
//
//   DISPLAY=:N node bench/app/app-open-time.mjs [--app target/release/tessera-app] [--workbook W] [--runs 5]
//                                               [--screenshot PNG] [--json]
import { copyFile, mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { startApp } from "../../ui/tests/e2e/webdriver.mjs";
import { repo } from "./datasets.mjs";
import { fmt, framesBetween, stats } from "./browser.mjs";

const { values: opts } = parseArgs({
  options: {
    app: { type: "string", default: join(repo, "target/release/tessera-app") },
    workbook: { type: "string", default: join(repo, "sample-data/us-counties.tessera") },
    runs: { type: "string", default: "5" },
    screenshot: { type: "string" },
    json: { type: "boolean", default: false },
  },
});
if (!process.env.DISPLAY) throw new Error("no DISPLAY: run under Xvfb (bench/app/run.sh starts one)");
const app = resolve(opts.app);

/** Clock ticks per second of /proc/<pid>/stat's start time (USER_HZ; 100 on Linux everywhere we run). */
const HZ = 100;

/** Start time (ms since the epoch, ±10 ms) of the newest process running `exe` that started after `after`. */
async function processStart(exe, after) {
  const boot = Number(/^btime (\d+)$/m.exec(await readFile("/proc/stat", "utf8"))[1]) * 1000;
  let best = null;
  for (const pid of await readdir("/proc")) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const cmdline = (await readFile(`/proc/${pid}/cmdline`, "utf8")).split("\0")[0];
      if (resolve(cmdline) !== exe) continue;
      const stat = await readFile(`/proc/${pid}/stat`, "utf8");
      // Fields after the parenthesised command name; starttime is field 22 overall.
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      const start = boot + (Number(fields[19]) * 1000) / HZ;
      if (start >= after - 1000 && (best === null || start > best)) best = start;
    } catch {
      // The process went away while we looked.
    }
  }
  return best;
}

/** In the window once drawn: the marks, the time origin, and the load's commands timed again. */
const PROBE = `
  const all = performance.getEntriesByType("mark").filter((m) => m.name.startsWith("tessera:"));
  const marks = Object.fromEntries(all.map((m) => [m.name.slice(8), m.startTime]));
  marks.frames = all.filter((m) => m.name === "tessera:frame").map((m) => m.startTime);
  const invoke = window.__TAURI_INTERNALS__.invoke;
  const time = async (cmd, args) => { const s = performance.now(); const v = await invoke(cmd, args); return [performance.now() - s, v]; };
  const [workbookMs] = await time("current_workbook");
  const [unitsMs, units] = await time("units_geojson");
  const [scenarioMs] = await time("open_scenario", { name: "current", measure: null });
  const text = JSON.stringify(units);
  const s = performance.now();
  JSON.parse(text);
  const parseMs = performance.now() - s;
  return { marks, timeOrigin: performance.timeOrigin, workbookMs, unitsMs, scenarioMs, parseMs, bytes: text.length,
    typeofUnits: typeof units };
`;

const runs = [];
for (let i = 0; i < Number(opts.runs); i++) {
  const dir = await mkdtemp(join(tmpdir(), "tessera-bench-app-"));
  const workbook = join(dir, "bench.tessera");
  await copyFile(opts.workbook, workbook);
  const requested = Date.now();
  const session = await startApp({ application: app, args: [workbook], quiet: true });
  try {
    const started = await processStart(app, requested);
    await session.until("return document.querySelector('#map')?.dataset.mapReady === 'true'", "the map drawn", 120_000, 50);
    const probe = await session.runAsync(PROBE);
    if (probe.marks.drawn === undefined) throw new Error(`no 'drawn' mark: is ${app} built with the current ui/dist?`);
    runs.push({ started, ...probe });
    if (opts.screenshot && i === 0) await session.screenshot(opts.screenshot);
  } finally {
    await session.end();
    await rm(dir, { recursive: true, force: true });
  }
}

const rows = [
  ["process start → window script start", (r) => r.timeOrigin - r.started],
  ["window script start → open", (r) => r.marks.open],
  ["open → units arrived (all IPC)", (r) => r.marks.arrived - r.marks.open],
  ["arrived → drawing starts (waits for style)", (r) => r.marks.units - r.marks.arrived],
  ["units → meshes built and handed to the map", (r) => r.marks["units-sent"] - r.marks.units],
  ["→ framed, coloured (page layout)", (r) => r.marks.colored - r.marks["units-sent"]],
  ["  territory borders", (r) => r.marks.borders - r.marks.colored],
  ["  labels, overlays", (r) => r.marks.labels - r.marks.borders],
  ["→ idle (frames drawn)", (r) => r.marks.drawn - r.marks.labels],
  ["OPEN → DRAWN", (r) => r.marks.drawn - r.marks.open],
  ["frames drawn, open → drawn", (r) => framesBetween(r.marks, "open", "drawn")],
  ["PROCESS START → DRAWN", (r) => r.timeOrigin + r.marks.drawn - r.started],
  ["warm: current_workbook", (r) => r.workbookMs],
  ["warm: units_geojson (Rust + IPC + parse)", (r) => r.unitsMs],
  ["warm: open_scenario (figures)", (r) => r.scenarioMs],
  ["JSON.parse of the units alone", (r) => r.parseMs],
];
if (opts.json) {
  console.log(JSON.stringify(runs, null, 1));
} else {
  console.log(
    `real app (${app.replace(`${repo}/`, "")}, Xvfb, WebKitGTK), ${opts.workbook.replace(`${repo}/`, "")}: ` +
      `${(runs[0].bytes / 1e6).toFixed(2)} MB units JSON; ${runs.length} runs; ms median (min–max)`,
  );
  for (const [label, f] of rows) console.log(`${label.padEnd(44)} ${fmt(stats(runs.map(f)))}`);
}
