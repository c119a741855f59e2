import maplibregl, { type Map as MapLibreMap, type Marker } from "maplibre-gl";
import type { AppState } from "../state";
import { territoryCenters, type Point } from "./selection";

/** Beyond this many territories labels would cover the map; they are left out. */
const MAX_LABELS = 150;

/**
 * Territory names as HTML markers at the mean position of each territory's units. HTML, not map text, because
 * map text needs glyph fonts and the style must stay offline.
 */
export class TerritoryLabels {
  private markers: Marker[] = [];

  constructor(private readonly map: MapLibreMap) {}

  /** Places one label per territory with units (rep name when there is one), reusing the markers. */
  update(state: AppState, anchors: readonly Point[]): void {
    const alignment = state.alignment;
    const count = alignment?.territories.length ?? 0;
    if (alignment === null || count > MAX_LABELS) {
      this.trim(0);
      return;
    }
    const centers = territoryCenters(anchors, alignment.territoryOf, count);
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
      if (node.textContent !== text) node.textContent = text;
      node.classList.toggle("off-tolerance", row !== undefined && Math.abs(row.deviation) > state.tolerance);
      marker.setLngLat(center);
      used++;
    });
    this.trim(used);
  }

  private trim(keep: number): void {
    for (const m of this.markers.splice(keep)) m.remove();
  }
}
