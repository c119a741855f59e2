/**
 * The Optimize dialog's caps, floors and segment mix bands: a comma-separated list of `MEASURE:VALUE` (as `tessera plan --cap`
 * takes them), read into the request's limits. Only the form is checked here; the measure and the value's range are
 * the planning service's rules, and its message (naming the cap and its numbers) comes back as the run's error.
 */
import type { MixBand, TerritoryLimit } from "../api";

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

/** A band end: a fraction (`0.2`) or a percentage (`20%`); empty: open. `undefined` when it is neither. */
function bandEnd(text: string): number | null | undefined {
  const t = text.trim();
  if (t === "") return null;
  const percent = t.endsWith("%");
  const digits = percent ? t.slice(0, -1).trim() : t;
  const n = digits === "" ? NaN : Number(digits);
  if (!Number.isFinite(n)) return undefined;
  // Divided, as the planning service reads it, so 35% is the same number as 0.35.
  const x = percent ? n / 100 : n;
  return x >= 0 && x <= 1 ? x : undefined;
}

const MIX_FORM = "write COLUMN=VALUE:LO..HI, e.g. segment=A:0.2..0.4, segment=A:..40% or segment=A:20%..";

/**
 * The segment mix bands written in `text` (comma-separated `COLUMN=VALUE:LO..HI`, as `tessera plan --mix` takes
 * them), or the first entry that is not one with why. Only the form is checked here; the column and the segment
 * are checked against the workbook's accounts by the planning service. Empty text: none.
 */
export function parseMixes(text: string): { mixes: MixBand[] } | { error: string } {
  const mixes: MixBand[] = [];
  for (const raw of text.split(",")) {
    const entry = raw.trim();
    if (entry === "") continue;
    const colon = entry.lastIndexOf(":");
    const pair = colon < 0 ? "" : entry.slice(0, colon);
    const range = colon < 0 ? "" : entry.slice(colon + 1);
    const eq = pair.indexOf("=");
    const column = eq < 0 ? "" : pair.slice(0, eq).trim();
    const segment = eq < 0 ? "" : pair.slice(eq + 1).trim();
    const dots = range.indexOf("..");
    if (column === "" || segment === "" || dots < 0) return { error: `"${entry}": ${MIX_FORM}` };
    const lo = bandEnd(range.slice(0, dots));
    const hi = bandEnd(range.slice(dots + 2));
    if (lo === undefined || hi === undefined) return { error: `"${entry}": each end is a share from 0 to 1 (or 0% to 100%)` };
    if (lo === null && hi === null) return { error: `"${entry}": the band has no end; ${MIX_FORM}` };
    if (lo !== null && hi !== null && lo > hi) return { error: `"${entry}": the bottom is above the top` };
    mixes.push({ column, segment, lo, hi });
  }
  return { mixes };
}
