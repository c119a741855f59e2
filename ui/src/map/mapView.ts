import maplibregl, { type Map as MapLibreMap, type MapMouseEvent } from "maplibre-gl";
import "maplibre-gl/dist/maplibre-gl.css";
import type { FeatureCollection } from "geojson";
import type { AppState, Store } from "../state";
import { boundsOf, centralBoundsOfBoxes, unitExtents, type Bounds } from "./bounds";
import { NamedAccountsLayer } from "./namedAccountsLayer";
import { baseStyle, STATE_OUTLINE_LAYER, STATES_ATTRIBUTION } from "./style";
import { EditTools } from "./editTools";
import { TerritoryLabels } from "./labels";
import type { Point } from "./selection";
import { BaseMapLayers, pointUnitRadius, RepGraphics, UnitGraphics } from "./glLayers";
import { outlineMesh, pointMesh, polygonFillMesh, unitMeshes } from "./meshes";
import { UnitHits } from "./hitTest";
import { addLockHatch, LAND_LAYER, UnitOverlays, UNITS_LAYER_ID } from "./unitLayers";

/**
 * Names of the `performance.mark`s the map leaves while opening a workbook, in order (bench/app/open-time.mjs
 * reads them; nothing in the app does). `open`: the store started loading; `arrived`: the units arrived (all IPC
 * done); `units`: the map starts drawing them (once its style is loaded); `units-sent`: their meshes built and
 * handed to the map's WebGL layers; `colored`: every unit's colour set; `borders`: the territory borders set;
 * `labels`: territory labels placed; `drawn`: the first idle frame after that, coloured territories on screen.
 * (`tessera:style-loaded` marks the base style's load, which the units wait for when they arrive first;
 * `tessera:frame` each frame drawn while opening.) Until 3 Dec 2026 the units were vector tiles that MapLibre's
 * worker built, with marks for its steps; see BENCHMARKS.md.
 */
export const OPEN_MARKS = ["open", "arrived", "units", "units-sent", "colored", "borders", "labels", "drawn"] as const;

function mark(name: (typeof OPEN_MARKS)[number]): void {
  performance.mark(`tessera:${name}`);
}

/**
 * The contiguous US, the view before a workbook is loaded, framed exactly as a US-wide workbook is framed later
 * (same padding), so opening one does not move the map.
 */
const US_BOUNDS: [[number, number], [number, number]] = [
  [-124.85, 24.4],
  [-66.9, 49.4],
];
/** Padding around the units when the map frames them. */
const FIT_PADDING = 24;

/** Radius (CSS px) around a point unit's centre that hovers or clicks it: its drawn disc and ring. */
function pointHitRadius(zoom: number): number {
  return pointUnitRadius(zoom) + 2;
}

/**
 * The deepest zoom: street level. The map's own layers hold Web Mercator coordinates as 32-bit floats, rounded
 * to within 1.5e-8 of the world's width (US longitudes): a quarter of a pixel at zoom 15, twice that per zoom
 * past it.
 */
const MAX_ZOOM = 15;

/**
 * The map: draws the store's units, recolours them when the alignment changes and reports hovering back to
 * the store. Sets `data-map-ready="true"` on its container once the units are drawn (tests wait for it), and
 * `data-draw-ms`: milliseconds from receiving the units to that first complete frame (the "drawn within 1 s"
 * budget of issue 4).
 *
 * The base map, the units, the territory borders and the reps are the map's own WebGL layers (./glLayers.ts),
 * drawn from meshes built here: MapLibre's worker, cold for the first ~0.4 s of a window and slow to tile after
 * that, has nothing to do before the first frame. The overlays (locked, selected, hovered units), named accounts
 * and team outlines stay MapLibre GeoJSON layers, made when first needed.
 */
export class MapView {
  readonly map: MapLibreMap;
  private loaded = false;
  /** Units highlighted as members of the selected territories. */
  private highlighted = new Set<number>();
  private anchors: Point[] = [];
  /** Units drawn as locked. */
  private lockedShown: ReadonlySet<number> = new Set();
  private readonly labels: TerritoryLabels;
  private readonly overlays: UnitOverlays;
  private readonly named: NamedAccountsLayer;
  private readonly graphics: UnitGraphics;
  private readonly reps: RepGraphics;
  private readonly baseMap: BaseMapLayers;
  /** Hit tests on the current units (null before any). */
  private hits: UnitHits | null = null;
  /** When the current units were handed to the map (`data-draw-ms` counts from there). */
  private openStarted = 0;
  /** Stops the opening's frame marks once drawn. */
  private stopOpenMarks: () => void = () => undefined;
  /** What the map was last framed on; re-framed on resize until the planner pans or zooms. */
  private framed: Bounds | null = null;

  constructor(
    private readonly container: HTMLElement,
    private readonly store: Store,
    states: FeatureCollection,
  ) {
    this.map = new maplibregl.Map({
      container,
      style: baseStyle(),
      bounds: US_BOUNDS,
      fitBoundsOptions: { padding: FIT_PADDING },
      maxZoom: MAX_ZOOM,
      attributionControl: { compact: true, customAttribution: STATES_ATTRIBUTION },
      // Software WebGL (Xvfb, CI) is slow; fading adds frames and nothing for a planner.
      fadeDuration: 0,
    });
    this.map.addControl(new maplibregl.NavigationControl({ showCompass: false }), "top-right");
    this.map.addControl(new FitControl(() => this.fitAll()), "top-right");
    // A resized window keeps the data framed, unless the planner has moved the map since (their view wins).
    this.map.on("resize", () => {
      if (this.framed !== null) this.map.fitBounds(this.framed, { padding: FIT_PADDING, animate: false });
    });
    this.map.on("movestart", (e) => {
      if ((e as { originalEvent?: unknown }).originalEvent !== undefined) this.framed = null;
    });
    this.map.addControl(new maplibregl.ScaleControl({ unit: "metric" }), "bottom-right");
    new EditTools(this.map, this.store, {
      anchors: () => this.anchors,
      unitAt: (e) => this.unitAt(e),
      unitsInBox: (box) => this.unitsInBox(box),
    });
    this.labels = new TerritoryLabels(this.map);
    this.overlays = new UnitOverlays(this.map);
    this.named = new NamedAccountsLayer(this.map);
    this.graphics = new UnitGraphics(this.map);
    this.reps = new RepGraphics(this.map);
    this.baseMap = new BaseMapLayers(polygonFillMesh(states.features), outlineMesh(states.features));
    this.map.once("style.load", () => {
      performance.mark("tessera:style-loaded");
      // Bottom to top: land, units, state outlines, territory borders, reps; the overlays go between these
      // (layerAbove in unitLayers.ts) when first needed.
      this.map.addLayer(this.baseMap.landLayer(LAND_LAYER));
      this.map.addLayer(this.graphics.unitsLayer(UNITS_LAYER_ID));
      this.map.addLayer(this.baseMap.outlineLayer(STATE_OUTLINE_LAYER));
      this.map.addLayer(this.graphics.bordersLayer("territory-borders"));
      this.map.addLayer(this.reps.layer("reps"));
      addLockHatch(this.map);
      // Draw once now, while the workbook's data is still on its way: the first frame after a style change
      // makes MapLibre draw a second one (the change's "styledata" marks the style dirty again), which, left to
      // the frame that first shows the units, cost a whole extra frame (~120 ms in software WebGL) of every opening.
      this.map.redraw();
      this.loaded = true;
      this.render(this.store.getState(), null);
    });
    this.store.subscribe((state, previous) => {
      if (state.status === "loading" && previous.status !== "loading") mark("open");
      if (state.units !== previous.units && state.units !== null) mark("arrived");
      if (this.loaded) this.render(state, previous);
    });
    this.map.on("mousemove", (e: MapMouseEvent) => {
      const unit = this.unitAt(e);
      this.map.getCanvas().style.cursor = unit === null ? "" : "pointer";
      this.store.hover(unit);
    });
    this.map.on("mouseout", () => {
      this.map.getCanvas().style.cursor = "";
      this.store.hover(null);
    });
  }

  /** The unit under the pointer of `e`, or null. */
  private unitAt(e: MapMouseEvent): number | null {
    if (this.hits === null) return null;
    const map = this.map;
    return this.hits.unitAt(
      [e.lngLat.lng, e.lngLat.lat],
      [e.point.x, e.point.y],
      pointHitRadius(map.getZoom()),
      (p) => map.unproject(p).toArray() as Point,
      (p) => {
        const q = map.project(p);
        return [q.x, q.y];
      },
    );
  }

  /** The units a screen box (corners in CSS px) touches. */
  private unitsInBox([a, b]: [Point, Point]): number[] {
    if (this.hits === null) return [];
    const map = this.map;
    const nw = map.unproject(a);
    const se = map.unproject(b);
    // A point counts when its disc reaches into the box: the disc's radius in degrees here.
    const r = pointHitRadius(map.getZoom());
    const grown = map.unproject([b[0] + r, b[1] + r]);
    return this.hits.unitsInBox(
      [
        [nw.lng, se.lat],
        [se.lng, nw.lat],
      ],
      [grown.lng - se.lng, se.lat - grown.lat],
    );
  }

  /**
   * Frames `bounds` and keeps it framed across resizes. (On opening, the data that matters: a few far specks
   * would shrink the rest into a corner; fit all shows them.)
   */
  private frame(bounds: Bounds | null): void {
    if (bounds === null) return;
    this.map.fitBounds(bounds, { padding: FIT_PADDING, animate: false });
    this.framed = bounds;
  }

  /** Frames every unit, far specks included (the fit-all button and the F key). */
  fitAll(): void {
    const units = this.store.getState().units;
    this.frame(units === null ? US_BOUNDS : boundsOf(units));
  }

  /** Outlines the units of the selected territories; zooms to them when the selection changed. */
  private highlight(state: AppState, zoom: boolean): void {
    const selected = new Set(state.selectedTerritories);
    const of = state.alignment?.territoryOf ?? [];
    const next = new Set<number>();
    if (selected.size > 0) of.forEach((t, i) => selected.has(t) && next.add(i));
    // An edit inside the selection leaves the outlined units as they are: resend nothing then.
    const same = next.size === this.highlighted.size && [...next].every((u) => this.highlighted.has(u));
    if (!same) this.overlays.set("selected", next);
    this.highlighted = next;
    if (!zoom || next.size === 0 || state.units === null) return;
    const features = state.units.features.filter((_, i) => next.has(i));
    const bounds = boundsOf({ type: "FeatureCollection", features });
    if (bounds) this.map.fitBounds(bounds, { padding: 60, maxZoom: 9, duration: 300 });
    // The planner asked for this view: a resize no longer re-frames all the data.
    this.framed = null;
  }

  /** Brings the map up to `state` from `previous` (`null`: draw everything). */
  private render(state: AppState, previous: AppState | null): void {
    const { units } = state;
    if (units === null) return;
    const unitsChanged = previous === null || previous.units !== units;
    if (unitsChanged) this.sendUnits(state);
    this.apply(state, unitsChanged ? null : previous);
  }

  /** Builds the new units' meshes and hands them to the map's layers; `apply(…, null)` must follow. */
  private sendUnits(state: AppState): void {
    const units = state.units;
    if (units === null) return;
    this.openStarted = performance.now();
    mark("units");
    this.container.dataset.mapReady = "false";
    this.graphics.setUnits(unitMeshes(units), units.features.length);
    mark("units-sent");
    // Frames drawn while opening (`tessera:frame` marks: the benchmarks count them).
    const onRender = (): void => void performance.mark("tessera:frame");
    this.map.on("render", onRender);
    this.stopOpenMarks = () => this.map.off("render", onRender);
  }

  /** Applies what changed between `previous` and `state`; `previous === null`: everything but the geometry. */
  private apply(state: AppState, previous: AppState | null): void {
    const { units } = state;
    if (units === null) return;
    const unitsChanged = previous === null;
    if (unitsChanged) {
      this.overlays.reset(units);
      this.highlighted.clear();
      this.lockedShown = new Set();
      const extents = unitExtents(units);
      this.anchors = extents.anchors;
      this.hits = new UnitHits(units, extents.boxes);
      const reps = state.workbook?.reps ?? [];
      this.reps.set(pointMesh(reps.map((r) => [r.lon, r.lat] as const)));
      this.frame(centralBoundsOfBoxes(extents.boxes));
    }
    const alignmentChanged = unitsChanged || previous.alignment !== state.alignment;
    const colorsChanged = unitsChanged || previous.territoryColors !== state.territoryColors;
    if (alignmentChanged || colorsChanged) {
      // An edit recolours only the moved units.
      const only = !colorsChanged && state.changedUnits !== null ? state.changedUnits : null;
      this.graphics.setColors((i) => this.store.unitColor(i), only);
    }
    if (unitsChanged) mark("colored");
    if (alignmentChanged) {
      const edit = !unitsChanged && state.alignment !== null ? state.changedUnits : null;
      this.graphics.setTerritories(state.alignment?.territoryOf ?? null, edit);
    }
    if (unitsChanged) mark("borders");
    if (unitsChanged || previous.locked !== state.locked) {
      if (state.locked.size > 0 || this.lockedShown.size > 0) this.overlays.set("locked", state.locked);
      this.lockedShown = state.locked;
    }
    const selectionChanged = unitsChanged || previous.selectedTerritories !== state.selectedTerritories;
    if (selectionChanged || alignmentChanged) this.highlight(state, selectionChanged);
    if (alignmentChanged || colorsChanged || previous.figures !== state.figures) {
      this.labels.update(state, this.anchors);
    }
    if (unitsChanged) mark("labels");
    if (alignmentChanged || colorsChanged || previous.workbook !== state.workbook) {
      this.named.show(state.workbook?.namedAccounts ?? [], state.alignment, state.territoryColors);
    }
    if (!unitsChanged && previous.hovered !== state.hovered) {
      this.graphics.setHovered(state.hovered);
      this.overlays.set("hover", state.hovered === null ? [] : [state.hovered]);
    }
    if (unitsChanged) {
      // Everything has its data now: the next idle frame shows it all.
      this.map.once("idle", () => {
        this.stopOpenMarks();
        mark("drawn");
        this.container.dataset.drawMs = String(Math.round(performance.now() - this.openStarted));
        this.container.dataset.mapReady = "true";
      });
    }
  }
}

/** The map's "fit all" button, under the zoom buttons. */
class FitControl implements maplibregl.IControl {
  private node: HTMLElement | null = null;

  constructor(private readonly onFit: () => void) {}

  onAdd(): HTMLElement {
    const node = document.createElement("div");
    node.className = "maplibregl-ctrl maplibregl-ctrl-group";
    const button = document.createElement("button");
    button.type = "button";
    button.className = "fit-all-button";
    button.title = "Fit all units (F)";
    button.setAttribute("aria-label", "Fit all units");
    button.textContent = "⤢";
    button.addEventListener("click", () => this.onFit());
    node.append(button);
    this.node = node;
    return node;
  }

  onRemove(): void {
    this.node?.remove();
    this.node = null;
  }
}
