// The numbers of a reveal: class histogram, loss in bits, overlap with the model, chain rule.
import type { HistogramBar, RoundMetrics, TokenProbView } from "../../../contract/protocol/guess.ts";
import { HISTOGRAM_MAX_BARS } from "../../../contract/protocol/limits.ts";

/** What the metrics need from one student's final vote. `p` and `rank` come from the full distribution. */
export interface ScoredVote {
  tokenId: number;
  tokenText: string;
  p: number;
  rank: number;
}

// Float64 softmax can underflow to 0; clamp so a surprise stays finite (JSON has no Infinity).
const MIN_P = Number.MIN_VALUE;

/** -log2 p: the training loss of this token, in bits. */
export function surpriseBits(p: number): number {
  return -Math.log2(Math.max(p, MIN_P));
}

/** One bar per distinct token; most votes first, then higher model probability, then smaller id. */
export function tallyVotes(votes: readonly ScoredVote[]): HistogramBar[] {
  const bars = new Map<number, HistogramBar>();
  for (const v of votes) {
    const bar = bars.get(v.tokenId);
    if (bar) bar.count += 1;
    else bars.set(v.tokenId, { tokenId: v.tokenId, text: v.tokenText, count: 1, share: 0, modelP: v.p, modelRank: v.rank });
  }
  const total = votes.length;
  return [...bars.values()]
    .map((b) => ({ ...b, share: b.count / total }))
    .sort((a, b) => b.count - a.count || b.modelP - a.modelP || a.tokenId - b.tokenId);
}

/**
 * Total variation distance between the class histogram q and the model distribution p over the
 * whole vocabulary: ½ Σ|q − p|. Tokens nobody chose contribute their p, which sums to 1 − Σ p(chosen).
 */
export function totalVariation(histogram: readonly HistogramBar[]): number | null {
  if (histogram.length === 0) return null;
  let inClass = 0;
  let chosenMass = 0;
  for (const bar of histogram) {
    inClass += Math.abs(bar.share - bar.modelP);
    chosenMass += bar.modelP;
  }
  const tvd = 0.5 * (inClass + Math.max(0, 1 - chosenMass));
  return Math.min(1, Math.max(0, tvd));
}

export function averageLossBits(votes: readonly ScoredVote[]): number | null {
  if (votes.length === 0) return null;
  return votes.reduce((sum, v) => sum + surpriseBits(v.p), 0) / votes.length;
}

export function roundMetrics(votes: readonly ScoredVote[], histogram: readonly HistogramBar[], modelTop: TokenProbView | null): RoundMetrics {
  return {
    voters: votes.length,
    avgLossBits: averageLossBits(votes),
    tvd: totalVariation(histogram),
    favourite: histogram[0] ?? null,
    modelTop,
  };
}

/** The bars a screen shows, and how many votes fall outside them. */
export function visibleBars(histogram: readonly HistogramBar[], max = HISTOGRAM_MAX_BARS): { bars: HistogramBar[]; otherVotes: number } {
  const bars = histogram.slice(0, max);
  const otherVotes = histogram.slice(max).reduce((sum, b) => sum + b.count, 0);
  return { bars, otherVotes };
}

/** Chain rule over appended tokens: log2 of the joint probability, and the perplexity. */
export function chainRule(ps: readonly number[]): { log2Prob: number; perplexity: number | null } {
  const log2Prob = ps.reduce((sum, p) => sum + Math.log2(Math.max(p, MIN_P)), 0);
  return { log2Prob, perplexity: ps.length === 0 ? null : 2 ** (-log2Prob / ps.length) };
}

/** 1-based rank of `id` with ties broken by the smaller id, the order the inference port uses. */
export function rankOf(probs: ArrayLike<number>, id: number): number {
  const p = probs[id] ?? 0;
  let rank = 1;
  for (let i = 0; i < probs.length; i++) {
    const q = probs[i]!;
    if (q > p || (q === p && i < id)) rank++;
  }
  return rank;
}
