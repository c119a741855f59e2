import type { GeoJSONSource, Map as MapLibreMap } from "maplibre-gl";
import type { UnitCollection } from "../api";
import { SIMPLIFY_PX } from "./unitLayers";

/** The source of unit boundary pieces, each tagged with the unit(s) on either side. */
export const BORDERS_SOURCE = "unit-borders";

/** The boundary shared by units `a` and `b` (`b = -1`: the outer edge of `a`, e.g. a coast). */
export interface BorderPiece {
  a: number;
  b: number;
  lines: [number, number][][];
}

/**
 * Splits the units' polygon outlines into pieces by the pair of units on either side, by matching identical
 * segments (neighbouring polygons from the same source share their vertices). A territory border is then just
 * the pieces whose two units lie in different territories, and an edit changes only the pieces around the
 * moved units, never recomputing geometry. Points get no pieces.
 */
export function borderPieces(units: UnitCollection): BorderPiece[] {
  // Vertices get small integer ids (exact coordinate equality, lon → lat → id), so a segment's key is one
  // number: no string per segment (the 3,108 counties have ~60,000 segments; strings took ~100 ms).
  const vertexIds = new Map<number, Map<number, number>>();
  let vertices = 0;
  const vertexId = (p: [number, number]): number => {
    let byLat = vertexIds.get(p[0]);
    if (byLat === undefined) vertexIds.set(p[0], (byLat = new Map()));
    let id = byLat.get(p[1]);
    if (id === undefined) byLat.set(p[1], (id = vertices++));
    return id;
  };
  // Segment → the first unit seen with it, then the second (or -2 once seen twice for the same unit).
  const owners = new Map<number, [number, number, [number, number], [number, number]]>();
  const SPAN = 2 ** 26;
  units.features.forEach((f, u) => {
    const g = f.geometry;
    const polygons = g.type === "Polygon" ? [g.coordinates] : g.type === "MultiPolygon" ? g.coordinates : [];
    for (const polygon of polygons) {
      for (const ring of polygon) {
        let previous = ring.length > 0 ? vertexId(ring[0] as [number, number]) : 0;
        for (let i = 0; i + 1 < ring.length; i++) {
          const p = ring[i] as [number, number];
          const q = ring[i + 1] as [number, number];
          const pid = previous;
          const qid = vertexId(q);
          previous = qid;
          if (pid === qid) continue;
          // Exact while there are fewer than 2^26 distinct vertices (the key stays below 2^53).
          const k = pid < qid ? pid * SPAN + qid : qid * SPAN + pid;
          const seen = owners.get(k);
          if (seen === undefined) owners.set(k, [u, -1, p, q]);
          else if (seen[0] !== u && seen[1] === -1) seen[1] = u;
        }
      }
    }
  });
  const byPair = new Map<number, BorderPiece>();
  for (const [a0, b0, p, q] of owners.values()) {
    const [a, b] = b0 === -1 ? [a0, -1] : [Math.min(a0, b0), Math.max(a0, b0)];
    const k = a * SPAN + (b + 1);
    let piece = byPair.get(k);
    if (piece === undefined) {
      piece = { a, b, lines: [] };
      byPair.set(k, piece);
    }
    // Chain a segment onto the previous line when it continues it: fewer, longer lines draw faster.
    const last = piece.lines[piece.lines.length - 1];
    const end = last?.[last.length - 1];
    if (last !== undefined && end !== undefined && end[0] === p[0] && end[1] === p[1]) last.push(q);
    else piece.lines.push([p, q]);
  }
  return [...byPair.values()];
}

/** Whether piece `piece` lies on a territory border under `territoryOf` (outer edges always do). */
export function isTerritoryBorder(piece: BorderPiece, territoryOf: readonly number[]): boolean {
  return piece.b < 0 || territoryOf[piece.a] !== territoryOf[piece.b];
}

/**
 * Territory outlines over the unit borders: a line layer of the border pieces that lie between territories.
 * The source holds only those pieces (not every piece with the others made transparent: MapLibre would still
 * draw them all, ~40 ms a frame in software WebGL on the 3,108 counties); an edit adds and removes the few
 * pieces around the moved units with `updateData`, so geometry is never recomputed or resent wholesale.
 */
export class TerritoryBorders {
  private pieces: BorderPiece[] = [];
  /** For each unit, the pieces it bounds. */
  private piecesOf: number[][] = [];
  /** Whether each piece is in the source now. */
  private applied: boolean[] = [];

  constructor(private readonly map: MapLibreMap) {}

  /**
   * Computes the pieces of `units` and shows those on a territory border under `territoryOf` (none when there is
   * no alignment). Once per set of units. The source gets its data in one go, added with it or set once: an
   * empty source filled right after made MapLibre's one worker load it twice while opening, ~100 ms of the
   * opening's tail in the app (the second load queued behind the units' tiles).
   */
  show(units: UnitCollection, territoryOf: readonly number[] | null, beforeLayer: string | undefined): void {
    this.pieces = borderPieces(units);
    this.piecesOf = units.features.map(() => []);
    this.pieces.forEach((piece, i) => {
      this.piecesOf[piece.a]?.push(i);
      if (piece.b >= 0) this.piecesOf[piece.b]?.push(i);
    });
    this.applied = [];
    const data: GeoJSON.FeatureCollection = {
      type: "FeatureCollection",
      features: territoryOf === null ? [] : this.borderFeatures(territoryOf),
    };
    const existing = this.map.getSource(BORDERS_SOURCE) as GeoJSONSource | undefined;
    if (existing) {
      existing.setData(data);
      return;
    }
    // Simplified as the unit outlines are, so the two stay together.
    this.map.addSource(BORDERS_SOURCE, { type: "geojson", data, buffer: 16, maxzoom: 12, tolerance: SIMPLIFY_PX });
    this.map.addLayer(
      {
        id: "territory-borders",
        type: "line",
        source: BORDERS_SOURCE,
        layout: { "line-join": "round" },
        paint: {
          "line-color": "#243b53",
          "line-width": ["interpolate", ["linear"], ["zoom"], 3, 1.2, 8, 2.6],
          "line-opacity": 0.9,
        },
      },
      beforeLayer,
    );
  }

  /** Every piece on a territory border under `territoryOf`, marked as applied. */
  private borderFeatures(territoryOf: readonly number[]): GeoJSON.Feature[] {
    const features: GeoJSON.Feature[] = [];
    this.pieces.forEach((piece, i) => {
      const border = isTerritoryBorder(piece, territoryOf);
      this.applied[i] = border;
      if (border) features.push(pieceFeature(piece, i));
    });
    return features;
  }

  /** Brings the pieces around `units` (all pieces when `units` is `null`) up to date with `territoryOf`. */
  update(territoryOf: readonly number[], units: readonly number[] | null): void {
    const source = this.map.getSource(BORDERS_SOURCE) as GeoJSONSource | undefined;
    if (source === undefined) return;
    if (units === null) {
      this.applied = [];
      source.setData({ type: "FeatureCollection", features: this.borderFeatures(territoryOf) });
      return;
    }
    const add: GeoJSON.Feature[] = [];
    const remove: number[] = [];
    const visit = (i: number): void => {
      const piece = this.pieces[i];
      if (piece === undefined) return;
      const border = isTerritoryBorder(piece, territoryOf);
      if ((this.applied[i] ?? false) === border) return;
      if (border) add.push(pieceFeature(piece, i));
      else remove.push(i);
      this.applied[i] = border;
    };
    for (const u of units) for (const i of this.piecesOf[u] ?? []) visit(i);
    if (add.length > 0 || remove.length > 0) source.updateData({ add, remove });
  }
}

function pieceFeature(piece: BorderPiece, id: number): GeoJSON.Feature {
  return { type: "Feature", id, properties: {}, geometry: { type: "MultiLineString", coordinates: piece.lines } };
}
