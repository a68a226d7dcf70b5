// The hat: the distribution a sample is drawn from after temperature, top-k and top-p, and the draw.
import { xoroshiro128plus } from "pure-rand";
import { idsByProbability, softmax, topIds } from "./distribution-math.ts";

export interface HatOptions {
  temperature: number;
  topK?: number;
  topP?: number;
}

export interface Hat {
  /** Kept ids, most likely first. */
  ids: number[];
  /** Renormalized probabilities of `ids`, same order; they sum to 1. */
  probs: number[];
  /** Mass of the tempered distribution that top-k and top-p removed. */
  cutMass: number;
}

/**
 * Builds the hat the way Hugging Face's warpers do: temperature, then top-k, then top-p on the
 * renormalized top-k distribution, keeping the token that crosses top-p.
 */
export function buildHat(logits: ArrayLike<number>, options: HatOptions): Hat {
  const tempered = softmax(logits, options.temperature);
  const order =
    options.topK !== undefined && options.topK < tempered.length ? topIds(tempered, Math.max(1, options.topK)) : idsByProbability(tempered);
  let keep = order.length;
  if (options.topK !== undefined) keep = Math.min(keep, Math.max(1, options.topK));
  let keptMass = 0;
  for (let i = 0; i < keep; i++) keptMass += tempered[order[i]!]!;
  if (options.topP !== undefined && options.topP < 1) {
    let cumulative = 0;
    let nucleus = 0;
    while (nucleus < keep) {
      cumulative += tempered[order[nucleus]!]! / keptMass;
      nucleus++;
      if (cumulative >= options.topP) break;
    }
    keep = nucleus;
    keptMass = 0;
    for (let i = 0; i < keep; i++) keptMass += tempered[order[i]!]!;
  }
  const ids = order.slice(0, keep);
  const probs = ids.map((id) => tempered[id]! / keptMass);
  return { ids, probs, cutMass: Math.max(0, 1 - keptMass) };
}

/** A uniform double in [0, 1) with 53 random bits, from the seed alone. */
export function seededUniform(seed: number): number {
  // Fold the high bits in, so seeds beyond 32 bits (e.g. timestamps) still give different draws.
  const folded = (Math.floor(seed) ^ Math.floor(seed / 4294967296)) | 0;
  // xoroshiro's first outputs barely move for small seeds; scramble the seed and warm it up.
  const rng = xoroshiro128plus(fmix32(folded));
  for (let i = 0; i < 4; i++) rng.unsafeNext();
  const high = rng.unsafeNext() >>> 5; // 27 bits
  const low = rng.unsafeNext() >>> 6; // 26 bits
  return (high * 67108864 + low) / 9007199254740992;
}

/** MurmurHash3's finalizer: every input bit flips about half the output bits. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h | 0;
}

/** Index into `probs` chosen by inverse CDF at u; the last slot absorbs rounding at the top end. */
export function drawIndex(probs: readonly number[], u: number): number {
  let cumulative = 0;
  for (let i = 0; i < probs.length; i++) {
    cumulative += probs[i]!;
    if (u < cumulative) return i;
  }
  return probs.length - 1;
}
