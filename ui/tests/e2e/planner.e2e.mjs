// End-to-end test of a planner's first hour in the real app (issue 11), under tauri-driver + WebKitWebDriver
// (src-tauri/scripts/e2e.sh starts Xvfb and builds what is needed):
//  1. a workbook imported from sample-data/accounts.csv (no territory column) offers "Design territories…"; the
//     design runs through the real planning service and opens as the first scenario, which takes an edit and its
//     undo; `county` (FIPS codes) is not a measure;
//  2. on the sample counties, Optimize from "current" with a 20% disruption budget explains its result (promises,
//     what moved, travel before → after, target, certificate), and the hover names a unit's territory.
//
// env: TESSERA_APP, TESSERA_CLI (default ../target/debug/tessera; it imports both workbooks from sample-data/),
//      TAURI_DRIVER, E2E_DOCS=1 to write the README's screenshots to docs/.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { startApp } from "./webdriver.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, "../../..");
const appBinary = resolve(process.env.TESSERA_APP ?? join(repo, "target/debug/tessera-app"));
const cli = resolve(process.env.TESSERA_CLI ?? join(repo, "target/debug/tessera"));
/** Screenshot `name`: into docs/ for the README with E2E_DOCS=1 (when `doc`), else ui/tests/screenshots/real-app-*. */
const shot = (app, name, doc = true) =>
  doc && process.env.E2E_DOCS === "1"
    ? app.screenshot(join(repo, "docs", name))
    : app.screenshot(join(repo, "ui/tests/screenshots", `real-app-${name}`));

/** Sets the Optimize dialog's fields (`name: value`; booleans for checkboxes) and presses its Run/Design button. */
const runDialog = (fields) => `
  const dialog = document.querySelector('#optimize-dialog');
  for (const [name, value] of Object.entries(${JSON.stringify(fields)})) {
    const input = dialog.querySelector('[name="' + name + '"]');
    if (typeof value === 'boolean') { if (input.checked !== value) input.click(); }
    else { input.value = String(value); input.dispatchEvent(new Event('change')); }
  }
  dialog.querySelector('.dialog-run').click();
  return true;`;

describe("a new workbook without territories", () => {
  let dir;
  let app;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "tessera-e2e-new-"));
    const workbook = join(dir, "accounts.tessera");
    execFileSync(cli, ["import", "--units", join(repo, "sample-data/accounts.csv"), "--out", workbook], { stdio: "ignore" });
    app = await startApp({ application: appBinary, args: [workbook], env: { TESSERA_WORKBOOK: workbook } });
  });

  after(async () => {
    await app?.end();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("designs first territories from the figures panel and opens them", async () => {
    await app.until(`return document.querySelector('#map')?.dataset.mapReady === 'true'`, "the map to draw", 120_000);
    await app.until(`return document.querySelector('#figures-panel .design-button')`, "Design territories…");
    const measures = await app.run("return window.__tessera.store.getState().workbook.measures");
    assert.ok(measures.includes("workload"), String(measures));
    assert.ok(!measures.includes("county"), `county (FIPS codes) is not a measure: ${measures}`);
    await app.run("document.querySelector('#figures-panel .design-button').click()");
    await app.until("return document.querySelector('#optimize-dialog[open] .dialog-run')?.textContent === 'Design'", "the dialog");
    await app.run(runDialog({ territories: 8, timeLimit: 8 }));
    const result = await app.until(
      "return document.querySelector('#optimize-dialog .result-explained')?.textContent",
      "the design's result",
      120_000,
    );
    assert.match(result, /Opened as scenario "optimized 1"/);
    assert.match(result, /Target load [\d,]+ workload per territory \(8 territories\)/);
    const rows = await app.run("return document.querySelectorAll('#figures-panel tr.figures-row').length");
    assert.equal(rows, 8);
    await new Promise((r) => setTimeout(r, 2000));
    await shot(app, "first-territories-result.png", false);
    await app.run("document.querySelector('#optimize-dialog .dialog-open').click()");
    await app.until(`return document.querySelector('#map')?.dataset.mapReady === 'true'`, "the map", 60_000);
    await new Promise((r) => setTimeout(r, 3000));
    await shot(app, "first-territories.png");
  });

  it("edits the first territories and undoes the edit, in the workbook's history", async () => {
    const out = await app.runAsync(`
      const { store } = window.__tessera;
      const s = store.getState();
      const to = (s.alignment.territoryOf[0] + 1) % s.alignment.territories.length;
      const before = s.figures.territories[to].units;
      await store.reassign([0], to);
      const edited = store.getState();
      const after = edited.figures.territories[to].units;
      await store.undo();
      return { before, after, undo: edited.undoSteps, undone: store.getState().undoSteps,
               back: store.getState().figures.territories[to].units, scenario: edited.scenario };`);
    assert.equal(out.scenario, "optimized 1");
    assert.equal(out.after, out.before + 1, "the territory gained the unit");
    assert.equal(out.undo, 1);
    assert.equal(out.undone, 0);
    assert.equal(out.back, out.before, "undo gave it back");
  });
});

describe("an explained result on the sample counties", () => {
  let dir;
  let app;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "tessera-e2e-explain-"));
    const workbook = join(dir, "counties.tessera");
    // Imported here, as the sample workbook is (scripts/sample-workbook.sh), so it has the text columns this
    // build keeps (names, states) even where an older sample workbook lies around.
    const data = (f) => join(repo, "sample-data", f);
    execFileSync(
      cli,
      ["import", "--units", data("us-counties.csv"), "--adjacency", data("us-county-adjacency.csv"),
        "--polygons", data("us-counties.geojson"), "--reps", data("reps.csv"), "--out", workbook],
      { stdio: "ignore" },
    );
    app = await startApp({ application: appBinary, args: [workbook], env: { TESSERA_WORKBOOK: workbook } });
  });

  after(async () => {
    await app?.end();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("says which promises held, what moved, travel before → after and the certificate", async () => {
    await app.until(`return document.querySelector('#map')?.dataset.mapReady === 'true'`, "the map to draw", 120_000);
    await app.until(`return document.querySelectorAll('#figures-panel tr.figures-row').length > 1`, "the rows");
    await app.run("document.querySelector('#figures-panel .optimize-button').click()");
    await app.until("return document.querySelector('#optimize-dialog[open] .dialog-run')", "the dialog");
    await app.run(runDialog({ perRep: true, tolerance: 5, keepCurrent: true, maxMoved: 20, timeLimit: 10 }));
    const text = await app.until(
      "return document.querySelector('#optimize-dialog .result-explained')?.textContent",
      "the result",
      120_000,
    );
    console.log(`explained result: ${text}`);
    for (const key of ["tolerance", "contiguity", "disruption_budget"]) {
      assert.ok(await app.run(`return !!document.querySelector('#optimize-dialog [data-promise="${key}"]')`), key);
    }
    assert.match(text, /Moved [\d,]+ units? of 3,108 \([\d.]+% of the workload\), budget 20%/);
    assert.match(text, /Travel [\d.]+ \w+ workload·km → [\d.]+ \w+ workload·km/);
    assert.match(text, /Target load [\d,]+ workload per territory \(25 territories\)/);
    // Progress ends on the result's own figures: the last "best so far" deviation is the saved plan's.
    const last = await app.run("const s = window.__tessera.store.getState().run; return [s.progress?.bestMaxDev, s.result.maxDev];");
    if (last[0] !== null && last[0] !== undefined) assert.ok(Math.abs(last[0] - last[1]) < 1e-9, `progress ${last[0]} vs result ${last[1]}`);
    await shot(app, "explained-result.png");
  });

  it("names the unit under the pointer and its territory", async () => {
    await app.run("document.querySelector('#optimize-dialog .dialog-open, #optimize-dialog .dialog-close').click()");
    await new Promise((r) => setTimeout(r, 3000));
    const r = await app.run("const r = document.querySelector('#map').getBoundingClientRect(); return [r.left, r.top, r.width, r.height];");
    await app.pointer([["move", r[0] + r[2] * 0.55, r[1] + r[3] * 0.45]]);
    const territory = await app.until("return document.querySelector('#hover-panel:not([hidden]) .hover-territory')?.textContent", "the hover");
    assert.match(territory, /\(R\d\d\)$/, "the rep's name, then the territory id");
    // The county by name and state, then its FIPS code ("Autauga, AL · 01001").
    const title = await app.run("return document.querySelector('#hover-panel .hover-title').textContent");
    assert.match(title, /^[^·]+, [A-Z]{2} · \d{5}$/);
    await shot(app, "hover.png");
  });
});
