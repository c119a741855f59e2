// Browser test: overlay teams (issue 14). A workbook with one team shows no team bar; with two, the bar switches
// the team shown (the workbook's units, reps and scenarios load again for it) and draws the other team's
// territory outlines on top of the map, thin violet dashes, and takes them away again.
import { before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { gridFixture } from "./mock-ipc.mjs";
import { screenshot, uiForSuite } from "./harness.mjs";

/** The grid's two rows (south: rows 0–1, north: row 2) as another team's territories, crossing its columns. */
function rowOutlines() {
  const box = (lat0, lat1) => ({
    type: "Feature",
    properties: { territory: lat0 === 37 ? "South" : "North", units: lat0 === 37 ? 6 : 3 },
    geometry: {
      type: "MultiPolygon",
      coordinates: [[[[-100, lat0], [-97, lat0], [-97, lat1], [-100, lat1], [-100, lat0]]]],
    },
  });
  return { type: "FeatureCollection", features: [box(37, 39), box(39, 40)] };
}

const twoTeams = {
  ...gridFixture({ repTerritories: true }),
  teams: [
    { name: "field", default: true, filter: null, scenarios: 1 },
    { name: "key A", default: false, filter: "segment = A", scenarios: 1 },
  ],
  teamOutlines: { "key A": rowOutlines(), field: rowOutlines() },
};

/** The overlay's state on the page's map: whether its layer is there, its features, and whether it is on top. */
const overlay = (page) =>
  page.evaluate(() => {
    const map = window.__tessera.map;
    const layer = map.getLayer("team-overlay-lines");
    const layers = map.getStyle().layers.map((l) => l.id);
    const source = map.getSource("team-overlay");
    return {
      shown: layer !== undefined,
      onTop: layers.slice(-2).join(",") === "team-overlay-casing,team-overlay-lines",
      dashed: layer ? map.getPaintProperty("team-overlay-lines", "line-dasharray") : null,
      features: source ? source.serialize().data.features.length : 0,
    };
  });

/** The RGB colours of the page's screenshot inside the map, counted for the overlay's violet. */
async function violetPixels(page) {
  const png = await page.screenshot({ type: "png" });
  const box = await page.locator("#map").boundingBox();
  return page.evaluate(
    async ({ dataUrl, box }) => {
      const img = new Image();
      img.src = dataUrl;
      await img.decode();
      const canvas = document.createElement("canvas");
      canvas.width = img.width;
      canvas.height = img.height;
      const ctx = canvas.getContext("2d");
      ctx.drawImage(img, 0, 0);
      const { data } = ctx.getImageData(box.x, box.y, box.width, box.height);
      let n = 0;
      for (let p = 0; p < data.length; p += 4) {
        // #7b2cbf, with room for antialiasing over the fills.
        if (Math.abs(data[p] - 0x7b) <= 30 && Math.abs(data[p + 1] - 0x2c) <= 30 && Math.abs(data[p + 2] - 0xbf) <= 30) n++;
      }
      return n;
    },
    { dataUrl: `data:image/png;base64,${png.toString("base64")}`, box },
  );
}

describe("one team: the bar shows it and its menu, nothing to draw on top", () => {
  const app = uiForSuite(gridFixture());
  let page;
  let errors;
  before(() => ({ page, errors } = app));

  it("asks for the teams and offers to add one", async () => {
    await page.waitForFunction(() => window.__TESSERA_IPC_CALLS__.includes("list_teams"));
    await page.waitForSelector(".team-bar:not([hidden])");
    assert.equal(await page.locator(".team-overlay-toggle").isHidden(), true);
    assert.equal(await page.locator(".team-select").isHidden(), true, "one team: nothing to switch to");
    assert.equal(await page.$eval(".team-select", (sel) => sel.value), "default");
    await page.click(".team-actions-toggle");
    assert.equal(await page.locator(".team-add").isEnabled(), true);
    assert.equal((await overlay(page)).shown, false);
    assert.deepEqual(errors, []);
  });
});

describe("two teams: switching and the other team's outlines", () => {
  const app = uiForSuite(twoTeams);
  let page;
  let errors;
  before(() => ({ page, errors } = app));

  it("lists the teams, the shown one selected", async () => {
    await page.waitForSelector(".team-bar:not([hidden])");
    const options = await page.$$eval(".team-select option", (os) => os.map((o) => [o.value, o.textContent, o.selected]));
    assert.deepEqual(options, [
      ["field", "field", true],
      ["key A", "key A (segment = A)", false],
    ]);
    assert.match(await page.textContent(".team-overlay-toggle"), /Show key A's territories/);
    assert.equal((await overlay(page)).shown, false, "no outlines until asked");
  });

  it("draws the other team's outlines on top, thin and dashed, and takes them away", async () => {
    const before_ = await violetPixels(page);
    await page.check(".team-overlay-check");
    await page.waitForFunction(() => window.__tessera.map.getLayer("team-overlay-lines") !== undefined);
    await page.waitForFunction(() => window.__tessera.map.loaded());
    const o = await overlay(page);
    assert.deepEqual(o, { shown: true, onTop: true, dashed: [3, 2], features: 2 });
    const calls = await page.evaluate(() => window.__TESSERA_IPC_ARGS__.filter((c) => c.cmd === "team_outlines"));
    assert.deepEqual(calls.at(-1).args, { team: "key A" });
    assert.match(await page.textContent(".team-bar-note"), /key A, scenario “current” \(2 territories\)/);
    const drawn = await violetPixels(page);
    assert.ok(drawn > before_ + 300, `the outlines draw violet pixels: ${before_} before, ${drawn} after`);
    await page.locator("#map").screenshot({ path: screenshot("teams-overlay.png") });
    await page.locator(".team-bar").screenshot({ path: screenshot("team-bar.png") });
    await page.uncheck(".team-overlay-check");
    assert.equal((await overlay(page)).shown, false);
    assert.equal(await page.evaluate(() => window.__tessera.map.getLayer("team-overlay-casing")), undefined);
    assert.deepEqual(errors, []);
  });

  it("switches the team shown and reloads its units and scenarios", async () => {
    const count = (cmd) => page.evaluate((c) => window.__TESSERA_IPC_CALLS__.filter((x) => x === c).length, cmd);
    const scenariosBefore = await count("list_scenarios");
    await page.selectOption(".team-select", "key A");
    await page.waitForFunction(
      (n) => window.__TESSERA_IPC_CALLS__.filter((x) => x === "list_scenarios").length > n,
      scenariosBefore,
    );
    const select = await page.evaluate(() => window.__TESSERA_IPC_ARGS__.filter((c) => c.cmd === "select_team"));
    assert.deepEqual(select.at(-1).args, { name: "key A" });
    // Once the teams are asked again, the other team is the field team: its outlines are the ones offered.
    await page.waitForFunction(() => /Show field's territories/.test(document.querySelector(".team-overlay-toggle")?.textContent));
    assert.equal(await page.$eval(".team-select", (sel) => sel.value), "key A");
    await page.check(".team-overlay-check");
    await page.waitForFunction(() => window.__tessera.map.getLayer("team-overlay-lines") !== undefined);
    const calls = await page.evaluate(() => window.__TESSERA_IPC_ARGS__.filter((c) => c.cmd === "team_outlines"));
    assert.deepEqual(calls.at(-1).args, { team: "field" });
    assert.deepEqual(errors, []);
  });
});

/** A screenshot of the team bar with its open menu (the menu hangs below the bar, outside its box). */
async function barWithMenu(page, name) {
  const boxes = await Promise.all([".team-bar", ".team-actions-box"].map((sel) => page.locator(sel).boundingBox()));
  const shown = boxes.filter((b) => b !== null);
  const x = Math.min(...shown.map((b) => b.x)) - 8;
  const y = Math.min(...shown.map((b) => b.y)) - 8;
  const right = Math.max(...shown.map((b) => b.x + b.width)) + 8;
  const bottom = Math.max(...shown.map((b) => b.y + b.height)) + 8;
  await page.screenshot({ path: screenshot(name), clip: { x, y, width: right - x, height: bottom - y } });
}

/** The last call of `cmd` the page made, with its arguments. */
const lastCall = (page, cmd) =>
  page.evaluate((c) => window.__TESSERA_IPC_ARGS__.filter((x) => x.cmd === c).at(-1)?.args ?? null, cmd);

describe("managing teams from the team bar: add, rename, delete", () => {
  const app = uiForSuite({
    ...twoTeams,
    teams: [
      { name: "field", default: true, filter: null, measure: "workload", tolerance: null, reps: 3, scenarios: 1, locks: 2, named: 1 },
      { name: "key A", default: false, filter: "segment = A", measure: "hours", tolerance: 0.1, reps: 0, scenarios: 1, locks: 0, named: 0 },
    ],
    teamChoices: {
      columns: [
        { name: "segment", numeric: false, values: ["A", "B", "C"], more: false },
        { name: "tier", numeric: true, values: ["1", "2"], more: false },
      ],
      unitMeasures: ["workload"],
      accountMeasures: ["hours", "accounts"],
    },
  });
  let page;
  let errors;
  before(() => ({ page, errors } = app));

  it("the menu on the default team: Add and Rename, Delete disabled saying why", async () => {
    await page.waitForSelector(".team-bar:not([hidden])");
    await page.waitForFunction(() => document.querySelectorAll(".team-select option").length === 2);
    await page.click(".team-actions-toggle");
    // The menu fills on its "toggle" event, which the browser fires in a later task than the click.
    await page.waitForSelector(".team-actions-box .team-action");
    const items = await page.$$eval(".team-actions-box .team-action", (bs) => bs.map((b) => [b.textContent, b.disabled]));
    assert.deepEqual(items, [
      ["Add team…", false],
      ["Rename “field”…", false],
      ["Delete “field”…", true],
    ]);
    assert.match(await page.textContent(".team-delete-why"), /default team cannot be deleted: it holds the imported alignment/);
    await barWithMenu(page, "team-menu.png");
  });

  it("adds a team from the accounts' columns and values, shows it, and offers to design its territories", async () => {
    await page.click(".team-add");
    await page.waitForSelector(".team-form .team-name-input");
    // Without a filter the measures are the units'; with one, those summed from the team's accounts.
    const options = (sel) => page.$$eval(`${sel} option`, (os) => os.map((o) => o.value));
    assert.deepEqual(await options(".team-measure"), ["", "workload"]);
    assert.equal(await page.locator(".team-filter-value").isHidden(), true);
    await page.selectOption(".team-filter-column", "segment");
    assert.deepEqual(await options(".team-filter-value"), ["A", "B", "C"]);
    assert.deepEqual(await options(".team-measure"), ["", "hours", "accounts"]);
    await page.selectOption(".team-filter-value", "B");
    await page.selectOption(".team-measure", "hours");
    await page.fill(".team-tolerance-input", "8");
    await page.evaluate(() => {
      window.__TESSERA_DIALOG__ = { reps: { kind: "reps", path: "/data/reps-b.csv", name: "reps-b.csv", preview: null } };
    });
    await page.click(".team-reps-choose");
    await page.waitForFunction(() => document.querySelector(".team-reps-file")?.textContent === "reps-b.csv");
    await barWithMenu(page, "team-add.png");

    // A taken name: refused in the panel, the form stays with what was typed.
    await page.fill(".team-name-input", "key A");
    await page.click(".team-add-submit");
    await page.waitForFunction(() => document.querySelector(".team-form-error")?.textContent !== "");
    assert.equal(
      await page.textContent(".team-form-error"),
      "Team “key A” cannot be added: the workbook has a team of this name.",
    );
    assert.equal(await page.$eval(".team-filter-value", (s) => s.value), "B");
    // A tolerance out of range never reaches the workbook.
    const adds = () => page.evaluate(() => window.__TESSERA_IPC_ARGS__.filter((c) => c.cmd === "add_team").length);
    const asked = await adds();
    await page.fill(".team-name-input", "Key B");
    await page.fill(".team-tolerance-input", "150");
    await page.click(".team-add-submit");
    await page.waitForFunction(() => /between 0 and 100/.test(document.querySelector(".team-form-error")?.textContent));
    assert.equal(await adds(), asked);

    await page.fill(".team-tolerance-input", "8");
    await page.click(".team-add-submit");
    await page.waitForFunction(() => document.querySelector(".team-select")?.value === "Key B");
    assert.deepEqual(await lastCall(page, "add_team"), {
      request: {
        name: "Key B",
        filter: { column: "segment", value: "B" },
        measure: "hours",
        tolerance: 0.08,
        reps: "/data/reps-b.csv",
      },
    });
    assert.deepEqual(await lastCall(page, "select_team"), { name: "Key B" });
    // The figures are judged by the shown team's tolerance.
    await page.waitForFunction(() => window.__tessera.store.getState().tolerance === 0.08);
    assert.equal(await page.locator(".team-actions-box").isHidden(), true, "the menu closed");
    // The new team has no scenario: the planner's window offers to design its territories, and so does the bar.
    await page.waitForSelector(".team-bar-offer:not([hidden])");
    assert.match(await page.textContent(".team-bar-offer"), /Team “Key B” added\. It has no territories yet\./);
    await page.waitForSelector(".design-button");
    await page.click(".team-design");
    await page.waitForSelector("#optimize-dialog[open]");
    assert.match(await page.textContent("#optimize-dialog"), /Design territories/);
    await page.keyboard.press("Escape");
    await page.waitForFunction(() => !document.querySelector("#optimize-dialog").open);
    assert.equal(await page.locator(".team-bar-offer").isHidden(), true);
  });

  it("renames the shown team, refusing a taken name", async () => {
    await page.click(".team-actions-toggle");
    await page.click(".team-rename");
    assert.equal(await page.$eval(".team-name-input", (i) => i.value), "Key B");
    await page.fill(".team-name-input", "field");
    await page.click(".team-rename-submit");
    await page.waitForFunction(() => /cannot be renamed/.test(document.querySelector(".team-form-error")?.textContent));
    await page.fill(".team-name-input", "Segment B");
    await page.click(".team-rename-submit");
    await page.waitForFunction(() => document.querySelector(".team-select")?.value === "Segment B");
    assert.deepEqual(await lastCall(page, "rename_team"), { from: "Key B", to: "Segment B" });
    const names = await page.$$eval(".team-select option", (os) => os.map((o) => o.value));
    assert.deepEqual(names, ["field", "key A", "Segment B"]);
  });

  it("deletes the shown team after saying what goes with it, and shows the default team", async () => {
    await page.click(".team-actions-toggle");
    const del = page.locator(".team-delete");
    assert.equal(await del.isEnabled(), true);
    assert.equal(await page.locator(".team-delete-why").count(), 0);
    await del.click();
    assert.equal(
      await page.textContent(".team-delete-what"),
      "Its 0 scenarios, 2 reps, 0 locked units and 0 named accounts go with it. This cannot be undone. The other teams, the units and the accounts stay.",
    );
    // Cancel leaves it; the menu again, and this time delete.
    await page.click(".team-cancel");
    assert.equal(await page.locator(".team-add").isVisible(), true);
    await page.click(".team-delete");
    await page.click(".team-delete-submit");
    await page.waitForFunction(() => document.querySelector(".team-select")?.value === "field");
    assert.deepEqual(await lastCall(page, "delete_team"), { name: "Segment B" });
    assert.deepEqual(await lastCall(page, "select_team"), { name: "field" });
    const names = await page.$$eval(".team-select option", (os) => os.map((o) => o.value));
    assert.deepEqual(names, ["field", "key A"]);
    await page.waitForFunction(() => window.__tessera.store.getState().tolerance === 0.05);
    // The default team's scenarios are back in the side panel.
    await page.waitForFunction(() => document.querySelector(".design-button") === null);
    assert.deepEqual(errors, []);
  });
});
