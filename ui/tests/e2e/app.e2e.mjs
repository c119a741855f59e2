// End-to-end test of the real desktop app: tauri-driver + WebKitWebDriver drive target/debug/tessera-app under
// an X display (src-tauri/scripts/e2e.sh starts Xvfb and builds what is needed). It opens a copy of the sample
// workbook, reassigns a unit with a click, checks that the figures panel changed, undoes with Ctrl+Z and checks
// the figures are back; then measures edit latency, runs the optimizer, and quits the app to check the workbook
// is one file again. The WebDriver client (plain W3C over HTTP) is webdriver.mjs.
//
// env: TESSERA_APP (default ../target/debug/tessera-app from ui/), TESSERA_E2E_WORKBOOK (default
//      ../sample-data/us-counties.tessera, copied to a temp dir first), TAURI_DRIVER (default tauri-driver),
//      E2E_SCREENSHOT (optional PNG path for a screenshot after the edit).
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { copyFile, mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Key, sleep, startApp } from "./webdriver.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, "../../..");
const appBinary = resolve(process.env.TESSERA_APP ?? join(repo, "target/debug/tessera-app"));
const sample = resolve(process.env.TESSERA_E2E_WORKBOOK ?? join(repo, "sample-data/us-counties.tessera"));

describe("the real app on the sample workbook", () => {
  let dir;
  let app;
  const run = (script, ...args) => app.run(script, ...args);
  const until = (script, what, timeoutMs) => app.until(script, what, timeoutMs);
  const pointer = (steps) => app.pointer(steps);
  const keys = (chord) => app.keys(chord);
  const wd = (method, path, body) => app.wd(method, path, body);

  const figures = () =>
    run(`return [...document.querySelectorAll('#figures-panel tr.figures-row')].map(r =>
      [r.dataset.territory, r.querySelector('.fig-load').title, r.querySelector('.fig-units').textContent]);`);
  const hovered = () => run("return document.querySelector('#hover-panel:not([hidden]) dd')?.textContent ?? null;");

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "tessera-e2e-"));
    const workbook = join(dir, "e2e.tessera");
    await copyFile(sample, workbook);
    app = await startApp({ application: appBinary, args: [workbook], env: { TESSERA_WORKBOOK: workbook } });
  });

  after(async () => {
    await app?.end();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("reassigns a unit with a click, updates the figures, and undo restores them", { skip: process.env.E2E_SKIP_CLICK === "1" }, async () => {
    await until(`return document.querySelector('#map')?.dataset.mapReady === 'true'`, "the map to draw");
    await until(`return document.querySelectorAll('#figures-panel tr.figures-row').length > 1`, "the territory rows");
    const before = new Map((await figures()).map(([t, load, units]) => [t, [load, units]]));

    // The map's centre unit (A) and, searching outwards, a point in another territory (B).
    const r = await run("const r = document.querySelector('#map').getBoundingClientRect(); return [r.left, r.top, r.width, r.height];");
    const a = [r[0] + r[2] / 2, r[1] + r[3] / 2];
    await pointer([["move", a[0], a[1]]]);
    const territoryA = await until("return document.querySelector('#hover-panel:not([hidden]) dd')?.textContent", "hover on A");
    let b = null;
    for (let d = 20; d < 200 && b === null; d += 10) {
      for (const [dx, dy] of [[d, 0], [-d, 0], [0, d], [0, -d]]) {
        await pointer([["move", a[0] + dx, a[1] + dy]]);
        await sleep(50);
        const t = await hovered();
        if (t !== null && t !== territoryA) {
          b = [a[0] + dx, a[1] + dy, t];
          break;
        }
      }
    }
    assert.ok(b, `found a neighbouring territory of ${territoryA}`);
    // Alt+click B makes its territory the active one; a click on A gives unit A to it.
    await pointer([["altclick", b[0], b[1]]]);
    const active = await until("return document.querySelector('#figures-panel tr.figures-row.active')?.dataset.territory", "an active territory");
    await pointer([["click", a[0], a[1]]]);
    await until("return document.querySelector('.undo-button')?.textContent === 'Undo (1)'", "the edit to land");
    const edited = new Map((await figures()).map(([t, load, units]) => [t, [load, units]]));
    const [activeBefore, activeAfter] = [before.get(active), edited.get(active)];
    assert.equal(Number(activeAfter[1]), Number(activeBefore[1]) + 1, `territory ${active} gained a unit`);
    assert.notEqual(activeAfter[0], activeBefore[0], "its load changed");
    const editMs = await run("return document.querySelector('#figures-panel').dataset.editMs");
    console.log(`edit applied in ${editMs} ms (click to colours + figures, real IPC)`);
    if (process.env.E2E_SCREENSHOT) await app.screenshot(process.env.E2E_SCREENSHOT);

    await keys([Key.Control, "z"]);
    await until("return document.querySelector('.undo-button')?.textContent === 'Undo (0)'", "the undo to land");
    const undone = new Map((await figures()).map(([t, load, units]) => [t, [load, units]]));
    assert.deepEqual(undone, before, "undo restores every territory's figures");
  });

  it("measures edit latency: from the edit call to colours and figures applied, over the real IPC", async () => {
    await until(`return document.querySelector('#map')?.dataset.mapReady === 'true'`, "the map to draw");
    await until(`return document.querySelectorAll('#figures-panel tr.figures-row').length > 1`, "the territory rows");
    const samples = await wd("POST", "/execute/async", {
      script: `const done = arguments[arguments.length - 1];
        (async () => {
          const { store, map } = window.__tessera;
          // Start each edit on an idle window: software WebGL takes ~150 ms a frame, and a frame still being
          // drawn from the previous edit would delay this one's answer (the budget excludes frame draws).
          const idle = () => new Promise((r) => { map.once("idle", r); map.triggerRepaint(); setTimeout(r, 3000); });
          const out = [];
          for (let k = 0; k < 10; k++) {
            await idle();
            const s = store.getState();
            const unit = (k * 2953) % s.alignment.territoryOf.length;
            if (s.locked.has(unit)) continue;
            const to = (s.alignment.territoryOf[unit] + 1) % s.alignment.territories.length;
            await store.reassign([unit], to);
            out.push([store.getState().editMs, store.getState().figuresMicros, store.getState().applyMs]);
            await idle();
            await store.undo();
            out.push([store.getState().editMs, store.getState().figuresMicros, store.getState().applyMs]);
          }
          done(out);
        })().catch((e) => done(String(e)));`,
      args: [],
    });
    assert.ok(Array.isArray(samples), String(samples));
    const ms = samples.map(([m]) => m).sort((a, b) => a - b);
    const rust = samples.map(([, us]) => us / 1000).sort((a, b) => a - b);
    const ui = samples.map(([, , a]) => a).sort((a, b) => a - b);
    const median = (v) => v[Math.floor(v.length / 2)];
    console.log(
      `edit latency over ${ms.length} edits/undos: median ${median(ms).toFixed(1)} ms, max ${ms[ms.length - 1].toFixed(1)} ms ` +
        `(of which figures in Rust: median ${median(rust).toFixed(2)} ms; recolour + panels in the window: median ` +
        `${median(ui).toFixed(1)} ms)`,
    );
    assert.ok(median(ms) < 1000, "edits apply within a second even in a debug build");
  });

  it("runs the optimizer with progress over the channel and saves the result as a scenario", { skip: process.env.E2E_SKIP_OPTIMIZE === "1" }, async () => {
    const out = await wd("POST", "/execute/async", {
      script: `const done = arguments[arguments.length - 1];
        (async () => {
          const { store } = window.__tessera;
          const s = store.getState();
          const progress = [];
          const stop = store.subscribe((st) => { if (st.run?.progress) progress.push(st.run.progress.fraction); });
          await store.optimize({ territories: null, measure: s.figures.measure, tolerance: 0.05, keepCurrent: false,
            maxMoved: null, respectLocks: true, timeLimit: 3, only: [], seed: 1 });
          stop();
          const run = store.getState().run;
          done({ result: run.result, error: run.error, progress: progress.length,
                 scenarios: store.getState().scenarios.map((x) => x.name) });
        })().catch((e) => done({ error: String(e) }));`,
      args: [],
    });
    assert.equal(out.error, null, String(out.error));
    assert.ok(out.progress > 0, "progress reports arrived over the channel");
    console.log(`optimizer: ${out.result.scenario}, max deviation ${(out.result.maxDev * 100).toFixed(2)}%, ` +
      `${out.result.noncontiguous} not contiguous, ${out.progress} progress reports`);
    assert.ok(out.scenarios.includes(out.result.scenario));
  });

  it("quitting leaves the workbook as one file, without its lock", async () => {
    // Editing runs the workbook in WAL mode (one fsync per edit); quitting must fold the WAL back in and drop
    // the owner lock, or a copy of the file sent on would miss the latest edits. The app is asked to quit with
    // SIGTERM, as a logout does (WebDriver's window close ends the process without Tauri's exit events: the
    // files stayed when tried).
    const beside = async () => (await readdir(dir)).filter((f) => f !== "e2e.tessera").sort();
    assert.ok((await beside()).includes("e2e.tessera-lock"), "the open workbook is locked");
    assert.ok((await beside()).includes("e2e.tessera-wal"), "edits go through the WAL");
    const pids = execFileSync("pgrep", ["-f", "--", join(dir, "e2e.tessera")]).toString().trim().split(/\s+/);
    for (const pid of pids) process.kill(Number(pid), "SIGTERM");
    const end = Date.now() + 20_000;
    while ((await beside()).length > 0 && Date.now() < end) await sleep(100);
    assert.deepEqual(await beside(), [], "nothing is left beside the workbook after quitting");
  });
});
