// Browser test: "Explore trade-offs" with caps (issue 14) in headless Chromium against the mocked IPC. The
// Optimize dialog's caps go with the exploration's request as they go with Run's; a front whose plans break a
// cap (the search found none keeping it) says so above the chart, with what the first plan breaks. The front is
// the one `tessera explore` found for the mock's grid (fixtures/explore-front.json); the broken-cap rows are
// written here in the planning service's words, to show how the panel reads them.
import { before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gridFixture } from "./mock-ipc.mjs";
import { screenshot, uiForSuite } from "./harness.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const explored = JSON.parse(readFileSync(join(here, "fixtures/explore-front.json"), "utf8"));
const why =
  "cap:workload: 1 of 3 territories has more than 6004 workload: East has 6006 (2 over) (2 over in all); the best plan found could not keep every cap together with contiguity and ±5%";

describe("explore trade-offs with caps", () => {
  const fixture = gridFixture();
  fixture.explore = {
    ...explored,
    front: explored.front.map((p) => ({ ...p, keepsLimits: false, brokenLimits: [why] })),
    // Searches that dropped children (a cap leaves inherited territories no room more often): the panel gives the
    // planning service's note (workbook/src/planning/run.rs, dropped_note) as it gives a run's notes.
    droppedNote:
      "the genetic search dropped 3 children: inheriting whole territories left some units no territory with room in the allocation (no feasible flow); it went on without them",
  };
  const app = uiForSuite(fixture);
  let page;
  let errors;
  before(() => ({ page, errors } = app));

  it("sends the dialog's caps with the exploration and says when no plan found keeps them", async () => {
    await page.click("#figures-panel .optimize-button");
    await page.waitForSelector("#optimize-dialog[open] .dialog-explore");
    await page.fill('#optimize-dialog input[name="caps"]', "workload:6004");
    await page.click("#optimize-dialog .dialog-explore");
    await page.waitForSelector("#explore-panel:not([hidden]) .explore-progress");
    const sent = await page.evaluate(() => window.__TESSERA_IPC_ARGS__.find((c) => c.cmd === "explore").args);
    assert.deepEqual(sent.request.caps, [{ measure: "workload", value: 6004 }]);
    await page.evaluate(() => window.__TESSERA_RELEASE_OPTIMIZE__());
    await page.waitForSelector("#explore-panel .explore-found");
    assert.equal(
      await page.textContent("#explore-panel .explore-limits"),
      `No plan found keeps every cap, floor and mix band. Plan 1: ${why}`,
    );
    assert.equal(
      await page.textContent("#explore-panel .explore-dropped"),
      "Note: the genetic search dropped 3 children: inheriting whole territories left some units no territory with room in the allocation (no feasible flow); it went on without them.",
    );
    await page.mouse.move(5, 5);
    await page.screenshot({ path: screenshot("explore-limits.png") });
    assert.deepEqual(errors, []);
  });
});
