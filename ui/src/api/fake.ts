import { BackendError, type Backend } from "./backend";
import type {
  Alignment,
  EditOutcome,
  Figures,
  ScenarioSummary,
  ScenarioView,
  UnitCollection,
  WorkbookSummary,
} from "./types";

/** One workbook the fake backend can "open". Its `alignment` is the scenario "current". */
export interface FakeWorkbook {
  summary: WorkbookSummary;
  units: UnitCollection;
  alignment: Alignment | null;
  /**
   * The edit history of "current", kept on the workbook object so it survives reopening, as the real
   * workbook's history does: `done` edits can be undone, `undone` ones redone.
   */
  history?: { done: FakeEdit[]; undone: FakeEdit[] };
}

/** One recorded edit: `[unit, from, to]` triples. */
export type FakeEdit = [number, number, number][];

/**
 * An in-memory backend for tests: serves fixed workbooks by path and records every call, so tests can check
 * what the UI asked for. Calls resolve on a later microtask, as real IPC does. Editing follows the real
 * commands: one scenario, "current", with undo/redo; figures are loads and unit counts (travel 0, every
 * territory counted as connected).
 */
export class FakeBackend implements Backend {
  readonly calls: string[] = [];
  private current: FakeWorkbook | null;
  private editing: { measure: string | null } | null = null;

  constructor(
    private readonly workbooks: Record<string, FakeWorkbook>,
    initialPath: string | null = null,
    private readonly startupError: string | null = null,
  ) {
    this.current = initialPath === null ? null : (workbooks[initialPath] ?? null);
  }

  async currentWorkbook(): Promise<WorkbookSummary | null> {
    this.calls.push("currentWorkbook");
    await Promise.resolve();
    if (this.startupError !== null) throw new BackendError({ kind: "workbook", message: this.startupError });
    return this.current?.summary ?? null;
  }

  async openWorkbook(path: string): Promise<WorkbookSummary> {
    this.calls.push(`openWorkbook ${path}`);
    await Promise.resolve();
    const wb = this.workbooks[path];
    if (wb === undefined) throw new BackendError({ kind: "workbook", message: `${path}: no such file` });
    this.current = wb;
    this.editing = null;
    return wb.summary;
  }

  async unitsGeojson(): Promise<UnitCollection> {
    this.calls.push("unitsGeojson");
    await Promise.resolve();
    return structuredClone(this.open().units);
  }

  async currentAlignment(): Promise<Alignment | null> {
    this.calls.push("currentAlignment");
    await Promise.resolve();
    return this.open().alignment;
  }

  async listScenarios(): Promise<ScenarioSummary[]> {
    this.calls.push("listScenarios");
    await Promise.resolve();
    const wb = this.open();
    if (wb.alignment === null) return [];
    const h = history(wb);
    return [
      {
        name: "current",
        territories: wb.alignment.territories.length,
        modified: "2026-01-01T00:00:00Z",
        undoSteps: h.done.length,
        redoSteps: h.undone.length,
      },
    ];
  }

  async openScenario(name: string, measure: string | null = null): Promise<ScenarioView> {
    this.calls.push(`openScenario ${name}`);
    await Promise.resolve();
    const wb = this.open();
    if (name !== "current" || wb.alignment === null) {
      throw new BackendError({ kind: "workbook", message: `The workbook has no scenario called "${name}".` });
    }
    this.editing = { measure: measure ?? wb.summary.measures[0] ?? null };
    const h = history(wb);
    return {
      name,
      alignment: structuredClone(wb.alignment),
      figures: this.figures(),
      undoSteps: h.done.length,
      redoSteps: h.undone.length,
    };
  }

  async reassignUnits(units: number[], territory: number): Promise<EditOutcome | null> {
    this.calls.push(`reassignUnits ${units.join(",")} -> ${territory}`);
    await Promise.resolve();
    const wb = this.session();
    const alignment = wb.alignment as Alignment;
    if (territory < 0 || territory >= alignment.territories.length) {
      throw new BackendError({ kind: "request", message: `There is no territory number ${territory}.` });
    }
    const edit: FakeEdit = [];
    for (const u of new Set(units)) {
      const from = alignment.territoryOf[u];
      if (from === undefined) throw new BackendError({ kind: "request", message: `There is no unit number ${u}.` });
      if (from !== territory) edit.push([u, from, territory]);
    }
    if (edit.length === 0) return null;
    const h = history(wb);
    h.done.push(edit);
    h.undone = [];
    return this.apply(edit.map(([u, , to]) => [u, to]));
  }

  async undoEdit(): Promise<EditOutcome | null> {
    this.calls.push("undoEdit");
    await Promise.resolve();
    const h = history(this.session());
    const edit = h.done.pop();
    if (edit === undefined) return null;
    h.undone.unshift(edit);
    return this.apply([...edit].reverse().map(([u, from]) => [u, from]));
  }

  async redoEdit(): Promise<EditOutcome | null> {
    this.calls.push("redoEdit");
    await Promise.resolve();
    const h = history(this.session());
    const edit = h.undone.shift();
    if (edit === undefined) return null;
    h.done.push(edit);
    return this.apply(edit.map(([u, , to]) => [u, to]));
  }

  private apply(changed: [number, number][]): EditOutcome {
    const wb = this.session();
    const alignment = wb.alignment as Alignment;
    for (const [u, t] of changed) alignment.territoryOf[u] = t;
    const h = history(wb);
    return {
      changed,
      territories: null,
      figures: this.figures(),
      undoSteps: h.done.length,
      redoSteps: h.undone.length,
      figuresMicros: 0,
    };
  }

  private figures(): Figures {
    const wb = this.session();
    return fakeFigures(wb.units, wb.alignment as Alignment, wb.summary.measures, this.editing?.measure ?? null);
  }

  private session(): FakeWorkbook {
    const wb = this.open();
    if (this.editing === null || wb.alignment === null) {
      throw new BackendError({ kind: "no_scenario", message: "No scenario is being edited." });
    }
    return wb;
  }

  private open(): FakeWorkbook {
    if (this.current === null) throw new BackendError({ kind: "no_workbook", message: "No workbook is open." });
    return this.current;
  }
}

function history(wb: FakeWorkbook): { done: FakeEdit[]; undone: FakeEdit[] } {
  wb.history ??= { done: [], undone: [] };
  return wb.history;
}

/** Loads and unit counts per territory (travel 0, all connected): what the fake backend reports. */
export function fakeFigures(
  units: UnitCollection,
  alignment: Alignment,
  measures: string[],
  measure: string | null,
): Figures {
  const p = alignment.territories.length;
  const value = (i: number, m: string | null): number => {
    if (m === null) return 1;
    const v = units.features[i]?.properties[m];
    return typeof v === "number" ? v : 0;
  };
  const rows = alignment.territories.map((name) => ({
    name,
    rep: null,
    load: 0,
    target: 0,
    deviation: 0,
    travel: 0,
    units: 0,
    connected: true,
    components: 0,
    loads: measures.map(() => 0),
  }));
  alignment.territoryOf.forEach((t, i) => {
    const row = rows[t];
    if (row === undefined) return;
    row.load += value(i, measure);
    row.units += 1;
    row.components = 1;
    measures.forEach((m, k) => (row.loads[k] = (row.loads[k] ?? 0) + value(i, m)));
  });
  const total = rows.reduce((s, r) => s + r.load, 0);
  const target = total / p;
  for (const r of rows) {
    r.target = target;
    r.deviation = target === 0 ? 0 : (r.load - target) / target;
  }
  const mean = total / p;
  const variance = rows.reduce((s, r) => s + (r.load - mean) ** 2, 0) / p;
  return {
    measure,
    measures,
    target,
    maxDev: Math.max(0, ...rows.map((r) => Math.abs(r.deviation))),
    cv: mean === 0 ? 0 : Math.sqrt(variance) / mean,
    travel: 0,
    noncontiguous: 0,
    territories: rows,
  };
}
