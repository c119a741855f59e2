// End-to-end test of the managers' tools (issue 13) in the real app, under tauri-driver + WebKitWebDriver
// (src-tauri/scripts/e2e.sh starts Xvfb and builds what is needed), on the sample counties with a second
// scenario "balanced" planned by the CLI:
//  1. Export… from the scenario's ⋯ menu: the real GTK Save dialog is answered with xdotool (a path typed into
//     its name field), and the written files are read back independently: the XLSX with Python's zipfile and
//     XML parser, the CSV against `tessera export`'s own, the GeoPackage with GDAL's ogrinfo. A name typed without
//     its extension over an existing file makes Tessera ask; declining leaves the file as it was;
//  2. "New scenario from a file…" with territory polygons missing one territory, chosen in the real GTK Open
//     dialog: the units outside every polygon are listed in the side panel, the same units `tessera scenarios
//     --from-polygons` lists for the same file;
//  3. the compare view on current and balanced: its summary numbers are `tessera compare --out -`'s, and the
//     compare view and its diff map are screenshotted (E2E_DOCS=1: into docs/ for the README).
//
// env: TESSERA_APP, TESSERA_CLI (default ../target/debug/tessera), TAURI_DRIVER; needs xdotool, python3, ogrinfo.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { copyFile, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { sleep, startApp } from "./webdriver.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, "../../..");
const appBinary = resolve(process.env.TESSERA_APP ?? join(repo, "target/debug/tessera-app"));
const cli = resolve(process.env.TESSERA_CLI ?? join(repo, "target/debug/tessera"));
const shot = (app, name) =>
  process.env.E2E_DOCS === "1"
    ? app.screenshot(join(repo, "docs", name))
    : app.screenshot(join(repo, "ui/tests/screenshots", `real-app-${name}`));

const xdotool = (...args) => execFileSync("xdotool", args, { encoding: "utf8" }).trim();

/** The id of the visible X window whose title matches `pattern`, once there is one. */
async function windowNamed(pattern, timeoutMs = 30_000) {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    const found = spawnSync("xdotool", ["search", "--onlyvisible", "--name", pattern], { encoding: "utf8" });
    const ids = found.stdout.trim().split("\n").filter(Boolean);
    if (ids.length > 0) return ids.at(-1);
    await sleep(200);
  }
  throw new Error(`no window named ${pattern} within ${timeoutMs} ms`);
}

/** Whether a visible window's title matches `pattern`. */
const windowShown = (pattern) =>
  spawnSync("xdotool", ["search", "--onlyvisible", "--name", pattern], { encoding: "utf8" }).stdout.trim() !== "";

/**
 * Answers the native Save dialog as a planner does: focus it (Xvfb runs no window manager), select its file name
 * and type `path` over it, then Enter.
 */
async function typeInSaveDialog(path) {
  const id = await windowNamed("^Export scenario");
  // Let GTK finish laying the dialog out and put its focus in the name field.
  await sleep(800);
  xdotool("windowfocus", id);
  await sleep(200);
  xdotool("key", "--clearmodifiers", "ctrl+a");
  xdotool("type", "--delay", "15", path);
  await sleep(200);
  xdotool("key", "Return");
}

/** Answers the native Open dialog titled like `title`: Ctrl+L opens its location field, then the path and Enter. */
async function typeInOpenDialog(title, path) {
  const id = await windowNamed(title);
  await sleep(800);
  xdotool("windowfocus", id);
  await sleep(200);
  xdotool("key", "--clearmodifiers", "ctrl+l");
  await sleep(300);
  xdotool("type", "--delay", "15", path);
  await sleep(300);
  xdotool("key", "Return");
}

/** An XLSX read with Python's standard library alone: sheet names and the rows of `sheet` as text. */
function readXlsx(path, sheet) {
  const script = `
import json, sys, zipfile, xml.etree.ElementTree as ET
ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
      "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships"}
z = zipfile.ZipFile(sys.argv[1])
book = ET.fromstring(z.read("xl/workbook.xml"))
rels = {r.get("Id"): r.get("Target") for r in ET.fromstring(z.read("xl/_rels/workbook.xml.rels"))}
sheets = [(s.get("name"), rels[s.get("{%s}id" % ns["r"])]) for s in book.find("m:sheets", ns)]
shared = []
if "xl/sharedStrings.xml" in z.namelist():
    for si in ET.fromstring(z.read("xl/sharedStrings.xml")).findall("m:si", ns):
        shared.append("".join(t.text or "" for t in si.iter("{%s}t" % ns["m"])))
target = dict(sheets)[sys.argv[2]].lstrip("/")
target = target if target.startswith("xl/") else "xl/" + target
rows = []
for row in ET.fromstring(z.read(target)).iter("{%s}row" % ns["m"]):
    cells = []
    for c in row.findall("m:c", ns):
        v = c.find("m:v", ns)
        if c.get("t") == "s":
            cells.append(shared[int(v.text)])
        elif c.get("t") == "inlineStr":
            cells.append("".join(t.text or "" for t in c.iter("{%s}t" % ns["m"])))
        else:
            cells.append(None if v is None else float(v.text))
    rows.append(cells)
print(json.dumps({"sheets": [n for n, _ in sheets], "rows": rows}))
`;
  return JSON.parse(execFileSync("python3", ["-c", script, path, sheet], { encoding: "utf8", maxBuffer: 64 << 20 }));
}

describe("managers' tools on the sample counties", () => {
  let dir;
  let app;
  let workbook;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "tessera-e2e-managers-"));
    workbook = join(dir, "counties.tessera");
    const data = (f) => join(repo, "sample-data", f);
    execFileSync(
      cli,
      ["import", "--units", data("us-counties.csv"), "--adjacency", data("us-county-adjacency.csv"),
        "--polygons", data("us-counties.geojson"), "--reps", data("reps.csv"), "--out", workbook],
      { stdio: "ignore" },
    );
    // A second scenario; a promise it misses (exit 3) changes nothing here.
    const plan = spawnSync(cli, ["plan", "--workbook", workbook, "--save-as", "balanced", "--restarts", "1", "--seed", "1",
      "--time-limit", "20"], { stdio: "ignore" });
    assert.ok(plan.status === 0 || plan.status === 3, `tessera plan exited ${plan.status}`);
    app = await startApp({ application: appBinary, args: [workbook], env: { TESSERA_WORKBOOK: workbook } });
    await app.until(`return document.querySelector('#map')?.dataset.mapReady === 'true'`, "the map to draw", 120_000);
    await app.until(`return document.querySelector('#side-panel .scenario-item[data-scenario="balanced"]')`, "the scenarios");
  });

  after(async () => {
    await app?.end();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  /** Opens `scenario`'s ⋯ menu, picks `format` and presses Export… (the native dialog opens). */
  const exportFrom = (scenario, format) =>
    app.run(`
      const item = document.querySelector('#side-panel .scenario-item[data-scenario="${scenario}"]');
      item.querySelector('.scenario-actions').open = true;
      const select = item.querySelector('.export-format');
      select.value = '${format}';
      select.dispatchEvent(new Event('change'));
      item.querySelector('.export-button').click();
      return true;`);
  const info = () => app.run("return window.__tessera.store.getState().info");
  const notice = () => app.run("return window.__tessera.store.getState().notice");

  it("exports a scenario through the native Save dialog, read back by independent readers", async () => {
    const xlsx = join(dir, "out", "balanced.xlsx");
    execFileSync("mkdir", ["-p", join(dir, "out")]);
    await exportFrom("balanced", "xlsx");
    await typeInSaveDialog(xlsx);
    const said = await app.until(
      "const s = window.__tessera.store.getState(); return (s.info?.startsWith('Exported') && s.info) || (s.notice && 'notice: ' + s.notice);",
      "the export",
      60_000,
    );
    assert.match(said, /^Exported “balanced” \(Excel workbook, moves against “current”\) to .*balanced\.xlsx: [\d.]+ (kB|MB) in [\d.]+ s\.$/);
    const book = readXlsx(xlsx, "assignments");
    assert.deepEqual(book.sheets, ["summary", "territories", "quotas", "assignments", "moves"]);
    assert.equal(book.rows.length, 3108 + 1, "every county under the header");
    // Each county's territory as `tessera export` gives it for the same scenario.
    const csv = execFileSync(cli, ["export", workbook, "--scenario", "balanced", "--format", "csv", "--out", "-"], {
      encoding: "utf8",
      maxBuffer: 64 << 20,
    });
    const cliRows = csv.trim().split("\n").slice(1).map((l) => l.split(",").slice(0, 2));
    assert.deepEqual(book.rows.slice(1).map((r) => [r[0], r[1]]), cliRows);
    await shot(app, "export-done.png");

    // The CSV, written by the app, is byte for byte the CLI's.
    await exportFrom("balanced", "csv");
    await typeInSaveDialog(join(dir, "out", "balanced.csv"));
    await app.until("return window.__tessera.store.getState().info?.includes('balanced.csv') && window.__tessera.store.getState().info.startsWith('Exported')", "the CSV");
    assert.equal(await readFile(join(dir, "out", "balanced.csv"), "utf8"), csv);

    // The GeoPackage opens in GDAL with every scenario's territories.
    await exportFrom("balanced", "gpkg");
    await typeInSaveDialog(join(dir, "out", "balanced.gpkg"));
    await app.until("return window.__tessera.store.getState().info?.includes('balanced.gpkg') && window.__tessera.store.getState().info.startsWith('Exported')", "the GeoPackage", 120_000);
    const ogr = spawnSync("ogrinfo", ["-ro", "-so", join(dir, "out", "balanced.gpkg"), "territories_balanced"], { encoding: "utf8" });
    assert.equal(ogr.status, 0, ogr.stderr);
    assert.ok(!/warning|error/i.test(ogr.stderr), ogr.stderr);
    const territories = await app.run(
      "return window.__tessera.store.getState().scenarios.find((s) => s.name === 'balanced').territories",
    );
    assert.match(ogr.stdout, new RegExp(`Feature Count: ${territories}\\b`));
    const layers = spawnSync("ogrinfo", ["-ro", "-q", join(dir, "out", "balanced.gpkg")], { encoding: "utf8" }).stdout;
    for (const layer of ["units", "territories_current", "territories_balanced"]) assert.match(layers, new RegExp(`: ${layer} `));
  });

  it("asks before replacing a file whose name got its extension from Tessera, and declining writes nothing", async () => {
    const xlsx = join(dir, "out", "balanced.xlsx");
    const before = await stat(xlsx);
    const said = await info();
    // "balanced" typed, xlsx chosen: the file would be balanced.xlsx, which the Save dialog did not ask about.
    await exportFrom("current", "xlsx");
    await typeInSaveDialog(join(dir, "out", "balanced"));
    const question = await windowNamed("^Replace the existing file");
    xdotool("windowfocus", question);
    await sleep(300);
    xdotool("key", "Escape");
    const end = Date.now() + 10_000;
    while (windowShown("^Replace the existing file") && Date.now() < end) await sleep(200);
    assert.equal(windowShown("^Replace the existing file"), false, "the question closed");
    await sleep(1000);
    const after = await stat(xlsx);
    assert.equal(after.mtimeMs, before.mtimeMs, "the file was not replaced");
    assert.equal(after.size, before.size);
    assert.equal(await info(), said, "no export was said to be written");
    assert.equal(await notice(), null);
  });

  it("makes a scenario from territory polygons chosen in the Open dialog, listing the units outside them", async () => {
    // The balanced territories as polygons, less the first: its counties fall outside every polygon.
    const all = join(dir, "balanced-territories.geojson");
    execFileSync(cli, ["export", workbook, "--scenario", "balanced", "--out", all]);
    const shapes = JSON.parse(await readFile(all, "utf8"));
    const dropped = shapes.features.shift().properties.territory;
    const partial = join(dir, "regions.geojson");
    await writeFile(partial, JSON.stringify(shapes));
    // What the CLI lists for the same file, on a copy of the workbook.
    const copy = join(dir, "copy.tessera");
    await copyFile(workbook, copy);
    const cliRun = spawnSync(cli, ["scenarios", copy, "--from-polygons", partial, "--name", "regions"], { encoding: "utf8" });
    assert.equal(cliRun.status, 0, cliRun.stderr);
    const cliOutside = [...cliRun.stderr.matchAll(/^  unit (\S+) .*nearest "([^"]+)"/gm)].map((m) => [m[1], m[2]]);
    assert.ok(cliOutside.length > 0, `the counties of ${dropped} are outside: ${cliRun.stderr.slice(0, 300)}`);

    await app.run(`
      const box = document.querySelector('#side-panel .scenario-new');
      box.open = true;
      box.querySelector('.scenario-new-name').value = '';
      box.querySelector('.scenario-from-polygons').click();
      return true;`);
    await typeInOpenDialog("^Choose the territory polygons", partial);
    await app.until("return window.__tessera.store.getState().scenario === 'regions'", "the new scenario", 60_000);
    const notes = await app.run("return window.__tessera.store.getState().importNotes");
    assert.match(notes[0], new RegExp(`^${cliOutside.length} of 3108 units fall outside every territory polygon in regions\\.geojson`));
    // The same units the CLI lists, each with the territory it went to (by its rep's name and id).
    const reps = await app.run("return window.__tessera.store.getState().workbook.reps");
    const expected = cliOutside.map(([unit, t]) => {
      const rep = reps.find((r) => r.id === t);
      return `unit ${unit} → ${rep ? `${rep.name} (${t})` : t}, `;
    });
    assert.equal(notes.length - 1, expected.length);
    expected.forEach((e, k) => assert.ok(notes[k + 1].startsWith(e), `${notes[k + 1]} / ${e}`));
    const shown = await app.run("return document.querySelectorAll('#side-panel .import-notes-list li').length");
    assert.equal(shown, notes.length, "listed in the side panel");
    await shot(app, "scenario-from-polygons.png");
    await app.run("document.querySelector('#side-panel .import-notes-dismiss')?.click(); return true;");
  });

  it("compares current with balanced: the numbers are tessera compare's; the view and its diff map as screenshots", async () => {
    await app.run("document.querySelector('button.menu-compare').click(); return true;");
    await app.until("return document.querySelector('#compare-dialog[open] .compare-run')", "the compare dialog");
    await app.run(`
      const [a, b] = document.querySelectorAll('#compare-dialog select.compare-select');
      a.value = 'current'; b.value = 'balanced';
      document.querySelector('#compare-dialog .compare-run').click();
      return true;`);
    await app.until("return document.querySelectorAll('#compare-dialog .compare-summary tbody tr').length === 2", "the comparison", 120_000);
    const rows = await app.run(`return [...document.querySelectorAll('#compare-dialog .compare-summary tbody tr')]
      .map((r) => [...r.children].map((c) => c.textContent));`);
    const json = JSON.parse(execFileSync(cli, ["compare", workbook, "current", "balanced", "--out", "-"], { encoding: "utf8", maxBuffer: 256 << 20 }));
    const pct = (v) => `${(v * 100).toFixed(2)}%`;
    const group = (n) => n.toLocaleString("en-US");
    json.scenarios.forEach((s, k) => {
      const [name, territories, maxDev, cv, , noncontiguous, moved, , changed] = rows[k];
      assert.equal(name, s.scenario);
      assert.equal(territories, group(s.territories));
      assert.equal(maxDev, pct(s.max_dev), `${s.scenario} max deviation`);
      assert.equal(cv, pct(s.cv), `${s.scenario} CV`);
      assert.equal(noncontiguous, group(s.n_noncontiguous));
      assert.equal(moved, group(s.units_moved), `${s.scenario} units moved`);
      assert.equal(changed, group(s.changed_territories.length));
    });
    assert.ok(json.scenarios[1].units_moved > 0, "balanced moved counties");
    console.log(`compare: ${JSON.stringify(rows)}`);
    await sleep(1000);
    await shot(app, "compare-view.png");
    // The diff map: moved counties in red, each with its "unit: from → to".
    const titles = await app.run(`return [...document.querySelectorAll('#compare-dialog .compare-maps figure:nth-child(3) svg title')].length`);
    assert.ok(titles >= json.scenarios[1].units_moved, `${titles} titles for ${json.scenarios[1].units_moved} moves`);
    await app.run("document.querySelector('#compare-dialog .compare-maps').scrollIntoView({ block: 'start' }); return true;");
    await sleep(800);
    await shot(app, "compare-diff-map.png");
  });
});
