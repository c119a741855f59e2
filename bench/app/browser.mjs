// The built UI in Debian's headless Chromium (software WebGL: SwiftShader) against the browser tests' mocked
// IPC, for the map benchmarks. The units' GeoJSON is handed to the page as text and parsed on every
// `units_geojson` call, as the real window parses the body Tauri sends, and every command's time is recorded.
import { mkdtemp, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { CHROMIUM, CHROMIUM_ARGS as ARGS } from "../../ui/tests/browser/harness.mjs";
import { serve } from "../../ui/tests/browser/static-server.mjs";
import { installMockIpc } from "../../ui/tests/browser/mock-ipc.mjs";

// playwright-core is the UI's dev dependency (ui/node_modules).
const ui = resolve(dirname(fileURLToPath(import.meta.url)), "../../ui");
const { chromium } = createRequire(join(ui, "package.json"))("playwright-core");

/** The real window's size (src-tauri/tauri.conf.json). */
export const VIEWPORT = { width: 1280, height: 800 };

/**
 * Init script (self-contained, runs in the page before its scripts): wraps the mocked IPC so `units_geojson`
 * answers `JSON.parse(text)` and each command's duration lands in `window.__BENCH_IPC__`; main-thread long tasks
 * (over 50 ms) land in `window.__BENCH_LONGTASKS__`.
 */
function timeIpc(text) {
  window.__BENCH_IPC__ = [];
  window.__BENCH_LONGTASKS__ = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) window.__BENCH_LONGTASKS__.push({ start: e.startTime, ms: e.duration });
  }).observe({ type: "longtask", buffered: true });
  const inner = window.__TAURI_INTERNALS__.invoke;
  window.__TAURI_INTERNALS__.invoke = async (cmd, args) => {
    const start = performance.now();
    // Answer in a later task, as the real IPC does (a request to the app's protocol): a mock answering in
    // microtasks would hold the main thread through the whole load, which the real window never does.
    await new Promise((resolve) => setTimeout(resolve, 0));
    const result = cmd === "units_geojson" ? JSON.parse(text) : await inner(cmd, args);
    window.__BENCH_IPC__.push({ cmd, start, ms: performance.now() - start });
    return result;
  };
}

/** Starts Chromium and a static server for `dist`; `open(dataset)` loads a fresh page on it. */
export async function startBrowser(dist) {
  const server = await serve(dist);
  const userDataDir = await mkdtemp(join(tmpdir(), "tessera-bench-chromium-"));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
    viewport: VIEWPORT,
  });
  await context.route("**/*", (route) =>
    route.request().url().startsWith(server.url) ? route.continue() : route.abort("blockedbyclient"),
  );
  return {
    /**
     * A new page with `dataset` behind the mocked IPC, resolved once the map has drawn (or after 120 s).
     * `beforeGoto(page)`, when given, runs once the page exists and before it navigates (e.g. to start tracing).
     */
    async open(dataset, beforeGoto = null) {
      const page = await context.newPage();
      const errors = [];
      page.on("pageerror", (e) => errors.push(String(e)));
      const { units, ...rest } = dataset;
      // The mock keeps a parsed copy for its figures; the page's own copy is parsed per call (timeIpc).
      await page.addInitScript(installMockIpc, { ...rest, units });
      await page.addInitScript(timeIpc, JSON.stringify(units));
      if (beforeGoto) await beforeGoto(page);
      await page.goto(server.url);
      await page.waitForSelector('#map[data-map-ready="true"]', { timeout: 120_000 });
      return { page, errors };
    },
    async close() {
      await context.close();
      await server.close();
      await rm(userDataDir, { recursive: true, force: true });
    },
  };
}

/**
 * The page's `tessera:*` marks, name → ms since navigation start (the last of a name), and `frames`: the times
 * of the `tessera:frame` marks (each frame the map drew while opening).
 */
export function readMarks(page) {
  return page.evaluate(() => {
    const marks = performance.getEntriesByType("mark").filter((m) => m.name.startsWith("tessera:"));
    return {
      ...Object.fromEntries(marks.map((m) => [m.name.slice("tessera:".length), m.startTime])),
      frames: marks.filter((m) => m.name === "tessera:frame").map((m) => m.startTime),
    };
  });
}

/** How many of `marks.frames` lie between marks `from` and `to`. */
export function framesBetween(marks, from, to) {
  return marks.frames.filter((t) => t >= marks[from] && t <= marks[to]).length;
}

/** Median, min and max of `values`. */
export function stats(values) {
  const v = [...values].sort((a, b) => a - b);
  const mid = v.length >> 1;
  const median = v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
  return { median, min: v[0], max: v[v.length - 1], n: v.length };
}

/** "median (min–max)" with `digits` decimals. */
export function fmt({ median, min, max }, digits = 0) {
  return `${median.toFixed(digits)} (${min.toFixed(digits)}–${max.toFixed(digits)})`;
}
