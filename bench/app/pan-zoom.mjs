// Pan and zoom smoothness of the map, in headless Chromium with the mocked IPC: a scripted sequence of eased
// pans and zooms (the same every run, ~9 s) over the whole dataset, recording
//   - frame intervals from requestAnimationFrame (what the eye gets),
//   - frames MapLibre drew ('render' events) and the main-thread JavaScript time of each (Map#_render),
//   - long tasks (PerformanceObserver 'longtask', over 50 ms).
// Fresh page per run; prints medians over runs (min–max).
//
//   node bench/app/pan-zoom.mjs --dist DIR [--dataset zips40k|counties] [--runs 3] [--screenshot PNG] [--json]
//                               [--without labels,LAYER,…]
//   DISPLAY=:N node bench/app/pan-zoom.mjs --app target/release/tessera-app [--workbook W] [--runs 3]
//
// --app runs the same moves in the real app (Xvfb, WebKitGTK, tauri-driver) on a copy of the workbook (default
// the sample counties); WebKit has no 'longtask' entries, so those rows read 0 there.
// --without hides the territory labels (HTML markers) and/or map layers first, to see what each costs; "all"
// hides every map layer but the background (what the raster of an empty map costs here).
// Not a test: nothing here asserts a time.
import { copyFile, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { startApp } from "../../ui/tests/e2e/webdriver.mjs";
import { countiesDataset, repo, zipsDataset } from "./datasets.mjs";
import { fmt, startBrowser, stats } from "./browser.mjs";

const { values: opts } = parseArgs({
  options: {
    dist: { type: "string" },
    dataset: { type: "string", default: "zips40k" },
    runs: { type: "string", default: "3" },
    screenshot: { type: "string" },
    json: { type: "boolean", default: false },
    without: { type: "string", default: "" },
    app: { type: "string" },
    workbook: { type: "string", default: join(repo, "sample-data/us-counties.tessera") },
  },
});
const without = opts.without.split(",").filter(Boolean);
if (!opts.dist && !opts.app) throw new Error("--dist DIR (a vite build of ui/) or --app BINARY is required");

/**
 * Runs in the page once the map has drawn: the move sequence, with measurements. Steps are relative to the
 * fitted view, so both datasets get the same moves: pans by a share of the map's size, zooms by levels.
 */
async function panZoom(without) {
  const map = window.__tessera.map;
  if (without.includes("labels")) for (const m of document.querySelectorAll(".territory-label")) m.style.display = "none";
  for (const layer of map.getStyle().layers) {
    const hide = without.includes(layer.id) || (without.includes("all") && layer.id !== "background");
    if (hide) map.setLayoutProperty(layer.id, "visibility", "none");
  }
  if (without.length > 0) {
    const idle = new Promise((resolve) => map.once("idle", resolve));
    map.triggerRepaint();
    await idle;
  }
  const canvas = map.getCanvas();
  const w = canvas.clientWidth;
  const h = canvas.clientHeight;
  const home = { center: map.getCenter(), zoom: map.getZoom() };
  const steps = [
    (d) => map.panBy([w * 0.3, 0], { duration: d }),
    (d) => map.panBy([-w * 0.3, h * 0.2], { duration: d }),
    (d) => map.easeTo({ zoom: home.zoom + 2, duration: d }),
    (d) => map.panBy([w * 0.4, -h * 0.2], { duration: d }),
    (d) => map.panBy([-w * 0.6, h * 0.3], { duration: d }),
    (d) => map.easeTo({ zoom: home.zoom + 4, duration: d }),
    (d) => map.panBy([w * 0.5, 0], { duration: d }),
    (d) => map.easeTo({ center: home.center, zoom: home.zoom, duration: d }),
  ];
  const frames = [];
  const renders = [];
  const longTasks = [];
  const observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) longTasks.push(e.duration);
  });
  try {
    observer.observe({ type: "longtask" });
  } catch {
    // WebKit has no long task timing.
  }
  const render = map._render;
  map._render = function (...args) {
    const start = performance.now();
    const result = render.apply(this, args);
    renders.push(performance.now() - start);
    return result;
  };
  let running = true;
  const onFrame = (t) => {
    frames.push(t);
    if (running) requestAnimationFrame(onFrame);
  };
  requestAnimationFrame(onFrame);
  const started = performance.now();
  for (const step of steps) {
    const done = new Promise((resolve) => map.once("moveend", resolve));
    step(1000);
    await done;
  }
  const moving = performance.now() - started;
  // Let tiles requested during the moves settle, so the next run starts from the same state.
  await new Promise((resolve) => (map.loaded() ? resolve() : map.once("idle", resolve)));
  running = false;
  map._render = render;
  observer.disconnect();
  const intervals = frames.slice(1).map((t, i) => t - frames[i]);
  return { moving, intervals, renders, longTasks };
}

const runs = [];
let units;
if (opts.app) {
  for (let i = 0; i < Number(opts.runs); i++) {
    const dir = await mkdtemp(join(tmpdir(), "tessera-bench-app-"));
    const workbook = join(dir, "bench.tessera");
    await copyFile(opts.workbook, workbook);
    const session = await startApp({ application: resolve(opts.app), args: [workbook], quiet: true });
    try {
      await session.until("return document.querySelector('#map')?.dataset.mapReady === 'true'", "the map drawn", 120_000);
      await session.runAsync("await new Promise((r) => setTimeout(r, 500));");
      runs.push(await session.runAsync(`return await (${panZoom})(arguments[0]);`, without));
      units = await session.run("return window.__tessera.store.getState().units.features.length");
      if (opts.screenshot && i === 0) await session.screenshot(opts.screenshot);
    } finally {
      await session.end();
      await rm(dir, { recursive: true, force: true });
    }
  }
} else {
  const dataset = opts.dataset === "counties" ? countiesDataset() : zipsDataset();
  units = dataset.units.features.length;
  const browser = await startBrowser(opts.dist);
  try {
    for (let i = 0; i < Number(opts.runs); i++) {
      const { page, errors } = await browser.open(dataset);
      await page.evaluate(() => new Promise((r) => setTimeout(r, 500)));
      runs.push(await page.evaluate(panZoom, without));
      if (errors.length) console.error(errors);
      if (opts.screenshot && i === 0) await writeFile(opts.screenshot, await page.screenshot({ type: "png" }));
      await page.close();
    }
  } finally {
    await browser.close();
  }
}

const quantile = (values, q) => {
  const v = [...values].sort((a, b) => a - b);
  return v.length ? v[Math.min(v.length - 1, Math.floor(q * v.length))] : NaN;
};
const perRun = runs.map((r) => ({
  fps: (r.intervals.length / r.moving) * 1000,
  frameMedian: quantile(r.intervals, 0.5),
  frameP95: quantile(r.intervals, 0.95),
  frameMax: Math.max(...r.intervals),
  over50: r.intervals.filter((x) => x > 50).length / r.intervals.length,
  renders: r.renders.length,
  renderJsMedian: quantile(r.renders, 0.5),
  longTasks: r.longTasks.length,
  longTaskMs: r.longTasks.reduce((a, b) => a + b, 0),
  movingMs: r.moving,
}));
if (opts.json) {
  console.log(JSON.stringify({ dataset: opts.dataset, perRun }, null, 1));
} else {
  console.log(
    (opts.app ? `real app (Xvfb, WebKitGTK), ${opts.workbook.replace(`${repo}/`, "")}: ` : `headless Chromium + mocked IPC, ${opts.dataset}: `) +
      `${units} units; ` +
      `8 eased moves of 1 s; ${runs.length} runs; median over runs (min–max)` +
      (without.length ? `; without ${without.join(", ")}` : ""),
  );
  const row = (label, key, digits = 0) => console.log(`${label.padEnd(44)} ${fmt(stats(perRun.map((r) => r[key])), digits)}`);
  row("frames per second while moving", "fps", 1);
  row("frame interval median, ms", "frameMedian");
  row("frame interval 95th percentile, ms", "frameP95");
  row("longest frame, ms", "frameMax");
  row("share of frames over 50 ms", "over50", 2);
  row("frames drawn by MapLibre", "renders");
  row("main-thread JS per drawn frame, median ms", "renderJsMedian", 1);
  row("long tasks (>50 ms)", "longTasks");
  row("long tasks total, ms", "longTaskMs");
  row("sequence wall time, ms (8 s of animation)", "movingMs");
}
