// Browser test: the start view and About in Debian's headless Chromium, against the mocked IPC, when start-up
// opened no workbook. Saves ui/tests/screenshots/start-view.png and about-dialog.png.
import { before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { gridFixture } from "./mock-ipc.mjs";
import { screenshot, uiForSuite } from "./harness.mjs";

const RECENT = [
  { path: "/home/p/Documents/Tessera/sample.tessera", name: "sample", exists: true },
  { path: "/home/p/Documents/west-2027.tessera", name: "west-2027", exists: true },
  { path: "/media/usb/old-plan.tessera", name: "old-plan", exists: false },
];

describe("start view and About", () => {
  const app = uiForSuite(
    { ...gridFixture(), startEmpty: true, recent: RECENT },
    { viewport: { width: 1280, height: 800 }, waitForMap: false },
  );
  let page;
  let errors;
  before(() => ({ page, errors } = app));
  const calls = () => page.evaluate(() => window.__TESSERA_IPC_CALLS__);

  it("covers the map when no workbook is open: the sample, open, new from CSV, recent, how it works", async () => {
    await page.waitForSelector(".start-view:not([hidden])");
    const labels = await page.$$eval(".start-action .start-action-label", (s) => s.map((x) => x.textContent));
    assert.deepEqual(labels, ["Open the sample", "Open a workbook…", "New from CSV…"]);
    await page.waitForSelector(".start-recent .recent-item");
    const recent = await page.$$eval(".start-recent .recent-button", (bs) => bs.map((b) => [b.textContent, b.disabled]));
    assert.deepEqual(recent, [["sample", false], ["west-2027", false], ["old-plan", true]], "a gone one is greyed");
    assert.equal(await page.$$eval(".start-how li", (li) => li.length), 3);
    assert.equal(await page.$eval(".start-close", (b) => b.hidden), true, "nothing to go back to");
    await page.screenshot({ path: screenshot("start-view.png") });
  });

  it("About shows the version from the backend and the data's attributions", async () => {
    await page.click(".start-about");
    await page.waitForSelector("#about-dialog[open]");
    await page.waitForFunction(() => document.querySelector(".about-version")?.textContent.startsWith("Version 0.1.0"));
    const text = await page.$eval("#about-dialog", (d) => d.textContent);
    assert.match(text, /GeoNames \(CC-BY 4\.0/);
    assert.match(text, /US Census Bureau/);
    assert.match(text, /MapLibre GL JS \d+\.\d+/);
    await page.screenshot({ path: screenshot("about-dialog.png") });
    await page.click("#about-dialog .about-close");
    assert.equal(await page.$eval("#about-dialog", (d) => d.open), false);
  });

  it("opens the sample, hides the view once the map is drawn, and the Start button brings it back", async () => {
    await page.click(".start-sample");
    await page.waitForSelector('#map[data-map-ready="true"]', { timeout: 30_000 });
    await page.waitForSelector(".start-view[hidden]", { state: "attached" });
    assert.ok((await calls()).includes("open_sample"));
    assert.equal(await page.$eval(".workbook-name", (h) => h.textContent), "kansas-grid");

    await page.click(".workbook-menu .menu-start");
    await page.waitForSelector(".start-view:not([hidden])");
    assert.equal(await page.$eval(".start-close", (b) => b.hidden), false, "back to the workbook");
    await page.click(".start-close");
    await page.waitForSelector(".start-view[hidden]", { state: "attached" });
    assert.deepEqual(errors, []);
  });
});
