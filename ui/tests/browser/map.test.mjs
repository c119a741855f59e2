// Browser test: the built UI in Debian's headless Chromium, against a mocked IPC, draws coloured territories.
// It reads the screenshot's pixels back and checks each territory's colour covers part of the map.
import { before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdir, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { gridFixture, pointsFixture } from "./mock-ipc.mjs";
import { screenshot, uiForSuite } from "./harness.mjs";

const screenshotPath = screenshot("map-mock-ipc.png");
const pointsScreenshotPath = screenshot("map-points.png");
const figuresScreenshotPath = screenshot("figures-panel-edit.png");
const optimizeScreenshotPath = screenshot("optimize-dialog-progress.png");
const optimizeDoneScreenshotPath = screenshot("optimize-dialog-result.png");
// Territory fills drawn at 0.85 opacity over the land colour #f3f1ec. Central touches West and East, so the
// colouring (state/colors.ts) takes it first: PALETTE[0]; then West PALETTE[1], East PALETTE[2].
const LAND = [0xf3, 0xf1, 0xec];
const TERRITORY_FILLS = { West: "#fdb462", Central: "#8dd3c7", East: "#bebada" };

function blended(hex, opacity = 0.85) {
  const rgb = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  return rgb.map((c, i) => Math.round(c * opacity + LAND[i] * (1 - opacity)));
}

describe("map with a mocked backend", () => {
  const app = uiForSuite(gridFixture());
  let page;
  let errors;
  before(() => ({ page, errors } = app));

  it("asks the backend for the workbook, its units and alignment, each once, and nothing more", async () => {
    const calls = await page.evaluate(() => window.__TESSERA_IPC_CALLS__);
    // The map draws the units from the GeoJSON the load already has (its own WebGL layers): no tiles.
    assert.deepEqual([...calls].sort(), [
      "current_workbook",
      "list_scenarios",
      // The team bar asks which teams the workbook has (it shows itself with two or more).
      "list_teams",
      "open_scenario",
      "unit_text",
      "units_geojson",
    ]);
  });

  it("lists the dataset in the side panel", async () => {
    const panel = await page.textContent("#side-panel");
    assert.match(panel, /kansas-grid/);
    assert.match(panel, /Units\s*9/);
    assert.match(panel, /workload/);
    assert.match(panel, /Scenarios\s*current/i);
    assert.match(await page.textContent("#figures-panel"), /Figures/);
    const rows = await page.$$eval("#figures-panel tr.figures-row .rep-name", (cells) => cells.map((c) => c.textContent));
    assert.deepEqual([...rows].sort(), ["Central", "East", "West"]);
  });

  it("draws every territory in its own colour", async () => {
    const png = await page.screenshot({ type: "png" });
    await mkdir(dirname(screenshotPath), { recursive: true });
    await writeFile(screenshotPath, png);
    const box = await page.locator("#map").boundingBox();
    const names = Object.keys(TERRITORY_FILLS);
    const counts = await countColours(page, png, box, Object.values(TERRITORY_FILLS).map((c) => blended(c)));
    const total = box.width * box.height;
    // Each territory is one column of the grid: each colour covers a good, similar share of the map.
    for (const [i, n] of counts.entries()) {
      assert.ok(n > total * 0.05, `${names[i]} (${TERRITORY_FILLS[names[i]]}) covers ${n} of ${total} map pixels`);
    }
    assert.ok(Math.max(...counts) < 1.2 * Math.min(...counts), `columns differ in size: ${counts}`);
    // The two rep home bases: dark discs (#1f2933), about 9 px across at this zoom.
    const [repPixels] = await countColours(page, png, box, [[0x1f, 0x29, 0x33]]);
    assert.ok(repPixels > 2 * 40 && repPixels < 2 * 400, `rep markers cover ${repPixels} pixels`);
    assert.deepEqual(errors, []);
  });

  it("shows a unit's id and measures on hover", async () => {
    const point = await page.evaluate(() => {
      const map = document.querySelector("#map");
      const r = map.getBoundingClientRect();
      return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
    });
    await page.mouse.move(point.x, point.y);
    await page.waitForSelector("#hover-panel:not([hidden])", { timeout: 5_000 });
    const text = await page.textContent("#hover-panel");
    // The centre of the fitted grid is the middle unit: row 1, column 1, workload 2001, territory Central.
    assert.match(text, /u11/);
    assert.match(text, /Central/);
    assert.match(text, /2,001/);
    // Named by its text columns: name and state, then its id; a code column as written, not as a number.
    assert.equal(await page.textContent("#hover-panel .hover-title"), "Unit 1/1, KS · u11");
    assert.match(text, /county20009/);
  });
});

describe("hand editing with live figures", () => {
  const app = uiForSuite(gridFixture());

  /** The text of territory `t`'s load cell in the figures panel. */
  const load = (page, t) => page.textContent(`#figures-panel tr[data-territory="${t}"] .fig-load`);

  /** The RGB of the screenshot pixel at page position (x, y). */
  async function pixel(page, x, y) {
    const png = await page.screenshot({ type: "png" });
    const [r, g, b] = await page.evaluate(
      async ({ dataUrl, x, y }) => {
        const img = new Image();
        img.src = dataUrl;
        await img.decode();
        const canvas = document.createElement("canvas");
        canvas.width = img.width;
        canvas.height = img.height;
        const ctx = canvas.getContext("2d");
        ctx.drawImage(img, 0, 0);
        return [...ctx.getImageData(Math.round(x), Math.round(y), 1, 1).data];
      },
      { dataUrl: `data:image/png;base64,${png.toString("base64")}`, x, y },
    );
    return [r, g, b];
  }

  const near = (rgb, target) => rgb.every((c, i) => Math.abs(c - target[i]) <= 10);

  it("a click gives a unit to the active territory, the figures change, and Ctrl+Z restores them", async () => {
    const { page, errors } = app;
    await page.waitForSelector("#figures-panel tr[data-territory]");
    // West 1000+2000+3000, Central 1001+2001+3001, East 1002+2002+3002.
    assert.equal(await load(page, 1), "6,003");
    assert.equal(await load(page, 2), "6,006");
    const r = await page.locator("#map").boundingBox();
    const center = { x: r.x + r.width / 2, y: r.y + r.height / 2 };
    // Find a point in the East column by hovering rightwards from the centre, then Alt+click it: East becomes
    // the active territory.
    let east = null;
    for (let dx = 40; dx < r.width / 2 && east === null; dx += 20) {
      await page.mouse.move(center.x + dx, center.y);
      await page.waitForTimeout(30);
      if (/East/.test((await page.textContent("#hover-panel")) ?? "")) east = { x: center.x + dx + 30, y: center.y };
    }
    assert.ok(east, "found the East column");
    await page.keyboard.down("Alt");
    await page.mouse.click(east.x, east.y);
    await page.keyboard.up("Alt");
    await page.waitForSelector('#figures-panel tr.active[data-territory="2"]');

    // Click the centre unit (u11, Central, 2001): it goes East.
    await page.mouse.click(center.x, center.y);
    await page.waitForFunction(() => document.querySelector('#figures-panel tr[data-territory="2"] .fig-load')?.textContent === "8,007");
    assert.equal(await load(page, 1), "4,002");
    // Enough digits that an edit's change shows.
    assert.match(await page.textContent('[data-total="maxDev"]'), /^33\.38%$/);
    await page.mouse.move(r.x + 5, r.y + r.height - 5); // off the unit: no hover highlight
    await page.waitForTimeout(200);
    // Sampled below the centre: a territory label (an HTML marker) may sit on the centre itself.
    const sample = { x: center.x, y: center.y + 45 };
    const after = await pixel(page, sample.x, sample.y);
    assert.ok(near(after, blended(TERRITORY_FILLS.East)), `the centre unit is East-coloured: ${after}`);
    await writeFile(figuresScreenshotPath, await page.screenshot({ type: "png" }));

    await page.keyboard.press("Control+z");
    await page.waitForFunction(() => document.querySelector('#figures-panel tr[data-territory="2"] .fig-load')?.textContent === "6,006");
    assert.equal(await load(page, 1), "6,003");
    await page.waitForTimeout(200);
    const undone = await pixel(page, sample.x, sample.y);
    assert.ok(near(undone, blended(TERRITORY_FILLS.Central)), `undo restores its colour: ${undone}`);

    await page.keyboard.press("Control+Shift+z");
    await page.waitForFunction(() => document.querySelector('#figures-panel tr[data-territory="2"] .fig-load')?.textContent === "8,007");
    assert.deepEqual(errors, []);
  });

  it("a row click selects the territory and the table sorts by a column", async () => {
    const { page } = app;
    await page.click('#figures-panel tr[data-territory="0"]');
    await page.waitForSelector('#figures-panel tr.selected[data-territory="0"]');
    await page.click("#figures-panel th.col-units");
    const order = await page.$$eval("#figures-panel tbody tr.figures-row", (rows) => rows.map((r) => r.dataset.territory));
    assert.deepEqual(order, ["2", "0", "1"], "most units first: East 4, West 3, Central 2");
  });
});

describe("optimize dialog", () => {
  const app = uiForSuite(gridFixture());

  it("runs with progress, saves a new scenario, and deletes it on request", async () => {
    const { page, errors } = app;
    await page.waitForSelector("#figures-panel .optimize-button");
    await page.click("#figures-panel .optimize-button");
    await page.waitForSelector("#optimize-dialog[open] .dialog-run");
    await page.fill('#optimize-dialog input[name="timeLimit"]', "5");
    // Every fraction the bar shows, in order: it must only move forward.
    await page.evaluate(() => {
      window.__BAR__ = [];
      window.__tessera.store.subscribe((s, prev) => {
        if (s.run?.progress && s.run.progress !== prev.run?.progress) window.__BAR__.push(s.run.progress.fraction);
      });
    });
    await page.click("#optimize-dialog .dialog-run");
    // Ranked as the optimizer ranks plans: pieces first, then deviation, then travel.
    await page.waitForFunction(() =>
      /Best plan so far: 1 territory in several pieces, max deviation 3\.1%/.test(document.querySelector(".optimize-status")?.textContent ?? ""),
    );
    assert.match(await page.textContent(".optimize-status"), /travel 123 k workload·km/);
    assert.equal(await page.$eval(".optimize-progress", (p) => p.value), 0.42);
    assert.ok(await page.$("#optimize-dialog .dialog-cancel"), "Cancel is offered while running");
    const request = await page.evaluate(() => window.__TESSERA_IPC_CALLS__.filter((c) => c === "optimize").length);
    assert.equal(request, 1);
    await writeFile(optimizeScreenshotPath, await page.screenshot({ type: "png" }));

    await page.evaluate(() => window.__TESSERA_RELEASE_OPTIMIZE__());
    await page.waitForSelector("#optimize-dialog .optimize-result");
    assert.match(await page.textContent("#optimize-dialog .optimize-result"), /Saved as scenario "optimized 1"/);
    // The mock reports 0.42, then a late 0.3, then 1: the bar never went back.
    assert.deepEqual(await page.evaluate(() => window.__BAR__), [0.42, 0.42, 1]);
    // Travel with its unit, formatted as the CLI formats it; a promise not kept is shown with its reason.
    assert.match(await page.textContent('#optimize-dialog [data-fact="travel"]'), /120 k workload·km/);
    assert.match(
      await page.textContent('#optimize-dialog [data-promise="tolerance"]'),
      /✗Every territory within ±5% of the target — not held: the best plan found has max deviation 1\.20%/,
    );
    await page.waitForSelector('#side-panel li[data-scenario="optimized 1"]');
    await writeFile(optimizeDoneScreenshotPath, await page.screenshot({ type: "png" }));
    await page.click("#optimize-dialog .dialog-delete");
    await page.waitForFunction(() => !document.querySelector('#side-panel li[data-scenario="optimized 1"]'));
    assert.deepEqual(errors, []);
  });
});

describe("points without an alignment", () => {
  const app = uiForSuite(pointsFixture());

  it("draws the units as circles in the single no-territory colour", async () => {
    const { page, errors } = app;
    assert.match(await page.textContent("#side-panel"), /points/);
    const png = await page.screenshot({ type: "png" });
    await writeFile(pointsScreenshotPath, png);
    const box = await page.locator("#map").boundingBox();
    // UNASSIGNED_COLOR #9fb3c8 (state/colors.ts), opaque circles.
    const [unassigned] = await countColours(page, png, box, [[0x9f, 0xb3, 0xc8]]);
    assert.ok(unassigned > 200 * 10, `no-territory circles cover ${unassigned} pixels`);
    assert.deepEqual(errors, []);
  });
});

/** Counts, inside `box`, the screenshot pixels within ±10 per channel of each colour in `targets`. */
async function countColours(page, png, box, targets) {
  return page.evaluate(
    async ({ dataUrl, box, targets }) => {
      const img = new Image();
      img.src = dataUrl;
      await img.decode();
      const canvas = document.createElement("canvas");
      canvas.width = img.width;
      canvas.height = img.height;
      const ctx = canvas.getContext("2d");
      ctx.drawImage(img, 0, 0);
      const { data } = ctx.getImageData(box.x, box.y, box.width, box.height);
      const counts = targets.map(() => 0);
      for (let p = 0; p < data.length; p += 4) {
        targets.forEach((t, i) => {
          if (Math.abs(data[p] - t[0]) <= 10 && Math.abs(data[p + 1] - t[1]) <= 10 && Math.abs(data[p + 2] - t[2]) <= 10) {
            counts[i]++;
          }
        });
      }
      return counts;
    },
    { dataUrl: `data:image/png;base64,${png.toString("base64")}`, box, targets },
  );
}
