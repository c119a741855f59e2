import { describe, expect, it } from "vitest";
import { parseLimits, parseMixes } from "../../src/panels/limits";

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

describe("parseMixes (the Optimize dialog's segment mix bands)", () => {
  it("reads COLUMN=VALUE:LO..HI entries, ends as fractions or percentages, either end open", () => {
    expect(parseMixes("segment=A:0.2..0.4, tier=Key account:..35%, segment=B:20%..")).toEqual({
      mixes: [
        { column: "segment", segment: "A", lo: 0.2, hi: 0.4 },
        { column: "tier", segment: "Key account", lo: null, hi: 0.35 },
        { column: "segment", segment: "B", lo: 0.2, hi: null },
      ],
    });
    expect(parseMixes(" ")).toEqual({ mixes: [] });
  });

  it("names the entry that is not a band", () => {
    expect(parseMixes("segment=A:0.4")).toEqual({
      error: '"segment=A:0.4": write COLUMN=VALUE:LO..HI, e.g. segment=A:0.2..0.4, segment=A:..40% or segment=A:20%..',
    });
    expect(parseMixes("segment:0.2..0.4")).toHaveProperty("error");
    expect(parseMixes("segment=A:..")).toEqual({
      error:
        '"segment=A:..": the band has no end; write COLUMN=VALUE:LO..HI, e.g. segment=A:0.2..0.4, segment=A:..40% or segment=A:20%..',
    });
    expect(parseMixes("segment=A:0.5..0.4")).toEqual({ error: '"segment=A:0.5..0.4": the bottom is above the top' });
    expect(parseMixes("segment=A:..140%")).toEqual({
      error: '"segment=A:..140%": each end is a share from 0 to 1 (or 0% to 100%)',
    });
  });
});
