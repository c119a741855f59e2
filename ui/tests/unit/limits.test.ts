import { describe, expect, it } from "vitest";
import { parseLimits } from "../../src/panels/limits";

describe("parseLimits (the Optimize dialog's caps and floors)", () => {
  it("reads comma-separated MEASURE:VALUE entries, numbers in any JavaScript form", () => {
    expect(parseLimits("accounts:250, units:230 ,potential_usd:2e6")).toEqual({
      limits: [
        { measure: "accounts", value: 250 },
        { measure: "units", value: 230 },
        { measure: "potential_usd", value: 2e6 },
      ],
    });
  });

  it("reads nothing from an empty field", () => {
    expect(parseLimits("  ")).toEqual({ limits: [] });
  });

  it("names the entry that is not MEASURE:VALUE", () => {
    expect(parseLimits("accounts:250, units230")).toEqual({
      error: '"units230": write MEASURE:VALUE, e.g. accounts:250 or units:230',
    });
    expect(parseLimits("accounts:lots")).toEqual({ error: '"accounts:lots": "lots" is not a number' });
    expect(parseLimits(":5")).toHaveProperty("error");
    expect(parseLimits("units:")).toHaveProperty("error");
  });
});
