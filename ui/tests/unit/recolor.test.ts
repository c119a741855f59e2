import { describe, expect, it } from "vitest";
import { UNITS_SOURCE, recolorUnits, type FeatureStateTarget } from "../../src/map/unitLayers";

/** A map stand-in that records feature-state updates. */
function recordingMap(): FeatureStateTarget & { calls: [number, string][] } {
  const calls: [number, string][] = [];
  return {
    calls,
    setFeatureState(feature, state) {
      expect(feature.source).toBe(UNITS_SOURCE);
      calls.push([feature.id, state.color as string]);
    },
  };
}

describe("recolorUnits", () => {
  it("sets every unit's colour the first time", () => {
    const map = recordingMap();
    const applied: string[] = [];
    expect(recolorUnits(map, 3, (i) => ["red", "blue", "red"][i] as string, applied)).toBe(3);
    expect(map.calls).toEqual([
      [0, "red"],
      [1, "blue"],
      [2, "red"],
    ]);
    expect(applied).toEqual(["red", "blue", "red"]);
  });

  it("then touches only the units whose colour changed", () => {
    const map = recordingMap();
    const applied = ["red", "blue", "red"];
    expect(recolorUnits(map, 3, (i) => ["red", "red", "red"][i] as string, applied)).toBe(1);
    expect(map.calls).toEqual([[1, "red"]]);
    expect(recolorUnits(map, 3, () => "red", applied)).toBe(0);
  });
});
