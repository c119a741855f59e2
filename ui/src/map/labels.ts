import maplibregl, { type Map as MapLibreMap, type Marker } from "maplibre-gl";
import type { AppState } from "../state";
import { territoryCenters, type Point } from "./selection";

/**
 * Beyond this many territories labels are left out: each is a DOM marker that MapLibre moves on every frame of a
 * pan, and at that count few would find room anyway.
 */
const MAX_LABELS = 150;

/** Free pixels kept between two shown labels, so neighbours do not touch. */
const LABEL_GAP = 3;

/**
 * Where a label may go, in lines from its territory's centre: there first, else one line above, else one
 * below. A line off is still well inside a territory big enough to show a name at that zoom.
 */
const LABEL_SHIFTS = [0, -1, 1];

/** A label's screen box: its centre and size in CSS pixels. */
export interface LabelBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * Greedy label placement: where to show each label so that no two shown ones overlap. Labels are taken in
 * order of `priority` (highest first; ties by index, so the result is stable); each tries the vertical
 * `shifts` in turn (in label heights plus the gap: 0 is at its anchor, -1 one line above, 1 one line below) and
 * takes the first where its box, grown by `gap` pixels, meets no box already placed. The answer is, per label,
 * the shift in pixels it was placed at, or null for a hidden label. Labels entirely outside the `viewport` are
 * hidden and block nothing. O(n² · shifts) box tests: fine for the few hundred territories a map labels.
 */
export function placeLabels(
  boxes: readonly LabelBox[],
  priority: readonly number[],
  viewport: { width: number; height: number },
  { gap = LABEL_GAP, shifts = [0] }: { gap?: number; shifts?: readonly number[] } = {},
): (number | null)[] {
  const order = boxes.map((_, i) => i).sort((a, b) => (priority[b] ?? 0) - (priority[a] ?? 0) || a - b);
  const placement: (number | null)[] = boxes.map(() => null);
  const placed: [number, number, number, number][] = [];
  // Half the gap on every side of each box leaves `gap` pixels between two neighbours.
  const g = gap / 2;
  for (const i of order) {
    const b = boxes[i];
    if (b === undefined) continue;
    for (const shift of shifts) {
      const dy = shift * (b.height + gap);
      const x0 = b.x - b.width / 2 - g;
      const y0 = b.y + dy - b.height / 2 - g;
      const x1 = x0 + b.width + gap;
      const y1 = y0 + b.height + gap;
      if (x1 < g || y1 < g || x0 > viewport.width - g || y0 > viewport.height - g) continue;
      if (placed.some(([px0, py0, px1, py1]) => x0 < px1 && px0 < x1 && y0 < py1 && py0 < y1)) continue;
      placed.push([x0, y0, x1, y1]);
      placement[i] = dy;
      break;
    }
  }
  return placement;
}

/**
 * Territory names as HTML markers at the mean position of each territory's units. HTML, not map text, because
 * map text needs glyph fonts and the style must stay offline. Labels never overlap: the territories with more
 * units are placed first, a label that would cover one moves a line up or down or is hidden, and that is redone
 * whenever the map stops moving.
 */
export class TerritoryLabels {
  private markers: Marker[] = [];
  /** Each marker's territory size (its unit count), the placement priority. */
  private sizes: number[] = [];
  /** Each marker's measured [width, height], or null when its text changed since the last measure. */
  private extents: ([number, number] | null)[] = [];

  constructor(private readonly map: MapLibreMap) {
    // A pan keeps the labels' relative positions, a zoom does not: redo the placement once a move ends (a zoom
    // ends with a moveend too) and when the window is resized.
    map.on("moveend", () => this.declutter());
    map.on("resize", () => this.declutter());
  }

  /** Places one label per territory with units (rep name when there is one), reusing the markers. */
  update(state: AppState, anchors: readonly Point[]): void {
    const alignment = state.alignment;
    const count = alignment?.territories.length ?? 0;
    if (alignment === null || count > MAX_LABELS) {
      this.trim(0);
      return;
    }
    const centers = territoryCenters(anchors, alignment.territoryOf, count);
    const unitCounts = new Array<number>(count).fill(0);
    for (const t of alignment.territoryOf) if (t >= 0 && t < count) unitCounts[t] = (unitCounts[t] ?? 0) + 1;
    let used = 0;
    centers.forEach((center, t) => {
      if (center === null) return;
      const row = state.figures?.territories[t];
      const text = row?.rep ?? alignment.territories[t] ?? "";
      let marker = this.markers[used];
      if (marker === undefined) {
        const node = document.createElement("div");
        node.className = "territory-label";
        marker = new maplibregl.Marker({ element: node }).setLngLat(center).addTo(this.map);
        this.markers.push(marker);
      }
      const node = marker.getElement();
      if (node.textContent !== text) {
        node.textContent = text;
        this.extents[used] = null;
      }
      node.classList.toggle("off-tolerance", row !== undefined && Math.abs(row.deviation) > state.tolerance);
      marker.setLngLat(center);
      this.sizes[used] = unitCounts[t] ?? 0;
      used++;
    });
    this.trim(used);
    this.declutter();
  }

  /** Shows the labels {@link placeLabels} picks at the current view and hides the rest. */
  private declutter(): void {
    if (this.markers.length === 0) return;
    const boxes = this.markers.map((marker, i) => {
      const node = marker.getElement();
      // Measured once per text: offsetWidth forces a layout, and hidden labels keep their size (visibility,
      // not display, hides them).
      let extent = this.extents[i];
      if (extent === null || extent === undefined) {
        extent = [node.offsetWidth, node.offsetHeight];
        this.extents[i] = extent;
      }
      const p = this.map.project(marker.getLngLat());
      return { x: p.x, y: p.y, width: extent[0], height: extent[1] };
    });
    const canvas = this.map.getCanvas();
    const view = { width: canvas.clientWidth, height: canvas.clientHeight };
    const placement = placeLabels(boxes, this.sizes, view, { shifts: LABEL_SHIFTS });
    this.markers.forEach((marker, i) => {
      const dy = placement[i] ?? null;
      const node = marker.getElement();
      const visibility = dy === null ? "hidden" : "";
      if (node.style.visibility !== visibility) node.style.visibility = visibility;
      if (dy !== null && marker.getOffset().y !== dy) marker.setOffset([0, dy]);
    });
  }

  private trim(keep: number): void {
    for (const m of this.markers.splice(keep)) m.remove();
    this.sizes.length = Math.min(this.sizes.length, keep);
    this.extents.length = Math.min(this.extents.length, keep);
  }
}
