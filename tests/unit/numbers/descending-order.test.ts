import { describe, expect, it } from "vitest";
import { descendingOrder, weightedPrefix } from "../../../contract/numbers/hat/descending-order.ts";
import { mulberry } from "../../support/seeded-probs.ts";

describe("ordering a vocabulary by probability", () => {
  it("matches a comparator sort, largest first", () => {
    const rand = mulberry(3);
    for (let trial = 0; trial < 20; trial++) {
      const values = Array.from({ length: 1 + Math.floor(rand() * 6000) }, () => rand() ** 8);
      const expected = values.map((_, i) => i).sort((a, b) => values[b]! - values[a]! || a - b);
      expect([...descendingOrder(values)]).toEqual(expected);
    }
  });

  it("keeps equal values in index order and leaves out what `keep` rejects", () => {
    expect([...descendingOrder([0.2, 0.5, 0.2, 0, 0.5])]).toEqual([1, 4, 0, 2, 3]);
    expect([...descendingOrder([0.2, 0.5, 0.2, 0, 0.5], (i) => i !== 1)]).toEqual([4, 0, 2, 3]);
    expect([...descendingOrder([])]).toEqual([]);
  });

  it("handles tiny and large probabilities alike", () => {
    expect([...descendingOrder([1e-300, 1, 1e-12, 0.999999])]).toEqual([1, 3, 2, 0]);
  });
});

describe("finding one place in the weighted order without sorting everything", () => {
  /** The reference: every entry with a count, fully ordered, each holding `count` places. */
  function walk(values: number[], counts: number[], place: number, topN: number) {
    const order = [...descendingOrder(values, (i) => counts[i]! > 0)];
    let cumulative = 0;
    const at = order.find((i) => place < (cumulative += counts[i]!));
    return { at, top: order.slice(0, topN) };
  }

  it("agrees with the full order on random, tied and very wide values", () => {
    const rand = mulberry(11);
    for (let trial = 0; trial < 60; trial++) {
      const n = 1 + Math.floor(rand() * 3000);
      const shape = trial % 3;
      // Smooth values; values from a few levels (many ties); values spanning hundreds of octaves.
      const values = Array.from({ length: n }, () => (shape === 0 ? rand() ** 6 : shape === 1 ? Math.ceil(rand() * 4) / 8 : 2 ** (-rand() * 900)));
      const counts = values.map(() => (rand() < 0.2 ? 0 : 1 + Math.floor(rand() * 5)));
      const places = counts.reduce((a, b) => a + b, 0);
      if (places === 0) continue;
      for (const place of [0, places - 1, Math.floor(rand() * places)]) {
        for (const topN of [0, 1, 20]) {
          const got = weightedPrefix(values, counts, place, topN);
          const want = walk(values, counts, place, topN);
          expect(got.at).toBe(want.at);
          expect([...got.top]).toEqual(want.top);
        }
      }
    }
  });

  it("refuses a place past the last count", () => {
    expect(() => weightedPrefix([0.5, 0.5], [1, 1], 2, 0)).toThrow(RangeError);
  });
});
