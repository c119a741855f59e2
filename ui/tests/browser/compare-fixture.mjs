// The compare view's fixture: the Kansas grid of mock-ipc.mjs with a second scenario, "rebalanced", where unit
// u11 moved from Central to East, and what `compare_scenarios` answers for it, as Rust shapes it (snake_case
// comparison, SVG maps; the maps here are drawn by hand in the workbook's style: 3×3 squares, 60 px each).
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gridFixture } from "./mock-ipc.mjs";

const here = dirname(fileURLToPath(import.meta.url));

const FILL = { West: "#fdb462", Central: "#8dd3c7", East: "#bebada" };

function map(territoryOf, names, title, moved = []) {
  const cells = [];
  territoryOf.forEach((t, i) => {
    const row = Math.floor(i / 3);
    const col = i % 3;
    const x = 10 + col * 60;
    const y = 10 + (2 - row) * 60;
    const isMoved = moved.includes(i);
    const fill = moved.length > 0 || title === "moved" ? (isMoved ? "#e4574f" : "#ffffff") : FILL[names[t]];
    cells.push(
      `<rect x="${x}" y="${y}" width="60" height="60" fill="${fill}" stroke="#334"><title>u${row}${col}${isMoved ? ": Central → East" : ""}</title></rect>`,
    );
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 200" width="200" height="200"><title>${title}</title>${cells.join("")}</svg>`;
}

export function compareFixture() {
  const fixture = gridFixture();
  const names = fixture.alignment.territories;
  const before = fixture.alignment.territoryOf;
  const after = before.map((t, i) => (i === 4 ? 2 : t));
  // The comparison and the charts are what the real `tessera` printed and drew for this grid (a workbook of
  // these 9 units with "rebalanced" made by `tessera scenarios --from-plan`): `tessera compare current
  // rebalanced --out -` and `tessera export --charts` (see fixtures/README.md).
  fixture.compare = {
    comparison: JSON.parse(readFileSync(join(here, "fixtures/compare-comparison.json"), "utf8")),
    maps: [map(before, names, "current"), map(after, names, "rebalanced")],
    diffMaps: [map(after, names, "moved", [4])],
    charts: [
      readFileSync(join(here, "fixtures/compare-travel-balance.svg"), "utf8"),
      readFileSync(join(here, "fixtures/compare-load.svg"), "utf8"),
    ],
    chartNote: null,
  };
  // What `tessera compare … --quota-total 1000000 --quota-measure workload --ramp 0.8` set (fixtures/README.md),
  // answered for exactly that request.
  const rows = readFileSync(join(here, "fixtures/compare-quotas.csv"), "utf8").trim().split("\n").slice(1);
  const quotas = ["current", "rebalanced"].map((scenario) => ({
    scenario,
    rows: rows
      .map((line) => line.split(","))
      .filter((r) => r[0] === scenario)
      .map(([, territory, rep, share, quota, changed, rampQuota]) => ({
        territory,
        rep: rep === "" ? null : rep,
        share: Number(share),
        quota: Number(quota),
        changed: changed === "yes",
        rampQuota: Number(rampQuota),
      })),
  }));
  fixture.compareQuotas = { request: { total: 1000000, potential: "workload", history: null, ramp: 0.8 }, quotas };
  return fixture;
}
