import { describe, expect, it } from "vitest";
import { bottomIds, entropyBits, idsByProbability, massOf, softmax, softmaxWithEntropy, topIds } from "../../../contract/numbers/distribution-math.ts";

describe("softmax", () => {
  it("turns logits into probabilities that sum to 1", () => {
    const p = softmax([1, 2, 3]);
    expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(p[2]! / p[1]!).toBeCloseTo(Math.E, 12);
  });

  it("stays finite for huge logits because the max is subtracted", () => {
    const p = softmax([1000, 1001]);
    expect(p[1]! / p[0]!).toBeCloseTo(Math.E, 10);
  });

  it("temperature below 1 sharpens and above 1 flattens", () => {
    const logits = [0, 1, 2];
    const cold = softmax(logits, 0.5);
    const hot = softmax(logits, 2);
    expect(cold[2]!).toBeGreaterThan(softmax(logits)[2]!);
    expect(hot[2]!).toBeLessThan(softmax(logits)[2]!);
    expect(cold[2]! / cold[1]!).toBeCloseTo(Math.exp(2), 10);
  });
});

describe("softmax with entropy in one pass", () => {
  it("gives the same entropy as -sum p log2 p, at any temperature", () => {
    const logits = Array.from({ length: 300 }, (_, i) => Math.sin(i * 12.9898) * 7);
    for (const t of [0.3, 1, 2.5]) {
      const { probs, entropyBits: h } = softmaxWithEntropy(logits, t);
      expect(h).toBeCloseTo(entropyBits(probs), 10);
    }
  });

  it("is 0 bits for a distribution that underflows to one token", () => {
    expect(softmaxWithEntropy([0, 2000]).entropyBits).toBe(0);
  });
});

describe("entropy in bits", () => {
  it.each([
    [[0.25, 0.25, 0.25, 0.25], 2],
    [[1, 0, 0], 0],
    [[0.5, 0.5], 1],
  ])("of %j is %d bits", (probs, bits) => {
    expect(entropyBits(probs)).toBeCloseTo(bits, 12);
  });
});

describe("top and bottom tokens", () => {
  const probs = [0.1, 0.4, 0.05, 0.3, 0.15];

  it("lists the most likely first", () => {
    expect(topIds(probs, 3)).toEqual([1, 3, 4]);
    expect(idsByProbability(probs)).toEqual([1, 3, 4, 0, 2]);
  });

  it("lists the least likely first", () => {
    expect(bottomIds(probs, 2)).toEqual([2, 0]);
  });

  it("breaks ties by the smaller id so results are stable", () => {
    expect(topIds([0.25, 0.25, 0.25, 0.25], 2)).toEqual([0, 1]);
  });

  it("selects from a large vocabulary the same way as a full sort", () => {
    const big = Array.from({ length: 5000 }, (_, i) => ((i * 7919) % 5003) / 5003);
    expect(topIds(big, 10)).toEqual(idsByProbability(big).slice(0, 10));
    expect(bottomIds(big, 10)).toEqual(idsByProbability(big).reverse().slice(0, 10).sort((a, b) => big[a]! - big[b]! || a - b));
  });

  it("agrees with a full sort when many values tie", () => {
    const tied = Array.from({ length: 3000 }, (_, i) => (i * 31) % 7);
    const sorted = idsByProbability(tied);
    expect(topIds(tied, 12)).toEqual(sorted.slice(0, 12));
    const ascending = Array.from({ length: 3000 }, (_, i) => i).sort((a, b) => tied[a]! - tied[b]! || a - b);
    expect(bottomIds(tied, 12)).toEqual(ascending.slice(0, 12));
  });

  it("clamps k to the vocabulary and accepts 0", () => {
    expect(topIds(probs, 99)).toHaveLength(5);
    expect(topIds(probs, 0)).toEqual([]);
  });

  it("adds up the mass of chosen ids", () => {
    expect(massOf(probs, [1, 3])).toBeCloseTo(0.7, 12);
  });
});
