import { describe, expect, it } from "vitest";
import { averageLossBits, chainRule, rankOf, surpriseBits, tallyVotes, totalVariation, visibleBars } from "../../../../server/activities/guess/round-metrics.ts";
import { seededRng } from "../../../support/seeded-rng.ts";

const v = (tokenId: number, p: number, rank = 1) => ({ tokenId, tokenText: `t${tokenId}`, p, rank });

describe("round metrics", () => {
  it("surprise is -log2 p, and stays finite when p underflows to 0", () => {
    expect(surpriseBits(0.5)).toBe(1);
    expect(surpriseBits(0.125)).toBe(3);
    expect(Number.isFinite(surpriseBits(0))).toBe(true);
  });

  it("tallies one bar per token, most votes first, ties broken by model probability", () => {
    const bars = tallyVotes([v(1, 0.1), v(2, 0.6), v(1, 0.1), v(3, 0.2)]);
    expect(bars.map((b) => [b.tokenId, b.count, b.share])).toEqual([
      [1, 2, 0.5],
      [2, 1, 0.25],
      [3, 1, 0.25],
    ]);
  });

  it("TVD is 0 when the class matches the model exactly", () => {
    const votes = [v(1, 0.5), v(2, 0.5)];
    expect(totalVariation(tallyVotes(votes))).toBeCloseTo(0, 12);
  });

  it("TVD counts the model mass nobody chose", () => {
    // Class: all on token 1 (model 0.2). Model puts 0.8 elsewhere. TVD = ½(|1−0.2| + 0.8) = 0.8.
    expect(totalVariation(tallyVotes([v(1, 0.2), v(1, 0.2)]))).toBeCloseTo(0.8, 12);
  });

  it("TVD matches a brute-force sum over a random vocabulary", () => {
    const rng = seededRng(7);
    for (let trial = 0; trial < 20; trial++) {
      const raw = Array.from({ length: 30 }, () => rng() ** 3);
      const sum = raw.reduce((a, b) => a + b, 0);
      const probs = raw.map((x) => x / sum);
      const votes = Array.from({ length: 25 }, () => {
        const id = Math.floor(rng() * 30);
        return v(id, probs[id]!, rankOf(probs, id));
      });
      const q = new Array<number>(30).fill(0);
      for (const x of votes) q[x.tokenId]! += 1 / votes.length;
      const brute = 0.5 * probs.reduce((acc, p, i) => acc + Math.abs(q[i]! - p), 0);
      expect(totalVariation(tallyVotes(votes))).toBeCloseTo(brute, 10);
    }
  });

  it("average loss is the mean surprise of the voters, and null with no voters", () => {
    expect(averageLossBits([v(1, 0.5), v(2, 0.25)])).toBeCloseTo(1.5, 12);
    expect(averageLossBits([])).toBeNull();
  });

  it("rank is 1-based with ties broken by the smaller id", () => {
    const probs = [0.1, 0.4, 0.4, 0.1];
    expect([0, 1, 2, 3].map((id) => rankOf(probs, id))).toEqual([3, 1, 2, 4]);
  });

  it("the chain rule multiplies probabilities and perplexity summarizes them", () => {
    const { log2Prob, perplexity } = chainRule([0.5, 0.25, 0.5]);
    expect(log2Prob).toBeCloseTo(-4, 12);
    expect(perplexity).toBeCloseTo(2 ** (4 / 3), 12);
    expect(chainRule([]).perplexity).toBeNull();
    expect(chainRule(new Array(200).fill(0.95)).log2Prob).toBeCloseTo(200 * Math.log2(0.95), 9);
  });

  it("shows at most 40 bars and counts the rest", () => {
    const votes = Array.from({ length: 50 }, (_, i) => v(i, 0.01));
    const { bars, otherVotes } = visibleBars(tallyVotes(votes));
    expect(bars).toHaveLength(40);
    expect(otherVotes).toBe(10);
  });
});
