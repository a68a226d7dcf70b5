// What an ONNX decoder expects and returns, read from the session's input and output metadata.
import { InferenceError } from "../port.ts";
import type { ArchitectureConfig } from "./model-config.ts";

/** The part of onnxruntime's per-input metadata we read (kept structural, so this file needs no ort import). */
export interface IoMetadata {
  name: string;
  isTensor?: boolean;
  type?: string;
  shape?: readonly (number | string)[];
}

export type KvType = "float32" | "float16";

export interface SessionLayout {
  hasAttentionMask: boolean;
  hasPositionIds: boolean;
  hasTokenTypeIds: boolean;
  /** Merged decoders choose the with-past branch through this boolean input. */
  hasUseCacheBranch: boolean;
  /** Past inputs in layer order, key before value; empty when the export has no KV cache. */
  pastNames: string[];
  /** The output carrying each past input's updated value, same order. */
  presentNames: string[];
  kvType: KvType;
  kvHeads: number;
  headDim: number;
  logitsType: "float32" | "float16";
}

const PAST = /^past_key_values\.(\d+)\.(key|value)$/;

export function readSessionLayout(
  inputs: readonly IoMetadata[],
  outputs: readonly IoMetadata[],
  arch: ArchitectureConfig,
  where: string,
): SessionLayout {
  const inputNames = new Set(inputs.map((i) => i.name));
  const outputNames = new Set(outputs.map((o) => o.name));
  const logits = outputs.find((o) => o.name === "logits");
  if (!inputNames.has("input_ids") || !logits) {
    throw new InferenceError(
      "model_invalid",
      `${where}: this ONNX file is not a causal language model (it needs an input_ids input and a logits output; ` +
        `it has inputs ${[...inputNames].join(", ")} and outputs ${[...outputNames].join(", ")}).`,
    );
  }
  const known = new Set(["input_ids", "attention_mask", "position_ids", "token_type_ids", "use_cache_branch"]);
  const past: { name: string; layer: number; kind: string; meta: IoMetadata }[] = [];
  for (const input of inputs) {
    const match = PAST.exec(input.name);
    if (match) past.push({ name: input.name, layer: Number(match[1]), kind: match[2]!, meta: input });
    else if (!known.has(input.name)) {
      throw new InferenceError("model_invalid", `${where}: the model has an input "${input.name}" this server does not know how to fill.`);
    }
  }
  past.sort((a, b) => a.layer - b.layer || (a.kind === "key" ? -1 : 1));
  if (past.length > 0 && past.length !== arch.numLayers * 2) {
    throw new InferenceError(
      "model_invalid",
      `${where}: the model has ${past.length} past key/value inputs but config.json says ${arch.numLayers} layers.`,
    );
  }
  const presentNames = past.map((p) => p.name.replace("past_key_values.", "present."));
  for (const name of presentNames) {
    if (!outputNames.has(name)) throw new InferenceError("model_invalid", `${where}: the model has no "${name}" output for its KV cache.`);
  }
  const firstPast = past[0]?.meta;
  const shape = firstPast?.shape ?? [];
  const dim = (i: number, fallback: number) => (typeof shape[i] === "number" ? (shape[i] as number) : fallback);
  return {
    hasAttentionMask: inputNames.has("attention_mask"),
    hasPositionIds: inputNames.has("position_ids"),
    hasTokenTypeIds: inputNames.has("token_type_ids"),
    hasUseCacheBranch: inputNames.has("use_cache_branch"),
    pastNames: past.map((p) => p.name),
    presentNames,
    kvType: firstPast?.type === "float16" ? "float16" : "float32",
    kvHeads: dim(1, arch.numKvHeads),
    headDim: dim(3, arch.headDim),
    logitsType: logits.type === "float16" ? "float16" : "float32",
  };
}
