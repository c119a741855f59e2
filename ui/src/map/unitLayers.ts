import maplibregl, { type GeoJSONSource, type Map as MapLibreMap, type VectorTileSource } from "maplibre-gl";
import type { UnitCollection } from "../api";
import { UNASSIGNED_COLOR } from "../state";
import { STATE_OUTLINE_LAYER } from "./style";

/**
 * Thin unit borders: faint at the national view, where a county is a few pixels across, clearer zoomed in
 * (the 1 px outline's opacity grows as a 0.2 → 0.8 px line of 55% opacity did before).
 */
const UNIT_BORDER_COLOR = ["interpolate", ["linear"], ["zoom"], 3, "rgba(82, 96, 109, 0.3)", 8, "rgba(82, 96, 109, 0.55)"] as const;

/** The source holding the units. Feature id = unit index, the key of every feature-state update. */
export const UNITS_SOURCE = "units";
/** The layer inside the units' vector tiles (`src-tauri/src/map_tiles`, `LAYER`). */
export const UNITS_LAYER = "units";
/** Layers the pointer can hover. */
export const INTERACTIVE_LAYERS = ["units-fill", "units-point"];

/**
 * The URL scheme of the units' tiles. MapLibre's worker asks the main thread for a URL of a scheme it does not
 * fetch itself; {@link registerUnitTiles} answers there with the tile the backend cut (an IPC call: no fetch,
 * so the content security policy needs no new source).
 */
export const UNIT_TILE_SCHEME = "tessera-units";
/** Deepest zoom the backend cuts (`MAX_ZOOM` in src-tauri/src/map_tiles/mod.rs); MapLibre overzooms past it. */
const UNIT_TILE_MAXZOOM = 14;

/** Where the units' tiles come from: tile `z`/`x`/`y` as Mapbox Vector Tile bytes (the backend's `unit_tile`). */
export type UnitTileSource = (z: number, x: number, y: number) => Promise<ArrayBuffer>;

/** Unit tiles asked for and not answered yet, and who waits for that count to reach zero. */
let tilesInFlight = 0;
let tileWaiters: (() => void)[] = [];

/**
 * Serves {@link UNIT_TILE_SCHEME} URLs (`tessera-units://<generation>/<z>/<x>/<y>`) from `tiles`, for every map
 * of this page. The generation only makes each new set of units a new URL, so no tile of earlier units is reused.
 */
export function registerUnitTiles(tiles: UnitTileSource): void {
  maplibregl.addProtocol(UNIT_TILE_SCHEME, async (params) => {
    const match = /\/(\d+)\/(\d+)\/(\d+)$/.exec(params.url);
    if (match === null) throw new Error(`not a unit tile URL: ${params.url}`);
    const [z, x, y] = match.slice(1).map(Number) as [number, number, number];
    tilesInFlight++;
    try {
      return { data: await tiles(z, x, y) };
    } finally {
      // MapLibre posts the bytes to its worker when this promise settles, before the waiters' continuations.
      if (--tilesInFlight === 0) for (const wake of tileWaiters.splice(0)) wake();
    }
  });
}

/**
 * Resolves once every unit tile asked for has been answered, after at least one was asked for; or after
 * `timeoutMs` in any case (a map with nothing in view may ask for none).
 */
export function unitTilesAnswered(timeoutMs: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, timeoutMs);
    tileWaiters.push(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}

const isPolygon = ["match", ["geometry-type"], ["Polygon", "MultiPolygon"], true, false] as const;
const isPoint = ["match", ["geometry-type"], ["Point", "MultiPoint"], true, false] as const;
const hovered = ["boolean", ["feature-state", "hover"], false] as const;
/** Colours come from feature state, so recolouring after an edit never resends geometry. */
const stateColor = ["coalesce", ["feature-state", "color"], UNASSIGNED_COLOR] as const;

/** Bumped by each {@link showUnits}: part of the tile URLs. */
let tileGeneration = 0;

/**
 * Puts the backend's current units on the map (replacing any earlier units): fill and thin borders for polygons,
 * circles for points (the overlays of {@link UnitOverlays} come when first needed). The geometry comes as vector
 * tiles cut by the backend ({@link registerUnitTiles}), each feature with its unit index as id: MapLibre's worker
 * reads a few kilobytes per tile instead of tiling megabytes of GeoJSON copied over from the main thread.
 */
export function showUnits(map: MapLibreMap): void {
  const tiles = [`${UNIT_TILE_SCHEME}://${++tileGeneration}/{z}/{x}/{y}`];
  const existing = map.getSource(UNITS_SOURCE) as VectorTileSource | undefined;
  if (existing) {
    map.removeFeatureState({ source: UNITS_SOURCE, sourceLayer: UNITS_LAYER });
    existing.setTiles(tiles);
    return;
  }
  // Units need no tiles past the backend's deepest zoom (overzoomed there).
  map.addSource(UNITS_SOURCE, { type: "vector", tiles, maxzoom: UNIT_TILE_MAXZOOM });
  const before = map.getLayer(STATE_OUTLINE_LAYER) ? STATE_OUTLINE_LAYER : undefined;
  map.addLayer(
    {
      id: "units-fill",
      type: "fill",
      source: UNITS_SOURCE,
      "source-layer": UNITS_LAYER,
      filter: isPolygon as never,
      paint: {
        "fill-color": stateColor as never,
        "fill-opacity": ["case", hovered, 1, 0.85] as never,
        // The thin unit borders are the fill's own antialiasing outline (drawn anyway), not a line layer: a
        // line layer over every unit cost ~20% of each county frame and of the tiling in software WebGL.
        "fill-outline-color": UNIT_BORDER_COLOR as never,
      },
    },
    before,
  );
  map.addLayer(
    {
      id: "units-point",
      type: "circle",
      source: UNITS_SOURCE,
      "source-layer": UNITS_LAYER,
      filter: isPoint as never,
      paint: {
        "circle-color": stateColor as never,
        "circle-radius": ["interpolate", ["linear"], ["zoom"], 3, 2.5, 10, 7] as never,
        "circle-stroke-color": ["case", hovered, "#1f2933", "#52606d"] as never,
        "circle-stroke-width": ["case", hovered, 2, 0.5] as never,
      },
    },
    before,
  );
  // Locked units: a diagonal hatch over the fill, visible at any zoom (an outline alone vanished at the national
  // view, where a county is a few pixels), plus the dashed outline when zoomed in. The image is registered now;
  // the overlay's source and layers come when a unit is first locked.
  addLockHatch(map);
}

/** The image name of the locked units' hatch. */
export const LOCK_HATCH = "lock-hatch";

/** How each overlay is drawn: an outline for polygons (and a fill for locked ones), a ring for points. */
const OVERLAY_PAINT: Record<
  OverlayFlag,
  { line: Record<string, unknown>; circle?: Record<string, unknown>; fill?: Record<string, unknown> }
> = {
  locked: {
    fill: { "fill-pattern": LOCK_HATCH },
    line: { "line-color": "#8a1c1c", "line-width": 1.4, "line-dasharray": [2, 1.5], "line-opacity": 0.9 },
    circle: {
      "circle-radius": ["interpolate", ["linear"], ["zoom"], 3, 4.5, 10, 9],
      "circle-stroke-color": "#8a1c1c",
      "circle-stroke-width": 2.5,
    },
  },
  selected: {
    line: { "line-color": "#102a43", "line-width": 1.6, "line-opacity": 0.9 },
    circle: { "circle-radius": ["interpolate", ["linear"], ["zoom"], 3, 3.5, 10, 8], "circle-stroke-color": "#102a43" },
  },
  // The hovered unit's outline sits above the state outlines so it is never hidden (a hovered point shows it
  // through its own stroke, from feature state).
  hover: { line: { "line-color": "#1f2933", "line-width": 2 } },
};

/**
 * The layers drawn over the units, bottom to top. Overlays and the territory borders are created when first
 * needed, so each goes below the first of the later ones that exists by then ({@link layerAbove}).
 */
const OVER_UNITS = [
  "units-locked-fill",
  "units-locked",
  "units-locked-point",
  "territory-borders",
  "units-selected",
  "units-selected-point",
  "units-hover",
  "reps",
] as const;

/** The existing layer that layer `id` (one of the layers over the units) must go below, if any. */
export function layerAbove(map: { getLayer(id: string): unknown }, id: (typeof OVER_UNITS)[number]): string | undefined {
  return OVER_UNITS.slice(OVER_UNITS.indexOf(id) + 1).find((later) => map.getLayer(later) !== undefined);
}

/**
 * How far (in screen pixels at each zoom) MapLibre may simplify outlines it tiles from GeoJSON (the territory
 * borders): 1 px instead of the default 0.375 drops about half the vertices of a US-wide view of the counties,
 * which software WebGL draws in every frame; at any zoom the outline stays within a pixel of the true one. The
 * backend cuts the units' tiles with the same tolerance (`TOLERANCE` in src-tauri/src/map_tiles/mod.rs).
 */
export const SIMPLIFY_PX = 1;

/**
 * Registers the hatch locked units are filled with: dark red diagonals on transparent, 8 px, drawn here (the
 * style is offline: no sprite to load it from).
 */
function addLockHatch(map: MapLibreMap): void {
  if (map.hasImage(LOCK_HATCH)) return;
  const size = 8;
  const data = new Uint8Array(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      // Two-pixel-wide diagonals, repeating every 8 px, so the pattern tiles seamlessly.
      if ((x + y) % size < 2) {
        const k = (y * size + x) * 4;
        data.set([0x8a, 0x1c, 0x1c, 0xb0], k);
      }
    }
  }
  map.addImage(LOCK_HATCH, { width: size, height: size, data });
}

/** Unit flags drawn as outlines (polygons) or rings (points) over the units. */
export type OverlayFlag = "locked" | "selected" | "hover";

/** The source and outline layer id of overlay `flag`; its ring layer (points) is `units-<flag>-point`. */
const overlaySource = (flag: OverlayFlag): string => `units-${flag}`;

/**
 * Adds the source and layers of overlay `flag` holding `data`: a GeoJSON source with just the flagged units'
 * geometry. Not the units source with a feature-state opacity: MapLibre draws a layer's every feature, visible
 * or not, and in software WebGL each such invisible outline layer of the 3,108 counties cost ~40 ms a frame
 * (bench/app: three of them plus the territory borders made frames ~2.3× slower). Added only when the overlay
 * first has a unit: an empty source still costs its tiles on MapLibre's one worker while a workbook opens.
 */
function addOverlay(map: MapLibreMap, flag: OverlayFlag, data: GeoJSON.FeatureCollection): void {
  const paint = OVERLAY_PAINT[flag];
  const source = overlaySource(flag);
  map.addSource(source, { type: "geojson", data, buffer: 16, maxzoom: 12 });
  if (paint.fill) {
    map.addLayer(
      { id: "units-locked-fill", type: "fill", source, filter: isPolygon as never, paint: paint.fill as never },
      layerAbove(map, "units-locked-fill"),
    );
  }
  const line = `units-${flag}` as const;
  map.addLayer(
    { id: line, type: "line", source, filter: isPolygon as never, paint: paint.line as never },
    layerAbove(map, line),
  );
  if (paint.circle) {
    const ring = `units-${flag}-point` as "units-locked-point" | "units-selected-point";
    map.addLayer(
      {
        id: ring,
        type: "circle",
        source,
        filter: isPoint as never,
        paint: { "circle-color": "rgba(0,0,0,0)", "circle-stroke-width": 1.5, ...paint.circle } as never,
      },
      layerAbove(map, ring),
    );
  }
}

/**
 * The units currently flagged locked, selected or hovered, drawn by the overlays `showUnits` adds. Each change
 * resends only the flagged units' geometry (a few units, or a territory's) to its small source.
 */
export class UnitOverlays {
  private units: UnitCollection | null = null;

  constructor(private readonly map: MapLibreMap) {}

  /** Takes a new set of units (after `showUnits`); every overlay starts empty. */
  reset(units: UnitCollection): void {
    // Overlays are created empty: clearing them again would only make MapLibre reload their tiles.
    if (this.units !== null) for (const flag of ["locked", "selected", "hover"] as const) this.set(flag, []);
    this.units = units;
  }

  /** Draws overlay `flag` on exactly the units in `ids` (unit indices), adding its source on first use. */
  set(flag: OverlayFlag, ids: Iterable<number>): void {
    if (this.units === null) return;
    const source = this.map.getSource(overlaySource(flag)) as GeoJSONSource | undefined;
    const features: GeoJSON.Feature[] = [];
    for (const id of ids) {
      const unit = this.units.features[id];
      if (unit !== undefined) features.push({ type: "Feature", id, properties: {}, geometry: unit.geometry });
    }
    const data: GeoJSON.FeatureCollection = { type: "FeatureCollection", features };
    if (source !== undefined) source.setData(data);
    else if (features.length > 0) addOverlay(this.map, flag, data);
  }
}

/** The part of the map recolouring needs (a fake in unit tests). */
export interface FeatureStateTarget {
  setFeatureState(feature: { source: string; sourceLayer?: string; id: number }, state: Record<string, unknown>): unknown;
}

/** The feature of unit `id` in the units' source, as feature-state calls name it. */
const unitFeature = (id: number) => ({ source: UNITS_SOURCE, sourceLayer: UNITS_LAYER, id });

/**
 * Brings every unit's fill colour to `colorOf(unitIndex)`, touching only units whose colour differs from
 * `applied` (the colours last set, updated in place; empty after `showUnits`). An edit that moves a few units
 * costs a few feature-state updates, never geometry. Returns how many units changed.
 */
export function recolorUnits(
  map: FeatureStateTarget,
  count: number,
  colorOf: (unit: number) => string,
  applied: string[],
): number {
  let changed = 0;
  for (let id = 0; id < count; id++) {
    const color = colorOf(id);
    if (applied[id] === color) continue;
    map.setFeatureState(unitFeature(id), { color });
    applied[id] = color;
    changed++;
  }
  return changed;
}

/**
 * Brings the colour of just `units` to `colorOf(unit)` (an edit's moved units), recording it in `applied`.
 * Returns how many changed.
 */
export function recolorSome(
  map: FeatureStateTarget,
  units: readonly number[],
  colorOf: (unit: number) => string,
  applied: string[],
): number {
  let changed = 0;
  for (const id of units) {
    const color = colorOf(id);
    if (applied[id] === color) continue;
    map.setFeatureState(unitFeature(id), { color });
    applied[id] = color;
    changed++;
  }
  return changed;
}

/** Moves the hover feature state (fill opacity, point stroke) from unit `from` to unit `to`. */
export function setHovered(map: MapLibreMap, from: number | null, to: number | null): void {
  if (from !== null) map.setFeatureState(unitFeature(from), { hover: false });
  if (to !== null) map.setFeatureState(unitFeature(to), { hover: true });
}
