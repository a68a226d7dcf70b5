// The worker against the real stories260K model: numbers checked against transformers.js (an
// independent implementation reading the same files), the KV cache, batching and sampling.
import { AutoModelForCausalLM, AutoTokenizer, env, type PreTrainedModel, type PreTrainedTokenizer, type Tensor } from "@huggingface/transformers";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { softmax } from "../../../contract/numbers/distribution-math.ts";
import { WorkerInference } from "../../../server/inference/worker-client.ts";
import { maxAbsDiff, memoryLogger, storiesPath } from "./model-fixture.ts";

const PROMPTS = ["Once upon a time", "Lily went to the park with her mom. She saw a big", "The cat", "One day, a little boy named Tim found a shiny red ball in the garden and"];

function client(kvCacheBytes = 64 * 1024 * 1024): WorkerInference {
  return new WorkerInference({
    models: [{ id: "stories", name: "Stories 260K", kind: "base", path: storiesPath }],
    defaultModel: "stories",
    providers: ["cpu"],
    timeoutMs: 60_000,
    logger: memoryLogger(),
    kvCacheBytes,
  });
}

describe("real model (stories260K)", () => {
  let cached: WorkerInference;
  let uncached: WorkerInference;
  let reference: { tokenizer: PreTrainedTokenizer; model: PreTrainedModel };

  beforeAll(async () => {
    cached = client();
    uncached = client(0);
    env.allowRemoteModels = false;
    env.localModelPath = path.dirname(storiesPath);
    const name = path.basename(storiesPath);
    reference = {
      tokenizer: await AutoTokenizer.from_pretrained(name),
      model: await AutoModelForCausalLM.from_pretrained(name, { dtype: "fp32", device: "cpu" }),
    };
  });

  afterAll(async () => {
    await Promise.all([cached?.close(), uncached?.close(), reference?.model.dispose()]);
  });

  it("reports the loaded model, its hash and the CPU provider", async () => {
    await cached.tokenize("warm up");
    const status = cached.status();
    expect(status).toMatchObject({ state: "ready", provider: "cpu", defaultModel: "stories", restarts: 0 });
    expect(status.models[0]).toMatchObject({ id: "stories", vocabSize: 512, contextLength: 512, hasChatTemplate: false });
    expect(status.models[0]!.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it("tokenizes like transformers.js, with readable token texts", async () => {
    for (const prompt of PROMPTS) {
      const ours = await cached.tokenize(prompt);
      const theirs = reference.tokenizer.encode(prompt);
      expect(ours.map((t) => t.id)).toEqual(theirs);
    }
    const tokens = await cached.tokenize("Once upon a time");
    expect(tokens.map((t) => t.text)).toEqual(["<s>", " Once", " upon", " a", " time"]);
    expect(tokens[0]!.special).toBe(true);
  });

  it("gives the same next-token distribution as a transformers.js forward pass (within 1e-4)", async () => {
    for (const prompt of PROMPTS) {
      const ours = await cached.distribution(prompt, { includeProbs: true });
      const inputs = reference.tokenizer(prompt);
      const output = (await reference.model(inputs)) as { logits: Tensor };
      const [, seq, vocab] = output.logits.dims as [number, number, number];
      const last = (output.logits.data as Float32Array).slice((seq - 1) * vocab, seq * vocab);
      expect(maxAbsDiff(ours.probs!, softmax(last))).toBeLessThan(1e-4);
      expect(ours.probs!.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
    }
  });

  it("extending a cached prefix by one token equals recomputing it from scratch", async () => {
    const ids = (await cached.tokenize(PROMPTS[3]!)).map((t) => t.id);
    for (let n = 2; n <= ids.length; n++) await cached.distribution({ ids: ids.slice(0, n) }, { topK: 1 });
    for (const n of [5, ids.length]) {
      const incremental = await cached.distribution({ ids: [...ids.slice(0, n), 300] }, { includeProbs: true });
      const full = await uncached.distribution({ ids: [...ids.slice(0, n), 300] }, { includeProbs: true });
      expect(maxAbsDiff(incremental.probs!, full.probs!)).toBeLessThan(1e-5);
    }
  });

  it("extending a cached prefix by one token feeds the model exactly one token; repeating it feeds none", async () => {
    const ids = (await cached.tokenize("Tim and his dog ran to the big tree near the river, and they")).map((t) => t.id);
    await cached.distribution({ ids });
    const before = (await cached.stats())[0]!;
    await cached.distribution({ ids: [...ids, 300] });
    const extended = (await cached.stats())[0]!;
    expect(extended.tokensComputed - before.tokensComputed).toBe(1);
    expect(extended.forwardCalls - before.forwardCalls).toBe(1);
    await cached.distribution({ ids: [...ids, 300] });
    const repeated = (await cached.stats())[0]!;
    expect(repeated.tokensComputed).toBe(extended.tokensComputed);
    expect(repeated.exactHits - extended.exactHits).toBe(1);
  });

  it("concurrent requests share forward passes", async () => {
    const before = (await uncached.stats())[0]!;
    const prompts = Array.from({ length: 16 }, (_, i) => ({ ids: [1, 300 + i, 400 + (i % 7)] }));
    await Promise.all(prompts.map((p) => uncached.distribution(p)));
    const after = (await uncached.stats())[0]!;
    expect(after.sequences - before.sequences).toBe(16);
    // All 16 are sent in one tick; they may reach the worker in a few reads, never one by one.
    expect(after.forwardCalls - before.forwardCalls).toBeLessThanOrEqual(8);
  });

  it("a batch of prefixes of different lengths equals each prefix alone (within 1e-5)", async () => {
    const prefixes = [...PROMPTS, "Tom", `${PROMPTS[1]} dog`];
    const batched = await uncached.distributionBatch(prefixes, { includeProbs: true });
    for (const [i, prefix] of prefixes.entries()) {
      const alone = await uncached.distribution(prefix, { includeProbs: true });
      expect(maxAbsDiff(batched[i]!.probs!, alone.probs!)).toBeLessThan(1e-5);
    }
    // A batch mixing cached pasts of different lengths with new prefixes.
    const mixed = await cached.distributionBatch([...prefixes, `${PROMPTS[0]}, there`], { includeProbs: true });
    for (const d of mixed) {
      const alone = await uncached.distribution({ ids: d.prefix.map((t) => t.id) }, { includeProbs: true });
      expect(maxAbsDiff(d.probs!, alone.probs!)).toBeLessThan(1e-5);
    }
  });

  it("concurrent single requests give the same answers as sequential ones", async () => {
    const prompts = Array.from({ length: 12 }, (_, i) => `${PROMPTS[i % PROMPTS.length]} ${["and", "the", "a"][i % 3]}`);
    const together = await Promise.all(prompts.map((p) => uncached.distribution(p, { includeProbs: true })));
    for (const [i, p] of prompts.entries()) {
      const alone = await uncached.distribution(p, { includeProbs: true });
      expect(maxAbsDiff(together[i]!.probs!, alone.probs!)).toBeLessThan(1e-5);
    }
  });

  it("temperature reshapes the distribution as softmax(logits / T)", async () => {
    const plain = await cached.distribution(PROMPTS[1]!, { includeProbs: true });
    const hot = await cached.distribution(PROMPTS[1]!, { includeProbs: true, temperature: 2 });
    const logits = plain.probs!.map((p) => Math.log(p));
    expect(maxAbsDiff(hot.probs!, softmax(logits, 2))).toBeLessThan(1e-9);
    expect(hot.entropyBits).toBeGreaterThan(plain.entropyBits);
  });

  it("reports top, bottom, entropy and the mass outside the top", async () => {
    const d = await cached.distribution(PROMPTS[0]!, { topK: 10, bottomK: 3, includeProbs: true });
    const sorted = [...d.probs!].sort((a, b) => b - a);
    expect(d.top.map((t) => t.p)).toEqual(sorted.slice(0, 10));
    expect(d.bottom.map((t) => t.p)).toEqual(sorted.slice(-3).reverse());
    expect(d.restMass).toBeCloseTo(1 - sorted.slice(0, 10).reduce((a, b) => a + b, 0), 12);
    expect(d.entropyBits).toBeCloseTo(-d.probs!.reduce((h, p) => h + (p > 0 ? p * Math.log2(p) : 0), 0), 9);
  });

  it("samples reproducibly from a seed, in any process", async () => {
    const options = { temperature: 1.2, topP: 0.95, seed: 4242 };
    const a = await cached.sample(PROMPTS[1]!, options);
    const b = await uncached.sample(PROMPTS[1]!, options);
    expect(b.token).toEqual(a.token);
    expect(b.hat.tokens.map((t) => t.id)).toEqual(a.hat.tokens.map((t) => t.id));
    const seeds = await cached.sampleBatch(Array.from({ length: 20 }, (_, seed) => ({ prefix: PROMPTS[1]!, options: { ...options, seed } })));
    expect(new Set(seeds.map((s) => s.token.id)).size).toBeGreaterThan(1);
  });

  it("draws match the reported hat: frequencies over 4,000 seeds within 0.03 of its probabilities", async () => {
    const options = { temperature: 1.5, topK: 8 };
    const draws = await cached.sampleBatch(Array.from({ length: 4000 }, (_, seed) => ({ prefix: PROMPTS[1]!, options: { ...options, seed } })));
    const hat = draws[0]!.hat;
    expect(hat.tokens).toHaveLength(8);
    expect(hat.tokens.reduce((s, t) => s + t.p, 0)).toBeCloseTo(1, 12);
    const counts = new Map<number, number>();
    for (const d of draws) counts.set(d.token.id, (counts.get(d.token.id) ?? 0) + 1);
    // With n = 4,000 a frequency's standard error is at most 0.008; 0.03 is over 3.5 of them.
    for (const t of hat.tokens) expect(Math.abs((counts.get(t.id) ?? 0) / draws.length - t.p)).toBeLessThan(0.03);
    for (const id of counts.keys()) expect(hat.tokens.some((t) => t.id === id)).toBe(true);
    // The cut mass is what top-k removed from the tempered distribution.
    const tempered = await cached.distribution(PROMPTS[1]!, { temperature: 1.5, topK: 8 });
    expect(hat.cutMass).toBeCloseTo(tempered.restMass, 9);
  });

  it("scores text by the chain rule, each token's p matching the distribution before it", async () => {
    const text = "Once upon a time, there was a little girl.";
    const score = await cached.score(text);
    const ids = (await cached.tokenize(text)).map((t) => t.id);
    expect(score.tokens.map((t) => t.id)).toEqual(ids.slice(1));
    let sum = 0;
    for (const [i, token] of score.tokens.entries()) {
      const before = await uncached.distribution({ ids: ids.slice(0, i + 1) }, { includeProbs: true });
      expect(Math.abs(before.probs![token.id]! - token.p)).toBeLessThan(1e-5);
      expect(token.surprisalBits).toBeCloseTo(-Math.log2(token.p), 12);
      sum += Math.log2(token.p);
    }
    expect(score.log2Prob).toBeCloseTo(sum, 9);
    expect(score.perplexity).toBeCloseTo(2 ** (-sum / score.tokens.length), 9);
  });

  it("scores only the continuation of a prompt", async () => {
    const score = await cached.score(" there was a cat.", { prompt: "Once upon a time," });
    expect(score.tokens.map((t) => t.text).join("")).toBe(" there was a cat.");
  });
});
