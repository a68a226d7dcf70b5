// Ordering a whole vocabulary by probability, fast. A comparator sort of 6,000–150,000 entries per
// student per blank is the slowest part of building hats; instead each value's index is packed into
// the low bits of its float64 and the typed array is sorted natively (no callback per comparison).
import { endianness } from "node:os";

const INDEX_BITS = 20;
const INDEX_MASK = (1 << INDEX_BITS) - 1;
const LITTLE_ENDIAN = endianness() === "LE";

/**
 * Indices of the entries that `keep` accepts, ordered by value, largest first. Values must be
 * finite and ≥ 0. Values closer than about 1 part in 2^32 count as equal; equal values keep index
 * order (smaller index first), so the result is deterministic.
 */
export function descendingOrder(values: ArrayLike<number>, keep: (index: number) => boolean = () => true): Int32Array {
  const ids: number[] = [];
  for (let i = 0; i < values.length; i++) if (keep(i)) ids.push(i);
  return orderIds(values, ids);
}

/** `ids` ordered by their values, as descendingOrder does. */
export function orderIds(values: ArrayLike<number>, ids: ArrayLike<number>): Int32Array {
  const m = ids.length;
  if (!LITTLE_ENDIAN || values.length > INDEX_MASK) return comparatorOrder(values, ids);
  const keys = new Float64Array(m);
  const words = new Uint32Array(keys.buffer);
  for (let j = 0; j < m; j++) {
    const i = ids[j]!;
    keys[j] = values[i]!;
    // The low word of a little-endian float64 is its least significant mantissa bits; a larger
    // packed number means a smaller index, so ties come out in index order when read back descending.
    words[2 * j] = ((words[2 * j]! & ~INDEX_MASK) | (INDEX_MASK - i)) >>> 0;
  }
  keys.sort();
  const order = new Int32Array(m);
  for (let j = 0; j < m; j++) order[j] = INDEX_MASK - (words[2 * (m - 1 - j)]! & INDEX_MASK);
  return order;
}

function comparatorOrder(values: ArrayLike<number>, ids: ArrayLike<number>): Int32Array {
  return Int32Array.from(ids).sort((a, b) => values[b]! - values[a]! || a - b);
}

// Buckets for weightedPrefix: 16 per octave below the largest value, by the float's high bits.
const SUB_OCTAVE_BITS = 4;
const BUCKETS = 1024;
const bits = new Float64Array(1);
const bitsHigh = new Uint32Array(bits.buffer, LITTLE_ENDIAN ? 4 : 0, 1);
function highKey(value: number): number {
  bits[0] = value;
  return bitsHigh[0]! >>> (20 - SUB_OCTAVE_BITS);
}

/**
 * Walks entries in descendingOrder's order, each holding `counts[i]` consecutive places, and
 * returns the entry at place `place` plus the first `topN` entries — ordering only the few
 * entries that decide them. Entries are grouped into buckets by magnitude (16 to an octave, a
 * bucket always holding larger values than the next); bucket totals find the bucket that holds
 * the place, and only that bucket and those needed for the top are sorted. Entries with a count
 * of 0 hold no place and are left out.
 */
export function weightedPrefix(values: ArrayLike<number>, counts: ArrayLike<number>, place: number, topN: number): { at: number; top: Int32Array } {
  const n = values.length;
  let maxValue = 0;
  for (let i = 0; i < n; i++) if (counts[i]! > 0 && values[i]! > maxValue) maxValue = values[i]!;
  const maxKey = highKey(maxValue);
  const bucketOf = (i: number) => Math.min(BUCKETS - 1, maxKey - highKey(values[i]!));
  const placesIn = new Float64Array(BUCKETS);
  const sizeOf = new Int32Array(BUCKETS);
  for (let i = 0; i < n; i++) {
    const c = counts[i]!;
    if (c <= 0) continue;
    const b = bucketOf(i);
    placesIn[b]! += c;
    sizeOf[b]! += 1;
  }
  // The bucket holding `place`, the places before it, and the last bucket the top needs.
  let target = -1;
  let before = 0;
  for (let b = 0, cumulative = 0; b < BUCKETS; b++) {
    if (place < cumulative + placesIn[b]!) {
      target = b;
      before = cumulative;
      break;
    }
    cumulative += placesIn[b]!;
  }
  if (target < 0) throw new RangeError(`place ${place} is past the last of the counts`);
  let topLast = -1;
  for (let b = 0, listed = 0; b < BUCKETS && listed < topN; b++) {
    listed += sizeOf[b]!;
    topLast = b;
  }
  const inTarget: number[] = [];
  const inTop: number[] = [];
  for (let i = 0; i < n; i++) {
    if (counts[i]! <= 0) continue;
    const b = bucketOf(i);
    if (b === target) inTarget.push(i);
    if (b <= topLast) inTop.push(i);
  }
  let at = -1;
  let cumulative = before;
  for (const i of orderIds(values, inTarget)) {
    cumulative += counts[i]!;
    if (place < cumulative) {
      at = i;
      break;
    }
  }
  return { at, top: orderIds(values, inTop).subarray(0, topN) };
}
