import type { ScenarioSummary } from "../api";
import type { AppState, Store } from "../state";
import { exportControls, hasAccounts } from "./exportControls";
import { el } from "./format";
import "./scenarioActions.css";

/**
 * Managing one scenario from the scenario list (issue 13): a "⋯" menu with a name field and Duplicate /
 * Rename, a note field and Save note, Export… (a format, then the native Save dialog), and Delete (undone with
 * {@link undoRemoved}). The scenario being edited
 * cannot be renamed or deleted (switch to another first), nor can "current" be renamed: the buttons say so by
 * being disabled with a title. Failures show as the store's notice.
 */
export function scenarioActions(sc: ScenarioSummary, s: AppState, store: Store): HTMLElement {
  const menu = el("details", "scenario-actions");
  const summary = el("summary", "scenario-actions-toggle", "⋯");
  summary.title = `Duplicate, rename, note, export or delete “${sc.name}”`;
  const box = el("div", "scenario-actions-box");
  const editing = sc.name === s.scenario;

  const name = el("input", "scenario-name-input");
  name.type = "text";
  name.value = `${sc.name} copy`;
  name.setAttribute("aria-label", "New name");
  const duplicate = button("Duplicate", "scenario-duplicate", () => void store.duplicateScenario(sc.name, name.value));
  const rename = button("Rename", "scenario-rename", () => void store.renameScenario(sc.name, name.value));
  if (sc.name === "current" || editing) {
    rename.disabled = true;
    rename.title =
      sc.name === "current" ? "“current” is the imported alignment and keeps its name; duplicate it" : "Switch to another scenario to rename this one";
  }
  const nameRow = el("div", "scenario-actions-row");
  nameRow.append(name, duplicate, rename);

  const note = el("input", "scenario-note-input");
  note.type = "text";
  note.value = sc.note ?? "";
  note.placeholder = "A note for this scenario";
  note.setAttribute("aria-label", "Note");
  const saveNote = button("Save note", "scenario-save-note", () => void store.setScenarioNote(sc.name, note.value));
  const noteRow = el("div", "scenario-actions-row");
  noteRow.append(note, saveNote);

  // Moves are counted against "current", as `tessera export` does; the compare view exports against its baseline.
  const exportRow = exportControls(
    hasAccounts(s.workbook),
    (format, accounts) => {
      menu.open = false;
      void store.exportScenario(sc.name, format, { accounts });
    },
    "scenario-actions-row scenario-export",
  );

  const remove = button("Delete", "scenario-delete", () => void store.removeScenario(sc.name));
  if (editing) {
    remove.disabled = true;
    remove.title = "Switch to another scenario to delete this one";
  }
  box.append(nameRow, noteRow, exportRow, remove);
  menu.append(summary, box);
  // One menu open at a time: opening this one closes the others (they open over the items below them).
  menu.addEventListener("toggle", () => {
    if (!menu.open) return;
    for (const other of document.querySelectorAll<HTMLDetailsElement>("details.scenario-actions[open]")) {
      if (other !== menu) other.open = false;
    }
  });
  return menu;
}

/** "Scenario X deleted · Undo", while the last delete can be undone; `null` otherwise. */
export function undoRemoved(s: AppState, store: Store): HTMLElement | null {
  const removed = s.removedScenario;
  if (removed === null) return null;
  const row = el("p", "panel-muted scenario-removed");
  row.append(`Scenario “${removed.name}” deleted. `);
  row.append(button("Undo", "scenario-undo-delete", () => void store.undoRemoveScenario()));
  return row;
}

function button(text: string, className: string, onClick: () => void): HTMLButtonElement {
  const b = el("button", `scenario-action ${className}`, text);
  b.type = "button";
  b.addEventListener("click", onClick);
  return b;
}

/**
 * "New scenario from a file…" under the scenario list: a name (empty: the file's name), the polygons' territory
 * field, and a button per kind of file (the native Open dialog follows). Made as `tessera scenarios
 * --from-plan/--from-polygons` makes it; units outside every polygon are listed in the side panel.
 */
export function newScenarioFromFile(store: Store): HTMLElement {
  const box = el("details", "scenario-new");
  box.append(el("summary", "scenario-new-toggle", "New scenario from a file…"));
  const name = el("input", "scenario-new-name");
  name.type = "text";
  name.placeholder = "Name (default: the file's name)";
  name.setAttribute("aria-label", "New scenario's name");
  const property = el("input", "scenario-new-property");
  property.type = "text";
  property.value = "territory";
  property.setAttribute("aria-label", "Territory field of the polygons");
  property.title = "The polygons' property (Shapefile: .dbf field) that names each territory";
  const plan = button("Plan CSV…", "scenario-from-plan", () => void store.newScenarioFromFile("plan", name.value));
  plan.title = "A CSV of id,territory: every unit's territory";
  const polygons = button(
    "Territory polygons…",
    "scenario-from-polygons",
    () => void store.newScenarioFromFile("polygons", name.value, property.value),
  );
  polygons.title = "GeoJSON or Shapefile: each unit goes to the polygon holding its point";
  const fieldRow = el("label", "scenario-actions-row scenario-new-field");
  fieldRow.append(el("span", "panel-muted", "territory field"), property);
  const buttons = el("div", "scenario-actions-row");
  buttons.append(plan, polygons);
  const inner = el("div", "scenario-new-box");
  inner.append(name, fieldRow, buttons);
  box.append(inner);
  return box;
}
