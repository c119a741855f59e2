import type { OptimizeRequest } from "../api";
import type { AppState, Store } from "../state";
import { el, plural } from "./format";
import { parseLimits, parseMixes } from "./limits";
import { explainResult, progressText, withRepNames } from "./resultExplanation";

/** Opens the dialog; `only` names the territories to rebalance (empty: the whole plan). */
export type OpenOptimize = (only: string[]) => void;

/**
 * The Optimize dialog: number of territories (or one per rep), measure and tolerance, keep-current with a
 * disruption budget, respect locks, time limit, caps, floors and segment mix bands. While the optimizer runs in the background it shows a progress
 * bar with the best figures so far and a Cancel button; the result is a new scenario the planner opens
 * (keeps) or deletes.
 */
export function mountOptimizeDialog(store: Store): OpenOptimize {
  const dialog = el("dialog", "optimize-dialog");
  dialog.id = "optimize-dialog";
  document.body.append(dialog);
  let only: string[] = [];

  const render = (s: AppState): void => {
    if (!dialog.open) return;
    dialog.replaceChildren(...content(s, store, only, () => dialog.close()));
  };
  dialog.addEventListener("close", () => store.dismissRun());
  store.subscribe((s, prev) => {
    if (s.run !== prev.run || s.scenarios !== prev.scenarios) render(s);
  });
  return (territories) => {
    only = territories;
    store.dismissRun();
    if (!dialog.open) dialog.showModal();
    render(store.getState());
  };
}

function field(label: string, input: HTMLElement, note?: string): HTMLElement {
  const row = el("label", "dialog-field");
  row.append(el("span", "dialog-label", label), input);
  if (note !== undefined) row.append(el("span", "panel-muted dialog-note", note));
  return row;
}

function numberInput(name: string, value: number, min: number, step: number): HTMLInputElement {
  const input = el("input");
  input.type = "number";
  input.name = name;
  input.min = String(min);
  input.step = String(step);
  input.value = String(value);
  return input;
}

function content(s: AppState, store: Store, only: string[], close: () => void): HTMLElement[] {
  const wb = s.workbook;
  // A workbook without territories is designed from scratch: the same dialog, named for what it does.
  const design = s.scenario === null;
  const title = el(
    "h2",
    "dialog-title",
    only.length > 0 ? `Rebalance ${only.length} territories` : design ? "Design territories" : "Optimize",
  );
  if (wb === null) return [title];
  if (s.run !== null) return [title, ...runView(s, store, close)];

  const form = el("form", "optimize-form");
  form.method = "dialog";
  const reps = wb.reps.length;
  const perRep = el("input");
  perRep.type = "checkbox";
  perRep.name = "perRep";
  perRep.checked = reps > 0;
  perRep.disabled = reps === 0 || only.length > 0;
  const count = numberInput("territories", s.alignment?.territories.length ?? 10, 1, 1);
  count.disabled = perRep.checked || only.length > 0;
  perRep.addEventListener("change", () => (count.disabled = perRep.checked));
  const territories = el("span", "inline-fields");
  territories.append(count, el("label", "inline-check"));
  territories.lastElementChild?.append(perRep, ` one per rep (${reps})`);

  const measure = el("select");
  measure.name = "measure";
  for (const m of wb.measures) {
    const option = el("option", undefined, m);
    option.value = m;
    option.selected = m === (s.figures?.measure ?? wb.measures[0]);
    measure.append(option);
  }
  const tolerance = numberInput("tolerance", Math.round(s.tolerance * 1000) / 10, 0.5, 0.5);
  const keep = el("input");
  keep.type = "checkbox";
  keep.name = "keepCurrent";
  keep.checked = !design;
  keep.disabled = design || only.length > 0;
  const budget = numberInput("maxMoved", 20, 0, 1);
  budget.placeholder = "no limit";
  budget.disabled = !keep.checked;
  keep.addEventListener("change", () => (budget.disabled = !keep.checked));
  const locks = el("input");
  locks.type = "checkbox";
  locks.name = "respectLocks";
  locks.checked = true;
  const time = numberInput("timeLimit", 10, 1, 1);
  const limitInput = (name: string, example: string): HTMLInputElement => {
    const input = el("input");
    input.type = "text";
    input.name = name;
    input.placeholder = example;
    return input;
  };
  const caps = limitInput("caps", "e.g. accounts:250, units:230");
  const floors = limitInput("floors", "e.g. potential_usd:2e6");
  const mixes = limitInput("mixes", "e.g. segment=A:0.2..0.4");
  const limitError = el("p", "panel-error optimize-limit-error");
  limitError.hidden = true;

  form.append(
    field("Territories", territories),
    field("Balance", measure),
    field("Tolerance ± %", tolerance),
    field("Keep current", keep, design ? "no territories yet: designed from scratch" : `start from "${s.scenario ?? ""}"`),
    field("Move at most % of workload", budget, "disruption budget; empty = no limit"),
    field("Respect locks", locks, plural(s.locked.size, "locked unit")),
    field("Time limit (s)", time),
    field("Caps", caps, "every territory at most; units = number of units"),
    field("Floors", floors, "every territory at least"),
    field("Mix bands", mixes, "every territory's share of a segment, e.g. 20% to 40% A accounts"),
    limitError,
  );
  if (only.length > 0) form.append(el("p", "panel-muted", `Only: ${withRepNames(only.join(", "), wb.reps)}`));
  const buttons = el("div", "dialog-buttons");
  const cancel = el("button", "dialog-close", "Close");
  cancel.type = "button";
  cancel.addEventListener("click", close);
  const run = el("button", "dialog-run", design ? "Design" : "Run");
  run.type = "submit";
  buttons.append(cancel);
  // "Explore trade-offs": the same request answered with a front of plans to pick from (not for "Rebalance
  // selected", which redesigns only some territories). The dialog closes; the front opens over the map.
  if (only.length === 0) {
    const explore = el("button", "dialog-explore", "Explore trade-offs");
    explore.type = "button";
    explore.title =
      "Search plans from the tolerance up to the current plan's balance (and, keeping the current plan, disruption budgets of 10%, 30% and none unless one is set) and show the plans no other beats on balance, travel and workload moved, to pick from; every plan keeps the caps, floors and mix bands set here";
    explore.addEventListener("click", () => {
      if (!form.reportValidity()) return;
      const request = requestOf();
      if (request === null) return;
      close();
      void store.explore(request);
    });
    buttons.append(explore);
  }
  buttons.append(run);
  form.append(buttons);
  /** The request the form describes; `null` (with the reason shown) when a cap, floor or band is malformed. */
  const requestOf = (): OptimizeRequest | null => {
    const moved = budget.value.trim() === "" ? null : Number(budget.value) / 100;
    const capList = parseLimits(caps.value);
    const floorList = parseLimits(floors.value);
    const mixList = parseMixes(mixes.value);
    if ("error" in capList || "error" in floorList) {
      limitError.textContent = "error" in capList ? `Caps: ${capList.error}` : `Floors: ${"error" in floorList ? floorList.error : ""}`;
      limitError.hidden = false;
      return null;
    }
    if ("error" in mixList) {
      limitError.textContent = `Mix bands: ${mixList.error}`;
      limitError.hidden = false;
      return null;
    }
    limitError.hidden = true;
    return {
      territories: perRep.checked || only.length > 0 ? null : Number(count.value),
      measure: measure.value,
      tolerance: Number(tolerance.value) / 100,
      keepCurrent: keep.checked || only.length > 0,
      maxMoved: keep.checked && only.length === 0 ? moved : null,
      respectLocks: locks.checked,
      timeLimit: Number(time.value),
      only,
      seed: 1,
      caps: capList.limits,
      floors: floorList.limits,
      mixes: mixList.mixes,
    };
  };
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const request = requestOf();
    if (request !== null) void store.optimize(request);
  });
  return [title, form];
}

function runView(s: AppState, store: Store, close: () => void): HTMLElement[] {
  const run = s.run;
  if (run === null) return [];
  const parts: HTMLElement[] = [];
  const bar = el("progress", "optimize-progress");
  bar.max = 1;
  // The store keeps the reported fraction from going back (see Store.optimize): the bar only moves forward.
  bar.value = run.result !== null ? 1 : (run.progress?.fraction ?? 0);
  parts.push(bar);
  const status = el("p", "optimize-status", run.result !== null ? "Done." : progressText(run.progress, run.request.only.length));
  if (run.progress !== null && run.result === null) status.prepend(el("span", "optimize-stage", `${run.progress.stage} · `));
  parts.push(status);
  const buttons = el("div", "dialog-buttons");
  if (run.running) {
    const cancel = el("button", "dialog-cancel", "Cancel");
    cancel.type = "button";
    cancel.title = "Stop and keep the best plan so far";
    cancel.addEventListener("click", () => void store.cancelOptimize());
    buttons.append(cancel);
  } else if (run.error !== null) {
    parts.push(el("p", "panel-error", run.error));
    const back = el("button", "dialog-close", "Close");
    back.addEventListener("click", close);
    buttons.append(back);
  } else if (run.result !== null) {
    const r = run.result;
    // A first design opens at once (Store.optimize): the planner has nothing else to look at.
    const opened = s.scenario === r.scenario;
    parts.push(explainResult(r, s.workbook?.reps ?? [], opened));
    if (opened) {
      const ok = el("button", "dialog-open", "Close");
      ok.addEventListener("click", close);
      buttons.append(ok);
    } else {
      const open = el("button", "dialog-open", "Open it");
      open.addEventListener("click", () => {
        close();
        void store.openScenario(r.scenario);
      });
      const drop = el("button", "dialog-delete", "Delete it");
      drop.addEventListener("click", () => {
        void store.deleteScenario(r.scenario);
        close();
      });
      const keep = el("button", "dialog-close", "Keep for later");
      keep.addEventListener("click", close);
      buttons.append(drop, keep, open);
    }
  }
  parts.push(buttons);
  return parts;
}
