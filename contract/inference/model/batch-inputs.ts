// Packs several sequences into one decoder call: each item's cached past is left-padded to the
// longest past, and its new tokens are left-padded to the longest new segment. The attention mask
// hides both pads and position_ids continue each item's own count, so every item sees exactly
// the tensors it would see alone.

export type KvArray = Float32Array | Uint16Array;

export interface BatchItem {
  /** Cached keys and values for the first `pastLength` tokens, one [heads, pastLength, headDim] array per past input. */
  past: KvArray[] | null;
  pastLength: number;
  newIds: readonly number[];
}

export interface PackedBatch {
  batch: number;
  pastLength: number;
  newLength: number;
  inputIds: BigInt64Array;
  attentionMask: BigInt64Array;
  positionIds: BigInt64Array;
  /** One [batch, heads, pastLength, headDim] array per past input. */
  past: KvArray[];
}

export interface KvShape {
  pastCount: number;
  heads: number;
  headDim: number;
  float16: boolean;
}

/**
 * @param scratch reusable buffers, one per past input, grown as needed: fresh multi-megabyte arrays
 * cost page faults on every call, which at batch 64 took as long as the model step itself.
 */
export function packBatch(items: readonly BatchItem[], kv: KvShape, padId: number, scratch?: KvArray[]): PackedBatch {
  const batch = items.length;
  const pastLength = Math.max(0, ...items.map((i) => i.pastLength));
  const newLength = Math.max(...items.map((i) => i.newIds.length));
  const total = pastLength + newLength;
  const inputIds = new BigInt64Array(batch * newLength).fill(BigInt(padId));
  const attentionMask = new BigInt64Array(batch * total);
  const positionIds = new BigInt64Array(batch * newLength);
  items.forEach((item, b) => {
    const padNew = newLength - item.newIds.length;
    for (let t = pastLength - item.pastLength; t < pastLength; t++) attentionMask[b * total + t] = 1n;
    item.newIds.forEach((id, j) => {
      inputIds[b * newLength + padNew + j] = BigInt(id);
      attentionMask[b * total + pastLength + padNew + j] = 1n;
      positionIds[b * newLength + padNew + j] = BigInt(item.pastLength + j);
    });
  });
  const past: KvArray[] = [];
  const { heads, headDim } = kv;
  for (let k = 0; k < kv.pastCount; k++) {
    const size = batch * heads * pastLength * headDim;
    let packed: KvArray;
    const reusable = scratch?.[k];
    if (scratch && reusable && reusable.length >= size) {
      packed = reusable.subarray(0, size);
      if (items.some((item) => item.pastLength < pastLength)) packed.fill(0);
    } else {
      packed = kv.float16 ? new Uint16Array(size) : new Float32Array(size);
      if (scratch && size > 0) scratch[k] = packed;
    }
    items.forEach((item, b) => {
      const source = item.past?.[k];
      if (!source || item.pastLength === 0) return;
      const shift = pastLength - item.pastLength;
      // Without a pad the item's [heads, past, dim] block is already in place: one copy.
      if (shift === 0) return packed.set(source.subarray(0, heads * pastLength * headDim), b * heads * pastLength * headDim);
      for (let h = 0; h < heads; h++) {
        const from = h * item.pastLength * headDim;
        const to = ((b * heads + h) * pastLength + shift) * headDim;
        packed.set(source.subarray(from, from + item.pastLength * headDim), to);
      }
    });
    past.push(packed);
  }
  return { batch, pastLength, newLength, inputIds, attentionMask, positionIds, past };
}

/**
 * Takes item `b`'s keys or values out of a [batch, heads, pastLength + newLength, headDim] present
 * tensor, dropping the pad columns, as one [heads, length, headDim] array.
 */
export function unpackPresent(present: KvArray, packed: PackedBatch, item: BatchItem, b: number, kv: KvShape): KvArray {
  const { heads, headDim } = kv;
  const total = packed.pastLength + packed.newLength;
  const length = item.pastLength + item.newIds.length;
  if (packed.batch === 1 && length === total) return present;
  if (length === total) return present.slice(b * heads * total * headDim, (b + 1) * heads * total * headDim);
  const out = kv.float16 ? new Uint16Array(heads * length * headDim) : new Float32Array(heads * length * headDim);
  const pastStart = packed.pastLength - item.pastLength;
  const newStart = packed.pastLength + packed.newLength - item.newIds.length;
  for (let h = 0; h < heads; h++) {
    const row = (b * heads + h) * total;
    const dest = h * length * headDim;
    out.set(present.subarray((row + pastStart) * headDim, (row + packed.pastLength) * headDim), dest);
    out.set(present.subarray((row + newStart) * headDim, (row + total) * headDim), dest + item.pastLength * headDim);
  }
  return out;
}

/** IEEE half-precision bits to a number, for float16 logits. */
export function halfToFloat(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 31) return fraction ? NaN : sign * Infinity;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}
