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

/**
 * The box that frames the data that matters: the central `share` of unit centres by longitude and by latitude
 * (98%: the 1st to the 99th percentile), widened by a quarter of its size on every side, then every unit whose
 * centre lies in that box, with its full outline. The edge of the data (a coast's counties) is kept, while a
 * handful of far specks (an account in Alaska, a mistyped coordinate) no longer shrinks the rest into a corner of
 * the map; "fit all" ({@link boundsOf}) still shows them. With fewer than 50 units every unit counts. `null`
 * when there are none.
 */
export function centralBoundsOf(units: UnitCollection, share = 0.98): Bounds | null {
  const n = units.features.length;
  if (n < 50) return boundsOf(units);
  const centres = units.features.map((f) => {
    const b = boundsOf({ type: "FeatureCollection", features: [f] });
    return b === null ? null : ([(b[0][0] + b[1][0]) / 2, (b[0][1] + b[1][1]) / 2] as [number, number]);
  });
  const lons = centres.flatMap((c) => (c === null ? [] : [c[0]])).sort((a, b) => a - b);
  const lats = centres.flatMap((c) => (c === null ? [] : [c[1]])).sort((a, b) => a - b);
  if (lons.length === 0) return null;
  const cut = (1 - share) / 2;
  const at = (xs: number[], q: number): number => xs[Math.min(xs.length - 1, Math.max(0, Math.round(q * (xs.length - 1))))] as number;
  const [w0, e0, s0, n0] = [at(lons, cut), at(lons, 1 - cut), at(lats, cut), at(lats, 1 - cut)];
  const [dx, dy] = [Math.max(e0 - w0, 0.01) / 4, Math.max(n0 - s0, 0.01) / 4];
  const [w, e, s, north] = [w0 - dx, e0 + dx, s0 - dy, n0 + dy];
  const inside = units.features.filter((_, i) => {
    const c = centres[i];
    return c != null && c[0] >= w && c[0] <= e && c[1] >= s && c[1] <= north;
  });
  return boundsOf({ type: "FeatureCollection", features: inside });
}
