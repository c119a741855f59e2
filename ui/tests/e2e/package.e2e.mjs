// The installed package's first run: tauri-driver + WebKitWebDriver start the app as installed from the .deb
// (src-tauri/scripts/package-test.sh installs it, starts Xvfb and gives this process a fresh, empty HOME). With no
// workbook named, the first run must copy the bundled sample into ~/Documents/Tessera/ and show that copy on the
// map; a second run must reopen it (the last workbook) without copying again, at the window size the first run
// was left at.
//
// env: TESSERA_APP (the installed tessera-app), TESSERA_SAMPLE (the installed sample, to compare with the copy),
//      HOME (fresh and empty), E2E_SCREENSHOT and E2E_START_SCREENSHOT (optional PNG paths: the first run's
//      window, and its start view).
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { stat } from "node:fs/promises";
import { join } from "node:path";
import { startApp } from "./webdriver.mjs";

const appBinary = process.env.TESSERA_APP;
const installedSample = process.env.TESSERA_SAMPLE;
const home = process.env.HOME;
const copy = join(home, "Documents", "Tessera", "sample.tessera");
const windowState = join(home, ".config", "org.tessera.app", ".window-state.json");
/** The window's outer size after the first run shrank it. */
let resized = null;

/** Polls `check` (async, truthy when done) every 100 ms for up to `ms`. */
async function waitFor(check, what, ms = 15_000) {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** What the window shows once the map is drawn: the open workbook and the figures panel's territory rows. */
async function shown(app) {
  await app.until("return document.querySelector('#map')?.dataset.mapReady === 'true'", "the map to draw", 120_000);
  await app.until("return document.querySelectorAll('#figures-panel tr.figures-row').length > 1", "the territory rows");
  return app.run(`const s = window.__tessera.store.getState();
    return { path: s.workbook?.path, units: s.workbook?.unitCount, drawn: s.units?.features.length,
      rows: document.querySelectorAll('#figures-panel tr.figures-row').length,
      startView: !document.querySelector('.start-view')?.hidden && document.querySelector('.start-view') !== null };`);
}

describe("the installed package on a fresh account", () => {
  it("copies the sample into ~/Documents/Tessera on the first run and shows the copy", async () => {
    assert.ok(appBinary && installedSample, "TESSERA_APP and TESSERA_SAMPLE are set (package-test.sh)");
    await assert.rejects(stat(copy), "the fresh HOME has no copy before the first run");
    const app = await startApp({ application: appBinary, args: [] });
    try {
      const s = await shown(app);
      assert.equal(s.path, copy, "the window shows the copy in the documents folder, not the installed file");
      assert.equal(s.units, 3108, "the sample's 3,108 counties");
      assert.equal(s.drawn, 3108, "all of them on the map");
      assert.equal(s.rows, 25, "one figures row per rep's territory");
      assert.equal(s.startView, false, "no start view over a workbook");
      if (process.env.E2E_SCREENSHOT) await app.screenshot(process.env.E2E_SCREENSHOT);
      // The start view over the workbook (the side panel's Start button), with the recent workbooks.
      await app.run("document.querySelector('.workbook-menu .menu-start').click();");
      await app.until("return document.querySelector('.start-view')?.hidden === false", "the start view");
      await app.until("return document.querySelectorAll('.start-recent .recent-item').length === 1", "the recent list");
      if (process.env.E2E_START_SCREENSHOT) await app.screenshot(process.env.E2E_START_SCREENSHOT);
      await app.run("document.querySelector('.start-close').click();");
      await app.until("return document.querySelector('.start-view')?.hidden === true", "the start view to close");
      // The planner makes the window smaller; the next run must open it at that size.
      await app.wd("POST", "/window/rect", { width: 1000, height: 700 });
      resized = await app.until(
        "return window.outerWidth < 1200 ? [window.outerWidth, window.outerHeight] : null",
        "the window to shrink",
      );
      // The planner quits (SIGTERM, as at logout, quits like closing the window): the app keeps the window's
      // size in its config folder. Ending the WebDriver session would kill it outright, saving nothing.
      const pid = execFileSync("pgrep", ["-g", String(app.proc.pid), "-x", "tessera-app"]).toString().trim();
      assert.match(pid, /^\d+$/, "one tessera-app in the session's process group");
      process.kill(Number(pid), "SIGTERM");
      await waitFor(() => stat(windowState).then(() => true, () => false), "the window's state to be saved");
    } finally {
      await app.end();
    }
    // A workbook of its own (package-test.sh checks the installed sample's hash is unchanged).
    assert.ok((await stat(copy)).size > 0, "the copy is a whole workbook");
  });

  it("reopens the planner's copy on the next run (the last workbook) at the size it was left, without copying the sample again", async () => {
    const before = await stat(copy);
    const app = await startApp({ application: appBinary, args: [] });
    try {
      const s = await shown(app);
      assert.equal(s.path, copy);
      assert.equal(s.units, 3108);
      const size = await app.run("return [window.outerWidth, window.outerHeight];");
      assert.deepEqual(size, resized, "the window opens at the size it was left at");
    } finally {
      await app.end();
    }
    const after = await stat(copy);
    assert.equal(after.ino, before.ino, "the same file: not replaced by a fresh copy of the sample");
  });
});
