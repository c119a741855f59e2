import { describe, expect, it } from "vitest";
import { borderPieces, isTerritoryBorder } from "../../src/map/territoryBorders";
import { gridWorkbook } from "./fixtures";

describe("territory borders", () => {
  it("splits outlines into pieces by the units on either side", () => {
    // a b on the bottom row, c d on top; West {a, c}, East {b, d}.
    const pieces = borderPieces(gridWorkbook().units);
    const shared = pieces.filter((p) => p.b >= 0).map((p) => [p.a, p.b]);
    expect(shared.sort()).toEqual([
      [0, 1],
      [0, 2],
      [1, 3],
      [2, 3],
    ]);
    // Each unit has two outer sides, chained into one line per unit where they continue each other.
    const outer = pieces.filter((p) => p.b < 0);
    expect(outer.map((p) => p.a).sort()).toEqual([0, 1, 2, 3]);
    expect(outer.every((p) => p.lines.reduce((n, l) => n + l.length - 1, 0) === 2)).toBe(true);
  });

  it("marks pieces between territories, and outer edges, as territory borders", () => {
    const pieces = borderPieces(gridWorkbook().units);
    const between = (a: number, b: number, of: number[]): boolean =>
      isTerritoryBorder(pieces.find((p) => p.a === a && p.b === b) ?? { a, b, lines: [] }, of);
    expect(between(0, 1, [0, 1, 0, 1])).toBe(true);
    expect(between(0, 2, [0, 1, 0, 1])).toBe(false);
    // After giving b to West, a–b is inside West and b–d becomes the border.
    expect(between(0, 1, [0, 0, 0, 1])).toBe(false);
    expect(between(1, 3, [0, 0, 0, 1])).toBe(true);
    expect(pieces.filter((p) => p.b < 0).every((p) => isTerritoryBorder(p, [0, 1, 0, 1]))).toBe(true);
  });
});
