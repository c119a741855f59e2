import { describe, expect, it } from "vitest";
import { PALETTE, TerritoryColorBook, colorSlots, territoryColors } from "../../src/state";

/** Every adjacent pair gets two different slots. */
function proper(slots: number[], adjacent: [number, number][]): boolean {
  return adjacent.every(([a, b]) => slots[a] !== slots[b]);
}

describe("colorSlots", () => {
  it("colours the most connected territory first and spreads the others over the palette", () => {
    const adjacent: [number, number][] = [
      [0, 1],
      [1, 2],
    ];
    expect(colorSlots(3, adjacent)).toEqual([1, 0, 2]);
  });

  it("keeps neighbours apart on a grid of territories", () => {
    // A 6×6 grid with diagonal neighbours too (king's graph: degree up to 8, needs 4 colours).
    const n = 6;
    const adjacent: [number, number][] = [];
    for (let r = 0; r < n; r++) {
      for (let c = 0; c < n; c++) {
        for (const [dr, dc] of [
          [0, 1],
          [1, -1],
          [1, 0],
          [1, 1],
        ] as const) {
          const r2 = r + dr;
          const c2 = c + dc;
          if (r2 < n && c2 >= 0 && c2 < n) adjacent.push([r * n + c, r2 * n + c2]);
        }
      }
    }
    const slots = colorSlots(n * n, adjacent);
    expect(proper(slots, adjacent)).toBe(true);
    expect(Math.max(...slots)).toBeLessThan(PALETTE.length);
  });

  it("ignores bad pairs and spreads isolated territories over the palette", () => {
    expect(
      colorSlots(3, [
        [0, 0],
        [1, 7],
      ]),
    ).toEqual([0, 1, 2]);
    const many = colorSlots(PALETTE.length * 2, []);
    expect(new Set(many).size).toBe(PALETTE.length);
  });

  it("falls back to the least used colour when every slot is taken by neighbours", () => {
    // A clique of PALETTE.length + 1 territories forces one repeated slot.
    const k = PALETTE.length + 1;
    const adjacent: [number, number][] = [];
    for (let a = 0; a < k; a++) for (let b = a + 1; b < k; b++) adjacent.push([a, b]);
    const slots = colorSlots(k, adjacent);
    expect(new Set(slots).size).toBe(PALETTE.length);
    expect(slots.every((s) => s >= 0 && s < PALETTE.length)).toBe(true);
  });
});

describe("territoryColors", () => {
  it("maps slots to palette colours", () => {
    expect(territoryColors(2, [[0, 1]])).toEqual([PALETTE[0], PALETTE[1]]);
    expect(territoryColors(0)).toEqual([]);
  });
});

describe("TerritoryColorBook", () => {
  it("gives a territory the same colour in every scenario, whatever its index there", () => {
    const book = new TerritoryColorBook();
    const first = book.colors(["R1", "R2", "R3"], [
      [0, 1],
      [1, 2],
    ]);
    // Another scenario: the same territories in another order, one new, other neighbours.
    const second = book.colors(["R3", "NEW", "R1", "R2"], [
      [0, 1],
      [1, 2],
      [2, 3],
    ]);
    expect(second[0]).toBe(first[2]);
    expect(second[2]).toBe(first[0]);
    expect(second[3]).toBe(first[1]);
    // The new territory avoids its neighbours' colours (R3 and R1).
    expect(second[1]).not.toBe(second[0]);
    expect(second[1]).not.toBe(second[2]);
    // And keeps its colour from then on.
    expect(book.colors(["NEW"])[0]).toBe(second[1]);
  });

  it("colours the first alignment as colorSlots does", () => {
    const adjacent: [number, number][] = [
      [0, 1],
      [1, 2],
    ];
    expect(new TerritoryColorBook().colors(["a", "b", "c"], adjacent)).toEqual(territoryColors(3, adjacent));
  });
});

describe("colorSlots with fixed slots", () => {
  it("keeps the fixed slots and colours the rest around them", () => {
    const adjacent: [number, number][] = [
      [0, 1],
      [1, 2],
    ];
    const slots = colorSlots(3, adjacent, [5, undefined, 0]);
    expect(slots[0]).toBe(5);
    expect(slots[2]).toBe(0);
    expect([5, 0]).not.toContain(slots[1]);
  });
});
