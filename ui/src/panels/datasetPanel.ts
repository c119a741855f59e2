import type { AppState, Store } from "../state";
import { el, formatNumber } from "./format";
import { newScenarioFromFile, scenarioActions, undoRemoved } from "./scenarioActions";

/**
 * The side panel: the Workbook toolbar (`menu`, kept across re-renders), the open workbook's name, unit count,
 * measures and territories (with their map colours), or the reason nothing is shown. Rebuilt only when the
 * workbook, alignment or status changes.
 */
export function mountDatasetPanel(root: HTMLElement, store: Store, menu: HTMLElement | null = null): void {
  const render = (s: AppState): void => root.replaceChildren(...content(s, store, menu));
  render(store.getState());
  store.subscribe((s, prev) => {
    // Edits change the alignment's assignment but not its territories: the legend's counts are the figures
    // panel's job, so an edit does not rebuild this panel.
    if (
      s.workbook !== prev.workbook ||
      s.alignment?.territories !== prev.alignment?.territories ||
      s.status !== prev.status ||
      s.scenarios !== prev.scenarios ||
      s.scenario !== prev.scenario ||
      s.removedScenario !== prev.removedScenario ||
      s.notice !== prev.notice ||
      s.importNotes !== prev.importNotes
    ) {
      render(s);
    }
  });
}

function content(s: AppState, store: Store, menu: HTMLElement | null): HTMLElement[] {
  const header = el("header", "panel-header");
  header.append(el("h1", "app-title", "Tessera"));
  if (menu !== null) header.append(menu);
  const start = (): HTMLElement =>
    el("p", "panel-muted start-hint", "Open a workbook, or create one from a units CSV with New from CSV…");
  if (s.status === "error") return [header, el("p", "panel-error", s.error ?? "Something went wrong."), start()];
  if (s.status === "loading") return [header, el("p", "panel-muted", "Opening workbook…")];
  const wb = s.workbook;
  if (wb === null) return [header, el("p", "panel-muted", "No workbook is open."), start()];

  const title = el("section", "panel-section");
  title.append(el("h2", "workbook-name", wb.name), el("p", "workbook-path", wb.path));
  title.querySelector(".workbook-path")?.setAttribute("title", wb.path);

  const facts = el("dl", "facts");
  const fact = (label: string, value: string): void => {
    facts.append(el("dt", undefined, label), el("dd", undefined, value));
  };
  fact("Units", formatNumber(wb.unitCount));
  fact("Drawn as", wb.geometry);
  fact("Adjacencies", formatNumber(wb.adjacencyEdges));
  fact("Reps", formatNumber(wb.reps.length));
  fact("Territories", s.alignment ? formatNumber(s.alignment.territories.length) : "none yet");

  const measures = el("section", "panel-section");
  measures.append(el("h3", undefined, "Measures"));
  const list = el("ul", "measure-list");
  for (const m of wb.measures) list.append(el("li", undefined, m));
  if (wb.measures.length === 0) list.append(el("li", "panel-muted", "none"));
  measures.append(list);

  const sections = [header, title];
  if (s.importNotes.length > 0) sections.push(importNotes(s.importNotes, store));
  sections.push(facts, measures);
  // Without a scenario the planner can still bring one in from a plan CSV or polygons (a spreadsheet's plan).
  sections.push(s.scenarios.length > 0 ? scenarioList(s, store) : noScenarioYet(s, store));
  // With figures, the figures panel lists the territories; the legend is for alignments without a scenario.
  if (s.alignment && s.figures === null) sections.push(territoryLegend(s));
  return sections;
}

/**
 * The warnings of the import that just created the workbook, right under its name so the planner sees them
 * when it opens; Dismiss hides them (they are not kept in the workbook).
 */
function importNotes(notes: string[], store: Store): HTMLElement {
  const section = el("section", "panel-section import-notes");
  section.setAttribute("role", "status");
  const head = el("div", "import-notes-head");
  const dismiss = el("button", "import-notes-dismiss", "Dismiss");
  dismiss.addEventListener("click", () => store.dismissImportNotes());
  head.append(el("h3", undefined, `Imported with ${notes.length} note${notes.length === 1 ? "" : "s"}`), dismiss);
  const list = el("ul", "import-notes-list");
  for (const note of notes) list.append(el("li", undefined, note));
  section.append(head, list);
  return section;
}

/** The workbook's scenarios; the one being edited is marked, a click switches to another. */
function scenarioList(s: AppState, store: Store): HTMLElement {
  const section = el("section", "panel-section");
  section.append(el("h3", undefined, "Scenarios"));
  const list = el("ul", "scenario-list");
  for (const sc of s.scenarios) {
    const item = el("li", sc.name === s.scenario ? "scenario-item working" : "scenario-item");
    item.dataset.scenario = sc.name;
    const button = el("button", "scenario-button", sc.name);
    button.title = `${sc.territories} territories · modified ${sc.modified}`;
    button.disabled = sc.name === s.scenario;
    button.addEventListener("click", () => void store.openScenario(sc.name));
    const steps = sc.undoSteps > 0 ? `${sc.undoSteps} edit${sc.undoSteps === 1 ? "" : "s"}` : "";
    item.append(button, el("span", "panel-muted scenario-edits", steps), scenarioActions(sc, s, store));
    if (sc.note) item.append(el("span", "panel-muted scenario-note", sc.note));
    list.append(item);
  }
  section.append(list);
  const undo = undoRemoved(s, store);
  if (undo !== null) section.append(undo);
  section.append(newScenarioFromFile(store));
  // A refused duplicate, rename or delete says why here, beside the list.
  if (s.notice !== null && s.figures === null) section.append(el("p", "panel-error", s.notice));
  return section;
}

/** The scenario section of a workbook with no scenario yet: only "New scenario from a file…". */
function noScenarioYet(s: AppState, store: Store): HTMLElement {
  const section = el("section", "panel-section");
  section.append(el("h3", undefined, "Scenarios"), el("p", "panel-muted", "None yet."), newScenarioFromFile(store));
  if (s.notice !== null && s.figures === null) section.append(el("p", "panel-error", s.notice));
  return section;
}

function territoryLegend(s: AppState): HTMLElement {
  const section = el("section", "panel-section");
  section.append(el("h3", undefined, "Territories"));
  const counts = new Array<number>(s.alignment?.territories.length ?? 0).fill(0);
  for (const t of s.alignment?.territoryOf ?? []) counts[t] = (counts[t] ?? 0) + 1;
  const list = el("ul", "territory-list");
  s.alignment?.territories.forEach((name, t) => {
    const item = el("li", "territory-item");
    const swatch = el("span", "swatch");
    swatch.style.backgroundColor = s.territoryColors[t] ?? "";
    item.append(swatch, el("span", "territory-name", name), el("span", "territory-count", formatNumber(counts[t] ?? 0)));
    list.append(item);
  });
  section.append(list);
  return section;
}
