import type { StyleSpecification } from "maplibre-gl";

/** Layer id of the state outlines (drawn by the map's own WebGL layer), above the units. */
export const STATE_OUTLINE_LAYER = "states-outline";

/** Where the base map's state polygons come from, shown in the map's attribution. */
export const STATES_ATTRIBUTION = "State outlines: US Census Bureau cartographic boundaries (via us-atlas)";

/**
 * The map's style: a plain background (the sea). The land and state outlines are the map's own WebGL layers
 * (./glLayers.ts), added once this style is loaded. Strictly offline: no `glyphs`, no `sprite` and no sources,
 * so MapLibre never fetches anything (territory labels are HTML markers). No paint transitions: MapLibre's
 * default eases every paint change over 300 ms, which kept it drawing frame after frame for the first ~0.3 s
 * of each opening (a layer added or an image registered restarts them) before the map was idle, and gives a
 * planner nothing.
 */
export function baseStyle(): StyleSpecification {
  return {
    version: 8,
    name: "tessera-offline",
    sources: {},
    transition: { duration: 0, delay: 0 },
    layers: [{ id: "background", type: "background", paint: { "background-color": "#dce6ee" } }],
  };
}
