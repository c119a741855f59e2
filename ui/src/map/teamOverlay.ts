import type { FeatureCollection } from "geojson";
import type { GeoJSONSource, Map as MapLibreMap } from "maplibre-gl";

/** The source of another team's territory outlines (overlay teams, issue 14). */
export const TEAM_OVERLAY_SOURCE = "team-overlay";
/** Its line layer, drawn above every other layer. */
export const TEAM_OVERLAY_LAYER = "team-overlay-lines";
/** A pale casing under the lines, so the dashes read over busy territory fills. */
export const TEAM_OVERLAY_CASING = "team-overlay-casing";

/**
 * Thin dashed violet lines: unlike the shown team's territory borders (solid dark blue), the unit outlines and
 * the red dashes of changed units, so the two teams' boundaries read apart where they cross.
 */
const PAINT = {
  "line-color": "#7b2cbf",
  "line-width": ["interpolate", ["linear"], ["zoom"], 3, 1.2, 8, 2],
  "line-dasharray": [3, 2],
  "line-opacity": 0.95,
};
const CASING = {
  "line-color": "#ffffff",
  "line-width": ["interpolate", ["linear"], ["zoom"], 3, 3, 8, 4.5],
  "line-opacity": 0.7,
};

/**
 * Draws `outlines` (another team's territories, one MultiPolygon each) as lines on top of the map, or removes
 * them for `null`. Called again with new outlines, it replaces them; the layers are moved to the top each time,
 * so layers the map added since (a newly opened workbook's units) stay beneath it. Waits for the style when
 * called before it has loaded.
 */
export function showTeamOverlay(map: MapLibreMap, outlines: FeatureCollection | null): void {
  if (!map.isStyleLoaded()) {
    map.once("idle", () => showTeamOverlay(map, outlines));
    return;
  }
  const source = map.getSource(TEAM_OVERLAY_SOURCE) as GeoJSONSource | undefined;
  if (outlines === null) {
    for (const layer of [TEAM_OVERLAY_LAYER, TEAM_OVERLAY_CASING]) if (map.getLayer(layer)) map.removeLayer(layer);
    if (source) map.removeSource(TEAM_OVERLAY_SOURCE);
    return;
  }
  if (source) source.setData(outlines);
  else map.addSource(TEAM_OVERLAY_SOURCE, { type: "geojson", data: outlines });
  if (!map.getLayer(TEAM_OVERLAY_CASING)) {
    map.addLayer({
      id: TEAM_OVERLAY_CASING,
      type: "line",
      source: TEAM_OVERLAY_SOURCE,
      layout: { "line-join": "round" },
      paint: CASING as never,
    });
  }
  if (!map.getLayer(TEAM_OVERLAY_LAYER)) {
    map.addLayer({
      id: TEAM_OVERLAY_LAYER,
      type: "line",
      source: TEAM_OVERLAY_SOURCE,
      layout: { "line-join": "round" },
      paint: PAINT as never,
    });
  }
  map.moveLayer(TEAM_OVERLAY_CASING);
  map.moveLayer(TEAM_OVERLAY_LAYER);
}
