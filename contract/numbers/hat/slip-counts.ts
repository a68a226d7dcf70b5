// Turning probabilities into whole slips: p × N rounded by largest remainder, so the counts are
// as close to the probabilities as whole numbers allow and always add up to exactly N.

/** The hat of the lesson: 10,000 slips of paper. */
export const HAT_SLIPS = 10_000;
/** The phone draws 100 slips; the numbers beside them are out of HAT_SLIPS. */
export const VISUAL_SLIPS = 100;

const BUCKETS = 1024;

/**
 * Largest-remainder (Hamilton) apportionment of `total` slips over `weights` (any non-negative
 * scale). Every entry first gets floor(share); the slips left over go one each to the largest
 * fractional parts. Ties go to the larger weight, then the earlier index, so the result is stable.
 * Runs in linear time: remainders are bucketed, and only the bucket at the boundary is sorted (a
 * hat covers a whole vocabulary, for every student, every time the dial moves).
 */
export function largestRemainder(weights: ArrayLike<number>, total: number): number[] {
  return Array.from(apportion(weights, total));
}

/** largestRemainder into a typed array, for callers that apportion whole vocabularies. */
export function apportion(weights: ArrayLike<number>, total: number): Int32Array {
  if (!Number.isInteger(total) || total < 0) throw new RangeError(`total must be a whole number ≥ 0 (got ${total})`);
  const n = weights.length;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const w = weights[i]!;
    if (!(w >= 0) || !Number.isFinite(w)) throw new RangeError(`weights must be finite and ≥ 0 (weight ${i} is ${w})`);
    sum += w;
  }
  const counts = new Int32Array(n);
  if (n === 0 || total === 0) return counts;
  if (sum === 0) throw new RangeError("weights must not all be zero");
  const scale = total / sum;
  const perBucket = new Int32Array(BUCKETS);
  let given = 0;
  // Remainders are recomputed in the second pass rather than stored: one less vocabulary-sized array.
  for (let i = 0; i < n; i++) {
    const exact = weights[i]! * scale;
    const whole = Math.floor(exact);
    counts[i] = whole;
    given += whole;
    const r = exact - whole;
    if (r > 0) perBucket[Math.min(BUCKETS - 1, Math.floor(r * BUCKETS))]! += 1;
  }
  let left = total - given;
  if (left <= 0) return counts;
  // Every remainder in a bucket above the boundary wins a slip; the boundary bucket is sorted.
  let boundary = BUCKETS - 1;
  let above = 0;
  while (boundary >= 0 && above + perBucket[boundary]! < left) above += perBucket[boundary--]!;
  const contested: number[] = [];
  const contestedR: number[] = [];
  for (let i = 0; i < n; i++) {
    const exact = weights[i]! * scale;
    const r = exact - Math.floor(exact);
    if (r <= 0) continue;
    const b = Math.min(BUCKETS - 1, Math.floor(r * BUCKETS));
    if (b > boundary) {
      counts[i]! += 1;
      left -= 1;
    } else if (b === boundary) {
      contested.push(i);
      contestedR[i] = r;
    }
  }
  contested.sort((a, b) => contestedR[b]! - contestedR[a]! || weights[b]! - weights[a]! || a - b);
  for (const i of contested) {
    if (left === 0) break;
    counts[i]! += 1;
    left -= 1;
  }
  // Float error can leave a slip unplaced when every remainder rounds to 0; hand it out in order.
  for (let i = 0; left > 0; i = (i + 1) % n) {
    if (weights[i]! > 0) {
      counts[i]! += 1;
      left -= 1;
    }
  }
  return counts;
}
