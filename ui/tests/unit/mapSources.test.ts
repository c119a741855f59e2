import { describe, expect, it } from "vitest";
import type { Map as MapLibreMap } from "maplibre-gl";
import { UnitOverlays, layerAbove } from "../../src/map/unitLayers";
import { gridWorkbook } from "./fixtures";

type Fc = { features: { id?: number | string }[] };

/** A MapLibre stand-in holding GeoJSON sources: the feature ids each one holds after setData/updateData. */
function fakeMap() {
  const sources = new Map<string, Set<number>>();
  /** How many times each source was given whole data (added with data, or setData): MapLibre loads it each time. */
  const loads = new Map<string, number>();
  const source = (id: string) => ({
    setData(data: Fc) {
      sources.set(id, new Set(data.features.map((f) => Number(f.id))));
      loads.set(id, (loads.get(id) ?? 0) + 1);
    },
    updateData(diff: { add?: { id?: number | string }[]; remove?: (number | string)[] }) {
      const ids = sources.get(id) ?? new Set<number>();
      for (const r of diff.remove ?? []) ids.delete(Number(r));
      for (const f of diff.add ?? []) {
        // MapLibre's updateData needs ids on added features.
        expect(f.id).toBeTypeOf("number");
        ids.add(Number(f.id));
      }
      sources.set(id, ids);
    },
  });
  const map = {
    getSource: (id: string) => (sources.has(id) ? source(id) : undefined),
    addSource: (id: string, spec: { data: Fc }) => source(id).setData(spec.data),
    addLayer: () => undefined,
    getLayer: () => undefined,
  };
  return { map: map as unknown as MapLibreMap, sources, loads };
}

describe("unit overlays", () => {
  it("hold exactly the flagged units, each with its geometry", () => {
    const { map, sources } = fakeMap();
    const units = gridWorkbook().units;
    const overlays = new UnitOverlays(map);
    overlays.reset(units);
    // No source until an overlay first has a unit: empty sources cost MapLibre's worker tiles while opening.
    overlays.set("locked", []);
    expect(sources.has("units-locked")).toBe(false);
    overlays.set("selected", new Set([0, 2]));
    overlays.set("hover", [3]);
    expect([...(sources.get("units-selected") ?? [])]).toEqual([0, 2]);
    expect([...(sources.get("units-hover") ?? [])]).toEqual([3]);
    expect(sources.has("units-locked")).toBe(false);
    overlays.set("selected", []);
    expect(sources.get("units-selected")?.size).toBe(0);
  });
});

describe("layers over the units", () => {
  it("go below the first later layer that exists, whatever order they are created in", () => {
    const existing = new Set<string>();
    const map = { getLayer: (id: string) => (existing.has(id) ? {} : undefined) };
    expect(layerAbove(map, "territory-borders")).toBeUndefined();
    existing.add("reps");
    expect(layerAbove(map, "territory-borders")).toBe("reps");
    existing.add("units-hover");
    expect(layerAbove(map, "territory-borders")).toBe("units-hover");
    existing.add("units-selected");
    expect(layerAbove(map, "territory-borders")).toBe("units-selected");
    expect(layerAbove(map, "units-locked")).toBe("units-selected");
    existing.add("territory-borders");
    expect(layerAbove(map, "units-locked")).toBe("territory-borders");
  });
});
