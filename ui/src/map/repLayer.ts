import type { GeoJSONSource, Map as MapLibreMap } from "maplibre-gl";
import type { Rep } from "../api";

/** The source of rep home bases (a point per rep), drawn above the units. */
export const REPS_SOURCE = "reps";

/** Shows `reps`' home bases as dark markers with a white ring (replacing earlier ones). */
export function showReps(map: MapLibreMap, reps: readonly Rep[]): void {
  const data: GeoJSON.FeatureCollection = {
    type: "FeatureCollection",
    features: reps.map((r, i) => ({
      type: "Feature",
      id: i,
      properties: { id: r.id, name: r.name },
      geometry: { type: "Point", coordinates: [r.lon, r.lat] },
    })),
  };
  const existing = map.getSource(REPS_SOURCE) as GeoJSONSource | undefined;
  if (existing) {
    existing.setData(data);
    return;
  }
  map.addSource(REPS_SOURCE, { type: "geojson", data });
  map.addLayer({
    id: "reps",
    type: "circle",
    source: REPS_SOURCE,
    paint: {
      "circle-color": "#1f2933",
      "circle-radius": ["interpolate", ["linear"], ["zoom"], 3, 4, 10, 8],
      "circle-stroke-color": "#ffffff",
      "circle-stroke-width": 2,
    },
  });
}
