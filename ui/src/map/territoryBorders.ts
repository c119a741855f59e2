
/**
 * Every distinct segment of the units' polygon outlines (a unit: a feature, by index), once, with the unit on either side: `ends[4k..4k+4]`
 * are segment k's two ends (lon, lat, lon, lat) and `sides[2k..2k+2]` its units `a < b`, or `a` and -1 for an
 * outer edge (a coast, the edge of the data). Neighbouring polygons from the same source share their vertices,
 * so a shared border is the same segment seen from both units.
 */
export interface UnitSegments {
  count: number;
  ends: Float64Array;
  sides: Int32Array;
}

/**
 * Finds {@link UnitSegments} by matching identical segments. A territory border is then just the segments whose
 * two units lie in different territories ({@link isTerritoryBorder}): the map picks those out of the segments
 * on each change of alignment (./glLayers.ts), so an edit never recomputes geometry. Points have no segments.
 *
 * Vertices and segments are matched in open-addressing hash tables over typed arrays (exact coordinates): on
 * the 3,108 counties' 61,000 vertices this replaced nested `Map`s that took ~80 ms of a cold opening.
 */
export function unitSegments(units: { features: readonly { geometry: GeoJSON.Geometry | null }[] }): UnitSegments {
  let vertexCount = 0;
  for (const f of units.features) {
    const g = f.geometry;
    if (g === null) continue;
    if (g.type === "Polygon") for (const ring of g.coordinates) vertexCount += ring.length;
    else if (g.type === "MultiPolygon") for (const p of g.coordinates) for (const ring of p) vertexCount += ring.length;
  }
  const vertices = new VertexTable(vertexCount);
  // Segments: ends as vertex ids (p < q), first unit, second unit (-1 until seen from another unit).
  const segP = new Int32Array(vertexCount);
  const segQ = new Int32Array(vertexCount);
  const segA = new Int32Array(vertexCount);
  const segB = new Int32Array(vertexCount).fill(-1);
  const slots = tableSize(vertexCount);
  const table = new Int32Array(slots).fill(-1);
  let count = 0;
  units.features.forEach((f, u) => {
    const g = f.geometry;
    const polygons = g === null ? [] : g.type === "Polygon" ? [g.coordinates] : g.type === "MultiPolygon" ? g.coordinates : [];
    for (const polygon of polygons) {
      for (const ring of polygon) {
        let previous = -1;
        for (const point of ring) {
          const id = vertices.id(point[0] as number, point[1] as number);
          if (previous >= 0 && previous !== id) {
            const [p, q] = previous < id ? [previous, id] : [id, previous];
            let slot = (Math.imul(p, 0x9e3779b1) ^ Math.imul(q, 0x85ebca6b)) & (slots - 1);
            for (;;) {
              const k = table[slot] as number;
              if (k < 0) {
                table[slot] = count;
                segP[count] = p;
                segQ[count] = q;
                segA[count] = u;
                count++;
                break;
              }
              if (segP[k] === p && segQ[k] === q) {
                if (segA[k] !== u && segB[k] === -1) segB[k] = u;
                break;
              }
              slot = (slot + 1) & (slots - 1);
            }
          }
          previous = id;
        }
      }
    }
  });
  const ends = new Float64Array(4 * count);
  const sides = new Int32Array(2 * count);
  for (let k = 0; k < count; k++) {
    const [p, q] = [segP[k] as number, segQ[k] as number];
    ends[4 * k] = vertices.xs[p] as number;
    ends[4 * k + 1] = vertices.ys[p] as number;
    ends[4 * k + 2] = vertices.xs[q] as number;
    ends[4 * k + 3] = vertices.ys[q] as number;
    const [a, b] = [segA[k] as number, segB[k] as number];
    sides[2 * k] = b < 0 ? a : Math.min(a, b);
    sides[2 * k + 1] = b < 0 ? -1 : Math.max(a, b);
  }
  return { count, ends, sides };
}

/** Whether a segment between units `a` and `b` (`-1`: an outer edge) lies on a territory border under `territoryOf`. */
export function isTerritoryBorder(a: number, b: number, territoryOf: ArrayLike<number>): boolean {
  return b < 0 || territoryOf[a] !== territoryOf[b];
}

/** A power of two at least twice `n`: the hash tables stay at most half full. */
function tableSize(n: number): number {
  let size = 16;
  while (size < 2 * n) size *= 2;
  return size;
}

/** Small integer ids for exact coordinate pairs. */
class VertexTable {
  readonly xs: Float64Array;
  readonly ys: Float64Array;
  private count = 0;
  private readonly table: Int32Array;
  private readonly mask: number;
  /** For hashing a coordinate's bits. */
  private readonly bits = new Float64Array(2);
  private readonly words = new Int32Array(this.bits.buffer);

  constructor(capacity: number) {
    this.xs = new Float64Array(capacity);
    this.ys = new Float64Array(capacity);
    const size = tableSize(capacity);
    this.table = new Int32Array(size).fill(-1);
    this.mask = size - 1;
  }

  /** The id of vertex (x, y), new if not seen before. */
  id(x: number, y: number): number {
    this.bits[0] = x;
    this.bits[1] = y;
    const w = this.words;
    let h = Math.imul((w[0] as number) ^ Math.imul(w[1] as number, 0x27d4eb2d), 0x9e3779b1);
    h ^= Math.imul((w[2] as number) ^ Math.imul(w[3] as number, 0x165667b1), 0x85ebca6b);
    let slot = (h ^ (h >>> 15)) & this.mask;
    for (;;) {
      const k = this.table[slot] as number;
      if (k < 0) {
        this.table[slot] = this.count;
        this.xs[this.count] = x;
        this.ys[this.count] = y;
        return this.count++;
      }
      if (this.xs[k] === x && this.ys[k] === y) return k;
      slot = (slot + 1) & this.mask;
    }
  }
}
