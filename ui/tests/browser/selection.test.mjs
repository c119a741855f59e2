// Browser test: box-select (Shift+drag) and lasso (Ctrl+drag) on the built UI in headless Chromium, against the
// mocked IPC. Each gesture must send one reassign_units with exactly the units it covers (a box: every unit it
// touches; a lasso: the units whose anchor lies inside it), the figures panel must follow, and undo must put
// the figures back.
import { before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdir, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { gridFixture } from "./mock-ipc.mjs";
import { screenshot, uiForSuite } from "./harness.mjs";

const lassoScreenshotPath = screenshot("lasso-drawing.png");

// The grid fixture: unit `row * 3 + col` is the one-degree square whose south-west corner is (-100 + col, 37 +
// row); its anchor is the square's centre. Territory = column: 0 West, 1 Central, 2 East.
const centre = (row, col) => [-99.5 + col, 37.5 + row];
const unit = (row, col) => row * 3 + col;

describe("box-select and lasso with a mocked backend", () => {
  const app = uiForSuite(gridFixture());
  let page;
  let errors;
  before(() => ({ page, errors } = app));

  /** Page coordinates of a lon/lat on the map. */
  const toPage = (lngLat) =>
    page.evaluate((p) => {
      const { map } = window.__tessera;
      const r = map.getCanvas().getBoundingClientRect();
      const q = map.project(p);
      return [r.left + q.x, r.top + q.y];
    }, lngLat);

  /** Territory name -> [load, units] from the figures panel. */
  const figures = async () =>
    new Map(
      await page.$$eval("#figures-panel tr.figures-row", (rows) =>
        rows.map((r) => [
          r.querySelector(".rep-name")?.textContent,
          [r.querySelector(".fig-load")?.title, Number(r.querySelector(".fig-units")?.textContent)],
        ]),
      ),
    );

  /** The reassign_units calls the mock has seen, as [sorted units, territory]. */
  const reassigns = () =>
    page.evaluate(() =>
      window.__TESSERA_IPC_ARGS__
        .filter((c) => c.cmd === "reassign_units")
        .map((c) => [[...c.args.units].sort((a, b) => a - b), c.args.territory]),
    );

  /** Drags through the lon/lat `path` with `modifier` held, in small mouse steps. */
  async function drag(modifier, path, { screenshot } = {}) {
    const points = [];
    for (const p of path) points.push(await toPage(p));
    await page.keyboard.down(modifier);
    await page.mouse.move(...points[0]);
    await page.mouse.down();
    for (const p of points.slice(1)) await page.mouse.move(...p, { steps: 5 });
    if (screenshot) {
      await mkdir(dirname(screenshot), { recursive: true });
      await writeFile(screenshot, await page.screenshot({ type: "png" }));
    }
    await page.mouse.up();
    await page.keyboard.up(modifier);
  }

  const undoCount = () => page.textContent(".undo-button");

  it("makes West the active territory with Alt+click", async () => {
    const [x, y] = await toPage(centre(1, 0));
    await page.keyboard.down("Alt");
    await page.mouse.click(x, y);
    await page.keyboard.up("Alt");
    await page.waitForSelector("#figures-panel tr.figures-row.active");
    assert.equal(await page.textContent("#figures-panel tr.figures-row.active .rep-name"), "West");
  });

  it("Shift+drag gives every unit the box touches to the active territory; undo restores the figures", async () => {
    const before = await figures();
    assert.deepEqual([...before.values()].map(([, n]) => n), [3, 3, 3]);
    const mapBefore = await toPage(centre(0, 0));
    // From the centre of (row 0, col 1) to the centre of (row 1, col 2): the box touches those two columns'
    // two lower rows and nothing else.
    await drag("Shift", [centre(0, 1), centre(1, 2)]);
    await page.waitForFunction(() => document.querySelector(".undo-button")?.textContent === "Undo (1)");
    const expected = [unit(0, 1), unit(0, 2), unit(1, 1), unit(1, 2)].sort((a, b) => a - b);
    assert.deepEqual(await reassigns(), [[expected, 0]], "one reassign_units with the four units, to West");
    const edited = await figures();
    assert.equal(edited.get("West")[1], 7);
    assert.equal(edited.get("Central")[1], 1);
    assert.equal(edited.get("East")[1], 1);
    for (const name of ["West", "Central", "East"]) {
      assert.notEqual(edited.get(name)[0], before.get(name)[0], `${name}'s load changed`);
    }
    assert.deepEqual(await toPage(centre(0, 0)), mapBefore, "the map did not pan during the box drag");

    await page.keyboard.press("Control+z");
    await page.waitForFunction(() => document.querySelector(".undo-button")?.textContent === "Undo (0)");
    assert.deepEqual(await figures(), before, "undo restores every territory's figures");
  });

  it("Ctrl+drag (lasso) takes only the units whose anchor is inside it; undo restores the figures", async () => {
    const before = await figures();
    const callsBefore = (await reassigns()).length;
    const mapBefore = await toPage(centre(0, 0));
    // An L around the centres of (2,1), (2,2) and (1,2). Its bounding box also covers (1,1), whose centre is
    // outside the L: a box would take it, the lasso must not.
    await drag(
      "Control",
      [
        [-98.8, 39.8],
        [-97.2, 39.8],
        [-97.2, 38.2],
        [-97.8, 38.2],
        [-97.8, 39.2],
        [-98.8, 39.2],
        [-98.8, 39.75],
      ],
      { screenshot: lassoScreenshotPath },
    );
    await page.waitForFunction(() => document.querySelector(".undo-button")?.textContent === "Undo (1)");
    const calls = (await reassigns()).slice(callsBefore);
    const expected = [unit(2, 1), unit(2, 2), unit(1, 2)].sort((a, b) => a - b);
    assert.deepEqual(calls, [[expected, 0]], "one reassign_units with the three lassoed units, to West");
    assert.deepEqual(await toPage(centre(0, 0)), mapBefore, "the map did not pan during the lasso");
    const edited = await figures();
    assert.equal(edited.get("West")[1], 6);
    assert.equal(edited.get("Central")[1], 2);
    assert.equal(edited.get("East")[1], 1);
    assert.notEqual(edited.get("West")[0], before.get("West")[0], "West's load changed");

    await page.click(".undo-button");
    await page.waitForFunction(() => document.querySelector(".undo-button")?.textContent === "Undo (0)");
    assert.deepEqual(await figures(), before, "undo restores every territory's figures");
    assert.deepEqual(errors, []);
  });
});
