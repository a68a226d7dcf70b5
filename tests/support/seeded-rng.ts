// A reproducible rng in [0, 1) for tests.
import prand from "pure-rand";

export function seededRng(seed: number): () => number {
  const gen = prand.xoroshiro128plus(seed);
  return () => prand.unsafeUniformIntDistribution(0, 2 ** 30 - 1, gen) / 2 ** 30;
}
