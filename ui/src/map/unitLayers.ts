import type { GeoJSONSource, Map as MapLibreMap } from "maplibre-gl";
import type { UnitCollection } from "../api";

const isPolygon = ["match", ["geometry-type"], ["Polygon", "MultiPolygon"], true, false] as const;
const isPoint = ["match", ["geometry-type"], ["Point", "MultiPoint"], true, false] as const;

/** The map's own layers (./glLayers.ts) of the base map and the units, bottom to top, with their ids. */
export const LAND_LAYER = "states-land";
export const UNITS_LAYER_ID = "units";

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
  // through its own ring, drawn by the units' layer from the hover flag: glLayers.ts).
  hover: { line: { "line-color": "#1f2933", "line-width": 2 } },
};

/**
 * The layers drawn over the units, bottom to top. The territory borders and reps are the map's own layers, there
 * from the start; the overlays are created when first needed, so each goes below the first of the later ones
 * that exists by then ({@link layerAbove}).
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
 * Registers the hatch locked units are filled with: dark red diagonals on transparent, 8 px, drawn here (the
 * style is offline: no sprite to load it from).
 */
export function addLockHatch(map: MapLibreMap): void {
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
 * geometry. Not every unit's outline with the unflagged ones made invisible: MapLibre draws a layer's every
 * feature, visible or not, and in software WebGL each such outline layer of the 3,108 counties cost ~40 ms a
 * frame (bench/app: three of them plus the territory borders made frames ~2.3× slower). Added only when the
 * overlay first has a unit: an empty source still costs its tiles on MapLibre's worker.
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
