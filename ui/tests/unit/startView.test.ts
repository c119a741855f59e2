import { describe, expect, it } from "vitest";
import { startViewShown } from "../../src/start";
import type { WorkbookSummary } from "../../src/api";

const workbook = { name: "w", path: "/w.tessera" } as WorkbookSummary;

describe("start view", () => {
  it("covers the map whenever no workbook is open, once nothing is loading", () => {
    expect(startViewShown({ workbook: null, status: "empty" }, false)).toBe(true);
    expect(startViewShown({ workbook: null, status: "error" }, false)).toBe(true);
    expect(startViewShown({ workbook: null, status: "loading" }, false)).toBe(false);
  });

  it("stays away from an open workbook unless asked for", () => {
    expect(startViewShown({ workbook, status: "ready" }, false)).toBe(false);
    expect(startViewShown({ workbook, status: "ready" }, true)).toBe(true);
    // A failed second open keeps the first workbook; the view shows only when asked.
    expect(startViewShown({ workbook, status: "error" }, false)).toBe(false);
    expect(startViewShown({ workbook, status: "loading" }, true)).toBe(false);
  });
});
