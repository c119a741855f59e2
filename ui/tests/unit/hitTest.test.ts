import { describe, expect, it } from "vitest";
import { unitExtents } from "../../src/map/bounds";
import { insidePolygon, polygonTouchesBox, UnitHits } from "../../src/map/hitTest";
import type { Point } from "../../src/map/selection";
import { gridWorkbook, pointsWorkbook } from "./fixtures";

/** A flat "projection" for tests: 100 px per degree, y down. */
const project = ([lon, lat]: Point): Point => [lon * 100, -lat * 100];
const unproject = ([x, y]: Point): Point => [x / 100, -y / 100];

function hitsOf(units: ReturnType<typeof gridWorkbook>["units"]): UnitHits {
  return new UnitHits(units, unitExtents(units).boxes);
}

describe("hit tests on the map's units", () => {
  it("finds the polygon under the pointer, and none outside every unit", () => {
    const hits = hitsOf(gridWorkbook().units);
    // a [-100,-99]×[40,41], b east of it, c north of a, d north of b.
    const at = (p: Point): number | null => hits.unitAt(p, project(p), 5, unproject, project);
    expect(at([-99.5, 40.5])).toBe(0);
    expect(at([-98.5, 40.5])).toBe(1);
    expect(at([-99.5, 41.5])).toBe(2);
    expect(at([-98.5, 41.5])).toBe(3);
    expect(at([-101, 40.5])).toBeNull();
  });

  it("finds a point unit within its disc's radius, the nearest when two are", () => {
    const units = pointsWorkbook().units;
    const hits = hitsOf(units);
    const first = units.features[0]?.geometry.coordinates as Point;
    const screen = project(first);
    expect(hits.unitAt(first, [screen[0] + 3, screen[1]], 5, unproject, project)).toBe(0);
    expect(hits.unitAt(first, [screen[0] + 8, screen[1]], 5, unproject, project)).toBeNull();
  });

  it("takes every polygon a box touches: crossing it, inside it, or around it", () => {
    const hits = hitsOf(gridWorkbook().units);
    // A box over the middle of the 2×2 grid touches all four.
    expect(hits.unitsInBox([[-99.2, 40.8], [-98.8, 41.2]]).sort()).toEqual([0, 1, 2, 3]);
    // A small box inside a: just a (the box inside the polygon).
    expect(hits.unitsInBox([[-99.6, 40.4], [-99.4, 40.6]])).toEqual([0]);
    // A box over the west column's edge, not reaching the east column.
    expect(hits.unitsInBox([[-100.5, 40.2], [-99.5, 41.8]]).sort()).toEqual([0, 2]);
    expect(hits.unitsInBox([[-105, 30], [-104, 31]])).toEqual([]);
  });

  it("tests polygons with holes and boxes crossing an edge with no vertex inside", () => {
    const square = (x: number, y: number, size: number): number[][] => [[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]];
    const donut = [square(0, 0, 4), square(1, 1, 2)];
    expect(insidePolygon([0.5, 0.5], donut)).toBe(true);
    expect(insidePolygon([2, 2], donut)).toBe(false);
    // A thin box across the donut's south side: no vertex inside it, an edge crosses it.
    expect(polygonTouchesBox(donut, 1.5, -0.5, 1.6, 0.5)).toBe(true);
    // Inside the hole: touches nothing.
    expect(polygonTouchesBox(donut, 1.5, 1.5, 2.5, 2.5)).toBe(false);
  });
});
