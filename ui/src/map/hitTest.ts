import type { UnitCollection, UnitGeometry } from "../api";
import { polygonsOf } from "./meshes";
import { pointInPolygon, type Point } from "./selection";

/**
 * Which unit is under the pointer, and which units a dragged box covers: the map's units are drawn by its own
 * WebGL layer ({@link ./glLayers}), so MapLibre has no features of theirs to query. Polygons are tested exactly
 * (even–odd over their rings, in lon/lat); points by their drawn disc, in screen pixels. Candidates come from
 * each unit's box ({@link ./bounds.unitExtents}): a linear scan of 40,000 boxes takes well under a millisecond.
 */
export class UnitHits {
  constructor(
    private readonly units: UnitCollection,
    /** West, south, east, north of each unit (NaN: no coordinates). */
    private readonly boxes: Float64Array,
  ) {}

  /**
   * The unit at lon/lat `at`: the polygon containing it, else the nearest point unit whose disc (`radiusPx`
   * around its screen position, from `project`) holds `screen`. `null` when none.
   */
  unitAt(at: Point, screen: Point, radiusPx: number, unproject: (p: Point) => Point, project: (p: Point) => Point): number | null {
    // The lon/lat box a point's disc can reach the pointer from.
    const [w, n] = unproject([screen[0] - radiusPx, screen[1] - radiusPx]);
    const [e, s] = unproject([screen[0] + radiusPx, screen[1] + radiusPx]);
    let best: number | null = null;
    let bestDistance = Infinity;
    let polygon: number | null = null;
    this.forEachBoxed((u, g, x0, y0, x1, y1) => {
      if (g.type === "Point") {
        if (x0 < w || x0 > e || y0 < s || y0 > n) return false;
        const p = project([x0, y0]);
        const d = Math.hypot(p[0] - screen[0], p[1] - screen[1]);
        if (d <= radiusPx && d < bestDistance) {
          best = u;
          bestDistance = d;
        }
        return false;
      }
      if (at[0] < x0 || at[0] > x1 || at[1] < y0 || at[1] > y1) return false;
      // A polygon under the pointer wins over any point near it (points are drawn over polygons only in mixed
      // workbooks, which have none).
      if (polygonsOf(g).some((rings) => insidePolygon(at, rings))) polygon = u;
      return polygon !== null;
    });
    return polygon ?? best;
  }

  /**
   * Every unit the lon/lat box `[[west, south], [east, north]]` touches: a polygon with any part inside it, a point
   * inside it grown by `pointMargin` degrees (its disc).
   */
  unitsInBox([[w, s], [e, n]]: [Point, Point], pointMargin: [number, number] = [0, 0]): number[] {
    const found: number[] = [];
    this.forEachBoxed((u, g, x0, y0, x1, y1) => {
      if (g.type === "Point") {
        const [mx, my] = pointMargin;
        if (x0 >= w - mx && x0 <= e + mx && y0 >= s - my && y0 <= n + my) found.push(u);
        return false;
      }
      if (x1 < w || x0 > e || y1 < s || y0 > n) return false;
      // Wholly inside the box, or crossing it, or the box inside the polygon.
      const inside = x0 >= w && x1 <= e && y0 >= s && y1 <= n;
      if (inside || polygonsOf(g).some((rings) => polygonTouchesBox(rings, w, s, e, n))) found.push(u);
      return false;
    });
    return found;
  }

  /**
   * Calls `visit` with each unit that has coordinates, its geometry and its box, in unit order, until `visit`
   * returns true.
   */
  private forEachBoxed(visit: (u: number, g: UnitGeometry, x0: number, y0: number, x1: number, y1: number) => boolean): void {
    const b = this.boxes;
    const count = b.length / 4;
    for (let u = 0; u < count; u++) {
      const x0 = b[4 * u] as number;
      const g = this.units.features[u]?.geometry;
      if (Number.isNaN(x0) || g === undefined) continue;
      if (visit(u, g, x0, b[4 * u + 1] as number, b[4 * u + 2] as number, b[4 * u + 3] as number)) return;
    }
  }
}

/** Whether `p` is inside `polygon` (outer ring, then holes): even–odd over all its rings. */
export function insidePolygon(p: Point, polygon: readonly (readonly number[][])[]): boolean {
  let inside = false;
  for (const ring of polygon) if (pointInPolygon(p, ring as readonly Point[])) inside = !inside;
  return inside;
}

/** Whether `polygon` and the box `w s e n` share any point. */
export function polygonTouchesBox(polygon: readonly (readonly number[][])[], w: number, s: number, e: number, n: number): boolean {
  for (const ring of polygon) {
    for (let i = 0; i < ring.length; i++) {
      const [x, y] = ring[i] as [number, number];
      if (x >= w && x <= e && y >= s && y <= n) return true;
      const next = ring[i + 1];
      if (next !== undefined && segmentCrossesBox(x, y, next[0] as number, next[1] as number, w, s, e, n)) return true;
    }
  }
  // No vertex inside and no edge crossing: the box is inside the polygon or apart from it.
  return insidePolygon([(w + e) / 2, (s + n) / 2], polygon);
}

/** Whether segment a–b crosses the box `w s e n` (Liang–Barsky clipping). */
function segmentCrossesBox(ax: number, ay: number, bx: number, by: number, w: number, s: number, e: number, n: number): boolean {
  const dx = bx - ax;
  const dy = by - ay;
  let t0 = 0;
  let t1 = 1;
  const clip = (p: number, q: number): boolean => {
    if (p === 0) return q >= 0;
    const r = q / p;
    if (p < 0) {
      if (r > t1) return false;
      if (r > t0) t0 = r;
    } else {
      if (r < t0) return false;
      if (r < t1) t1 = r;
    }
    return true;
  };
  return clip(-dx, ax - w) && clip(dx, e - ax) && clip(-dy, ay - s) && clip(dy, n - ay) && t0 <= t1;
}
