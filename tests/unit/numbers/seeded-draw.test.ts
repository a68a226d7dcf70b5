import { describe, expect, it } from "vitest";
import { hatSource, shapeHat, slipAt } from "../../../contract/numbers/hat/hat-shape.ts";
import { MAX_SEED, seedFrom, slipStream } from "../../../contract/numbers/hat/seeded-draw.ts";
import { HAT_SLIPS } from "../../../contract/numbers/hat/slip-counts.ts";
import { mulberry } from "../../support/seeded-probs.ts";

describe("seeded draws", () => {
  it("the same seed draws the same slips, in the same order", () => {
    const a = slipStream(123_456);
    const b = slipStream(123_456);
    const first = [a(), a(), a(), a()];
    expect([b(), b(), b(), b()]).toEqual(first);
    first.forEach((s) => expect(s >= 0 && s < HAT_SLIPS && Number.isInteger(s)).toBe(true));
  });

  it("nearby seeds draw unrelated slips", () => {
    const firsts = Array.from({ length: 50 }, (_, seed) => slipStream(seed)());
    expect(new Set(firsts).size).toBeGreaterThan(45);
  });

  it("slips are uniform over the 10,000 (chi-square over 10 bands, 20,000 seeds)", () => {
    const bands = new Array<number>(10).fill(0);
    for (let seed = 0; seed < 20_000; seed++) bands[Math.floor(slipStream(seed * 7919)() / 1000)]! += 1;
    const chi2 = bands.reduce((acc, o) => acc + (o - 2000) ** 2 / 2000, 0);
    // 9 degrees of freedom: P(chi2 > 27.9) = 0.001.
    expect(chi2).toBeLessThan(27.9);
  });

  it("draws from a hat at its slip counts: 30,000 seeded draws land within 4 standard errors", () => {
    const hat = shapeHat(hatSource([0.5, 0.3, 0.15, 0.05], () => false), { temperature: 1, topP: 1, topK: null });
    const seen = new Map<number, number>();
    const rand = mulberry(99);
    const draws = 30_000;
    for (let i = 0; i < draws; i++) {
      const slip = slipAt(hat, slipStream(seedFrom(rand))());
      seen.set(slip.id, (seen.get(slip.id) ?? 0) + 1);
    }
    for (const slip of hat.slips) {
      const q = slip.count / HAT_SLIPS;
      const se = Math.sqrt((q * (1 - q)) / draws);
      expect(Math.abs((seen.get(slip.id) ?? 0) / draws - q)).toBeLessThan(4 * se);
    }
  });

  it("seeds are whole numbers in 0..2^31-1 and anything else is refused", () => {
    expect(seedFrom(() => 0)).toBe(0);
    expect(seedFrom(() => 0.999999999999)).toBe(MAX_SEED);
    expect(() => slipStream(-1)).toThrow(RangeError);
    expect(() => slipStream(1.5)).toThrow(RangeError);
    expect(() => slipStream(MAX_SEED + 1)).toThrow(RangeError);
  });
});
