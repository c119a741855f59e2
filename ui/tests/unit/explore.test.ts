import { describe, expect, it } from "vitest";
import { FakeBackend } from "./fakeBackend";
import { Store } from "../../src/state";
import { movedColor, ticks } from "../../src/panels/tradeoffChart";
import { gridWorkbook } from "./fixtures";

async function openGrid(): Promise<{ store: Store; backend: FakeBackend }> {
  const backend = new FakeBackend({ "/data/grid.tessera": gridWorkbook() }, "/data/grid.tessera");
  const store = new Store(backend);
  await store.loadCurrent();
  return { store, backend };
}

const request = {
  territories: null,
  measure: "workload",
  tolerance: 0.05,
  keepCurrent: true,
  maxMoved: null,
  respectLocks: true,
  timeLimit: 5,
  only: [],
  seed: 1,
};

describe("explore trade-offs", () => {
  it("grows the front while running, then keeps the finished one; no other run starts meanwhile", async () => {
    const { store, backend } = await openGrid();
    backend.holdOptimize = true;
    const running = store.explore(request);
    await new Promise((r) => setTimeout(r, 0));
    const x = store.getState().exploration;
    expect(x?.running).toBe(true);
    expect(x?.from).toBe("current");
    expect(x?.front).toHaveLength(1);
    expect(x?.front[0]?.index).toBeNull();
    expect(x?.progress?.fraction).toBe(0.3);
    await store.optimize(request);
    expect(backend.calls.some((c) => c.startsWith("optimize"))).toBe(false);
    backend.finishOptimize();
    await running;
    const done = store.getState().exploration;
    expect(done?.running).toBe(false);
    expect(done?.front.map((p) => p.index)).toEqual([0, 1, 2]);
    expect(done?.result?.current?.travel).toBe(900);
    expect(backend.calls).toContain(`explore max_dev ${JSON.stringify(request)}`);
  });

  it("saves a plan picked while the run goes by its id and opens it; the run goes on", async () => {
    const { store, backend } = await openGrid();
    backend.holdOptimize = true;
    const running = store.explore(request);
    await new Promise((r) => setTimeout(r, 0));
    expect(store.getState().exploration?.front[0]?.id).toBe("p2");
    await store.pickFrontPlan(null, "p2");
    const s = store.getState();
    expect(s.exploration?.running).toBe(true);
    expect(s.scenario).toBe("explored 1");
    expect(s.exploration?.picked).toEqual({ index: null, id: "p2", scenario: "explored 1", created: true });
    expect(s.exploration?.front[0]?.scenario).toBe("explored 1");
    expect(backend.calls).toContain("saveGrowingPlan p2");
    expect(backend.calls.some((c) => c.startsWith("saveFrontPlan"))).toBe(true);
    backend.finishOptimize();
    await running;
    expect(store.getState().exploration?.running).toBe(false);
  });

  it("saves a picked plan as a scenario once and opens it", async () => {
    const { store, backend } = await openGrid();
    await store.explore(request);
    await store.pickFrontPlan(1);
    let s = store.getState();
    expect(s.scenario).toBe("explored 1");
    expect(s.scenarios.map((sc) => sc.name)).toEqual(["current", "explored 1"]);
    expect(s.exploration?.picked).toEqual({ index: 1, id: null, scenario: "explored 1", created: true });
    expect(s.exploration?.front[1]?.scenario).toBe("explored 1");
    await store.pickFrontPlan(1);
    s = store.getState();
    expect(s.exploration?.picked?.created).toBe(false);
    expect(backend.calls.filter((c) => c === "saveFrontPlan 1")).toHaveLength(2);
    expect(s.scenarios).toHaveLength(2);
    store.foldExploration(true);
    expect(store.getState().exploration?.folded).toBe(true);
    store.closeExploration();
    expect(store.getState().exploration).toBeNull();
  });

  it("cancels through the same Cancel as Optimize, keeping the front found", async () => {
    const { store, backend } = await openGrid();
    backend.holdOptimize = true;
    const running = store.explore(request);
    await new Promise((r) => setTimeout(r, 0));
    store.closeExploration();
    expect(store.getState().exploration?.running).toBe(true);
    await store.cancelOptimize();
    await running;
    expect(backend.calls).toContain("cancelOptimize");
    expect(store.getState().exploration?.result?.cancelled).toBe(true);
    expect(store.getState().exploration?.front).toHaveLength(3);
  });
});

describe("trade-off chart scales", () => {
  it("puts round ticks over the range and colours by the share moved", () => {
    expect(ticks(0, 35)).toEqual([0, 10, 20, 30]);
    expect(ticks(1.13e6, 1.34e6)).toEqual([1.15e6, 1.2e6, 1.25e6, 1.3e6]);
    expect(movedColor(0, 0.3)).toBe("rgb(198,219,239)");
    expect(movedColor(0.3, 0.3)).toBe("rgb(8,48,107)");
    expect(movedColor(0.5, 0)).toBe("rgb(198,219,239)");
  });
});
