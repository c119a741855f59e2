// A small W3C WebDriver client for driving the real desktop app through tauri-driver (which forwards to Debian's
// WebKitWebDriver). Plain HTTP with fetch: no client library. Used by the end-to-end test (app.e2e.mjs) and by
// the app benchmarks (bench/app/).
//
// Usage (under an X display, e.g. from src-tauri/scripts/e2e.sh):
//
//   import { startApp } from "../../ui/tests/e2e/webdriver.mjs";
//   const app = await startApp({ application: "target/debug/tessera-app", args: [workbookPath] });
//   try {
//     await app.until("return document.querySelector('#map')?.dataset.mapReady === 'true'", "the map");
//     const n = await app.run("return arguments[0] + 1", 41);           // 42
//     await app.pointer([["move", 100, 100], ["click", 120, 100]]);      // viewport pixels
//     await app.keys(["\uE009", "z"]);                                   // Ctrl+Z
//     await app.screenshot("out.png");
//   } finally {
//     await app.end();                                                   // ends the session, stops tauri-driver
//   }
//
// tauri-driver and its native driver listen on free ports picked per session, so several sessions (or a test
// and a benchmark) can run at once on one display.
import { spawn } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { resolve } from "node:path";

/** Key values for `keys()` (W3C WebDriver code points). */
export const Key = Object.freeze({
  Control: "\uE009",
  Alt: "\uE00A",
  Shift: "\uE008",
  Meta: "\uE03D",
  Escape: "\uE00C",
  Enter: "\uE007",
  Backspace: "\uE003",
  Delete: "\uE017",
});

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** A TCP port that was free a moment ago (the OS picks it). */
export function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

/**
 * Starts tauri-driver and a WebDriver session on the app binary `application` with command-line `args`.
 * `env` is added to the app's environment (tauri-driver passes its own environment on). `driver` is the
 * tauri-driver binary (default: $TAURI_DRIVER or `tauri-driver` on PATH). Returns a {@link Session}.
 * Throws (after stopping tauri-driver) if the session cannot be created within `timeoutMs`.
 */
export async function startApp({ application, args = [], env = {}, driver, timeoutMs = 30_000, quiet = false }) {
  const port = await freePort();
  const nativePort = await freePort();
  // tauri-driver leads its own process group (WebKitWebDriver and the app join it), so end() can stop all
  // three by the group's id even if the app outlives the session. Its output is piped through this process
  // rather than inherited: an orphan holding an inherited stdout would keep node's test runner waiting forever.
  const proc = spawn(
    driver ?? process.env.TAURI_DRIVER ?? "tauri-driver",
    ["--port", String(port), "--native-port", String(nativePort)],
    { stdio: ["ignore", "pipe", "pipe"], detached: true, env: { ...process.env, ...env } },
  );
  for (const stream of [proc.stdout, proc.stderr]) {
    if (quiet) stream.resume();
    else stream.pipe(process.stderr, { end: false });
  }
  const exited = new Promise((r) => proc.once("exit", (code, signal) => r({ code, signal })));
  // If this process exits without end() (an uncaught error), the group must not outlive it.
  const onExit = () => killGroup(proc, "SIGKILL");
  process.once("exit", onExit);
  proc.once("exit", () => process.off("exit", onExit));
  const spawnError = new Promise((_, reject) => proc.once("error", reject));
  const base = `http://127.0.0.1:${port}`;
  try {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const up = await Promise.race([
        fetch(`${base}/status`).then((r) => r.ok, () => false),
        spawnError,
        exited.then(({ code, signal }) => {
          throw new Error(`tauri-driver exited early (code ${code}, signal ${signal})`);
        }),
      ]);
      if (up) break;
      if (Date.now() > end) throw new Error(`tauri-driver did not answer on port ${port} within ${timeoutMs} ms`);
      await sleep(100);
    }
    const created = await request(base, "POST", "/session", {
      capabilities: { alwaysMatch: { "tauri:options": { application: resolve(application), args } } },
    });
    return new Session(base, created.sessionId, proc, exited);
  } catch (e) {
    await stopGroup(proc, exited);
    throw e;
  }
}

/** Sends `signal` to the process group `proc` leads (see startApp); false if it is already gone. */
function killGroup(proc, signal) {
  try {
    process.kill(-proc.pid, signal);
    return true;
  } catch {
    return false;
  }
}

/**
 * Stops tauri-driver, WebKitWebDriver and the app: SIGTERM to the group (tauri-driver stops its driver on it),
 * SIGKILL to whatever is left after 3 s, then closes the output pipes.
 */
async function stopGroup(proc, exited) {
  if (killGroup(proc, "SIGTERM")) {
    await Promise.race([exited, sleep(3000)]);
    // The leader may be gone while others in its group linger: the group id stays valid until all have left.
    await sleep(200);
    killGroup(proc, "SIGKILL");
  }
  proc.stdout?.destroy();
  proc.stderr?.destroy();
}

async function request(base, method, path, body) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error(`${method} ${path}: HTTP ${res.status}: ${text.slice(0, 200)}`);
  }
  if (!res.ok) throw new Error(`${method} ${path}: ${JSON.stringify(json.value)}`);
  return json.value;
}

/** One WebDriver session on the app; made by {@link startApp}. */
export class Session {
  constructor(base, id, proc, exited) {
    this.base = base;
    this.id = id;
    this.proc = proc;
    this.exited = exited;
  }

  /** A raw WebDriver command on this session, e.g. `wd("GET", "/title")`. */
  wd(method, path = "", body) {
    return request(this.base, method, `/session/${this.id}${path}`, body);
  }

  /** Runs `script` (a function body; `arguments[i]` are `args`) in the window and returns its value. */
  run(script, ...args) {
    return this.wd("POST", "/execute/sync", { script, args });
  }

  /**
   * Runs an async script: `script` is the body of an async function whose return value is the result (its
   * arguments are `args`). Rejections come back as thrown errors.
   */
  async runAsync(script, ...args) {
    const out = await this.wd("POST", "/execute/async", {
      script: `const done = arguments[arguments.length - 1];
        (async function () { ${script} }).apply(null, Array.prototype.slice.call(arguments, 0, -1))
          .then((value) => done({ value }), (e) => done({ error: String(e && e.stack || e) }));`,
      args,
    });
    if (out && out.error !== undefined) throw new Error(`script failed: ${out.error}`);
    return out?.value;
  }

  /** Polls `script` every `intervalMs` until it returns a truthy value, and returns it; throws after the timeout. */
  async until(script, what, timeoutMs = 60_000, intervalMs = 250) {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const v = await this.run(script).catch(() => null);
      if (v) return v;
      if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
      await sleep(intervalMs);
    }
  }

  /**
   * Mouse actions in viewport pixels: `steps` of [type, x, y] with type 'move', 'click', 'altclick',
   * 'down' or 'up' (left button), performed in order as one action chain.
   */
  async pointer(steps) {
    const keys = [];
    const mouse = [];
    const both = (k, m) => {
      keys.push(k ?? { type: "pause", duration: 0 });
      mouse.push(m ?? { type: "pause", duration: 0 });
    };
    for (const [type, x, y] of steps) {
      both(null, { type: "pointerMove", duration: 0, x: Math.round(x), y: Math.round(y), origin: "viewport" });
      if (type === "altclick") both({ type: "keyDown", value: Key.Alt }, null);
      if (type === "click" || type === "altclick" || type === "down") both(null, { type: "pointerDown", button: 0 });
      if (type === "click" || type === "altclick" || type === "up") both(null, { type: "pointerUp", button: 0 });
      if (type === "altclick") both({ type: "keyUp", value: Key.Alt }, null);
    }
    await this.wd("POST", "/actions", {
      actions: [
        { type: "key", id: "keyboard", actions: keys },
        { type: "pointer", id: "mouse", parameters: { pointerType: "mouse" }, actions: mouse },
      ],
    });
    await this.wd("DELETE", "/actions");
  }

  /** Presses the keys of `chord` together and releases them, e.g. `[Key.Control, "z"]`. */
  async keys(chord) {
    const down = chord.map((value) => ({ type: "keyDown", value }));
    const up = [...chord].reverse().map((value) => ({ type: "keyUp", value }));
    await this.wd("POST", "/actions", { actions: [{ type: "key", id: "kb", actions: [...down, ...up] }] });
  }

  /** Takes a screenshot of the window; writes it to `path` if given and returns the PNG bytes. */
  async screenshot(path) {
    const png = Buffer.from(await this.wd("GET", "/screenshot"), "base64");
    if (path) await writeFile(path, png);
    return png;
  }

  /** Ends the session (closing the app) and stops tauri-driver and everything it started. Safe to call twice. */
  async end() {
    if (this.id) {
      const id = this.id;
      this.id = null;
      await request(this.base, "DELETE", `/session/${id}`).catch(() => {});
    }
    await stopGroup(this.proc, this.exited);
  }
}
