// Drawing slips with a recorded seed. The server picks the seed (a phone only asks to draw), so a
// draw cannot be forged, and anyone with the seed, the model and the dial gets the same slips.
import { unsafeUniformIntDistribution, xoroshiro128plus } from "pure-rand";
import { HAT_SLIPS } from "./slip-counts.ts";

/** Seeds are non-negative 31-bit integers: they fit a database Int and survive JSON unchanged. */
export const MAX_SEED = 0x7fffffff;

/** A seed from a uniform [0, 1) source (the rules' ctx.rng). */
export function seedFrom(rng: () => number): number {
  return Math.floor(rng() * (MAX_SEED + 1));
}

/**
 * The slips one seed draws, in order: the first fills the blank's first token, the next ones the
 * rest of the word. Each call returns an index in 0..HAT_SLIPS-1, uniformly.
 */
export function slipStream(seed: number): () => number {
  if (!Number.isInteger(seed) || seed < 0 || seed > MAX_SEED) throw new RangeError(`seed must be an integer in 0..${MAX_SEED} (got ${seed})`);
  const rng = xoroshiro128plus(seed);
  // xoroshiro's first outputs barely differ between nearby seeds; skip a few to decorrelate them.
  for (let i = 0; i < 8; i++) rng.unsafeNext();
  return () => unsafeUniformIntDistribution(0, HAT_SLIPS - 1, rng);
}
