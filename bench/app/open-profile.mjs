// Where the open-to-drawn time goes, in headless Chromium with the mocked IPC: records a Chrome trace (CDP
// Tracing, with V8's sampling CPU profiler) of one page opening a dataset and prints, for the span between the
// map's `open` and `drawn` marks (ui/src/map/mapView.ts OPEN_MARKS),
//   - each thread's busy time (top-level tasks), so the main thread, MapLibre's worker and the GPU process's
//     software rasteriser can be compared, and
//   - per JavaScript thread, the functions with the most self time (CPU samples).
// Not a test and not a benchmark of its own: a tool to decide what to change (open-time.mjs measures).
//
//   node bench/app/open-profile.mjs --dist DIR [--dataset counties|zips40k] [--top 25] [--trace OUT.json]
//                                   [--from MARK] [--to MARK]     (the span; default open → drawn)
import { writeFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { countiesDataset, zipsDataset } from "./datasets.mjs";
import { readMarks, startBrowser } from "./browser.mjs";

const { values: opts } = parseArgs({
  options: {
    dist: { type: "string" },
    dataset: { type: "string", default: "counties" },
    top: { type: "string", default: "25" },
    trace: { type: "string" },
    from: { type: "string", default: "open" },
    to: { type: "string", default: "drawn" },
  },
});
if (!opts.dist) throw new Error("--dist DIR (a vite build of ui/) is required");

const CATEGORIES = [
  "devtools.timeline",
  "disabled-by-default-devtools.timeline",
  "v8",
  "v8.execute",
  "disabled-by-default-v8.cpu_profiler",
  "blink.user_timing",
  "toplevel",
  "gpu",
].join(",");

const dataset = opts.dataset === "zips40k" ? zipsDataset() : countiesDataset();
const browser = await startBrowser(opts.dist);
let events = [];
let marks;
try {
  let cdp;
  const { page } = await browser.open(dataset, async (p) => {
    cdp = await p.context().newCDPSession(p);
    cdp.on("Tracing.dataCollected", ({ value }) => events.push(...value));
    await cdp.send("Tracing.start", { traceConfig: { includedCategories: CATEGORIES.split(",") }, transferMode: "ReportEvents" });
  });
  marks = await readMarks(page);
  const done = new Promise((resolve) => cdp.once("Tracing.tracingComplete", resolve));
  await cdp.send("Tracing.end");
  await done;
  await page.close();
} finally {
  await browser.close();
}
if (opts.trace) await writeFile(opts.trace, JSON.stringify({ traceEvents: events }));

// Trace timestamps are µs on the trace clock; the marks are ms since navigation start. Find the `open` and
// `drawn` marks in the trace itself (blink.user_timing) to get the window on the trace clock.
const markTs = (name) => events.find((e) => e.name === `tessera:${name}` && e.cat.includes("blink.user_timing"))?.ts;
let t0 = markTs(opts.from);
let t1 = markTs(opts.to);
if (t0 === undefined || t1 === undefined) {
  // Fall back to the renderer's navigationStart.
  const nav = events.find((e) => e.name === "navigationStart")?.ts ?? 0;
  t0 = nav + marks[opts.from] * 1000;
  t1 = nav + marks[opts.to] * 1000;
}
console.log(
  `${opts.dataset}: ${opts.from} → ${opts.to} ${((t1 - t0) / 1000).toFixed(0)} ms (marks: ${Object.entries(marks)
    .filter(([k]) => k !== "frames")
    .map(([k, v]) => `${k} ${(v - marks.open).toFixed(0)}`)
    .join(", ")})`,
);

const threadName = new Map();
const processName = new Map();
for (const e of events) {
  if (e.ph === "M" && e.name === "thread_name") threadName.set(`${e.pid}:${e.tid}`, e.args.name);
  if (e.ph === "M" && e.name === "process_name") processName.set(e.pid, e.args.name);
}
const label = (pid, tid) => `${processName.get(pid) ?? pid} / ${threadName.get(`${pid}:${tid}`) ?? tid}`;

// Busy time per thread: top-level tasks (complete events named RunTask / ThreadControllerImpl::RunTask),
// clipped to the window.
const busy = new Map();
for (const e of events) {
  if (e.ph !== "X" || !(e.name === "RunTask" || e.name === "ThreadControllerImpl::RunTask")) continue;
  const s = Math.max(e.ts, t0);
  const f = Math.min(e.ts + (e.dur ?? 0), t1);
  if (f <= s) continue;
  const key = label(e.pid, e.tid);
  busy.set(key, (busy.get(key) ?? 0) + (f - s));
}
console.log("\nbusy time per thread in the window (top-level tasks), ms:");
for (const [k, v] of [...busy].sort((a, b) => b[1] - a[1]).slice(0, 12)) console.log(`  ${(v / 1000).toFixed(0).padStart(6)}  ${k}`);

// CPU profiles: "Profile" events start one per thread (id), "ProfileChunk" events carry nodes, samples and
// time deltas.
const profiles = new Map();
for (const e of events) {
  if (e.name === "Profile") profiles.set(e.id, { key: label(e.pid, e.tid), t: e.args.data.startTime, nodes: new Map(), self: new Map() });
}
for (const e of events) {
  if (e.name !== "ProfileChunk") continue;
  const p = profiles.get(e.id);
  if (!p) continue;
  const { cpuProfile, timeDeltas = [] } = e.args.data;
  for (const n of cpuProfile?.nodes ?? []) p.nodes.set(n.id, n);
  const samples = cpuProfile?.samples ?? [];
  for (let i = 0; i < samples.length; i++) {
    const prev = p.t;
    p.t += timeDeltas[i] ?? 0;
    if (p.t < t0 || p.t > t1) continue;
    const node = p.nodes.get(samples[i]);
    const cf = node?.callFrame ?? {};
    const name = `${cf.functionName || "(anonymous)"} ${(cf.url ?? "").split("/").pop()}:${(cf.lineNumber ?? 0) + 1}`;
    p.self.set(name, (p.self.get(name) ?? 0) + (p.t - prev));
  }
}
for (const p of profiles.values()) {
  const total = [...p.self.values()].reduce((a, b) => a + b, 0);
  if (total < 5000) continue;
  console.log(`\nself time by function, ${p.key} (${(total / 1000).toFixed(0)} ms sampled in the window):`);
  for (const [name, us] of [...p.self].sort((a, b) => b[1] - a[1]).slice(0, Number(opts.top))) {
    console.log(`  ${(us / 1000).toFixed(1).padStart(7)}  ${name}`);
  }
}
