import { describe, expect, it } from "vitest";
import { placeLabels, type LabelBox } from "../../src/map/labels";

const view = { width: 800, height: 600 };
const box = (x: number, y: number, width = 60, height = 14): LabelBox => ({ x, y, width, height });

/** Whether two boxes, each grown by half of `gap`, overlap. */
function overlap(a: LabelBox, b: LabelBox, gap: number): boolean {
  return (
    Math.abs(a.x - b.x) < (a.width + b.width) / 2 + gap && Math.abs(a.y - b.y) < (a.height + b.height) / 2 + gap
  );
}

describe("placeLabels", () => {
  it("shows every label when none overlap", () => {
    expect(placeLabels([box(100, 100), box(300, 100), box(100, 300)], [1, 1, 1], view)).toEqual([0, 0, 0]);
  });

  it("keeps the bigger territory's label when two overlap", () => {
    expect(placeLabels([box(100, 100), box(120, 105)], [5, 50], view)).toEqual([null, 0]);
    expect(placeLabels([box(100, 100), box(120, 105)], [50, 5], view)).toEqual([0, null]);
  });

  it("breaks ties by index, so the result does not depend on sort stability", () => {
    expect(placeLabels([box(100, 100), box(110, 100), box(120, 100)], [1, 1, 1], view)).toEqual([0, null, null]);
  });

  it("a hidden label blocks nothing: in a chain A–B–C where only neighbours overlap, A and C are shown", () => {
    // 60 px wide labels 50 px apart: A meets B, B meets C, A and C are 100 px apart.
    expect(placeLabels([box(100, 100), box(150, 100), box(200, 100)], [3, 2, 1], view)).toEqual([0, null, 0]);
  });

  it("keeps a gap between shown labels", () => {
    // Edges 2 px apart: shown with no gap, hidden with the default 3 px gap.
    const pair = [box(100, 100), box(162, 100)];
    expect(placeLabels(pair, [2, 1], view, { gap: 0 })).toEqual([0, 0]);
    expect(placeLabels(pair, [2, 1], view)).toEqual([0, null]);
    // Rows of labels 17 px apart (14 px tall): 3 px free, shown.
    expect(placeLabels([box(100, 100), box(100, 117)], [2, 1], view)).toEqual([0, 0]);
  });

  it("leaves out labels outside the view, which then block nothing", () => {
    const boxes = [box(-100, 100), box(-10, 100), box(400, 700), box(400, 300)];
    // The first is entirely left of the view; the second is partly in it and shown; the third below it.
    expect(placeLabels(boxes, [9, 1, 9, 1], view)).toEqual([null, 0, null, 0]);
  });

  it("moves a label a line up, else a line down, when its own place is taken; else hides it", () => {
    // Four labels on one spot, 14 px tall with a 3 px gap: a line is 17 px.
    const same = [box(100, 100), box(100, 100), box(100, 100), box(100, 100)];
    expect(placeLabels(same, [4, 3, 2, 1], view, { shifts: [0, -1, 1] })).toEqual([0, -17, 17, null]);
    // Not shifted out of the view: at the top edge the line above is outside, so the next label goes below.
    const top = [box(100, 2), box(100, 2)];
    expect(placeLabels(top, [2, 1], view, { shifts: [0, -1, 1] })).toEqual([0, 17]);
  });

  it("never shows two overlapping labels, and shows every label that overlaps none shown (many random labels)", () => {
    // A small deterministic generator: the test is the same on every run.
    let seed = 12345;
    const random = (): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const boxes = Array.from({ length: 200 }, () => box(random() * 800, random() * 600, 30 + random() * 80, 14));
    const priority = boxes.map(() => Math.floor(random() * 300));
    const shown = placeLabels(boxes, priority, view);
    expect(shown.every((dy) => dy === null || dy === 0)).toBe(true);
    const visible = boxes.filter((_, i) => shown[i] !== null);
    expect(visible.length).toBeGreaterThan(10);
    expect(visible.length).toBeLessThan(boxes.length);
    for (let i = 0; i < visible.length; i++) {
      for (let j = i + 1; j < visible.length; j++) expect(overlap(visible[i]!, visible[j]!, 3)).toBe(false);
    }
    // Greedy: a hidden label overlaps a shown one of at least its priority.
    boxes.forEach((b, i) => {
      if (shown[i] !== null) return;
      const blocker = boxes.findIndex((o, j) => shown[j] !== null && overlap(b, o, 3) && (priority[j] ?? 0) >= (priority[i] ?? 0));
      expect(blocker, `label ${i} is hidden without cause`).toBeGreaterThanOrEqual(0);
    });
  });
});

describe("placeLabels with shifts", () => {
  it("never shows two overlapping labels at their shifted places (many random labels)", () => {
    let seed = 777;
    const random = (): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const boxes = Array.from({ length: 200 }, () => box(random() * 800, random() * 600, 30 + random() * 80, 14));
    const priority = boxes.map(() => Math.floor(random() * 300));
    const plain = placeLabels(boxes, priority, view).filter((dy) => dy !== null).length;
    const placement = placeLabels(boxes, priority, view, { shifts: [0, -1, 1] });
    const visible = boxes.flatMap((b, i) => {
      const dy = placement[i];
      return dy === null || dy === undefined ? [] : [{ ...b, y: b.y + dy }];
    });
    expect(visible.length, "shifting shows more labels").toBeGreaterThan(plain);
    for (let i = 0; i < visible.length; i++) {
      for (let j = i + 1; j < visible.length; j++) expect(overlap(visible[i]!, visible[j]!, 3)).toBe(false);
    }
  });
});
