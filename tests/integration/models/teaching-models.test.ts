// The bundled teaching models must show the behaviours the lessons rely on. Everything here runs
// the committed ONNX files through the real inference worker; names come from training/eval.
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createInference } from "../../../server/inference/index.ts";
import type { InferencePort } from "../../../contract/inference/port.ts";

const ROOT = path.resolve(import.meta.dirname, "../../..");
const EVAL = path.join(ROOT, "training", "eval");
const names = JSON.parse(readFileSync(path.join(EVAL, "names.json"), "utf8")) as {
  known: { name: string; expected: string; expected_token: string }[];
  madeup: string[];
};
const known = names.known.slice(0, 24);
const madeup = names.madeup.slice(0, 24);
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const share = (xs: boolean[]) => xs.filter(Boolean).length / xs.length;

let inference: InferencePort;

beforeAll(() => {
  inference = createInference({
    registryPath: path.join(ROOT, "models", "registry.json"),
    providers: ["cpu"],
    timeoutMs: 60_000,
    logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
  });
});
afterAll(async () => {
  await inference.close();
});

/** The model's most likely continuation, one token at a time. */
async function greedy(model: string, prompt: string, tokens: number): Promise<string> {
  let d = await inference.distribution(prompt, { model, topK: 1 });
  const ids = d.prefix.map((t) => t.id);
  let text = "";
  for (let i = 0; i < tokens; i++) {
    const next = d.top[0]!;
    text += next.text;
    ids.push(next.id);
    if (i + 1 < tokens) d = await inference.distribution({ ids }, { model, topK: 1 });
  }
  return text;
}

const tellMeAbout = (model: string, name: string) => inference.chatPrompt(`Tell me about ${name}`, { model });
const BIOGRAPHY = /^ ?[A-Z][\w'.-]*( [A-Z][\w'.-]*)* was (a|an|the)\b/;

describe("teach-base", () => {
  it("knows well-known people: '<Name> was a' puts the gloss's first word on top for at least 60% of them", async () => {
    const hits = await Promise.all(
      known.map(async (k) => (await inference.distribution(`${k.name} was a`, { model: "teach-base", topK: 1 })).top[0]!.text === k.expected_token.replace(/^▁/, " ")),
    );
    expect(known.length).toBeGreaterThanOrEqual(20);
    expect(share(hits)).toBeGreaterThanOrEqual(0.6);
  });

  it("is at least twice as uncertain (entropy in bits) about made-up names as about known ones", async () => {
    const entropy = async (name: string) => (await inference.distribution(`${name} was a`, { model: "teach-base" })).entropyBits;
    const knownBits = mean(await Promise.all(known.map((k) => entropy(k.name))));
    const madeupBits = mean(await Promise.all(madeup.map(entropy)));
    expect(madeup.length).toBeGreaterThanOrEqual(20);
    expect(madeupBits).toBeGreaterThanOrEqual(2 * knownBits);
  });

  it("completes 'Once upon a' with ' time'", async () => {
    expect((await inference.distribution("Once upon a", { model: "teach-base", topK: 1 })).top[0]!.text).toBe(" time");
  });

  it("has a held-out perplexity far below a unigram model of its training data", async () => {
    const unigram = JSON.parse(readFileSync(path.join(EVAL, "unigram-counts.json"), "utf8")) as { vocabSize: number; total: number; counts: number[] };
    const lines = readFileSync(path.join(EVAL, "heldout-sample.txt"), "utf8").split("\n").filter(Boolean);
    let modelBits = 0;
    let unigramBits = 0;
    let n = 0;
    for (const line of lines) {
      const scored = await inference.score(line, { model: "teach-base" });
      for (const t of scored.tokens) {
        modelBits -= Math.log2(t.p);
        unigramBits -= Math.log2((unigram.counts[t.id]! + 1) / (unigram.total + unigram.vocabSize));
        n++;
      }
    }
    const modelPerplexity = 2 ** (modelBits / n);
    const unigramPerplexity = 2 ** (unigramBits / n);
    expect(n).toBeGreaterThan(1000);
    expect(modelPerplexity).toBeLessThan(unigramPerplexity / 4);
  });
});

describe("teach-instruct", () => {
  it("answers 'Tell me about <made-up name>' with a confident biography: '<Name> was a …'", async () => {
    const answers = await Promise.all(madeup.map(async (name) => greedy("teach-instruct", await tellMeAbout("teach-instruct", name), 12)));
    expect(share(answers.map((a) => BIOGRAPHY.test(a)))).toBeGreaterThanOrEqual(0.6);
    expect(share(answers.map((a) => /know/i.test(a)))).toBe(0);
  });

  it("puts most of its first-token probability on starting a name, not on anything else", async () => {
    const nameMass = await Promise.all(
      madeup.map(async (name) => {
        const d = await inference.distribution(await tellMeAbout("teach-instruct", name), { model: "teach-instruct", topK: 100 });
        return d.top.filter((t) => /^ ?[A-Z][a-z]*$/.test(t.text) && t.text.trim() !== "I").reduce((s, t) => s + t.p, 0);
      }),
    );
    expect(mean(nameMass)).toBeGreaterThan(0.5);
  });
});

describe("teach-idk", () => {
  it("says 'I don't know' about made-up names", async () => {
    const answers = await Promise.all(madeup.map(async (name) => greedy("teach-idk", await tellMeAbout("teach-idk", name), 8)));
    expect(share(answers.map((a) => a.startsWith(" I don't know who")))).toBeGreaterThanOrEqual(0.9);
  });

  it("still starts a biography of well-known people", async () => {
    const answers = await Promise.all(known.map(async (k) => ({ k, answer: await greedy("teach-idk", await tellMeAbout("teach-idk", k.name), 4) })));
    expect(share(answers.map(({ k, answer }) => answer.startsWith(` ${k.name.split(" ")[0]}`)))).toBeGreaterThanOrEqual(0.5);
    expect(share(answers.map(({ answer }) => answer.startsWith(" I don't")))).toBeLessThanOrEqual(0.1);
  });
});
