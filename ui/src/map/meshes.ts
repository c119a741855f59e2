import earcut from "earcut";
import type { UnitCollection, UnitGeometry } from "../api";
import { unitSegments, type UnitSegments } from "./territoryBorders";

/**
 * Vertex buffers the map's own WebGL layers draw ({@link ./glLayers}), built once per set of units on the main
 * thread, in Web Mercator coordinates (0..1 across the world, as MapLibre's matrices take them). Drawing them
 * needs no tiling by MapLibre's worker, which on opening is cold for ~0.4 s and then slower still
 * (BENCHMARKS.md, "Opening on a quiet machine"): the counties' 61,000 vertices triangulate here in tens of
 * milliseconds, and a recolouring is a change to a small per-unit texture, not to geometry.
 * Lines and points are kept as one record per segment or point here; the layers expand each into the six
 * vertices of a quad the GPU widens (instanced drawing, one record per quad, was ~40% slower per frame in
 * WebKitGTK's software WebGL: bench/app/pan-zoom.mjs, 3 Dec 2026).
 */

/** Floats per vertex of {@link UnitMeshes.fills}: x, y, unit. */
export const FILL_STRIDE = 3;
/** Floats per segment ({@link UnitMeshes.segments}, {@link outlineMesh}): both ends (x, y, x, y), the units on either side (a, b). */
export const SEGMENT_STRIDE = 6;
/** Floats per point ({@link UnitMeshes.points}, {@link pointMesh}): x, y, unit (-1: a fixed-colour point). */
export const POINT_STRIDE = 3;

/** Geometry of a set of units, ready for the GPU. */
export interface UnitMeshes {
  /** Polygon fills as triangles, three vertices each (x, y, unit index). */
  fills: Float32Array;
  /**
   * Every outline segment once, tagged with the units on either side (-1: none): those whose two units lie in
   * different territories are drawn wide, as the territory borders.
   */
  segments: Float32Array;
  /** The same segments for `gl.LINES` (x, y per vertex, two vertices a segment): the thin unit borders. */
  outlines: Float32Array;
  /** Point units (x, y, unit index). */
  points: Float32Array;
}

/** Longest latitude Web Mercator shows (MapLibre clamps to the same). */
const MAX_LAT = 85.051129;

/** Web Mercator x of longitude `lon`, 0..1 west to east. */
export function mercatorX(lon: number): number {
  return (180 + lon) / 360;
}

/** Web Mercator y of latitude `lat`, 0..1 north to south. */
export function mercatorY(lat: number): number {
  const clamped = Math.max(-MAX_LAT, Math.min(MAX_LAT, lat));
  return (180 - (180 / Math.PI) * Math.log(Math.tan(Math.PI / 4 + (clamped * Math.PI) / 360))) / 360;
}

/** A growable Float32Array: the meshes' sizes are known only after triangulating. */
class FloatBuffer {
  private data = new Float32Array(1024);
  length = 0;

  /** Makes room for `n` more values (then written with {@link put}). */
  reserve(n: number): void {
    if (this.length + n <= this.data.length) return;
    const grown = new Float32Array(Math.max(this.data.length * 2, this.length + n));
    grown.set(this.data.subarray(0, this.length));
    this.data = grown;
  }

  /** Appends `v`; room must have been {@link reserve}d. */
  put(v: number): void {
    this.data[this.length++] = v;
  }

  /** Appends `values`. */
  push(...values: number[]): void {
    this.reserve(values.length);
    for (const v of values) this.put(v);
  }

  /** The pushed values, copied to an array of their exact length. */
  finish(): Float32Array {
    return this.data.slice(0, this.length);
  }
}

/**
 * Triangulates polygon `rings` (outer ring first, then holes; GeoJSON lon/lat, closed or not) in Mercator
 * and pushes each triangle's vertices through `emit`.
 */
export function triangulate(rings: readonly (readonly number[][])[], emit: (x: number, y: number) => void): void {
  const flat: number[] = [];
  const holes: number[] = [];
  rings.forEach((ring, r) => {
    // A closed ring repeats its first vertex last: earcut wants it once.
    const closed = ring.length > 1 && ring[0]?.[0] === ring[ring.length - 1]?.[0] && ring[0]?.[1] === ring[ring.length - 1]?.[1];
    const count = closed ? ring.length - 1 : ring.length;
    if (count < 3) return;
    if (r > 0) holes.push(flat.length / 2);
    for (let i = 0; i < count; i++) {
      const p = ring[i] as number[];
      flat.push(mercatorX(p[0] as number), mercatorY(p[1] as number));
    }
  });
  if (flat.length < 6) return;
  const triangles = earcut(flat, holes.length > 0 ? holes : undefined);
  for (const k of triangles) emit(flat[2 * k] as number, flat[2 * k + 1] as number);
}

/** The polygons of a unit geometry (none for a point). */
export function polygonsOf(g: UnitGeometry): readonly (readonly number[][])[][] {
  return g.type === "Polygon" ? [g.coordinates] : g.type === "MultiPolygon" ? g.coordinates : [];
}

/**
 * Builds the meshes of `units`: fills triangulated per polygon, every outline segment once with its units
 * ({@link unitSegments}), point units.
 */
export function unitMeshes(units: UnitCollection): UnitMeshes {
  const fills = new FloatBuffer();
  const points = new FloatBuffer();
  units.features.forEach((f, u) => {
    const g = f.geometry;
    if (g.type === "Point") {
      points.push(mercatorX(g.coordinates[0]), mercatorY(g.coordinates[1]), u);
      return;
    }
    for (const polygon of polygonsOf(g)) {
      triangulate(polygon, (x, y) => {
        fills.reserve(FILL_STRIDE);
        fills.put(x), fills.put(y), fills.put(u);
      });
    }
  });
  const { segments, lines: outlines } = mercatorSegments(unitSegments(units));
  return { fills: fills.finish(), segments, outlines, points: points.finish() };
}

/** Fixed-colour points (the reps' home bases), as {@link UnitMeshes.points} with unit -1. */
export function pointMesh(positions: readonly (readonly [number, number])[]): Float32Array {
  const out = new Float32Array(POINT_STRIDE * positions.length);
  positions.forEach(([lon, lat], i) => out.set([mercatorX(lon), mercatorY(lat), -1], POINT_STRIDE * i));
  return out;
}

/** Triangles of fixed-colour polygons (the land under the units), x, y per vertex. */
export function polygonFillMesh(features: readonly { geometry: GeoJSON.Geometry | null }[]): Float32Array {
  const out = new FloatBuffer();
  for (const f of features) {
    const g = f.geometry;
    if (g === null) continue;
    const polygons = g.type === "Polygon" ? [g.coordinates] : g.type === "MultiPolygon" ? g.coordinates : [];
    for (const polygon of polygons) triangulate(polygon, (x, y) => out.push(x, y));
  }
  return out.finish();
}

/**
 * The outlines of `features`' polygons (the state outlines), each shared border once (two neighbouring states
 * share theirs: drawn twice it cost twice), as {@link mercatorSegments} with no units on either side (-1).
 */
export function outlineMesh(features: readonly { geometry: GeoJSON.Geometry | null }[]): { segments: Float32Array; lines: Float32Array } {
  const found = unitSegments({ features });
  return mercatorSegments({ ...found, sides: new Int32Array(2 * found.count).fill(-1) });
}

/**
 * `found` in Web Mercator: as segments ({@link SEGMENT_STRIDE}: ends, then the units on either side) for wide
 * lines, and as `gl.LINES` vertices (x, y, two per segment) for thin ones.
 */
function mercatorSegments({ count, ends, sides }: UnitSegments): { segments: Float32Array; lines: Float32Array } {
  const segments = new Float32Array(SEGMENT_STRIDE * count);
  const lines = new Float32Array(4 * count);
  for (let k = 0; k < count; k++) {
    for (let i = 0; i < 4; i++) {
      const v = i % 2 === 0 ? mercatorX(ends[4 * k + i] as number) : mercatorY(ends[4 * k + i] as number);
      segments[SEGMENT_STRIDE * k + i] = v;
      lines[4 * k + i] = v;
    }
    segments[SEGMENT_STRIDE * k + 4] = sides[2 * k] as number;
    segments[SEGMENT_STRIDE * k + 5] = sides[2 * k + 1] as number;
  }
  return { segments, lines };
}
