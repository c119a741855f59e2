import maplibregl, { type Map as MapLibreMap, type MapLayerMouseEvent } from "maplibre-gl";
import "maplibre-gl/dist/maplibre-gl.css";
import type { FeatureCollection } from "geojson";
import type { AppState, Store } from "../state";
import { boundsOf } from "./bounds";
import { showReps } from "./repLayer";
import { baseStyle } from "./style";
import { EditTools } from "./editTools";
import { TerritoryLabels } from "./labels";
import { TerritoryBorders } from "./territoryBorders";
import { unitAnchors, type Point } from "./selection";
import {
  INTERACTIVE_LAYERS,
  recolorSome,
  recolorUnits,
  setFlag,
  setHovered,
  setSelected,
  showUnits,
} from "./unitLayers";

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
  /** Units highlighted as members of the selected territories. */
  private highlighted = new Set<number>();
  private anchors: Point[] = [];
  /** Units drawn as locked. */
  private lockedShown: ReadonlySet<number> = new Set();
  private readonly labels: TerritoryLabels;
  private readonly borders: TerritoryBorders;

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
    new EditTools(this.map, this.store, () => this.anchors);
    this.labels = new TerritoryLabels(this.map);
    this.borders = new TerritoryBorders(this.map);
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

  /** Outlines the units of the selected territories; zooms to them when the selection changed. */
  private highlight(state: AppState, zoom: boolean): void {
    const selected = new Set(state.selectedTerritories);
    const of = state.alignment?.territoryOf ?? [];
    const next = new Set<number>();
    if (selected.size > 0) of.forEach((t, i) => selected.has(t) && next.add(i));
    setSelected(this.map, this.highlighted, next);
    this.highlighted = next;
    if (!zoom || next.size === 0 || state.units === null) return;
    const features = state.units.features.filter((_, i) => next.has(i));
    const bounds = boundsOf({ type: "FeatureCollection", features });
    if (bounds) this.map.fitBounds(bounds, { padding: 60, maxZoom: 9, duration: 300 });
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
      this.highlighted.clear();
      this.lockedShown = new Set();
      this.anchors = unitAnchors(units);
      // Territory outlines sit above the unit fills and thin borders, below the selection and hover outlines.
      this.borders.show(units, "units-selected");
      showReps(this.map, state.workbook?.reps ?? []);
      const bounds = boundsOf(units);
      if (bounds) this.map.fitBounds(bounds, { padding: 24, animate: false });
    }
    const alignmentChanged = unitsChanged || previous.alignment !== state.alignment;
    const colorsChanged = unitsChanged || previous.territoryColors !== state.territoryColors;
    if (alignmentChanged || colorsChanged) {
      if (!colorsChanged && state.changedUnits !== null) {
        // An edit: only the moved units change colour.
        recolorSome(this.map, state.changedUnits, (i) => this.store.unitColor(i), this.appliedColors);
      } else {
        recolorUnits(this.map, units.features.length, (i) => this.store.unitColor(i), this.appliedColors);
      }
    }
    if (alignmentChanged && state.alignment !== null) {
      this.borders.update(state.alignment.territoryOf, unitsChanged ? null : state.changedUnits);
    }
    if (unitsChanged || previous.locked !== state.locked) {
      setFlag(this.map, "locked", this.lockedShown, state.locked);
      this.lockedShown = state.locked;
    }
    const selectionChanged = unitsChanged || previous.selectedTerritories !== state.selectedTerritories;
    if (selectionChanged || alignmentChanged) this.highlight(state, selectionChanged);
    if (alignmentChanged || colorsChanged || previous.figures !== state.figures) {
      this.labels.update(state, this.anchors);
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
