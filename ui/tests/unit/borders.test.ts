import { describe, expect, it } from "vitest";
import { isTerritoryBorder, unitSegments } from "../../src/map/territoryBorders";
import { gridWorkbook } from "./fixtures";

describe("territory borders", () => {
  it("finds every outline segment once, with the units on either side", () => {
    // a b on the bottom row, c d on top; each a 1° square.
    const { count, ends, sides } = unitSegments(gridWorkbook().units);
    // 4 shared sides + 8 outer sides.
    expect(count).toBe(12);
    const pairs: string[] = [];
    for (let k = 0; k < count; k++) pairs.push(`${sides[2 * k]},${sides[2 * k + 1]}`);
    expect(pairs.filter((p) => !p.endsWith(",-1")).sort()).toEqual(["0,1", "0,2", "1,3", "2,3"]);
    // Each unit has two outer sides.
    expect(pairs.filter((p) => p.endsWith(",-1")).sort()).toEqual(["0,-1", "0,-1", "1,-1", "1,-1", "2,-1", "2,-1", "3,-1", "3,-1"]);
    // Every segment is a unit-long side of the grid.
    for (let k = 0; k < count; k++) {
      const length = Math.hypot((ends[4 * k + 2] as number) - (ends[4 * k] as number), (ends[4 * k + 3] as number) - (ends[4 * k + 1] as number));
      expect(length).toBeCloseTo(1, 12);
    }
  });

  it("matches shared segments whichever way round each polygon runs", () => {
    const square = (x: number, y: number, reverse: boolean): number[][] => {
      const ring = [[x, y], [x + 1, y], [x + 1, y + 1], [x, y + 1], [x, y]];
      return reverse ? ring.reverse() : ring;
    };
    const units = {
      type: "FeatureCollection" as const,
      features: [
        { type: "Feature" as const, properties: { id: "w" }, geometry: { type: "Polygon" as const, coordinates: [square(0, 0, false)] as [number, number][][] } },
        { type: "Feature" as const, properties: { id: "e" }, geometry: { type: "Polygon" as const, coordinates: [square(1, 0, true)] as [number, number][][] } },
      ],
    };
    const { count, sides } = unitSegments(units);
    expect(count).toBe(7);
    const shared = [...Array(count).keys()].filter((k) => (sides[2 * k + 1] as number) >= 0);
    expect(shared.map((k) => [sides[2 * k], sides[2 * k + 1]])).toEqual([[0, 1]]);
  });

  it("marks segments between territories, and outer edges, as territory borders", () => {
    expect(isTerritoryBorder(0, 1, [0, 1, 0, 1])).toBe(true);
    expect(isTerritoryBorder(0, 2, [0, 1, 0, 1])).toBe(false);
    // After giving b to West, a–b is inside West and b–d becomes the border.
    expect(isTerritoryBorder(0, 1, [0, 0, 0, 1])).toBe(false);
    expect(isTerritoryBorder(1, 3, [0, 0, 0, 1])).toBe(true);
    expect(isTerritoryBorder(2, -1, [0, 1, 0, 1])).toBe(true);
  });
});

describe("the map's territory borders", () => {
  it("are the segments between territories and the outer edges, picked again after an edit", async () => {
    const { territoryBorderSegments } = await import("../../src/map/glLayers");
    const { unitMeshes, SEGMENT_STRIDE } = await import("../../src/map/meshes");
    const { segments } = unitMeshes(gridWorkbook().units);
    const pairsOf = (borders: Float32Array): string[] => {
      const out: string[] = [];
      for (let o = 0; o < borders.length; o += SEGMENT_STRIDE) out.push(`${borders[o + 4]},${borders[o + 5]}`);
      return out.sort();
    };
    const outer = ["0,-1", "0,-1", "1,-1", "1,-1", "2,-1", "2,-1", "3,-1", "3,-1"];
    // West {a, c}, East {b, d}: a–b and c–d are borders.
    expect(pairsOf(territoryBorderSegments(segments, Int32Array.from([0, 1, 0, 1])))).toEqual([...outer, "0,1", "2,3"].sort());
    // b goes West: a–b is inside West, b–d is a border.
    expect(pairsOf(territoryBorderSegments(segments, Int32Array.from([0, 0, 0, 1])))).toEqual([...outer, "1,3", "2,3"].sort());
  });
});
