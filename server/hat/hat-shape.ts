// One student's hat: the model's next-token distribution, shaped by the dial (temperature, then
// top-k, then top-p, as Hugging Face's warpers do) and turned into 10,000 slips.
import { descendingOrder } from "./descending-order.ts";
import { HAT_SLIPS, largestRemainder, VISUAL_SLIPS } from "./slip-counts.ts";
import type { Dial } from "./hat-dial.ts";

/**
 * The model's answer for one story, prepared once so the dial can reshape it cheaply: word tokens
 * sorted by probability (temperature never changes that order), with their natural logs.
 */
export interface HatSource {
  /** Word tokens, most likely first (ties, to 1 part in 2^32, by smaller id). */
  ids: Int32Array;
  /** ln p at temperature 1 for `ids`, same order. */
  logP: Float64Array;
  /** Probability (temperature 1) the model gave to tokens that are not words (markers, whitespace). */
  nonWordMass: number;
  /** Shannon entropy in bits of the full distribution at temperature 1. */
  entropyBits: number;
}

/** Builds a HatSource from a full probability vector; `nonWord[id]` marks tokens left out of every hat. */
export function hatSource(probs: ArrayLike<number>, nonWord: (id: number) => boolean): HatSource {
  let nonWordMass = 0;
  let entropyBits = 0;
  for (let id = 0; id < probs.length; id++) {
    const p = probs[id]!;
    if (p > 0) entropyBits -= p * Math.log2(p);
    if (nonWord(id)) nonWordMass += p;
  }
  const ids = descendingOrder(probs, (id) => probs[id]! > 0 && !nonWord(id));
  if (ids.length === 0) throw new RangeError("the distribution gives no probability to any word token");
  const logP = new Float64Array(ids.length);
  for (let i = 0; i < ids.length; i++) logP[i] = Math.log(probs[ids[i]!]!);
  return { ids, logP, nonWordMass, entropyBits };
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
  /** Tokens with at least one of the 10,000 slips, most likely first; counts add up to HAT_SLIPS. */
  slips: Slip[];
  /** Tokens kept by the cuts that still got no slip: too rare for one in 10,000. */
  tooRare: { tokens: number; q: number };
  /** Mass of the tempered word distribution removed by top-k and top-p, and how many tokens that was. */
  cut: { mass: number; tokens: number; first: { id: number; q: number }[] };
  nonWordMass: number;
  /** Entropy in bits of the slip counts (what the student actually draws from). */
  entropyBits: number;
}

/**
 * Applies the dial. Temperature 0 (or anything tiny enough to underflow) puts every slip on the most
 * likely token; a huge temperature tends to the same count for every kept token.
 */
export function shapeHat(source: HatSource, dial: Dial): ShapedHat {
  const n = source.ids.length;
  const top = source.logP[0]!;
  const weights = new Float64Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) {
    // exp((ln p - ln p_max) / T): the tempered softmax, scaled so the top token weighs 1.
    const w = dial.temperature > 0 ? Math.exp((source.logP[i]! - top) / dial.temperature) : i === 0 ? 1 : 0;
    weights[i] = w;
    total += w;
  }
  let keep = n;
  if (dial.topK !== null) keep = Math.min(keep, Math.max(1, dial.topK));
  let keptWeight = 0;
  for (let i = 0; i < keep; i++) keptWeight += weights[i]!;
  if (dial.topP < 1) {
    // The smallest prefix whose renormalized mass reaches topP, including the token that crosses it.
    let cumulative = 0;
    let nucleus = 0;
    while (nucleus < keep) {
      cumulative += weights[nucleus]! / keptWeight;
      nucleus++;
      if (cumulative >= dial.topP) break;
    }
    keep = nucleus;
    keptWeight = 0;
    for (let i = 0; i < keep; i++) keptWeight += weights[i]!;
  }
  const kept = weights.subarray(0, keep);
  const counts = largestRemainder(kept, HAT_SLIPS);
  const visual = largestRemainder(kept, VISUAL_SLIPS);
  const slips: Slip[] = [];
  let rareTokens = 0;
  let rareQ = 0;
  let entropyBits = 0;
  for (let i = 0; i < keep; i++) {
    const q = kept[i]! / keptWeight;
    const count = counts[i]!;
    if (count === 0) {
      rareTokens++;
      rareQ += q;
      continue;
    }
    const share = count / HAT_SLIPS;
    entropyBits -= share * Math.log2(share);
    slips.push({ id: source.ids[i]!, count, visual: visual[i]!, q, p: Math.exp(source.logP[i]!) });
  }
  const first: { id: number; q: number }[] = [];
  for (let i = keep; i < Math.min(n, keep + 5); i++) first.push({ id: source.ids[i]!, q: weights[i]! / total });
  return {
    dial,
    slips,
    tooRare: { tokens: rareTokens, q: rareQ },
    cut: { mass: Math.max(0, 1 - keptWeight / total), tokens: n - keep, first },
    nonWordMass: source.nonWordMass,
    entropyBits: Math.max(0, entropyBits),
  };
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
