// End-to-end test of "Explore trade-offs" (issue 12) in the real app, under tauri-driver + WebKitWebDriver
// (src-tauri/scripts/e2e.sh starts Xvfb and builds what is needed): on the sample counties, Optimize → Explore
// trade-offs runs the planning service's exploration from "current" within its time limit; the front appears
// over the map; hovering a plan shows its figures; clicking it saves it as a scenario and draws it on the map.
//
// env: TESSERA_APP, TESSERA_CLI (default ../target/debug/tessera), TAURI_DRIVER, E2E_DOCS=1 to write the README's
//      screenshot to docs/.
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
const shot = (app, name, doc = true) =>
  doc && process.env.E2E_DOCS === "1"
    ? app.screenshot(join(repo, "docs", name))
    : app.screenshot(join(repo, "ui/tests/screenshots", `real-app-${name}`));

/** The time limit of the exploration, in seconds. */
const LIMIT = 12;

describe("explore trade-offs on the sample counties", () => {
  let dir;
  let app;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "tessera-e2e-explore-"));
    const workbook = join(dir, "counties.tessera");
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

  /**
   * The centre of plan `k`'s point on the chart, in the window's coordinates, and the plan whose point is on top
   * there (two plans of nearly the same figures overlap).
   */
  const dotAt = (k) =>
    app.run(`const r = document.querySelectorAll('#explore-panel circle.tradeoff-dot')[${k}].getBoundingClientRect();
      const [x, y] = [r.left + r.width / 2, r.top + r.height / 2];
      return [x, y, Number(document.elementFromPoint(x, y).dataset.k)];`);

  it("runs within its time limit and draws the front over the map, the current plan marked", async () => {
    await app.until(`return document.querySelector('#map')?.dataset.mapReady === 'true'`, "the map to draw", 120_000);
    await app.until(`return document.querySelectorAll('#figures-panel tr.figures-row').length > 1`, "the rows");
    await app.run("document.querySelector('#figures-panel .optimize-button').click()");
    await app.until("return document.querySelector('#optimize-dialog[open] .dialog-explore')", "the dialog");
    await app.run(`
      const dialog = document.querySelector('#optimize-dialog');
      const set = (name, value) => { const i = dialog.querySelector('[name="' + name + '"]'); i.value = value; };
      set('tolerance', '5'); set('maxMoved', ''); set('timeLimit', '${LIMIT}');
      dialog.querySelector('.dialog-explore').click();
      return true;`);
    await app.until("return document.querySelector('#explore-panel:not([hidden]) .explore-progress')", "the run");
    const found = await app.until(
      "return document.querySelector('#explore-panel .explore-found')?.textContent",
      "the front",
      120_000,
    );
    console.log(`explore: ${found}`);
    const result = await app.run("return window.__tessera.store.getState().exploration.result");
    assert.ok(result.seconds <= LIMIT * 1.05 + 0.5, `${result.seconds} s for a ${LIMIT} s limit`);
    assert.ok(result.front.length >= 2, found);
    assert.equal(result.searches.length > 0, true);
    assert.ok(result.current, "the run started from current");
    const dots = await app.run("return document.querySelectorAll('#explore-panel circle.tradeoff-dot.pickable').length");
    assert.equal(dots, result.front.length);
    assert.equal(await app.run("return document.querySelectorAll('#explore-panel .tradeoff-current line').length"), 2);
  });

  it("shows a plan's figures on hover, and saves and draws it on a click", async () => {
    const front = await app.run("return window.__tessera.store.getState().exploration.front");
    // The plan with the best balance (or the one drawn over it).
    const [x, y, k] = await dotAt(0);
    assert.ok(Number.isInteger(k), "a plan's point is under the pointer");
    await app.pointer([["move", x, y]]);
    const tip = await app.until("const t = document.querySelector('#explore-panel .explore-tip:not([hidden])'); return t?.textContent", "the figures");
    assert.match(tip, new RegExp(`max deviation ${(front[k].maxDev * 100).toFixed(2)}%`));
    assert.match(tip, /travel [\d.]+ \w+ workload·km \([+−][\d.]+% against the current plan\)/);
    assert.match(tip, new RegExp(`moved ${(front[k].movedFraction * 100).toFixed(2)}% of the workload`));
    await shot(app, "explore-hover.png", false);
    const before = await app.run("return window.__tessera.store.getState().alignment.territoryOf");
    await app.pointer([["click", x, y]]);
    const picked = await app.until("return document.querySelector('#explore-panel .explore-picked:not(.panel-muted)')?.textContent", "the saved plan", 60_000);
    assert.equal(picked, 'Saved as scenario "explored 1" and drawn on the map.');
    const s = await app.run("const s = window.__tessera.store.getState(); return [s.scenario, s.alignment.territoryOf, s.figures.maxDev];");
    assert.equal(s[0], "explored 1");
    assert.notDeepEqual(s[1], before, "the map shows the picked plan");
    assert.ok(Math.abs(s[2] - front[k].maxDev) < 1e-9, `figures ${s[2]} vs the point ${front[k].maxDev}`);
    // The pointer off the chart (its figures hidden), as a planner looks at the map.
    await app.pointer([["move", 140, 600]]);
    await new Promise((r) => setTimeout(r, 3000));
    await shot(app, "explore.png");
  });
});
