import type {
  Alignment,
  ChosenScenarioFile,
  NewScenario,
  ScenarioFileKind,
  ChosenExport,
  ExportDone,
  ExportFormatName,
  ExportRequest,
  CompareResult,
  RemovedScenario,
  BackendErrorPayload,
  ChosenFile,
  CreateWorkbookRequest,
  EditOutcome,
  ExploreProgress,
  ExploreResult,
  FrontBalance,
  ImportKind,
  ImportProgress,
  OptimizeProgress,
  OptimizeRequest,
  OptimizeResult,
  QuotaRequest,
  RecentWorkbook,
  SavedFrontPlan,
  ScenarioSummary,
  ScenarioView,
  NewTeamRequest,
  TeamChoices,
  TeamOutlines,
  TeamsInfo,
  TextColumn,
  UnitCollection,
  WorkbookSummary,
} from "./types";

/**
 * Everything the window asks of the backend. The app talks to Rust through {@link TauriBackend}; the unit
 * tests use the fake in tests/unit/fakeBackend.ts, so UI state can be tested without a window.
 */
export interface Backend {
  /** The workbook opened at start-up, or `null` when none is open. Rejects if opening it failed. */
  currentWorkbook(): Promise<WorkbookSummary | null>;
  /** Opens the workbook at `path` and makes it the current one. */
  openWorkbook(path: string): Promise<WorkbookSummary>;
  /** The current workbook's units as GeoJSON, in unit order. */
  unitsGeojson(): Promise<UnitCollection>;
  /** The units' text columns (names, states, codes) the hover names units by; empty when the workbook has none. */
  unitText(): Promise<TextColumn[]>;
  /** The current workbook's alignment (its `territory` column), or `null` when it has none. */
  currentAlignment(): Promise<Alignment | null>;
  /** Every scenario of the current workbook, oldest first. */
  listScenarios(): Promise<ScenarioSummary[]>;
  /** Makes `name` the scenario being edited (balancing `measure`, default the workbook's) and returns it. */
  openScenario(name: string, measure?: string | null): Promise<ScenarioView>;
  /** Gives `units` to `territory` as one undoable edit; `null` when none moved. */
  reassignUnits(units: number[], territory: number): Promise<EditOutcome | null>;
  /** Takes back the last edit; `null` when there is none. */
  undoEdit(): Promise<EditOutcome | null>;
  /** Reapplies the last undone edit; `null` when there is none. */
  redoEdit(): Promise<EditOutcome | null>;
  /** Locks `units` to their current territory (or unlocks them); resolves to every locked unit. */
  setLocks(units: number[], lock: boolean): Promise<number[]>;
  /** Runs the optimizer in the background, calling `onProgress` with the best figures so far. */
  optimize(request: OptimizeRequest, onProgress: (p: OptimizeProgress) => void): Promise<OptimizeResult>;
  /**
   * Explores the trade-offs between balance (`balance`), travel and the workload moved for the dialog's request,
   * calling `onProgress` with the stage and, now and then, the front so far; Cancel is `cancelOptimize`.
   */
  explore(request: OptimizeRequest, balance: FrontBalance, onProgress: (p: ExploreProgress) => void): Promise<ExploreResult>;
  /** Saves plan `index` of the last exploration's front as a scenario (the same one when picked again). */
  saveFrontPlan(index: number): Promise<SavedFrontPlan>;
  /** Saves plan `id` of the front of the exploration still running as a scenario, while the search goes on. */
  saveGrowingPlan(id: string): Promise<SavedFrontPlan>;
  /** Asks the run in progress to stop and keep its best plan. */
  cancelOptimize(): Promise<boolean>;
  /** Deletes a scenario the planner does not keep; resolves to the remaining ones. */
  deleteScenario(name: string): Promise<ScenarioSummary[]>;
  /** Copies scenario `from` (plan, parameters, figures, note) as `to`; resolves to every scenario. */
  duplicateScenario(from: string, to: string): Promise<ScenarioSummary[]>;
  /** Renames scenario `from` to `to` (not the one being edited, not "current"). */
  renameScenario(from: string, to: string): Promise<ScenarioSummary[]>;
  /** Sets scenario `name`'s note. */
  setScenarioNote(name: string, note: string): Promise<ScenarioSummary[]>;
  /** Deletes scenario `name`, answering with it whole so the delete can be undone. */
  removeScenario(name: string): Promise<{ scenarios: ScenarioSummary[]; removed: RemovedScenario }>;
  /** Saves back a scenario `removeScenario` removed. */
  restoreScenario(removed: RemovedScenario): Promise<ScenarioSummary[]>;
  /**
   * Compares 2 to 4 scenarios with the first: figures, per territory before/after, moves, maps and diff maps;
   * with `quota`, every scenario's quotas.
   */
  compareScenarios(names: string[], quota?: QuotaRequest | null): Promise<CompareResult>;
  /** Shows the native Open dialog for a plan CSV or territory polygons; `null` when cancelled. */
  chooseScenarioFile(kind: ScenarioFileKind): Promise<ChosenScenarioFile | null>;
  /**
   * Makes scenario `name` (empty: the file's name) from the file `chooseScenarioFile` answered, as `tessera
   * scenarios --from-plan/--from-polygons` does; `property` names the polygons' territory (default "territory").
   */
  newScenarioFromFile(kind: ScenarioFileKind, path: string, name: string, property?: string | null): Promise<NewScenario>;
  /**
   * Shows the native Save dialog for an export of `scenario` as `format` (a suggested name, the formats as
   * filters; it asks before replacing a file); `null` when cancelled. The file's extension picks the format.
   */
  chooseExportPath(scenario: string, format: ExportFormatName): Promise<ChosenExport | null>;
  /** Exports a scenario to the file `chooseExportPath` answered, with the code `tessera export` runs. */
  exportScenario(request: ExportRequest): Promise<ExportDone>;
  /** Shows the native Open dialog; resolves to the chosen workbook's path (then `openWorkbook` it), `null` if cancelled. */
  chooseWorkbook(): Promise<string | null>;
  /** Shows the native Open dialog for one file of an import; a units file comes back with its preview. */
  chooseImportFile(kind: ImportKind): Promise<ChosenFile | null>;
  /** Shows the native Save dialog for a new workbook; resolves to its path, `null` if cancelled. */
  chooseSavePath(suggestedName: string | null): Promise<string | null>;
  /**
   * Imports the chosen files into a new workbook at the chosen path, and opens it, calling `onProgress` with the
   * stage and the fraction done. Nothing is written on error or when cancelled (it then rejects with the kind
   * `cancelled`).
   */
  createWorkbook(request: CreateWorkbookRequest, onProgress?: (p: ImportProgress) => void): Promise<WorkbookSummary>;
  /** Asks the import in progress to stop; `false` when none was running (or it had already written the file). */
  cancelImport(): Promise<boolean>;
  /** The recent workbooks, newest first. */
  recentWorkbooks(): Promise<RecentWorkbook[]>;
  /** Drops `path` from the recent workbooks (one that is gone); resolves to the list as it is now. */
  forgetRecent(path: string): Promise<RecentWorkbook[]>;
  // Overlay teams (issue 14).
  /** The open workbook's teams and the one shown. */
  listTeams(): Promise<TeamsInfo>;
  /** Shows team `name` (its units, reps and scenarios); resolves to the workbook's summary for it. */
  selectTeam(name: string): Promise<WorkbookSummary>;
  /** Team `team`'s territory outlines, `null` when it has no scenario. */
  teamOutlines(team: string): Promise<TeamOutlines | null>;
  /** What the "Add team" form may choose from: the accounts' columns and values, the measures. */
  teamChoices(): Promise<TeamChoices>;
  /** Adds a team as `tessera teams --add` does (the window then shows it with `selectTeam`). */
  addTeam(request: NewTeamRequest): Promise<TeamsInfo>;
  /** Renames team `from` to `to`. */
  renameTeam(from: string, to: string): Promise<TeamsInfo>;
  /** Deletes team `name` with its reps, scenarios, locks and named accounts; the shown one: the default is shown. */
  deleteTeam(name: string): Promise<TeamsInfo>;
}

/** A backend failure carrying the backend's readable message. */
export class BackendError extends Error {
  readonly kind: string;

  constructor(payload: BackendErrorPayload) {
    super(payload.message);
    this.name = "BackendError";
    this.kind = payload.kind;
  }

  /** Wraps whatever a rejected call produced (a payload from Rust, an Error, a string) as a BackendError. */
  static from(reason: unknown): BackendError {
    if (reason instanceof BackendError) return reason;
    if (isPayload(reason)) return new BackendError(reason);
    if (reason instanceof Error) return new BackendError({ kind: "ipc", message: reason.message });
    return new BackendError({ kind: "ipc", message: String(reason) });
  }
}

function isPayload(x: unknown): x is BackendErrorPayload {
  return (
    typeof x === "object" &&
    x !== null &&
    typeof (x as BackendErrorPayload).kind === "string" &&
    typeof (x as BackendErrorPayload).message === "string"
  );
}
