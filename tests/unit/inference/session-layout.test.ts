import { describe, expect, it } from "vitest";
import { readArchitecture } from "../../../contract/inference/model/model-config.ts";
import { readSessionLayout, type IoMetadata } from "../../../contract/inference/model/session-layout.ts";

const llama = { num_hidden_layers: 2, num_attention_heads: 8, num_key_value_heads: 4, hidden_size: 64, max_position_embeddings: 512 };

function pastInputs(layers: number, type = "float32"): IoMetadata[] {
  return Array.from({ length: layers }, (_, l) =>
    (["key", "value"] as const).map((k) => ({ name: `past_key_values.${l}.${k}`, type, shape: ["batch_size", 4, "past", 8] })),
  ).flat();
}

const presents = (layers: number) =>
  Array.from({ length: layers }, (_, l) => [{ name: `present.${l}.key` }, { name: `present.${l}.value` }]).flat();

describe("architecture from config.json", () => {
  it("reads Llama-style names and derives the head size", () => {
    const arch = readArchitecture(llama, "m");
    expect(arch).toMatchObject({ numLayers: 2, numKvHeads: 4, headDim: 8, contextLength: 512 });
  });

  it("reads GPT-2 names, where KV heads equal attention heads", () => {
    const arch = readArchitecture({ n_layer: 12, n_head: 12, n_embd: 768, n_positions: 1024, model_type: "gpt2" }, "m");
    expect(arch).toMatchObject({ numLayers: 12, numKvHeads: 12, headDim: 64, contextLength: 1024 });
  });

  it("rejects a config without layer counts", () => {
    expect(() => readArchitecture({ hidden_size: 4 }, "m")).toThrow(/num_hidden_layers/);
  });
});

describe("session layout", () => {
  const arch = readArchitecture(llama, "m");
  const base = [{ name: "input_ids" }, { name: "attention_mask" }];

  it("finds past inputs in layer order and their present outputs", () => {
    const layout = readSessionLayout([...base, ...pastInputs(2).reverse()], [{ name: "logits" }, ...presents(2)], arch, "m");
    expect(layout.pastNames).toEqual(["past_key_values.0.key", "past_key_values.0.value", "past_key_values.1.key", "past_key_values.1.value"]);
    expect(layout.presentNames[0]).toBe("present.0.key");
    expect(layout.hasPositionIds).toBe(false);
    expect(layout.kvHeads).toBe(4);
  });

  it("notices merged decoders and float16 caches", () => {
    const layout = readSessionLayout([...base, { name: "use_cache_branch" }, ...pastInputs(2, "float16")], [{ name: "logits" }, ...presents(2)], arch, "m");
    expect(layout.hasUseCacheBranch).toBe(true);
    expect(layout.kvType).toBe("float16");
  });

  it("rejects a graph that is not a causal LM", () => {
    expect(() => readSessionLayout([{ name: "pixel_values" }], [{ name: "embeddings" }], arch, "m")).toThrow(/not a causal language model/);
  });

  it("rejects a past count that disagrees with config.json", () => {
    expect(() => readSessionLayout([...base, ...pastInputs(1)], [{ name: "logits" }, ...presents(1)], arch, "m")).toThrow(/2 layers/);
  });
});
