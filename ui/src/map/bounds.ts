import type { UnitCollection, UnitGeometry } from "../api";

/** A lon/lat box: `[[west, south], [east, north]]`. */
export type Bounds = [[number, number], [number, number]];

/** The box around every coordinate of `units`, or `null` when there are none. */
export function boundsOf(units: UnitCollection): Bounds | null {
  let west = Infinity;
  let south = Infinity;
  let east = -Infinity;
  let north = -Infinity;
  const visit = (lon: number, lat: number): void => {
    if (lon < west) west = lon;
    if (lon > east) east = lon;
    if (lat < south) south = lat;
    if (lat > north) north = lat;
  };
  for (const f of units.features) forEachPosition(f.geometry, visit);
  return west <= east ? [[west, south], [east, north]] : null;
}

function forEachPosition(g: UnitGeometry, visit: (lon: number, lat: number) => void): void {
  switch (g.type) {
    case "Point":
      visit(g.coordinates[0], g.coordinates[1]);
      break;
    case "Polygon":
      // The outer ring bounds the polygon; holes lie inside it.
      for (const [lon, lat] of g.coordinates[0] ?? []) visit(lon, lat);
      break;
    case "MultiPolygon":
      for (const polygon of g.coordinates) for (const [lon, lat] of polygon[0] ?? []) visit(lon, lat);
      break;
  }
}
