// Open-to-drawn of two builds of the real app, alternated run by run in one sitting, so the machine's load
// (shared, noisy) falls on both alike: each pair is one open with `--before` and one with `--after` (the order
// alternating between pairs), each through app-open-time.mjs --runs 1 --json. Prints each build's phases,
// median (min–max) in ms, and the ratio after / before of open → drawn pair by pair. Not a test: nothing asserts.
//
//   DISPLAY=:N node bench/app/paired-open.mjs --before APP --after APP [--workbook W] [--pairs 5]
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { fmt, stats } from "./browser.mjs";
import { repo } from "./datasets.mjs";

const { values: opts } = parseArgs({
  options: {
    before: { type: "string" },
    after: { type: "string" },
    workbook: { type: "string", default: join(repo, "sample-data/us-counties.tessera") },
    pairs: { type: "string", default: "5" },
  },
});
if (!opts.before || !opts.after) throw new Error("usage: paired-open.mjs --before APP --after APP [--workbook W] [--pairs N]");

/** One open with `app`: its run record from app-open-time.mjs. */
function openOnce(app) {
  const out = execFileSync(
    "node",
    [join(repo, "bench/app/app-open-time.mjs"), "--app", app, "--workbook", opts.workbook, "--runs", "1", "--json"],
    { encoding: "utf8", maxBuffer: 1 << 26 },
  );
  return JSON.parse(out)[0];
}

const runs = { before: [], after: [] };
for (let i = 0; i < Number(opts.pairs); i++) {
  const order = i % 2 === 0 ? ["before", "after"] : ["after", "before"];
  for (const build of order) runs[build].push(openOnce(opts[build]));
  const drawn = (r) => r.marks.drawn - r.marks.open;
  console.error(`pair ${i + 1}: before ${drawn(runs.before[i]).toFixed(0)} ms, after ${drawn(runs.after[i]).toFixed(0)} ms`);
}

const m = (r, a, b) => (r.marks[b] ?? NaN) - (r.marks[a] ?? NaN);
const rows = [
  ["open → units arrived (all IPC)", (r) => m(r, "open", "arrived")],
  ["arrived → meshes handed to the map", (r) => m(r, "arrived", "units-sent")],
  ["handed → labels placed", (r) => m(r, "units-sent", "labels")],
  ["labels → idle (drawn)", (r) => m(r, "labels", "drawn")],
  ["OPEN → DRAWN", (r) => m(r, "open", "drawn")],
  ["process start → drawn", (r) => r.timeOrigin + r.marks.drawn - r.started],
];
console.log(`${opts.workbook.replace(`${repo}/`, "")}, ${opts.pairs} pairs; ms median (min–max)`);
console.log(`${"".padEnd(40)} ${"before".padEnd(22)} after`);
for (const [label, f] of rows) {
  console.log(`${label.padEnd(40)} ${fmt(stats(runs.before.map(f))).padEnd(22)} ${fmt(stats(runs.after.map(f)))}`);
}
console.log("(in builds before 3 Dec 2026 the middle rows span other steps: 'units-sent' was the tile source added)");
const ratios = runs.after.map((r, i) => m(r, "open", "drawn") / m(runs.before[i], "open", "drawn"));
console.log(`${"open → drawn, after / before (paired)".padEnd(40)} ${fmt(stats(ratios), 2)}`);
