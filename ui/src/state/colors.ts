/**
 * Territory colours. A qualitative palette (ColorBrewer Set3/Paired-like, tuned for contrast with the dark
 * unit borders) indexed by territory. Issue 4 replaces the index with a graph colouring of the territories'
 * adjacency so neighbours never share a colour; the map only ever asks `colorOf(territory)`.
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

/** The colour for each of `count` territories. */
export function territoryColors(count: number): string[] {
  return Array.from({ length: count }, (_, t) => PALETTE[t % PALETTE.length] as string);
}
