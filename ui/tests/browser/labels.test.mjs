// Browser test: territory labels never overlap. A national-scale fixture (a grid of squares over the lower 48
// with 80 territories and long names) is shown in headless Chromium against the mocked IPC; at the first view
// many labels would collide, so some must be hidden and no two shown ones may overlap; after zooming in, more
// are shown, still without overlap.
import { before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdir, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { screenshot, uiForSuite } from "./harness.mjs";

const screenshotPath = screenshot("labels-national.png");

/** 40 × 16 squares from (-124, 25) to (-68, 49); territories are 4 × 2 blocks of squares: 10 × 8 = 80. */
function nationalFixture() {
  const cols = 40;
  const rows = 16;
  const [w, h] = [56 / cols, 24 / rows];
  const features = [];
  const territoryOf = [];
  for (let row = 0; row < rows; row++) {
    for (let col = 0; col < cols; col++) {
      const [lon, lat] = [-124 + col * w, 25 + row * h];
      const ring = [
        [lon, lat],
        [lon + w, lat],
        [lon + w, lat + h],
        [lon, lat + h],
        [lon, lat],
      ];
      features.push({
        type: "Feature",
        properties: { id: `g${row}-${col}`, workload: 100 + ((row * 7 + col * 13) % 50) },
        geometry: { type: "Polygon", coordinates: [ring] },
      });
      territoryOf.push(Math.floor(row / 2) * 10 + Math.floor(col / 4));
    }
  }
  const territories = Array.from({ length: 80 }, (_, t) => `Territory ${t + 1} of the lower 48`);
  const adjacent = [];
  for (let t = 0; t < 80; t++) {
    if (t % 10 < 9) adjacent.push([t, t + 1]);
    if (t + 10 < 80) adjacent.push([t, t + 10]);
  }
  return {
    summary: {
      name: "national-grid",
      path: "/fixtures/national-grid.tessera",
      unitCount: features.length,
      measures: ["workload"],
      geometry: "polygons",
      adjacencyEdges: 0,
      reps: [],
    },
    units: { type: "FeatureCollection", features },
    alignment: { territories, territoryOf, adjacent },
  };
}

describe("territory labels at national zoom", () => {
  const app = uiForSuite(nationalFixture());
  let page;
  let errors;
  before(() => ({ page, errors } = app));

  /**
   * Screen boxes of the labels shown (not hidden) with their centre inside the map, and how many labels have
   * their centre inside the map (`inView`) and in all (`total`).
   */
  const labels = () =>
    page.evaluate(() => {
      const map = document.querySelector("#map").getBoundingClientRect();
      const all = [...document.querySelectorAll(".territory-label")];
      const inside = (r) => {
        const [x, y] = [(r.left + r.right) / 2, (r.top + r.bottom) / 2];
        return x > map.left && x < map.right && y > map.top && y < map.bottom;
      };
      const inView = all.filter((e) => inside(e.getBoundingClientRect()));
      const shown = inView
        .filter((e) => getComputedStyle(e).visibility !== "hidden")
        .map((e) => e.getBoundingClientRect())
        .map((r) => [r.left, r.top, r.right, r.bottom]);
      return { total: all.length, inView: inView.length, shown };
    });

  const overlapping = (boxes) => {
    const pairs = [];
    boxes.forEach((a, i) =>
      boxes.slice(i + 1).forEach((b) => {
        if (a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3]) pairs.push([a, b]);
      }),
    );
    return pairs;
  };

  let shareAtFirst = 0;

  it("hides some labels at the first (national) view and shows no two that overlap", async () => {
    const { total, inView, shown } = await labels();
    await mkdir(dirname(screenshotPath), { recursive: true });
    await writeFile(screenshotPath, await page.screenshot({ type: "png" }));
    assert.equal(total, 80, "one label per territory");
    assert.equal(inView, 80, "the first view shows the whole country");
    assert.ok(shown.length >= 10, `only ${shown.length} labels shown`);
    assert.ok(shown.length < inView, "at this zoom not every label fits");
    assert.deepEqual(overlapping(shown), []);
    shareAtFirst = shown.length / inView;
  });

  it("shows a larger share of the labels in view after zooming in, still without overlap", async () => {
    await page.evaluate(
      () =>
        new Promise((done) => {
          const { map } = window.__tessera;
          map.once("moveend", () => done());
          map.zoomTo(map.getZoom() + 1.5, { animate: false });
        }),
    );
    const { inView, shown } = await labels();
    const share = shown.length / inView;
    assert.ok(share > shareAtFirst, `after zooming in ${shown.length} of ${inView} labels in view are shown, ` +
      `a smaller share than before (${shareAtFirst.toFixed(2)})`);
    assert.deepEqual(overlapping(shown), []);
    assert.deepEqual(errors, []);
  });
});
