// The inputs of one forward pass and the logits out of it, for any onnxruntime build: the inference
// worker (onnxruntime-node) and the browser explorer (onnxruntime-web) pass their own Tensor class,
// so both run the model exactly the same way.
import { halfToFloat, type packBatch } from "./batch-inputs.ts";
import type { SessionLayout } from "./session-layout.ts";

export type MakeTensor<T> = (type: "int64" | "bool" | "float32" | "float16", data: BigInt64Array | Uint8Array | Float32Array | Uint16Array, dims: number[]) => T;

export function modelFeeds<T>(packed: ReturnType<typeof packBatch>, layout: SessionLayout, tensor: MakeTensor<T>): Record<string, T> {
  const { batch, pastLength, newLength } = packed;
  const feeds: Record<string, T> = { input_ids: tensor("int64", packed.inputIds, [batch, newLength]) };
  if (layout.hasAttentionMask) feeds.attention_mask = tensor("int64", packed.attentionMask, [batch, pastLength + newLength]);
  if (layout.hasPositionIds) feeds.position_ids = tensor("int64", packed.positionIds, [batch, newLength]);
  if (layout.hasTokenTypeIds) feeds.token_type_ids = tensor("int64", new BigInt64Array(batch * newLength), [batch, newLength]);
  if (layout.hasUseCacheBranch) feeds.use_cache_branch = tensor("bool", Uint8Array.from([pastLength > 0 ? 1 : 0]), [1]);
  const dims = [batch, layout.kvHeads, pastLength, layout.headDim];
  layout.pastNames.forEach((name, k) => {
    feeds[name] = tensor(layout.kvType, packed.past[k]!, dims);
  });
  return feeds;
}

/** One row of logits as float32, from a float32 or float16 output. */
export function logitsRow(data: Float32Array | Uint16Array, type: SessionLayout["logitsType"], offset: number, vocab: number): Float32Array {
  if (type === "float32") return (data as Float32Array).slice(offset, offset + vocab);
  const row = new Float32Array(vocab);
  for (let i = 0; i < vocab; i++) row[i] = halfToFloat((data as Uint16Array)[offset + i]!);
  return row;
}
