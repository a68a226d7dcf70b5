import { describe, expect, it } from "vitest";
import { drawSlip, hatSource, shapeHat, slipAt } from "../../../contract/numbers/hat/hat-shape.ts";
import { HAT_SLIPS, VISUAL_SLIPS } from "../../../contract/numbers/hat/slip-counts.ts";
import { mulberry, randomProbs } from "../../support/seeded-probs.ts";

// Token 0 is a marker (say </s>); tokens 1–5 are words with 0.4, 0.3, 0.15, 0.1, 0.05 of the rest.
const probs = [0.2, 0.32, 0.24, 0.12, 0.08, 0.04];
const nonWord = (id: number) => id === 0;
const source = hatSource(probs, nonWord);
const dial = (temperature: number, topP = 1, topK: number | null = null) => ({ temperature, topP, topK });
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

describe("a hat from the model's distribution", () => {
  it("orders word tokens by probability and sets the non-word mass aside", () => {
    expect(source.nonWordMass).toBeCloseTo(0.2, 12);
    expect(source.probs[0]).toBe(0);
    const hat = shapeHat(source, dial(1));
    expect(hat.slips.map((s) => s.id)).toEqual([1, 2, 3, 4, 5]);
    expect(hat.slips.map((s) => s.count)).toEqual([4000, 3000, 1500, 1000, 500]);
    expect(hat.slips.map((s) => s.visual)).toEqual([40, 30, 15, 10, 5]);
    expect(hat.slips[0]!.p).toBeCloseTo(0.32, 12);
    expect(hat.cut.mass).toBeCloseTo(0, 12);
  });

  it("puts exactly 10,000 slips and 100 visual slips in every hat", () => {
    const rand = mulberry(7);
    for (let trial = 0; trial < 40; trial++) {
      const src = hatSource(randomProbs(2000, rand, 2 + rand() * 10), (id) => id < 3);
      for (const d of [dial(0.3), dial(1), dial(1.5, 0.9), dial(2, 1, 40), dial(5)]) {
        const hat = shapeHat(src, d);
        expect(sum(hat.slips.map((s) => s.count))).toBe(HAT_SLIPS);
        expect(sum(hat.slips.map((s) => s.visual))).toBe(VISUAL_SLIPS);
      }
    }
  });

  it("top-k keeps the k most likely words and reports the mass it cut", () => {
    const hat = shapeHat(source, dial(1, 1, 2));
    expect(hat.slips.map((s) => s.id)).toEqual([1, 2]);
    expect(hat.slips.map((s) => s.count)).toEqual([5714, 4286]);
    expect(hat.cut.mass).toBeCloseTo(0.3, 12);
    expect(hat.cut.tokens).toBe(3);
    expect(hat.cut.first.map((c) => c.id)).toEqual([3, 4, 5]);
  });

  it("top-p keeps the smallest set reaching p, including the token that crosses it", () => {
    expect(shapeHat(source, dial(1, 0.7)).slips.map((s) => s.id)).toEqual([1, 2]);
    expect(shapeHat(source, dial(1, 0.71)).slips.map((s) => s.id)).toEqual([1, 2, 3]);
    expect(shapeHat(source, dial(1, 0.71)).cut.mass).toBeCloseTo(0.15, 12);
    // top-p is measured after top-k: after k = 2 the shares are 4/7 and 3/7.
    expect(shapeHat(source, dial(1, 0.5, 2)).slips.map((s) => s.id)).toEqual([1]);
  });

  it("temperature 1 leaves the model's probabilities as they are; others reshape them", () => {
    const t2 = shapeHat(source, dial(2));
    // q ∝ p^(1/2) over the word tokens.
    const roots = [0.32, 0.24, 0.12, 0.08, 0.04].map(Math.sqrt);
    t2.slips.forEach((s, i) => expect(s.q).toBeCloseTo(roots[i]! / sum(roots), 12));
    expect(t2.entropyBits).toBeGreaterThan(shapeHat(source, dial(1)).entropyBits);
    expect(shapeHat(source, dial(0.5)).entropyBits).toBeLessThan(shapeHat(source, dial(1)).entropyBits);
  });

  it("as the temperature falls to 0 every slip goes to the most likely token", () => {
    expect(shapeHat(source, dial(0.05)).slips[0]!.count).toBeGreaterThan(9900);
    for (const t of [0.01, 1e-3, 0]) {
      const hat = shapeHat(source, dial(t));
      expect(hat.slips).toHaveLength(1);
      expect(hat.slips[0]).toMatchObject({ id: 1, count: HAT_SLIPS, visual: VISUAL_SLIPS });
    }
  });

  it("as the temperature grows the hat tends to one equal share per token", () => {
    const hat = shapeHat(source, dial(1e6));
    expect(hat.slips.map((s) => s.count)).toEqual([2000, 2000, 2000, 2000, 2000]);
    expect(hat.entropyBits).toBeCloseTo(Math.log2(5), 6);
  });

  it("counts tokens too rare for a single slip instead of listing them", () => {
    const many = [0.9, ...Array.from({ length: 4000 }, () => 0.1 / 4000)];
    const hat = shapeHat(hatSource(many, () => false), dial(1));
    expect(hat.slips[0]!.count).toBe(9000);
    expect(sum(hat.slips.map((s) => s.count))).toBe(HAT_SLIPS);
    expect(hat.slips.length + hat.tooRare.tokens).toBe(4001);
    expect(hat.tooRare.tokens).toBe(3000);
  });

  it("finds the token on every slip by walking the counts in order", () => {
    const hat = shapeHat(source, dial(1));
    expect(slipAt(hat, 0).id).toBe(1);
    expect(slipAt(hat, 3999).id).toBe(1);
    expect(slipAt(hat, 4000).id).toBe(2);
    expect(slipAt(hat, 9999).id).toBe(5);
    expect(() => slipAt(hat, 10_000)).toThrow(RangeError);
    expect(() => slipAt(hat, -1)).toThrow(RangeError);
  });

  it("refuses a distribution without any word token", () => {
    expect(() => hatSource([0.5, 0.5], () => true)).toThrow(RangeError);
  });
});

/** The textbook way, sorting everything: temperature, top-k, top-p, then largest remainder. */
function referenceCounts(probs: number[], nonWord: (id: number) => boolean, d: { temperature: number; topP: number; topK: number | null }) {
  const ids = probs.map((_, i) => i).filter((i) => !nonWord(i) && probs[i]! > 0);
  const w = new Map(ids.map((i) => [i, probs[i]! ** (1 / d.temperature)]));
  ids.sort((a, b) => w.get(b)! - w.get(a)! || a - b);
  let kept = d.topK === null ? ids : ids.slice(0, d.topK);
  if (d.topP < 1) {
    const mass = kept.reduce((a, i) => a + w.get(i)!, 0);
    let cumulative = 0;
    let j = 0;
    while (j < kept.length && cumulative < d.topP * mass) cumulative += w.get(kept[j++]!)!;
    kept = kept.slice(0, Math.max(1, j));
  }
  const total = kept.reduce((a, i) => a + w.get(i)!, 0);
  const exact = kept.map((i) => (w.get(i)! / total) * HAT_SLIPS);
  const counts = exact.map(Math.floor);
  let left = HAT_SLIPS - counts.reduce((a, b) => a + b, 0);
  const byRemainder = kept.map((_, j) => j).sort((a, b) => exact[b]! - counts[b]! - (exact[a]! - counts[a]!) || w.get(kept[b]!)! - w.get(kept[a]!)! || kept[a]! - kept[b]!);
  for (const j of byRemainder) if (left-- > 0) counts[j]! += 1;
  return new Map(kept.map((id, j) => [id, counts[j]!] as const).filter(([, c]) => c > 0));
}

describe("the linear-time hat agrees with the textbook computation", () => {
  it("on random vocabularies and dials", () => {
    const rand = mulberry(11);
    for (let trial = 0; trial < 60; trial++) {
      const probs = randomProbs(200 + Math.floor(rand() * 3000), rand, 2 + rand() * 12);
      const nonWord = (id: number) => id < 3;
      const d = {
        temperature: [0.3, 0.7, 1, 1.5, 3][trial % 5]!,
        topP: [1, 0.9, 0.5, 0.99][trial % 4]!,
        topK: [null, 5, 40, null, 1000][trial % 5] ?? null,
      };
      const hat = shapeHat(hatSource(probs, nonWord), d);
      const want = referenceCounts(probs, nonWord, d);
      expect(new Map(hat.slips.map((s) => [s.id, s.count]))).toEqual(want);
      // Most likely first.
      for (let i = 1; i < hat.slips.length; i++) expect(hat.slips[i - 1]!.q).toBeGreaterThanOrEqual(hat.slips[i]!.q);
    }
  });
});

describe("drawing one slip without building the whole hat", () => {
  it("finds the same token on every slip as the full hat, and the same top slips", () => {
    const rand = mulberry(5);
    for (let trial = 0; trial < 30; trial++) {
      const src = hatSource(randomProbs(500 + Math.floor(rand() * 5000), rand, 1 + rand() * 12), (id) => id < 3);
      const d = { temperature: [0.5, 1, 2.5][trial % 3]!, topP: [1, 0.8][trial % 2]!, topK: trial % 4 === 0 ? 30 : null };
      const hat = shapeHat(src, d);
      for (const index of [0, 1, 4999, 9998, 9999, Math.floor(rand() * 10_000)]) {
        const drawn = drawSlip(src, d, index, 20);
        const full = slipAt(hat, index);
        expect(drawn.slip).toMatchObject({ id: full.id, count: full.count });
        expect(drawn.slip.p).toBe(full.p);
        expect(drawn.top.map((s) => [s.id, s.count])).toEqual(hat.slips.slice(0, 20).map((s) => [s.id, s.count]));
        expect(drawn.cutMass).toBeCloseTo(hat.cut.mass, 12);
      }
    }
    expect(() => drawSlip(source, dial(1), 10_000)).toThrow(RangeError);
  });
});
