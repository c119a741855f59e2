import type { UnitFeature } from "../../src/api";
import type { FakeWorkbook } from "./fakeBackend";

/** A square polygon unit of side 1 degree with its south-west corner at (lon, lat). */
export function squareUnit(id: string, lon: number, lat: number, workload: number): UnitFeature {
  const ring: [number, number][] = [
    [lon, lat],
    [lon + 1, lat],
    [lon + 1, lat + 1],
    [lon, lat + 1],
    [lon, lat],
  ];
  return { type: "Feature", properties: { id, workload }, geometry: { type: "Polygon", coordinates: [ring] } };
}

/** Four squares in a 2×2 grid, split into two territories, west and east. */
export function gridWorkbook(path = "/data/grid.tessera"): FakeWorkbook {
  return {
    summary: {
      name: "grid",
      path,
      unitCount: 4,
      measures: ["workload"],
      geometry: "polygons",
      adjacencyEdges: 4,
      reps: [],
    },
    units: {
      type: "FeatureCollection",
      features: [
        squareUnit("a", -100, 40, 10),
        squareUnit("b", -99, 40, 20),
        squareUnit("c", -100, 41, 30),
        squareUnit("d", -99, 41, 40),
      ],
    },
    alignment: { territories: ["West", "East"], territoryOf: [0, 1, 0, 1], adjacent: [[0, 1]] },
  };
}

/** Three point units and no alignment. */
export function pointsWorkbook(path = "/data/points.tessera"): FakeWorkbook {
  const point = (id: string, lon: number, lat: number): UnitFeature => ({
    type: "Feature",
    properties: { id, accounts: 1 },
    geometry: { type: "Point", coordinates: [lon, lat] },
  });
  return {
    summary: {
      name: "points",
      path,
      unitCount: 3,
      measures: ["accounts"],
      geometry: "points",
      adjacencyEdges: 3,
      reps: [{ id: "r1", name: "Rep One", lon: -80.5, lat: 31, capacity: 1 }],
    },
    units: { type: "FeatureCollection", features: [point("p", -80, 30), point("q", -81, 31), point("r", -79, 32)] },
    alignment: null,
  };
}
