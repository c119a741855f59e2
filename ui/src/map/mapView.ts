import maplibregl, { type Map as MapLibreMap, type MapLayerMouseEvent } from "maplibre-gl";
import "maplibre-gl/dist/maplibre-gl.css";
import type { FeatureCollection } from "geojson";
import type { AppState, Store } from "../state";
import { boundsOf } from "./bounds";
import { showReps } from "./repLayer";
import { baseStyle } from "./style";
import { INTERACTIVE_LAYERS, recolorUnits, setHovered, showUnits } from "./unitLayers";

/** Rough view of the contiguous US, shown before a workbook is loaded. */
const US_CENTER: [number, number] = [-96, 38.5];

/**
 * The map: draws the store's units, recolours them when the alignment changes and reports hovering back to
 * the store. Sets `data-map-ready="true"` on its container once the units are drawn (tests wait for it), and
 * `data-draw-ms`: milliseconds from receiving the units to that first complete frame (the "drawn within 1 s"
 * budget of issue 4).
 */
export class MapView {
  readonly map: MapLibreMap;
  private loaded = false;
  /** The fill colour last set on each unit, so a recolour only touches units that change. */
  private appliedColors: string[] = [];

  constructor(
    private readonly container: HTMLElement,
    private readonly store: Store,
    states: FeatureCollection,
  ) {
    this.map = new maplibregl.Map({
      container,
      style: baseStyle(states),
      center: US_CENTER,
      zoom: 3,
      attributionControl: { compact: true },
      // Software WebGL (Xvfb, CI) is slow; fading adds frames and nothing for a planner.
      fadeDuration: 0,
    });
    this.map.addControl(new maplibregl.NavigationControl({ showCompass: false }), "top-right");
    this.map.addControl(new maplibregl.ScaleControl({ unit: "metric" }), "bottom-right");
    this.map.on("load", () => {
      this.loaded = true;
      this.render(this.store.getState(), null);
    });
    this.store.subscribe((state, previous) => {
      if (this.loaded) this.render(state, previous);
    });
    for (const layer of INTERACTIVE_LAYERS) {
      this.map.on("mousemove", layer, (e: MapLayerMouseEvent) => this.onHover(e));
      this.map.on("mouseleave", layer, () => {
        this.map.getCanvas().style.cursor = "";
        this.store.hover(null);
      });
    }
  }

  private onHover(e: MapLayerMouseEvent): void {
    const id = e.features?.[0]?.id;
    this.map.getCanvas().style.cursor = "pointer";
    this.store.hover(typeof id === "number" ? id : null);
  }

  /** Applies what changed between `previous` and `state`; `previous === null` means draw everything. */
  private render(state: AppState, previous: AppState | null): void {
    const { units } = state;
    if (units === null) return;
    const unitsChanged = previous === null || previous.units !== units;
    const started = performance.now();
    if (unitsChanged) {
      this.container.dataset.mapReady = "false";
      showUnits(this.map, units);
      this.appliedColors = [];
      showReps(this.map, state.workbook?.reps ?? []);
      const bounds = boundsOf(units);
      if (bounds) this.map.fitBounds(bounds, { padding: 24, animate: false });
    }
    if (unitsChanged || previous.alignment !== state.alignment || previous.territoryColors !== state.territoryColors) {
      recolorUnits(this.map, units.features.length, (i) => this.store.unitColor(i), this.appliedColors);
    }
    if (!unitsChanged && previous.hovered !== state.hovered) setHovered(this.map, previous.hovered, state.hovered);
    if (unitsChanged) {
      this.map.once("idle", () => {
        this.container.dataset.drawMs = String(Math.round(performance.now() - started));
        this.container.dataset.mapReady = "true";
      });
    }
  }
}
