/**
 * The data the backend sends the window. These mirror `src-tauri/src/dto.rs` field for field (serde
 * `rename_all = "camelCase"`); change both together.
 */

/** What kind of geometry the units have: polygons when the workbook holds them, else points. */
export type GeometryKind = "polygons" | "points";

/** A summary of the open workbook's dataset, enough for the side panel. */
export interface WorkbookSummary {
  /** The workbook's display name (its file name without extension). */
  name: string;
  /** The workbook's path on disk. */
  path: string;
  /** Number of units (counties, ZIP codes, accounts...). */
  unitCount: number;
  /** Names of the numeric measures, in import order (the first is the default workload). */
  measures: string[];
  /** Whether the units are drawn as polygons or points. */
  geometry: GeometryKind;
  /** Number of edges in the adjacency graph. */
  adjacencyEdges: number;
  /** Reps with their home bases. */
  reps: Rep[];
}

/** A rep and their home base. */
export interface Rep {
  id: string;
  name: string;
  lon: number;
  lat: number;
  /** Relative capacity (1.0 = full time). */
  capacity: number;
}

/**
 * The current alignment: territory names and, for every unit in unit order, the index of its territory in
 * `territories`. Unit order is the order of the features in the units GeoJSON.
 */
export interface Alignment {
  territories: string[];
  territoryOf: number[];
  /** Pairs `[a, b]` (`a < b`) of territories that have adjacent units. */
  adjacent: [number, number][];
}

/** A GeoJSON geometry as the backend sends it (only the kinds units can have). */
export type UnitGeometry =
  | { type: "Point"; coordinates: [number, number] }
  | { type: "Polygon"; coordinates: [number, number][][] }
  | { type: "MultiPolygon"; coordinates: [number, number][][][] };

/** One unit as a GeoJSON feature: `properties.id` is the unit id, the other numeric properties its measures. */
export interface UnitFeature {
  type: "Feature";
  id?: string | number;
  properties: { id: string; [key: string]: unknown };
  geometry: UnitGeometry;
}

/** The units of the open workbook, in unit order. */
export interface UnitCollection {
  type: "FeatureCollection";
  features: UnitFeature[];
}

/** An error from the backend, already worded for the planner. */
export interface BackendErrorPayload {
  /** A stable machine-readable kind (`no_workbook`, `workbook`, ...). */
  kind: string;
  /** A readable message naming the file and what is wrong. */
  message: string;
}
