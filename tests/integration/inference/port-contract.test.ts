// One contract for every InferencePort: the fake that other modules test against must behave
// like the real worker in everything they can observe.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeInference } from "../../../server/inference/fake.ts";
import type { InferencePort } from "../../../contract/inference/port.ts";
import { WorkerInference } from "../../../server/inference/worker-client.ts";
import { memoryLogger, storiesPath } from "./model-fixture.ts";

interface Subject {
  name: string;
  create: () => InferencePort;
  /** Words this model's vocabulary covers. */
  text: string;
}

const subjects: Subject[] = [
  { name: "FakeInference", create: () => new FakeInference(), text: "the cat sat on the mat" },
  {
    name: "WorkerInference (stories260K)",
    create: () =>
      new WorkerInference({
        models: [{ id: "stories", name: "Stories", kind: "base", path: storiesPath }],
        defaultModel: "stories",
        providers: ["cpu"],
        timeoutMs: 60_000,
        logger: memoryLogger(),
      }),
    text: "Once upon a time there was a cat",
  },
];

const sum = (xs: ArrayLike<number>) => Array.from(xs).reduce((a, b) => a + b, 0);

describe.each(subjects)("InferencePort contract: $name", ({ create, text }) => {
  let port: InferencePort;

  beforeAll(async () => {
    port = create();
    await port.tokenize("warm up");
  });

  afterAll(async () => {
    await port.close();
  });

  it("is ready, with a default model that has a 64-hex sha256", () => {
    const status = port.status();
    expect(status.state).toBe("ready");
    expect(status.provider).toBeTruthy();
    const model = status.models.find((m) => m.id === status.defaultModel);
    expect(model?.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(model!.vocabSize).toBeGreaterThan(0);
  });

  it("tokenizes with a special BOS first and text pieces that rebuild the text", async () => {
    const tokens = await port.tokenize(text);
    expect(tokens[0]!.special).toBe(true);
    expect(tokens.slice(1).map((t) => t.text).join("").trim()).toBe(text);
  });

  it("gives a normalized distribution with consistent top, bottom, rest mass and entropy", async () => {
    const d = await port.distribution(text, { topK: 5, bottomK: 3, includeProbs: true });
    expect(sum(d.probs!)).toBeCloseTo(1, 9);
    expect(d.probs).toHaveLength(d.vocabSize);
    expect(d.top.map((t) => t.p)).toEqual([...d.top.map((t) => t.p)].sort((a, b) => b - a));
    for (const t of [...d.top, ...d.bottom]) expect(t.p).toBe(d.probs![t.id]);
    expect(d.restMass).toBeCloseTo(1 - sum(d.top.map((t) => t.p)), 9);
    expect(d.entropyBits).toBeGreaterThanOrEqual(0);
    expect(d.entropyBits).toBeLessThanOrEqual(Math.log2(d.vocabSize) + 1e-9);
    expect(d.prefix.map((t) => t.id)).toEqual((await port.tokenize(text)).map((t) => t.id));
  });

  it("answers a batch in order, each equal to the single answer", async () => {
    const prefixes = [text, text.split(" ").slice(0, 2).join(" ")];
    const batch = await port.distributionBatch(prefixes, { includeProbs: true });
    for (const [i, prefix] of prefixes.entries()) {
      const single = await port.distribution(prefix, { includeProbs: true });
      batch[i]!.probs!.forEach((p, id) => expect(Math.abs(p - single.probs![id]!)).toBeLessThan(1e-5));
    }
  });

  it("samples reproducibly, from a hat that sums to 1 and holds the drawn token", async () => {
    const options = { temperature: 0.9, topK: 5, topP: 0.95, seed: 99 };
    const a = await port.sample(text, options);
    const b = await port.sample(text, options);
    expect(b).toEqual(a);
    expect(sum(a.hat.tokens.map((t) => t.p))).toBeCloseTo(1, 9);
    expect(a.hat.tokens.length).toBeLessThanOrEqual(5);
    expect(a.hat.tokens.some((t) => t.id === a.token.id)).toBe(true);
    expect(a.hat.cutMass).toBeGreaterThanOrEqual(0);
    const batch = await port.sampleBatch([{ prefix: text, options }]);
    expect(batch[0]).toEqual(a);
  });

  it("scores text by the chain rule", async () => {
    const score = await port.score(text);
    expect(score.log2Prob).toBeCloseTo(sum(score.tokens.map((t) => Math.log2(t.p))), 9);
    expect(score.perplexity).toBeCloseTo(2 ** (-score.log2Prob / score.tokens.length), 9);
    expect(score.tokens.map((t) => t.text).join("").trim()).toBe(text);
  });

  it.each([
    ["empty_prompt", (p: InferencePort) => p.distribution("")],
    ["bad_temperature", (p: InferencePort) => p.distribution("the", { temperature: -1 })],
    ["bad_top_p", (p: InferencePort) => p.sample("the", { temperature: 1, topP: 0, seed: 1 })],
    ["bad_top_k", (p: InferencePort) => p.sample("the", { temperature: 1, topK: 0, seed: 1 })],
    ["bad_token_id", (p: InferencePort) => p.distribution({ ids: [1, 1_000_000] })],
    ["model_not_found", (p: InferencePort) => p.distribution("the", { model: "no-such-model" })],
    ["prompt_too_long", (p: InferencePort) => p.distribution({ ids: Array.from({ length: 5000 }, () => 1) })],
  ])("rejects with %s", async (code, call) => {
    await expect(call(port)).rejects.toMatchObject({ name: "InferenceError", code });
  });
});
