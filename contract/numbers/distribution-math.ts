// Softmax, entropy and top/bottom selection over a whole vocabulary, in float64.
// Shared by the worker (real logits) and the fake (fixed logits), so both report the same numbers.

/** Softmax of logits / temperature, computed in float64 with the max subtracted for stability. */
export function softmax(logits: ArrayLike<number>, temperature = 1): Float64Array {
  return softmaxWithEntropy(logits, temperature).probs;
}

/**
 * Softmax and its entropy in one pass. With z = (logit - max) / T and Z = sum(exp z), the entropy
 * is ln Z - sum(p z) nats, which spares a logarithm per vocabulary entry.
 */
export function softmaxWithEntropy(logits: ArrayLike<number>, temperature = 1): { probs: Float64Array; entropyBits: number } {
  const n = logits.length;
  const probs = new Float64Array(n);
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = logits[i]!;
    if (v > max) max = v;
  }
  let sum = 0;
  let weighted = 0;
  for (let i = 0; i < n; i++) {
    const z = (logits[i]! - max) / temperature;
    const e = Math.exp(z);
    probs[i] = e;
    sum += e;
    if (e > 0) weighted += e * z;
  }
  for (let i = 0; i < n; i++) probs[i]! /= sum;
  const entropyNats = Math.log(sum) - weighted / sum;
  return { probs, entropyBits: Math.max(0, entropyNats / Math.LN2) };
}

/** Shannon entropy in bits; zero-probability tokens contribute nothing. */
export function entropyBits(probs: ArrayLike<number>): number {
  let h = 0;
  for (let i = 0; i < probs.length; i++) {
    const p = probs[i]!;
    if (p > 0) h -= p * Math.log2(p);
  }
  return h;
}

/** Ids ordered by probability, most likely first; ties broken by the smaller id so order is stable. */
export function idsByProbability(probs: ArrayLike<number>): number[] {
  const ids = Array.from({ length: probs.length }, (_, i) => i);
  ids.sort((a, b) => probs[b]! - probs[a]! || a - b);
  return ids;
}

/** The k most likely ids (descending) without sorting the whole vocabulary when k is small. */
export function topIds(probs: ArrayLike<number>, k: number): number[] {
  return selectIds(probs, k, true);
}

/** The k least likely ids, least likely first. */
export function bottomIds(probs: ArrayLike<number>, k: number): number[] {
  return selectIds(probs, k, false);
}

function selectIds(probs: ArrayLike<number>, k: number, most: boolean): number[] {
  const n = probs.length;
  const take = Math.max(0, Math.min(k, n));
  if (take === 0) return [];
  const sign = most ? 1 : -1;
  if (take * 8 >= n) {
    const all = Array.from({ length: n }, (_, i) => i);
    all.sort((a, b) => sign * (probs[b]! - probs[a]!) || a - b);
    return all.slice(0, take);
  }
  // A sorted buffer of the best `take`. Ids arrive in increasing order, so on a tie the newcomer
  // loses (the smaller id ranks first) and a plain comparison with the worst kept value suffices.
  const kept: number[] = [];
  let worst = most ? -Infinity : Infinity;
  for (let i = 0; i < n; i++) {
    const p = probs[i]!;
    if (kept.length === take && sign * (p - worst) <= 0) continue;
    let at = kept.length;
    while (at > 0 && sign * (p - probs[kept[at - 1]!]!) > 0) at--;
    kept.splice(at, 0, i);
    if (kept.length > take) kept.pop();
    worst = probs[kept[kept.length - 1]!]!;
  }
  return kept;
}

/** Sum of probabilities, compensated so the mass of a large vocabulary adds up exactly. */
export function massOf(probs: ArrayLike<number>, ids: readonly number[]): number {
  let sum = 0;
  let c = 0;
  for (const id of ids) {
    const y = probs[id]! - c;
    const t = sum + y;
    c = t - sum - y;
    sum = t;
  }
  return sum;
}
