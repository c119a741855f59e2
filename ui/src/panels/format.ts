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
