import { describe, expect, it } from "vitest";
import { halfToFloat, packBatch, unpackPresent, type BatchItem } from "../../../contract/inference/model/batch-inputs.ts";

const kv = { pastCount: 1, heads: 2, headDim: 1, float16: false };

/** [heads, length, 1] with value head*100 + position, so every slot is recognizable. */
function pastOf(length: number): Float32Array {
  return Float32Array.from({ length: 2 * length }, (_, i) => Math.floor(i / length) * 100 + (i % length));
}

describe("packing a batch with left padding", () => {
  const items: BatchItem[] = [
    { past: [pastOf(3)], pastLength: 3, newIds: [7] },
    { past: null, pastLength: 0, newIds: [5, 6] },
  ];
  const packed = packBatch(items, kv, 0);

  it("pads past and new tokens on the left and masks the pads", () => {
    expect(packed.pastLength).toBe(3);
    expect(packed.newLength).toBe(2);
    expect(Array.from(packed.inputIds, Number)).toEqual([0, 7, 5, 6]);
    expect(Array.from(packed.attentionMask, Number)).toEqual([1, 1, 1, 0, 1, 0, 0, 0, 1, 1]);
  });

  it("continues each item's own positions", () => {
    expect(Array.from(packed.positionIds, Number)).toEqual([0, 3, 0, 1]);
  });

  it("places each cached past at the right end of its slot", () => {
    // [batch 2, heads 2, past 3, dim 1]
    expect(Array.from(packed.past[0]!)).toEqual([0, 1, 2, 100, 101, 102, 0, 0, 0, 0, 0, 0]);
  });

  it("takes an item's keys back out without the pad columns", () => {
    // A present tensor [2, 2, 5, 1] whose value encodes (batch, head, column).
    const present = Float32Array.from({ length: 20 }, (_, i) => i);
    expect(Array.from(unpackPresent(present, packed, items[0]!, 0, kv))).toEqual([0, 1, 2, 4, 5, 6, 7, 9]);
    expect(Array.from(unpackPresent(present, packed, items[1]!, 1, kv))).toEqual([13, 14, 18, 19]);
  });
});

describe("reusing past buffers between calls", () => {
  it("clears stale values where a later batch has padding", () => {
    const scratch: Float32Array[] = [];
    const full = packBatch([{ past: [pastOf(3)], pastLength: 3, newIds: [1] }, { past: [pastOf(3)], pastLength: 3, newIds: [1] }], kv, 0, scratch);
    expect(full.past[0]!.buffer).toBe(scratch[0]!.buffer);
    const padded = packBatch([{ past: [pastOf(3)], pastLength: 3, newIds: [1] }, { past: [pastOf(1)], pastLength: 1, newIds: [1] }], kv, 0, scratch);
    expect(padded.past[0]!.buffer).toBe(scratch[0]!.buffer);
    expect(Array.from(padded.past[0]!)).toEqual([0, 1, 2, 100, 101, 102, 0, 0, 0, 0, 0, 100]);
  });
});

describe("half-precision logits", () => {
  it.each([
    [0x3c00, 1],
    [0xc000, -2],
    [0x0000, 0],
    [0x7bff, 65504],
    [0x0001, 2 ** -24],
  ])("decode %s", (bits, value) => {
    expect(halfToFloat(bits)).toBe(value);
  });
});
