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
  const { title, details } = unitName(s, s.hovered, String(props.id));
  for (const [column, value] of details) rows.append(el("dt", undefined, column), el("dd", "hover-text", value));
  root.replaceChildren(el("h3", "hover-title", title), rows);
  root.hidden = false;
}

/** Columns that name a unit, in the order the title takes them ("Autauga, AL"). */
const NAME_COLUMNS = ["name", "place", "city", "county_name"];
const REGION_COLUMNS = ["state", "region", "country"];

/**
 * The hovered unit's title from its text columns — its name and state, then its id ("Autauga, AL · 01001") —
 * and the other text columns (codes such as a `county` FIPS column, a segment) as facts, shown as written.
 */
export function unitName(s: AppState, unit: number, id: string): { title: string; details: [string, string][] } {
  const pick = (names: string[]): TextColumnValue | null => {
    for (const n of names) {
      const c = s.unitText.find((t) => t.name.toLowerCase() === n);
      const value = c?.values[unit];
      if (c !== undefined && value !== undefined && value !== "") return { column: c.name, value };
    }
    return null;
  };
  const name = pick(NAME_COLUMNS);
  const region = pick(REGION_COLUMNS);
  const used = new Set([name?.column, region?.column]);
  const label = [name?.value, region?.value].filter((v) => v !== undefined).join(", ");
  const details: [string, string][] = s.unitText
    .filter((c) => !used.has(c.name) && (c.values[unit] ?? "") !== "")
    .map((c) => [c.name, c.values[unit] as string]);
  return { title: label === "" ? id : `${label} · ${id}`, details };
}

interface TextColumnValue {
  column: string;
  value: string;
}
