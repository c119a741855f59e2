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
