import { describe, expect, it } from "vitest";
import { sampleFrom } from "../../../contract/inference/port-results.ts";
import { softmax } from "../../../contract/numbers/distribution-math.ts";
import { hatSource, shapeHat, slipAt } from "../../../contract/numbers/hat/hat-shape.ts";
import { slipStream } from "../../../contract/numbers/hat/seeded-draw.ts";

// Probabilities 0.5, 0.25, 0.125, 0.0625, 0.0625 at temperature 1.
const logits = [3, 2, 1, 0, 0].map((x) => x * Math.LN2);
const text = (id: number) => `t${id}`;

describe("sampleFrom: the model's sample is a draw from the hat game's hat", () => {
  it("draws the slip the seed's first index picks in the shaped hat", () => {
    for (const dial of [
      { temperature: 1, topK: null, topP: 1 },
      { temperature: 0.5, topK: 3, topP: 1 },
      { temperature: 2, topK: null, topP: 0.8 },
    ]) {
      const hat = shapeHat(hatSource(softmax(logits, 1), () => false), dial);
      for (let seed = 0; seed < 50; seed++) {
        const sample = sampleFrom("m", logits, { temperature: dial.temperature, topK: dial.topK ?? undefined, topP: dial.topP, seed }, text);
        expect(sample.token.id).toBe(slipAt(hat, slipStream(seed)()).id);
        expect(sample.hat.tokens.map((t) => t.id)).toEqual(hat.slips.map((s) => s.id));
        expect(sample.hat.cutMass).toBeCloseTo(hat.cut.mass, 12);
      }
    }
  });

  it("applies top-k before top-p, keeping the token that crosses top-p", () => {
    const hat = (topK: number | undefined, topP: number | undefined) => sampleFrom("m", logits, { temperature: 1, topK, topP, seed: 1 }, text).hat;
    expect(hat(2, undefined).tokens.map((t) => t.id)).toEqual([0, 1]);
    expect(hat(2, undefined).tokens[0]!.p).toBeCloseTo(2 / 3, 12);
    expect(hat(2, undefined).cutMass).toBeCloseTo(0.25, 12);
    expect(hat(undefined, 0.75).tokens).toHaveLength(2);
    expect(hat(undefined, 0.76).tokens).toHaveLength(3);
    // After top-k 2 the shares are 2/3 and 1/3, so top-p 0.6 keeps only the first.
    expect(hat(2, 0.6).tokens.map((t) => t.id)).toEqual([0]);
  });

  it("gives the same token for the same seed, and different ones across seeds", () => {
    const draw = (seed: number) => sampleFrom("m", logits, { temperature: 1, seed }, text).token.id;
    expect(draw(1234)).toBe(draw(1234));
    const counts = new Map<number, number>();
    for (let seed = 0; seed < 4000; seed++) counts.set(draw(seed), (counts.get(draw(seed)) ?? 0) + 1);
    // p = 0.5 with n = 4,000: the standard error is 0.008, and 0.04 is five of them.
    expect(Math.abs(counts.get(0)! / 4000 - 0.5)).toBeLessThan(0.04);
  });

  it("refuses a seed outside the recorded range", () => {
    expect(() => sampleFrom("m", logits, { temperature: 1, seed: -1 }, text)).toThrow(RangeError);
    expect(() => sampleFrom("m", logits, { temperature: 1, seed: 1.5 }, text)).toThrow(RangeError);
  });
});
