import { describe, expect, it } from "vitest";
import type { OptimizeResult } from "../../src/api";
import {
  certificateText,
  movedText,
  percentText,
  progressText,
  travelText,
  withRepNames,
} from "../../src/panels/resultExplanation";

function result(patch: Partial<OptimizeResult> = {}, explained: Partial<OptimizeResult["explained"]> = {}): OptimizeResult {
  return {
    scenario: "optimized 1",
    maxDev: 0.04,
    travel: 52.4e9,
    noncontiguous: 0,
    cancelled: false,
    promises: [
      { name: "tolerance", kept: true, why: "" },
      { name: "contiguity", kept: true, why: "" },
    ],
    notes: [],
    scenarios: [],
    ...patch,
    explained: {
      measure: "workload",
      tolerance: 0.05,
      target: 9_950_000,
      territories: 25,
      units: 3108,
      cv: 0.02,
      maxMoved: null,
      movedFraction: null,
      movedUnits: null,
      before: null,
      certificate: { gap: 0.049, exact: true },
      ...explained,
    },
  };
}

describe("an optimizer result in words", () => {
  it("quotes the certificate's gap, or says why there is none", () => {
    expect(certificateText(result())).toBe(
      "Travel is at most 4.9% more than the best possible for these territory centers within ±5%.",
    );
    expect(certificateText(result({}, { certificate: { gap: 0, exact: true } }))).toMatch(/the least possible .* \(gap 0%\)/);
    expect(certificateText(result({ maxDev: 1.15 }, { certificate: null }))).toMatch(/outside the tolerance/);
  });

  it("says what moved and when the disruption budget stopped the balancing", () => {
    const broken = {
      maxDev: 1.15,
      promises: [
        { name: "tolerance", kept: false, why: "the 20% disruption budget lets at most 5 workload change territory, ..." },
        { name: "disruption_budget", kept: true, why: "" },
      ],
    };
    const text = movedText(result(broken, { maxMoved: 0.2, movedFraction: 0.199, movedUnits: 870 }));
    expect(text).toBe(
      "Moved 870 units of 3,108 (19.9% of the workload), budget 20%. The disruption budget stopped it: balancing " +
        "within the tolerance needs more to move (see above).",
    );
    expect(movedText(result({}, { movedFraction: 0.01, movedUnits: 1 }))).toBe("Moved 1 unit of 3,108 (1% of the workload).");
    expect(movedText(result())).toBeNull();
  });

  it("gives travel before and after", () => {
    const text = travelText(result({ maxDev: 1.15 }, { before: { maxDev: 2.04, travel: 40.9e9, noncontiguous: 0 } }));
    expect(text).toMatch(/^Travel 40.9 bn workload·km → 52.4 bn workload·km \(\+28.1%\): it rose because balancing/);
    expect(travelText(result())).toBe("Travel 52.4 bn workload·km.");
  });

  it("names reps, not ids", () => {
    const reps = [
      { id: "R07", name: "Wichita, KS", lon: 0, lat: 0, capacity: 1 },
      { id: "R1", name: "Hays", lon: 0, lat: 0, capacity: 1 },
    ];
    expect(withRepNames("3 territories are in several pieces (R07, R1, R11)", reps)).toBe(
      "3 territories are in several pieces (Wichita, KS (R07), Hays (R1), R11)",
    );
  });

  it("writes long numbers of the service's sentences with separators, not ids or decimals", () => {
    expect(withRepNames("lets at most 49447396 workload move (23.82% of the total), R12345", [])).toBe(
      "lets at most 49,447,396 workload move (23.82% of the total), R12345",
    );
  });

  it("shows progress ranked as the optimizer ranks plans", () => {
    const p = { stage: "restarts", fraction: 0.5, bestMaxDev: 1.15, bestTravel: 5e10, bestNoncontiguous: 0 };
    expect(progressText(p, 0)).toBe(
      "Best plan so far: 0 territories in several pieces, max deviation 115%, travel 50.0 bn workload·km.",
    );
    expect(progressText(p, 3)).toMatch(/max deviation among the 3 rebalanced territories 115%/);
    expect(percentText(0.0012)).toBe("0.12%");
  });
});
