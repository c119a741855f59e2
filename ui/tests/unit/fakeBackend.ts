import { BackendError, type Backend } from "../../src/api/backend";
import type {
  Alignment,
  ChosenExport,
  ChosenScenarioFile,
  NewScenario,
  OutsideUnit,
  ScenarioFileKind,
  ChosenFile,
  CompareResult,
  RemovedScenario,
  CreateWorkbookRequest,
  EditOutcome,
  ExportDone,
  ExportFormatName,
  ExportRequest,
  ExploreProgress,
  ExploreResult,
  Figures,
  FrontBalance,
  FrontPoint,
  OptimizeProgress,
  ImportKind,
  ImportProgress,
  OptimizeRequest,
  OptimizeResult,
  RecentWorkbook,
  SavedFrontPlan,
  ScenarioSummary,
  ScenarioView,
  TextColumn,
  TerritoryFigures,
  UnitCollection,
  NewTeamRequest,
  TeamChoices,
  TeamOutlines,
  TeamsInfo,
  WorkbookSummary,
} from "../../src/api/types";

/** One workbook the fake backend can "open". Its `alignment` is the scenario "current". */
export interface FakeWorkbook {
  summary: WorkbookSummary;
  units: UnitCollection;
  alignment: Alignment | null;
  /** The units' text columns (names, states). */
  text?: TextColumn[];
  /**
   * The edit history of "current", kept on the workbook object so it survives reopening, as the real
   * workbook's history does: `done` edits can be undone, `undone` ones redone.
   */
  history?: { done: FakeEdit[]; undone: FakeEdit[] };
  /** Scenarios besides "current" (optimizer results), by name. */
  others?: Record<string, { alignment: Alignment; history: { done: FakeEdit[]; undone: FakeEdit[] } }>;
  /** Locked units. */
  locks?: number[];
}

/** An error payload as Rust sends it: `{ kind, message }`. */
type BackendErrorPayloadLike = { kind: string; message: string };

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
  private editing: { name: string; measure: string | null } | null = null;
  /** Set by a test to make `optimize` wait until `finishOptimize` (to look at progress and Cancel). */
  holdOptimize = false;
  private release: (() => void) | null = null;
  private cancelled = false;

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
    this.recent = [{ name: wb.summary.name, path, exists: true }, ...this.recent.filter((r) => r.path !== path)];
    return wb.summary;
  }

  async unitsGeojson(): Promise<UnitCollection> {
    this.calls.push("unitsGeojson");
    await Promise.resolve();
    return structuredClone(this.open().units);
  }

  async unitText(): Promise<TextColumn[]> {
    this.calls.push("unitText");
    await Promise.resolve();
    return structuredClone(this.open().text ?? []);
  }

  async currentAlignment(): Promise<Alignment | null> {
    this.calls.push("currentAlignment");
    await Promise.resolve();
    return this.open().alignment;
  }

  async listScenarios(): Promise<ScenarioSummary[]> {
    this.calls.push("listScenarios");
    await Promise.resolve();
    return this.summaries();
  }

  private summaries(): ScenarioSummary[] {
    const wb = this.open();
    if (wb.alignment === null) return [];
    const all: [string, Alignment, { done: FakeEdit[]; undone: FakeEdit[] }][] = [
      ["current", wb.alignment, history(wb)],
      ...Object.entries(wb.others ?? {}).map(
        ([name, o]) => [name, o.alignment, o.history] as [string, Alignment, { done: FakeEdit[]; undone: FakeEdit[] }],
      ),
    ];
    return all.map(([name, a, h]) => ({
      name,
      territories: a.territories.length,
      modified: "2026-01-01T00:00:00Z",
      undoSteps: h.done.length,
      redoSteps: h.undone.length,
      note: this.notes.get(name) ?? "",
    }));
  }

  /** Notes by scenario name. */
  private readonly notes = new Map<string, string>();

  private other(name: string): { alignment: Alignment; history: { done: FakeEdit[]; undone: FakeEdit[] } } {
    const o = this.open().others?.[name];
    if (o === undefined) throw new BackendError({ kind: "workbook", message: `The workbook has no scenario called "${name}".` });
    return o;
  }

  private exists(name: string): boolean {
    return name === "current" ? this.open().alignment !== null : this.open().others?.[name] !== undefined;
  }

  async duplicateScenario(from: string, to: string): Promise<ScenarioSummary[]> {
    this.calls.push(`duplicateScenario ${from} ${to}`);
    await Promise.resolve();
    if (this.exists(to)) throw new BackendError({ kind: "workbook", message: `A scenario called "${to}" exists.` });
    const source = from === "current" ? this.alignment() : this.other(from).alignment;
    const wb = this.open();
    wb.others ??= {};
    wb.others[to] = { alignment: structuredClone(source), history: { done: [], undone: [] } };
    this.notes.set(to, this.notes.get(from) ?? "");
    return this.summaries();
  }

  async renameScenario(from: string, to: string): Promise<ScenarioSummary[]> {
    this.calls.push(`renameScenario ${from} ${to}`);
    await Promise.resolve();
    if (from === "current") throw new BackendError({ kind: "workbook", message: '"current" keeps its name.' });
    if (this.editing?.name === from) throw new BackendError({ kind: "request", message: `Scenario "${from}" is being edited.` });
    if (this.exists(to)) throw new BackendError({ kind: "workbook", message: `A scenario called "${to}" exists.` });
    const o = this.other(from);
    const wb = this.open();
    delete wb.others?.[from];
    (wb.others ??= {})[to] = o;
    this.notes.set(to, this.notes.get(from) ?? "");
    this.notes.delete(from);
    return this.summaries();
  }

  async setScenarioNote(name: string, note: string): Promise<ScenarioSummary[]> {
    this.calls.push(`setScenarioNote ${name} ${note}`);
    await Promise.resolve();
    if (!this.exists(name)) throw new BackendError({ kind: "workbook", message: `No scenario "${name}".` });
    this.notes.set(name, note);
    return this.summaries();
  }

  async removeScenario(name: string): Promise<{ scenarios: ScenarioSummary[]; removed: RemovedScenario }> {
    this.calls.push(`removeScenario ${name}`);
    await Promise.resolve();
    if (this.editing?.name === name) throw new BackendError({ kind: "request", message: `Scenario "${name}" is being edited.` });
    const o = this.other(name);
    delete this.open().others?.[name];
    const removed: RemovedScenario = {
      name,
      territoryOf: o.alignment.territoryOf.slice(),
      territories: o.alignment.territories.slice(),
      params: null,
      metrics: null,
      note: this.notes.get(name) ?? "",
    };
    this.notes.delete(name);
    return { scenarios: this.summaries(), removed };
  }

  async restoreScenario(removed: RemovedScenario): Promise<ScenarioSummary[]> {
    this.calls.push(`restoreScenario ${removed.name}`);
    await Promise.resolve();
    if (this.exists(removed.name)) throw new BackendError({ kind: "request", message: `"${removed.name}" exists again.` });
    const wb = this.open();
    (wb.others ??= {})[removed.name] = {
      alignment: { territories: removed.territories, territoryOf: removed.territoryOf, adjacent: this.alignment().adjacent },
      history: { done: [], undone: [] },
    };
    this.notes.set(removed.name, removed.note);
    return this.summaries();
  }

  async openScenario(name: string, measure: string | null = null): Promise<ScenarioView> {
    this.calls.push(`openScenario ${name}`);
    await Promise.resolve();
    const wb = this.open();
    const exists = name === "current" ? wb.alignment !== null : wb.others?.[name] !== undefined;
    if (!exists) {
      throw new BackendError({ kind: "workbook", message: `The workbook has no scenario called "${name}".` });
    }
    this.editing = { name, measure: measure ?? wb.summary.measures[0] ?? null };
    const h = this.history();
    return {
      name,
      alignment: structuredClone(this.alignment()),
      figures: this.figures(),
      undoSteps: h.done.length,
      redoSteps: h.undone.length,
      locked: [...(wb.locks ?? [])].sort((a, b) => a - b),
    };
  }

  async reassignUnits(units: number[], territory: number): Promise<EditOutcome | null> {
    this.calls.push(`reassignUnits ${units.join(",")} -> ${territory}`);
    await Promise.resolve();
    const wb = this.session();
    const alignment = this.alignment();
    if (territory < 0 || territory >= alignment.territories.length) {
      throw new BackendError({ kind: "request", message: `There is no territory number ${territory}.` });
    }
    const edit: FakeEdit = [];
    for (const u of new Set(units)) {
      const from = alignment.territoryOf[u];
      if (from === undefined) throw new BackendError({ kind: "request", message: `There is no unit number ${u}.` });
      if (from !== territory) edit.push([u, from, territory]);
    }
    if (units.some((u) => (wb.locks ?? []).includes(u))) {
      throw new BackendError({ kind: "request", message: "Some of these units are locked; unlock them first." });
    }
    if (edit.length === 0) return null;
    const h = this.history();
    h.done.push(edit);
    h.undone = [];
    return this.apply(edit.map(([u, , to]) => [u, to]));
  }

  async undoEdit(): Promise<EditOutcome | null> {
    this.calls.push("undoEdit");
    await Promise.resolve();
    this.session();
    const h = this.history();
    const edit = h.done.pop();
    if (edit === undefined) return null;
    h.undone.unshift(edit);
    return this.apply([...edit].reverse().map(([u, from]) => [u, from]));
  }

  async redoEdit(): Promise<EditOutcome | null> {
    this.calls.push("redoEdit");
    await Promise.resolve();
    this.session();
    const h = this.history();
    const edit = h.undone.shift();
    if (edit === undefined) return null;
    h.done.push(edit);
    return this.apply(edit.map(([u, , to]) => [u, to]));
  }

  async setLocks(units: number[], lock: boolean): Promise<number[]> {
    this.calls.push(`setLocks ${units.join(",")} ${lock}`);
    await Promise.resolve();
    const wb = this.session();
    const locks = new Set(wb.locks ?? []);
    for (const u of units) {
      if (lock) locks.add(u);
      else locks.delete(u);
    }
    wb.locks = [...locks].sort((a, b) => a - b);
    return wb.locks;
  }

  /**
   * "Optimizes" by giving every unit to territories in balanced blocks of the unit order: enough to exercise
   * the dialog. Reports progress twice, honours Cancel, and saves the result as `optimized N`.
   */
  async optimize(request: OptimizeRequest, onProgress: (p: OptimizeProgress) => void): Promise<OptimizeResult> {
    this.calls.push(`optimize ${JSON.stringify(request)}`);
    const wb = this.session();
    this.cancelled = false;
    await Promise.resolve();
    onProgress({ stage: "allocation", fraction: 0.3, bestMaxDev: 0.2, bestTravel: 1000, bestNoncontiguous: 1 });
    if (this.holdOptimize) await new Promise<void>((resolve) => (this.release = resolve));
    // The optimizer's fraction may step back (it is "as far as it can tell"); the window's bar must not.
    onProgress({ stage: "local search", fraction: 0.2, bestMaxDev: 0.05, bestTravel: 950, bestNoncontiguous: 0 });
    onProgress({ stage: "local search", fraction: 1, bestMaxDev: 0.01, bestTravel: 900, bestNoncontiguous: 0 });
    const base = this.alignment();
    const n = base.territoryOf.length;
    const p = base.territories.length;
    const alignment: Alignment = {
      ...structuredClone(base),
      territoryOf: base.territoryOf.map((_, i) => Math.min(p - 1, Math.floor((i * p) / n))),
    };
    wb.others ??= {};
    let k = 1;
    while (wb.others[`optimized ${k}`] !== undefined) k++;
    const scenario = `optimized ${k}`;
    wb.others[scenario] = { alignment, history: { done: [], undone: [] } };
    return {
      scenario,
      maxDev: 0.01,
      travel: 900,
      noncontiguous: 0,
      cancelled: this.cancelled,
      promises: [
        { name: "tolerance", kept: true, why: "" },
        { name: "contiguity", kept: true, why: "" },
      ],
      notes: [],
      scenarios: this.summaries(),
      explained: {
        measure: "workload",
        tolerance: request.tolerance,
        target: 100,
        territories: p,
        units: n,
        cv: 0.01,
        maxMoved: request.maxMoved,
        movedFraction: request.keepCurrent ? 0.1 : null,
        movedUnits: request.keepCurrent ? 1 : null,
        before: request.keepCurrent ? { maxDev: 0.3, travel: 800, noncontiguous: 0 } : null,
        certificate: { gap: 0.049, exact: true },
      },
    };
  }

  /** The front the fake exploration finds: three plans trading balance for travel and moves. */
  static readonly FRONT: FrontPoint[] = [
    { index: 0, id: "p0", maxDev: 0.04, cv: 0.02, travel: 1200, movedFraction: 0.3, noncontiguous: 0, keepsLimits: true, brokenLimits: [], scenario: null },
    { index: 1, id: "p1", maxDev: 0.1, cv: 0.05, travel: 1000, movedFraction: 0.2, noncontiguous: 0, keepsLimits: true, brokenLimits: [], scenario: null },
    { index: 2, id: "p2", maxDev: 0.3, cv: 0.15, travel: 900, movedFraction: 0, noncontiguous: 0, keepsLimits: true, brokenLimits: [], scenario: null },
  ];

  private explored: FrontPoint[] = [];

  /**
   * "Explores": reports the first plan of {@link FakeBackend.FRONT} as the front so far, then (held like
   * `optimize` when `holdOptimize`) answers the whole front; Cancel is `cancelOptimize`.
   */
  async explore(request: OptimizeRequest, balance: FrontBalance, onProgress: (p: ExploreProgress) => void): Promise<ExploreResult> {
    this.calls.push(`explore ${balance} ${JSON.stringify(request)}`);
    this.session();
    this.cancelled = false;
    await Promise.resolve();
    const growing = (p: FrontPoint): FrontPoint => ({ ...p, index: null });
    onProgress({ stage: "explore: 1 of 3 searches", fraction: 0.3, front: [growing(FakeBackend.FRONT[2] as FrontPoint)] });
    if (this.holdOptimize) await new Promise<void>((resolve) => (this.release = resolve));
    onProgress({ stage: "explore: 2 of 3 searches", fraction: 0.6, front: FakeBackend.FRONT.slice(1).map(growing) });
    this.explored = FakeBackend.FRONT.map((p) => ({ ...p }));
    return {
      front: this.explored.map((p) => ({ ...p })),
      current: request.keepCurrent ? { index: null, id: null, maxDev: 0.3, cv: 0.15, travel: 900, movedFraction: 0, noncontiguous: 0, keepsLimits: true, brokenLimits: [], scenario: null } : null,
      figure: balance,
      measure: "workload",
      searches: [{ tolerance: request.tolerance, max_moved: null }],
      developed: 12,
      droppedNote: null,
      cancelled: this.cancelled,
      seconds: 1.5,
    };
  }

  /** Saves plan `index` of the last fake front as `explored N` (the current alignment's copy). */
  async saveFrontPlan(index: number): Promise<SavedFrontPlan> {
    this.calls.push(`saveFrontPlan ${index}`);
    await Promise.resolve();
    const wb = this.open();
    const point = this.explored[index];
    if (point === undefined) throw new BackendError({ kind: "request", message: `The front has ${this.explored.length} plans; there is no plan ${index}.` });
    if (point.scenario !== null && wb.others?.[point.scenario] !== undefined) {
      return { scenario: point.scenario, created: false, point: { ...point }, scenarios: this.summaries() };
    }
    wb.others ??= {};
    let k = 1;
    while (wb.others[`explored ${k}`] !== undefined) k++;
    const scenario = `explored ${k}`;
    wb.others[scenario] = { alignment: structuredClone(this.alignment()), history: { done: [], undone: [] } };
    point.scenario = scenario;
    return { scenario, created: true, point: { ...point }, scenarios: this.summaries() };
  }

  /** Saves plan `id` of the front reported so far as `explored N`, as `saveFrontPlan` does. */
  async saveGrowingPlan(id: string): Promise<SavedFrontPlan> {
    this.calls.push(`saveGrowingPlan ${id}`);
    const index = FakeBackend.FRONT.findIndex((p) => p.id === id);
    this.explored = FakeBackend.FRONT.map((p) => ({ ...p }));
    const saved = await this.saveFrontPlan(index);
    return { ...saved, point: { ...saved.point, index: null } };
  }

  /** Lets a held `optimize` finish. */
  finishOptimize(): void {
    this.release?.();
    this.release = null;
  }

  async cancelOptimize(): Promise<boolean> {
    this.calls.push("cancelOptimize");
    await Promise.resolve();
    this.cancelled = true;
    this.finishOptimize();
    return true;
  }

  /** Compares by territory name, as Rust does: figures are unit counts; maps are empty SVG documents. */
  async compareScenarios(names: string[]): Promise<CompareResult> {
    this.calls.push(`compareScenarios ${names.join(",")}`);
    await Promise.resolve();
    const wb = this.open();
    const plans = names.map((n) => {
      const a = n === "current" ? wb.alignment : (wb.others?.[n]?.alignment ?? null);
      if (a === null) throw new BackendError({ kind: "workbook", message: `The workbook has no scenario called "${n}".` });
      return a;
    });
    const base = plans[0] as Alignment;
    const nameOf = (a: Alignment, i: number): string => a.territories[a.territoryOf[i] as number] as string;
    const moves = plans.slice(1).flatMap((a, k) =>
      a.territoryOf.flatMap((_, i) =>
        nameOf(a, i) === nameOf(base, i)
          ? []
          : [{ scenario: names[k + 1] as string, unit: String(i), from: nameOf(base, i), from_rep: null, to: nameOf(a, i), to_rep: null, values: [1] }],
      ),
    );
    const svg = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"></svg>';
    return {
      comparison: {
        measure: "workload",
        measures: ["workload"],
        travel_unit: "workload·km",
        scenarios: names.map((n) => {
          const moved = moves.filter((m) => m.scenario === n);
          const changed = [...new Set(moved.flatMap((m) => [m.from, m.to]))].sort();
          return { scenario: n, territories: 0, max_dev: 0, cv: 0, travel: 0, n_noncontiguous: 0, units_moved: moved.length, moved: [moved.length], changed_territories: changed };
        }),
        territories: [],
        moves,
      },
      maps: names.map(() => svg),
      diffMaps: names.slice(1).map(() => svg),
      charts: [],
      chartNote: "the fake backend draws no charts",
      frontPlans: 0,
      quotas: [],
      quotaError: null,
    };
  }

  async deleteScenario(name: string): Promise<ScenarioSummary[]> {
    this.calls.push(`deleteScenario ${name}`);
    await Promise.resolve();
    const wb = this.open();
    if (this.editing?.name === name) {
      throw new BackendError({ kind: "request", message: `Scenario "${name}" is being edited.` });
    }
    if (wb.others?.[name] === undefined) {
      throw new BackendError({ kind: "workbook", message: `The workbook has no scenario called "${name}".` });
    }
    delete wb.others[name];
    return this.summaries();
  }

  /**
   * What the native dialogs "choose", set by a test: a workbook path, an import file per kind (a units file
   * with its preview, or an error payload to throw as the preview's refusal), a save path. Unset: cancelled.
   */
  dialog: {
    workbook?: string;
    units?: ChosenFile | BackendErrorPayloadLike;
    polygons?: ChosenFile;
    reps?: ChosenFile;
    adjacency?: ChosenFile;
    save?: string;
    export?: ChosenExport;
    scenarioFile?: ChosenScenarioFile;
  } = {};
  /** The units `newScenarioFromFile` says fell outside every polygon (its plan is "current"'s). */
  outsideUnits: OutsideUnit[] = [];
  /** What `exportScenario` answers: an error to throw; unset, it "writes" 2,048 bytes. */
  exportError: BackendErrorPayloadLike | null = null;
  /** What `createWorkbook` makes: a workbook (registered under the request's `out`) or an import error. */
  importResult: FakeWorkbook | BackendErrorPayloadLike | null = null;
  /** The recent workbooks, newest first; opening one moves it to the top. */
  recent: RecentWorkbook[] = [];

  async chooseWorkbook(): Promise<string | null> {
    this.calls.push("chooseWorkbook");
    await Promise.resolve();
    return this.dialog.workbook ?? null;
  }

  async chooseImportFile(kind: ImportKind): Promise<ChosenFile | null> {
    this.calls.push(`chooseImportFile ${kind}`);
    await Promise.resolve();
    const chosen = this.dialog[kind];
    if (chosen !== undefined && "kind" in chosen && "message" in chosen) throw new BackendError(chosen);
    return (chosen as ChosenFile | undefined) ?? null;
  }

  async chooseScenarioFile(kind: ScenarioFileKind): Promise<ChosenScenarioFile | null> {
    this.calls.push(`chooseScenarioFile ${kind}`);
    await Promise.resolve();
    return this.dialog.scenarioFile ?? null;
  }

  /** Makes scenario `name` with "current"'s plan, refusing a name in use as Rust does. */
  async newScenarioFromFile(kind: ScenarioFileKind, path: string, name: string, property: string | null = null): Promise<NewScenario> {
    this.calls.push(`newScenarioFromFile ${kind} ${path} ${name} ${property ?? ""}`);
    await Promise.resolve();
    const wb = this.open();
    const made = name === "" ? (path.split("/").pop() ?? path).replace(/\.[^.]*$/, "") : name;
    if (made === "current" || wb.others?.[made] !== undefined) {
      throw new BackendError({ kind: "request", message: `A scenario called "${made}" exists already; type another name, or delete or rename that one first.` });
    }
    const alignment = structuredClone(this.alignment());
    wb.others ??= {};
    wb.others[made] = { alignment, history: { done: [], undone: [] } };
    return {
      name: made,
      territories: alignment.territories.length,
      unitCount: alignment.territoryOf.length,
      warnings: [],
      outside: kind === "polygons" ? this.outsideUnits : [],
      scenarios: this.summaries(),
    };
  }

  async chooseExportPath(scenario: string, format: ExportFormatName): Promise<ChosenExport | null> {
    this.calls.push(`chooseExportPath ${scenario} ${format}`);
    await Promise.resolve();
    return this.dialog.export ?? null;
  }

  async exportScenario(request: ExportRequest): Promise<ExportDone> {
    this.calls.push(`exportScenario ${JSON.stringify(request)}`);
    await Promise.resolve();
    if (this.exportError !== null) throw new BackendError(this.exportError);
    return {
      path: request.path,
      fileName: request.path.split("/").pop() ?? request.path,
      scenario: request.scenario,
      label: request.format,
      baseline: request.baseline ?? (request.scenario === "current" ? null : "current"),
      bytes: 2048,
      millis: 150,
    };
  }

  async chooseSavePath(suggestedName: string | null): Promise<string | null> {
    this.calls.push(`chooseSavePath ${suggestedName ?? ""}`);
    await Promise.resolve();
    return this.dialog.save ?? null;
  }

  /** When true, `createWorkbook` reports its first stage and waits for {@link finishImport} or `cancelImport`. */
  holdImport = false;
  private releaseImport: (() => void) | null = null;
  private importCancelled = false;

  async createWorkbook(
    request: CreateWorkbookRequest,
    onProgress: (p: ImportProgress) => void = () => {},
  ): Promise<WorkbookSummary> {
    this.calls.push(`createWorkbook ${JSON.stringify(request)}`);
    this.importCancelled = false;
    await Promise.resolve();
    onProgress({ stage: "reading units", fraction: 0.1 });
    if (this.holdImport) await new Promise<void>((resolve) => (this.releaseImport = resolve));
    if (this.importCancelled) {
      throw new BackendError({ kind: "cancelled", message: `${request.units}: the import was cancelled` });
    }
    onProgress({ stage: "writing the workbook", fraction: 0.25 });
    const made = this.importResult;
    if (made === null) throw new BackendError({ kind: "import", message: "no import result set" });
    if ("message" in made) throw new BackendError(made);
    const name = request.out.replace(/^.*[\\/]/, "").replace(/\.tessera$/, "");
    // As in Rust: the import's warnings come with the create only; opening the workbook later has none.
    const { importWarnings, ...summary } = made.summary;
    const wb: FakeWorkbook = { ...made, summary: { ...summary, name, path: request.out } };
    this.workbooks[request.out] = wb;
    return importWarnings === undefined ? wb.summary : { ...wb.summary, importWarnings };
  }

  /** Lets a held `createWorkbook` go on. */
  finishImport(): void {
    this.releaseImport?.();
    this.releaseImport = null;
  }

  async cancelImport(): Promise<boolean> {
    this.calls.push("cancelImport");
    await Promise.resolve();
    const running = this.releaseImport !== null;
    this.importCancelled = running;
    this.finishImport();
    return running;
  }

  async recentWorkbooks(): Promise<RecentWorkbook[]> {
    this.calls.push("recentWorkbooks");
    await Promise.resolve();
    return structuredClone(this.recent);
  }

  async forgetRecent(path: string): Promise<RecentWorkbook[]> {
    this.calls.push(`forgetRecent ${path}`);
    await Promise.resolve();
    this.recent = this.recent.filter((r) => r.path !== path);
    return structuredClone(this.recent);
  }

  // Overlay teams (issue 14): the fake's workbooks have one team, "default".
  async listTeams(): Promise<TeamsInfo> {
    this.calls.push("listTeams");
    await Promise.resolve();
    this.open();
    return { teams: [{ name: "default", default: true, filter: null, scenarios: 1 }], selected: "default" };
  }

  async selectTeam(name: string): Promise<WorkbookSummary> {
    this.calls.push(`selectTeam ${name}`);
    await Promise.resolve();
    if (name !== "default") throw new BackendError({ kind: "workbook", message: `no team named ${JSON.stringify(name)}` });
    return this.open().summary;
  }

  async teamOutlines(team: string): Promise<TeamOutlines | null> {
    this.calls.push(`teamOutlines ${team}`);
    await Promise.resolve();
    return null;
  }

  // Team management is tested in the browser (tests/browser/teams.test.mjs) and in Rust: the fake refuses it.
  async teamChoices(): Promise<TeamChoices> {
    this.calls.push("teamChoices");
    await Promise.resolve();
    return { columns: [], unitMeasures: this.open().summary.measures, accountMeasures: [] };
  }

  async addTeam(request: NewTeamRequest): Promise<TeamsInfo> {
    this.calls.push(`addTeam ${request.name}`);
    await Promise.resolve();
    throw new BackendError({ kind: "request", message: "The fake backend has one team." });
  }

  async renameTeam(from: string, to: string): Promise<TeamsInfo> {
    this.calls.push(`renameTeam ${from} ${to}`);
    await Promise.resolve();
    throw new BackendError({ kind: "request", message: "The fake backend has one team." });
  }

  async deleteTeam(name: string): Promise<TeamsInfo> {
    this.calls.push(`deleteTeam ${name}`);
    await Promise.resolve();
    throw new BackendError({ kind: "request", message: "The fake backend has one team." });
  }

  private alignment(): Alignment {
    const wb = this.open();
    const name = this.editing?.name ?? "current";
    const a = name === "current" ? wb.alignment : (wb.others?.[name]?.alignment ?? null);
    if (a === null) throw new BackendError({ kind: "no_scenario", message: "No scenario is being edited." });
    return a;
  }

  private history(): { done: FakeEdit[]; undone: FakeEdit[] } {
    const wb = this.open();
    const name = this.editing?.name ?? "current";
    if (name === "current") return history(wb);
    const other = wb.others?.[name];
    if (other === undefined) throw new BackendError({ kind: "no_scenario", message: "No scenario is being edited." });
    return other.history;
  }

  private apply(changed: [number, number][]): EditOutcome {
    const alignment = this.alignment();
    // As the app does: only the territories a unit left or joined are sent.
    const touched = new Set<number>();
    for (const [u, t] of changed) {
      touched.add(alignment.territoryOf[u] as number).add(t);
      alignment.territoryOf[u] = t;
    }
    const h = this.history();
    const { target, maxDev, cv, travel, noncontiguous, territories } = this.figures();
    return {
      changed,
      territories: null,
      figures: {
        target,
        maxDev,
        cv,
        travel,
        noncontiguous,
        territories: [...touched].sort((a, b) => a - b).map((t) => [t, territories[t] as TerritoryFigures]),
      },
      undoSteps: h.done.length,
      redoSteps: h.undone.length,
      figuresMicros: 0,
      writeMicros: 0,
      backendMicros: 0,
    };
  }

  private figures(): Figures {
    const wb = this.session();
    return fakeFigures(wb.units, this.alignment(), wb.summary.measures, this.editing?.measure ?? null);
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
