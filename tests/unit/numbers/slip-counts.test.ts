import { describe, expect, it } from "vitest";
import { HAT_SLIPS, largestRemainder, VISUAL_SLIPS } from "../../../contract/numbers/hat/slip-counts.ts";
import { mulberry } from "../../support/seeded-probs.ts";

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

describe("largest-remainder slip counts", () => {
  it("gives the article's twinkle hat exactly: star on 7,373 of 10,000 slips", () => {
    const counts = largestRemainder([0.7373, 0.0639, 0.0332, 0.1656], HAT_SLIPS);
    expect(counts).toEqual([7373, 639, 332, 1656]);
  });

  it("hands leftover slips to the largest fractional parts", () => {
    // Exact shares 3.4, 3.35, 3.25: floors give 9, the one left over goes to 3.4.
    expect(largestRemainder([3.4, 3.35, 3.25], 10)).toEqual([4, 3, 3]);
    // Shares 33.33… each: one slip left for three equal remainders goes to the first.
    expect(largestRemainder([1, 1, 1], 100)).toEqual([34, 33, 33]);
  });

  it("always sums to N, for random distributions of every size", () => {
    const rand = mulberry(42);
    for (let trial = 0; trial < 100; trial++) {
      const n = 1 + Math.floor(rand() * 3000);
      const weights = Array.from({ length: n }, () => rand() ** 4);
      for (const total of [HAT_SLIPS, VISUAL_SLIPS, 1, 7]) {
        const counts = largestRemainder(weights, total);
        expect(sum(counts)).toBe(total);
        // Every count is within one slip of its exact share.
        const w = sum(weights);
        const worst = Math.max(...counts.map((c, i) => Math.abs(c - (weights[i]! / w) * total)));
        expect(worst).toBeLessThan(1);
      }
    }
  });

  it("accepts any scale of weights and keeps zero weights at zero slips", () => {
    expect(largestRemainder([2, 0, 6], 4)).toEqual([1, 0, 3]);
    expect(largestRemainder([1e-300, 3e-300], 4)).toEqual([1, 3]);
  });

  it("rejects a negative total, negative weights and all-zero weights", () => {
    expect(() => largestRemainder([1], -1)).toThrow(RangeError);
    expect(() => largestRemainder([1, -0.5], 10)).toThrow(RangeError);
    expect(() => largestRemainder([0, 0], 10)).toThrow(RangeError);
    expect(largestRemainder([], 10)).toEqual([]);
  });
});
