import type { ExploreResult, FrontPoint } from "../api";
import type { AppState, ExploreRun, Store } from "../state";
import { el, formatTravel, plural } from "./format";
import { balanceOf, drawTradeoffChart, movedColor, WIDTH } from "./tradeoffChart";
import "./explorePanel.css";

const pct = (v: number): string => `${(v * 100).toFixed(2)}%`;

/**
 * The trade-off panel (issue 12): "Explore trade-offs" in the Optimize dialog opens it over the map. While the
 * run goes it shows the progress, Cancel and the front found so far; hovering a plan shows its figures (balance,
 * travel, workload moved) and clicking one saves it as a scenario and opens it, so the map draws it while the
 * chart stays beside it — during the run too (the search goes on; a plan picked stays saved when a better one
 * later pushes it off the front). The current plan is marked with a red cross.
 */
export function mountExplorePanel(host: HTMLElement, store: Store): HTMLElement {
  const panel = el("section", "explore-panel");
  panel.id = "explore-panel";
  panel.setAttribute("aria-label", "Trade-offs");
  panel.hidden = true;
  host.append(panel);
  // Where the pointer is over the panel: the figures follow it (one `mousemove` handler on this panel, which
  // outlives every redraw, rather than enter/leave on each point, which a redraw under a still pointer would
  // leave without a leave), and a redraw (the front grew) shows the plan under it again.
  let pointer: { x: number; y: number } | null = null;
  let showAt: ((target: Element | null) => void) | null = null;
  panel.addEventListener("mousemove", (e) => {
    pointer = { x: e.clientX, y: e.clientY };
    showAt?.(e.target instanceof Element ? e.target : null);
  });
  const away = (): void => {
    pointer = null;
    showAt?.(null);
  };
  panel.addEventListener("mouseleave", away);
  // A redraw under the pointer can leave the browser without an element to send `mouseleave` from: a move
  // anywhere outside the panel hides the figures too.
  document.addEventListener("mousemove", (e) => {
    if (pointer !== null && !(e.target instanceof Node && panel.contains(e.target))) away();
  });
  const render = (s: AppState): void => {
    const x = s.exploration;
    panel.hidden = x === null;
    if (x === null) return;
    const drawn = content(x, s, store);
    panel.replaceChildren(...drawn.parts);
    showAt = drawn.showAt;
    if (pointer !== null) showAt?.(document.elementFromPoint(pointer.x, pointer.y));
  };
  store.subscribe((s, prev) => {
    if (s.exploration !== prev.exploration || s.scenario !== prev.scenario) render(s);
  });
  return panel;
}

/** The panel's parts, and what shows the figures of the plan whose point is `target` (none: hides them). */
function content(
  x: ExploreRun,
  s: AppState,
  store: Store,
): { parts: HTMLElement[]; showAt: ((target: Element | null) => void) | null } {
  let showAt: ((target: Element | null) => void) | null = null;
  const head = el("div", "explore-head");
  head.append(el("h2", "explore-title", "Trade-offs"));
  // Folded, the panel keeps only its header and what was found, so the whole map shows the plan picked.
  const fold = el("button", "explore-fold", x.folded ? "▸ show the chart" : "▾ fold");
  fold.type = "button";
  fold.title = x.folded ? "Show the trade-off chart again" : "Fold the chart away to see the whole map";
  fold.addEventListener("click", () => store.foldExploration(!x.folded));
  head.append(fold);
  const close = el("button", "explore-close", "×");
  close.type = "button";
  close.title = x.running ? "Cancel the run first" : "Close the trade-offs";
  close.setAttribute("aria-label", "Close the trade-offs");
  close.disabled = x.running;
  close.addEventListener("click", () => store.closeExploration());
  head.append(close);
  const measure = x.result?.measure ?? x.request.measure;
  const from = x.from !== null ? ` · moves counted from "${x.from}"` : "";
  const parts: HTMLElement[] = [
    head,
    el(
      "p",
      "panel-muted explore-subtitle",
      `Balance ${measure} against travel${x.request.keepCurrent ? " and the workload moved" : ""}, tolerance down to ±${(x.request.tolerance * 100).toFixed(1)}%${from}`,
    ),
  ];

  if (x.running) {
    const bar = el("progress", "explore-progress");
    bar.max = 1;
    bar.value = x.progress?.fraction ?? 0;
    const cancel = el("button", "dialog-cancel explore-cancel", "Cancel");
    cancel.type = "button";
    cancel.title = "Stop and keep the front found so far";
    cancel.addEventListener("click", () => void store.cancelOptimize());
    const row = el("div", "explore-run");
    row.append(bar, cancel);
    const status = el("p", "explore-status", `${plural(x.front.length, "plan")} on the front so far`);
    status.title = x.progress?.stage ?? "starting";
    parts.push(row, status);
    // Plans can be picked while the run goes: the search goes on, and a plan picked stays saved.
    if (x.front.length > 0) parts.push(pickedLine(x, true));
  }
  if (x.error !== null) parts.push(el("p", "panel-error", x.error));
  // Caps, floors and mix bands are hard limits: the front holds plans breaking one only when the search found no
  // plan keeping them all, and then says so with what the first plan breaks.
  const breaking = x.front.find((p) => p.keepsLimits === false);
  if (breaking !== undefined) {
    const what = breaking.brokenLimits.length > 0 ? ` Plan 1: ${breaking.brokenLimits.join("; ")}` : "";
    parts.push(el("p", "panel-error explore-limits", `No plan found keeps every cap, floor and mix band.${what}`));
  }

  const current = x.result?.current ?? null;
  if (!x.folded && (x.front.length > 0 || current !== null)) {
    const shown = s.scenario;
    const label =
      current === null
        ? "current plan"
        : current.noncontiguous > 0
          ? `${startName(x)} (${plural(current.noncontiguous, "territory", "territories")} in pieces)`
          : startName(x);
    const chart = drawTradeoffChart(x.front, current, x.balance, label);
    const wrap = el("div", "explore-chart");
    const tip = el("div", "explore-tip");
    tip.hidden = true;
    wrap.append(chart.svg, tip);
    let hovered: SVGCircleElement | null = null;
    showAt = (target) => {
      const k = chart.dots.findIndex((d) => d === target);
      const dot = chart.dots[k];
      if (dot === hovered) return;
      hovered?.classList.remove("hover");
      hovered = dot ?? null;
      if (dot === undefined) {
        tip.hidden = true;
        return;
      }
      tip.replaceChildren(...tipLines(x.front[k] as FrontPoint, current, x, s));
      tip.hidden = false;
      const cx = Number(dot.getAttribute("cx"));
      const cy = Number(dot.getAttribute("cy"));
      // Beside the point, on the side with room.
      const right = cx > WIDTH / 2;
      tip.style.left = right ? "" : `${cx + 12}px`;
      tip.style.right = right ? `${WIDTH - cx + 12}px` : "";
      tip.style.top = `${Math.max(0, cy - 30)}px`;
      dot.classList.add("hover");
    };
    chart.dots.forEach((dot, k) => {
      const p = x.front[k] as FrontPoint;
      if (p.scenario !== null && p.scenario === shown) dot.classList.add("shown");
      if (p.index !== null || p.id !== null) {
        const { index, id } = p;
        dot.addEventListener("click", () => void store.pickFrontPlan(index, id));
      }
    });
    parts.push(wrap, legend(x, current));
  }
  if (x.result !== null) parts.push(summary(x.result, x));
  return { parts, showAt };
}

/** The plan moves are measured from, as the chart labels it: the scenario being edited when the run started. */
function startName(x: ExploreRun): string {
  return x.from === null || x.from === "current" ? "current plan" : `start: "${x.from}"`;
}

function tipLines(p: FrontPoint, current: FrontPoint | null, x: ExploreRun, s: AppState): HTMLElement[] {
  const measure = x.result?.measure ?? x.request.measure;
  const lines = [
    el("div", "explore-tip-balance", `max deviation ${pct(p.maxDev)} · CV ${pct(p.cv)}`),
    el(
      "div",
      "explore-tip-travel",
      `travel ${formatTravel(p.travel)}${current !== null && current.travel > 0 ? ` (${signed((p.travel / current.travel - 1) * 100)}% against the current plan)` : ""}`,
    ),
  ];
  if (x.request.keepCurrent) lines.push(el("div", "explore-tip-moved", `moved ${pct(p.movedFraction)} of the ${measure}`));
  if (p.scenario !== null) lines.push(el("div", "panel-muted", `saved as "${p.scenario}"${p.scenario === s.scenario ? ", on the map" : ""}`));
  lines.push(
    el(
      "div",
      "panel-muted explore-tip-hint",
      p.index === null && p.id === null ? "This plan cannot be picked" : "Click: draw it on the map and save it as a scenario",
    ),
  );
  return lines;
}

const signed = (v: number): string => `${v >= 0 ? "+" : "−"}${Math.abs(v).toFixed(1)}`;

function legend(x: ExploreRun, current: FrontPoint | null): HTMLElement {
  const row = el("div", "explore-legend");
  const maxMoved = Math.max(0, ...x.front.map((p) => p.movedFraction));
  if (x.request.keepCurrent && maxMoved > 0) {
    const ramp = el("span", "explore-ramp");
    ramp.style.background = `linear-gradient(to right, ${movedColor(0, maxMoved)}, ${movedColor(maxMoved, maxMoved)})`;
    row.append(el("span", undefined, "moved 0%"), ramp, el("span", undefined, pct(maxMoved)));
  }
  if (current !== null) row.append(el("span", "explore-legend-current", "× current plan"));
  row.append(el("span", "explore-legend-saved", "◯ saved as a scenario"));
  return row;
}

function summary(r: ExploreResult, x: ExploreRun): HTMLElement {
  const box = el("div", "explore-summary");
  const best = r.front.length > 0 ? Math.min(...r.front.map((p) => balanceOf(p, r.figure))) : null;
  box.append(
    el(
      "p",
      "explore-found",
      `${plural(r.front.length, "plan")} on the front from ${plural(r.searches.length, "search", "searches")} (${plural(r.developed, "plan")} developed, ${r.seconds.toFixed(1)} s)${r.cancelled ? ", cancelled" : ""}.` +
        (best !== null ? ` Best balance ${pct(best)}.` : ""),
    ),
  );
  if (r.droppedNote !== null) {
    // The planning service's own words, as `tessera explore` prints them and as a run's notes are shown.
    box.append(el("p", "panel-muted explore-dropped", `Note: ${r.droppedNote}.`));
  }
  if (r.front.length === 0) {
    box.append(el("p", "panel-muted", "No contiguous plan was found in the time given: try a longer time limit."));
  } else {
    box.append(pickedLine(x, false));
  }
  return box;
}

/** What the planner can do with the chart, or what became of the plan picked last (`running`: the run goes on). */
function pickedLine(x: ExploreRun, running: boolean): HTMLElement {
  const goesOn = running ? " The search goes on." : "";
  if (x.picked === null) {
    return el(
      "p",
      "panel-muted explore-hint",
      `Hover a plan for its figures; click one to draw it on the map and save it as a scenario.${running ? " The search goes on meanwhile; Cancel ends it now and keeps the front found so far." : ""}`,
    );
  }
  if (x.picked.scenario === null) return el("p", "panel-muted explore-picked", "Saving the plan…");
  return el(
    "p",
    "explore-picked",
    (x.picked.created
      ? `Saved as scenario "${x.picked.scenario}" and drawn on the map.`
      : `Scenario "${x.picked.scenario}" (saved before) is drawn on the map.`) + goesOn,
  );
}
