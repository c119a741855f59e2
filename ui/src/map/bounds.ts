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
 * What the map needs from every unit's outline at opening, found in one pass over the outer rings: each unit's
 * box (`boxes[4i..4i+4]` = west, south, east, north; NaN for a unit without coordinates) and its anchor (the
 * point itself, or the centre of the box of its largest outer ring: a lasso takes a unit when its anchor falls
 * inside, and territory labels sit at the mean of their units' anchors). One pass
 * and no object per unit: on opening the sample counties this ran three passes (anchors, centres, bounds) of cold
 * code on the main thread while MapLibre's worker waited for it to ask for tiles.
 */
export interface UnitExtents {
  boxes: Float64Array;
  anchors: [number, number][];
}

/** Every unit's {@link UnitExtents}. */
export function unitExtents(units: UnitCollection): UnitExtents {
  const n = units.features.length;
  const boxes = new Float64Array(4 * n).fill(Number.NaN);
  const anchors: [number, number][] = new Array(n);
  for (let i = 0; i < n; i++) {
    const g = (units.features[i] as { geometry: UnitGeometry }).geometry;
    if (g.type === "Point") {
      const [x, y] = g.coordinates;
      boxes.set([x, y, x, y], 4 * i);
      anchors[i] = [x, y];
      continue;
    }
    const rings = g.type === "Polygon" ? [g.coordinates[0] ?? []] : g.coordinates.map((p) => p[0] ?? []);
    let [fw, fs, fe, fn] = [Infinity, Infinity, -Infinity, -Infinity];
    let anchor: [number, number] = [0, 0];
    let bestArea = -1;
    for (const ring of rings) {
      let [w, s, e, north] = [Infinity, Infinity, -Infinity, -Infinity];
      for (const [x, y] of ring) {
        if (x < w) w = x;
        if (x > e) e = x;
        if (y < s) s = y;
        if (y > north) north = y;
      }
      const area = (e - w) * (north - s);
      if (area > bestArea) {
        bestArea = area;
        anchor = [(w + e) / 2, (s + north) / 2];
      }
      fw = Math.min(fw, w);
      fs = Math.min(fs, s);
      fe = Math.max(fe, e);
      fn = Math.max(fn, north);
    }
    if (fw <= fe) boxes.set([fw, fs, fe, fn], 4 * i);
    anchors[i] = anchor;
  }
  return { boxes, anchors };
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
  return centralBoundsOfBoxes(unitExtents(units).boxes, share);
}

/** {@link centralBoundsOf} from the units' boxes ({@link unitExtents}). */
export function centralBoundsOfBoxes(boxes: Float64Array, share = 0.98): Bounds | null {
  const n = boxes.length / 4;
  const cx = new Float64Array(n);
  const cy = new Float64Array(n);
  const has: boolean[] = new Array(n);
  const lons: number[] = [];
  const lats: number[] = [];
  for (let i = 0; i < n; i++) {
    const w = boxes[4 * i] as number;
    has[i] = !Number.isNaN(w);
    if (!has[i]) continue;
    cx[i] = (w + (boxes[4 * i + 2] as number)) / 2;
    cy[i] = ((boxes[4 * i + 1] as number) + (boxes[4 * i + 3] as number)) / 2;
    lons.push(cx[i] as number);
    lats.push(cy[i] as number);
  }
  if (lons.length === 0) return null;
  let [w, e, s, north] = [-Infinity, Infinity, -Infinity, Infinity];
  if (n >= 50) {
    lons.sort((a, b) => a - b);
    lats.sort((a, b) => a - b);
    const cut = (1 - share) / 2;
    const at = (xs: number[], q: number): number => xs[Math.min(xs.length - 1, Math.max(0, Math.round(q * (xs.length - 1))))] as number;
    const [w0, e0, s0, n0] = [at(lons, cut), at(lons, 1 - cut), at(lats, cut), at(lats, 1 - cut)];
    const [dx, dy] = [Math.max(e0 - w0, 0.01) / 4, Math.max(n0 - s0, 0.01) / 4];
    [w, e, s, north] = [w0 - dx, e0 + dx, s0 - dy, n0 + dy];
  }
  let [bw, bs, be, bn] = [Infinity, Infinity, -Infinity, -Infinity];
  for (let i = 0; i < n; i++) {
    if (!has[i]) continue;
    const [x, y] = [cx[i] as number, cy[i] as number];
    if (x < w || x > e || y < s || y > north) continue;
    bw = Math.min(bw, boxes[4 * i] as number);
    bs = Math.min(bs, boxes[4 * i + 1] as number);
    be = Math.max(be, boxes[4 * i + 2] as number);
    bn = Math.max(bn, boxes[4 * i + 3] as number);
  }
  return bw <= be ? [[bw, bs], [be, bn]] : null;
}
