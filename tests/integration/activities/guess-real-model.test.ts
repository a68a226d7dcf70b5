// The reveal's numbers against the real inference worker running stories260K (from ../shared).
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createInference } from "../../../server/inference/index.ts";
import type { InferencePort } from "../../../contract/inference/port.ts";
import { createLogger } from "../../../server/logger.ts";
import { GUESS_EVENTS, type GuessPieces } from "../../../contract/protocol/guess.ts";
import type { HostSnapshot } from "../../../contract/protocol/session.ts";
import { rankOf } from "../../../server/activities/guess/round-metrics.ts";
import type { TestDatabaseTarget } from "../../support/databases.ts";
import { createSession, createTestDatabase, expectOk, guessMineOf, guessRound, guessViewOf, instructorCookie, joinedPlayer, roundOf, sessionClient, startActivity, startServer, type SessionClient, type TestServer } from "../session/session-kit.ts";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const storiesPath = path.resolve(repoRoot, "../shared/models/stories260K");
const PROMPT = "Once upon a time, there was a little";

describe.skipIf(!existsSync(storiesPath))("a round against the real model (stories260K)", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "rooms-real-"));
  let target: TestDatabaseTarget;
  let server: TestServer;
  let inference: InferencePort;
  const clients: SessionClient[] = [];

  beforeAll(async () => {
    const registry = path.join(dir, "registry.json");
    writeFileSync(registry, JSON.stringify({ default: "stories", models: [{ id: "stories", name: "Stories 260K", kind: "base", path: storiesPath }] }));
    inference = createInference({ registryPath: registry, providers: ["cpu"], timeoutMs: 60_000, logger: createLogger("silent", false) });
    await inference.tokenize("warm up");
    target = await createTestDatabase("pglite");
    server = await startServer(target, inference);
  });

  afterAll(async () => {
    for (const c of clients) c.close();
    await server?.stop();
    await inference?.close();
    await target?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("maps guesses to the model's tokens in context and scores them with the model's own probabilities", async () => {
    const cookie = await instructorCookie(server);
    const room = await createSession(server, cookie, { title: "Real model" });
    expect(room.model.id).toBe("stories");
    const host = sessionClient(server.url, room.code, { role: "host", cookie });
    clients.push(host);
    await host.waitForSnapshot(() => true);
    const guesses = ["girl", "boy", "girl", "dog", "Bourne"];
    const phones = await Promise.all(guesses.map((_, i) => joinedPlayer(server.url, room.code, `P${i}`)));
    clients.push(...phones);

    const started = await startActivity(host, guessRound({ mode: "round", prompt: PROMPT }));
    const prefixIds = roundOf(started)!.prefix.map((t) => t.id);
    const model = await inference.distribution(PROMPT, { includeProbs: true, topK: 50, bottomK: 5 });
    expect(prefixIds).toEqual(model.prefix.map((t) => t.id));

    // The tokens of " Bourne" as they follow the prompt, read off the tokenizer directly.
    const plain = (await inference.tokenize(PROMPT)).length;
    const inContext = (await inference.tokenize(`${PROMPT} Bourne`)).slice(plain);
    const preview = await expectOk(phones[4]!.emit<GuessPieces>(GUESS_EVENTS.preview, { guess: "Bourne" }));
    expect(preview.tokens.map((t) => t.id)).toEqual(inContext.map((t) => t.id));
    expect(preview.tokens.length).toBeGreaterThan(1);
    expect(preview.explanation).toContain(" + ");

    await Promise.all(phones.map((p, i) => expectOk(p.emit(GUESS_EVENTS.vote, { guess: guesses[i] }))));
    const closed = await expectOk(host.emit<{ snapshot: HostSnapshot }>(GUESS_EVENTS.close));
    const reveal = roundOf(closed.snapshot)!.reveal!;
    const probs = model.probs!;
    expect(reveal.distribution.top).toEqual(model.top);
    expect(reveal.distribution.entropyBits).toBeCloseTo(model.entropyBits, 9);

    const firstIds = await Promise.all(guesses.map(async (g) => (await inference.tokenize(`${PROMPT} ${g}`)).slice(plain)[0]!.id));
    for (const bar of reveal.histogram) {
      expect(bar.modelP).toBeCloseTo(probs[bar.tokenId]!, 12);
      expect(bar.modelRank).toBe(rankOf(probs, bar.tokenId));
    }
    const q = new Map<number, number>();
    for (const id of firstIds) q.set(id, (q.get(id) ?? 0) + 1 / guesses.length);
    const tvd = 0.5 * probs.reduce((s, p, id) => s + Math.abs((q.get(id) ?? 0) - p), 0);
    expect(reveal.metrics.tvd).toBeCloseTo(tvd, 9);
    expect(reveal.metrics.avgLossBits).toBeCloseTo(firstIds.reduce((s, id) => s - Math.log2(probs[id]!), 0) / guesses.length, 9);
    const mine = guessMineOf(await phones[0]!.waitForSnapshot((s) => roundOf(s)?.status === "revealed"))!;
    expect(mine.result).toMatchObject({ tokenId: firstIds[0], rank: rankOf(probs, firstIds[0]!) });
    expect(mine.result!.p).toBeCloseTo(probs[firstIds[0]!]!, 12);

    // A sampled pick is reproducible from its seed, and the chain rule uses the model's p at temperature 1.
    const picked = await expectOk(host.emit<{ snapshot: HostSnapshot }>(GUESS_EVENTS.pick, { how: "sample", temperature: 0.8 }));
    const pick = roundOf(picked.snapshot)!.pick!;
    const again = await inference.sample({ ids: prefixIds }, { temperature: 0.8, seed: pick.seed! });
    expect(pick.token.id).toBe(again.token.id);
    expect(pick.token.p).toBeCloseTo(probs[pick.token.id]!, 12);
    const thread = guessViewOf(picked.snapshot)!.threads[0]!;
    expect(thread.log2Prob).toBeCloseTo(Math.log2(probs[pick.token.id]!), 9);
    expect(thread.perplexity).toBeCloseTo(1 / probs[pick.token.id]!, 6);
  });
});
