import { describe, expect, it } from "vitest";
import { boundsOf } from "../../src/map/bounds";
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
