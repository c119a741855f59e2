import { describe, expect, it } from "vitest";
import { FILL_STRIDE, mercatorX, outlineMesh, mercatorY, POINT_STRIDE, pointMesh, polygonFillMesh, SEGMENT_STRIDE, unitMeshes } from "../../src/map/meshes";
import { gridWorkbook, pointsWorkbook } from "./fixtures";

/** The area of the triangles in `fills` (x, y, … per vertex, `stride` floats), in Mercator units². */
function triangleArea(fills: Float32Array, stride: number): number {
  let area = 0;
  for (let k = 0; k + 3 * stride <= fills.length; k += 3 * stride) {
    const [ax, ay, bx, by, cx, cy] = [fills[k], fills[k + 1], fills[k + stride], fills[k + stride + 1], fills[k + 2 * stride], fills[k + 2 * stride + 1]] as number[];
    area += Math.abs(((bx as number) - (ax as number)) * ((cy as number) - (ay as number)) - ((cx as number) - (ax as number)) * ((by as number) - (ay as number))) / 2;
  }
  return area;
}

describe("unit meshes", () => {
  it("Web Mercator matches MapLibre's: 0..1 west to east and north to south, the equator at 0.5", () => {
    expect(mercatorX(-180)).toBe(0);
    expect(mercatorX(180)).toBe(1);
    expect(mercatorY(0)).toBeCloseTo(0.5, 12);
    expect(mercatorY(85.051129)).toBeCloseTo(0, 6);
    expect(mercatorY(40)).toBeLessThan(0.5);
  });

  it("triangulates each polygon unit into triangles covering exactly its area, tagged with its index", () => {
    const units = gridWorkbook().units;
    const meshes = unitMeshes(units);
    // Four 1°×1° squares: two triangles each.
    expect(meshes.fills.length).toBe(4 * 2 * 3 * FILL_STRIDE);
    const tags = new Set<number>();
    for (let k = 2; k < meshes.fills.length; k += FILL_STRIDE) tags.add(meshes.fills[k] as number);
    expect([...tags].sort()).toEqual([0, 1, 2, 3]);
    const square = (mercatorX(-99) - mercatorX(-100)) * (mercatorY(40) - mercatorY(42));
    expect(triangleArea(meshes.fills, FILL_STRIDE)).toBeCloseTo(square * 2, 10);
    expect(meshes.points.length).toBe(0);
  });

  it("cuts a hole out of the fill", () => {
    const ring = (x: number, y: number, size: number): number[][] => [[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]];
    const fill = polygonFillMesh([{ geometry: { type: "Polygon", coordinates: [ring(0, 0, 4), ring(1, 1, 2)] } }]);
    // Near the equator Mercator barely stretches: the 2° hole takes a quarter of the 4° square.
    expect(triangleArea(fill, 2) / ((mercatorX(4) - mercatorX(0)) * (mercatorY(0) - mercatorY(4)))).toBeCloseTo(0.75, 2);
  });

  it("gives every outline segment once, in Mercator, tagged with the units on either side", () => {
    const meshes = unitMeshes(gridWorkbook().units);
    // 4 shared sides + 8 outer sides.
    expect(meshes.segments.length).toBe(12 * SEGMENT_STRIDE);
    const pairs = new Set<string>();
    for (let k = 0; k < meshes.segments.length; k += SEGMENT_STRIDE) {
      pairs.add(`${meshes.segments[k + 4]},${meshes.segments[k + 5]}`);
      // Both ends inside the grid's Mercator box.
      for (const x of [meshes.segments[k], meshes.segments[k + 2]]) expect(x).toBeGreaterThanOrEqual(mercatorX(-100) - 1e-7);
    }
    expect([...pairs].sort()).toEqual(["0,-1", "0,1", "0,2", "1,-1", "1,3", "2,-1", "2,3", "3,-1"]);
    // The state outlines: every ring's segments, a border two polygons share once, no units.
    const outline = outlineMesh([
      { geometry: { type: "Polygon", coordinates: [[[0, 0], [1, 0], [1, 1], [0, 0]]] } },
      { geometry: { type: "Polygon", coordinates: [[[0, 0], [1, 1], [0, 1], [0, 0]]] } },
    ]);
    expect(outline.segments.length).toBe(5 * SEGMENT_STRIDE);
    expect(outline.lines.length).toBe(5 * 4);
    expect(outline.segments[4]).toBe(-1);
    expect(outline.segments[5]).toBe(-1);
  });

  it("draws point units and fixed points from their position", () => {
    const units = pointsWorkbook().units;
    const meshes = unitMeshes(units);
    expect(meshes.fills.length).toBe(0);
    expect(meshes.points.length).toBe(units.features.length * POINT_STRIDE);
    const first = units.features[0]?.geometry.coordinates as [number, number];
    expect(meshes.points[0]).toBeCloseTo(mercatorX(first[0]), 6);
    expect(meshes.points[1]).toBeCloseTo(mercatorY(first[1]), 6);
    expect(meshes.points[2]).toBe(0);
    expect([...pointMesh([[-100, 40]])]).toEqual([...new Float32Array([mercatorX(-100), mercatorY(40), -1])]);
  });
});
