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
    const picked = await page.$$eval("#compare-dialog select", (s) => s.map((x) => x.value));
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
    assert.deepEqual(summary[1].slice(0, 3), ["rebalanced", "3", "33.33%"]);
    assert.equal(summary[1][6], "1", "one unit moved");
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
