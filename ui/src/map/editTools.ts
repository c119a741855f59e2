import type { Map as MapLibreMap, MapMouseEvent } from "maplibre-gl";
import type { Store } from "../state";
import { boxOf, pointInPolygon, type Point } from "./selection";

/** What the edit tools ask the map about its units. */
export interface UnitLookup {
  /** Each unit's anchor in lon/lat (a lasso takes units whose anchor is inside it). */
  anchors(): Point[];
  /** The unit under the pointer of `e`, or null. */
  unitAt(e: MapMouseEvent): number | null;
  /** The units a screen box (corners in CSS px) touches. */
  unitsInBox(box: [Point, Point]): number[];
}

/**
 * Hand editing on the map. A click gives the unit to the active territory (Alt+click picks the unit's territory
 * as the active one instead); Shift+drag draws a box and Ctrl+drag a lasso, and every unit inside goes to the
 * active territory as one edit. MapLibre's own Shift-box zoom and Ctrl-drag rotation are turned off so these
 * gestures are free.
 */
export class EditTools {
  private drag: { mode: "box" | "lasso"; points: Point[] } | null = null;
  private readonly overlay: SVGSVGElement;
  private readonly shape: SVGPolygonElement;

  constructor(
    private readonly map: MapLibreMap,
    private readonly store: Store,
    private readonly units: UnitLookup,
  ) {
    map.boxZoom.disable();
    map.dragRotate.disable();
    map.touchZoomRotate.disableRotation();
    const container = map.getContainer();
    const ns = "http://www.w3.org/2000/svg";
    this.overlay = document.createElementNS(ns, "svg");
    this.overlay.classList.add("selection-overlay");
    this.shape = document.createElementNS(ns, "polygon");
    this.overlay.append(this.shape);
    this.overlay.style.display = "none";
    container.append(this.overlay);

    map.on("click", (e: MapMouseEvent) => this.onClick(e));
    // Capture on the map's parent runs before MapLibre's own handlers on the map container, so a modified
    // drag never pans the map.
    (container.parentElement ?? container).addEventListener("mousedown", (e) => this.onDown(e), { capture: true });
    window.addEventListener("mousemove", (e) => this.onMove(e));
    window.addEventListener("mouseup", () => this.onUp());
  }

  private onClick(e: MapMouseEvent): void {
    if (this.drag !== null) return;
    const id = this.units.unitAt(e);
    if (id === null) return;
    if (e.originalEvent.altKey || this.store.getState().activeTerritory === null) {
      // No active territory yet: the click picks one (the clicked unit's).
      const t = this.store.territoryOf(id);
      if (t !== null) this.store.setActiveTerritory(t);
      return;
    }
    void this.store.reassign([id]);
  }

  private position(e: MouseEvent): Point {
    const rect = this.map.getCanvas().getBoundingClientRect();
    return [e.clientX - rect.left, e.clientY - rect.top];
  }

  private onDown(e: MouseEvent): void {
    if (e.button !== 0 || !(e.shiftKey || e.ctrlKey)) return;
    if (!this.map.getContainer().contains(e.target as Node)) return;
    if ((e.target as Element).closest(".maplibregl-ctrl, .maplibregl-marker")) return;
    e.stopPropagation();
    e.preventDefault();
    this.drag = { mode: e.shiftKey ? "box" : "lasso", points: [this.position(e)] };
  }

  private onMove(e: MouseEvent): void {
    if (this.drag === null) return;
    const p = this.position(e);
    if (this.drag.mode === "box") {
      this.drag.points = [this.drag.points[0] as Point, p];
    } else {
      this.drag.points.push(p);
    }
    this.draw();
  }

  private draw(): void {
    const drag = this.drag;
    if (drag === null) return;
    let pts = drag.points;
    if (drag.mode === "box") {
      const [[x0, y0], [x1, y1]] = boxOf(pts);
      pts = [
        [x0, y0],
        [x1, y0],
        [x1, y1],
        [x0, y1],
      ];
    }
    this.shape.setAttribute("points", pts.map(([x, y]) => `${x},${y}`).join(" "));
    this.overlay.style.display = "";
  }

  private onUp(): void {
    const drag = this.drag;
    if (drag === null) return;
    this.overlay.style.display = "none";
    // Leave `drag` set until the click that follows this mouseup has been ignored.
    setTimeout(() => (this.drag = null), 0);
    const units = this.unitsIn(drag);
    if (units.length > 0) void this.store.reassign(units);
  }

  /** The units a finished box or lasso covers. */
  unitsIn(drag: { mode: "box" | "lasso"; points: Point[] }): number[] {
    const [a, b] = boxOf(drag.points);
    if (b[0] - a[0] < 3 && b[1] - a[1] < 3) return [];
    const ids = this.units.unitsInBox([a, b]);
    if (drag.mode === "box") return ids;
    const anchors = this.units.anchors();
    return ids.filter((id) => {
      const anchor = anchors[id];
      if (anchor === undefined) return false;
      const p = this.map.project(anchor);
      return pointInPolygon([p.x, p.y], drag.points);
    });
  }
}
