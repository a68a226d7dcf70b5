// Softmax, entropy and top/bottom selection over a whole vocabulary, in float64.
// Shared by the worker (real logits) and the fake (fixed logits), so both report the same numbers.

/** Softmax of logits / temperature, computed in float64 with the max subtracted for stability. */
export function softmax(logits: ArrayLike<number>, temperature = 1): Float64Array {
  const n = logits.length;
  const out = new Float64Array(n);
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = logits[i]!;
    if (v > max) max = v;
  }
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const e = Math.exp((logits[i]! - max) / temperature);
    out[i] = e;
    sum += e;
  }
  for (let i = 0; i < n; i++) out[i]! /= sum;
  return out;
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
  return selectIds(probs, k, (a, b) => probs[b]! - probs[a]! || a - b);
}

/** The k least likely ids, least likely first. */
export function bottomIds(probs: ArrayLike<number>, k: number): number[] {
  return selectIds(probs, k, (a, b) => probs[a]! - probs[b]! || a - b);
}

function selectIds(probs: ArrayLike<number>, k: number, order: (a: number, b: number) => number): number[] {
  const n = probs.length;
  const take = Math.max(0, Math.min(k, n));
  if (take === 0) return [];
  if (take * 8 >= n) {
    const all = Array.from({ length: n }, (_, i) => i);
    all.sort(order);
    return all.slice(0, take);
  }
  // Keep a sorted buffer of the best `take`; a new id enters only if it beats the worst kept.
  const kept: number[] = [];
  for (let i = 0; i < n; i++) {
    if (kept.length === take && order(i, kept[take - 1]!) >= 0) continue;
    let lo = 0;
    let hi = kept.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (order(kept[mid]!, i) <= 0) lo = mid + 1;
      else hi = mid;
    }
    kept.splice(lo, 0, i);
    if (kept.length > take) kept.pop();
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
