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

describe("one team: no team bar", () => {
  const app = uiForSuite(gridFixture());
  let page;
  let errors;
  before(() => ({ page, errors } = app));

  it("asks for the teams and shows no selector", async () => {
    await page.waitForFunction(() => window.__TESSERA_IPC_CALLS__.includes("list_teams"));
    assert.equal(await page.locator(".team-bar").isHidden(), true);
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
