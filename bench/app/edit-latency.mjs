// Edit latency in the real app: drives tessera-app (tauri-driver + WebKitWebDriver, under an X display) on a
// copy of a workbook, makes hand edits through the window's store exactly as a click does (store.reassign,
// then store.undo), and splits each edit's time:
//
//   write    the workbook write in Rust (history row + moved assignments, committed)     (EditOutcome.writeMicros)
//   rust     the whole command in Rust: write, figures, undo/redo counts                  (EditOutcome.backendMicros)
//   ipc      call → answer in the window (timed around the backend call), minus `rust`: serialization, IPC
//            both ways, JSON parse
//   ping     a bare round trip on the settled window after each edit and undo (cancel_optimize with no run
//            does nothing): the IPC floor of the moment
//   store    the store's own update (applyOutcome without its listeners)
//   map      the map view's listener: the recolour call (setFeatureState on the moved units), borders, labels
//   figures  the figures panel's listener (table update)
//   others   the other panels' listeners
//   total    call → colours and figures applied (the store's editMs); the frame draw is excluded
//
// Each edit starts on a settled window: the map idle (software WebGL draws a frame in ~150 ms; a frame still
// in flight would delay the answer, and the budget excludes frame draws), then a 250 ms pause, as between a
// planner's clicks.
//
// usage: node bench/app/edit-latency.mjs WORKBOOK [EDITS]     (bench/app/edit-latency.sh runs it)
// env:   TESSERA_APP (default target/release/tessera-app), BENCH_LABEL (printed with the result),
//        BENCH_UNITS (units per edit, default 1: a click; e.g. 200 for a box edit),
//        BENCH_SCREENSHOT (PNG path: a screenshot after the last edit), BENCH_JSON (append the result as JSON)
import { appendFile, copyFile, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, join, resolve } from "node:path";
import { startApp } from "../../ui/tests/e2e/webdriver.mjs";

const [source, editsArg] = process.argv.slice(2);
if (!source) {
  console.error("usage: node bench/app/edit-latency.mjs WORKBOOK [EDITS]");
  process.exit(2);
}
const edits = Number(editsArg ?? 20);
// Units per edit: 1 is a click; more is a box or lasso edit (the unit and its next ones in unit order, which
// for ZIP codes and counties are neighbours), all given to one territory.
const unitsPerEdit = Number(process.env.BENCH_UNITS ?? 1);
const application = resolve(process.env.TESSERA_APP ?? "target/release/tessera-app");
const label = process.env.BENCH_LABEL ?? basename(source);

// Runs in the window: wraps every store listener with a timer (labelled from its source text, which the
// minifier leaves recognisable), then edits `count` units and undoes each edit.
const MEASURE = `
  const [count, size] = arguments;
  const { store, map } = window.__tessera;
  const kinds = [];
  const spent = {};
  const wrapped = [...store.listeners].map((f) => {
    const src = String(f);
    const kind = src.includes("loaded") && src.includes("render") ? "map"
      : src.includes("tolerance") && src.includes("activeTerritory") ? "figures" : "others";
    kinds.push(kind);
    // The store's last update of an edit only records editMs: work it triggers happens after the edit
    // counts as applied, so it is reported apart ("after").
    return (s, p) => {
      const key = s.editMs !== p.editMs ? "after" : kind;
      const t = performance.now();
      try { f(s, p); } finally { spent[key] = (spent[key] ?? 0) + performance.now() - t; }
    };
  });
  store.listeners.clear();
  for (const w of wrapped) store.listeners.add(w);
  // The backend calls, timed from the window: call → answer (Rust + serialization + IPC + JSON parse).
  let call = null;
  const backend = store.backend;
  for (const name of ["reassignUnits", "undoEdit"]) {
    const original = backend[name].bind(backend);
    backend[name] = async (...a) => {
      const t = performance.now();
      const outcome = await original(...a);
      call = { ms: performance.now() - t, rust: outcome.backendMicros / 1000, write: outcome.writeMicros / 1000,
        figuresRust: outcome.figuresMicros / 1000, bytes: JSON.stringify(outcome).length };
      return outcome;
    };
  }
  const idle = () => new Promise((r) => { map.once("idle", r); map.triggerRepaint(); setTimeout(r, 3000); });
  const rows = [];
  const take = (op) => {
    const s = store.getState();
    // editMs is set by a last store update after the edit applied, whose listeners are not part of it.
    rows.push({ op, total: s.editMs, apply: s.applyMs, call: call.ms, rust: call.rust, write: call.write,
      figuresRust: call.figuresRust, bytes: call.bytes, ...lastSpent });
  };
  let lastSpent = {};
  const timed = async (fn) => {
    for (const k of Object.keys(spent)) delete spent[k];
    await fn();
    lastSpent = { map: 0, figures: 0, others: 0, after: 0, ...spent };
  };
  const n = store.getState().alignment.territoryOf.length;
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  // A settled window, as between a planner's clicks: the last frame drawn, then a pause.
  const settle = async () => {
    await idle();
    await sleep(250);
  };
  let done = 0;
  for (let k = 0; done < count && k < 10 * count; k++) {
    const s = store.getState();
    const unit = (k * 2953 + 17) % n;
    const units = Array.from({ length: size }, (_, j) => (unit + j) % n);
    if (units.some((u) => s.locked.has(u))) continue;
    const to = (s.alignment.territoryOf[unit] + 1) % s.alignment.territories.length;
    await settle();
    await timed(() => store.reassign(units, to));
    if (store.getState().notice) throw new Error(store.getState().notice);
    take("edit");
    await settle();
    await timed(() => store.undo());
    take("undo");
    // A bare round trip on the settled window (cancel_optimize with no run does nothing): the IPC floor.
    await settle();
    const t0 = performance.now();
    await backend.cancelOptimize();
    rows[rows.length - 1].ping = rows[rows.length - 2].ping = performance.now() - t0;
    done++;
  }
  return { rows, kinds, units: n, territories: store.getState().alignment.territories.length,
    undo: store.getState().undoSteps, redo: store.getState().redoSteps };
`;

const median = (v) => {
  const s = [...v].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const pct = (v, p) => {
  const s = [...v].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))];
};

const dir = await mkdtemp(join(tmpdir(), "tessera-edit-bench-"));
const workbook = join(dir, "bench.tessera");
await copyFile(source, workbook);
const app = await startApp({ application, args: [workbook], quiet: true });
try {
  await app.until("return document.querySelector('#map')?.dataset.mapReady === 'true'", "the map to draw", 180_000);
  await app.until("return document.querySelectorAll('#figures-panel tr.figures-row').length > 1", "the figures", 60_000);
  const out = await app.runAsync(MEASURE, edits, unitsPerEdit);
  if (process.env.BENCH_SCREENSHOT) await app.screenshot(process.env.BENCH_SCREENSHOT);
  const rows = out.rows;
  const col = (k) => rows.map((r) => r[k]);
  const ipc = rows.map((r) => r.call - r.rust);
  const store = rows.map((r) => r.apply - r.map - r.figures - r.others);
  const parts = {
    write: col("write"),
    rust: col("rust"),
    ipc,
    ping: col("ping"),
    store,
    map: col("map"),
    figures: col("figures"),
    others: col("others"),
    total: col("total"),
    after: col("after"),
  };
  const f = (v) => v.toFixed(v < 10 ? 2 : 1);
  parts.answerKB = col("bytes").map((b) => b / 1000);
  console.log(
    `${label}: ${out.units} units, ${out.territories} territories, ${rows.length} edits+undos of ${unitsPerEdit} ` +
      `unit(s) each (listeners: ${out.kinds.join(",")})`,
  );
  console.log(
    "  median " + Object.entries(parts).map(([k, v]) => `${k} ${f(median(v))}`).join(" · ") + " ms",
  );
  console.log(`  total: p90 ${f(pct(parts.total, 0.9))} ms, max ${f(Math.max(...parts.total))} ms`);
  // Each edit is undone; the next edit drops the undone one (the redo branch): 0 undo / 1 redo at the end.
  if (out.undo !== 0 || out.redo !== 1) {
    throw new Error(`history after the run: ${out.undo} undo / ${out.redo} redo steps, expected 0 / 1`);
  }
  if (process.env.BENCH_ROWS) for (const r of rows) console.log("   ", JSON.stringify(r));
  if (process.env.BENCH_JSON) {
    const summary = Object.fromEntries(Object.entries(parts).map(([k, v]) => [k, median(v)]));
    await appendFile(
      process.env.BENCH_JSON,
      JSON.stringify({ label, units: out.units, samples: rows.length, median: summary, p90: pct(parts.total, 0.9) }) + "\n",
    );
  }
} finally {
  await app.end();
  await rm(dir, { recursive: true, force: true });
}
