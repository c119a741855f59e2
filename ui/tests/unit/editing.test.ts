import { describe, expect, it } from "vitest";
import { FakeBackend, fakeFigures } from "./fakeBackend";
import { Store } from "../../src/state";
import { sortedTerritories } from "../../src/panels/figuresPanel";
import { pointInPolygon, territoryCenters } from "../../src/map/selection";
import { gridWorkbook } from "./fixtures";

async function openGrid(workbook = gridWorkbook()): Promise<{ store: Store; backend: FakeBackend }> {
  const backend = new FakeBackend({ "/data/grid.tessera": workbook }, "/data/grid.tessera");
  const store = new Store(backend);
  await store.loadCurrent();
  return { store, backend };
}

const loads = (store: Store): number[] => store.getState().figures?.territories.map((t) => t.load) ?? [];

describe("editing", () => {
  it("does nothing without an active territory", async () => {
    const { store, backend } = await openGrid();
    await store.reassign([1]);
    expect(backend.calls.some((c) => c.startsWith("reassignUnits"))).toBe(false);
  });

  it("gives units to the active territory and updates colours and figures at once", async () => {
    const { store, backend } = await openGrid();
    store.selectTerritory(0);
    expect(store.getState().activeTerritory).toBe(0);
    const [west] = store.getState().territoryColors;
    const seen: number[][] = [];
    store.subscribe((s, prev) => {
      if (s.figures !== prev.figures) seen.push(s.figures?.territories.map((t) => t.load) ?? []);
    });
    await store.reassign([1]);
    expect(backend.calls).toContain("reassignUnits 1 -> 0");
    const s = store.getState();
    expect(s.alignment?.territoryOf).toEqual([0, 0, 0, 1]);
    expect(store.unitColor(1)).toBe(west);
    expect(s.changedUnits).toEqual([1]);
    expect(loads(store)).toEqual([60, 40]);
    // One state change carries alignment and figures together: no frame shows one without the other.
    expect(seen).toEqual([[60, 40]]);
    expect(s.undoSteps).toBe(1);
    expect(s.editMs).not.toBeNull();
  });

  it("undoes and redoes through the backend's history, which survives reopening", async () => {
    const workbook = gridWorkbook();
    const { store } = await openGrid(workbook);
    store.selectTerritory(1);
    await store.reassign([0, 2]);
    expect(loads(store)).toEqual([0, 100]);
    await store.undo();
    expect(loads(store)).toEqual([40, 60]);
    expect(store.getState().alignment?.territoryOf).toEqual([0, 1, 0, 1]);
    expect([store.getState().undoSteps, store.getState().redoSteps]).toEqual([0, 1]);
    await store.undo(); // nothing left: no change, no error
    expect(store.getState().notice).toBeNull();

    // Reopen: the redo step is still there.
    const again = await openGrid(workbook);
    expect(again.store.getState().redoSteps).toBe(1);
    await again.store.redo();
    expect(loads(again.store)).toEqual([0, 100]);
  });

  it("patches only the territories an edit changed, and the patched figures match a full recomputation", async () => {
    const workbook = gridWorkbook();
    workbook.alignment = {
      territories: ["West", "East", "North"],
      territoryOf: [0, 1, 2, 1],
      adjacent: [
        [0, 1],
        [0, 2],
        [1, 2],
      ],
    };
    const { store } = await openGrid(workbook);
    const before = store.getState().figures;
    store.selectTerritory(0);
    await store.reassign([1]); // East -> West; North is untouched
    let s = store.getState();
    expect(s.changedTerritories).toEqual([0, 1]);
    // The untouched row is the very same object: the panel reuses its table row.
    expect(s.figures?.territories[2]).toBe(before?.territories[2]);
    expect(s.figures?.territories[0]).not.toBe(before?.territories[0]);

    // A fixed pseudo-random walk of edits, undos and redos: after each, the figures equal a full evaluation.
    let seed = 7;
    const next = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    for (let k = 0; k < 40; k++) {
      const op = next(4);
      if (op === 0) await store.undo();
      else if (op === 1) await store.redo();
      else await store.reassign([next(4)], next(3));
      s = store.getState();
      expect(s.notice).toBeNull();
      const full = fakeFigures(workbook.units, s.alignment as NonNullable<typeof s.alignment>, ["workload"], "workload");
      expect(s.figures).toEqual(full);
    }
  });

  it("rejects an edit answer whose figures would leave a hole in the table", async () => {
    const { store, backend } = await openGrid();
    store.selectTerritory(0);
    const figures = store.getState().figures;
    const real = backend.reassignUnits.bind(backend);
    backend.reassignUnits = async (units, territory) => {
      const outcome = await real(units, territory);
      return outcome && { ...outcome, figures: { ...outcome.figures, territories: [[5, outcome.figures.territories[0]![1]]] } };
    };
    await store.reassign([1]);
    expect(store.getState().notice).toMatch(/territory 5 of 2/);
    expect(store.getState().figures).toBe(figures);
  });

  it("reports a refused edit without losing the map", async () => {
    const { store } = await openGrid();
    await store.reassign([1], 9);
    expect(store.getState().notice).toMatch(/no territory number 9/);
    expect(store.getState().status).toBe("ready");
    expect(loads(store)).toEqual([40, 60]);
  });

  it("selects territories for highlighting, one or several", async () => {
    const { store } = await openGrid();
    store.selectTerritory(1);
    expect(store.getState().selectedTerritories).toEqual([1]);
    store.selectTerritory(0, true);
    expect(store.getState().selectedTerritories).toEqual([1, 0]);
    store.selectTerritory(1, true);
    expect(store.getState().selectedTerritories).toEqual([0]);
  });
});

describe("figures table and selection geometry", () => {
  it("sorts territories by a column, ties in territory order", async () => {
    const { store } = await openGrid();
    const rows = store.getState().figures?.territories ?? [];
    expect(sortedTerritories(rows, { key: "load", descending: true })).toEqual([1, 0]);
    expect(sortedTerritories(rows, { key: "name", descending: false })).toEqual([1, 0]);
    expect(sortedTerritories(rows, { key: "deviation", descending: true })).toEqual([0, 1]);
  });

  it("tests lasso membership and places labels at territory centers", () => {
    const square: [number, number][] = [
      [0, 0],
      [10, 0],
      [10, 10],
      [0, 10],
    ];
    expect(pointInPolygon([5, 5], square)).toBe(true);
    expect(pointInPolygon([11, 5], square)).toBe(false);
    expect(
      territoryCenters(
        [
          [0, 0],
          [2, 2],
          [9, 9],
        ],
        [0, 0, 2],
        3,
      ),
    ).toEqual([[1, 1], null, [9, 9]]);
  });
});

describe("optimize and locks", () => {
  const request = {
    territories: null,
    measure: "workload",
    tolerance: 0.05,
    keepCurrent: true,
    maxMoved: 0.2,
    respectLocks: true,
    timeLimit: 5,
    only: [],
    seed: 1,
  };

  it("shows progress while running, lists the result, and deletes it on request", async () => {
    const { store, backend } = await openGrid();
    backend.holdOptimize = true;
    const running = store.optimize(request);
    await new Promise((r) => setTimeout(r, 0));
    expect(store.getState().run?.running).toBe(true);
    expect(store.getState().run?.progress?.fraction).toBe(0.3);
    backend.finishOptimize();
    await running;
    const run = store.getState().run;
    expect(run?.running).toBe(false);
    expect(run?.result?.scenario).toBe("optimized 1");
    expect(store.getState().scenarios.map((s) => s.name)).toEqual(["current", "optimized 1"]);
    await store.openScenario("optimized 1");
    expect(store.getState().scenario).toBe("optimized 1");
    await store.openScenario("current");
    await store.deleteScenario("optimized 1");
    expect(store.getState().scenarios.map((s) => s.name)).toEqual(["current"]);
  });

  it("moves the progress bar only forward, though the optimizer's fraction may step back", async () => {
    const { store } = await openGrid();
    const fractions: number[] = [];
    store.subscribe((s, prev) => {
      if (s.run?.progress && s.run.progress !== prev.run?.progress) fractions.push(s.run.progress.fraction);
    });
    await store.optimize(request);
    // The fake reports 0.3, then 0.2, then 1.
    expect(fractions).toEqual([0.3, 0.3, 1]);
    expect(store.getState().run?.progress?.bestNoncontiguous).toBe(0);
  });

  it("cancels a run and keeps its best plan", async () => {
    const { store, backend } = await openGrid();
    backend.holdOptimize = true;
    const running = store.optimize(request);
    await new Promise((r) => setTimeout(r, 0));
    await store.cancelOptimize();
    await running;
    expect(store.getState().run?.result?.cancelled).toBe(true);
  });

  it("locks a territory's units and refuses hand edits of them", async () => {
    const { store } = await openGrid();
    await store.lockTerritory(0, true);
    expect([...store.getState().locked]).toEqual([0, 2]);
    store.selectTerritory(1);
    await store.reassign([0]);
    expect(store.getState().notice).toMatch(/locked/);
    expect(loads(store)).toEqual([40, 60]);
    await store.setLocks([0], false);
    expect([...store.getState().locked]).toEqual([2]);
  });
});
