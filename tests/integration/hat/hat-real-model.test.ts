// The hat against the real inference worker and the shared stories260K model: hats are the model's
// distributions, batched draws equal one-at-a-time draws, and the next blank's hats extend the KV
// cache instead of recomputing the stories.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HatDrawService } from "../../../server/activities/hat/draw-service.ts";
import { shapeHat } from "../../../contract/numbers/hat/hat-shape.ts";
import { builtInTemplate } from "../../../server/activities/hat/hat-templates.ts";
import { HAT_SLIPS } from "../../../contract/numbers/hat/slip-counts.ts";
import { WorkerInference } from "../../../server/inference/worker-client.ts";
import { memoryLogger, storiesPath } from "../inference/model-fixture.ts";

const DIAL = { temperature: 1, topP: 1, topK: null };
const template = builtInTemplate("once-upon")!;

describe("the hat on stories260K", () => {
  let inference: WorkerInference;
  let segments: number[][];

  beforeAll(async () => {
    inference = new WorkerInference({ models: [{ id: "stories", name: "stories260K", kind: "base", path: storiesPath }], defaultModel: "stories", providers: ["cpu"], timeoutMs: 60_000, logger: memoryLogger() });
    segments = await new HatDrawService(inference, { model: "stories" }).segmentIds(template.segments);
  });
  afterAll(async () => {
    await inference.close();
  });

  it("tokenizes the template so each literal extends the story: the first with BOS, the rest without a stray space", async () => {
    const first = await inference.tokenize(template.segments[0]!);
    expect(segments[0]).toEqual(first.map((t) => t.id));
    // ". Every day, she liked to" follows a word directly: its first token is ".", not " .".
    const joined = await inference.tokenize(`${template.segments[0]} girl named Lily${template.segments[2]}`);
    const tail = joined.slice(-segments[2]!.length).map((t) => t.id);
    expect(tail).toEqual(segments[2]);
  });

  it("a hat's slips follow the model's own distribution over word tokens", async () => {
    const service = new HatDrawService(inference, { model: "stories" });
    const [source] = await service.sources([segments[0]!]);
    const hat = shapeHat(source!, DIAL);
    const model = await inference.distribution({ ids: segments[0]! }, { includeProbs: true, topK: 5 });
    const vocab = await service.vocab(segments[0]!);
    const wordMass = model.probs!.reduce((acc, p, id) => acc + (vocab.nonWord[id] ? 0 : p), 0);
    for (const slip of hat.slips.slice(0, 10)) {
      expect(slip.p).toBeCloseTo(model.probs![slip.id]!, 6);
      expect(Math.abs(slip.count - (model.probs![slip.id]! / wordMass) * HAT_SLIPS)).toBeLessThan(1);
    }
    expect(hat.slips[0]!.id).toBe(model.top[0]!.id);
  });

  it("batched draws are exactly the draws made one student at a time, in far fewer model calls", async () => {
    const requests = Array.from({ length: 12 }, (_, i) => ({ prefixIds: segments[0]!, seed: 1000 + i * 7919, dial: DIAL, maxTokens: 4, blank: 0, now: 0 }));
    const batched = new HatDrawService(inference, { model: "stories", batched: true });
    const single = new HatDrawService(inference, { model: "stories", batched: false });
    await batched.vocab(segments[0]!);
    await single.vocab(segments[0]!);
    const b0 = batched.calls;
    const s0 = single.calls;
    const a = await batched.drawFills(requests);
    const b = await single.drawFills(requests);
    expect(a).toEqual(b);
    // Batched: one call for the shared hat, then one per token step. One at a time: a call per
    // distinct story and step (identical stories share a hat either way).
    expect(batched.calls - b0).toBeLessThanOrEqual(1 + 3);
    const distinctFirst = new Set(a.map((f) => f.tokens[0]!.id)).size;
    expect(single.calls - s0).toBeGreaterThanOrEqual(1 + distinctFirst);
    expect(single.calls - s0).toBeGreaterThan(batched.calls - b0);
  });

  it("the next blank's hats extend each story's cached prefix: only the new tokens are computed", async () => {
    const service = new HatDrawService(inference, { model: "stories" });
    const stories = 8;
    // maxTokens 4 here keeps the test short; the default is 6.
    const fills = await service.drawFills(Array.from({ length: stories }, (_, i) => ({ prefixIds: segments[0]!, seed: 31 * i + 5, dial: DIAL, maxTokens: 4, blank: 0, now: 0 })));
    const before = (await inference.stats())[0]!;
    const next = fills.map((f) => [...segments[0]!, ...f.tokens.map((t) => t.id), ...segments[1]!]);
    await service.sources(next);
    const after = (await inference.stats())[0]!;
    // Distinct stories only (several may have drawn the same word); each is fed its literal, plus the
    // last drawn token when the word stopped at the maximum rather than at a word boundary.
    const distinct = new Map(fills.map((f) => [f.tokens.map((t) => t.id).join(","), f]));
    const fed = [...distinct.values()].reduce((acc, f) => acc + segments[1]!.length + (f.stop === "max_tokens" ? 1 : 0), 0);
    expect(after.tokensComputed - before.tokensComputed).toBeLessThanOrEqual(fed);
    expect(after.forwardCalls - before.forwardCalls).toBeLessThanOrEqual(2);
  });
});
