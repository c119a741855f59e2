import type { ChosenFile, ColumnRole, CreateWorkbookRequest, ImportKind, ImportProgress, UnitsPreview } from "../api";

/**
 * The import wizard's state, apart from the DOM so it is unit-tested: the chosen files, the measure to
 * balance, and what went wrong. Every step returns a new state.
 */
export interface WizardState {
  units: ChosenFile | null;
  polygons: ChosenFile | null;
  reps: ChosenFile | null;
  adjacency: ChosenFile | null;
  /** The measure to balance: one of the preview's numeric columns. */
  measure: string | null;
  /** True while the import runs. */
  busy: boolean;
  /** While the import runs: its stage and the fraction done (never going back). */
  progress: ImportProgress | null;
  /** True once the planner pressed Cancel and the import has not stopped yet. */
  cancelling: boolean;
  /** The last error, as the backend worded it (file, line, column). */
  error: string | null;
  /** A message that is not an error (the import was cancelled). */
  notice: string | null;
}

/** The wizard before anything is chosen. */
export const EMPTY_WIZARD: WizardState = {
  units: null,
  polygons: null,
  reps: null,
  adjacency: null,
  measure: null,
  busy: false,
  progress: null,
  cancelling: false,
  error: null,
  notice: null,
};

/** The stage the backend reports while it writes the workbook: no fraction of its own, so shown as busy. */
export const STAGE_WRITING = "writing the workbook";

/** The optional files, in the order the dialog lists them. */
export const OPTIONAL_FILES: { kind: Exclude<ImportKind, "units">; label: string; note: string }[] = [
  { kind: "polygons", label: "Polygons (GeoJSON)", note: "unit outlines; adjacency then comes from shared borders" },
  { kind: "reps", label: "Reps (CSV)", note: "id, name, lon, lat[, capacity]: home bases" },
  { kind: "adjacency", label: "Adjacency (CSV)", note: "a, b pairs; otherwise derived" },
];

/** How each role reads in the preview's header. */
export function roleLabel(role: ColumnRole): string {
  switch (role) {
    case "id":
      return "id";
    case "name":
      return "name";
    case "lon":
      return "longitude";
    case "lat":
      return "latitude";
    case "territory":
      return "current territory";
    case "measure":
      return "measure";
    case "code":
      return "code (text)";
    case "text":
      return "text";
    case "ignored":
      return "ignored";
  }
}

/**
 * The measures the planner may balance, as the backend's preview lists them. The rules (which numeric
 * columns are codes, which measure is the default) live in the workbook crate alone; the UI never
 * recomputes them, so the wizard and the import cannot disagree.
 */
export function measureChoices(preview: UnitsPreview | null): string[] {
  return preview === null ? [] : preview.measures;
}

/** The measure chosen when a units file is picked: the backend's default (null: every unit weighs 1). */
export function defaultMeasure(preview: UnitsPreview): string | null {
  return preview.defaultMeasure !== null && preview.measures.includes(preview.defaultMeasure)
    ? preview.defaultMeasure
    : null;
}

/** A file was chosen (or the dialog refused it with `error`). Choosing units resets the measure. */
export function chose(state: WizardState, file: ChosenFile): WizardState {
  if (file.kind === "units") {
    return {
      ...state,
      units: file,
      measure: file.preview === null ? null : defaultMeasure(file.preview),
      error: null,
      notice: null,
    };
  }
  return { ...state, [file.kind]: file, error: null, notice: null };
}

/** Drops an optional file. */
export function cleared(state: WizardState, kind: Exclude<ImportKind, "units">): WizardState {
  return { ...state, [kind]: null };
}

/** Picks the measure to balance; anything but a numeric column is ignored. */
export function choseMeasure(state: WizardState, measure: string): WizardState {
  return measureChoices(state.units?.preview ?? null).includes(measure) ? { ...state, measure } : state;
}

/** Shows `message` (a refused file, a failed import) and ends any run. */
export function failed(state: WizardState, message: string): WizardState {
  return { ...state, busy: false, progress: null, cancelling: false, error: message, notice: null };
}

/** The import started (the Save dialog gave its path). */
export function started(state: WizardState): WizardState {
  return {
    ...state,
    busy: true,
    progress: { stage: "starting", fraction: 0 },
    cancelling: false,
    error: null,
    notice: null,
  };
}

/** A progress report arrived. Ignored once the run is over; the bar never goes back. */
export function progressed(state: WizardState, p: ImportProgress): WizardState {
  if (!state.busy) return state;
  const fraction = Math.min(1, Math.max(p.fraction, state.progress?.fraction ?? 0));
  return { ...state, progress: { stage: p.stage, fraction } };
}

/** The planner pressed Cancel during the import. */
export function cancelRequested(state: WizardState): WizardState {
  return state.busy ? { ...state, cancelling: true } : state;
}

/** The import stopped on the planner's Cancel: nothing was written, the chosen files stay for another try. */
export function stopped(state: WizardState): WizardState {
  return {
    ...state,
    busy: false,
    progress: null,
    cancelling: false,
    error: null,
    notice: "Import cancelled; no workbook was written.",
  };
}

/** What the progress line says: the stage, capitalised, and the percentage done. */
export function progressLabel(state: WizardState): string {
  const p = state.progress;
  if (p === null) return "";
  if (state.cancelling) return "Cancelling… nothing will be written.";
  const stage = p.stage.charAt(0).toUpperCase() + p.stage.slice(1);
  return `${stage}… ${Math.floor(p.fraction * 100)}%`;
}

/** Whether the bar shows "busy" rather than a fraction: the writing stage reports none of its own. */
export function indeterminate(state: WizardState): boolean {
  return state.progress?.stage === STAGE_WRITING;
}

/** Why "Create workbook…" is disabled, or `null` when it is enabled. */
export function blocker(state: WizardState): string | null {
  if (state.busy) return "Importing…";
  if (state.units === null) return "Choose a units CSV first.";
  const problems = state.units.preview?.problems ?? [];
  if (problems.length > 0) return problems.join(" ");
  if (measureChoices(state.units.preview).length > 0 && state.measure === null) return "Choose the measure to balance.";
  return null;
}

/** The request "Create workbook…" sends once the Save dialog gave `out`. */
export function createRequest(state: WizardState, out: string): CreateWorkbookRequest {
  if (state.units === null) throw new Error("createRequest without a units file");
  return {
    units: state.units.path,
    polygons: state.polygons?.path ?? null,
    reps: state.reps?.path ?? null,
    adjacency: state.adjacency?.path ?? null,
    balance: state.measure,
    out,
  };
}

/** The name the Save dialog suggests: the units file's name, as a workbook. */
export function suggestedName(state: WizardState): string | null {
  const name = state.units?.name;
  return name === undefined ? null : `${name.replace(/\.[^.]*$/, "")}.tessera`;
}
