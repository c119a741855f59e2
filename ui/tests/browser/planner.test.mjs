// Browser tests of a planner's first hour (issue 11), against the mocked IPC: a workbook without territories
// offers to design them and opens the result; a result explains itself; figures carry units and tooltips; the
// hover follows an edit; edits that split a territory or move a home base warn, with Undo; locks show at any
// zoom; the keyboard sheet, the app's own right-click menu; framing that ignores far specks; 1280 × 800.
import { before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdir, writeFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { gridFixture, pointsFixture } from "./mock-ipc.mjs";
import { screenshot, uiForSuite } from "./harness.mjs";

/** The README's screenshots (docs/), written when DOCS_SCREENSHOTS=1. */
const docs = (name) => resolve(dirname(fileURLToPath(import.meta.url)), "../../../docs", name);
async function save(page, name, { doc = false } = {}) {
  const png = await page.screenshot({ type: "png" });
  await mkdir(dirname(screenshot(name)), { recursive: true });
  await writeFile(screenshot(name), png);
  if (doc && process.env.DOCS_SCREENSHOTS === "1") await writeFile(docs(name), png);
}

/** The page position of the centre of grid unit (row, col) of gridFixture (rows go north). */
async function unitPoint(page, row, col) {
  return page.evaluate(
    ([row, col]) => {
      const map = window.__tessera.map;
      const p = map.project([-100 + col + 0.5, 37 + row + 0.5]);
      const r = map.getContainer().getBoundingClientRect();
      return { x: r.left + p.x, y: r.top + p.y };
    },
    [row, col],
  );
}

describe("a workbook without territories", () => {
  const app = uiForSuite(pointsFixture(), { viewport: { width: 1280, height: 800 } });

  it("offers Design territories, and the result opens as the first scenario", async () => {
    const { page, errors } = app;
    await page.waitForSelector("#figures-panel .design-button");
    assert.match(await page.textContent("#figures-panel"), /No territories yet/);
    // A plan from elsewhere (a spreadsheet's CSV, polygons) can come in as the first scenario too.
    await page.click("#side-panel .scenario-new > summary");
    await page.waitForSelector("#side-panel .scenario-new[open] .scenario-from-plan");
    await page.click("#side-panel .scenario-new > summary");
    await save(page, "new-workbook-design.png");
    await page.click("#figures-panel .design-button");
    await page.waitForSelector("#optimize-dialog[open] .dialog-run");
    assert.equal(await page.textContent("#optimize-dialog .dialog-title"), "Design territories");
    // Nothing to keep: designed from scratch, no disruption budget.
    assert.equal(await page.$eval('#optimize-dialog input[name="keepCurrent"]', (i) => i.checked), false);
    assert.equal(await page.$eval('#optimize-dialog input[name="maxMoved"]', (i) => i.disabled), true);
    await page.fill('#optimize-dialog input[name="territories"]', "4");
    await page.evaluate(() => (window.__TESSERA_NO_HOLD__ = true));
    // Caps and floors: a malformed entry is named and nothing runs; a good one goes with the request.
    await page.fill('#optimize-dialog input[name="caps"]', "units:30, accounts250");
    await page.click("#optimize-dialog .dialog-run");
    await page.waitForSelector("#optimize-dialog .optimize-limit-error:not([hidden])");
    assert.match(await page.textContent("#optimize-dialog .optimize-limit-error"), /^Caps: "accounts250": write MEASURE:VALUE/);
    assert.equal(await page.evaluate(() => window.__TESSERA_IPC_ARGS__.some((c) => c.cmd === "optimize")), false);
    await save(page, "optimize-dialog-caps.png");
    await page.fill('#optimize-dialog input[name="caps"]', "units:30");
    // Mix bands likewise: the malformed one named, a good one sent as the planning service takes it.
    await page.fill('#optimize-dialog input[name="mixes"]', "segment=A:0.4");
    await page.click("#optimize-dialog .dialog-run");
    await page.waitForFunction(() =>
      document.querySelector("#optimize-dialog .optimize-limit-error")?.textContent?.startsWith("Mix bands:"),
    );
    assert.match(
      await page.textContent("#optimize-dialog .optimize-limit-error"),
      /^Mix bands: "segment=A:0\.4": write COLUMN=VALUE:LO\.\.HI/,
    );
    assert.equal(await page.evaluate(() => window.__TESSERA_IPC_ARGS__.some((c) => c.cmd === "optimize")), false);
    await save(page, "optimize-dialog-mix.png");
    await page.fill('#optimize-dialog input[name="mixes"]', "segment=A:20%..40%");
    await page.click("#optimize-dialog .dialog-run");
    await page.waitForSelector("#optimize-dialog .optimize-result");
    assert.match(await page.textContent("#optimize-dialog .optimize-result"), /Opened as scenario "optimized 1"/);
    const sent = await page.evaluate(() => window.__TESSERA_IPC_ARGS__.find((c) => c.cmd === "optimize").args.request);
    assert.equal(sent.territories, 4);
    assert.equal(sent.keepCurrent, false);
    assert.equal(sent.maxMoved, null);
    assert.deepEqual(sent.caps, [{ measure: "units", value: 30 }]);
    assert.deepEqual(sent.floors, []);
    assert.deepEqual(sent.mixes, [{ column: "segment", segment: "A", lo: 0.2, hi: 0.4 }]);
    // Opened: four rows in the figures panel, the scenario listed and being edited.
    await page.waitForFunction(() => document.querySelectorAll("#figures-panel tr.figures-row").length === 4);
    assert.ok(await page.$('#side-panel li.working[data-scenario="optimized 1"]'));
    await page.waitForTimeout(300);
    await save(page, "first-territories-result.png", { doc: true });
    await page.click("#optimize-dialog .dialog-open");
    await page.waitForTimeout(300);
    await save(page, "first-territories.png", { doc: true });
    assert.deepEqual(errors, []);
  });
});

describe("an explained result", () => {
  const app = uiForSuite(gridFixture({ repTerritories: true }));

  it("says which promises held, what moved, travel before → after, the target and the certificate", async () => {
    const { page, errors } = app;
    await page.waitForSelector("#figures-panel .optimize-button");
    await page.click("#figures-panel .optimize-button");
    await page.waitForSelector("#optimize-dialog[open] .dialog-run");
    await page.evaluate(() => (window.__TESSERA_NO_HOLD__ = true));
    await page.click("#optimize-dialog .dialog-run");
    await page.waitForSelector("#optimize-dialog .result-explained");
    const text = (sel) => page.textContent(`#optimize-dialog ${sel}`);
    assert.match(await text('[data-promise="tolerance"]'), /✗.*not held: the best plan found/);
    assert.match(await text('[data-promise="contiguity"]'), /✓Every territory in one piece — held/);
    assert.match(await text('[data-fact="target"]'), /Target load 6,006 workload per territory \(3 territories\)/);
    assert.match(await text('[data-fact="moved"]'), /Moved 1 unit of 9 \(11% of the workload\), budget 20%/);
    assert.match(await text('[data-fact="travel"]'), /Travel 100 k workload·km → 120 k workload·km \(\+20%\)/);
    assert.match(await text('[data-fact="certificate"]'), /at most 4\.9% more than the best possible for these territory centers/);
    assert.match(await page.getAttribute('#optimize-dialog [data-fact="travel"]', "title"), /weighted distance/);
    await save(page, "explained-result.png", { doc: true });
    assert.deepEqual(errors, []);
  });

  it("names reps, not ids, when rebalancing selected territories", async () => {
    const { page } = app;
    await page.click("#optimize-dialog .dialog-close");
    await page.click('#figures-panel tr[data-territory="0"]');
    await page.click('#figures-panel tr[data-territory="2"]', { modifiers: ["Control"] });
    await page.click("#figures-panel .rebalance-button");
    await page.waitForSelector("#optimize-dialog[open] .dialog-run");
    const only = await page.textContent("#optimize-dialog .optimize-form");
    assert.match(only, /Only: Dodge City \(R1\), Hays \(R2\)/);
    await page.click("#optimize-dialog .dialog-close");
  });
});

describe("figures a planner can read", () => {
  const app = uiForSuite(gridFixture({ repTerritories: true }));

  it("gives units and tooltips, a legend, no developer text, and the hover follows an edit", async () => {
    const { page, errors } = app;
    await page.waitForSelector("#figures-panel tr[data-territory]");
    assert.match(await page.getAttribute('[data-total="travel"]', "title"), /weighted distance/);
    assert.match(await page.getAttribute('[data-total="cv"]', "title"), /Coefficient of variation of the workload loads/);
    assert.match(await page.getAttribute('#figures-panel tr[data-territory="1"] .fig-load', "title"), /^6,003 workload; target 6,003 workload$/);
    assert.match(await page.textContent("#figures-panel .label-legend"), /outside tolerance/);
    assert.match(await page.textContent("#figures-panel"), /target 6,003 workload/);

    // Hover u11 (Central), make Hays (R2) active with Alt+click on u12, then click u11: the hover says Hays.
    const u12 = await unitPoint(page, 1, 2);
    await page.keyboard.down("Alt");
    await page.mouse.click(u12.x, u12.y);
    await page.keyboard.up("Alt");
    const u11 = await unitPoint(page, 1, 1);
    await page.mouse.move(u11.x, u11.y);
    await page.waitForFunction(() => /Central/.test(document.querySelector("#hover-panel .hover-territory")?.textContent ?? ""));
    await page.mouse.click(u11.x, u11.y);
    await page.waitForFunction(() => /Hays \(R2\)/.test(document.querySelector("#hover-panel .hover-territory")?.textContent ?? ""));
    await save(page, "hover-after-edit.png", { doc: true });
    // The edit is shown as it happened, without the developer's timing line.
    assert.doesNotMatch(await page.textContent("#figures-panel"), /figures in Rust|Last edit applied/);
    assert.deepEqual(errors, []);
  });

  it("warns when an edit splits a territory, marks it, and Not contiguous selects it", async () => {
    const { page } = app;
    // u11 went to Hays: Central (u01, u21) is now in two pieces.
    await page.waitForSelector(".message-warning");
    assert.match(await page.textContent(".message-warning"), /Central is now in 2 pieces/);
    assert.ok(await page.$('#figures-panel tr[data-territory="1"] .warn'), "the row shows ⚠");
    const table = await page.locator("#figures-panel .figures-table").boundingBox();
    await page.click('[data-total="noncontiguous"]');
    await page.waitForSelector('#figures-panel tr.selected[data-territory="1"]');
    // The warning floats over the map: the table did not move.
    const after = await page.locator("#figures-panel .figures-table").boundingBox();
    assert.equal(after.y, table.y);
  });

  it("warns when a rep's home base leaves their territory, marks it, and Undo takes it back", async () => {
    const { page } = app;
    // Make Central active, then give it u00: Dodge City's (R1) home base.
    await page.click('#figures-panel tr[data-territory="1"]');
    const u00 = await unitPoint(page, 0, 0);
    await page.mouse.click(u00.x, u00.y);
    await page.waitForFunction(() => /Dodge City's home base moved out of their territory/.test(document.querySelector(".message-warning")?.textContent ?? ""));
    assert.ok(await page.$('#figures-panel tr[data-territory="0"] .home-away'), "Dodge City's row shows ⌂");
    await save(page, "guard-rail-home-base.png");
    await page.click(".message-warning .message-undo");
    await page.waitForFunction(() => !document.querySelector('#figures-panel tr[data-territory="0"] .home-away'));
  });
});

describe("locks, shortcuts and the right-click menu", () => {
  const app = uiForSuite(gridFixture());

  /** Screenshot pixels in a square around `p` that are the lock hatch's dark red. */
  async function redPixels(page, p, half = 20) {
    const png = await page.screenshot({ type: "png", clip: { x: p.x - half, y: p.y - half, width: 2 * half, height: 2 * half } });
    return page.evaluate(async (dataUrl) => {
      const img = new Image();
      img.src = dataUrl;
      await img.decode();
      const canvas = document.createElement("canvas");
      [canvas.width, canvas.height] = [img.width, img.height];
      const ctx = canvas.getContext("2d");
      ctx.drawImage(img, 0, 0);
      const { data } = ctx.getImageData(0, 0, img.width, img.height);
      let n = 0;
      for (let k = 0; k < data.length; k += 4) if (data[k] > data[k + 1] + 50 && data[k] > data[k + 2] + 50 && data[k + 1] < 120) n++;
      return n;
    }, `data:image/png;base64,${png.toString("base64")}`);
  }

  it("fills a locked unit with a hatch, seen inside it and not only on its outline", async () => {
    const { page } = app;
    // Zoomed out to a national view, where an outline alone is a few pixels.
    await page.evaluate(() => window.__tessera.map.jumpTo({ center: [-98.5, 38.5], zoom: 5 }));
    await page.waitForTimeout(300);
    const p = await unitPoint(page, 1, 0);
    const off = { x: p.x + 4, y: p.y + 10 };
    assert.equal(await redPixels(page, off, 8), 0, "no red before the lock");
    await page.mouse.move(p.x, p.y);
    await page.keyboard.press("l");
    await page.waitForTimeout(500);
    const red = await redPixels(page, off, 8);
    assert.ok(red > 256 * 0.1, `hatch pixels inside the unit: ${red} of 256`);
    await page.keyboard.press("l");
  });

  it("shows a refused edit over the map, without moving the table", async () => {
    const { page } = app;
    await page.waitForSelector("#figures-panel tr[data-territory]");
    const p = await unitPoint(page, 1, 1);
    await page.mouse.move(p.x, p.y);
    await page.keyboard.press("l");
    await page.waitForFunction(() => window.__tessera.store.getState().locked.has(4));
    await page.click('#figures-panel tr[data-territory="2"]');
    // The row click zooms the map to East: find the locked unit again once it settles.
    await page.waitForTimeout(600);
    const q = await unitPoint(page, 1, 1);
    const table = await page.locator("#figures-panel .figures-table").boundingBox();
    await page.mouse.click(q.x, q.y + 25);
    await page.waitForSelector(".message-notice");
    assert.match(await page.textContent(".message-notice"), /1 of these units is locked; unlock it first/);
    const after = await page.locator("#figures-panel .figures-table").boundingBox();
    assert.equal(after.y, table.y, "the table stayed where it was");
    await page.click(".message-notice .message-dismiss");
    await page.waitForSelector("#messages", { state: "hidden" });
    await page.mouse.move(q.x, q.y + 25);
    await page.keyboard.press("l");
    await page.waitForFunction(() => !window.__tessera.store.getState().locked.has(4));
  });

  it("shows the keyboard shortcuts on ?", async () => {
    const { page } = app;
    await page.keyboard.press("?");
    await page.waitForSelector("#shortcuts-sheet[open]");
    const sheet = await page.textContent("#shortcuts-sheet");
    for (const key of ["Ctrl+Z", "Shift+drag", "Ctrl+drag", "L", "F"]) assert.match(sheet, new RegExp(key.replace("+", "\\+")));
    await page.keyboard.press("Escape");
    await page.waitForSelector("#shortcuts-sheet:not([open])", { state: "attached" });
  });

  it("right-click on a unit opens the app's menu: lock, assign to, select its territory", async () => {
    const { page, errors } = app;
    await page.evaluate(() => window.__tessera.map.jumpTo({ center: [-98.5, 38.5], zoom: 6 }));
    await page.waitForTimeout(300);
    const p = await unitPoint(page, 2, 0);
    await page.mouse.move(p.x, p.y);
    await page.mouse.click(p.x, p.y, { button: "right" });
    await page.waitForSelector(".context-menu:not([hidden])");
    const menu = await page.textContent(".context-menu");
    assert.match(menu, /Lock unit/);
    assert.match(menu, /Assign to/);
    assert.match(menu, /Select territory West/);
    await save(page, "context-menu.png");
    await page.click(".context-menu >> text=Central");
    await page.waitForFunction(() => window.__tessera.store.getState().alignment.territoryOf[6] === 1);
    await page.mouse.move(p.x, p.y);
    await page.mouse.click(p.x, p.y, { button: "right" });
    await page.click(".context-menu >> text=Select territory Central");
    await page.waitForSelector('#figures-panel tr.selected[data-territory="1"]');
    assert.deepEqual(errors, []);
  });
});

describe("framing the data that matters", () => {
  // The spiral of points around Wichita, plus one account in Alaska.
  const fixture = pointsFixture();
  fixture.units.features.push({
    type: "Feature",
    properties: { id: "far", accounts: 1 },
    geometry: { type: "Point", coordinates: [-150, 61] },
  });
  fixture.summary.unitCount += 1;
  const app = uiForSuite(fixture, { viewport: { width: 1280, height: 800 } });

  const view = (page) =>
    page.evaluate(() => {
      const b = window.__tessera.map.getBounds();
      return { west: b.getWest(), east: b.getEast(), south: b.getSouth(), north: b.getNorth() };
    });

  it("fits the central data, not the far speck; a resize keeps it framed; fit all shows the speck", async () => {
    const { page } = app;
    // The spiral's own extent (every point but the far one).
    const spiral = fixture.units.features.slice(0, -1).map((f) => f.geometry.coordinates);
    const [w, e] = [Math.min(...spiral.map((c) => c[0])), Math.max(...spiral.map((c) => c[0]))];
    const [s, n] = [Math.min(...spiral.map((c) => c[1])), Math.max(...spiral.map((c) => c[1]))];
    let v = await view(page);
    assert.ok(v.west > -110, `the first view leaves Alaska out: west ${v.west}`);
    assert.ok(v.west <= w && v.east >= e && v.south <= s && v.north >= n, `and shows every Kansas point: ${JSON.stringify(v)}`);
    // A smaller window: MapLibre alone keeps centre and zoom and would crop the data; the map re-frames it.
    await page.setViewportSize({ width: 1000, height: 560 });
    await page.waitForTimeout(400);
    v = await view(page);
    assert.ok(v.west <= w && v.east >= e && v.south <= s && v.north >= n, `resized, still every point: ${JSON.stringify(v)}`);
    await page.click(".fit-all-button");
    await page.waitForTimeout(200);
    v = await view(page);
    assert.ok(v.west < -150 && v.north > 61, `fit all includes Alaska: ${JSON.stringify(v)}`);
  });
});

describe("layout at 1280 × 800", () => {
  // A rep with a long name, whose territory is split below: the name wraps and the ⚠ stays in view.
  const fixture = gridFixture({ repTerritories: true });
  fixture.summary.reps[0].name = "Dodge City and the rest of Ford County, Kansas";
  const app = uiForSuite(fixture, { viewport: { width: 1280, height: 800 } });

  it("shows every column of the figures table and the totals on one line each", async () => {
    const { page } = app;
    await page.waitForSelector("#figures-panel tr[data-territory]");
    await save(page, "layout-1280.png");
    const fits = await page.evaluate(() => {
      const panel = document.querySelector("#figures-panel");
      const units = document.querySelector("#figures-panel th.col-units").getBoundingClientRect();
      const p = panel.getBoundingClientRect();
      const wide = [...panel.querySelectorAll("*")]
        .filter((e) => e.getBoundingClientRect().right > p.right - 12.5)
        .map((e) => `${e.tagName}.${e.className}`);
      return { overflow: panel.scrollWidth - panel.clientWidth, unitsRight: units.right, panelRight: p.right, wide };
    });
    assert.ok(fits.overflow <= 0, `the panel scrolls sideways by ${fits.overflow}px: ${fits.wide}`);
    assert.ok(fits.unitsRight <= fits.panelRight, `Units column ends at ${fits.unitsRight}, panel at ${fits.panelRight}`);
    // One client rect per line of text: a wrapped total has two.
    const lines = await page.$$eval("#figures-panel .totals dd", (dds) =>
      dds.map((d) => {
        const range = document.createRange();
        range.selectNodeContents(d);
        return range.getClientRects().length;
      }),
    );
    assert.ok(lines.every((n) => n === 1), `every total on one line: ${lines}`);
  });

  it("wraps a long rep name instead of cutting it, and keeps the ⚠ of a split territory in view", async () => {
    const { page } = app;
    // Central takes u10, the middle of the long-named rep's column: that territory is now in two pieces.
    await page.click('#figures-panel tr[data-territory="1"]');
    const u10 = await unitPoint(page, 1, 0);
    await page.mouse.click(u10.x, u10.y);
    await page.waitForSelector('#figures-panel tr[data-territory="0"] .warn');
    const box = await page.evaluate(() => {
      const row = document.querySelector('#figures-panel tr[data-territory="0"]');
      const name = row.querySelector(".rep-name");
      const cell = row.querySelector(".fig-name").getBoundingClientRect();
      const warn = row.querySelector(".warn").getBoundingClientRect();
      return { cut: name.scrollWidth - name.clientWidth, text: name.textContent, warnRight: warn.right, cellRight: cell.right, warnWidth: warn.width };
    });
    assert.equal(box.text, "Dodge City and the rest of Ford County, Kansas");
    assert.ok(box.cut <= 0, `the name is cut by ${box.cut}px`);
    assert.ok(box.warnWidth > 0 && box.warnRight <= box.cellRight, `⚠ ends at ${box.warnRight}, its cell at ${box.cellRight}`);
    await save(page, "layout-1280-long-name.png");
  });
});
