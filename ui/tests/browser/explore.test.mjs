// Browser test: "Explore trade-offs" (issue 12) in headless Chromium against the mocked IPC. The Optimize
// dialog starts it; the front appears as a chart over the map and grows while the run goes; hovering a plan
// shows its figures; clicking one saves it as a scenario and draws it on the map, while the run goes too. The front is what the real
// `tessera explore` found for the mock's grid (fixtures/explore-front.json, fixtures/README.md).
import { before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gridFixture } from "./mock-ipc.mjs";
import { screenshot, uiForSuite } from "./harness.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const explored = JSON.parse(readFileSync(join(here, "fixtures/explore-front.json"), "utf8"));

describe("explore trade-offs", () => {
  const fixture = gridFixture();
  fixture.explore = explored;
  const app = uiForSuite(fixture);
  let page;
  let errors;
  before(() => ({ page, errors } = app));

  const dots = () => page.locator("#explore-panel circle.tradeoff-dot");
  const tip = () => page.textContent("#explore-panel .explore-tip");

  it("runs from the Optimize dialog and the front grows on a chart over the map", async () => {
    await page.click("#figures-panel .optimize-button");
    await page.waitForSelector("#optimize-dialog[open] .dialog-explore");
    await page.click("#optimize-dialog .dialog-explore");
    await page.waitForSelector("#explore-panel:not([hidden]) .explore-progress");
    assert.equal(await page.$("#optimize-dialog[open]"), null, "the dialog closed: the map stays visible");
    const sent = await page.evaluate(() => window.__TESSERA_IPC_ARGS__.find((c) => c.cmd === "explore").args);
    assert.equal(sent.balance, "max_dev");
    assert.equal(sent.request.keepCurrent, true);
    assert.equal(sent.request.tolerance, 0.05);
    // Two reports so far: the front grew from one plan to five (it is held until released).
    await page.waitForFunction(() => document.querySelectorAll("#explore-panel circle.tradeoff-dot").length === 5);
    assert.match(await page.textContent("#explore-panel .explore-status"), /5 plans on the front so far/);
    assert.equal(await page.isDisabled("#explore-panel .explore-close"), true, "no closing while it runs");
    assert.equal(await page.locator("#explore-panel circle.pickable").count(), 5, "every plan shown can be picked mid-run");
    await dots().nth(0).hover();
    assert.match(await tip(), /Click: draw it on the map and save it as a scenario/);
    assert.match(
      await page.textContent("#explore-panel .explore-hint"),
      /click one to draw it on the map and save it as a scenario\. The search goes on meanwhile; Cancel ends it now/,
    );
  });

  it("saves a plan picked while the run goes and draws it on the map; it stays saved on the finished front", async () => {
    // The first point drawn is plan 1 of the front (the second report shows plans 1 to 5).
    await dots().nth(0).click();
    await page.waitForFunction(() => /Saved as scenario "explored 1" and drawn on the map\. The search goes on\./.test(document.querySelector("#explore-panel .explore-picked")?.textContent ?? ""));
    const picked = await page.evaluate(() => window.__TESSERA_IPC_ARGS__.filter((c) => c.cmd === "save_growing_plan").map((c) => c.args.id));
    assert.deepEqual(picked, ["p1"]);
    assert.equal(await page.isVisible("#explore-panel .explore-progress"), true, "the run goes on");
    await page.waitForSelector('#side-panel li.working[data-scenario="explored 1"]');
    const state = await page.evaluate(() => {
      const s = window.__tessera.store.getState();
      return { scenario: s.scenario, territoryOf: s.alignment.territoryOf, running: s.exploration.running };
    });
    assert.equal(state.scenario, "explored 1");
    assert.equal(state.running, true);
    assert.deepEqual(state.territoryOf, explored.plans[1], "the map shows the picked plan");
    assert.equal(await page.locator("#explore-panel circle.tradeoff-dot.shown").count(), 1, "the plan on the map is ringed");
    await page.mouse.move(5, 5);
    await page.screenshot({ path: screenshot("explore-running.png") });
  });

  it("shows every plan's figures on hover once the run ends, the current plan marked", async () => {
    await page.evaluate(() => window.__TESSERA_RELEASE_OPTIMIZE__());
    await page.waitForSelector("#explore-panel .explore-found");
    // The plan picked while the run went names its scenario on the finished front.
    const front = await page.evaluate(() => window.__tessera.store.getState().exploration.front.map((p) => p.scenario));
    assert.deepEqual(front, [null, "explored 1", null, null, null, null]);
    assert.match(
      await page.textContent("#explore-panel .explore-found"),
      new RegExp(`^6 plans on the front from 3 searches \\(${explored.developed.toLocaleString("en-US")} plans developed`),
    );
    assert.equal(await dots().count(), 6);
    assert.equal(await page.locator("#explore-panel .explore-dropped").count(), 0, "no child was dropped: no note");
    assert.equal(await page.locator("#explore-panel circle.pickable").count(), 6);
    assert.equal(await page.locator("#explore-panel .explore-progress").count(), 0, "the progress goes with the run");
    assert.equal(await page.locator("#explore-panel .tradeoff-current line").count(), 2, "the current plan is a cross");
    assert.match(await page.textContent("#explore-panel .tradeoff-current-label"), /current plan/);
    // The last plan of the front: 33.33% max deviation, travel 1.18 M, 22.22% of the workload moved.
    const last = dots().nth(5);
    await last.hover();
    const text = await tip();
    assert.match(text, /max deviation 33\.33% · CV 27\.20%/);
    assert.match(text, /travel 1\.18 M workload·km \(−11\.8% against the current plan\)/);
    assert.match(text, /moved 22\.22% of the workload/);
    assert.match(text, /Click: draw it on the map and save it as a scenario/);
  });

  it("saves a clicked plan as a scenario and draws it on the map", async () => {
    await dots().nth(5).click();
    await page.waitForSelector("#explore-panel .explore-picked");
    assert.equal(
      await page.textContent("#explore-panel .explore-picked"),
      'Saved as scenario "explored 2" and drawn on the map.',
    );
    const saved = await page.evaluate(() => window.__TESSERA_IPC_ARGS__.filter((c) => c.cmd === "save_front_plan").map((c) => c.args.index));
    assert.deepEqual(saved, [5]);
    await page.waitForSelector('#side-panel li.working[data-scenario="explored 2"]');
    const state = await page.evaluate(() => {
      const s = window.__tessera.store.getState();
      return { scenario: s.scenario, territoryOf: s.alignment.territoryOf };
    });
    assert.equal(state.scenario, "explored 2");
    assert.deepEqual(state.territoryOf, explored.plans[5], "the map shows the picked plan");
    assert.equal(await page.locator("#explore-panel circle.tradeoff-dot.shown").count(), 1, "the plan on the map is ringed");
    await dots().nth(5).hover();
    assert.match(await tip(), /saved as "explored 2", on the map/);
    await page.mouse.move(5, 5);
    await page.screenshot({ path: screenshot("explore-front.png") });

    // Picking it again opens the same scenario rather than saving a copy.
    await dots().nth(5).click();
    await page.waitForFunction(() => /saved before/.test(document.querySelector("#explore-panel .explore-picked")?.textContent ?? ""));
    assert.equal(await page.locator('#side-panel .scenario-item[data-scenario^="explored"]').count(), 2);
    // Folded, only the header and what was found stay, so the whole map shows the plan.
    await page.click("#explore-panel .explore-fold");
    assert.equal(await dots().count(), 0);
    assert.match(await page.textContent("#explore-panel .explore-picked"), /explored 2/);
    await page.click("#explore-panel .explore-fold");
    assert.equal(await dots().count(), 6);
    await page.click("#explore-panel .explore-close");
    assert.equal(await page.isHidden("#explore-panel"), true);
    assert.deepEqual(errors, []);
  });
});
