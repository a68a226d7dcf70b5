// Export layouts other than stories260K's: GPT-2-style decoders without position_ids (positions
// counted from the past length inside the graph), plain and merged (use_cache_branch). The
// fixtures are random-weight models built by fixtures/make_tiny_gpt2.py.
import { AutoModelForCausalLM, AutoTokenizer, env, type PreTrainedModel, type PreTrainedTokenizer, type Tensor } from "@huggingface/transformers";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { softmax } from "../../../contract/numbers/distribution-math.ts";
import { WorkerInference } from "../../../server/inference/worker-client.ts";
import { maxAbsDiff, memoryLogger } from "./model-fixture.ts";

const fixtures = path.join(path.dirname(new URL(import.meta.url).pathname), "fixtures");
const MODELS = ["tiny-gpt2", "tiny-gpt2-merged"] as const;
const PROMPTS = ["the cat sat", "and then she ran to the sea.", "Hi", "a big red hat and a small cat sat on the mat"];

function client(kvCacheBytes: number): WorkerInference {
  return new WorkerInference({
    models: MODELS.map((id) => ({ id, name: id, kind: "base" as const, path: path.join(fixtures, id) })),
    defaultModel: MODELS[0],
    providers: ["cpu"],
    timeoutMs: 60_000,
    logger: memoryLogger(),
    kvCacheBytes,
  });
}

describe.each(MODELS)("decoder layout %s", (model) => {
  let cached: WorkerInference;
  let uncached: WorkerInference;
  let reference: { tokenizer: PreTrainedTokenizer; model: PreTrainedModel };

  beforeAll(async () => {
    cached = client(64 * 1024 * 1024);
    uncached = client(0);
    env.allowRemoteModels = false;
    env.localModelPath = fixtures;
    reference = {
      tokenizer: await AutoTokenizer.from_pretrained(model),
      model: await AutoModelForCausalLM.from_pretrained(model, { dtype: "fp32", device: "cpu" }),
    };
  });

  afterAll(async () => {
    await Promise.all([cached?.close(), uncached?.close(), reference?.model.dispose()]);
  });

  it("matches a transformers.js forward pass (within 1e-4)", async () => {
    for (const prompt of PROMPTS) {
      const ours = await cached.distribution(prompt, { model, includeProbs: true });
      const inputs = reference.tokenizer(prompt);
      expect(ours.prefix.map((t) => t.id)).toEqual(reference.tokenizer.encode(prompt));
      const output = (await reference.model(inputs)) as { logits: Tensor };
      const [, seq, vocab] = output.logits.dims as [number, number, number];
      const last = (output.logits.data as Float32Array).slice((seq - 1) * vocab, seq * vocab);
      expect(maxAbsDiff(ours.probs!, softmax(last))).toBeLessThan(1e-4);
    }
  });

  it("extends a cached prefix exactly like a full recompute", async () => {
    const ids = (await cached.tokenize(PROMPTS[3]!, { model })).map((t) => t.id);
    for (let n = 1; n <= ids.length; n++) await cached.distribution({ ids: ids.slice(0, n) }, { model, topK: 1 });
    const before = (await cached.stats()).find((s) => s.model === model)!;
    const extended = await cached.distribution({ ids: [...ids, 5] }, { model, includeProbs: true });
    const after = (await cached.stats()).find((s) => s.model === model)!;
    expect(after.tokensComputed - before.tokensComputed).toBe(1);
    const full = await uncached.distribution({ ids: [...ids, 5] }, { model, includeProbs: true });
    expect(maxAbsDiff(extended.probs!, full.probs!)).toBeLessThan(1e-5);
  });

  it("batches prefixes of different lengths correctly without position_ids (same shapes share a call)", async () => {
    const prefixes = [...PROMPTS, "the dog", "the cow"];
    const before = (await uncached.stats()).find((s) => s.model === model)!;
    const batched = await uncached.distributionBatch(prefixes, { model, includeProbs: true });
    const after = (await uncached.stats()).find((s) => s.model === model)!;
    const shapes = new Set(batched.map((d) => d.prefix.length));
    expect(after.forwardCalls - before.forwardCalls).toBe(shapes.size);
    for (const [i, prefix] of prefixes.entries()) {
      const alone = await uncached.distribution(prefix, { model, includeProbs: true });
      expect(maxAbsDiff(batched[i]!.probs!, alone.probs!)).toBeLessThan(1e-5);
    }
  });

  it("scores the first token from the BOS the model defines", async () => {
    const score = await cached.score("the cat", { model });
    const ids = (await cached.tokenize("the cat", { model })).map((t) => t.id);
    expect(score.tokens.map((t) => t.id)).toEqual(ids);
    const first = await uncached.distribution({ ids: [0] }, { model, includeProbs: true });
    expect(Math.abs(first.probs![ids[0]!]! - score.tokens[0]!.p)).toBeLessThan(1e-5);
  });
});
