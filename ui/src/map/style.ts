import type { StyleSpecification } from "maplibre-gl";
import type { FeatureCollection } from "geojson";

/** Layer ids of the base map, so unit layers can be inserted between the land fill and the state outlines. */
export const STATE_OUTLINE_LAYER = "states-outline";

/**
 * The map's style: a plain background, land filled from the state polygons, and state outlines on top.
 * Strictly offline: no `glyphs`, no `sprite` and no remote sources, so MapLibre never fetches anything.
 * (Text labels need glyphs; territory labels will be HTML markers.)
 */
export function baseStyle(states: FeatureCollection): StyleSpecification {
  return {
    version: 8,
    name: "tessera-offline",
    sources: {
      states: {
        type: "geojson",
        data: states,
        attribution: "State outlines: US Census Bureau cartographic boundaries (via us-atlas)",
      },
    },
    layers: [
      { id: "background", type: "background", paint: { "background-color": "#dce6ee" } },
      { id: "states-land", type: "fill", source: "states", paint: { "fill-color": "#f3f1ec" } },
      {
        id: STATE_OUTLINE_LAYER,
        type: "line",
        source: "states",
        paint: { "line-color": "#3d4852", "line-width": ["interpolate", ["linear"], ["zoom"], 3, 0.8, 8, 2] },
      },
    ],
  };
}
