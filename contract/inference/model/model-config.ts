// The architecture numbers the KV cache needs, read from a Hugging Face config.json.
import { InferenceError } from "../port.ts";

export interface ArchitectureConfig {
  modelType: string;
  numLayers: number;
  numHeads: number;
  numKvHeads: number;
  headDim: number;
  vocabSize: number | null;
  contextLength: number | null;
  bosTokenId: number | null;
  eosTokenId: number | null;
  padTokenId: number | null;
}

type Json = Record<string, unknown>;

function firstNumber(config: Json, keys: string[]): number | null {
  for (const key of keys) {
    const value = config[key];
    if (typeof value === "number" && Number.isFinite(value)) return value;
  }
  return null;
}

function firstTokenId(value: unknown): number | null {
  if (typeof value === "number") return value;
  if (Array.isArray(value) && typeof value[0] === "number") return value[0];
  return null;
}

export function readArchitecture(raw: unknown, where: string): ArchitectureConfig {
  if (typeof raw !== "object" || raw === null) {
    throw new InferenceError("model_invalid", `${where}: config.json is not a JSON object.`);
  }
  // Multimodal exports nest the language model's numbers under text_config.
  const top = raw as Json;
  const config = typeof top.text_config === "object" && top.text_config !== null ? { ...top, ...(top.text_config as Json) } : top;
  const numLayers = firstNumber(config, ["num_hidden_layers", "n_layer", "num_layers"]);
  const numHeads = firstNumber(config, ["num_attention_heads", "n_head", "num_heads"]);
  const hidden = firstNumber(config, ["hidden_size", "n_embd", "d_model"]);
  if (numLayers === null || numHeads === null) {
    throw new InferenceError("model_invalid", `${where}: config.json lacks num_hidden_layers or num_attention_heads.`);
  }
  const multiQuery = config.multi_query === true;
  const numKvHeads = firstNumber(config, ["num_key_value_heads", "n_head_kv"]) ?? (multiQuery ? 1 : numHeads);
  const headDim = firstNumber(config, ["head_dim"]) ?? (hidden !== null ? hidden / numHeads : null);
  if (headDim === null || !Number.isInteger(headDim)) {
    throw new InferenceError("model_invalid", `${where}: cannot tell the attention head size from config.json.`);
  }
  return {
    modelType: typeof config.model_type === "string" ? config.model_type : "unknown",
    numLayers,
    numHeads,
    numKvHeads,
    headDim,
    vocabSize: firstNumber(config, ["vocab_size"]),
    contextLength: firstNumber(config, ["max_position_embeddings", "n_positions", "n_ctx", "max_sequence_length", "seq_length"]),
    bosTokenId: firstTokenId(config.bos_token_id),
    eosTokenId: firstTokenId(config.eos_token_id),
    padTokenId: firstTokenId(config.pad_token_id),
  };
}
