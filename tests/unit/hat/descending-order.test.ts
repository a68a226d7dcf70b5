import { describe, expect, it } from "vitest";
import { descendingOrder } from "../../../server/hat/descending-order.ts";
import { mulberry } from "./seeded-probs.ts";

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
