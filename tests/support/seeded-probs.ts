// Deterministic test data: a tiny seeded generator and random probability vectors.

/** mulberry32: a small seeded uniform [0, 1) source for test data. */
export function mulberry(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A softmax of random logits: peaked when `spread` is large, flat when it is small. */
export function randomProbs(n: number, rand: () => number, spread = 6): number[] {
  const logits = Array.from({ length: n }, () => rand() * spread);
  const max = Math.max(...logits);
  const e = logits.map((l) => Math.exp(l - max));
  const z = e.reduce((a, b) => a + b, 0);
  return e.map((x) => x / z);
}
