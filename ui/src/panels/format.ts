const integer = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
const decimal = new Intl.NumberFormat("en-US", { maximumFractionDigits: 2 });

/** Formats a measure value: whole numbers with separators, others to two decimals. */
export function formatNumber(value: number): string {
  return Number.isInteger(value) ? integer.format(value) : decimal.format(value);
}

/** Creates an element with a class and text, the building block of the panels. */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className?: string,
  text?: string,
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

const compact = new Intl.NumberFormat("en-US", { notation: "compact", maximumFractionDigits: 1 });

/** Formats a figure for a narrow column: exact below 100,000, else compact (`30.8M`, `3.1B`). */
export function formatCompact(value: number): string {
  return Math.abs(value) < 100_000 ? formatNumber(Math.round(value)) : compact.format(value);
}

/** The unit of the travel figure: Σ workload × km to each territory's center (DESIGN.md §6). */
export const TRAVEL_UNIT = "workload·km";

const TRAVEL_STEPS: [number, string][] = [
  [1e12, " tn"],
  [1e9, " bn"],
  [1e6, " M"],
  [1e3, " k"],
];

/**
 * Formats a travel figure with its unit, exactly as the CLI and the exports do
 * (`tessera_workbook::figures::format_travel`): three significant figures and a thousands suffix, e.g.
 * `"85.4 bn workload·km"`, `"7.01 M workload·km"`, `"512 workload·km"`.
 */
export function formatTravel(travel: number): string {
  if (!Number.isFinite(travel)) return `- ${TRAVEL_UNIT}`;
  const step = TRAVEL_STEPS.find(([s]) => Math.abs(travel) >= s);
  const scaled = step ? travel / step[0] : travel;
  const suffix = step ? step[1] : "";
  const size = Math.abs(scaled);
  const decimals = size >= 100 ? 0 : size >= 10 ? 1 : suffix === "" && Number.isInteger(scaled) ? 0 : 2;
  return `${scaled.toFixed(decimals)}${suffix} ${TRAVEL_UNIT}`;
}

/**
 * A load of `measure` with its unit and enough digits for a hand edit to show: whole numbers with separators
 * from 100 up (`3,512,408 workload`), two decimals below (`12.25 visits`). `measure` null: a unit count.
 */
export function formatLoad(value: number, measure: string | null): string {
  const number = Math.abs(value) >= 100 ? integer.format(Math.round(value)) : decimal.format(value);
  return `${number} ${measure ?? "units"}`;
}

/** A load in a narrow column, without its unit: exact whole numbers up to 10 million, then `12.35M`. */
export function formatLoadCell(value: number): string {
  if (Math.abs(value) < 10_000_000) return Math.abs(value) >= 100 ? integer.format(Math.round(value)) : decimal.format(value);
  return `${(value / 1e6).toFixed(2)}M`;
}

/** `1 locked unit`, `3 locked units`: a count and a noun, plural when the count is not 1. */
export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${integer.format(count)} ${count === 1 ? singular : pluralForm}`;
}

/** What the travel figure means, for tooltips next to it. */
export const TRAVEL_EXPLAINED =
  "Travel: for every unit, its workload times the km from the unit to its territory's center (the rep's home " +
  "base when the territory has one), summed. Lower is more compact; it is a weighted distance, not km driven.";

/** {@link formatTravel} without the unit, for a table column whose header names it: `"52.4 bn"`. */
export function formatTravelShort(travel: number): string {
  return formatTravel(travel).slice(0, -(TRAVEL_UNIT.length + 1));
}
