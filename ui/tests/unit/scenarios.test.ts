import { describe, expect, it } from "vitest";
import { FakeBackend } from "./fakeBackend";
import { Store } from "../../src/state";
import { gridWorkbook } from "./fixtures";

async function loaded(): Promise<{ store: Store; backend: FakeBackend }> {
  const grid = gridWorkbook();
  grid.others = {
    rebalanced: {
      alignment: { territories: ["East", "West"], territoryOf: [1, 0, 0, 0], adjacent: [[0, 1]] },
      history: { done: [], undone: [] },
    },
  };
  const backend = new FakeBackend({ "/data/grid.tessera": grid }, "/data/grid.tessera");
  const store = new Store(backend);
  await store.loadCurrent();
  return { store, backend };
}

const names = (store: Store): string[] => store.getState().scenarios.map((s) => s.name);

describe("scenario management", () => {
  it("duplicates, renames and notes scenarios", async () => {
    const { store } = await loaded();
    await store.duplicateScenario("rebalanced", "  plan B ");
    expect(names(store)).toEqual(["current", "rebalanced", "plan B"]);
    await store.setScenarioNote("plan B", "for the March meeting");
    await store.renameScenario("plan B", "plan C");
    expect(names(store)).toEqual(["current", "rebalanced", "plan C"]);
    expect(store.getState().scenarios[2]?.note).toBe("for the March meeting");
    expect(store.getState().notice).toBeNull();
  });

  it("refuses to rename current or the scenario being edited, with the reason", async () => {
    const { store } = await loaded();
    await store.renameScenario("current", "x");
    expect(store.getState().notice).toMatch(/current/);
    await store.openScenario("rebalanced");
    await store.renameScenario("rebalanced", "x");
    expect(store.getState().notice).toMatch(/being edited/);
    expect(names(store)).toEqual(["current", "rebalanced"]);
  });

  it("undoes a delete: the scenario comes back with its plan and note", async () => {
    const { store, backend } = await loaded();
    await store.setScenarioNote("rebalanced", "keep?");
    await store.removeScenario("rebalanced");
    expect(names(store)).toEqual(["current"]);
    expect(store.getState().removedScenario?.territoryOf).toEqual([1, 0, 0, 0]);
    await store.undoRemoveScenario();
    expect(names(store)).toEqual(["current", "rebalanced"]);
    expect(store.getState().scenarios[1]?.note).toBe("keep?");
    expect(store.getState().removedScenario).toBeNull();
    expect(backend.calls).toContain("restoreScenario rebalanced");
    await store.openScenario("rebalanced");
    expect(store.getState().alignment?.territoryOf).toEqual([1, 0, 0, 0]);
  });
});

describe("a new scenario from a file", () => {
  it("lists the units outside every polygon in the side panel's notes and opens the new scenario", async () => {
    const { store, backend } = await loaded();
    backend.dialog.scenarioFile = { kind: "polygons", path: "/data/regions.geojson", fileName: "regions.geojson" };
    backend.outsideUnits = [{ unit: "u3", nearest: "East", distanceDeg: 0.0123 }];
    await store.newScenarioFromFile("polygons", "  ", "region");
    expect(backend.calls).toContain("newScenarioFromFile polygons /data/regions.geojson  region");
    expect(store.getState().scenario).toBe("regions");
    expect(names(store)).toContain("regions");
    expect(store.getState().importNotes).toEqual([
      "1 of 4 units falls outside every territory polygon in regions.geojson; it was given to the nearest territory:",
      "unit u3 → East, 0.0123° away",
    ]);
    expect(store.getState().info).toMatch(/^Scenario “regions” made from regions.geojson: \d+ territories, 1 unit outside every polygon/);
  });

  it("does nothing when the dialog is cancelled, and says why a name in use is refused", async () => {
    const { store, backend } = await loaded();
    await store.newScenarioFromFile("plan", "x");
    expect(backend.calls.some((c) => c.startsWith("newScenarioFromFile"))).toBe(false);
    backend.dialog.scenarioFile = { kind: "plan", path: "/data/plan.csv", fileName: "plan.csv" };
    await store.newScenarioFromFile("plan", "rebalanced");
    expect(store.getState().notice).toMatch(/exists already/);
    expect(store.getState().info).toBeNull();
  });
});
