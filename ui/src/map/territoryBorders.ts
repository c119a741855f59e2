import type { GeoJSONSource, Map as MapLibreMap } from "maplibre-gl";
import type { UnitCollection } from "../api";
import type { FeatureStateTarget } from "./unitLayers";

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
 * the pieces whose two units lie in different territories: the map draws them thicker through feature state,
 * so an edit restyles a few pieces and never recomputes or resends geometry. Points get no pieces.
 */
export function borderPieces(units: UnitCollection): BorderPiece[] {
  const key = (p: [number, number], q: [number, number]): string => {
    const a = `${p[0]},${p[1]}`;
    const b = `${q[0]},${q[1]}`;
    return a < b ? `${a}|${b}` : `${b}|${a}`;
  };
  // Segment → the first unit seen with it, then the second (or -2 once seen twice for the same unit).
  const owners = new Map<string, [number, number, [number, number], [number, number]]>();
  units.features.forEach((f, u) => {
    const g = f.geometry;
    const polygons = g.type === "Polygon" ? [g.coordinates] : g.type === "MultiPolygon" ? g.coordinates : [];
    for (const polygon of polygons) {
      for (const ring of polygon) {
        for (let i = 0; i + 1 < ring.length; i++) {
          const p = ring[i] as [number, number];
          const q = ring[i + 1] as [number, number];
          if (p[0] === q[0] && p[1] === q[1]) continue;
          const k = key(p, q);
          const seen = owners.get(k);
          if (seen === undefined) owners.set(k, [u, -1, p, q]);
          else if (seen[0] !== u && seen[1] === -1) seen[1] = u;
        }
      }
    }
  });
  const byPair = new Map<string, BorderPiece>();
  for (const [a0, b0, p, q] of owners.values()) {
    const [a, b] = b0 === -1 ? [a0, -1] : [Math.min(a0, b0), Math.max(a0, b0)];
    const k = `${a}:${b}`;
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
 * Territory outlines over the unit borders: a line layer of the border pieces, thick and dark where the two
 * sides are in different territories (feature state `border`), invisible elsewhere.
 */
export class TerritoryBorders {
  private pieces: BorderPiece[] = [];
  /** For each unit, the pieces it bounds. */
  private piecesOf: number[][] = [];
  private applied: boolean[] = [];

  constructor(private readonly map: MapLibreMap) {}

  /** Computes the pieces of `units` and puts them on the map (once per workbook). */
  show(units: UnitCollection, beforeLayer: string | undefined): void {
    this.pieces = borderPieces(units);
    this.piecesOf = units.features.map(() => []);
    this.pieces.forEach((piece, i) => {
      this.piecesOf[piece.a]?.push(i);
      if (piece.b >= 0) this.piecesOf[piece.b]?.push(i);
    });
    this.applied = [];
    const data: GeoJSON.FeatureCollection = {
      type: "FeatureCollection",
      features: this.pieces.map((piece, i) => ({
        type: "Feature",
        id: i,
        properties: {},
        geometry: { type: "MultiLineString", coordinates: piece.lines },
      })),
    };
    const existing = this.map.getSource(BORDERS_SOURCE) as GeoJSONSource | undefined;
    if (existing) {
      this.map.removeFeatureState({ source: BORDERS_SOURCE });
      existing.setData(data);
      return;
    }
    this.map.addSource(BORDERS_SOURCE, { type: "geojson", data, buffer: 16, maxzoom: 12 });
    this.map.addLayer(
      {
        id: "territory-borders",
        type: "line",
        source: BORDERS_SOURCE,
        layout: { "line-join": "round" },
        paint: {
          "line-color": "#243b53",
          "line-width": ["interpolate", ["linear"], ["zoom"], 3, 1.2, 8, 2.6],
          "line-opacity": ["case", ["boolean", ["feature-state", "border"], false], 0.9, 0],
        },
      },
      beforeLayer,
    );
  }

  /** Restyles the pieces around `units` (all pieces when `units` is `null`) for `territoryOf`. */
  update(territoryOf: readonly number[], units: readonly number[] | null): void {
    const target: FeatureStateTarget = this.map;
    const visit = (i: number): void => {
      const piece = this.pieces[i];
      if (piece === undefined) return;
      const border = isTerritoryBorder(piece, territoryOf);
      if (this.applied[i] === border) return;
      target.setFeatureState({ source: BORDERS_SOURCE, id: i }, { border });
      this.applied[i] = border;
    };
    if (units === null) for (let i = 0; i < this.pieces.length; i++) visit(i);
    else for (const u of units) for (const i of this.piecesOf[u] ?? []) visit(i);
  }
}
