import type { GeoJSONSource, Map as MapLibreMap } from "maplibre-gl";
import type { UnitCollection } from "../api";
import { UNASSIGNED_COLOR } from "../state";
import { STATE_OUTLINE_LAYER } from "./style";

/** The source holding the units. Feature id = unit index, the key of every feature-state update. */
export const UNITS_SOURCE = "units";
/** Layers the pointer can hover. */
export const INTERACTIVE_LAYERS = ["units-fill", "units-point"];

const isPolygon = ["match", ["geometry-type"], ["Polygon", "MultiPolygon"], true, false] as const;
const isPoint = ["match", ["geometry-type"], ["Point", "MultiPoint"], true, false] as const;
const hovered = ["boolean", ["feature-state", "hover"], false] as const;
const selected = ["boolean", ["feature-state", "selected"], false] as const;
const locked = ["boolean", ["feature-state", "locked"], false] as const;
/** Colours come from feature state, so recolouring after an edit never resends geometry. */
const stateColor = ["coalesce", ["feature-state", "color"], UNASSIGNED_COLOR] as const;

/**
 * Puts `units` on the map (replacing any earlier units): fill and thin borders for polygons, circles for
 * points. Each feature gets its unit index as numeric id.
 */
export function showUnits(map: MapLibreMap, units: UnitCollection): void {
  const data = { ...units, features: units.features.map((f, i) => ({ ...f, id: i })) };
  const existing = map.getSource(UNITS_SOURCE) as GeoJSONSource | undefined;
  if (existing) {
    map.removeFeatureState({ source: UNITS_SOURCE });
    existing.setData(data as GeoJSON.FeatureCollection);
    return;
  }
  // A small tile buffer (lines here are at most 2 px wide) halves the first draw of the 3,108 US counties in
  // software WebGL (~1.25 s → ~0.65 s, headless Chromium); units need no tiles past zoom 12 (overzoomed there).
  map.addSource(UNITS_SOURCE, {
    type: "geojson",
    data: data as GeoJSON.FeatureCollection,
    buffer: 16,
    maxzoom: 12,
  });
  const before = map.getLayer(STATE_OUTLINE_LAYER) ? STATE_OUTLINE_LAYER : undefined;
  map.addLayer(
    {
      id: "units-fill",
      type: "fill",
      source: UNITS_SOURCE,
      filter: isPolygon as never,
      paint: {
        "fill-color": stateColor as never,
        "fill-opacity": ["case", hovered, 1, 0.85] as never,
      },
    },
    before,
  );
  map.addLayer(
    {
      id: "units-border",
      type: "line",
      source: UNITS_SOURCE,
      filter: isPolygon as never,
      paint: {
        "line-color": "#52606d",
        "line-opacity": 0.55,
        "line-width": ["interpolate", ["linear"], ["zoom"], 3, 0.2, 8, 0.8] as never,
      },
    },
    before,
  );
  map.addLayer(
    {
      id: "units-point",
      type: "circle",
      source: UNITS_SOURCE,
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
  // Locked units: a dashed dark-red outline (polygons) or ring (points).
  map.addLayer({
    id: "units-locked",
    type: "line",
    source: UNITS_SOURCE,
    filter: isPolygon as never,
    paint: {
      "line-color": "#8a1c1c",
      "line-width": 1.4,
      "line-dasharray": [2, 1.5],
      "line-opacity": ["case", locked, 0.9, 0] as never,
    },
  });
  map.addLayer({
    id: "units-locked-point",
    type: "circle",
    source: UNITS_SOURCE,
    filter: isPoint as never,
    paint: {
      "circle-radius": ["interpolate", ["linear"], ["zoom"], 3, 4.5, 10, 9] as never,
      "circle-color": "rgba(0,0,0,0)",
      "circle-stroke-color": "#8a1c1c",
      "circle-stroke-width": ["case", locked, 1.5, 0] as never,
    },
  });
  // Units of the territories selected in the figures panel get a dark outline.
  map.addLayer({
    id: "units-selected",
    type: "line",
    source: UNITS_SOURCE,
    filter: isPolygon as never,
    paint: { "line-color": "#102a43", "line-width": 1.6, "line-opacity": ["case", selected, 0.9, 0] as never },
  });
  map.addLayer({
    id: "units-selected-point",
    type: "circle",
    source: UNITS_SOURCE,
    filter: isPoint as never,
    paint: {
      "circle-radius": ["interpolate", ["linear"], ["zoom"], 3, 3.5, 10, 8] as never,
      "circle-color": "rgba(0,0,0,0)",
      "circle-stroke-color": "#102a43",
      "circle-stroke-width": ["case", selected, 1.5, 0] as never,
    },
  });
  // The hovered unit's outline sits above the state outlines so it is never hidden.
  map.addLayer({
    id: "units-hover",
    type: "line",
    source: UNITS_SOURCE,
    filter: isPolygon as never,
    paint: { "line-color": "#1f2933", "line-width": 2, "line-opacity": ["case", hovered, 1, 0] as never },
  });
}

/** The part of the map recolouring needs (a fake in unit tests). */
export interface FeatureStateTarget {
  setFeatureState(feature: { source: string; id: number }, state: Record<string, unknown>): unknown;
}

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
    map.setFeatureState({ source: UNITS_SOURCE, id }, { color });
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
    map.setFeatureState({ source: UNITS_SOURCE, id }, { color });
    applied[id] = color;
    changed++;
  }
  return changed;
}

/** Moves the "selected" outline from the units in `from` to those in `to`, touching only the difference. */
export function setSelected(map: FeatureStateTarget, from: ReadonlySet<number>, to: ReadonlySet<number>): void {
  setFlag(map, "selected", from, to);
}

/** Moves boolean feature state `flag` from the units in `from` to those in `to`, touching only the difference. */
export function setFlag(map: FeatureStateTarget, flag: string, from: ReadonlySet<number>, to: ReadonlySet<number>): void {
  for (const id of from) if (!to.has(id)) map.setFeatureState({ source: UNITS_SOURCE, id }, { [flag]: false });
  for (const id of to) if (!from.has(id)) map.setFeatureState({ source: UNITS_SOURCE, id }, { [flag]: true });
}

/** Moves the hover highlight from unit `from` to unit `to`. */
export function setHovered(map: MapLibreMap, from: number | null, to: number | null): void {
  if (from !== null) map.setFeatureState({ source: UNITS_SOURCE, id: from }, { hover: false });
  if (to !== null) map.setFeatureState({ source: UNITS_SOURCE, id: to }, { hover: true });
}
