import {
  BackendError,
  type Backend,
  type BeforeAfter,
  type CompareResult,
  type Comparison,
  type QuotaRequest,
  type ScenarioQuotas,
} from "../api";
import type { Store } from "../state";
import { exportControls, hasAccounts } from "./exportControls";
import { el, formatCompact, formatNumber, formatTravel } from "./format";
import "./compareView.css";

/** How many rows of the realignment list the window shows (`tessera compare` and the exports write all). */
export const MOVES_SHOWN = 300;

/**
 * The compare view (issue 13): pick a baseline and one to three other scenarios, then see side by side the
 * summary (max deviation, CV, travel, non-contiguous, units and workload moved, territories changed), each
 * scenario's map with the baseline's and the diff map (moved units in red, "unit: from → to" on hover), what
 * each territory gains and loses, and the realignment list. Everything is computed in Rust
 * (`compare_scenarios`), as `tessera compare` does. Returns the toolbar button that opens it.
 */
export function mountCompareView(store: Store, backend: Backend): HTMLButtonElement {
  const dialog = el("dialog", "compare-dialog");
  dialog.id = "compare-dialog";
  document.body.append(dialog);
  const button = el("button", "menu-button menu-compare", "Compare…");
  button.type = "button";
  button.title = "Compare scenarios side by side: figures, maps, the diff map and every moved unit";
  button.addEventListener("click", () => {
    dialog.replaceChildren(...picker(store, backend, dialog));
    if (!dialog.open) dialog.showModal();
  });
  return button;
}

/** The scenario choice: a baseline and up to three others, then Compare. */
function picker(store: Store, backend: Backend, dialog: HTMLDialogElement): HTMLElement[] {
  const names = store.getState().scenarios.map((s) => s.name);
  const title = el("h2", "dialog-title", "Compare scenarios");
  if (names.length < 2) {
    return [title, el("p", "panel-muted", "The workbook has one scenario; make another (Optimize…) to compare."), closeRow(dialog)];
  }
  const editing = store.getState().scenario;
  const baseline = names.includes("current") ? "current" : (names[0] as string);
  const other = editing !== null && editing !== baseline ? editing : (names.find((n) => n !== baseline) as string);
  const selects = [baseline, other, "", ""].map((chosen, k) => {
    const select = el("select", "compare-select");
    select.setAttribute("aria-label", k === 0 ? "Baseline" : `Scenario ${k + 1}`);
    if (k >= 2) select.append(new Option("—", ""));
    for (const n of names) select.append(new Option(n, n, false, n === chosen));
    if (k >= 2) select.value = "";
    return select;
  });
  const fields = el("div", "compare-pick");
  selects.forEach((s, k) => {
    const label = el("label", "compare-field");
    label.append(el("span", "dialog-label", k === 0 ? "Baseline" : k === 1 ? "Compare with" : "and"), s);
    fields.append(label);
  });
  const error = el("p", "panel-error");
  error.hidden = true;
  const quota = quotaFields(store.getState().workbook?.measures ?? []);
  const out = el("div", "compare-result");
  const run = el("button", "dialog-run compare-run", "Compare");
  run.type = "button";
  run.addEventListener("click", () => {
    const chosen = selects.map((s) => s.value).filter((v) => v !== "");
    if (new Set(chosen).size !== chosen.length) {
      error.textContent = "Each scenario once: pick different scenarios.";
      error.hidden = false;
      return;
    }
    const asked = quota.request();
    if (typeof asked === "string") {
      error.textContent = asked;
      error.hidden = false;
      return;
    }
    error.hidden = true;
    run.disabled = true;
    out.replaceChildren(el("p", "panel-muted", "Comparing…"));
    void backend
      .compareScenarios(chosen, asked)
      .then((result) =>
        out.replaceChildren(...render(result, (scenario) => exportRow(store, scenario, chosen[0] as string, asked))),
      )
      .catch((e: unknown) => {
        out.replaceChildren();
        error.textContent = BackendError.from(e).message;
        error.hidden = false;
      })
      .finally(() => (run.disabled = false));
  });
  const head = el("div", "compare-head");
  head.append(fields, run);
  return [title, head, quota.box, error, out, closeRow(dialog)];
}

/**
 * The quota fields (as `tessera compare --quota-total --quota-measure --quota-history --ramp`): a total shared
 * out by each territory's share of a potential measure, optionally blended with a history measure, with the
 * share of its quota a rep whose territory changed carries while ramping up. Empty total: no quotas.
 */
function quotaFields(measures: string[]): { box: HTMLElement; request: () => QuotaRequest | null | string } {
  const box = el("details", "compare-quota");
  box.append(el("summary", undefined, "Quotas per territory"));
  const row = el("div", "compare-quota-fields");
  const total = el("input", "compare-quota-total");
  total.type = "number";
  total.min = "0";
  total.placeholder = "e.g. 12000000";
  const select = (cls: string, none: string | null): HTMLSelectElement => {
    const s = el("select", cls);
    if (none !== null) s.append(new Option(none, ""));
    for (const m of measures) s.append(new Option(m, m));
    return s;
  };
  const potential = select("compare-quota-potential", null);
  // Potential first: a measure named like one, else the first.
  potential.value = measures.find((m) => /potential/i.test(m)) ?? measures[0] ?? "";
  const history = select("compare-quota-history", "none");
  const weight = el("input", "compare-quota-weight");
  weight.type = "number";
  weight.min = "0";
  weight.max = "100";
  weight.value = "30";
  const ramp = el("input", "compare-quota-ramp");
  ramp.type = "number";
  ramp.min = "0";
  ramp.max = "100";
  ramp.value = "100";
  const field = (label: string, input: HTMLElement, note?: string): HTMLElement => {
    const f = el("label", "compare-field");
    f.append(el("span", "dialog-label", label), input);
    if (note !== undefined) f.append(el("span", "panel-muted compare-quota-note", note));
    return f;
  };
  row.append(
    field("Total to share out", total),
    field("by share of", potential),
    field("blended with history", history),
    field("history weight %", weight),
    field("ramp-up %", ramp, "of its quota a rep whose territory changed carries"),
  );
  box.append(row);
  const request = (): QuotaRequest | null | string => {
    if (total.value.trim() === "") return null;
    const t = Number(total.value);
    if (!Number.isFinite(t) || t < 0) return "Quotas: the total must be a number of 0 or more.";
    const w = Number(weight.value);
    const r = Number(ramp.value);
    if (!(w >= 0 && w <= 100)) return "Quotas: the history weight is a percentage from 0 to 100.";
    if (!(r >= 0 && r <= 100)) return "Quotas: the ramp-up share is a percentage from 0 to 100.";
    return {
      total: t,
      potential: potential.value,
      history: history.value === "" ? null : [history.value, w / 100],
      ramp: r / 100,
    };
  };
  return { box, request };
}

function closeRow(dialog: HTMLDialogElement): HTMLElement {
  const row = el("div", "dialog-buttons");
  const close = el("button", "dialog-close", "Close");
  close.type = "button";
  close.addEventListener("click", () => dialog.close());
  row.append(close);
  return row;
}

/**
 * Export… for `scenario` as compared: moves and "changed" counted against the compare view's `baseline`, with
 * the quotas asked for (XLSX, HTML). The dialog is modal, so what the export did is said here as well as over
 * the map.
 */
function exportRow(store: Store, scenario: string, baseline: string, quota: QuotaRequest | null): HTMLElement {
  const box = el("div", "compare-export");
  const status = el("p", "panel-muted compare-export-status");
  status.hidden = true;
  const say = (text: string, error: boolean): void => {
    status.textContent = text;
    status.className = `${error ? "panel-error" : "panel-muted"} compare-export-status`;
    status.hidden = false;
  };
  const controls = exportControls(
    hasAccounts(store.getState().workbook),
    (format, accounts) => {
      const stop = store.subscribe((s, prev) => {
        if (s.info !== null && s.info !== prev.info) say(s.info, false);
      });
      void store
        .exportScenario(scenario, format, { accounts, baseline, quota })
        .then((outcome) => {
          if (outcome !== null) say(outcome.message, !outcome.ok);
        })
        .finally(stop);
    },
    "compare-export-controls",
  );
  controls.prepend(el("span", "dialog-label", `Export “${scenario}” against “${baseline}”`));
  box.append(controls, status);
  return box;
}

/**
 * The result: summary, maps with the diff maps, per-territory changes, the realignment list; `exporter`, when
 * given, makes the Export… row under each compared scenario's heading.
 */
export function render(result: CompareResult, exporter?: (scenario: string) => HTMLElement): HTMLElement[] {
  const c = result.comparison;
  const parts: HTMLElement[] = [summary(c)];
  if (result.charts.length > 0) {
    const charts = el("div", "compare-charts");
    for (const svg of result.charts) charts.append(figure(svg, ""));
    parts.push(charts);
  } else if (result.chartNote !== null) {
    parts.push(el("p", "panel-muted", `No charts: ${result.chartNote}`));
  }
  if (result.frontPlans > 0) {
    parts.push(
      el("p", "panel-muted compare-front-note", `The travel–balance chart shows the ${result.frontPlans} plans of the last trade-off front explored.`),
    );
  }
  if (result.quotaError !== null) parts.push(el("p", "panel-error compare-quota-error", result.quotaError));
  if (result.quotas.length > 0) parts.push(quotaTable(result.quotas));
  const base = c.scenarios[0]?.scenario ?? "";
  c.scenarios.slice(1).forEach((s, k) => {
    const maps = el("div", "compare-maps");
    maps.append(
      figure(result.maps[0], base),
      figure(result.maps[k + 1], s.scenario),
      figure(result.diffMaps[k], `${units(s.units_moved)} moved (red; hover for from → to)`),
    );
    parts.push(el("h3", "compare-subtitle", `${s.scenario} against ${base}`));
    if (exporter !== undefined) parts.push(exporter(s.scenario));
    parts.push(maps, territories(c, s.scenario));
  });
  parts.push(moves(c));
  return parts;
}

function figure(svg: string | undefined, caption: string): HTMLElement {
  const fig = el("figure", "compare-map");
  if (svg !== undefined) {
    // Parsed as SVG (not HTML), then adopted: the maps are documents the workbook made, with escaped titles.
    const doc = new DOMParser().parseFromString(svg, "image/svg+xml");
    fig.append(document.importNode(doc.documentElement, true));
  }
  fig.append(el("figcaption", "panel-muted", caption));
  return fig;
}

const units = (n: number): string => `${formatNumber(n)} unit${n === 1 ? "" : "s"}`;
const pct = (v: number): string => `${(v * 100).toFixed(2)}%`;
const whole = (v: number): string => formatNumber(Math.round(v));

function table(headers: string[], rows: (string | number)[][], className: string): HTMLTableElement {
  const t = el("table", `compare-table ${className}`);
  const head = el("tr");
  for (const h of headers) head.append(el("th", undefined, h));
  t.createTHead().append(head);
  const body = t.createTBody();
  for (const r of rows) {
    const tr = el("tr");
    for (const v of r) tr.append(el("td", typeof v === "number" ? "num" : undefined, typeof v === "number" ? formatNumber(v) : v));
    body.append(tr);
  }
  return t;
}

function summary(c: Comparison): HTMLElement {
  const m = Math.max(0, c.measures.indexOf(c.measure));
  return table(
    ["scenario", "territories", "max dev", "CV", "travel", "not contiguous", "units moved", `${c.measure} moved`, "territories changed"],
    c.scenarios.map((s) => [
      s.scenario,
      s.territories,
      pct(s.max_dev),
      pct(s.cv),
      formatTravel(s.travel),
      s.n_noncontiguous,
      s.units_moved,
      formatCompact(s.moved[m] ?? 0),
      s.changed_territories.length,
    ]),
    "compare-summary",
  );
}

const side = (v: number | null): string => (v === null ? "—" : formatCompact(v));
const diff = (p: BeforeAfter): string => {
  const d = (p.after ?? 0) - (p.before ?? 0);
  return d === 0 ? "0" : `${d > 0 ? "+" : "−"}${formatCompact(Math.abs(d))}`;
};

/** What each territory of `scenario` gains and loses against the baseline, the changed ones first. */
function territories(c: Comparison, scenario: string): HTMLElement {
  const m = Math.max(0, c.measures.indexOf(c.measure));
  const rows = c.territories
    .filter((t) => t.scenario === scenario)
    .sort((a, b) => b.gained + b.lost - (a.gained + a.lost) || a.territory.localeCompare(b.territory));
  const wrap = el("details", "compare-territories");
  wrap.open = true;
  wrap.append(el("summary", undefined, `Per territory (${rows.length}): what each rep gains and loses`));
  wrap.append(
    table(
      ["territory", "rep", "units before", "after", "gained", "lost", `${c.measure} before`, "after", "change", "deviation before", "after"],
      rows.map((t) => {
        const load = t.loads[m] ?? { before: null, after: null };
        return [
          t.territory,
          t.rep ?? "",
          side(t.units.before),
          side(t.units.after),
          t.gained,
          t.lost,
          side(load.before),
          side(load.after),
          diff(load),
          t.deviation.before === null ? "—" : pct(t.deviation.before),
          t.deviation.after === null ? "—" : pct(t.deviation.after),
        ];
      }),
      "compare-per-territory",
    ),
  );
  return wrap;
}

/**
 * Quotas side by side: one row per territory (the baseline's first, then any new ones), for each scenario its
 * quota, share and, where its territory changed, the quota while its rep ramps up.
 */
function quotaTable(all: ScenarioQuotas[]): HTMLElement {
  const names: string[] = [];
  const rep = new Map<string, string | null>();
  for (const s of all) {
    for (const r of s.rows) {
      if (!names.includes(r.territory)) names.push(r.territory);
      if (!rep.has(r.territory) || rep.get(r.territory) === null) rep.set(r.territory, r.rep);
    }
  }
  const ramped = all.some((s) => s.rows.some((r) => r.changed && r.rampQuota !== r.quota));
  const headers = ["territory", "rep"];
  for (const s of all) headers.push(`${s.scenario}: quota`, "share", ...(ramped ? ["in ramp-up"] : []));
  const rows = names.map((t) => {
    const cells: (string | number)[] = [t, rep.get(t) ?? ""];
    for (const s of all) {
      const r = s.rows.find((x) => x.territory === t);
      if (r === undefined) cells.push("—", "—", ...(ramped ? ["—"] : []));
      else cells.push(whole(r.quota), pct(r.share), ...(ramped ? [r.changed ? whole(r.rampQuota) : "—"] : []));
    }
    return cells;
  });
  const wrap = el("details", "compare-quotas");
  wrap.open = true;
  wrap.append(el("summary", undefined, `Quotas per territory${ramped ? " (ramp-up where the territory changed)" : ""}`));
  wrap.append(table(headers, rows, "compare-quota-table"));
  return wrap;
}

/** The realignment list, the first {@link MOVES_SHOWN} rows. */
function moves(c: Comparison): HTMLElement {
  const m = Math.max(0, c.measures.indexOf(c.measure));
  const wrap = el("details", "compare-moves");
  wrap.append(el("summary", undefined, `Realignment list: ${units(c.moves.length)} moved`));
  wrap.append(
    table(
      ["scenario", "unit", "from", "from rep", "to", "to rep", c.measure],
      c.moves.slice(0, MOVES_SHOWN).map((u) => [u.scenario, u.unit, u.from, u.from_rep ?? "", u.to, u.to_rep ?? "", u.values[m] ?? 0]),
      "compare-move-list",
    ),
  );
  if (c.moves.length > MOVES_SHOWN) {
    wrap.append(
      el("p", "panel-muted", `…and ${c.moves.length - MOVES_SHOWN} more: tessera compare and the exports list every one.`),
    );
  }
  return wrap;
}
