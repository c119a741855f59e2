import type { OptimizeProgress, OptimizeResult, PlanPromise, Rep } from "../api";
import { el, formatLoad, formatTravel, plural, TRAVEL_EXPLAINED } from "./format";

/**
 * How an optimizer result explains itself in the Optimize dialog: which promises held and which did not (with
 * the planning service's reason), what moved, travel and deviation before → after, the target load, and the
 * travel certificate in words. Every figure is one the planning service reported (`OptimizeResult.explained`);
 * nothing is recomputed here.
 */

/** A fraction as a percentage for sentences: `4.9%`, `0.12%`, `115%`, `20%` (no trailing zeros). */
export function percentText(fraction: number): string {
  const pct = Math.abs(fraction * 100);
  const digits = pct >= 100 ? 0 : pct >= 1 ? 1 : 2;
  const text = (fraction * 100).toFixed(digits);
  return `${text.includes(".") ? text.replace(/\.?0+$/, "") : text}%`;
}

/**
 * The planning service's sentence as the window shows it: rep ids standing alone become "Name (id)", as the
 * table shows them, and long whole numbers get thousands separators ("49447396 workload" → "49,447,396").
 */
export function withRepNames(text: string, reps: readonly Rep[]): string {
  text = text.replace(/(?<![\w.,])\d{5,}(?![\w.,]\d)/g, (digits) => Number(digits).toLocaleString("en-US"));
  if (reps.length === 0) return text;
  const byId = new Map(reps.map((r) => [r.id, r.name]));
  const ids = [...byId.keys()].sort((a, b) => b.length - a.length).map((id) => id.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  const pattern = new RegExp(`(?<![\\w-])(${ids.join("|")})(?![\\w-])`, "g");
  return text.replace(pattern, (id) => `${byId.get(id) ?? id} (${id})`);
}

/** The certificate in a planner's words, or why there is none. */
export function certificateText(result: OptimizeResult): string {
  const x = result.explained;
  const c = x.certificate;
  if (c === null) {
    return result.maxDev > x.tolerance + 1e-9
      ? "No bound on travel: the plan is outside the tolerance, and the bound only holds for plans within it."
      : "No bound on travel for this run (see the notes).";
  }
  const hedge = c.exact ? "at most" : "about at most";
  if (c.gap < 0.0005) {
    return `Travel is ${c.exact ? "" : "about "}the least possible for these territory centers within ±${percentText(x.tolerance)} (gap 0%).`;
  }
  return `Travel is ${hedge} ${percentText(c.gap)} more than the best possible for these territory centers within ±${percentText(x.tolerance)}.`;
}

/** One promise's line: what was promised, and whether it held. */
function promiseLine(p: PlanPromise, result: OptimizeResult, reps: readonly Rep[]): HTMLElement {
  const x = result.explained;
  const li = el("li", p.kept ? "promise kept" : "promise broken");
  li.dataset.promise = p.name;
  let what: string;
  if (p.name === "tolerance") what = `Every territory within ±${percentText(x.tolerance)} of the target`;
  else if (p.name === "contiguity") what = "Every territory in one piece";
  else if (p.name === "disruption_budget")
    what = `At most ${percentText(x.maxMoved ?? 0)} of the ${x.measure} changes territory`;
  else if (p.name.startsWith("also_balance:")) what = `${p.name.slice("also_balance:".length)} balanced too`;
  else if (p.name.startsWith("cap:")) what = `Every territory within its cap on ${p.name.slice("cap:".length)}`;
  else if (p.name.startsWith("floor:")) what = `Every territory above its floor on ${p.name.slice("floor:".length)}`;
  else if (p.name.startsWith("mix:")) what = `Every territory's share of ${p.name.slice("mix:".length)} within its band`;
  else what = p.name;
  li.append(el("span", "promise-mark", p.kept ? "✓" : "✗"), el("strong", undefined, what));
  if (p.kept) {
    li.append(" — held.");
  } else {
    li.append(" — not held: ", withRepNames(p.why, reps), ".");
  }
  return li;
}

/** The sentence about what moved, and whether the disruption budget was what stopped the balancing. */
export function movedText(result: OptimizeResult): string | null {
  const x = result.explained;
  if (x.movedUnits === null || x.movedFraction === null) return null;
  let text = `Moved ${plural(x.movedUnits, "unit")} of ${x.units.toLocaleString("en-US")} (${percentText(x.movedFraction)} of the ${x.measure})`;
  if (x.maxMoved !== null) text += `, budget ${percentText(x.maxMoved)}`;
  text += ".";
  const tolerance = result.promises.find((p) => p.name === "tolerance");
  if (x.maxMoved !== null && tolerance !== undefined && !tolerance.kept) {
    if (tolerance.why.includes("disruption budget")) {
      text += " The disruption budget stopped it: balancing within the tolerance needs more to move (see above).";
    } else if (x.movedFraction >= 0.85 * x.maxMoved) {
      text += ` The disruption budget was nearly used up: a larger budget may balance further.`;
    }
  }
  return text;
}

/** "40.9 bn → 52.4 bn workload·km (+28%)", or the travel alone without a starting plan. */
export function travelText(result: OptimizeResult): string {
  const before = result.explained.before;
  if (before === null) return `Travel ${formatTravel(result.travel)}.`;
  const change = before.travel > 0 ? (result.travel - before.travel) / before.travel : 0;
  const sign = change > 0 ? "+" : "";
  let text = `Travel ${formatTravel(before.travel)} → ${formatTravel(result.travel)} (${sign}${percentText(change)})`;
  if (change > 0.005 && before.maxDev > result.maxDev) {
    text += `: it rose because balancing moves units away from their nearest center (max deviation ${percentText(before.maxDev)} → ${percentText(result.maxDev)})`;
  } else {
    text += `; max deviation ${percentText(before.maxDev)} → ${percentText(result.maxDev)}`;
  }
  return `${text}.`;
}

/** The whole explanation of a finished run, for the Optimize dialog. */
export function explainResult(result: OptimizeResult, reps: readonly Rep[], opened: boolean): HTMLElement {
  const x = result.explained;
  const box = el("section", "result-explained");
  const head = result.cancelled ? "Stopped early; kept the best plan found. " : "";
  const where = opened ? `Opened as scenario "${result.scenario}".` : `Saved as scenario "${result.scenario}".`;
  box.append(el("p", "optimize-result", `${head}${where}`));

  const promises = el("ul", "optimize-promises");
  for (const p of result.promises) promises.append(promiseLine(p, result, reps));
  box.append(promises);

  const facts = el("ul", "result-facts");
  const fact = (key: string, text: string, title?: string): void => {
    const li = el("li", undefined, text);
    li.dataset.fact = key;
    if (title !== undefined) li.title = title;
    facts.append(li);
  };
  fact(
    "target",
    `Target load ${formatLoad(x.target, x.measure)} per territory (${plural(x.territories, "territory", "territories")}); ` +
      `max deviation ${percentText(result.maxDev)}, ${plural(result.noncontiguous, "territory", "territories")} in several pieces.`,
  );
  const moved = movedText(result);
  if (moved !== null) fact("moved", moved);
  fact("travel", travelText(result), TRAVEL_EXPLAINED);
  fact("certificate", certificateText(result), "The optimizer's proof: a lower bound on the travel of any plan with these centers that holds the tolerance.");
  box.append(facts);
  // A note already given as a promise's reason (the budget's proof) is not repeated.
  const reasons = result.promises.map((p) => p.why).join(" ");
  for (const note of result.notes) {
    const head = note.split(". ")[0] ?? note;
    if (reasons.includes(head)) continue;
    box.append(el("p", "panel-muted result-note", `Note: ${withRepNames(note, reps)}.`.replace("..", ".")));
  }
  return box;
}

/**
 * The progress line: the stage and the best plan so far, ranked as the optimizer ranks plans (fewest pieces,
 * then deviation, then travel), so it reads as getting better and ends on the figures the result shows.
 * `rebalanced` is the number of territories a "Rebalance selected" run redesigns (0: the whole plan); their
 * deviation is then among themselves, and the travel is the whole plan's.
 */
export function progressText(p: OptimizeProgress | null, rebalanced: number): string {
  if (p === null) return "Starting…";
  if (p.bestMaxDev === null || p.bestTravel === null) return `${p.stage}…`;
  const pieces = p.bestNoncontiguous === null ? "" : `${plural(p.bestNoncontiguous, "territory", "territories")} in several pieces, `;
  const scope = rebalanced > 0 ? ` among the ${rebalanced} rebalanced territories` : "";
  return `Best plan so far: ${pieces}max deviation${scope} ${percentText(p.bestMaxDev)}, travel ${formatTravel(p.bestTravel)}.`;
}
