/** A screen or lon/lat position `[x, y]`. */
export type Point = [number, number];

/** Whether `p` lies inside the closed polygon `ring` (even–odd rule; the ring need not repeat its start). */
export function pointInPolygon(p: Point, ring: readonly Point[]): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i] as Point;
    const [xj, yj] = ring[j] as Point;
    if (yi > p[1] !== yj > p[1] && p[0] < ((xj - xi) * (p[1] - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** The box `[[minX, minY], [maxX, maxY]]` around `points`. */
export function boxOf(points: readonly Point[]): [Point, Point] {
  let [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const [x, y] of points) {
    x0 = Math.min(x0, x);
    y0 = Math.min(y0, y);
    x1 = Math.max(x1, x);
    y1 = Math.max(y1, y);
  }
  return [
    [x0, y0],
    [x1, y1],
  ];
}

/** The mean anchor of each territory's units (`null` for a territory without units), for labels. */
export function territoryCenters(anchors: readonly Point[], territoryOf: readonly number[], count: number): (Point | null)[] {
  const sums = Array.from({ length: count }, () => [0, 0, 0]);
  territoryOf.forEach((t, i) => {
    const s = sums[t];
    const a = anchors[i];
    if (s === undefined || a === undefined) return;
    s[0] = (s[0] ?? 0) + a[0];
    s[1] = (s[1] ?? 0) + a[1];
    s[2] = (s[2] ?? 0) + 1;
  });
  return sums.map(([x = 0, y = 0, n = 0]) => (n > 0 ? [x / n, y / n] : null));
}
