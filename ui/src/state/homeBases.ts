import type { Rep, UnitCollection, UnitGeometry } from "../api";

/**
 * The unit each rep's home base lies in: the polygon that contains it, or for point units (or a home base in no
 * polygon, e.g. on a coast) the nearest unit. Used to warn when an edit moves a rep's home base out of their
 * territory. Done once per workbook: a bounding-box test first, so only a few polygons are tested in full.
 */
export function homeUnits(units: UnitCollection, reps: readonly Rep[]): Map<string, number> {
  const out = new Map<string, number>();
  if (reps.length === 0) return out;
  const boxes = units.features.map((f) => bbox(f.geometry));
  for (const rep of reps) {
    const p: [number, number] = [rep.lon, rep.lat];
    let found = -1;
    units.features.forEach((f, i) => {
      if (found >= 0) return;
      const b = boxes[i];
      if (b === undefined || p[0] < b[0] || p[0] > b[2] || p[1] < b[1] || p[1] > b[3]) return;
      if (contains(f.geometry, p)) found = i;
    });
    if (found < 0) found = nearest(units, p);
    if (found >= 0) out.set(rep.id, found);
  }
  return out;
}

function rings(g: UnitGeometry): [number, number][][][] {
  if (g.type === "Polygon") return [g.coordinates];
  if (g.type === "MultiPolygon") return g.coordinates;
  return [];
}

function bbox(g: UnitGeometry): [number, number, number, number] {
  if (g.type === "Point") return [g.coordinates[0], g.coordinates[1], g.coordinates[0], g.coordinates[1]];
  const b: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const polygon of rings(g))
    for (const [x, y] of polygon[0] ?? []) {
      if (x < b[0]) b[0] = x;
      if (y < b[1]) b[1] = y;
      if (x > b[2]) b[2] = x;
      if (y > b[3]) b[3] = y;
    }
  return b;
}

/** Even-odd rule over every ring (holes included). */
function contains(g: UnitGeometry, [x, y]: [number, number]): boolean {
  for (const polygon of rings(g)) {
    let inside = false;
    for (const ring of polygon) {
      for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
        const [xi, yi] = ring[i] as [number, number];
        const [xj, yj] = ring[j] as [number, number];
        if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
      }
    }
    if (inside) return true;
  }
  return false;
}

/** The unit whose position (a point, or the centre of a polygon's box) is nearest `p`. */
function nearest(units: UnitCollection, p: [number, number]): number {
  let best = -1;
  let bestD = Infinity;
  units.features.forEach((f, i) => {
    const b = bbox(f.geometry);
    const cx = (b[0] + b[2]) / 2;
    const cy = (b[1] + b[3]) / 2;
    const dx = (cx - p[0]) * Math.cos((p[1] * Math.PI) / 180);
    const d = dx * dx + (cy - p[1]) ** 2;
    if (d < bestD) {
      bestD = d;
      best = i;
    }
  });
  return best;
}
