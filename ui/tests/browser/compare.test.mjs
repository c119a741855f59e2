// Browser test: the compare view (issue 13) in headless Chromium against the mocked IPC: pick two scenarios,
// see the summary, the baseline's and the scenario's maps beside the diff map, per-territory changes and the
// realignment list. The screenshot goes in the README.
import { before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdir, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { compareFixture } from "./compare-fixture.mjs";
import { screenshot, uiForSuite } from "./harness.mjs";

const shot = screenshot("compare-view.png");

describe("compare view", () => {
  const app = uiForSuite(compareFixture());
  let page;
  let errors;
  before(() => ({ page, errors } = app));

  it("compares the baseline with another scenario side by side", async () => {
    await page.click("button.menu-compare");
    await page.waitForSelector("#compare-dialog[open]");
    const picked = await page.$$eval("#compare-dialog select.compare-select", (s) => s.map((x) => x.value));
    assert.deepEqual(picked, ["current", "rebalanced", "", ""], "baseline current, the other scenario second");
    await page.click("#compare-dialog button.compare-run");
    await page.waitForSelector("#compare-dialog .compare-summary");
    const args = await page.evaluate(() => window.__TESSERA_IPC_ARGS__.filter((a) => a.cmd === "compare_scenarios"));
    assert.equal(args.length, 1);
    assert.deepEqual(args[0].args.names, ["current", "rebalanced"]);

    const summary = await page.$$eval("#compare-dialog .compare-summary tbody tr", (rows) =>
      rows.map((r) => [...r.children].map((c) => c.textContent)),
    );
    assert.equal(summary.length, 2);
    assert.deepEqual(summary[1].slice(0, 3), ["rebalanced", "3", "33.38%"]);
    assert.equal(summary[1][6], "1", "one unit moved");
    assert.equal(await page.locator("#compare-dialog .compare-charts svg").count(), 2, "the charts are shown");
    // Baseline map, scenario map, diff map, with the moved unit's from → to as its title.
    assert.equal(await page.locator("#compare-dialog .compare-maps svg").count(), 3);
    const hover = await page.$$eval("#compare-dialog .compare-maps figure:nth-child(3) svg rect title", (t) =>
      t.map((x) => x.textContent),
    );
    assert.ok(hover.includes("u11: Central → East"), hover.join(", "));
    const territories = await page.$$eval("#compare-dialog .compare-per-territory tbody tr", (rows) =>
      rows.map((r) => [...r.children].map((c) => c.textContent)),
    );
    // The changed territories first; East gained one unit and 2,001 workload.
    assert.deepEqual(territories.map((r) => r[0]), ["Central", "East", "West"]);
    assert.equal(territories[1][8], "+2,001");
    assert.match(await page.textContent("#compare-dialog .compare-moves"), /Realignment list: 1 unit moved/);
    await mkdir(dirname(shot), { recursive: true });
    await writeFile(shot, await page.screenshot({ type: "png" }));
    assert.deepEqual(errors, []);
  });
});

describe("quotas in the compare view", () => {
  const app = uiForSuite(compareFixture());
  let page;
  let errors;
  before(() => ({ page, errors } = app));

  it("shares a typed total by a potential measure, with the ramp-up where territories changed", async () => {
    await page.click("button.menu-compare");
    await page.waitForSelector("#compare-dialog[open]");
    await page.click("#compare-dialog .compare-quota > summary");
    // A negative total is refused before anything is asked.
    await page.fill("#compare-dialog .compare-quota-total", "-5");
    await page.click("#compare-dialog button.compare-run");
    assert.equal(await page.textContent("#compare-dialog .panel-error"), "Quotas: the total must be a number of 0 or more.");
    await page.fill("#compare-dialog .compare-quota-total", "1000000");
    assert.equal(await page.inputValue("#compare-dialog .compare-quota-potential"), "workload");
    await page.fill("#compare-dialog .compare-quota-ramp", "80");
    await page.click("#compare-dialog button.compare-run");
    await page.waitForSelector("#compare-dialog .compare-quota-table");
    const sent = await page.evaluate(() => window.__TESSERA_IPC_ARGS__.filter((a) => a.cmd === "compare_scenarios").map((a) => a.args.quota));
    assert.deepEqual(sent, [{ total: 1000000, potential: "workload", history: null, ramp: 0.8 }]);
    const head = await page.$$eval("#compare-dialog .compare-quota-table th", (t) => t.map((x) => x.textContent));
    assert.deepEqual(head, ["territory", "rep", "current: quota", "share", "in ramp-up", "rebalanced: quota", "share", "in ramp-up"]);
    const rows = await page.$$eval("#compare-dialog .compare-quota-table tbody tr", (rows) =>
      rows.map((r) => [...r.children].map((c) => c.textContent)),
    );
    // As `tessera compare` set them (fixtures/compare-quotas.csv): Central lost u11 to East, both ramp up at 80%.
    assert.deepEqual(rows, [
      ["West", "", "333,167", "33.32%", "—", "333,167", "33.32%", "—"],
      ["Central", "", "333,333", "33.33%", "—", "222,222", "22.22%", "177,778"],
      ["East", "", "333,500", "33.35%", "—", "444,611", "44.46%", "355,689"],
    ]);
    await page.locator("#compare-dialog .compare-quotas").scrollIntoViewIfNeeded();
    await page.screenshot({ path: screenshot("compare-quotas.png") });
    assert.deepEqual(errors, []);
  });
});

describe("scenario list management", () => {
  const app = uiForSuite(compareFixture());
  let page;
  let errors;
  before(() => ({ page, errors } = app));

  const listed = () => page.$$eval("#side-panel .scenario-item", (items) => items.map((i) => i.dataset.scenario));
  const menu = async (name) => {
    await page.click(`#side-panel .scenario-item[data-scenario="${name}"] .scenario-actions-toggle`);
    return `#side-panel .scenario-item[data-scenario="${name}"] .scenario-actions-box`;
  };

  it("duplicates, notes, renames and deletes with undo", async () => {
    assert.deepEqual(await listed(), ["current", "rebalanced"]);
    let box = await menu("rebalanced");
    await page.fill(`${box} .scenario-name-input`, "plan B");
    await page.click(`${box} .scenario-duplicate`);
    await page.waitForSelector('#side-panel .scenario-item[data-scenario="plan B"]');
    box = await menu("plan B");
    await page.fill(`${box} .scenario-note-input`, "for the March meeting");
    await page.click(`${box} .scenario-save-note`);
    await page.waitForSelector("#side-panel .scenario-note");
    assert.match(await page.textContent('#side-panel .scenario-item[data-scenario="plan B"]'), /for the March meeting/);
    box = await menu("current");
    assert.equal(await page.isDisabled(`${box} .scenario-rename`), true, "current keeps its name");
    assert.equal(await page.isDisabled(`${box} .scenario-delete`), true, "the scenario being edited stays");
    await page.click('#side-panel .scenario-item[data-scenario="current"] .scenario-actions-toggle');
    box = await menu("rebalanced");
    await page.click(`${box} .scenario-delete`);
    await page.waitForSelector("#side-panel .scenario-undo-delete");
    assert.deepEqual(await listed(), ["current", "plan B"]);
    const open = await menu("plan B");
    await page.screenshot({ path: screenshot("scenario-actions.png") });
    await page.click(`${open.replace(" .scenario-actions-box", "")} .scenario-actions-toggle`);
    await page.click("#side-panel .scenario-undo-delete");
    await page.waitForSelector('#side-panel .scenario-item[data-scenario="rebalanced"]');
    assert.deepEqual((await listed()).sort(), ["current", "plan B", "rebalanced"]);
    assert.deepEqual(errors, []);
  });
});
