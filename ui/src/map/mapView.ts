import maplibregl, { type Map as MapLibreMap, type MapLayerMouseEvent } from "maplibre-gl";
import "maplibre-gl/dist/maplibre-gl.css";
import type { FeatureCollection } from "geojson";
import type { AppState, Store } from "../state";
import { boundsOf, centralBoundsOfBoxes, unitExtents, type Bounds } from "./bounds";
import { NamedAccountsLayer } from "./namedAccountsLayer";
import { showReps } from "./repLayer";
import { baseStyle } from "./style";
import { EditTools } from "./editTools";
import { TerritoryLabels } from "./labels";
import { TerritoryBorders } from "./territoryBorders";
import type { Point } from "./selection";
import {
  INTERACTIVE_LAYERS,
  layerAbove,
  recolorSome,
  recolorUnits,
  registerUnitTiles,
  setHovered,
  showUnits,
  unitTilesAnswered,
  UnitOverlays,
  UNITS_SOURCE,
  type UnitTileSource,
} from "./unitLayers";

/**
 * Names of the `performance.mark`s the map leaves while opening a workbook, in order (bench/app/open-time.mjs
 * reads them; nothing in the app does). `open`: the store started loading; `arrived`: the units arrived (all IPC
 * done); `units`: the map starts drawing them (once its style is loaded); `units-sent`: the units' vector tile
 * source added; `tiles-answered`: the first unit tiles MapLibre asked for were handed to its
 * worker (see `MapView.render`); `deferred`: the next task begins the rest; `colored`: every unit's colour set;
 * `borders`: territory border pieces computed and sent; `labels`: territory labels placed; `units-indexed`: the
 * units source is set up (its metadata event; with GeoJSON, before 2 Dec 2026, this was the worker having
 * parsed and indexed the units); `source-loaded`: the units source's tiles in view are ready; `drawn`: the
 * first idle frame after that, coloured territories on screen. (`tessera:style-loaded` marks the base style's
 * load, which the units wait for when they arrive first; `tessera:frame` each frame drawn while opening.)
 */
export const OPEN_MARKS = [
  "open",
  "arrived",
  "units",
  "units-sent",
  "tiles-answered",
  "deferred",
  "colored",
  "borders",
  "labels",
  "units-indexed",
  "source-loaded",
  "drawn",
] as const;

function mark(name: (typeof OPEN_MARKS)[number]): void {
  performance.mark(`tessera:${name}`);
}

/**
 * The contiguous US, the view before a workbook is loaded. Framed exactly as a US-wide workbook is framed
 * later (same padding), so the base map's tiles loaded for it are the ones needed then: a first view at another
 * tile zoom made MapLibre load and draw the state outlines twice before the units (~300 ms in software WebGL).
 */
const US_BOUNDS: [[number, number], [number, number]] = [
  [-124.85, 24.4],
  [-66.9, 49.4],
];
/** Padding around the units when the map frames them. */
const FIT_PADDING = 24;

/** Longest wait for the first unit tiles before the rest of an opening goes ahead without them. */
const APPLY_WAIT_MS = 1000;

// MapLibre's worker count is left at its default (one here): two workers, so the units and their borders
// would be tiled side by side, opened the counties ~20% slower on this 2-core machine (bench/app/open-time.mjs),
// the second worker competing with software WebGL's raster threads.

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
  private readonly overlays: UnitOverlays;
  private readonly named: NamedAccountsLayer;
  /** Bumped by each new set of units, so a deferred `apply` for older units does nothing. */
  private generation = 0;
  /** Whether new units were sent and their `apply` has not run yet (it will read the newest state). */
  private pending = false;
  /** When the current units were handed to the map (`data-draw-ms` counts from there). */
  private openStarted = 0;
  /** Stops the opening's marks (frames, source data) once drawn. */
  private stopOpenMarks: () => void = () => undefined;
  /** What the map was last framed on; re-framed on resize until the planner pans or zooms. */
  private framed: Bounds | null = null;

  constructor(
    private readonly container: HTMLElement,
    private readonly store: Store,
    states: FeatureCollection,
    tiles: UnitTileSource,
  ) {
    registerUnitTiles(tiles);
    this.map = new maplibregl.Map({
      container,
      style: baseStyle(states),
      bounds: US_BOUNDS,
      fitBoundsOptions: { padding: FIT_PADDING },
      attributionControl: { compact: true },
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
    new EditTools(this.map, this.store, () => this.anchors);
    this.labels = new TerritoryLabels(this.map);
    this.borders = new TerritoryBorders(this.map);
    this.overlays = new UnitOverlays(this.map);
    this.named = new NamedAccountsLayer(this.map);
    // The units go on the map as soon as the style is parsed: "load" would wait for the base map's tiles
    // and first frame (~0.4 s in software WebGL), which the units' own tiling can overlap.
    this.map.once("style.load", () => {
      performance.mark("tessera:style-loaded");
      this.loaded = true;
      this.render(this.store.getState(), null);
    });
    this.store.subscribe((state, previous) => {
      if (state.status === "loading" && previous.status !== "loading") mark("open");
      if (state.units !== previous.units && state.units !== null) mark("arrived");
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

  /**
   * Brings the map up to `state` from `previous` (`null`: draw everything). New units' tiles are asked for at
   * once; everything else about them (framing, colours, territory borders, labels, overlays) follows once the
   * first tiles are on their way to MapLibre's worker.
   */
  private render(state: AppState, previous: AppState | null): void {
    const { units } = state;
    if (units === null) return;
    if (previous === null || previous.units !== units) {
      this.sendUnits();
      // The tiles travel through this thread (MapLibre's worker asks it for each tile, it asks the backend and
      // posts the bytes back), so the long task of framing, colouring 3,108 units, finding their border pieces
      // and placing labels (~200 ms in the app) waits until the first tiles were handed over: then the worker
      // builds them while this thread does that work. It reads the newest state then, so nothing that happens
      // meanwhile is lost. (Framing first put ~70 ms of cold JavaScript, in the app, before any tile was asked
      // for; the map starts framed on the contiguous US, the view of a US-wide workbook, so those first tiles
      // are the ones needed, and a smaller workbook's are few and small.)
      const generation = ++this.generation;
      this.pending = true;
      void unitTilesAnswered(APPLY_WAIT_MS).then(() => {
        mark("tiles-answered");
        setTimeout(() => {
          if (generation !== this.generation) return;
          this.pending = false;
          mark("deferred");
          this.apply(this.store.getState(), null);
        }, 0);
      });
      return;
    }
    if (!this.pending) this.apply(state, previous);
  }

  /** Points MapLibre at the new units' tiles; `apply(…, null)` must follow. */
  private sendUnits(): void {
    this.openStarted = performance.now();
    mark("units");
    this.container.dataset.mapReady = "false";
    showUnits(this.map);
    mark("units-sent");
    let indexed = false;
    const onData = (e: { sourceId?: string; isSourceLoaded?: boolean; sourceDataType?: string }): void => {
      if (e.sourceId !== UNITS_SOURCE) return;
      if (!indexed && e.sourceDataType === "metadata") {
        indexed = true;
        mark("units-indexed");
      }
      if (!e.isSourceLoaded) return;
      mark("source-loaded");
      this.map.off("sourcedata", onData);
    };
    // Frames drawn while opening (`tessera:frame` marks: the benchmarks count them).
    const onRender = (): void => void performance.mark("tessera:frame");
    this.map.on("sourcedata", onData);
    this.map.on("render", onRender);
    this.stopOpenMarks = () => {
      this.map.off("sourcedata", onData);
      this.map.off("render", onRender);
    };
  }

  /** Applies what changed between `previous` and `state`; `previous === null`: everything but the geometry. */
  private apply(state: AppState, previous: AppState | null): void {
    const { units } = state;
    if (units === null) return;
    const unitsChanged = previous === null;
    if (unitsChanged) {
      this.overlays.reset(units);
      this.appliedColors = [];
      this.highlighted.clear();
      this.lockedShown = new Set();
      const extents = unitExtents(units);
      this.anchors = extents.anchors;
      showReps(this.map, state.workbook?.reps ?? []);
      this.frame(centralBoundsOfBoxes(extents.boxes));
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
    if (unitsChanged) {
      mark("colored");
      // Territory outlines sit above the unit fills and thin borders, below the selection and hover outlines.
      this.borders.show(units, state.alignment?.territoryOf ?? null, layerAbove(this.map, "territory-borders"));
      mark("borders");
    } else if (alignmentChanged && state.alignment !== null) {
      this.borders.update(state.alignment.territoryOf, state.changedUnits);
    }
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
      setHovered(this.map, previous.hovered, state.hovered);
      this.overlays.set("hover", state.hovered === null ? [] : [state.hovered]);
    }
    if (unitsChanged) {
      // Every source has its data now: the next idle frame shows them all.
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
