// Browser test: Export… (issue 13) in headless Chromium against the mocked IPC. From a scenario's ⋯ menu: the
// format chosen there goes to the native Save dialog (`choose_export_path`), the file it answers to the export
// (`export_scenario_file`), and the message area over the map says what was written where, or why not. From the
// compare view: the export counts moves against the compare view's baseline and carries its quotas.
import { before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { compareFixture } from "./compare-fixture.mjs";
import { screenshot, uiForSuite } from "./harness.mjs";

/** The IPC calls of `cmd` so far, with their arguments. */
const calls = (page, cmd) =>
  page.evaluate((c) => window.__TESSERA_IPC_ARGS__.filter((a) => a.cmd === c).map((a) => a.args), cmd);

describe("Export… from the scenario list", () => {
  const app = uiForSuite(compareFixture());
  let page;
  let errors;
  before(() => ({ page, errors } = app));

  const menu = async (name) => {
    await page.click(`#side-panel .scenario-item[data-scenario="${name}"] .scenario-actions-toggle`);
    return `#side-panel .scenario-item[data-scenario="${name}"] .scenario-actions-box`;
  };

  it("asks the Save dialog for the chosen format, exports to the file it answers and says where", async () => {
    const box = await menu("rebalanced");
    const formats = await page.$$eval(`${box} .export-format option`, (o) => o.map((x) => x.value));
    assert.deepEqual(formats, ["xlsx", "csv", "geojson", "gpkg", "html", "json", "units-geojson"]);
    // The grid has no accounts: no "accounts" choice.
    assert.equal(await page.isVisible(`${box} .export-accounts-label`), false);
    await page.selectOption(`${box} .export-format`, "xlsx");
    await page.evaluate(() => {
      window.__TESSERA_DIALOG__ = {
        export: { path: "/meeting/rebalanced.xlsx", fileName: "rebalanced.xlsx", format: "xlsx" },
      };
    });
    await page.screenshot({ path: screenshot("export-menu.png") });
    await page.click(`${box} .export-button`);
    const info = await page.waitForSelector("#messages .message-info");
    assert.deepEqual(await calls(page, "choose_export_path"), [{ scenario: "rebalanced", format: "xlsx" }]);
    assert.deepEqual(await calls(page, "export_scenario_file"), [
      { request: { accounts: false, scenario: "rebalanced", path: "/meeting/rebalanced.xlsx", format: "xlsx" } },
    ]);
    assert.equal(
      await info.textContent(),
      "Exported “rebalanced” (Excel workbook, moves against “current”) to /meeting/rebalanced.xlsx: 12.3 kB in 0.4 s.Dismiss",
    );
    assert.equal(await page.isVisible(`${box}`), false, "the menu closed for the dialog");
    await page.screenshot({ path: screenshot("export-done.png") });
    await page.click("#messages .message-info .message-dismiss");
    assert.equal(await page.locator("#messages .message-info").count(), 0);
    assert.deepEqual(errors, []);
  });

  it("takes the format the file's extension picks, and exports nothing when the dialog is cancelled", async () => {
    let box = await menu("current");
    await page.selectOption(`${box} .export-format`, "xlsx");
    await page.evaluate(() => {
      // Typed "current.csv" with xlsx chosen: Rust answers the CSV format.
      window.__TESSERA_DIALOG__ = { export: { path: "/meeting/current.csv", fileName: "current.csv", format: "csv" } };
    });
    await page.click(`${box} .export-button`);
    await page.waitForFunction(() => document.querySelector("#messages .message-info")?.textContent.includes("current.csv"));
    const sent = await calls(page, "export_scenario_file");
    assert.equal(sent.at(-1).request.format, "csv");
    assert.match(await page.textContent("#messages .message-info"), /Exported “current” \(Assignment CSV\) to \/meeting\/current.csv/);

    await page.evaluate(() => (window.__TESSERA_DIALOG__ = {}));
    box = await menu("rebalanced");
    await page.click(`${box} .export-button`);
    await page.waitForFunction(() => window.__TESSERA_IPC_ARGS__.filter((a) => a.cmd === "choose_export_path").length === 3);
    await new Promise((r) => setTimeout(r, 100));
    assert.equal((await calls(page, "export_scenario_file")).length, 2, "cancelled: nothing exported");
    assert.deepEqual(errors, []);
  });

  it("says why an export failed, naming the file and the rule, over the map", async () => {
    const box = await menu("rebalanced");
    await page.evaluate(() => {
      window.__TESSERA_DIALOG__ = { export: { path: "/meeting/r.html", fileName: "r.html", format: "html" } };
      window.__TESSERA_EXPORT__ = {
        error: {
          kind: "request",
          message:
            "/meeting/r.html already exists and replacing it was not confirmed; choose Export… again and confirm, or choose another name.",
        },
      };
    });
    await page.selectOption(`${box} .export-format`, "html");
    await page.click(`${box} .export-button`);
    const notice = await page.waitForSelector("#messages .message-notice");
    assert.match(await notice.textContent(), /^Export failed: \/meeting\/r\.html already exists and replacing it was not confirmed/);
    assert.equal(await page.locator("#messages .message-info").count(), 0, "no success said");
    await page.evaluate(() => (window.__TESSERA_EXPORT__ = {}));
    assert.deepEqual(errors, []);
  });
});

describe("Export… from the compare view", () => {
  const app = uiForSuite(compareFixture());
  let page;
  let errors;
  before(() => ({ page, errors } = app));

  it("exports the compared scenario against the compare view's baseline, with its quotas", async () => {
    await page.click("button.menu-compare");
    await page.waitForSelector("#compare-dialog[open]");
    await page.click("#compare-dialog .compare-quota > summary");
    await page.fill("#compare-dialog .compare-quota-total", "1000000");
    await page.fill("#compare-dialog .compare-quota-ramp", "80");
    await page.click("#compare-dialog button.compare-run");
    const row = "#compare-dialog .compare-export-controls";
    await page.waitForSelector(row);
    assert.match(await page.textContent(`${row} .dialog-label`), /Export “rebalanced” against “current”/);
    await page.selectOption(`${row} .export-format`, "html");
    await page.evaluate(() => {
      window.__TESSERA_DIALOG__ = { export: { path: "/meeting/rebalanced.html", fileName: "rebalanced.html", format: "html" } };
    });
    await page.click(`${row} .export-button`);
    await page.waitForSelector("#compare-dialog .compare-export-status:not([hidden])");
    await page.waitForFunction(() => document.querySelector("#compare-dialog .compare-export-status")?.textContent.startsWith("Exported"));
    const sent = await calls(page, "export_scenario_file");
    assert.deepEqual(sent, [
      {
        request: {
          accounts: false,
          baseline: "current",
          quota: { total: 1000000, potential: "workload", history: null, ramp: 0.8 },
          scenario: "rebalanced",
          path: "/meeting/rebalanced.html",
          format: "html",
        },
      },
    ]);
    assert.equal(
      await page.textContent("#compare-dialog .compare-export-status"),
      "Exported “rebalanced” (HTML report, moves against “current”) to /meeting/rebalanced.html: 12.3 kB in 0.4 s.",
    );
    assert.deepEqual(errors, []);
  });
});

describe("Export… down to accounts", () => {
  // A measure named "accounts" is a units file's own column, not an account table: only the backend's count of
  // the team's accounts offers the choice (once, a workbook without accounts showed it and the export failed).
  const fixture = compareFixture();
  const app = uiForSuite({
    ...fixture,
    summary: { ...fixture.summary, measures: [...fixture.summary.measures, "accounts"], accountCount: 3 },
  });
  let page;
  let errors;
  before(() => ({ page, errors } = app));

  it("offers the accounts level for CSV and Excel when the team has accounts, and sends the choice", async () => {
    await page.click('#side-panel .scenario-item[data-scenario="rebalanced"] .scenario-actions-toggle');
    const box = '#side-panel .scenario-item[data-scenario="rebalanced"] .scenario-actions-box';
    assert.equal(await page.isVisible(`${box} .export-accounts-label`), true);
    await page.selectOption(`${box} .export-format`, "geojson");
    assert.equal(await page.isDisabled(`${box} .export-accounts`), true, "no accounts level for territory polygons");
    await page.selectOption(`${box} .export-format`, "csv");
    await page.check(`${box} .export-accounts`);
    await page.evaluate(() => {
      window.__TESSERA_DIALOG__ = { export: { path: "/meeting/accounts.csv", fileName: "accounts.csv", format: "csv" } };
    });
    await page.click(`${box} .export-button`);
    await page.waitForSelector("#messages .message-info");
    const sent = await calls(page, "export_scenario_file");
    assert.deepEqual(sent.map((a) => a.request.accounts), [true]);
    assert.deepEqual(errors, []);
  });
});

describe("Export… with a measure named accounts and no account table", () => {
  const fixture = compareFixture();
  const app = uiForSuite({ ...fixture, summary: { ...fixture.summary, measures: [...fixture.summary.measures, "accounts"] } });
  let page;
  before(() => ({ page } = app));

  it("does not offer the accounts level", async () => {
    await page.click('#side-panel .scenario-item[data-scenario="rebalanced"] .scenario-actions-toggle');
    const box = '#side-panel .scenario-item[data-scenario="rebalanced"] .scenario-actions-box';
    await page.waitForSelector(`${box} .export-format`);
    assert.equal(await page.isVisible(`${box} .export-accounts-label`), false);
  });
});

describe("New scenario from a file…", () => {
  const app = uiForSuite(compareFixture());
  let page;
  let errors;
  before(() => ({ page, errors } = app));

  it("makes a scenario from territory polygons chosen in the Open dialog and lists the units outside them", async () => {
    await page.click("#side-panel .scenario-new > summary");
    await page.fill("#side-panel .scenario-new-name", "regions");
    await page.fill("#side-panel .scenario-new-property", "region");
    await page.evaluate(() => {
      window.__TESSERA_DIALOG__ = { scenarioFile: { kind: "polygons", path: "/data/regions.geojson", fileName: "regions.geojson" } };
      window.__TESSERA_NEW_SCENARIO__ = {
        outside: [
          { unit: "u22", nearest: "East", distanceDeg: 0.25 },
          { unit: "u02", nearest: "East", distanceDeg: 1.5 },
        ],
      };
    });
    await page.screenshot({ path: screenshot("scenario-from-file.png") });
    await page.click("#side-panel .scenario-from-polygons");
    await page.waitForSelector('#side-panel .scenario-item.working[data-scenario="regions"]');
    assert.deepEqual(await calls(page, "choose_scenario_file"), [{ kind: "polygons" }]);
    assert.deepEqual(await calls(page, "new_scenario_from_file"), [
      { request: { kind: "polygons", path: "/data/regions.geojson", name: "regions", property: "region" } },
    ]);
    const notes = await page.$$eval("#side-panel .import-notes-list li", (l) => l.map((x) => x.textContent));
    assert.deepEqual(notes, [
      "2 of 9 units fall outside every territory polygon in regions.geojson; each was given to the nearest territory:",
      "unit u22 → East, 0.2500° away",
      "unit u02 → East, 1.5000° away",
    ]);
    assert.match(
      await page.textContent("#messages .message-info"),
      /^Scenario “regions” made from regions.geojson: 3 territories, 2 units outside every polygon \(listed in the side panel\)\./,
    );
    await page.screenshot({ path: screenshot("scenario-from-file-outside.png") });
    assert.deepEqual(errors, []);
  });

  it("says why a file is refused, and keeps a name in use", async () => {
    await page.click("#side-panel .scenario-new > summary");
    await page.fill("#side-panel .scenario-new-name", "");
    await page.evaluate(() => {
      window.__TESSERA_DIALOG__ = { scenarioFile: { kind: "plan", path: "/data/bad.csv", fileName: "bad.csv" } };
      window.__TESSERA_NEW_SCENARIO__ = {
        error: { kind: "import", message: "/data/bad.csv line 3, column 1: unit \"zz\" is not in the workbook" },
      };
    });
    await page.click("#side-panel .scenario-from-plan");
    const notice = await page.waitForSelector("#messages .message-notice");
    assert.match(await notice.textContent(), /^\/data\/bad\.csv line 3, column 1: unit "zz" is not in the workbook/);
    await page.evaluate(() => (window.__TESSERA_NEW_SCENARIO__ = {}));
    await page.click("#side-panel .scenario-new > summary");
    await page.fill("#side-panel .scenario-new-name", "rebalanced");
    await page.click("#side-panel .scenario-from-plan");
    await page.waitForFunction(() => document.querySelector("#messages .message-notice")?.textContent.includes("exists already"));
    const listed = await page.$$eval("#side-panel .scenario-item", (items) => items.map((i) => i.dataset.scenario));
    assert.deepEqual(listed.filter((n) => n === "rebalanced").length, 1);
    assert.deepEqual(errors, []);
  });
});
