import maplibregl, { type StyleSpecification } from "maplibre-gl";

/** Layer ids of the base map, so unit layers can be inserted between the land fill and the state outlines. */
export const STATE_OUTLINE_LAYER = "states-outline";

/**
 * The URL scheme of the state outlines' tiles, which the backend cuts in Rust like the units'
 * (`state_tile`, src-tauri/src/map_tiles/states.rs). MapLibre's worker asks the main thread for them;
 * {@link registerStateTiles} answers with the backend's bytes.
 */
export const STATE_TILE_SCHEME = "tessera-states";
/** The layer inside the state outlines' tiles (`LAYER` in src-tauri/src/map_tiles/states.rs). */
const STATES_LAYER = "states";
/** Deepest zoom the backend cuts (`MAX_ZOOM` in src-tauri/src/map_tiles/mod.rs); MapLibre overzooms past it. */
const STATE_TILE_MAXZOOM = 14;

/** Where a vector tile source's tiles come from: tile `z`/`x`/`y` as Mapbox Vector Tile bytes. */
export type TileSource = (z: number, x: number, y: number) => Promise<ArrayBuffer>;

/**
 * Serves {@link STATE_TILE_SCHEME} URLs (`tessera-states://<z>/<x>/<y>`) from `tiles`, for every map of this page.
 * Before, the outlines were a GeoJSON source: MapLibre's one worker indexed their 14,839 points first thing,
 * and the units' first tile waited for that at every opening (BENCHMARKS.md, "Opening on a quiet machine").
 */
export function registerStateTiles(tiles: TileSource): void {
  maplibregl.addProtocol(STATE_TILE_SCHEME, async (params) => {
    const match = /(\d+)\/(\d+)\/(\d+)$/.exec(params.url);
    if (match === null) throw new Error(`not a state tile URL: ${params.url}`);
    const [z, x, y] = match.slice(1).map(Number) as [number, number, number];
    return { data: await tiles(z, x, y) };
  });
}

/**
 * The map's style: a plain background, land filled from the state polygons, and state outlines on top.
 * Strictly offline: no `glyphs`, no `sprite` and no remote sources, so MapLibre never fetches anything (the
 * outlines' tiles come from the backend, {@link registerStateTiles}). (Text labels need glyphs; territory labels
 * are HTML markers.)
 */
export function baseStyle(): StyleSpecification {
  return {
    version: 8,
    name: "tessera-offline",
    sources: {
      states: {
        type: "vector",
        tiles: [`${STATE_TILE_SCHEME}://{z}/{x}/{y}`],
        maxzoom: STATE_TILE_MAXZOOM,
        attribution: "State outlines: US Census Bureau cartographic boundaries (via us-atlas)",
      },
    },
    layers: [
      { id: "background", type: "background", paint: { "background-color": "#dce6ee" } },
      { id: "states-land", type: "fill", source: "states", "source-layer": STATES_LAYER, paint: { "fill-color": "#f3f1ec" } },
      {
        id: STATE_OUTLINE_LAYER,
        type: "line",
        source: "states",
        "source-layer": STATES_LAYER,
        paint: { "line-color": "#3d4852", "line-width": ["interpolate", ["linear"], ["zoom"], 3, 0.8, 8, 2] },
      },
    ],
  };
}
