import { describe, expect, it } from "vitest";
import { boundsOf, centralBoundsOf, unitExtents } from "../../src/map/bounds";
import { gridWorkbook, pointsWorkbook } from "./fixtures";

describe("boundsOf", () => {
  it("boxes polygons by their outer rings", () => {
    expect(boundsOf(gridWorkbook().units)).toEqual([
      [-100, 40],
      [-98, 42],
    ]);
  });

  it("boxes points", () => {
    expect(boundsOf(pointsWorkbook().units)).toEqual([
      [-81, 30],
      [-79, 32],
    ]);
  });

  it("is null for no units", () => {
    expect(boundsOf({ type: "FeatureCollection", features: [] })).toBeNull();
  });
});

describe("centralBoundsOf", () => {
  const point = (lon: number, lat: number) => ({
    type: "Feature" as const,
    properties: { id: `${lon},${lat}` },
    geometry: { type: "Point" as const, coordinates: [lon, lat] as [number, number] },
  });

  it("leaves out a far speck but keeps the edge of the data", () => {
    // 100 accounts spread over Kansas, one in Alaska.
    const features = Array.from({ length: 100 }, (_, i) => point(-102 + (i % 10) * 0.7, 37 + Math.floor(i / 10) * 0.3));
    features.push(point(-150, 61));
    const units = { type: "FeatureCollection" as const, features };
    expect(boundsOf(units)?.[0]).toEqual([-150, 37]);
    const central = centralBoundsOf(units);
    // Every Kansas account, including the westmost and northmost columns, and not Alaska.
    expect(central?.[0][0]).toBeCloseTo(-102);
    expect(central?.[1][0]).toBeCloseTo(-102 + 9 * 0.7);
    expect(central?.[1][1]).toBeCloseTo(37 + 9 * 0.3);
  });

  it("counts every unit of a small workbook", () => {
    expect(centralBoundsOf(gridWorkbook().units)).toEqual(boundsOf(gridWorkbook().units));
  });
});

describe("unitExtents", () => {
  it("boxes every outer ring of a unit and anchors it on its largest ring", () => {
    const units = {
      type: "FeatureCollection" as const,
      features: [
        {
          type: "Feature" as const,
          properties: { id: "two islands" },
          geometry: {
            type: "MultiPolygon" as const,
            coordinates: [
              [[[0, 0], [1, 0], [1, 1], [0, 0]]],
              [[[10, 10], [14, 10], [14, 12], [10, 10]]],
            ] as [number, number][][][],
          },
        },
        {
          type: "Feature" as const,
          properties: { id: "p" },
          geometry: { type: "Point" as const, coordinates: [5, 6] as [number, number] },
        },
      ],
    };
    const { boxes, anchors } = unitExtents(units);
    expect([...boxes]).toEqual([0, 0, 14, 12, 5, 6, 5, 6]);
    expect(anchors).toEqual([
      [12, 11],
      [5, 6],
    ]);
    expect(centralBoundsOf(units)).toEqual(boundsOf(units));
  });
});
