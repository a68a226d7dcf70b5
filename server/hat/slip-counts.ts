// Turning probabilities into whole slips: p × N rounded by largest remainder, so the counts are
// as close to the probabilities as whole numbers allow and always add up to exactly N.
import { descendingOrder } from "./descending-order.ts";

/** The hat of the lesson: 10,000 slips of paper. */
export const HAT_SLIPS = 10_000;
/** The phone draws 100 slips; the numbers beside them are out of HAT_SLIPS. */
export const VISUAL_SLIPS = 100;

/**
 * Largest-remainder (Hamilton) apportionment of `total` slips over `weights` (any non-negative
 * scale). Every entry first gets floor(share); the slips left over go one each to the largest
 * fractional parts. Ties (to 1 part in 2^32) go to the earlier index, so the result is stable; hats
 * list tokens most likely first, so there the earlier index is also the larger weight.
 */
export function largestRemainder(weights: ArrayLike<number>, total: number): number[] {
  if (!Number.isInteger(total) || total < 0) throw new RangeError(`total must be a whole number ≥ 0 (got ${total})`);
  const n = weights.length;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const w = weights[i]!;
    if (!(w >= 0) || !Number.isFinite(w)) throw new RangeError(`weights must be finite and ≥ 0 (weight ${i} is ${w})`);
    sum += w;
  }
  const counts = new Array<number>(n).fill(0);
  if (n === 0 || total === 0) return counts;
  if (sum === 0) throw new RangeError("weights must not all be zero");
  const remainders = new Float64Array(n);
  let given = 0;
  for (let i = 0; i < n; i++) {
    const exact = (weights[i]! / sum) * total;
    const whole = Math.floor(exact);
    counts[i] = whole;
    remainders[i] = exact - whole;
    given += whole;
  }
  let left = total - given;
  if (left <= 0) return counts;
  // Only entries with a remainder compete for the leftovers; a native sort keeps this fast.
  const candidates = descendingOrder(remainders, (i) => remainders[i]! > 0);
  for (const i of candidates) {
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
