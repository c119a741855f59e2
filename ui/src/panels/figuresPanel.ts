import type { TerritoryFigures } from "../api";
import type { AppState, Store } from "../state";
import { el, formatCompact, formatNumber } from "./format";

/** Columns the territory table can be sorted by. */
export type SortKey = "name" | "load" | "deviation" | "travel" | "units";

/** How the table is sorted: a column and a direction. */
export interface Sort {
  key: SortKey;
  descending: boolean;
}

const COLUMNS: { key: SortKey; label: string; title: string }[] = [
  { key: "name", label: "Territory", title: "Rep (territory)" },
  { key: "load", label: "Load", title: "Load of the balanced measure" },
  { key: "deviation", label: "Deviation", title: "Deviation from the target; red outside the tolerance" },
  {
    key: "travel",
    label: "Travel",
    title: "Travel: workload × km from each unit to the rep's home base (or the territory's center), summed",
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

/** Formats a signed fraction as a percentage, e.g. `+3.2%`. */
export function formatPercent(fraction: number): string {
  const pct = fraction * 100;
  const text = pct.toFixed(Math.abs(pct) < 10 ? 1 : 0);
  // -0.004% rounds to "-0.0": show it as the 0 it reads as.
  if (Number(text) === 0) return "0.0%";
  return `${pct > 0 ? "+" : ""}${text}%`;
}

/**
 * The figures panel: totals of the scenario being edited, then one row per territory (rep, load of the balanced
 * measure and the others, a deviation bar that turns red outside the tolerance, travel, units, a warning when
 * not contiguous). Sortable by clicking a column; clicking a row selects that territory (highlighted and zoomed
 * on the map) and makes it the active one edits give units to; Ctrl/Shift+click adds to the selection.
 */
export function mountFiguresPanel(root: HTMLElement, store: Store, openOptimize: (only: string[]) => void = () => {}): void {
  let sort: Sort = { key: "deviation", descending: true };
  let rows: RowCache = new Map();
  let rowsFor: AppState["scenario"] | undefined;
  const render = (s: AppState): void => {
    // The panel keeps its place even without figures, so the map never changes size (and loses its fit)
    // when a workbook arrives.
    if (s.figures === null) {
      const note = s.status === "ready" ? "This workbook has no scenario to measure yet." : "";
      root.replaceChildren(el("h2", "figures-title", "Figures"), el("p", "panel-muted", note));
      return;
    }
    if (rowsFor !== s.scenario || s.status !== "ready") {
      rows = new Map();
      rowsFor = s.scenario;
    }
    root.replaceChildren(
      ...content(s, store, rows, openOptimize, sort, (next) => {
        sort = next;
        render(store.getState());
      }),
    );
    root.dataset.editMs = s.editMs === null ? "" : s.editMs.toFixed(1);
  };
  render(store.getState());
  store.subscribe((s, prev) => {
    if (
      s.figures !== prev.figures ||
      s.status !== prev.status ||
      s.activeTerritory !== prev.activeTerritory ||
      s.selectedTerritories !== prev.selectedTerritories ||
      s.tolerance !== prev.tolerance ||
      s.territoryColors !== prev.territoryColors ||
      s.notice !== prev.notice ||
      s.locked !== prev.locked ||
      s.editMs !== prev.editMs
    ) {
      render(s);
    }
  });
}

/** Table rows built for each territory, with the figures they show (`key`), reused while unchanged. */
type RowCache = Map<number, { key: string; nodes: HTMLElement[] }>;

function content(
  s: AppState,
  store: Store,
  rows: RowCache,
  openOptimize: (only: string[]) => void,
  sort: Sort,
  setSort: (s: Sort) => void,
): HTMLElement[] {
  const f = s.figures;
  if (f === null) return [];
  const header = el("header", "figures-header");
  const title = el("h2", "figures-title", "Figures");
  const sub = el("p", "panel-muted", `${s.scenario ?? ""} · balancing ${f.measure ?? "unit count"}`);
  header.append(title, sub);

  const tools = el("div", "figures-tools");
  const undo = el("button", "undo-button", `Undo (${s.undoSteps})`);
  undo.disabled = s.undoSteps === 0;
  undo.title = "Undo the last edit (Ctrl+Z)";
  undo.addEventListener("click", () => void store.undo());
  const redo = el("button", "redo-button", `Redo (${s.redoSteps})`);
  redo.disabled = s.redoSteps === 0;
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
  if (s.activeTerritory !== null) {
    const t = s.activeTerritory;
    const of = s.alignment?.territoryOf ?? [];
    let total = 0;
    let locked = 0;
    of.forEach((x, i) => {
      if (x !== t) return;
      total++;
      if (s.locked.has(i)) locked++;
    });
    const lockAll = locked < total;
    const lock = el("button", "lock-button", lockAll ? "Lock territory" : "Unlock territory");
    lock.title = `${locked} of its ${total} units locked; L locks/unlocks the unit under the pointer`;
    lock.addEventListener("click", () => void store.lockTerritory(t, lockAll));
    actions.append(lock);
  }

  const active = el("p", "active-territory");
  const t = s.activeTerritory;
  const activeRow = t === null ? undefined : f.territories[t];
  if (activeRow === undefined) {
    active.textContent = "Pick a territory (row or Alt+click on the map) to edit.";
    active.classList.add("panel-muted");
  } else {
    const swatch = el("span", "swatch");
    swatch.style.backgroundColor = s.territoryColors[t as number] ?? "";
    active.append("Editing: ", swatch, el("strong", undefined, activeRow.rep ?? activeRow.name));
    active.append(el("span", "panel-muted", " · click a unit, Shift+drag a box, Ctrl+drag a lasso"));
  }

  const totals = el("dl", "totals");
  const total = (key: string, label: string, value: string, bad = false): void => {
    const dd = el("dd", bad ? "bad" : undefined, value);
    dd.dataset.total = key;
    totals.append(el("dt", undefined, label), dd);
  };
  total("maxDev", "Max deviation", formatPercent(f.maxDev).replace("+", ""), f.maxDev > s.tolerance);
  total("cv", "CV", f.cv.toFixed(3));
  total("travel", "Travel", formatCompact(f.travel));
  total("noncontiguous", "Not contiguous", formatNumber(f.noncontiguous), f.noncontiguous > 0);

  const table = el("table", "figures-table");
  const head = el("tr");
  for (const c of COLUMNS) {
    const th = el("th", `col-${c.key}`, c.label);
    th.title = c.title;
    if (sort.key === c.key) th.append(sort.descending ? " ▾" : " ▴");
    th.addEventListener("click", () =>
      setSort({ key: c.key, descending: sort.key === c.key ? !sort.descending : c.key !== "name" }),
    );
    head.append(th);
  }
  table.append(el("thead"));
  table.tHead?.append(head);
  const body = el("tbody");
  const others = f.measures.map((m, k) => ({ m, k })).filter(({ m }) => m !== f.measure);
  const scale = Math.max(3 * s.tolerance, 1e-9);
  for (const i of sortedTerritories(f.territories, sort)) {
    const r = f.territories[i] as TerritoryFigures;
    // Rows whose figures and marks did not change are reused: an edit touches two territories of hundreds.
    const key = JSON.stringify([
      r,
      s.territoryColors[i],
      i === s.activeTerritory,
      s.selectedTerritories.includes(i),
      s.tolerance,
      f.measure,
    ]);
    const cached = rows.get(i);
    if (cached !== undefined && cached.key === key) {
      body.append(...cached.nodes);
      continue;
    }
    const tr = el("tr", "figures-row");
    tr.dataset.territory = String(i);
    if (i === s.activeTerritory) tr.classList.add("active");
    if (s.selectedTerritories.includes(i)) tr.classList.add("selected");
    const out = Math.abs(r.deviation) > s.tolerance;
    if (out) tr.classList.add("off-tolerance");

    const name = el("td", "fig-name");
    const swatch = el("span", "swatch");
    swatch.style.backgroundColor = s.territoryColors[i] ?? "";
    name.append(swatch, el("span", "rep-name", r.rep ?? r.name));
    if (r.rep !== null) name.append(el("span", "territory-id", r.name));
    if (!r.connected) {
      const warn = el("span", "warn", "⚠");
      warn.title = `Not contiguous: ${r.components} separate pieces`;
      name.append(warn);
    }
    const load = el("td", "fig-load num", formatCompact(r.load));
    load.title = formatNumber(Math.round(r.load));
    const dev = el("td", "fig-dev");
    const bar = el("div", "dev-bar");
    const fill = el("div", out ? "dev-fill out" : "dev-fill");
    const width = Math.min(1, Math.abs(r.deviation) / scale) * 50;
    fill.style.width = `${width}%`;
    fill.style.left = r.deviation >= 0 ? "50%" : `${50 - width}%`;
    bar.append(fill);
    dev.append(bar, el("span", "dev-text", formatPercent(r.deviation)));
    const travel = el("td", "fig-travel num", formatCompact(r.travel));
    const units = el("td", "fig-units num", formatNumber(r.units));
    tr.append(name, load, dev, travel, units);
    const select = (e: MouseEvent): void => store.selectTerritory(i, e.ctrlKey || e.metaKey || e.shiftKey);
    tr.addEventListener("click", select);
    body.append(tr);
    const nodes: HTMLElement[] = [tr];
    if (others.length > 0) {
      // The other measures on a line of their own under the row, across all columns.
      const sub = el("tr", tr.className.replace("figures-row", "figures-sub"));
      const cell = el("td", "other-loads");
      cell.colSpan = COLUMNS.length;
      cell.textContent = others.map(({ m, k }) => `${m} ${formatCompact(r.loads[k] ?? 0)}`).join(" · ");
      sub.append(cell);
      sub.addEventListener("click", select);
      body.append(sub);
      nodes.push(sub);
    }
    rows.set(i, { key, nodes });
  }
  table.append(body);

  const parts = [header, tools, actions, active, totals];
  if (s.notice !== null) parts.push(el("p", "panel-error", s.notice));
  parts.push(table);
  if (s.editMs !== null) {
    const micros = s.figuresMicros === null ? "" : ` (figures in Rust ${(s.figuresMicros / 1000).toFixed(1)} ms)`;
    parts.push(el("p", "edit-latency panel-muted", `Last edit applied in ${s.editMs.toFixed(1)} ms${micros}`));
  }
  return parts;
}
