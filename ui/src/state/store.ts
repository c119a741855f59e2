import { BackendError, type Alignment, type Backend, type UnitCollection, type WorkbookSummary } from "../api";
import { UNASSIGNED_COLOR, territoryColors } from "./colors";

/** Where loading the workbook stands. */
export type LoadStatus = "empty" | "loading" | "ready" | "error";

/** Everything the window shows, in one immutable snapshot. */
export interface AppState {
  status: LoadStatus;
  /** The open workbook, once loaded. */
  workbook: WorkbookSummary | null;
  /** Its units, in unit order; the map uses the index as the feature id. */
  units: UnitCollection | null;
  /** The current alignment, or `null` when the workbook has none. */
  alignment: Alignment | null;
  /** One colour per territory of `alignment`. */
  territoryColors: string[];
  /** The unit under the pointer (its index), if any. */
  hovered: number | null;
  /** The readable message of the last failure. */
  error: string | null;
}

/** A function called after every state change. */
export type Listener = (state: AppState, previous: AppState) => void;

const INITIAL: AppState = {
  status: "empty",
  workbook: null,
  units: null,
  alignment: null,
  territoryColors: [],
  hovered: null,
  error: null,
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
    await this.load(() => this.backend.currentWorkbook());
  }

  /** Opens the workbook at `path` and loads it. */
  async open(path: string): Promise<void> {
    await this.load(() => this.backend.openWorkbook(path));
  }

  /**
   * Replaces the alignment of the loaded units (after an edit or an optimizer run; issue 4) and recomputes
   * the territory colours. The map recolours through feature state only.
   *
   * @throws BackendError when `alignment` does not fit the units (the state is left unchanged).
   */
  applyAlignment(alignment: Alignment | null): void {
    const { units } = this.state;
    if (units === null) throw new BackendError({ kind: "no_workbook", message: "No workbook is open." });
    checkAlignment(units, alignment);
    this.set({
      alignment,
      territoryColors: territoryColors(alignment?.territories.length ?? 0, alignment?.adjacent ?? []),
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

  private async load(fetchSummary: () => Promise<WorkbookSummary | null>): Promise<void> {
    const generation = ++this.generation;
    this.set({ status: "loading", error: null, hovered: null });
    try {
      const workbook = await fetchSummary();
      if (generation !== this.generation) return;
      if (workbook === null) {
        this.set({ ...INITIAL });
        return;
      }
      const [units, alignment] = await Promise.all([this.backend.unitsGeojson(), this.backend.currentAlignment()]);
      if (generation !== this.generation) return;
      checkAlignment(units, alignment);
      this.set({
        status: "ready",
        workbook,
        units,
        alignment,
        territoryColors: territoryColors(alignment?.territories.length ?? 0, alignment?.adjacent ?? []),
        hovered: null,
        error: null,
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
