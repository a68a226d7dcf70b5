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
  const n = values.length;
  if (!LITTLE_ENDIAN || n > INDEX_MASK) return comparatorOrder(values, keep);
  // Counted first, so a small selection from a large vocabulary allocates only what it keeps.
  let size = 0;
  for (let i = 0; i < n; i++) if (keep(i)) size++;
  const keys = new Float64Array(size);
  const words = new Uint32Array(keys.buffer);
  let m = 0;
  for (let i = 0; i < n && m < size; i++) {
    if (!keep(i)) continue;
    keys[m] = values[i]!;
    // The low word of a little-endian float64 is its least significant mantissa bits; a larger
    // packed number means a smaller index, so ties come out in index order when read back descending.
    words[2 * m] = ((words[2 * m]! & ~INDEX_MASK) | (INDEX_MASK - i)) >>> 0;
    m++;
  }
  keys.sort();
  const order = new Int32Array(m);
  for (let j = 0; j < m; j++) order[j] = INDEX_MASK - (words[2 * (m - 1 - j)]! & INDEX_MASK);
  return order;
}

function comparatorOrder(values: ArrayLike<number>, keep: (index: number) => boolean): Int32Array {
  const ids: number[] = [];
  for (let i = 0; i < values.length; i++) if (keep(i)) ids.push(i);
  ids.sort((a, b) => values[b]! - values[a]! || a - b);
  return Int32Array.from(ids);
}
