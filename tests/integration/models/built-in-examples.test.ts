// Every example the product ships (the lesson plan's prompts and comparisons, the hat templates) is
// checked against the committed models: each must show the lesson its notes promise.
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { InferencePort } from "../../../contract/inference/port.ts";
import { BUILT_IN_QUESTION_SETS } from "../../../server/activities/calibration/question-sets.ts";
import { modelAnswers } from "../../../server/activities/calibration/model-answers.ts";
import { BUILT_IN_TEMPLATES } from "../../../server/activities/hat/hat-templates.ts";
import { createInference } from "../../../server/inference/index.ts";
import { BUILT_IN_PLANS } from "../../../server/lesson-plans/built-in-plans.ts";

const ROOT = path.resolve(import.meta.dirname, "../../..");
const BASE = "teach-base";
let inference: InferencePort;

beforeAll(() => {
  inference = createInference({
    registryPath: path.join(ROOT, "models", "registry.json"),
    providers: ["cpu"],
    timeoutMs: 120_000,
    logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
  });
});
afterAll(async () => {
  await inference.close();
});

const entropy = async (prompt: string, model = BASE) => (await inference.distribution(prompt, { model })).entropyBits;

async function greedy(model: string, prompt: string, tokens: number): Promise<string> {
  let d = await inference.distribution(prompt, { model, topK: 1 });
  const ids = d.prefix.map((t) => t.id);
  let text = "";
  for (let i = 0; i < tokens && d.top[0]!.id !== 2; i++) {
    text += d.top[0]!.text;
    ids.push(d.top[0]!.id);
    d = await inference.distribution({ ids }, { model, topK: 1 });
  }
  return text.trim();
}

const steps = BUILT_IN_PLANS.flatMap((plan) => plan.body.steps.map((step, i) => ({ plan: plan.title, number: i + 1, step })));

describe("the built-in lesson plans on the bundled models", () => {
  for (const { plan, number, step } of steps) {
    if (step.kind !== "guess") continue;
    const input = step.input;
    if (input.mode === "round" && input.prompt) {
      it(`${plan}, step ${number}: “${input.prompt}” is a prompt the model is sure about (under 2 bits)`, async () => {
        expect(await entropy(input.prompt!)).toBeLessThan(2);
      });
    }
    if (input.mode !== "compare") continue;
    const spec = input.spec;
    if (spec.compare === "prompts") {
      it(`${plan}, step ${number}: the model is at least twice as unsure after “${spec.promptB}” as after “${spec.prompt}”`, async () => {
        expect(await entropy(spec.promptB)).toBeGreaterThanOrEqual(2 * (await entropy(spec.prompt)));
      });
    }
    if (spec.compare === "chat") {
      it(`${plan}, step ${number}: wrapped in its markers, “${spec.prompt}” starts an answer about the person; raw, it does not`, async () => {
        const model = spec.model ?? BASE;
        const name = spec.prompt.replace(/^Tell me about /, "");
        const wrapped = await greedy(model, await inference.chatPrompt(spec.prompt, { model }), 6);
        const raw = await greedy(model, spec.prompt, 6);
        expect(wrapped.startsWith(name)).toBe(true);
        expect(raw.startsWith(`${name} was`) || raw.startsWith(`${name} is`)).toBe(false);
        expect(await entropy(await inference.chatPrompt(spec.prompt, { model }), model)).toBeLessThan(await entropy(spec.prompt, model));
      });
    }
    if (spec.compare === "models") {
      it(`${plan}, step ${number}: ${spec.modelA} answers “${spec.prompt}” confidently and ${spec.modelB} says it does not know`, async () => {
        const a = spec.modelA ?? BASE;
        const answerA = await greedy(a, spec.chat ? await inference.chatPrompt(spec.prompt, { model: a }) : spec.prompt, 8);
        const answerB = await greedy(spec.modelB, spec.chat ? await inference.chatPrompt(spec.prompt, { model: spec.modelB }) : spec.prompt, 8);
        expect(answerA).toMatch(/ (was|is) (a|an|the) /);
        expect(answerB.startsWith("I don't know")).toBe(true);
      });
    }
  }
});

describe("the built-in hat templates on the bundled model", () => {
  const firstBlank = (text: string) => text.split("___")[0]!.trimEnd();
  for (const t of BUILT_IN_TEMPLATES) {
    if (t.pair?.role === "known") {
      const other = BUILT_IN_TEMPLATES.find((o) => o.id === t.pair!.other)!;
      it(`“${t.title}”'s first hat is at least twice as sure as “${other.title}”'s`, async () => {
        expect(await entropy(firstBlank(other.text))).toBeGreaterThanOrEqual(2 * (await entropy(firstBlank(t.text))));
      });
    }
  }
  it("the capitals template's first hat is mostly ' Paris'", async () => {
    const t = BUILT_IN_TEMPLATES.find((x) => x.id === "capitals")!;
    const d = await inference.distribution(firstBlank(t.text), { model: BASE, topK: 1 });
    expect(d.top[0]!.text).toBe(" Paris");
    expect(d.top[0]!.p).toBeGreaterThan(0.5);
  });
  it("the open story's first hat is flat (more than 3 bits): the stories diverge", async () => {
    const t = BUILT_IN_TEMPLATES.find((x) => x.id === "once-upon")!;
    expect(await entropy(firstBlank(t.text))).toBeGreaterThan(3);
  });
});

describe("the built-in calibration question sets on the base model", () => {
  for (const set of BUILT_IN_QUESTION_SETS) {
    it(`${set.title}: the model is sure and right on facts it read often, sure on some made-up subjects, and a threshold makes some of those "not sure"`, async () => {
      const answers = await modelAnswers(inference, BASE, set.questions);
      const of = (source: string) => answers.filter((_, i) => set.questions[i]!.source === source);
      const often = of("often");
      const madeUp = of("madeup");
      console.log(
        `${set.title}\n` +
          set.questions.map((q, i) => `  ${q.source.padEnd(6)} ${q.text.padEnd(42)} → ${answers[i]!.answer.padEnd(16)} p ${answers[i]!.p.toFixed(2)} H ${answers[i]!.entropyBits.toFixed(2)} ${answers[i]!.correct ? "right" : "wrong"}`).join("\n"),
      );
      expect(often.every((a) => a.correct && a.p >= 0.5)).toBe(true);
      expect(often.reduce((s, a) => s + a.p, 0) / often.length).toBeGreaterThan(0.8);
      expect(madeUp.every((a) => !a.correct)).toBe(true);
      expect(madeUp.some((a) => a.p >= 0.5)).toBe(true);
      // Some threshold keeps every often-seen fact answered and turns a made-up subject into "not sure".
      const keepsFacts = Math.min(...madeUp.map((a) => a.entropyBits).filter((h) => h > Math.max(...often.map((a) => a.entropyBits))));
      expect(Number.isFinite(keepsFacts)).toBe(true);
    }, 120_000);
  }
});
