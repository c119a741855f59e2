import type { TerritoryFigures } from "../api";
import type { AppState, Store } from "../state";
import {
  el,
  formatLoad,
  formatLoadCell,
  formatNumber,
  formatTravel,
  formatTravelShort,
  plural,
  TRAVEL_EXPLAINED,
  TRAVEL_UNIT,
} from "./format";

/** Columns the territory table can be sorted by. */
export type SortKey = "name" | "load" | "deviation" | "travel" | "units";

/** How the table is sorted: a column and a direction. */
export interface Sort {
  key: SortKey;
  descending: boolean;
}

const COLUMNS: { key: SortKey; label: string; title: string }[] = [
  { key: "name", label: "Territory", title: "Rep (territory)" },
  { key: "load", label: "Load", title: "Load of the balanced measure (named under the title)" },
  { key: "deviation", label: "Deviation", title: "Deviation from the target; red outside the tolerance" },
  {
    key: "travel",
    label: "Travel",
    title: `Travel, in ${TRAVEL_UNIT}. ${TRAVEL_EXPLAINED}`,
  },
  { key: "units", label: "Units", title: "Number of units" },
];

/** Territory indices in the order `sort` asks for (ties keep territory order). */
export function sortedTerritories(rows: readonly TerritoryFigures[], sort: Sort): number[] {
  const value = (r: TerritoryFigures): number | string => {
    switch (sort.key) {
      case "name":
        return (r.rep ?? r.name).toLowerCase();
      case "deviation":
        return Math.abs(r.deviation);
      default:
        return r[sort.key];
    }
  };
  const sign = sort.descending ? -1 : 1;
  return rows
    .map((r, i) => ({ i, v: value(r) }))
    .sort((a, b) => (a.v < b.v ? -sign : a.v > b.v ? sign : a.i - b.i))
    .map((x) => x.i);
}

/** Formats a signed fraction as a percentage, e.g. `+3.25%`, `-12.5%`, `+115%`. */
export function formatPercent(fraction: number): string {
  const pct = fraction * 100;
  // Two decimals below 10%: a hand edit's change of a few hundredths must show.
  const text = pct.toFixed(Math.abs(pct) < 10 ? 2 : Math.abs(pct) < 100 ? 1 : 0);
  // -0.004% rounds to "-0.00": show it as the 0 it reads as.
  if (Number(text) === 0) return "0.00%";
  return `${pct > 0 ? "+" : ""}${text}%`;
}

/**
 * The figures panel: totals of the scenario being edited, then one row per territory (rep, load of the balanced
 * measure and the others, a deviation bar that turns red outside the tolerance, travel, units, a warning when
 * not contiguous). Sortable by clicking a column; clicking a row selects that territory (highlighted and zoomed
 * on the map) and makes it the active one edits give units to; Ctrl/Shift+click adds to the selection.
 *
 * An edit changes two territories of hundreds: the panel then updates the totals, the undo/redo buttons and
 * just those rows in place (moving them where the sort puts them), instead of rebuilding the table.
 */
export function mountFiguresPanel(root: HTMLElement, store: Store, openOptimize: (only: string[]) => void = () => {}): void {
  let sort: Sort = { key: "deviation", descending: true };
  let view: View | null = null;
  const render = (s: AppState): void => {
    // Rows whose figures (the same object) and marks did not change are reused from the last build.
    const previous = view?.rows ?? new Map<number, RowNodes>();
    view = null;
    // The panel keeps its place even without figures, so the map never changes size (and loses its fit)
    // when a workbook arrives.
    if (s.figures === null) {
      root.replaceChildren(el("h2", "figures-title", "Figures"), ...noTerritories(s, openOptimize));
      return;
    }
    view = build(s, store, openOptimize, sort, previous, (next) => {
      sort = next;
      render(store.getState());
    });
    root.replaceChildren(...view.parts);
    showLatency(root, view, s);
  };
  render(store.getState());
  store.subscribe((s, prev) => {
    if (
      s.figures !== prev.figures ||
      s.status !== prev.status ||
      s.scenario !== prev.scenario ||
      s.activeTerritory !== prev.activeTerritory ||
      s.selectedTerritories !== prev.selectedTerritories ||
      s.tolerance !== prev.tolerance ||
      s.territoryColors !== prev.territoryColors ||
      s.locked !== prev.locked ||
      s.undoSteps !== prev.undoSteps ||
      s.redoSteps !== prev.redoSteps
    ) {
      if (view !== null && isEditOf(s, prev)) {
        patch(view, s, store, sort);
      } else {
        render(s);
      }
    }
    if (view !== null && s.editMs !== prev.editMs) showLatency(root, view, s);
  });
}

/**
 * What the panel offers before there are territories: a workbook imported without a territory column gets
 * "Design territories…" (a number of them, or one per rep), whose result opens as its first scenario.
 */
function noTerritories(s: AppState, openOptimize: (only: string[]) => void): HTMLElement[] {
  if (s.status !== "ready" || s.workbook === null) return [];
  const reps = s.workbook.reps.length;
  const text =
    reps > 0
      ? `No territories yet. Design them: one per rep (${reps}) or a number of your choice, balancing a measure.`
      : "No territories yet. Design them: choose how many, and the measure to balance.";
  const button = el("button", "optimize-button design-button", "Design territories…");
  button.addEventListener("click", () => openOptimize([]));
  return [el("p", "panel-muted no-territories", text), button];
}

/** The nodes of one territory's row (and its line of other measures), with the figures they show. */
interface RowNodes {
  row: TerritoryFigures;
  marks: string;
  nodes: HTMLElement[];
}

/** The panel as built, with the nodes an edit updates in place. */
interface View {
  parts: HTMLElement[];
  totals: HTMLElement;
  undo: HTMLButtonElement;
  redo: HTMLButtonElement;
  lock: HTMLButtonElement | null;
  body: HTMLElement;
  rows: Map<number, RowNodes>;
  order: number[];
  latency: HTMLElement;
}

/**
 * Whether `s` differs from `prev` only by an edit's outcome (figures of some territories, undo/redo counts,
 * the alignment), which the panel applies in place.
 */
function isEditOf(s: AppState, prev: AppState): boolean {
  return (
    s.changedTerritories !== null &&
    s.changedTerritories !== prev.changedTerritories &&
    s.figures !== null &&
    prev.figures !== null &&
    s.figures.territories.length === prev.figures.territories.length &&
    s.figures.measure === prev.figures.measure &&
    s.status === prev.status &&
    s.scenario === prev.scenario &&
    s.activeTerritory === prev.activeTerritory &&
    s.selectedTerritories === prev.selectedTerritories &&
    s.tolerance === prev.tolerance &&
    s.territoryColors === prev.territoryColors &&
    s.locked === prev.locked
  );
}

function build(
  s: AppState,
  store: Store,
  openOptimize: (only: string[]) => void,
  sort: Sort,
  previous: ReadonlyMap<number, RowNodes>,
  setSort: (s: Sort) => void,
): View {
  const f = s.figures as NonNullable<AppState["figures"]>;
  const header = el("header", "figures-header");
  const title = el("h2", "figures-title", "Figures");
  const sub = el("p", "panel-muted", `${s.scenario ?? ""} · balancing ${f.measure ?? "unit count"} · target ${formatLoad(f.target, f.measure)}`);
  header.append(title, sub);

  const tools = el("div", "figures-tools");
  const undo = el("button", "undo-button");
  undo.title = "Undo the last edit (Ctrl+Z)";
  undo.addEventListener("click", () => void store.undo());
  const redo = el("button", "redo-button");
  redo.title = "Redo (Ctrl+Shift+Z)";
  redo.addEventListener("click", () => void store.redo());
  const tolLabel = el("label", "tolerance", "Tolerance ±");
  const tol = el("input", "tolerance-input");
  tol.type = "number";
  tol.min = "0.5";
  tol.max = "50";
  tol.step = "0.5";
  tol.value = String(Math.round(s.tolerance * 1000) / 10);
  tol.addEventListener("change", () => store.setTolerance(Number(tol.value) / 100));
  tolLabel.append(tol, "%");
  tools.append(undo, redo, tolLabel);

  const actions = el("div", "figures-tools");
  const optimize = el("button", "optimize-button", "Optimize…");
  optimize.addEventListener("click", () => openOptimize([]));
  actions.append(optimize);
  if (s.selectedTerritories.length > 0) {
    const rebalance = el("button", "rebalance-button", `Rebalance selected (${s.selectedTerritories.length})`);
    rebalance.title = "Re-optimise only the territories selected in this table (Ctrl+click adds rows)";
    const names = s.selectedTerritories.map((t) => f.territories[t]?.name ?? "");
    rebalance.addEventListener("click", () => openOptimize(names));
    actions.append(rebalance);
  }
  let lock: HTMLButtonElement | null = null;
  if (s.activeTerritory !== null) {
    const t = s.activeTerritory;
    const button = el("button", "lock-button");
    button.addEventListener("click", () => {
      const [locked, total] = lockCounts(store.getState(), t);
      void store.lockTerritory(t, locked < total);
    });
    lock = button;
    actions.append(button);
  }

  const active = el("p", "active-territory");
  const t = s.activeTerritory;
  const activeRow = t === null ? undefined : f.territories[t];
  if (activeRow === undefined) {
    active.textContent = "Pick a territory (row or Alt+click on the map) to edit; ? lists every key.";
    active.classList.add("panel-muted");
  } else {
    const swatch = el("span", "swatch");
    swatch.style.backgroundColor = s.territoryColors[t as number] ?? "";
    active.append("Editing: ", swatch, el("strong", undefined, activeRow.rep ?? activeRow.name));
    active.append(el("span", "panel-muted", " · click a unit, Shift+drag a box, Ctrl+drag a lasso · ? all keys"));
  }

  const totals = el("dl", "totals");
  const table = el("table", "figures-table");
  const head = el("tr");
  for (const c of COLUMNS) {
    const th = el("th", `col-${c.key}`, c.label);
    th.title = c.title;
    if (sort.key === c.key) th.append(sort.descending ? " ▾" : " ▴");
    // Each figure's unit under its column's name: the measure's own name, travel's weighted km.
    const unit = c.key === "load" ? (f.measure ?? "units") : c.key === "travel" ? TRAVEL_UNIT : null;
    if (unit !== null) th.append(el("span", "col-unit", unit));
    th.addEventListener("click", () =>
      setSort({ key: c.key, descending: sort.key === c.key ? !sort.descending : c.key !== "name" }),
    );
    head.append(th);
  }
  table.append(el("thead"));
  table.tHead?.append(head);
  const body = el("tbody");
  const rows = new Map<number, RowNodes>();
  const order = sortedTerritories(f.territories, sort);
  for (const i of order) {
    const r = rowNodes(s, store, i, previous.get(i));
    rows.set(i, r);
    body.append(...r.nodes);
  }
  table.append(body);

  // The last edit's latency is kept on the panel's data attributes (for the e2e test), never shown.
  const latency = el("p", "edit-latency");
  latency.hidden = true;
  // Notices and warnings float over the map (messageBar.ts), so a message never pushes the table down.
  const parts = [header, tools, actions, active, totals, legend(s), table, latency];
  const view: View = { parts, totals, undo, redo, lock, body, rows, order, latency };
  showTotals(view, s, store);
  showLock(view, s);
  return view;
}

/** Applies an edit in place: totals, undo/redo, the changed rows (re-sorted), the lock button's counts. */
function patch(view: View, s: AppState, store: Store, sort: Sort): void {
  const f = s.figures as NonNullable<AppState["figures"]>;
  showTotals(view, s, store);
  const changed = new Set(s.changedTerritories);
  for (const t of changed) {
    const old = view.rows.get(t);
    const r = rowNodes(s, store, t);
    view.rows.set(t, r);
    if (old === undefined) continue;
    (old.nodes[0] as HTMLElement).replaceWith(...r.nodes);
    for (const node of old.nodes.slice(1)) node.remove();
  }
  const order = sortedTerritories(f.territories, sort);
  if (order.some((t, k) => view.order[k] !== t)) {
    // Unchanged rows keep their relative order (same values, ties by index): only changed rows move. Each goes
    // before the next unchanged row of the new order, in order, so runs of changed rows land in order too.
    let next: HTMLElement | null = null;
    for (let k = order.length - 1; k >= 0; k--) {
      const t = order[k] as number;
      const nodes = (view.rows.get(t) as RowNodes).nodes;
      if (changed.has(t)) {
        for (const node of nodes) view.body.insertBefore(node, next);
      }
      next = nodes[0] as HTMLElement;
    }
    view.order = order;
  }
  if (s.activeTerritory !== null && changed.has(s.activeTerritory)) showLock(view, s);
}

/** The rows of territory `i`; `previous` is reused when its figures (the same object) and marks did not change. */
function rowNodes(s: AppState, store: Store, i: number, previous?: RowNodes): RowNodes {
  const f = s.figures as NonNullable<AppState["figures"]>;
  const r = f.territories[i] as TerritoryFigures;
  const marks = [s.territoryColors[i], i === s.activeTerritory, s.selectedTerritories.includes(i), s.tolerance].join("|");
  if (previous !== undefined && previous.row === r && previous.marks === marks) return previous;
  const tr = el("tr", "figures-row");
  tr.dataset.territory = String(i);
  if (i === s.activeTerritory) tr.classList.add("active");
  if (s.selectedTerritories.includes(i)) tr.classList.add("selected");
  const out = Math.abs(r.deviation) > s.tolerance;
  if (out) tr.classList.add("off-tolerance");

  const name = el("td", "fig-name");
  const box = el("div", "fig-name-box");
  name.append(box);
  const swatch = el("span", "swatch");
  swatch.style.backgroundColor = s.territoryColors[i] ?? "";
  // The name shrinks (ellipsis) before the marks do: a long name never hides the ⚠.
  const label = el("span", "rep-name", r.rep ?? r.name);
  name.title = r.rep !== null ? `${r.rep} (territory ${r.name})` : r.name;
  box.append(swatch, label);
  // The territory's id (a rep id) is in the tooltip: the rep's name needs the room.
  if (!r.connected) {
    const warn = el("span", "warn", "⚠");
    warn.title = `Not contiguous: ${r.components} separate pieces`;
    box.append(warn);
  }
  const named = r.namedAccounts ?? 0;
  if (named > 0) {
    const mark = el("span", "named-mark", `★${named}`);
    mark.title = `${named} named account${named === 1 ? "" : "s"}: they belong to this territory whatever their unit, and count in its load`;
    box.append(mark);
  }
  const home = homeAway(s, i);
  if (home !== null) {
    const mark = el("span", "warn home-away", "⌂");
    mark.title = `${home}'s home base is outside this territory`;
    box.append(mark);
  }
  const load = el("td", "fig-load num", formatLoadCell(r.load));
  load.title = `${formatLoad(r.load, f.measure)}; target ${formatLoad(r.target, f.measure)}`;
  const dev = el("td", "fig-dev");
  const bar = el("div", "dev-bar");
  const fill = el("div", out ? "dev-fill out" : "dev-fill");
  const scale = Math.max(3 * s.tolerance, 1e-9);
  const width = Math.min(1, Math.abs(r.deviation) / scale) * 50;
  fill.style.width = `${width}%`;
  fill.style.left = r.deviation >= 0 ? "50%" : `${50 - width}%`;
  bar.append(fill);
  dev.append(bar, el("span", "dev-text", formatPercent(r.deviation)));
  // The unit is in the column's header and tooltip: a narrow column has no room to repeat it on every row.
  const travel = el("td", "fig-travel num", formatTravelShort(r.travel));
  travel.title = `${formatTravel(r.travel)}. ${TRAVEL_EXPLAINED}`;
  const units = el("td", "fig-units num", formatNumber(r.units));
  tr.append(name, load, dev, travel, units);
  const select = (e: MouseEvent): void => store.selectTerritory(i, e.ctrlKey || e.metaKey || e.shiftKey);
  tr.addEventListener("click", select);
  const nodes: HTMLElement[] = [tr];
  const others = f.measures.map((m, k) => ({ m, k })).filter(({ m }) => m !== f.measure);
  if (others.length > 0) {
    // The other measures on a line of their own under the row, across all columns.
    const sub = el("tr", tr.className.replace("figures-row", "figures-sub"));
    const cell = el("td", "other-loads");
    cell.colSpan = COLUMNS.length;
    cell.textContent = others.map(({ m, k }) => `${m} ${formatLoadCell(r.loads[k] ?? 0)}`).join(" · ");
    sub.append(cell);
    sub.addEventListener("click", select);
    nodes.push(sub);
  }
  return { row: r, marks, nodes };
}

/** Selects the next territory in several pieces after the active one (wrapping), so repeated clicks visit them all. */
function selectNextNoncontiguous(store: Store): void {
  const s = store.getState();
  const rows = s.figures?.territories ?? [];
  const broken = rows.map((r, i) => (r.connected ? -1 : i)).filter((i) => i >= 0);
  if (broken.length === 0) return;
  const next = broken.find((i) => i > (s.activeTerritory ?? -1)) ?? (broken[0] as number);
  store.selectTerritory(next);
}

/** The rep whose home base is outside territory `t` (named after them), or `null`. */
function homeAway(s: AppState, t: number): string | null {
  const name = s.alignment?.territories[t];
  const rep = s.workbook?.reps.find((r) => r.id === name);
  if (rep === undefined) return null;
  const unit = s.homeUnits.get(rep.id);
  if (unit === undefined) return null;
  return s.alignment?.territoryOf[unit] === t ? null : rep.name;
}

/** What the map's label colours mean. */
function legend(s: AppState): HTMLElement {
  const box = el("p", "label-legend panel-muted");
  box.append(
    "Map labels: ",
    el("span", "legend-label", "in tolerance"),
    " ",
    el("span", "legend-label off-tolerance", "outside tolerance"),
    " · ⚠ in pieces · ⌂ home base outside · ",
    el("span", "legend-lock", "▨"),
    " locked",
  );
  const named = s.workbook?.namedAccounts?.length ?? 0;
  const unplaced = s.workbook?.namedUnplaced ?? 0;
  if (named + unplaced > 0) {
    const star = el("span", "legend-named", " · ★ named account");
    star.title =
      `${named} accounts named to a territory are marked with a star in its colour` +
      (unplaced > 0 ? `; ${unplaced} more have neither coordinates nor a unit and are not on the map.` : ".");
    box.append(star);
  }
  return box;
}

function showTotals(view: View, s: AppState, store: Store): void {
  const f = s.figures as NonNullable<AppState["figures"]>;
  view.undo.textContent = `Undo (${s.undoSteps})`;
  view.undo.disabled = s.undoSteps === 0;
  view.redo.textContent = `Redo (${s.redoSteps})`;
  view.redo.disabled = s.redoSteps === 0;
  const totals: HTMLElement[] = [];
  const total = (key: string, label: string, value: string, title: string, bad = false): HTMLElement => {
    const dd = el("dd", bad ? "bad" : undefined, value);
    dd.dataset.total = key;
    const dt = el("dt", undefined, label);
    dt.title = title;
    dd.title = title;
    totals.push(dt, dd);
    return dd;
  };
  const measure = f.measure ?? "units";
  total(
    "maxDev",
    "Max deviation",
    `${(f.maxDev * 100).toFixed(2)}%`,
    `The territory furthest from the target load (${formatLoad(f.target, f.measure)}), as a share of the target; ` +
      `red outside the ±${(s.tolerance * 100).toFixed(1)}% tolerance`,
    f.maxDev > s.tolerance,
  );
  total("cv", "CV", `${(f.cv * 100).toFixed(2)}%`, `Coefficient of variation of the ${measure} loads: their standard deviation as a share of the mean (0% = all equal)`);
  const pieces = total(
    "noncontiguous",
    "Not contiguous",
    formatNumber(f.noncontiguous),
    f.noncontiguous > 0 ? "Territories in several pieces: click to select the next one" : "Every territory is one piece",
    f.noncontiguous > 0,
  );
  if (f.noncontiguous > 0) {
    pieces.classList.add("link");
    pieces.setAttribute("role", "button");
    pieces.tabIndex = 0;
    pieces.addEventListener("click", () => selectNextNoncontiguous(store));
  }
  // Last, in the wide column: the longest figure.
  total("travel", "Travel", formatTravel(f.travel), TRAVEL_EXPLAINED);
  view.totals.replaceChildren(...totals);
}

/** Locked and total units of territory `t`. O(units): done only when the active territory changed. */
function lockCounts(s: AppState, t: number): [number, number] {
  let total = 0;
  let locked = 0;
  (s.alignment?.territoryOf ?? []).forEach((x, i) => {
    if (x !== t) return;
    total++;
    if (s.locked.has(i)) locked++;
  });
  return [locked, total];
}

function showLock(view: View, s: AppState): void {
  if (view.lock === null || s.activeTerritory === null) return;
  const [locked, total] = lockCounts(s, s.activeTerritory);
  view.lock.textContent = locked < total ? "Lock territory" : "Unlock territory";
  view.lock.title = `${locked} of its ${plural(total, "unit")} locked; L locks/unlocks the unit under the pointer`;
}

function showLatency(root: HTMLElement, _view: View, s: AppState): void {
  // For the e2e test's latency budget and the web inspector; a planner has no use for it.
  root.dataset.editMs = s.editMs === null ? "" : s.editMs.toFixed(1);
  root.dataset.figuresMs = s.figuresMicros === null ? "" : (s.figuresMicros / 1000).toFixed(1);
}
