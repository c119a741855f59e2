// What every browser test shares: Debian's headless Chromium on the built UI (ui/dist, served from loopback),
// with the mocked IPC answering from a fixture, every request outside our own server blocked and reported, and
// page errors collected so a test can assert there were none.
import { after, before } from "node:test";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { serve } from "./static-server.mjs";
import { installMockIpc } from "./mock-ipc.mjs";

const here = dirname(fileURLToPath(import.meta.url));

/** The built UI (`npx vite build` writes it). */
export const DIST = resolve(here, "../../dist");

/** Where the tests write their screenshots: `screenshot("map-points.png")` is ui/tests/screenshots/map-points.png. */
export const screenshot = (name) => resolve(here, "../screenshots", name);

/** The Chromium binary: Debian's, unless CHROMIUM_PATH names another. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/**
 * Chromium flags for a closed network and a root user (see README, development), plus software WebGL
 * (SwiftShader), which headless Chromium without a GPU needs to draw the map.
 */
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--enable-unsafe-swiftshader",
];

/** The default window size of the tests. */
export const VIEWPORT = { width: 1500, height: 760 };

/**
 * Starts Chromium on the built UI with `fixture` behind the mocked IPC (mock-ipc.mjs) and, unless
 * `waitForMap` is false, waits until the map has drawn (`#map[data-map-ready="true"]`).
 *
 * Resolves to `{ page, errors, server, close }`: `errors` collects uncaught page errors, blocked requests and,
 * unless `consoleErrors` is false, console errors; `close()` closes the browser and the server and removes the
 * temporary profile. If starting fails, whatever was started is closed before the error is rethrown.
 */
export async function openUi(fixture, { viewport = VIEWPORT, waitForMap = true, consoleErrors = true } = {}) {
  const server = await serve(DIST);
  let context;
  let userDataDir;
  const close = async () => {
    await context?.close();
    await server.close();
    if (userDataDir) await rm(userDataDir, { recursive: true, force: true });
  };
  try {
    userDataDir = await mkdtemp(join(tmpdir(), "tessera-chromium-"));
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport,
    });
    const page = context.pages()[0] ?? (await context.newPage());
    const errors = [];
    page.on("pageerror", (e) => errors.push(String(e)));
    if (consoleErrors) {
      page.on("console", (m) => {
        if (m.type() === "error") errors.push(m.text());
      });
    }
    // Anything not served by our own server would break the "offline" promise: block and report it.
    await page.route("**/*", (route) => {
      if (route.request().url().startsWith(server.url)) return route.continue();
      errors.push(`blocked request to ${route.request().url()}`);
      return route.abort("blockedbyclient");
    });
    await page.addInitScript(installMockIpc, fixture);
    await page.goto(server.url);
    if (waitForMap) await page.waitForSelector('#map[data-map-ready="true"]', { timeout: 30_000 });
    return { page, errors, server, close };
  } catch (e) {
    await close().catch(() => {});
    throw e;
  }
}

/**
 * For a `describe` block: opens the UI (as `openUi`) before the block's tests and closes it after them. Returns
 * an object that holds `page`, `errors`, `server` and `close` once the block's `before` hooks have run, so one
 * browser serves every test of the block, in order.
 */
export function uiForSuite(fixture, options) {
  const ui = {};
  before(async () => {
    Object.assign(ui, await openUi(fixture, options));
  });
  after(async () => {
    await ui.close?.();
  });
  return ui;
}
