import { describe, expect, it } from "vitest";
import { FakeInference } from "../../../server/inference/fake.ts";
import { InferenceError } from "../../../contract/inference/port.ts";

describe("fake inference", () => {
  it("reports itself ready with two models", () => {
    const status = new FakeInference().status();
    expect(status.state).toBe("ready");
    expect(status.models.map((m) => m.id)).toEqual(["fake-base", "fake-instruct"]);
    expect(status.models[0]!.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it("tokenizes words with a leading BOS", async () => {
    const tokens = await new FakeInference().tokenize("the cat sat.");
    expect(tokens.map((t) => t.text)).toEqual(["<s>", " the", " cat", " sat", "."]);
    expect(tokens[0]!.special).toBe(true);
  });

  it("gives a real, normalized distribution that is the same every time", async () => {
    const fake = new FakeInference();
    const a = await fake.distribution("the cat", { topK: 3, includeProbs: true });
    const b = await fake.distribution("the cat", { topK: 3, includeProbs: true });
    expect(a).toEqual(b);
    expect(a.probs!.reduce((s, p) => s + p, 0)).toBeCloseTo(1, 12);
    expect(a.restMass).toBeCloseTo(1 - a.top.reduce((s, t) => s + t.p, 0), 12);
    expect(a.top[0]!.p).toBeGreaterThanOrEqual(a.top[1]!.p);
    expect(a.entropyBits).toBeGreaterThan(0);
    expect(a.entropyBits).toBeLessThanOrEqual(Math.log2(a.vocabSize));
  });

  it("samples reproducibly from the seed and draws from its hat", async () => {
    const fake = new FakeInference();
    const a = await fake.sample("the dog", { temperature: 1, topK: 4, seed: 7 });
    const b = await fake.sample("the dog", { temperature: 1, topK: 4, seed: 7 });
    expect(a).toEqual(b);
    expect(a.hat.tokens).toHaveLength(4);
    expect(a.hat.tokens.map((t) => t.id)).toContain(a.token.id);
    expect(a.hat.cutMass).toBeGreaterThan(0);
  });

  it("scores text by the chain rule", async () => {
    const fake = new FakeInference();
    const score = await fake.score("the cat sat");
    const sum = score.tokens.reduce((s, t) => s + Math.log2(t.p), 0);
    expect(score.log2Prob).toBeCloseTo(sum, 12);
    expect(score.perplexity).toBeCloseTo(2 ** (-sum / 3), 12);
    const first = await fake.distribution({ ids: [1] }, { includeProbs: true });
    expect(score.tokens[0]!.p).toBeCloseTo(first.probs![score.tokens[0]!.id]!, 12);
  });

  it("wraps a message in the instruct model's template only", async () => {
    const fake = new FakeInference();
    expect(await fake.chatPrompt("hi")).toBe("hi");
    expect(await fake.chatPrompt("hi", { model: "fake-instruct" })).toBe("<|user|> hi <|assistant|>");
  });

  it.each([
    ["empty_prompt", (f: FakeInference) => f.distribution("  ")],
    ["bad_temperature", (f: FakeInference) => f.distribution("the", { temperature: 0 })],
    ["bad_top_p", (f: FakeInference) => f.sample("the", { temperature: 1, topP: 1.5, seed: 1 })],
    ["bad_top_k", (f: FakeInference) => f.sample("the", { temperature: 1, topK: 0, seed: 1 })],
    ["bad_token_id", (f: FakeInference) => f.distribution({ ids: [1, 999] })],
    ["model_not_found", (f: FakeInference) => f.distribution("the", { model: "gpt-9" })],
    ["prompt_too_long", (f: FakeInference) => f.distribution("the ".repeat(100))],
  ])("rejects bad input with %s", async (code, call) => {
    await expect(call(new FakeInference())).rejects.toMatchObject({ name: "InferenceError", code });
  });

  it("can be told to fail the next request, e.g. as a crashed worker", async () => {
    const fake = new FakeInference();
    fake.failNext("worker_crashed");
    await expect(fake.distribution("the")).rejects.toBeInstanceOf(InferenceError);
    await expect(fake.distribution("the")).resolves.toBeDefined();
  });
});
