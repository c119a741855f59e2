import {
  BackendError,
  type Alignment,
  type Backend,
  type ChosenExport,
  type EditOutcome,
  type ExportFormatName,
  type ExportRequest,
  type ScenarioFileKind,
  type ExploreResult,
  type Figures,
  type FrontBalance,
  type FrontPoint,
  type OptimizeProgress,
  type OptimizeRequest,
  type OptimizeResult,
  type RemovedScenario,
  type ScenarioSummary,
  type ScenarioView,
  type TextColumn,
  type UnitCollection,
  type WorkbookSummary,
} from "../api";
import { TerritoryColorBook, UNASSIGNED_COLOR } from "./colors";
import { homeUnits } from "./homeBases";

/** Where loading the workbook stands. */
export type LoadStatus = "empty" | "loading" | "ready" | "error";

/** Everything the window shows, in one immutable snapshot. */
export interface AppState {
  status: LoadStatus;
  /** The open workbook, once loaded. */
  workbook: WorkbookSummary | null;
  /** Its units, in unit order; the map uses the index as the feature id. */
  units: UnitCollection | null;
  /** The units' text columns (names, states, codes), for the hover; empty when the workbook has none. */
  unitText: TextColumn[];
  /** The current alignment, or `null` when the workbook has none. */
  alignment: Alignment | null;
  /** One colour per territory of `alignment`. */
  territoryColors: string[];
  /** The unit under the pointer (its index), if any. */
  hovered: number | null;
  /** The readable message of the last failure. */
  error: string | null;
  /** The workbook's scenarios (the list stays visible so the planner can switch). */
  scenarios: ScenarioSummary[];
  /** The scenario being edited ("current" by default), or `null` when the workbook has none. */
  scenario: string | null;
  /** Figures of the scenario being edited, computed in Rust. */
  figures: Figures | null;
  /** Relative tolerance around the target; rows outside it turn red. */
  tolerance: number;
  /** The territory clicks and selections give units to. */
  activeTerritory: number | null;
  /** Territories selected in the figures panel (highlighted on the map; "rebalance selected"). */
  selectedTerritories: number[];
  /** Units whose territory the last edit changed: the map recolours only these. `null`: recolour all. */
  changedUnits: number[] | null;
  /**
   * Territories whose figures the last edit changed: the figures panel updates only their rows. `null`: the
   * figures were replaced whole (a load, a scenario switch).
   */
  changedTerritories: number[] | null;
  /** Edits that can be undone / redone. */
  undoSteps: number;
  redoSteps: number;
  /** Milliseconds of the last edit: from the click to colours and figures applied (frame draw excluded). */
  editMs: number | null;
  /** Microseconds the last edit's figures took in Rust. */
  figuresMicros: number | null;
  /** Milliseconds the last edit spent in the window: recolour, panels (the part after the backend answered). */
  applyMs: number | null;
  /** Non-fatal failure of the last edit, shown without hiding the map. */
  notice: string | null;
  /** What a longer action is doing or did (an export: "Exporting…", then where it went), over the map. */
  info: string | null;
  /** Locked units (the optimizer and hand edits leave them where they are). */
  locked: ReadonlySet<number>;
  /** The last optimizer run, while the dialog shows it. */
  run: OptimizeRun | null;
  /** The last exploration of trade-offs, while its panel shows it. */
  exploration: ExploreRun | null;
  /** Warnings of the import that created the open workbook, until the planner dismisses them. */
  importNotes: string[];
  /** The unit each rep's home base lies in, by rep id (for the home-base guard rail). */
  homeUnits: ReadonlyMap<string, number>;
  /**
   * What the last edit did that a planner may not have meant (a territory split in pieces, a rep's home base
   * moved out of their territory), with Undo offered; cleared by the next edit.
   */
  warning: string | null;
  /** The scenario deleted last from the scenario list, until its delete is undone or another is deleted. */
  removedScenario: RemovedScenario | null;
}

/** How an export ended: written (`ok`), or refused; `message` says which file and why, as the window shows it. */
export interface ExportOutcome {
  ok: boolean;
  message: string;
}

/** An optimizer run started from the Optimize dialog. */
export interface OptimizeRun {
  request: OptimizeRequest;
  running: boolean;
  /** The latest progress report: best figures so far. */
  progress: OptimizeProgress | null;
  /** The saved result, once finished. */
  result: OptimizeResult | null;
  error: string | null;
}

/** An exploration of trade-offs started from the Optimize dialog ("Explore trade-offs"). */
export interface ExploreRun {
  request: OptimizeRequest;
  balance: FrontBalance;
  /** The scenario moves are counted from (the one being edited when the run started), if the run keeps it. */
  from: string | null;
  running: boolean;
  /** The latest stage and fraction done (the fraction only moves forward). */
  progress: { stage: string; fraction: number } | null;
  /** The front: as found so far while the run goes, then the finished one. */
  front: FrontPoint[];
  /** The finished exploration. */
  result: ExploreResult | null;
  error: string | null;
  /** The plan last picked on the chart: being saved (`scenario` null), or saved and drawn on the map. */
  picked: { index: number | null; id: string | null; scenario: string | null; created: boolean } | null;
  /** The planner folded the chart away to see the whole map. */
  folded: boolean;
}

/** A function called after every state change. */
export type Listener = (state: AppState, previous: AppState) => void;

const INITIAL: AppState = {
  status: "empty",
  workbook: null,
  units: null,
  unitText: [],
  alignment: null,
  territoryColors: [],
  hovered: null,
  error: null,
  scenarios: [],
  scenario: null,
  figures: null,
  tolerance: 0.05,
  activeTerritory: null,
  selectedTerritories: [],
  changedUnits: null,
  changedTerritories: null,
  undoSteps: 0,
  redoSteps: 0,
  editMs: null,
  figuresMicros: null,
  applyMs: null,
  notice: null,
  info: null,
  locked: new Set(),
  run: null,
  exploration: null,
  importNotes: [],
  homeUnits: new Map(),
  warning: null,
  removedScenario: null,
};

/**
 * The UI's single source of truth. Actions call the backend and replace the state snapshot; views subscribe
 * and redraw what changed. It holds no DOM or map objects, so it is tested with a fake backend alone.
 */
export class Store {
  private state: AppState = INITIAL;
  private readonly listeners = new Set<Listener>();
  /**
   * Bumped by every load, so a slow answer for an earlier workbook never overwrites a later one in the UI.
   * (The backend keeps whichever open finished last: the Open dialog must not start a second open while one
   * is in flight.)
   */
  private generation = 0;
  /** Colours by territory name, kept for the open workbook so every scenario shows a territory alike. */
  private colorBook = new TerritoryColorBook();

  constructor(private readonly backend: Backend) {}

  getState(): AppState {
    return this.state;
  }

  /** Registers `listener`; returns a function that removes it. */
  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Loads whatever workbook the backend opened at start-up. */
  async loadCurrent(): Promise<void> {
    // The backend opened it before the window asked: the rest of the load is asked for at once, beside the summary.
    await this.load(() => this.backend.currentWorkbook(), [], true);
  }

  /**
   * Opens the workbook at `path` and loads it; `importNotes` are the warnings of the import that just created
   * it (shown in the side panel until dismissed).
   */
  async open(path: string, importNotes: string[] = []): Promise<void> {
    await this.load(() => this.backend.openWorkbook(path), importNotes);
  }

  /**
   * Shows team `name` of the open workbook (overlay teams, issue 14): its units, reps and scenarios are loaded
   * as for a newly opened workbook.
   */
  async showTeam(name: string): Promise<void> {
    await this.load(() => this.backend.selectTeam(name));
  }

  /** Hides the import's warnings. */
  dismissImportNotes(): void {
    if (this.state.importNotes.length > 0) this.set({ importNotes: [] });
  }

  /**
   * Replaces the alignment of the loaded units (after an edit or an optimizer run; issue 4) and recomputes
   * the territory colours. The map recolours the units' texels only, never resending geometry.
   *
   * @throws BackendError when `alignment` does not fit the units (the state is left unchanged).
   */
  applyAlignment(alignment: Alignment | null): void {
    const { units } = this.state;
    if (units === null) throw new BackendError({ kind: "no_workbook", message: "No workbook is open." });
    checkAlignment(units, alignment);
    this.set({
      alignment,
      territoryColors: this.colorBook.colors(alignment?.territories ?? [], alignment?.adjacent ?? []),
      changedUnits: null,
      changedTerritories: null,
    });
  }

  /**
   * Switches the scenario being edited to `name` (its colours and figures replace the current ones) and
   * refreshes the scenario list.
   */
  async openScenario(name: string): Promise<void> {
    const { units } = this.state;
    if (units === null) return;
    try {
      const [view, scenarios] = await Promise.all([this.backend.openScenario(name), this.backend.listScenarios()]);
      checkAlignment(units, view.alignment);
      this.set({
        scenario: view.name,
        scenarios,
        alignment: view.alignment,
        territoryColors: this.colorBook.colors(view.alignment.territories, view.alignment.adjacent),
        figures: view.figures,
        undoSteps: view.undoSteps,
        redoSteps: view.redoSteps,
        activeTerritory: null,
        selectedTerritories: [],
        changedUnits: null,
        changedTerritories: null,
        notice: null,
        warning: null,
        locked: new Set(view.locked),
      });
    } catch (reason) {
      this.set({ notice: BackendError.from(reason).message });
    }
  }

  /** Locks `units` to their territory (or unlocks them), in the workbook. */
  async setLocks(units: number[], lock: boolean): Promise<void> {
    if (units.length === 0 || this.state.scenario === null) return;
    try {
      const locked = await this.backend.setLocks(units, lock);
      this.set({ locked: new Set(locked), notice: null });
    } catch (reason) {
      this.set({ notice: BackendError.from(reason).message });
    }
  }

  /** Locks (or unlocks) every unit of territory `territory`. */
  async lockTerritory(territory: number, lock: boolean): Promise<void> {
    const of = this.state.alignment?.territoryOf ?? [];
    const units: number[] = [];
    of.forEach((t, i) => t === territory && units.push(i));
    await this.setLocks(units, lock);
  }

  /**
   * Runs the optimizer in the background; progress and the result land in `run`. The result is a new scenario
   * (listed at once); the planner opens or deletes it.
   */
  async optimize(request: OptimizeRequest): Promise<void> {
    if (this.state.run?.running || this.state.exploration?.running) return;
    this.set({ run: { request, running: true, progress: null, result: null, error: null } });
    const patchRun = (patch: Partial<OptimizeRun>): void => {
      const run = this.state.run;
      if (run !== null) this.set({ run: { ...run, ...patch } });
    };
    try {
      const result = await this.backend.optimize(request, (progress) => {
        // The optimizer's fraction is "as far as it can tell": the bar must still only move forward.
        const before = this.state.run?.progress?.fraction ?? 0;
        patchRun({ progress: { ...progress, fraction: Math.max(before, progress.fraction) } });
      });
      this.set({ scenarios: result.scenarios });
      // A workbook without territories gets its first ones: open them at once, there is nothing else to show.
      if (this.state.scenario === null) await this.openScenario(result.scenario);
      patchRun({ running: false, result });
    } catch (reason) {
      patchRun({ running: false, error: BackendError.from(reason).message });
    }
  }

  /**
   * Explores the trade-offs between balance, travel and the workload moved for the dialog's `request`, in the
   * background; the front lands in `exploration`, growing while the run goes. One run at a time (an
   * exploration or an optimization).
   */
  async explore(request: OptimizeRequest, balance: FrontBalance = "max_dev"): Promise<void> {
    if (this.state.run?.running || this.state.exploration?.running) return;
    this.set({
      exploration: {
        request,
        balance,
        from: request.keepCurrent ? this.state.scenario : null,
        running: true,
        progress: null,
        front: [],
        result: null,
        error: null,
        picked: null,
        folded: false,
      },
    });
    const patch = (p: Partial<ExploreRun>): void => {
      const x = this.state.exploration;
      if (x !== null) this.set({ exploration: { ...x, ...p } });
    };
    try {
      const result = await this.backend.explore(request, balance, (progress) => {
        const x = this.state.exploration;
        if (x === null || !x.running) return;
        const fraction = Math.max(x.progress?.fraction ?? 0, progress.fraction);
        patch({ progress: { stage: progress.stage, fraction }, ...(progress.front !== null ? { front: progress.front } : {}) });
      });
      patch({ running: false, result, front: result.front });
    } catch (reason) {
      patch({ running: false, error: BackendError.from(reason).message });
    }
  }

  /**
   * Saves a plan of the front as a scenario and opens it, so the map draws it (picking it again opens the
   * scenario saved before): plan `index` of the finished front, or, while the run goes, plan `id` of the front
   * found so far (the search goes on; the plan stays saved when a better one later pushes it off the front).
   */
  async pickFrontPlan(index: number | null, id: string | null = null): Promise<void> {
    const x = this.state.exploration;
    if (x === null || this.state.units === null) return;
    const growing = x.running;
    if (growing ? id === null : x.result === null || index === null) return;
    this.set({ exploration: { ...x, picked: { index, id, scenario: null, created: false } } });
    try {
      const saved = growing ? await this.backend.saveGrowingPlan(id as string) : await this.backend.saveFrontPlan(index as number);
      const listed = this.state.exploration;
      if (listed !== null) {
        const same = (p: FrontPoint): boolean => (id !== null && p.id === id) || (!growing && index !== null && p.index === index);
        const front = listed.front.map((p) => (same(p) ? { ...p, scenario: saved.scenario } : p));
        this.set({ scenarios: saved.scenarios, exploration: { ...listed, front } });
      }
      await this.openScenario(saved.scenario);
      // Only now is it on the map (or, if opening failed, the notice over the map says why).
      const now = this.state.exploration;
      if (now !== null) {
        const opened = this.state.scenario === saved.scenario;
        this.set({
          exploration: {
            ...now,
            picked: opened ? { index, id, scenario: saved.scenario, created: saved.created } : null,
            error: opened ? now.error : `Saved as scenario "${saved.scenario}", but it could not be opened: ${this.state.notice ?? "unknown error"}`,
          },
        });
      }
    } catch (reason) {
      const now = this.state.exploration;
      if (now !== null) this.set({ exploration: { ...now, picked: null, error: BackendError.from(reason).message } });
    }
  }

  /** Folds the exploration's chart away (or shows it again). */
  foldExploration(folded: boolean): void {
    const x = this.state.exploration;
    if (x !== null && x.folded !== folded) this.set({ exploration: { ...x, folded } });
  }

  /** Closes the exploration's panel (not while it runs: Cancel first). */
  closeExploration(): void {
    if (this.state.exploration !== null && !this.state.exploration.running) this.set({ exploration: null });
  }

  /** Asks the run in progress (an optimization or an exploration) to stop; it keeps what it found so far. */
  async cancelOptimize(): Promise<void> {
    if (!this.state.run?.running && !this.state.exploration?.running) return;
    try {
      await this.backend.cancelOptimize();
    } catch (reason) {
      this.set({ notice: BackendError.from(reason).message });
    }
  }

  /** Hides the notice, the edit warning or the information over the map. */
  dismissMessage(kind: "notice" | "warning" | "info"): void {
    this.set(kind === "notice" ? { notice: null } : kind === "warning" ? { warning: null } : { info: null });
  }

  /**
   * Exports a scenario (issue 13): the native Save dialog (suggested name, the formats as filters; it asks
   * before replacing a file), then the export itself, the code `tessera export` runs. Says what it is doing
   * and what it wrote (`info`), or why it failed (`notice`, naming the file and the rule). Resolves to what it
   * wrote, or `null` when the planner cancelled or it failed.
   */
  async exportScenario(
    scenario: string,
    format: ExportFormatName,
    options: Pick<ExportRequest, "accounts" | "baseline" | "quota"> = {},
  ): Promise<ExportOutcome | null> {
    let chosen: ChosenExport | null;
    try {
      chosen = await this.backend.chooseExportPath(scenario, format);
    } catch (reason) {
      const message = BackendError.from(reason).message;
      this.set({ notice: message, info: null });
      return { ok: false, message };
    }
    if (chosen === null) return null;
    this.set({ info: `Exporting “${scenario}” to ${chosen.fileName}…`, notice: null });
    try {
      const done = await this.backend.exportScenario({ ...options, scenario, path: chosen.path, format: chosen.format });
      const against = done.baseline === null ? "" : `, moves against “${done.baseline}”`;
      const message = `Exported “${done.scenario}” (${done.label}${against}) to ${done.path}: ${formatBytes(done.bytes)} in ${(done.millis / 1000).toFixed(1)} s.`;
      this.set({ info: message });
      return { ok: true, message };
    } catch (reason) {
      const message = `Export failed: ${BackendError.from(reason).message}`;
      this.set({ info: null, notice: message });
      return { ok: false, message };
    }
  }

  /** Forgets the last run (the dialog closed). */
  dismissRun(): void {
    if (this.state.run !== null && !this.state.run.running) this.set({ run: null });
  }

  /** Deletes scenario `name` (an optimizer result the planner does not keep). */
  async deleteScenario(name: string): Promise<void> {
    try {
      const scenarios = await this.backend.deleteScenario(name);
      const run = this.state.run;
      this.set({
        scenarios,
        notice: null,
        run: run?.result?.scenario === name ? null : run,
      });
    } catch (reason) {
      this.set({ notice: BackendError.from(reason).message });
    }
  }

  /** Copies scenario `from` as `to` (plan, parameters, figures, note). */
  async duplicateScenario(from: string, to: string): Promise<void> {
    await this.scenarioAction(() => this.backend.duplicateScenario(from, to.trim()));
  }

  /**
   * A new scenario from the planner's own territories (issue 13): the native Open dialog for a plan CSV or
   * territory polygons, then the scenario `name` (empty: the file's name) made as `tessera scenarios
   * --from-plan/--from-polygons` makes it, and opened. Units outside every polygon are listed in the side panel
   * (with the territory each was given to), never dropped silently; a refused file says why (`notice`).
   */
  async newScenarioFromFile(kind: ScenarioFileKind, name: string, property: string | null = null): Promise<void> {
    try {
      const chosen = await this.backend.chooseScenarioFile(kind);
      if (chosen === null) return;
      this.set({ info: `Making scenario from ${chosen.fileName}…`, notice: null });
      const made = await this.backend.newScenarioFromFile(kind, chosen.path, name.trim(), property);
      const notes = [...made.warnings];
      const n = made.outside.length;
      if (n > 0) {
        notes.push(
          `${n} of ${made.unitCount} units ${n === 1 ? "falls" : "fall"} outside every territory polygon in ${chosen.fileName}; ${n === 1 ? "it was" : "each was"} given to the nearest territory:`,
          ...made.outside.map((o) => {
            // Territories named after reps read by the rep's name, as in the figures panel.
            const rep = this.state.workbook?.reps.find((r) => r.id === o.nearest);
            const to = rep === undefined ? o.nearest : `${rep.name} (${o.nearest})`;
            return `unit ${o.unit} → ${to}, ${o.distanceDeg.toFixed(4)}° away`;
          }),
        );
      }
      this.set({
        scenarios: made.scenarios,
        importNotes: notes,
        info: `Scenario “${made.name}” made from ${chosen.fileName}: ${made.territories} territories${n > 0 ? `, ${n} unit${n === 1 ? "" : "s"} outside every polygon (listed in the side panel)` : ""}.`,
      });
      await this.openScenario(made.name);
    } catch (reason) {
      this.set({ info: null, notice: BackendError.from(reason).message });
    }
  }

  /** Renames scenario `from` to `to`. */
  async renameScenario(from: string, to: string): Promise<void> {
    await this.scenarioAction(() => this.backend.renameScenario(from, to.trim()));
  }

  /** Sets scenario `name`'s note. */
  async setScenarioNote(name: string, note: string): Promise<void> {
    await this.scenarioAction(() => this.backend.setScenarioNote(name, note));
  }

  /** Deletes scenario `name` from the list, keeping it so {@link undoRemoveScenario} can bring it back. */
  async removeScenario(name: string): Promise<void> {
    try {
      const { scenarios, removed } = await this.backend.removeScenario(name);
      this.set({ scenarios, removedScenario: removed, notice: null });
    } catch (reason) {
      this.set({ notice: BackendError.from(reason).message });
    }
  }

  /** Brings back the scenario deleted last (its plan, parameters, figures and note; not its edit history). */
  async undoRemoveScenario(): Promise<void> {
    const removed = this.state.removedScenario;
    if (removed === null) return;
    try {
      const scenarios = await this.backend.restoreScenario(removed);
      this.set({ scenarios, removedScenario: null, notice: null });
    } catch (reason) {
      this.set({ notice: BackendError.from(reason).message });
    }
  }

  private async scenarioAction(call: () => Promise<ScenarioSummary[]>): Promise<void> {
    try {
      this.set({ scenarios: await call(), notice: null });
    } catch (reason) {
      this.set({ notice: BackendError.from(reason).message });
    }
  }

  /** Makes `territory` the one clicks give units to (`null`: none). */
  setActiveTerritory(territory: number | null): void {
    if (territory === this.state.activeTerritory) return;
    this.set({ activeTerritory: territory });
  }

  /**
   * Selects `territory` in the panel (highlighted on the map) and makes it the active one. With `extend`,
   * toggles it in a multi-selection instead.
   */
  selectTerritory(territory: number, extend = false): void {
    const current = this.state.selectedTerritories;
    const selected = extend
      ? current.includes(territory)
        ? current.filter((t) => t !== territory)
        : [...current, territory]
      : [territory];
    this.set({ selectedTerritories: selected, activeTerritory: territory });
  }

  /** Sets the tolerance the figures panel marks deviations against. */
  setTolerance(tolerance: number): void {
    if (!(tolerance > 0) || tolerance === this.state.tolerance) return;
    this.set({ tolerance });
  }

  /**
   * Gives `units` to `territory` (default: the active territory) as one undoable edit in the workbook. Colours
   * and figures follow as soon as the backend answers. Does nothing without a territory or when no unit moves.
   */
  async reassign(units: number[], territory: number | null = this.state.activeTerritory): Promise<void> {
    if (territory === null || units.length === 0 || this.state.scenario === null) return;
    const started = performance.now();
    await this.edit(() => this.backend.reassignUnits(units, territory), started);
  }

  /** Takes back the last edit (Ctrl+Z). */
  async undo(): Promise<void> {
    if (this.state.scenario === null) return;
    await this.edit(() => this.backend.undoEdit(), performance.now());
  }

  /** Reapplies the last undone edit (Ctrl+Shift+Z). */
  async redo(): Promise<void> {
    if (this.state.scenario === null) return;
    await this.edit(() => this.backend.redoEdit(), performance.now());
  }

  /** Runs one edit-like call and applies its outcome. */
  private async edit(call: () => Promise<EditOutcome | null>, started: number): Promise<void> {
    let outcome: EditOutcome | null;
    try {
      outcome = await call();
    } catch (reason) {
      this.set({ notice: BackendError.from(reason).message });
      return;
    }
    if (outcome === null) return;
    const answered = performance.now();
    const before = this.state;
    this.applyOutcome(outcome);
    // Listeners (map recolour, panels) ran synchronously inside `set`: this is click-to-applied time.
    const applied = performance.now();
    // The edit's warning goes with the timing, in one more state change (no third round of listeners).
    const warning = this.state !== before ? editWarning(before, this.state, outcome) : this.state.warning;
    this.set({ editMs: applied - started, applyMs: applied - answered, warning });
  }

  /**
   * Applies an edit's outcome: the changed units' territories and the changed territories' figures (rows of
   * the other territories are kept as the same objects, so views can tell what changed by identity).
   */
  applyOutcome(outcome: EditOutcome): void {
    const { alignment, figures } = this.state;
    if (alignment === null || figures === null) return;
    const territoryOf = alignment.territoryOf.slice();
    for (const [unit, territory] of outcome.changed) territoryOf[unit] = territory;
    const territories = outcome.territories ?? alignment.territories;
    const next: Alignment = { ...alignment, territories, territoryOf };
    const rows = figures.territories.slice();
    const update = outcome.figures;
    for (const [t, row] of update.territories) {
      // A new territory is appended; any other index past the end is a backend bug that would leave holes.
      if (!(t >= 0 && t <= rows.length)) {
        this.set({ notice: `The edit's figures name territory ${t} of ${rows.length}; reopen the scenario.` });
        return;
      }
      rows[t] = row;
    }
    if (rows.length !== territories.length) {
      this.set({ notice: `The edit's figures cover ${rows.length} of ${territories.length} territories; reopen the scenario.` });
      return;
    }
    const { target, maxDev, cv, travel, noncontiguous } = update;
    this.set({
      alignment: next,
      // Colours stay put across edits (a planner follows them); only a new territory needs a new colouring.
      territoryColors:
        outcome.territories === null
          ? this.state.territoryColors
          : this.colorBook.colors(territories, alignment.adjacent),
      changedUnits: outcome.territories === null ? outcome.changed.map(([u]) => u) : null,
      changedTerritories: outcome.territories === null ? update.territories.map(([t]) => t) : null,
      figures: { ...figures, target, maxDev, cv, travel, noncontiguous, territories: rows },
      undoSteps: outcome.undoSteps,
      redoSteps: outcome.redoSteps,
      figuresMicros: outcome.figuresMicros,
      notice: null,
      scenarios: this.state.scenarios.map((sc) =>
        sc.name === this.state.scenario ? { ...sc, undoSteps: outcome.undoSteps, redoSteps: outcome.redoSteps } : sc,
      ),
    });
  }

  /** Marks unit `index` as hovered (`null`: none). */
  hover(index: number | null): void {
    if (index === this.state.hovered) return;
    if (index !== null && (this.state.units === null || index < 0 || index >= this.state.units.features.length)) {
      return;
    }
    this.set({ hovered: index });
  }

  /** The territory index of unit `index`, or `null` without an alignment. */
  territoryOf(index: number): number | null {
    return this.state.alignment?.territoryOf[index] ?? null;
  }

  /** The fill colour of unit `index`: its territory's colour, or the single "no alignment" colour. */
  unitColor(index: number): string {
    const t = this.territoryOf(index);
    return t === null ? UNASSIGNED_COLOR : (this.state.territoryColors[t] ?? UNASSIGNED_COLOR);
  }

  /**
   * Asks the backend for everything a load reads after the summary, at once. A read that fails is reported
   * where the load awaits it; the speculative "current" scenario's failure (a workbook without one) is not
   * awaited then, so it is marked handled here.
   */
  private askLoad(): {
    units: Promise<UnitCollection>;
    scenarios: Promise<ScenarioSummary[]>;
    unitText: Promise<TextColumn[]>;
    current: Promise<ScenarioView>;
  } {
    const asked = {
      units: this.backend.unitsGeojson(),
      scenarios: this.backend.listScenarios(),
      // Names are a nicety: a workbook whose text cannot be read still opens, its units named by id.
      unitText: this.backend.unitText().catch(() => [] as TextColumn[]),
      current: this.backend.openScenario("current"),
    };
    // Awaited only when needed: an early failure must not surface as an unhandled rejection.
    for (const p of [asked.units, asked.scenarios, asked.current]) p.catch(() => undefined);
    return asked;
  }

  /**
   * Loads a workbook: its summary from `fetchSummary`, then its units, scenarios, unit names and working
   * scenario. Every read after the summary is asked for at once (they queue on the backend's workbook lock, but
   * the window no longer waits for each answer before asking the next), the working scenario "current"
   * speculatively: it is the one opened whenever the workbook has it. With `opened` (the backend already has the
   * workbook open, as at start-up) they are asked beside the summary too.
   */
  private async load(
    fetchSummary: () => Promise<WorkbookSummary | null>,
    importNotes: string[] = [],
    opened = false,
  ): Promise<void> {
    const generation = ++this.generation;
    this.set({ status: "loading", error: null, hovered: null });
    try {
      const summary = fetchSummary();
      const early = opened ? this.askLoad() : null;
      const workbook = await summary;
      if (generation !== this.generation) return;
      if (workbook === null) {
        this.set({ ...INITIAL });
        return;
      }
      const asked = early ?? this.askLoad();
      const [units, scenarios, unitText] = await Promise.all([asked.units, asked.scenarios, asked.unitText]);
      if (generation !== this.generation) return;
      // Edits go to "current" by default; a workbook without it shows its first scenario.
      const working = scenarios.find((sc) => sc.name === "current") ?? scenarios[0];
      const view =
        working === undefined
          ? null
          : working.name === "current"
            ? await asked.current
            : await this.backend.openScenario(working.name);
      const alignment = view ? view.alignment : await this.backend.currentAlignment();
      if (generation !== this.generation) return;
      checkAlignment(units, alignment);
      // A new workbook: its territories get colours afresh.
      this.colorBook = new TerritoryColorBook();
      this.set({
        ...INITIAL,
        tolerance: this.state.tolerance,
        status: "ready",
        workbook,
        units,
        unitText: unitText.filter((c) => c.values.length === units.features.length),
        alignment,
        territoryColors: this.colorBook.colors(alignment?.territories ?? [], alignment?.adjacent ?? []),
        scenarios,
        scenario: view?.name ?? null,
        figures: view?.figures ?? null,
        undoSteps: view?.undoSteps ?? 0,
        redoSteps: view?.redoSteps ?? 0,
        locked: new Set(view?.locked ?? []),
        importNotes,
        homeUnits: homeUnits(units, workbook.reps),
      });
    } catch (reason) {
      if (generation !== this.generation) return;
      this.set({ status: "error", error: BackendError.from(reason).message });
    }
  }

  private set(patch: Partial<AppState>): void {
    const previous = this.state;
    this.state = { ...previous, ...patch };
    for (const listener of this.listeners) listener(this.state, previous);
  }
}

/** Names territory `t` as the table does: the rep's name when it belongs to one. */
function territoryName(s: AppState, t: number): string {
  const row = s.figures?.territories[t];
  return row?.rep ?? row?.name ?? s.alignment?.territories[t] ?? `territory ${t}`;
}

/**
 * What an edit did that a planner may not have meant: a territory that was one piece and is now several, or a
 * rep's home-base unit moved out of the rep's territory. `null` when neither. Reads the figures Rust sent
 * (`connected`) and the alignment; nothing is recomputed.
 */
export function editWarning(before: AppState, after: AppState, outcome: EditOutcome): string | null {
  const parts: string[] = [];
  const split = outcome.figures.territories
    .filter(([t, row]) => !row.connected && before.figures?.territories[t]?.connected === true)
    .map(([t, row]) => `${territoryName(after, t)} is now in ${row.components} pieces`);
  parts.push(...split);
  const reps = after.workbook?.reps ?? [];
  const moved = new Set(outcome.changed.map(([u]) => u));
  for (const rep of reps) {
    const home = after.homeUnits.get(rep.id);
    if (home === undefined || !moved.has(home)) continue;
    const own = after.alignment?.territories.indexOf(rep.id) ?? -1;
    const was = before.alignment?.territoryOf[home];
    const now = after.alignment?.territoryOf[home];
    if (own >= 0 && was === own && now !== own && now !== undefined) {
      parts.push(`${rep.name}'s home base moved out of their territory, to ${territoryName(after, now)}`);
    }
  }
  return parts.length === 0 ? null : `${parts.join("; ")}.`;
}

/** Rejects an alignment that does not fit the units: a backend bug that would colour the wrong units. */
function checkAlignment(units: UnitCollection, alignment: Alignment | null): void {
  if (alignment === null) return;
  if (alignment.territoryOf.length !== units.features.length) {
    throw new BackendError({
      kind: "ipc",
      message: `The alignment covers ${alignment.territoryOf.length} units but the workbook has ${units.features.length}.`,
    });
  }
  const bad = alignment.territoryOf.findIndex((t) => !(t >= 0 && t < alignment.territories.length));
  if (bad >= 0) {
    throw new BackendError({ kind: "ipc", message: `Unit ${bad} has no valid territory in the alignment.` });
  }
}

/** A file size as people read it: "830 bytes", "12.4 kB", "7.1 MB". */
export function formatBytes(n: number): string {
  if (n < 1000) return `${n} bytes`;
  if (n < 1e6) return `${(n / 1e3).toFixed(1)} kB`;
  return `${(n / 1e6).toFixed(1)} MB`;
}
