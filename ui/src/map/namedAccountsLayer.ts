import maplibregl, { type GeoJSONSource, type Map as MapLibreMap, type MapLayerMouseEvent } from "maplibre-gl";
import type { Alignment, NamedAccount } from "../api";

/** The source of named accounts (a point per account named to a territory), drawn above everything else. */
export const NAMED_SOURCE = "named-accounts";
/** Their layer's id (tests query its features). */
export const NAMED_LAYER = "named-accounts";
/** The star image the layer draws, tinted per feature. */
const STAR_IMAGE = "tessera-star";
/** Star of a named account whose territory the shown scenario does not have. */
const NO_TERRITORY = "#9aa5b1";

/**
 * Named accounts on the map: a star in the colour of the territory each is named to, at the account's own point
 * (or its unit's point when it has none), so a planner sees which accounts leave their geography and where they
 * go. Hovering a star says so in words.
 */
export class NamedAccountsLayer {
  private accounts: readonly NamedAccount[] = [];
  private readonly popup = new maplibregl.Popup({ closeButton: false, closeOnClick: false, offset: 10 });

  constructor(private readonly map: MapLibreMap) {
    map.on("mousemove", NAMED_LAYER, (e: MapLayerMouseEvent) => this.onHover(e));
    map.on("mouseleave", NAMED_LAYER, () => this.popup.remove());
  }

  /**
   * Shows `accounts`, each coloured as its territory in `alignment` (`colors[t]` for territory `t`); grey when
   * the scenario has no territory of that name. Nothing is added to the map for a workbook without them.
   */
  show(accounts: readonly NamedAccount[], alignment: Alignment | null, colors: readonly string[]): void {
    this.accounts = accounts;
    const existing = this.map.getSource(NAMED_SOURCE) as GeoJSONSource | undefined;
    if (accounts.length === 0 && existing === undefined) return;
    const index = new Map((alignment?.territories ?? []).map((name, t) => [name, t]));
    const data: GeoJSON.FeatureCollection = {
      type: "FeatureCollection",
      features: accounts.map((a, i) => {
        const t = index.get(a.territory);
        return {
          type: "Feature",
          id: i,
          properties: { id: a.id, territory: a.territory, color: t === undefined ? NO_TERRITORY : (colors[t] ?? NO_TERRITORY) },
          geometry: { type: "Point", coordinates: [a.lon, a.lat] },
        };
      }),
    };
    if (existing) {
      existing.setData(data);
      return;
    }
    if (!this.map.hasImage(STAR_IMAGE)) this.map.addImage(STAR_IMAGE, starSdf(STAR_SIZE), { sdf: true, pixelRatio: 2 });
    this.map.addSource(NAMED_SOURCE, { type: "geojson", data });
    this.map.addLayer({
      id: NAMED_LAYER,
      type: "symbol",
      source: NAMED_SOURCE,
      layout: {
        "icon-image": STAR_IMAGE,
        "icon-size": ["interpolate", ["linear"], ["zoom"], 3, 0.8, 10, 1.4],
        "icon-allow-overlap": true,
        "icon-ignore-placement": true,
      },
      paint: {
        "icon-color": ["get", "color"],
        "icon-halo-color": "#1f2933",
        "icon-halo-width": 1.5,
      },
    });
  }

  private onHover(e: MapLayerMouseEvent): void {
    const i = e.features?.[0]?.id;
    const a = typeof i === "number" ? this.accounts[i] : undefined;
    if (a === undefined) return;
    const where = a.ownPoint ? "" : " Marked at its unit's point (the account has no coordinates).";
    this.popup
      .setLngLat([a.lon, a.lat])
      .setText(`★ ${a.id}: named to ${a.territory}. It counts for ${a.territory} whatever unit it lies in.${where}`)
      .addTo(this.map);
  }
}

/** Side of the star image in pixels (drawn at half size: `pixelRatio` 2). */
const STAR_SIZE = 48;

/**
 * A five-pointed star as a signed distance field, the form MapLibre tints with `icon-color` and rings with
 * `icon-halo-*`: the alpha of each pixel is 0.75 on the outline, rising inside and falling outside by 1/8 per
 * pixel of distance (the encoding of MapLibre's own glyph SDFs). Computed here because the style has no sprite.
 */
export function starSdf(size: number): { width: number; height: number; data: Uint8Array } {
  const c = size / 2;
  const outer = size * 0.36;
  const inner = outer * 0.45;
  const star: [number, number][] = [];
  for (let k = 0; k < 10; k++) {
    const r = k % 2 === 0 ? outer : inner;
    const angle = -Math.PI / 2 + (k * Math.PI) / 5;
    star.push([c + r * Math.cos(angle), c + r * Math.sin(angle)]);
  }
  const data = new Uint8Array(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const p: [number, number] = [x + 0.5, y + 0.5];
      const d = distanceToOutline(p, star) * (inside(p, star) ? -1 : 1);
      data[(y * size + x) * 4 + 3] = Math.round(255 * Math.min(1, Math.max(0, 0.75 - d / 8)));
    }
  }
  return { width: size, height: size, data };
}

function distanceToOutline(p: [number, number], ring: [number, number][]): number {
  let best = Infinity;
  for (let k = 0; k < ring.length; k++) {
    const [ax, ay] = ring[k] as [number, number];
    const [bx, by] = ring[(k + 1) % ring.length] as [number, number];
    const dx = bx - ax;
    const dy = by - ay;
    const t = Math.max(0, Math.min(1, ((p[0] - ax) * dx + (p[1] - ay) * dy) / (dx * dx + dy * dy)));
    best = Math.min(best, Math.hypot(p[0] - (ax + t * dx), p[1] - (ay + t * dy)));
  }
  return best;
}

/** Even-odd rule: whether `p` is inside `ring`. */
function inside(p: [number, number], ring: [number, number][]): boolean {
  let odd = false;
  for (let k = 0, j = ring.length - 1; k < ring.length; j = k++) {
    const [xi, yi] = ring[k] as [number, number];
    const [xj, yj] = ring[j] as [number, number];
    if (yi > p[1] !== yj > p[1] && p[0] < ((xj - xi) * (p[1] - yi)) / (yj - yi) + xi) odd = !odd;
  }
  return odd;
}
