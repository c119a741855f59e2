import type { AppState, Store } from "../state";
import { el, formatNumber } from "./format";

/** The small floating panel with the hovered unit's id, territory and measures. Hidden when nothing is hovered. */
export function mountHoverPanel(root: HTMLElement, store: Store): void {
  store.subscribe((s, prev) => {
    // The alignment and figures too: after a click edit the unit under the pointer has a new territory, and the
    // panel must say so without the pointer moving.
    if (
      s.hovered !== prev.hovered ||
      s.units !== prev.units ||
      s.locked !== prev.locked ||
      s.alignment !== prev.alignment ||
      s.figures !== prev.figures
    ) {
      render(root, s, store);
    }
  });
}

function render(root: HTMLElement, s: AppState, store: Store): void {
  const feature = s.hovered === null ? undefined : s.units?.features[s.hovered];
  if (s.hovered === null || feature === undefined) {
    root.hidden = true;
    return;
  }
  const props = feature.properties;
  const rows = el("dl", "facts");
  const t = store.territoryOf(s.hovered);
  if (t !== null) {
    const rep = s.figures?.territories[t]?.rep;
    const name = s.alignment?.territories[t] ?? "";
    rows.append(el("dt", undefined, "Territory"), el("dd", "hover-territory", rep ? `${rep} (${name})` : name));
  }
  const homeOf = s.workbook?.reps.find((r) => s.homeUnits.get(r.id) === s.hovered);
  if (homeOf !== undefined) rows.append(el("dt", undefined, "Home base"), el("dd", undefined, homeOf.name));
  if (s.locked.has(s.hovered)) rows.append(el("dt", undefined, "Locked"), el("dd", undefined, "yes (L unlocks)"));
  for (const measure of s.workbook?.measures ?? []) {
    const value = props[measure];
    if (typeof value === "number") rows.append(el("dt", undefined, measure), el("dd", undefined, formatNumber(value)));
  }
  const name = typeof props.name === "string" ? props.name : null;
  const title = el("h3", "hover-title", name ? `${props.id} · ${name}` : String(props.id));
  root.replaceChildren(title, rows);
  root.hidden = false;
}
