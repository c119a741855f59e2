import { describe, expect, it } from "vitest";
import { formatTravel } from "../../src/panels/format";

// The same cases as tessera_workbook::figures::format_travel's tests: the app and the CLI print travel alike.
describe("formatTravel", () => {
  it("keeps three significant figures and the unit", () => {
    expect(formatTravel(85_356_180_000)).toBe("85.4 bn workload·km");
    expect(formatTravel(7_012_345)).toBe("7.01 M workload·km");
    expect(formatTravel(3_237_499.4)).toBe("3.24 M workload·km");
    expect(formatTravel(90_280_000_000)).toBe("90.3 bn workload·km");
    expect(formatTravel(1_500)).toBe("1.50 k workload·km");
    expect(formatTravel(999)).toBe("999 workload·km");
    expect(formatTravel(512.2)).toBe("512 workload·km");
    expect(formatTravel(12.5)).toBe("12.5 workload·km");
    expect(formatTravel(0)).toBe("0 workload·km");
    expect(formatTravel(Number.NaN)).toBe("- workload·km");
  });
});
