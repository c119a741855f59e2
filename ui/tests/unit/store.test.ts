import { describe, expect, it, vi } from "vitest";
import { FakeBackend } from "./fakeBackend";
import { Store, UNASSIGNED_COLOR, territoryColors } from "../../src/state";
import { gridWorkbook, pointsWorkbook } from "./fixtures";

function backendWith(initial: string | null = "/data/grid.tessera", startupError: string | null = null): FakeBackend {
  return new FakeBackend(
    { "/data/grid.tessera": gridWorkbook(), "/data/points.tessera": pointsWorkbook() },
    initial,
    startupError,
  );
}

describe("Store", () => {
  it("starts empty", () => {
    const store = new Store(backendWith());
    expect(store.getState().status).toBe("empty");
    expect(store.getState().units).toBeNull();
  });

  it("loads the start-up workbook with its units and alignment", async () => {
    const backend = backendWith();
    const store = new Store(backend);
    await store.loadCurrent();
    const s = store.getState();
    expect(s.status).toBe("ready");
    expect(s.workbook?.name).toBe("grid");
    expect(s.units?.features).toHaveLength(4);
    expect(s.alignment?.territories).toEqual(["West", "East"]);
    expect(s.territoryColors).toEqual(territoryColors(2, [[0, 1]]));
    expect(backend.calls).toEqual(["currentWorkbook", "unitsGeojson", "listScenarios", "unitText", "openScenario current"]);
    expect(s.scenario).toBe("current");
    expect(s.figures?.territories.map((t) => t.load)).toEqual([40, 60]);
  });

  it("asks for the scenario \"current\" at once, and opens a workbook without it all the same", async () => {
    const backend = backendWith("/data/points.tessera");
    const store = new Store(backend);
    await store.loadCurrent();
    const s = store.getState();
    expect(s.status).toBe("ready");
    expect(s.error).toBeNull();
    expect(s.scenario).toBeNull();
    // Asked beside the rest before the scenarios were listed; its "no such scenario" is not shown.
    expect(backend.calls.slice(0, 5)).toEqual([
      "currentWorkbook",
      "unitsGeojson",
      "listScenarios",
      "unitText",
      "openScenario current",
    ]);
  });

  it("colours units by territory, and all alike without an alignment", async () => {
    const store = new Store(backendWith());
    await store.loadCurrent();
    const [west, east] = store.getState().territoryColors;
    expect([0, 1, 2, 3].map((i) => store.unitColor(i))).toEqual([west, east, west, east]);
    expect(west).not.toEqual(east);

    await store.open("/data/points.tessera");
    expect(store.getState().alignment).toBeNull();
    expect(store.unitColor(0)).toBe(UNASSIGNED_COLOR);
    expect(store.territoryOf(0)).toBeNull();
  });

  it("keeps a territory's colour when another scenario lists its territories in another order", async () => {
    const grid = gridWorkbook();
    // A rebalance that names the same two territories in reverse order (as a run's own numbering may) and
    // moves unit c from West to East.
    grid.others = {
      rebalanced: {
        alignment: { territories: ["East", "West"], territoryOf: [1, 0, 0, 0], adjacent: [[0, 1]] },
        history: { done: [], undone: [] },
      },
    };
    const store = new Store(new FakeBackend({ "/data/grid.tessera": grid }, "/data/grid.tessera"));
    await store.loadCurrent();
    const [west, east] = store.getState().territoryColors;
    const before = [0, 1, 2, 3].map((i) => store.unitColor(i));
    await store.openScenario("rebalanced");
    expect(store.getState().territoryColors).toEqual([east, west]);
    const after = [0, 1, 2, 3].map((i) => store.unitColor(i));
    // Only the moved unit (c, index 2) changes colour.
    expect(after.map((c, i) => c !== before[i])).toEqual([false, false, true, false]);
    await store.openScenario("current");
    expect(store.getState().territoryColors).toEqual([west, east]);
  });

  it("stays empty when the backend opened no workbook", async () => {
    const store = new Store(backendWith(null));
    await store.loadCurrent();
    expect(store.getState().status).toBe("empty");
    expect(store.getState().workbook).toBeNull();
  });

  it("shows the backend's message when the start-up workbook failed to open", async () => {
    const store = new Store(backendWith(null, "sample.tessera: not a Tessera workbook"));
    await store.loadCurrent();
    expect(store.getState().status).toBe("error");
    expect(store.getState().error).toBe("sample.tessera: not a Tessera workbook");
  });

  it("reports an unknown path and keeps nothing half-loaded", async () => {
    const store = new Store(backendWith(null));
    await store.open("/nope.tessera");
    expect(store.getState().status).toBe("error");
    expect(store.getState().error).toContain("/nope.tessera");
    expect(store.getState().units).toBeNull();
  });

  it("notifies listeners with the new and previous state, loading first", async () => {
    const store = new Store(backendWith());
    const statuses: string[] = [];
    const listener = vi.fn((s: { status: string }) => statuses.push(s.status));
    const unsubscribe = store.subscribe(listener);
    await store.loadCurrent();
    expect(statuses).toEqual(["loading", "ready"]);
    unsubscribe();
    store.hover(1);
    expect(listener).toHaveBeenCalledTimes(2);
  });

  it("tracks the hovered unit and ignores indexes outside the units", async () => {
    const store = new Store(backendWith());
    store.hover(0);
    expect(store.getState().hovered).toBeNull();
    await store.loadCurrent();
    store.hover(2);
    expect(store.getState().hovered).toBe(2);
    store.hover(99);
    expect(store.getState().hovered).toBe(2);
    store.hover(null);
    expect(store.getState().hovered).toBeNull();
  });

  it("keeps the later workbook when an earlier load answers last", async () => {
    let releaseGrid: () => void = () => {};
    const gridHeld = new Promise<void>((resolve) => (releaseGrid = resolve));
    // Opening the grid answers only after the points workbook has fully loaded.
    class SlowGridBackend extends FakeBackend {
      override async openWorkbook(path: string) {
        if (path === "/data/grid.tessera") await gridHeld;
        return super.openWorkbook(path);
      }
    }
    const store = new Store(
      new SlowGridBackend({ "/data/grid.tessera": gridWorkbook(), "/data/points.tessera": pointsWorkbook() }),
    );
    const slow = store.open("/data/grid.tessera");
    await store.open("/data/points.tessera");
    expect(store.getState().workbook?.name).toBe("points");
    releaseGrid();
    await slow;
    expect(store.getState().workbook?.name).toBe("points");
    expect(store.getState().status).toBe("ready");
  });

  it("rejects an alignment that does not cover every unit", async () => {
    const bad = gridWorkbook();
    bad.alignment = { territories: ["West"], territoryOf: [0, 0, 0], adjacent: [] };
    const store = new Store(new FakeBackend({ x: bad }, "x"));
    await store.loadCurrent();
    expect(store.getState().status).toBe("error");
    expect(store.getState().error).toMatch(/covers 3 units but the workbook has 4/);
  });
});

describe("Store.applyAlignment", () => {
  it("recolours after an edit without reloading units", async () => {
    const backend = backendWith();
    const store = new Store(backend);
    await store.loadCurrent();
    const units = store.getState().units;
    // Unit 1 moves from East to West.
    store.applyAlignment({ territories: ["West", "East"], territoryOf: [0, 0, 0, 1], adjacent: [[0, 1]] });
    expect(store.unitColor(1)).toBe(store.unitColor(0));
    expect(store.getState().units).toBe(units);
    expect(backend.calls.filter((c) => c === "unitsGeojson")).toHaveLength(1);
  });

  it("refuses an alignment that does not fit and keeps the old one", async () => {
    const store = new Store(backendWith());
    await store.loadCurrent();
    const before = store.getState().alignment;
    expect(() => store.applyAlignment({ territories: ["X"], territoryOf: [0], adjacent: [] })).toThrow(/covers 1 units/);
    expect(store.getState().alignment).toBe(before);
  });
});
