// Browser test: named accounts in the figures panel. A territory with accounts named to it (whatever their unit)
// shows their number (★N) with an explanation; one without shows no mark.
import { before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { gridFixture } from "./mock-ipc.mjs";
import { screenshot, uiForSuite } from "./harness.mjs";

describe("named accounts in the figures panel", () => {
  const app = uiForSuite({ ...gridFixture(), namedAccounts: { West: 3 } });
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
});
