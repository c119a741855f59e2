import { Channel, invoke } from "@tauri-apps/api/core";
import { BackendError, type Backend } from "./backend";
import type {
  Alignment,
  ChosenScenarioFile,
  NewScenario,
  ScenarioFileKind,
  ChosenExport,
  ExportDone,
  ExportFormatName,
  ExportRequest,
  ChosenFile,
  CompareResult,
  RemovedScenario,
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

/** The real backend: Tauri commands in `src-tauri/src/commands/`. */
export class TauriBackend implements Backend {
  currentWorkbook(): Promise<WorkbookSummary | null> {
    return call<WorkbookSummary | null>("current_workbook");
  }

  openWorkbook(path: string): Promise<WorkbookSummary> {
    return call<WorkbookSummary>("open_workbook", { path });
  }

  async unitsGeojson(): Promise<UnitCollection> {
    // The command hands Tauri the workbook's GeoJSON text as a ready JSON body, so it arrives parsed once by
    // the webview, never wrapped in a JSON string. Bytes or text (other transports) are decoded here.
    const raw = await call<UnitCollection | ArrayBuffer | string>("units_geojson");
    if (typeof raw === "string") return JSON.parse(raw) as UnitCollection;
    if (raw instanceof ArrayBuffer) return JSON.parse(new TextDecoder().decode(raw)) as UnitCollection;
    return raw;
  }

  unitText(): Promise<TextColumn[]> {
    return call<TextColumn[]>("unit_text");
  }

  currentAlignment(): Promise<Alignment | null> {
    return call<Alignment | null>("current_alignment");
  }

  listScenarios(): Promise<ScenarioSummary[]> {
    return call<ScenarioSummary[]>("list_scenarios");
  }

  openScenario(name: string, measure: string | null = null): Promise<ScenarioView> {
    return call<ScenarioView>("open_scenario", { name, measure });
  }

  reassignUnits(units: number[], territory: number): Promise<EditOutcome | null> {
    return call<EditOutcome | null>("reassign_units", { units, territory });
  }

  undoEdit(): Promise<EditOutcome | null> {
    return call<EditOutcome | null>("undo_edit");
  }

  redoEdit(): Promise<EditOutcome | null> {
    return call<EditOutcome | null>("redo_edit");
  }

  setLocks(units: number[], lock: boolean): Promise<number[]> {
    return call<number[]>("set_locks", { units, lock });
  }

  optimize(request: OptimizeRequest, onProgress: (p: OptimizeProgress) => void): Promise<OptimizeResult> {
    const channel = new Channel<OptimizeProgress>();
    channel.onmessage = onProgress;
    return call<OptimizeResult>("optimize", { request, onProgress: channel });
  }

  explore(request: OptimizeRequest, balance: FrontBalance, onProgress: (p: ExploreProgress) => void): Promise<ExploreResult> {
    const channel = new Channel<ExploreProgress>();
    channel.onmessage = onProgress;
    return call<ExploreResult>("explore", { request, balance, onProgress: channel });
  }

  saveFrontPlan(index: number): Promise<SavedFrontPlan> {
    return call<SavedFrontPlan>("save_front_plan", { index });
  }

  saveGrowingPlan(id: string): Promise<SavedFrontPlan> {
    return call<SavedFrontPlan>("save_growing_plan", { id });
  }

  cancelOptimize(): Promise<boolean> {
    return call<boolean>("cancel_optimize");
  }

  deleteScenario(name: string): Promise<ScenarioSummary[]> {
    return call<ScenarioSummary[]>("delete_scenario", { name });
  }

  duplicateScenario(from: string, to: string): Promise<ScenarioSummary[]> {
    return call<ScenarioSummary[]>("duplicate_scenario", { from, to });
  }

  renameScenario(from: string, to: string): Promise<ScenarioSummary[]> {
    return call<ScenarioSummary[]>("rename_scenario", { from, to });
  }

  setScenarioNote(name: string, note: string): Promise<ScenarioSummary[]> {
    return call<ScenarioSummary[]>("set_scenario_note", { name, note });
  }

  removeScenario(name: string): Promise<{ scenarios: ScenarioSummary[]; removed: RemovedScenario }> {
    return call<{ scenarios: ScenarioSummary[]; removed: RemovedScenario }>("remove_scenario", { name });
  }

  restoreScenario(removed: RemovedScenario): Promise<ScenarioSummary[]> {
    return call<ScenarioSummary[]>("restore_scenario", { removed });
  }

  compareScenarios(names: string[], quota: QuotaRequest | null = null): Promise<CompareResult> {
    return call<CompareResult>("compare_scenarios", { names, quota });
  }

  chooseScenarioFile(kind: ScenarioFileKind): Promise<ChosenScenarioFile | null> {
    return call<ChosenScenarioFile | null>("choose_scenario_file", { kind });
  }

  newScenarioFromFile(kind: ScenarioFileKind, path: string, name: string, property: string | null = null): Promise<NewScenario> {
    return call<NewScenario>("new_scenario_from_file", { request: { kind, path, name, property } });
  }

  chooseExportPath(scenario: string, format: ExportFormatName): Promise<ChosenExport | null> {
    return call<ChosenExport | null>("choose_export_path", { scenario, format });
  }

  exportScenario(request: ExportRequest): Promise<ExportDone> {
    return call<ExportDone>("export_scenario_file", { request });
  }

  // The dialogs are shown by Rust (src-tauri/src/commands/files.rs): the page never names a path itself.
  chooseWorkbook(): Promise<string | null> {
    return call<string | null>("choose_workbook");
  }

  chooseImportFile(kind: ImportKind): Promise<ChosenFile | null> {
    return call<ChosenFile | null>("choose_import_file", { kind });
  }

  chooseSavePath(suggestedName: string | null): Promise<string | null> {
    return call<string | null>("choose_save_path", { suggestedName });
  }

  createWorkbook(request: CreateWorkbookRequest, onProgress?: (p: ImportProgress) => void): Promise<WorkbookSummary> {
    const channel = new Channel<ImportProgress>();
    if (onProgress !== undefined) channel.onmessage = onProgress;
    return call<WorkbookSummary>("create_workbook", { request, onProgress: channel });
  }

  cancelImport(): Promise<boolean> {
    return call<boolean>("cancel_import");
  }

  recentWorkbooks(): Promise<RecentWorkbook[]> {
    return call<RecentWorkbook[]>("recent_workbooks");
  }

  forgetRecent(path: string): Promise<RecentWorkbook[]> {
    return call<RecentWorkbook[]>("forget_recent", { path });
  }

  // Overlay teams (issue 14).
  listTeams(): Promise<TeamsInfo> {
    return call<TeamsInfo>("list_teams");
  }

  selectTeam(name: string): Promise<WorkbookSummary> {
    return call<WorkbookSummary>("select_team", { name });
  }

  teamChoices(): Promise<TeamChoices> {
    return call<TeamChoices>("team_choices");
  }

  addTeam(request: NewTeamRequest): Promise<TeamsInfo> {
    return call<TeamsInfo>("add_team", { request });
  }

  renameTeam(from: string, to: string): Promise<TeamsInfo> {
    return call<TeamsInfo>("rename_team", { from, to });
  }

  deleteTeam(name: string): Promise<TeamsInfo> {
    return call<TeamsInfo>("delete_team", { name });
  }

  teamOutlines(team: string): Promise<TeamOutlines | null> {
    // A JSON body as the command sends it (parsed by the webview), or text from other transports.
    return call<TeamOutlines | null | string>("team_outlines", { team }).then((raw) =>
      typeof raw === "string" ? (JSON.parse(raw) as TeamOutlines | null) : raw,
    );
  }
}

/** True when the page runs inside the Tauri window (its IPC bridge is injected before our scripts run). */
export function inTauri(): boolean {
  return typeof window !== "undefined" && "__TAURI_INTERNALS__" in window;
}

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (reason) {
    const error = BackendError.from(reason);
    // Rust's own errors are worded for the planner; a failure of the IPC itself gets the command's name.
    if (error.kind === "ipc") throw new BackendError({ kind: "ipc", message: `${command}: ${error.message}` });
    throw error;
  }
}
