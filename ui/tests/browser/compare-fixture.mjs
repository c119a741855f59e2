// The compare view's fixture: the Kansas grid of mock-ipc.mjs with a second scenario, "rebalanced", where unit
// u11 moved from Central to East, and what `compare_scenarios` answers for it, as Rust shapes it (snake_case
// comparison, SVG maps; the maps here are drawn by hand in the workbook's style: 3×3 squares, 60 px each).
import { gridFixture } from "./mock-ipc.mjs";

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
  const pair = (b, a) => ({ before: b, after: a });
  fixture.compare = {
    comparison: {
      measure: "workload",
      measures: ["workload"],
      travel_unit: "workload·km",
      scenarios: [
        { scenario: "current", territories: 3, max_dev: 0.0, cv: 0.0, travel: 2.1e6, n_noncontiguous: 0, units_moved: 0, moved: [0], changed_territories: [] },
        { scenario: "rebalanced", territories: 3, max_dev: 0.3333, cv: 0.27, travel: 2.4e6, n_noncontiguous: 0, units_moved: 1, moved: [2001], changed_territories: ["Central", "East"] },
      ],
      territories: [
        { scenario: "rebalanced", territory: "Central", rep: null, units: pair(3, 2), loads: [pair(6003, 4002)], travel: pair(7e5, 5e5), deviation: pair(0, -0.3333), gained: 0, lost: 1 },
        { scenario: "rebalanced", territory: "East", rep: null, units: pair(3, 4), loads: [pair(6006, 8007)], travel: pair(7e5, 1.1e6), deviation: pair(0, 0.3333), gained: 1, lost: 0 },
        { scenario: "rebalanced", territory: "West", rep: null, units: pair(3, 3), loads: [pair(6000, 6000)], travel: pair(7e5, 7e5), deviation: pair(0, 0), gained: 0, lost: 0 },
      ],
      moves: [{ scenario: "rebalanced", unit: "u11", from: "Central", from_rep: null, to: "East", to_rep: null, values: [2001] }],
    },
    maps: [map(before, names, "current"), map(after, names, "rebalanced")],
    diffMaps: [map(after, names, "moved", [4])],
  };
  return fixture;
}
