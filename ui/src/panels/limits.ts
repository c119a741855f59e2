/**
 * The Optimize dialog's caps and floors: a comma-separated list of `MEASURE:VALUE` (as `tessera plan --cap`
 * takes them), read into the request's limits. Only the form is checked here; the measure and the value's range are
 * the planning service's rules, and its message (naming the cap and its numbers) comes back as the run's error.
 */
import type { TerritoryLimit } from "../api";

/** The limits written in `text`, or the first entry that is not `MEASURE:VALUE` with why. Empty text: none. */
export function parseLimits(text: string): { limits: TerritoryLimit[] } | { error: string } {
  const limits: TerritoryLimit[] = [];
  for (const raw of text.split(",")) {
    const entry = raw.trim();
    if (entry === "") continue;
    const at = entry.lastIndexOf(":");
    const measure = at < 0 ? "" : entry.slice(0, at).trim();
    const value = at < 0 ? "" : entry.slice(at + 1).trim();
    if (at < 0 || measure === "") return { error: `"${entry}": write MEASURE:VALUE, e.g. accounts:250 or units:230` };
    const n = Number(value);
    if (value === "" || !Number.isFinite(n)) return { error: `"${entry}": ${JSON.stringify(value)} is not a number` };
    limits.push({ measure, value: n });
  }
  return { limits };
}
