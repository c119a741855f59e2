import { BackendError, type Backend, type ImportKind, type UnitsPreview } from "../api";
import type { Store } from "../state";
import { el, formatNumber } from "./format";
import {
  EMPTY_WIZARD,
  OPTIONAL_FILES,
  blocker,
  cancelRequested,
  chose,
  choseMeasure,
  cleared,
  createRequest,
  failed,
  indeterminate,
  measureChoices,
  progressLabel,
  progressed,
  roleLabel,
  started,
  stopped,
  suggestedName,
  type WizardState,
} from "./importWizard";

/** Opens the import dialog. */
export type OpenImport = () => void;

/**
 * The "New from CSV" dialog: choose the units CSV (its first rows and every column's role are previewed), the
 * measure to balance, optional polygons, reps and adjacency, then "Create workbook…" asks where to save it and
 * imports on a worker thread, with a progress bar naming the stage (reading units, deriving adjacency, writing
 * the workbook) and a Cancel button that stops it without writing anything. An import error (file, line,
 * column) or a cancel is shown here and the dialog stays open; the new workbook opens when the import
 * succeeds. Files are chosen in native dialogs shown by Rust.
 */
export function mountImportDialog(store: Store, backend: Backend): OpenImport {
  const dialog = el("dialog", "optimize-dialog import-dialog");
  dialog.id = "import-dialog";
  document.body.append(dialog);
  let state: WizardState = EMPTY_WIZARD;

  const set = (next: WizardState): void => {
    state = next;
    dialog.replaceChildren(...content(state, actions));
  };
  const actions: Actions = {
    choose: async (kind) => {
      try {
        const file = await backend.chooseImportFile(kind);
        if (file !== null) set(chose(state, file));
      } catch (e) {
        set(failed(state, BackendError.from(e).message));
      }
    },
    clear: (kind) => set(cleared(state, kind)),
    measure: (m) => set(choseMeasure(state, m)),
    create: async () => {
      if (blocker(state) !== null) return;
      try {
        const out = await backend.chooseSavePath(suggestedName(state));
        if (out === null) return;
        set(started(state));
        const summary = await backend.createWorkbook(createRequest(state, out), (p) => set(progressed(state, p)));
        await store.open(summary.path, summary.importWarnings ?? []);
        set(EMPTY_WIZARD);
        dialog.close();
      } catch (e) {
        const error = BackendError.from(e);
        set(error.kind === "cancelled" ? stopped(state) : failed(state, error.message));
      }
    },
    cancelImport: () => {
      if (!state.busy || state.cancelling) return;
      set(cancelRequested(state));
      // `false`: the workbook was already written; the import finishes and opens it.
      void backend.cancelImport().catch((e: unknown) => set(failed(state, BackendError.from(e).message)));
    },
    close: () => {
      if (!state.busy) dialog.close();
    },
  };
  // Escape closes a dialog; not while the import runs (it would finish and open the workbook anyway).
  dialog.addEventListener("cancel", (e) => {
    if (state.busy) e.preventDefault();
  });
  return () => {
    set(state.busy ? state : { ...state, error: null });
    if (!dialog.open) dialog.showModal();
  };
}

interface Actions {
  choose(kind: ImportKind): Promise<void>;
  clear(kind: Exclude<ImportKind, "units">): void;
  measure(name: string): void;
  create(): Promise<void>;
  cancelImport(): void;
  close(): void;
}

function button(text: string, className: string, onClick: () => void): HTMLButtonElement {
  const b = el("button", className, text);
  b.type = "button";
  b.addEventListener("click", onClick);
  return b;
}

function content(s: WizardState, actions: Actions): HTMLElement[] {
  const parts: HTMLElement[] = [el("h2", "dialog-title", "New workbook from CSV")];

  const unitsRow = el("div", "import-file-row");
  unitsRow.append(el("span", "dialog-label", "Units (CSV)"));
  unitsRow.append(el("span", "import-file-name", s.units?.name ?? "none chosen"));
  const chooseUnits = button(s.units === null ? "Choose…" : "Change…", "import-choose", () => void actions.choose("units"));
  chooseUnits.dataset.kind = "units";
  chooseUnits.disabled = s.busy;
  // The empty cell lines the button up with the optional files' (whose last cell is their × button).
  unitsRow.append(chooseUnits, el("span"));
  parts.push(unitsRow);

  const preview = s.units?.preview ?? null;
  if (preview !== null) parts.push(previewTable(preview));

  const choices = measureChoices(preview);
  if (s.units !== null) {
    const row = el("label", "dialog-field");
    row.append(el("span", "dialog-label", "Balance"));
    if (choices.length === 0) {
      row.append(el("span", "panel-muted", "no numeric column: units count equally"));
    } else {
      const select = el("select", "import-measure");
      select.name = "measure";
      select.disabled = s.busy;
      for (const m of choices) {
        const option = el("option", undefined, m);
        option.value = m;
        option.selected = m === s.measure;
        select.append(option);
      }
      select.addEventListener("change", () => actions.measure(select.value));
      row.append(select, el("span", "panel-muted dialog-note", "kept in the workbook; numeric columns only"));
    }
    parts.push(row);
  }

  const optional = el("div", "import-optional");
  for (const { kind, label, note } of OPTIONAL_FILES) {
    const row = el("div", "import-file-row");
    row.dataset.kind = kind;
    const chosen = s[kind];
    row.append(el("span", "dialog-label", label));
    const name = el("span", chosen === null ? "import-file-name panel-muted" : "import-file-name", chosen?.name ?? note);
    name.title = chosen?.path ?? note;
    row.append(name);
    const choose = button(chosen === null ? "Choose…" : "Change…", "import-choose", () => void actions.choose(kind));
    choose.dataset.kind = kind;
    choose.disabled = s.busy;
    row.append(choose);
    if (chosen !== null) {
      const drop = button("×", "import-clear", () => actions.clear(kind));
      drop.title = `Do not use ${chosen.name}`;
      drop.disabled = s.busy;
      row.append(drop);
    }
    optional.append(row);
  }
  parts.push(optional);

  if (s.error !== null) parts.push(el("p", "panel-error import-error", s.error));
  if (s.notice !== null) parts.push(el("p", "panel-muted import-notice", s.notice));
  if (s.busy) {
    const bar = el("progress", "optimize-progress import-progress");
    // The writing stage has no fraction of its own: without a value the bar shows "busy".
    if (!indeterminate(s)) {
      bar.max = 1;
      bar.value = s.progress?.fraction ?? 0;
    }
    parts.push(bar, el("p", "panel-muted import-stage", progressLabel(s)));
  }

  const buttons = el("div", "dialog-buttons");
  const close = s.busy
    ? button(s.cancelling ? "Cancelling…" : "Cancel import", "dialog-close import-cancel", actions.cancelImport)
    : button("Cancel", "dialog-close", actions.close);
  close.disabled = s.busy && s.cancelling;
  const create = button("Create workbook…", "dialog-run import-create", () => void actions.create());
  const why = blocker(s);
  create.disabled = why !== null;
  if (why !== null) create.title = why;
  buttons.append(close, create);
  parts.push(buttons);
  return parts;
}

/** The first rows of the units file under a header that names each column's role. */
function previewTable(p: UnitsPreview): HTMLElement {
  const section = el("section", "import-preview");
  const rows = p.complete ? formatNumber(p.rowEstimate) : `about ${formatNumber(p.rowEstimate)}`;
  section.append(el("p", "panel-muted import-summary", `${rows} units · ${p.columns.length} columns`));
  const scroll = el("div", "import-table-scroll");
  const table = el("table", "import-table");
  const head = el("thead");
  const names = el("tr");
  const roles = el("tr", "import-roles");
  for (const c of p.columns) {
    names.append(el("th", undefined, c.name === "" ? "(no header)" : c.name));
    const role = el("th", `role role-${c.role}`, roleLabel(c.role));
    if (c.firstTextLine !== null) role.title = `not a measure: line ${c.firstTextLine} is not a number`;
    if (c.codeReason !== null) role.title = `not a measure: ${c.codeReason}`;
    role.dataset.role = c.role;
    roles.append(role);
  }
  head.append(names, roles);
  const body = el("tbody");
  for (const r of p.rows) {
    const tr = el("tr");
    for (const cell of r) tr.append(el("td", undefined, cell));
    body.append(tr);
  }
  table.append(head, body);
  scroll.append(table);
  section.append(scroll);
  for (const problem of p.problems) section.append(el("p", "panel-error", problem));
  for (const w of p.warnings) section.append(el("p", "panel-muted", w.line === null ? w.message : `line ${w.line}: ${w.message}`));
  return section;
}
