// Browser test: the Workbook menu and the "New from CSV" dialog in Debian's headless Chromium, against the
// mocked IPC. The native dialogs are Rust's; the mock answers them with what each step sets in
// `window.__TESSERA_DIALOG__`. Saves ui/tests/screenshots/import-dialog.png (preview and a file/line error),
// import-dialog-progress.png (the progress bar and Cancel while an import runs), import-notes.png (the new
// workbook's import warnings in the side panel) and recent-forget.png.
import { before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdir, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { gridFixture, unitsPreviewFixture } from "./mock-ipc.mjs";
import { screenshot, uiForSuite } from "./harness.mjs";

const screenshotPath = screenshot("import-dialog.png");
const progressShotPath = screenshot("import-dialog-progress.png");
const recentShotPath = screenshot("recent-forget.png");
const notesShotPath = screenshot("import-notes.png");
const IMPORT_WARNINGS = [
  "/data/kansas-counties.csv: 522 links longer than 150 km dropped from the Delaunay adjacency (3 kept because the graph would fall apart without them)",
  '/data/kansas-counties.csv: 2 of the 7 territories in the territory column ("KS-North", "KS-South") match no rep id in /data/reps.csv; a territory belongs to a rep when it is named after the rep\'s id, so these show beside the reps\' own territories',
];
const IMPORT_ERROR = '/data/kansas-counties.csv line 4, column "accounts" (#7): "n/a" is not a number';

describe("workbook menu and import dialog", () => {
  // This test has always collected page errors and blocked requests only, not console errors.
  const app = uiForSuite(gridFixture(), { viewport: { width: 1400, height: 800 }, consoleErrors: false });
  let page;
  let errors;
  before(() => ({ page, errors } = app));

  const argsOf = (cmd) =>
    page.evaluate((c) => window.__TESSERA_IPC_ARGS__.filter((a) => a.cmd === c).map((a) => a.args), cmd);

  it("previews the units, offers the numeric columns, shows an import error and keeps the dialog open", async () => {
    await page.evaluate((units) => {
      window.__TESSERA_DIALOG__ = { units, save: "/work/out/kansas.tessera" };
    }, unitsPreviewFixture());
    await page.click(".workbook-menu .menu-new");
    await page.waitForSelector("#import-dialog[open]");
    assert.equal(await page.$eval("#import-dialog .import-create", (b) => b.disabled), true, "nothing chosen yet");

    await page.click('#import-dialog .import-choose[data-kind="units"]');
    await page.waitForSelector("#import-dialog .import-table");
    const roles = await page.$$eval("#import-dialog .import-roles th", (ths) => ths.map((t) => t.textContent));
    assert.deepEqual(roles, ["id", "name", "text", "longitude", "latitude", "measure", "measure", "measure", "current territory"]);
    assert.equal(await page.$$eval("#import-dialog .import-table tbody tr", (rows) => rows.length), 5);
    assert.match(await page.$eval("#import-dialog .import-summary", (p) => p.textContent), /105 units · 9 columns/);
    const options = await page.$$eval("#import-dialog .import-measure option", (os) => os.map((o) => o.value));
    assert.deepEqual(options, ["workload", "accounts", "potential_usd"], "numeric columns only");
    assert.equal(await page.$eval("#import-dialog .import-measure", (s) => s.value), "workload", "default workload");
    await page.selectOption("#import-dialog .import-measure", "accounts");

    await page.evaluate(() => {
      window.__TESSERA_DIALOG__.reps = { kind: "reps", path: "/data/reps.csv", name: "reps.csv", preview: null };
    });
    await page.click('#import-dialog .import-choose[data-kind="reps"]');
    await page.waitForFunction(() =>
      document.querySelector('#import-dialog .import-file-row[data-kind="reps"] .import-file-name')?.textContent === "reps.csv",
    );

    await page.evaluate((message) => {
      window.__TESSERA_CREATE__ = { error: { kind: "import", message } };
    }, IMPORT_ERROR);
    await page.click("#import-dialog .import-create");
    await page.waitForSelector("#import-dialog .import-error");
    assert.equal(await page.$eval("#import-dialog .import-error", (p) => p.textContent), IMPORT_ERROR);
    assert.equal(await page.$eval("#import-dialog", (d) => d.open), true, "the dialog stays open");
    const [request] = (await argsOf("create_workbook")).map((a) => a.request);
    assert.deepEqual(request, {
      units: "/data/kansas-counties.csv",
      polygons: null,
      reps: "/data/reps.csv",
      adjacency: null,
      balance: "accounts",
      out: "/work/out/kansas.tessera",
    });
    assert.deepEqual(await argsOf("choose_save_path"), [{ suggestedName: "kansas-counties.tessera" }]);

    await mkdir(dirname(screenshotPath), { recursive: true });
    await writeFile(screenshotPath, await page.screenshot({ type: "png" }));
  });

  it("shows the import's stage and progress, and Cancel stops it, writes nothing and keeps the dialog open", async () => {
    await page.evaluate(() => {
      window.__TESSERA_CREATE__ = null;
      window.__TESSERA_HOLD_IMPORT__ = true;
    });
    await page.click("#import-dialog .import-create");
    await page.waitForFunction(
      () => document.querySelector("#import-dialog .import-stage")?.textContent === "Reading units… 10%",
    );
    assert.equal(await page.$eval("#import-dialog .import-progress", (p) => p.value), 0.1);
    assert.equal(await page.$$eval("#import-dialog .import-error", (ps) => ps.length), 0, "the last error is cleared");
    assert.equal(await page.$eval("#import-dialog .import-create", (b) => b.disabled), true, "one import at a time");
    assert.equal(await page.$eval("#import-dialog .import-cancel", (b) => [b.textContent, b.disabled].join()), "Cancel import,false");
    await mkdir(dirname(progressShotPath), { recursive: true });
    await writeFile(progressShotPath, await page.screenshot({ type: "png" }));

    await page.keyboard.press("Escape");
    assert.equal(await page.$eval("#import-dialog", (d) => d.open), true, "Escape does not walk away from a running import");
    await page.click("#import-dialog .import-cancel");
    await page.waitForSelector("#import-dialog .import-notice");
    assert.equal(
      await page.$eval("#import-dialog .import-notice", (p) => p.textContent),
      "Import cancelled; no workbook was written.",
    );
    assert.equal(await page.$eval("#import-dialog", (d) => d.open), true, "the dialog stays open");
    assert.equal(await page.$$eval("#import-dialog .import-progress", (bars) => bars.length), 0, "the bar is gone");
    assert.equal(await page.$eval("#import-dialog .import-create", (b) => b.disabled), false, "ready to try again");
    assert.equal(await page.$eval("#import-dialog .import-measure", (s) => s.value), "accounts", "choices kept");
    assert.equal((await argsOf("cancel_import")).length, 1);
    assert.deepEqual(await argsOf("open_workbook"), [], "nothing opened");
    assert.notEqual(await page.$eval(".workbook-name", (h) => h.textContent), "kansas");
    await page.evaluate(() => {
      window.__TESSERA_HOLD_IMPORT__ = false;
    });
  });

  it("creates the workbook on a second try, opens it and shows the import's warnings until dismissed", async () => {
    await page.evaluate((warnings) => {
      window.__TESSERA_CREATE__ = { warnings };
    }, IMPORT_WARNINGS);
    await page.click("#import-dialog .import-create");
    await page.waitForFunction(() => !document.querySelector("#import-dialog")?.open);
    await page.waitForFunction(() => document.querySelector(".workbook-name")?.textContent === "kansas");
    assert.equal(await page.$eval(".workbook-path", (p) => p.textContent), "/work/out/kansas.tessera");
    assert.deepEqual(await argsOf("open_workbook"), [{ path: "/work/out/kansas.tessera" }]);

    await page.waitForSelector(".import-notes");
    assert.equal(await page.$eval(".import-notes h3", (h) => h.textContent), "Imported with 2 notes");
    assert.deepEqual(await page.$$eval(".import-notes-list li", (lis) => lis.map((li) => li.textContent)), IMPORT_WARNINGS);
    assert.equal(
      await page.$eval(".import-notes", (n) => n.previousElementSibling?.querySelector(".workbook-name")?.textContent),
      "kansas",
      "right under the workbook's name",
    );
    await mkdir(dirname(notesShotPath), { recursive: true });
    await writeFile(notesShotPath, await page.screenshot({ type: "png" }));
    await page.click(".import-notes .import-notes-dismiss");
    await page.waitForFunction(() => document.querySelector(".import-notes") === null);
    assert.equal(await page.$eval(".workbook-name", (h) => h.textContent), "kansas", "the workbook stays open");
  });

  it("lists recent workbooks, greys out missing ones, and opens one", async () => {
    await page.evaluate(() => {
      window.__TESSERA_RECENT__ = [
        { name: "kansas-grid", path: "/fixtures/kansas-grid.tessera", exists: true },
        { name: "old", path: "/gone/old.tessera", exists: false },
      ];
    });
    await page.click(".workbook-menu .menu-recent > summary");
    await page.waitForSelector(".recent-list .recent-button");
    const items = await page.$$eval(".recent-list .recent-button", (bs) => bs.map((b) => [b.textContent, b.disabled]));
    assert.deepEqual(items, [
      ["kansas-grid", false],
      ["old", true],
    ]);
    // Only the missing one can be forgotten; then it leaves the list.
    assert.equal(await page.$$eval(".recent-list .recent-forget", (bs) => bs.length), 1);
    await writeFile(recentShotPath, await page.screenshot({ type: "png", clip: { x: 0, y: 0, width: 420, height: 220 } }));
    await page.click(".recent-list .recent-item.missing .recent-forget");
    await page.waitForFunction(() => document.querySelectorAll(".recent-list .recent-button").length === 1);
    assert.deepEqual(await argsOf("forget_recent"), [{ path: "/gone/old.tessera" }]);
    assert.equal(await page.$eval(".menu-recent", (d) => d.open), true, "the list stays open");
    await page.click(".recent-list .recent-button >> nth=0");
    await page.waitForFunction(() => document.querySelector(".workbook-name")?.textContent === "kansas-grid");
  });

  it("Open… opens what the native dialog chose, and a cancelled dialog changes nothing", async () => {
    await page.evaluate(() => {
      window.__TESSERA_DIALOG__ = {};
    });
    await page.click(".workbook-menu .menu-open");
    await page.waitForFunction(() => window.__TESSERA_IPC_CALLS__.filter((c) => c === "choose_workbook").length === 1);
    assert.equal(await page.$eval(".workbook-name", (h) => h.textContent), "kansas-grid");
    await page.evaluate(() => {
      window.__TESSERA_DIALOG__ = { workbook: "/work/out/kansas.tessera" };
    });
    await page.click(".workbook-menu .menu-open");
    await page.waitForFunction(() => document.querySelector(".workbook-name")?.textContent === "kansas");
    assert.deepEqual(errors, []);
  });
});
