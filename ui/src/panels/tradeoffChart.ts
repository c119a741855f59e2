import type { FrontBalance, FrontPoint } from "../api";
import { formatTravelShort, TRAVEL_UNIT } from "./format";

/**
 * The trade-off front as a light SVG drawn here from the front's figures (not a plotters SVG from Rust): each
 * plan is its own `<circle>` carrying its index, so hover and click are plain DOM events on it, and the chart
 * redraws in a millisecond as the front grows, with no round trip and no font to find. Travel (y) against the
 * balance figure (x), each plan coloured by the share of the workload it moves from the current plan (darker:
 * more), the current plan a red cross. The same axes and colours as `tessera explore`'s front.svg.
 */
export interface TradeoffChart {
  svg: SVGSVGElement;
  /** The point drawn for each plan, in the order given. */
  dots: SVGCircleElement[];
}

const NS = "http://www.w3.org/2000/svg";
/** The chart's size in pixels: small enough that the map beside it shows the plan picked. */
export const WIDTH = 420;
const HEIGHT = 240;
const MARGIN = { left: 62, right: 16, top: 14, bottom: 42 };

/** The balance figure of `p` the front is drawn over. */
export function balanceOf(p: FrontPoint, figure: FrontBalance): number {
  return figure === "cv" ? p.cv : p.maxDev;
}

/** The x axis' title. */
export function balanceLabel(figure: FrontBalance): string {
  return figure === "cv" ? "coefficient of variation of loads" : "max deviation from target";
}

/** Light to dark blue as the moved share goes from 0 to `maxMoved` (all light when nothing moves). */
export function movedColor(moved: number, maxMoved: number): string {
  const t = maxMoved > 0 ? Math.min(1, Math.max(0, moved / maxMoved)) : 0;
  const from = [0xc6, 0xdb, 0xef];
  const to = [0x08, 0x30, 0x6b];
  const c = from.map((f, k) => Math.round(f + (((to[k] as number) - f) * t)));
  return `rgb(${c.join(",")})`;
}

/** About `count` round tick values covering [lo, hi]. */
export function ticks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? raw) as number;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(Number(v.toPrecision(12)));
  return out;
}

function node<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number>): SVGElementTagNameMap[K] {
  const e = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  return e;
}

function text(x: number, y: number, value: string, attrs: Record<string, string | number> = {}): SVGTextElement {
  const t = node("text", { x, y, ...attrs });
  t.textContent = value;
  return t;
}

/**
 * Draws `front` (and `current`, the plan moves are measured from, when there is one) over `figure`.
 * `currentLabel` is the current plan's legend ("current plan", or why it is not on the front).
 */
export function drawTradeoffChart(
  front: FrontPoint[],
  current: FrontPoint | null,
  figure: FrontBalance,
  currentLabel = "current plan",
): TradeoffChart {
  const svg = node("svg", {
    viewBox: `0 0 ${WIDTH} ${HEIGHT}`,
    width: WIDTH,
    height: HEIGHT,
    class: "tradeoff-chart",
    role: "img",
    "aria-label": `Trade-off front: travel against ${balanceLabel(figure)}, ${front.length} plans`,
  });
  const all = current === null ? front : [...front, current];
  const xs = all.map((p) => balanceOf(p, figure) * 100);
  const ys = all.map((p) => p.travel);
  const xMax = Math.max(1, ...xs) * 1.08;
  // A little room left of 0%, so plans balanced to the last unit do not sit on the frame.
  const xMin = -xMax * 0.03;
  let yLo = ys.length > 0 ? Math.min(...ys) : 0;
  let yHi = ys.length > 0 ? Math.max(...ys) : 1;
  // Travel differences along a front are often a few percent: the axis spans the plans, not zero to the top.
  const pad = (yHi - yLo) * 0.08 || Math.abs(yHi) * 0.02 || 1;
  yLo -= pad;
  yHi += pad;
  const plotW = WIDTH - MARGIN.left - MARGIN.right;
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
  const sx = (v: number): number => MARGIN.left + ((v - xMin) / (xMax - xMin)) * plotW;
  const sy = (v: number): number => MARGIN.top + (1 - (v - yLo) / (yHi - yLo)) * plotH;

  const grid = node("g", { class: "tradeoff-grid" });
  for (const v of ticks(0, xMax)) {
    grid.append(node("line", { x1: sx(v), x2: sx(v), y1: MARGIN.top, y2: MARGIN.top + plotH }));
    grid.append(text(sx(v), MARGIN.top + plotH + 16, `${v}%`, { "text-anchor": "middle", class: "tradeoff-tick" }));
  }
  for (const v of ticks(yLo, yHi)) {
    grid.append(node("line", { x1: MARGIN.left, x2: MARGIN.left + plotW, y1: sy(v), y2: sy(v) }));
    grid.append(text(MARGIN.left - 6, sy(v) + 4, formatTravelShort(v), { "text-anchor": "end", class: "tradeoff-tick" }));
  }
  svg.append(grid);
  svg.append(node("rect", { x: MARGIN.left, y: MARGIN.top, width: plotW, height: plotH, class: "tradeoff-frame" }));
  svg.append(text(MARGIN.left + plotW / 2, HEIGHT - 6, `${balanceLabel(figure)} (%)`, { "text-anchor": "middle", class: "tradeoff-axis" }));
  const yTitle = text(0, 0, `travel (${TRAVEL_UNIT})`, { "text-anchor": "middle", class: "tradeoff-axis" });
  yTitle.setAttribute("transform", `translate(13 ${MARGIN.top + plotH / 2}) rotate(-90)`);
  svg.append(yTitle);

  // The front in order of balance, joined, so its shape reads at a glance.
  const order = [...front].sort((a, b) => balanceOf(a, figure) - balanceOf(b, figure) || a.travel - b.travel);
  if (order.length > 1) {
    svg.append(
      node("polyline", {
        points: order.map((p) => `${sx(balanceOf(p, figure) * 100)},${sy(p.travel)}`).join(" "),
        class: "tradeoff-line",
      }),
    );
  }
  if (current !== null) {
    const x = sx(balanceOf(current, figure) * 100);
    const y = sy(current.travel);
    const cross = node("g", { class: "tradeoff-current" });
    cross.append(node("line", { x1: x - 6, y1: y - 6, x2: x + 6, y2: y + 6 }), node("line", { x1: x - 6, y1: y + 6, x2: x + 6, y2: y - 6 }));
    // The label on the side of the cross with room, below it when the cross is at the top.
    const left = x > MARGIN.left + plotW / 2;
    const below = y < MARGIN.top + 24;
    const label = text(left ? x - 9 : x + 9, below ? y + 18 : y - 9, currentLabel, {
      "text-anchor": left ? "end" : "start",
      class: "tradeoff-current-label",
    });
    cross.append(label);
    svg.append(cross);
  }
  const maxMoved = Math.max(0, ...front.map((p) => p.movedFraction));
  const dots = front.map((p, k) => {
    const dot = node("circle", {
      cx: sx(balanceOf(p, figure) * 100),
      cy: sy(p.travel),
      r: 6,
      fill: movedColor(p.movedFraction, maxMoved),
      class: `tradeoff-dot${p.scenario !== null ? " saved" : ""}${p.index !== null || p.id !== null ? " pickable" : ""}`,
      "data-k": k,
    });
    if (p.index !== null) dot.setAttribute("data-index", String(p.index));
    return dot;
  });
  svg.append(...dots);
  return { svg, dots };
}
