/**
 * Territory colours: a qualitative palette (ColorBrewer Set3-like, light enough for the dark unit borders) and
 * a colouring of the territories' adjacency graph, so that neighbouring territories never share a colour.
 */
export const PALETTE: readonly string[] = [
  "#8dd3c7",
  "#fdb462",
  "#bebada",
  "#fb8072",
  "#80b1d3",
  "#b3de69",
  "#fccde5",
  "#ffed6f",
  "#bc80bd",
  "#ccebc5",
  "#e5c494",
  "#a6cee3",
];

/** The colour of units when the workbook has no alignment. */
export const UNASSIGNED_COLOR = "#9fb3c8";

/**
 * A palette index for each of `count` territories such that territories joined in `adjacent` differ.
 *
 * Greedy colouring in Welsh–Powell order (most neighbours first). Each territory takes, among the palette
 * slots none of its already coloured neighbours uses, the one used least so far (lowest index on ties): the
 * whole palette gets used, so territories stay easy to tell apart, not just neighbours. Territory maps are
 * near-planar, so free slots nearly always exist; a territory whose neighbours take every slot (more than
 * {@link PALETTE}.length - 1 of them) takes the slot its neighbours use least.
 * O(T log T + (E + T)·P) for T territories, E pairs, P palette slots.
 *
 * `fixed[t]`, where given, is territory t's slot already: it is kept as it is (even if a neighbour shares it:
 * a colour the planner knows matters more than the neighbour rule), counts as used, and the other territories
 * are coloured around it.
 */
export function colorSlots(
  count: number,
  adjacent: readonly (readonly [number, number])[],
  fixed: readonly (number | undefined)[] = [],
): number[] {
  const neighbors: number[][] = Array.from({ length: count }, () => []);
  for (const [a, b] of adjacent) {
    if (a === b || a < 0 || b < 0 || a >= count || b >= count) continue;
    neighbors[a]?.push(b);
    neighbors[b]?.push(a);
  }
  const order = Array.from({ length: count }, (_, t) => t).sort(
    (x, y) => (neighbors[y]?.length ?? 0) - (neighbors[x]?.length ?? 0) || x - y,
  );
  const slots = new Array<number>(count).fill(-1);
  const uses = new Array<number>(PALETTE.length).fill(0);
  for (let t = 0; t < count; t++) {
    const f = fixed[t];
    if (f !== undefined && Number.isInteger(f) && f >= 0 && f < PALETTE.length) {
      slots[t] = f;
      uses[f] = (uses[f] ?? 0) + 1;
    }
  }
  for (const t of order) {
    if ((slots[t] ?? -1) >= 0) continue;
    const byNeighbors = new Array<number>(PALETTE.length).fill(0);
    for (const n of neighbors[t] ?? []) {
      const s = slots[n] ?? -1;
      if (s >= 0) byNeighbors[s] = (byNeighbors[s] ?? 0) + 1;
    }
    let best = -1;
    for (let s = 0; s < PALETTE.length; s++) {
      if (byNeighbors[s] === 0 && (best < 0 || (uses[s] ?? 0) < (uses[best] ?? 0))) best = s;
    }
    if (best < 0) best = byNeighbors.indexOf(Math.min(...byNeighbors));
    slots[t] = best;
    uses[best] = (uses[best] ?? 0) + 1;
  }
  return slots;
}

/** The colour for each of `count` territories, neighbours (pairs in `adjacent`) apart. */
export function territoryColors(count: number, adjacent: readonly (readonly [number, number])[] = []): string[] {
  return colorSlots(count, adjacent).map((s) => PALETTE[s] as string);
}

/**
 * Colours that follow a territory's name (its rep or territory id) across every scenario of a workbook
 * (DESIGN.md §6): the first alignment seen is coloured with {@link colorSlots}; later ones (another scenario, an
 * optimizer result, an edit that adds a territory) keep the slot of every name seen before and colour only new
 * names, around their neighbours. So switching from "current" to a rebalance of three territories changes the
 * colours of those three territories' units only. One book per open workbook.
 */
export class TerritoryColorBook {
  private readonly slotOf = new Map<string, number>();

  /** The colour of each of `names` (a scenario's territories, in index order), neighbours in `adjacent` apart where new. */
  colors(names: readonly string[], adjacent: readonly (readonly [number, number])[] = []): string[] {
    const fixed = names.map((n) => this.slotOf.get(n));
    const slots = colorSlots(names.length, adjacent, fixed);
    names.forEach((n, t) => {
      if (!this.slotOf.has(n)) this.slotOf.set(n, slots[t] as number);
    });
    return slots.map((s) => PALETTE[s] as string);
  }
}
