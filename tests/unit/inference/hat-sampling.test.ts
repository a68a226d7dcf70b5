import { describe, expect, it } from "vitest";
import { softmax } from "../../../contract/numbers/distribution-math.ts";
import { buildHat, drawIndex, seededUniform } from "../../../contract/numbers/hat-sampling.ts";

// Probabilities 0.5, 0.25, 0.125, 0.0625, 0.0625 at temperature 1.
const logits = [3, 2, 1, 0, 0].map((x) => x * Math.LN2);

describe("the hat (temperature, top-k, top-p)", () => {
  it("keeps the whole vocabulary without top-k or top-p", () => {
    const hat = buildHat(logits, { temperature: 1 });
    expect(hat.ids).toEqual([0, 1, 2, 3, 4]);
    expect(hat.probs[0]).toBeCloseTo(0.5, 12);
    expect(hat.cutMass).toBeCloseTo(0, 12);
  });

  it("top-k keeps the k most likely and renormalizes them", () => {
    const hat = buildHat(logits, { temperature: 1, topK: 2 });
    expect(hat.ids).toEqual([0, 1]);
    expect(hat.probs[0]).toBeCloseTo(2 / 3, 12);
    expect(hat.cutMass).toBeCloseTo(0.25, 12);
  });

  it("top-p keeps the smallest set whose mass reaches p, including the token that crosses it", () => {
    const hat = buildHat(logits, { temperature: 1, topP: 0.6 });
    expect(hat.ids).toEqual([0, 1]);
    expect(buildHat(logits, { temperature: 1, topP: 0.75 }).ids).toEqual([0, 1]);
    expect(buildHat(logits, { temperature: 1, topP: 0.76 }).ids).toEqual([0, 1, 2]);
  });

  it("top-p is measured on the top-k distribution when both are set", () => {
    // After top-k 2: 2/3 and 1/3, so p = 0.6 keeps only the first token.
    const hat = buildHat(logits, { temperature: 1, topK: 2, topP: 0.6 });
    expect(hat.ids).toEqual([0]);
    expect(hat.cutMass).toBeCloseTo(0.5, 12);
  });

  it("temperature reshapes before anything is cut", () => {
    const hat = buildHat(logits, { temperature: 2 });
    const expected = softmax(logits, 2);
    hat.ids.forEach((id, i) => expect(hat.probs[i]).toBeCloseTo(expected[id]!, 12));
  });

  it("top-p of 1 keeps everything", () => {
    expect(buildHat(logits, { temperature: 1, topP: 1 }).ids).toHaveLength(5);
  });
});

describe("seeded draws", () => {
  it("give the same number for the same seed", () => {
    expect(seededUniform(1234)).toBe(seededUniform(1234));
    expect(seededUniform(1)).not.toBe(seededUniform(2));
  });

  it("tell apart seeds that differ only above 32 bits", () => {
    expect(seededUniform(1_700_000_000_000)).not.toBe(seededUniform(1_700_000_000_000 + 2 ** 32));
  });

  it("are spread uniformly over [0, 1) across consecutive seeds", () => {
    const bins = new Array<number>(10).fill(0);
    const n = 20_000;
    let outside = 0;
    for (let seed = 0; seed < n; seed++) {
      const u = seededUniform(seed);
      if (u < 0 || u >= 1) outside++;
      else bins[Math.floor(u * 10)]! += 1;
    }
    expect(outside).toBe(0);
    // Each bin expects 2,000 (sd about 42); 200 is almost 5 sd.
    for (const count of bins) expect(Math.abs(count - n / 10)).toBeLessThan(200);
  });

  it("pick a slot by inverse CDF", () => {
    expect(drawIndex([0.5, 0.3, 0.2], 0)).toBe(0);
    expect(drawIndex([0.5, 0.3, 0.2], 0.5)).toBe(1);
    expect(drawIndex([0.5, 0.3, 0.2], 0.79)).toBe(1);
    expect(drawIndex([0.5, 0.3, 0.2], 0.9999999)).toBe(2);
  });
});
