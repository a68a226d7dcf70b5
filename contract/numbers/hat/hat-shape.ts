// One student's hat: the model's next-token distribution, shaped by the dial (temperature, then
// top-k, then top-p, as Hugging Face's warpers do) and turned into 10,000 slips.
// Every student's hat covers the whole vocabulary and is reshaped whenever the dial moves, so this
// works in linear time: nothing sorts the whole vocabulary, only the tokens that get slips and,
// for top-k or top-p, the few most likely ones.
import { descendingOrder, weightedPrefix } from "./descending-order.ts";
import type { Dial } from "../../protocol/hat.ts";
import { apportion, HAT_SLIPS, VISUAL_SLIPS } from "./slip-counts.ts";

/** The model's answer for one story, prepared once so the dial can reshape it cheaply. */
export interface HatSource {
  /** p at temperature 1 for every token id; tokens that cannot fill a blank are set to 0. */
  probs: Float64Array;
  /** The largest entry of `probs`. */
  maxP: number;
  /** Probability (temperature 1) the model gave to tokens that are not words (markers, whitespace). */
  nonWordMass: number;
  /** Shannon entropy in bits of the full distribution at temperature 1. */
  entropyBits: number;
}

/**
 * Builds a HatSource from a full probability vector; `nonWord(id)` marks tokens left out of every
 * hat. `entropyBits` may be passed when the model already computed it.
 */
export function hatSource(probs: ArrayLike<number>, nonWord: (id: number) => boolean, entropyBits?: number): HatSource {
  const n = probs.length;
  const kept = new Float64Array(n);
  let nonWordMass = 0;
  let maxP = 0;
  let entropy = 0;
  for (let id = 0; id < n; id++) {
    const p = probs[id]!;
    if (entropyBits === undefined && p > 0) entropy -= p * Math.log2(p);
    if (nonWord(id)) {
      nonWordMass += p;
      continue;
    }
    kept[id] = p;
    if (p > maxP) maxP = p;
  }
  if (maxP === 0) throw new RangeError("the distribution gives no probability to any word token");
  return { probs: kept, maxP, nonWordMass, entropyBits: entropyBits ?? entropy };
}

export interface Slip {
  id: number;
  /** How many of the 10,000 slips carry this token. */
  count: number;
  /** How many of the 100 drawn slips carry it. */
  visual: number;
  /** Probability in the shaped hat (renormalized after the cuts). */
  q: number;
  /** The model's own probability at temperature 1: the number the chain rule uses. */
  p: number;
}

export interface ShapedHat {
  dial: Dial;
  /** Tokens with at least one of the 10,000 slips, most likely first (ties by smaller id); counts add up to HAT_SLIPS. */
  slips: Slip[];
  /** Tokens kept by the cuts that still got no slip: too rare for one in 10,000. */
  tooRare: { tokens: number; q: number };
  /** Mass of the tempered word distribution removed by top-k and top-p, how many tokens that was, and the first few. */
  cut: { mass: number; tokens: number; first: { id: number; q: number }[] };
  nonWordMass: number;
  /** Entropy in bits of the slip counts (what the student actually draws from). */
  entropyBits: number;
}

/** Tempered weights, proportional to p^(1/T); read-only (at T = 1 they are the source's own array). */
function temperedWeights(source: HatSource, temperature: number): Float64Array {
  const { probs, maxP } = source;
  if (temperature === 1) return probs;
  const w = new Float64Array(probs.length);
  if (temperature > 0) {
    const power = 1 / temperature;
    for (let i = 0; i < probs.length; i++) {
      const p = probs[i]!;
      if (p > 0) w[i] = Math.pow(p / maxP, power);
    }
  } else {
    // Temperature 0: the limit puts everything on the most likely token(s).
    for (let i = 0; i < probs.length; i++) w[i] = probs[i] === maxP ? 1 : 0;
  }
  return w;
}

/**
 * The most likely tokens in order, enough of them to apply top-k and top-p exactly: tokens above a
 * weight threshold are sorted, and the threshold is lowered until the cut falls inside them.
 * Returns null when the dial cuts nothing (every token with weight stays).
 */
function nucleus(w: Float64Array, maxW: number, total: number, dial: Dial): { kept: Int32Array; keptWeight: number; after: Int32Array } | null {
  if (dial.topK === null && dial.topP >= 1) return null;
  for (let threshold = 1e-4 * maxW; ; threshold = threshold > 1e-280 ? threshold * 1e-6 : 0) {
    const head = descendingOrder(w, (i) => w[i]! > 0 && w[i]! >= threshold);
    const exhaustive = threshold === 0;
    if (dial.topK !== null && head.length < dial.topK && !exhaustive) continue;
    let keep = dial.topK === null ? head.length : Math.min(head.length, Math.max(1, dial.topK));
    let keptWeight = 0;
    if (dial.topK === null) keptWeight = total;
    else for (let j = 0; j < keep; j++) keptWeight += w[head[j]!]!;
    if (dial.topP < 1) {
      let cumulative = 0;
      let j = 0;
      while (j < keep && cumulative < dial.topP * keptWeight) cumulative += w[head[j++]!]!;
      // Not reached inside the sorted head: more of the tail is needed (only without top-k).
      if (cumulative < dial.topP * keptWeight && !exhaustive) continue;
      keep = Math.max(1, j);
      keptWeight = 0;
      for (let k = 0; k < keep; k++) keptWeight += w[head[k]!]!;
    }
    return { kept: head.subarray(0, keep), keptWeight, after: head.subarray(keep, keep + 5) };
  }
}

interface SlipCounts {
  /** Tempered weights of every token, proportional to p^(1/T). */
  w: Float64Array;
  /** The kept tokens' weights by token id (0 for cut tokens). */
  keptWeights: Float64Array;
  counts: Int32Array;
  keptWeight: number;
  total: number;
  /** Tokens with any weight, and how many of them the cuts kept. */
  positive: number;
  keptTokens: number;
  after: Int32Array;
}

/** Temperature, top-k, top-p and the 10,000 slip counts, without ordering anything yet. */
function countSlips(source: HatSource, dial: Dial): SlipCounts {
  const w = temperedWeights(source, dial.temperature);
  const maxW = dial.temperature === 1 ? source.maxP : 1;
  let total = 0;
  let positive = 0;
  for (let i = 0; i < w.length; i++) {
    if (w[i]! > 0) {
      total += w[i]!;
      positive++;
    }
  }
  const cut = nucleus(w, maxW, total, dial);
  // The kept tokens' weights, in token-id order (the order ties are broken in).
  const keptWeights = cut ? new Float64Array(w.length) : w;
  if (cut) for (const id of cut.kept) keptWeights[id] = w[id]!;
  return {
    w,
    keptWeights,
    counts: apportion(keptWeights, HAT_SLIPS),
    keptWeight: cut ? cut.keptWeight : total,
    total,
    positive,
    keptTokens: cut ? cut.kept.length : positive,
    after: cut ? cut.after : new Int32Array(0),
  };
}

/**
 * Applies the dial. Temperature 0 puts every slip on the most likely token; a huge temperature
 * tends to the same count for every kept token.
 */
export function shapeHat(source: HatSource, dial: Dial): ShapedHat {
  const c = countSlips(source, dial);
  const { w, keptWeights, counts, keptWeight, total } = c;
  const visual = apportion(keptWeights, VISUAL_SLIPS);
  let rareTokens = 0;
  let rareQ = 0;
  for (let id = 0; id < keptWeights.length; id++) {
    if (keptWeights[id]! > 0 && counts[id] === 0) {
      rareTokens++;
      rareQ += keptWeights[id]! / keptWeight;
    }
  }
  // Only tokens with slips are ordered: they are what the student sees and draws.
  const order = descendingOrder(keptWeights, (id) => counts[id]! > 0);
  let entropyBits = 0;
  const slips: Slip[] = [];
  for (const id of order) {
    const count = counts[id]!;
    const share = count / HAT_SLIPS;
    entropyBits -= share * Math.log2(share);
    slips.push({ id, count, visual: visual[id]!, q: keptWeights[id]! / keptWeight, p: source.probs[id]! });
  }
  return {
    dial,
    slips,
    tooRare: { tokens: rareTokens, q: rareQ },
    cut: { mass: Math.max(0, 1 - keptWeight / total), tokens: c.positive - c.keptTokens, first: Array.from(c.after, (id) => ({ id, q: w[id]! / total })) },
    nonWordMass: source.nonWordMass,
    entropyBits: Math.max(0, entropyBits),
  };
}

export interface DrawnSlip {
  slip: Slip;
  /** The hat's most likely slips, as many as asked for. */
  top: Slip[];
  cutMass: number;
}

/**
 * The slip at `index` of the hat the dial makes, plus its top `topN` slips, without building the
 * whole hat: only the tokens that decide them are put in order. Gives the same token as
 * slipAt(shapeHat(source, dial), index).
 */
export function drawSlip(source: HatSource, dial: Dial, index: number, topN = 0): DrawnSlip {
  if (!Number.isInteger(index) || index < 0 || index >= HAT_SLIPS) throw new RangeError(`slip index ${index} is outside 0..${HAT_SLIPS - 1}`);
  const { keptWeights, counts, keptWeight, total } = countSlips(source, dial);
  const slipOf = (id: number): Slip => ({ id, count: counts[id]!, visual: 0, q: keptWeights[id]! / keptWeight, p: source.probs[id]! });
  const { at, top } = weightedPrefix(keptWeights, counts, index, topN);
  return { slip: slipOf(at), top: Array.from(top, slipOf), cutMass: Math.max(0, 1 - keptWeight / total) };
}

/** The slip at `index` (0 ≤ index < HAT_SLIPS), walking the slips in hat order. */
export function slipAt(hat: ShapedHat, index: number): Slip {
  if (!Number.isInteger(index) || index < 0 || index >= HAT_SLIPS) throw new RangeError(`slip index ${index} is outside 0..${HAT_SLIPS - 1}`);
  let cumulative = 0;
  for (const slip of hat.slips) {
    cumulative += slip.count;
    if (index < cumulative) return slip;
  }
  throw new Error("slip counts do not add up to HAT_SLIPS");
}
