// Browser test: named accounts in the figures panel and on the map. A territory with accounts named to it
// (whatever their unit) shows their number (★N) with an explanation; one without shows no mark. On the map each
// named account is a star in the colour of its territory (grey when the scenario has no such territory), with
// words on hover, and the legend explains the star.
import { before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { gridFixture } from "./mock-ipc.mjs";
import { screenshot, uiForSuite } from "./harness.mjs";

/** Two accounts in East's column named to West, and one named to a territory the scenario does not have. */
function fixture() {
  const f = gridFixture();
  f.summary = {
    ...f.summary,
    namedAccounts: [
      { id: "k1", territory: "West", lon: -97.4, lat: 38.4, ownPoint: true },
      { id: "k2", territory: "West", lon: -97.5, lat: 39.5, ownPoint: false },
      { id: "k3", territory: "Gone", lon: -98.5, lat: 37.5, ownPoint: true },
    ],
    namedUnplaced: 1,
  };
  return { ...f, namedAccounts: { West: 3 } };
}

describe("named accounts", () => {
  const app = uiForSuite(fixture());
  let page;
  let errors;
  before(() => ({ page, errors } = app));

  it("marks the territory's named accounts with their number", async () => {
    const marks = await page.$$eval("#figures-panel tr.figures-row", (rows) =>
      rows.map((r) => [r.querySelector(".rep-name")?.textContent, r.querySelector(".named-mark")?.textContent ?? null]),
    );
    assert.deepEqual(
      marks.sort(),
      [
        ["Central", null],
        ["East", null],
        ["West", "★3"],
      ],
    );
    const title = await page.$eval("#figures-panel .named-mark", (m) => m.title);
    assert.match(title, /^3 named accounts: they belong to this territory whatever their unit/);
    await page.locator("#figures-panel").screenshot({ path: screenshot("figures-named-accounts.png") });
    assert.deepEqual(errors, []);
  });

  it("draws each named account as a star in its territory's colour, explained on hover and in the legend", async () => {
    await page.waitForFunction(() => window.__tessera.map.queryRenderedFeatures({ layers: ["named-accounts"] }).length === 3);
    const drawn = await page.evaluate(() => {
      const { map, store } = window.__tessera;
      const s = store.getState();
      return {
        stars: map
          .queryRenderedFeatures({ layers: ["named-accounts"] })
          .map((f) => [f.properties.id, f.properties.color])
          .sort(),
        west: s.territoryColors[s.alignment.territories.indexOf("West")],
      };
    });
    assert.deepEqual(drawn.stars, [
      ["k1", drawn.west],
      ["k2", drawn.west],
      ["k3", "#9aa5b1"],
    ]);
    const legend = await page.$eval("#figures-panel .legend-named", (n) => [n.textContent, n.title]);
    assert.match(legend[0], /★ named account/);
    assert.match(legend[1], /^3 accounts named to a territory are marked with a star in its colour/);
    assert.match(legend[1], /1 more have neither coordinates nor a unit/);
    const at = await page.evaluate(() => {
      const map = window.__tessera.map;
      const p = map.project([-97.5, 39.5]);
      const r = map.getContainer().getBoundingClientRect();
      return { x: r.left + p.x, y: r.top + p.y };
    });
    await page.mouse.move(at.x, at.y);
    const popup = await page.waitForSelector(".maplibregl-popup-content", { timeout: 5000 });
    assert.match(await popup.textContent(), /★ k2: named to West\. It counts for West whatever unit it lies in\. Marked at its unit's point/);
    await page.locator("#map").screenshot({ path: screenshot("map-named-accounts.png") });
    assert.deepEqual(errors, []);
  });
});
