// The hat game end to end over sockets: a real server, a real database (PGlite), socket.io phones,
// and the deterministic fake model, whose distributions the test can compute on its own.
import { afterEach, describe, expect, it } from "vitest";
import { hatSource, shapeHat } from "../../../contract/numbers/hat/hat-shape.ts";
import { HAT_SLIPS } from "../../../contract/numbers/hat/slip-counts.ts";
import { FAKE_VOCAB, FakeInference, fakeLogits } from "../../../server/inference/fake.ts";
import { softmax } from "../../../contract/numbers/distribution-math.ts";
import type { SessionReview } from "../../../contract/http/review.ts";
import { HAT_EVENTS, type DrawAck } from "../../../contract/protocol/hat.ts";
import { SESSION_EVENTS, type HostSnapshot, type SessionSnapshot } from "../../../contract/protocol/session.ts";
import type { TestDatabaseTarget } from "../../support/databases.ts";
import {
  createSession,
  createTestDatabase,
  expectOk,
  guessRound,
  hatMineOf,
  hatOf,
  instructorCookie,
  joinedPlayer,
  sessionClient,
  startActivity,
  startServer,
  type SessionClient,
  type TestServer,
} from "../session/session-kit.ts";
import { CHI2_999, chiSquare, seededRng } from "./hat-kit.ts";

// Every word is in the fake's vocabulary, so the first hat follows " the" (id 5).
const TEMPLATE = "the cat sat on the ___. the dog ran to a ___ and the ___.";
const DIAL = { temperature: 1, topP: 1, topK: null };
const THE = FAKE_VOCAB.indexOf(" the");

/** The hat the fake model gives after a token, computed here from its logits, independently of the server. */
function expectedHat(previous: number, dial = DIAL) {
  const probs = softmax(fakeLogits(previous));
  return shapeHat(
    hatSource(probs, (id) => id < 5),
    dial,
  );
}

interface Phone extends SessionClient {
  token: string;
  participantId: string;
}

const startHat = (host: SessionClient, input: Record<string, unknown>) => startActivity(host, { kind: "hat", input } as never);
const gameOf = (s: HostSnapshot) => hatOf(s)!.game;
/** The draws stored for the session, read back through the review. */
async function storedGames(server: TestServer, code: string, cookie: string) {
  return ((await (await fetch(`${server.url}/api/sessions/${code}/review`, { headers: { cookie } })).json()) as { data: { review: SessionReview } }).data.review.hatGames;
}

describe("the hat game over sockets", () => {
  let target: TestDatabaseTarget | null = null;
  let server: TestServer | null = null;
  const clients: SessionClient[] = [];

  afterEach(async () => {
    for (const c of clients.splice(0)) c.close();
    await server?.stop();
    await target?.drop();
    server = null;
    target = null;
  });

  async function classroom(students: number, inference = new FakeInference(), rngSeed = 20261123) {
    target = await createTestDatabase("pglite");
    server = await startServer(target, inference, { rng: seededRng(rngSeed) });
    const cookie = await instructorCookie(server);
    const room = await createSession(server, cookie, { title: "Mad Libs" });
    const host = sessionClient(server.url, room.code, { role: "host", cookie });
    const projector = sessionClient(server.url, room.code, { role: "projector", cookie });
    clients.push(host, projector);
    const phones: Phone[] = [];
    for (let start = 0; start < students; start += 10) {
      phones.push(...(await Promise.all(Array.from({ length: Math.min(10, students - start) }, (_, i) => joinedPlayer(server!.url, room.code, `Student ${start + i + 1}`)))));
    }
    clients.push(...phones);
    await host.waitForSnapshot((s) => s.viewer === "host");
    return { room, cookie, host, projector, phones, inference };
  }

  const ready = (phone: Phone, blank: number) => phone.waitForSnapshot((s) => hatMineOf(s)?.phase === "ready" && hatMineOf(s)?.blank === blank);
  const mine = (s: SessionSnapshot) => hatMineOf(s)!;

  it("50 students draw through a 3-blank template: every draw committed, blank 1 matches the model's hat, stories diverge", async () => {
    const { room, cookie, host, projector, phones, inference } = await classroom(50);
    const started = await startHat(host, { text: TEMPLATE, maxTokens: 3 });
    expect(gameOf(started)).toMatchObject({ blanks: 3, openBlank: 0, status: "running" });
    expect(started.activity).toMatchObject({ kind: "hat", status: "running" });
    const gameId = gameOf(started).id;

    // Each phone shows its own hat: here all share the prefix, so all equal the model's hat after " the".
    const want = expectedHat(THE);
    const first = await Promise.all(phones.map((p) => ready(p, 0)));
    for (const s of first) {
      const hat = mine(s).hat!;
      expect(hat.total).toBe(HAT_SLIPS);
      expect(hat.slips.reduce((a, x) => a + x.count, 0) + hat.others.count).toBe(HAT_SLIPS);
      expect(hat.slips.reduce((a, x) => a + x.visual, 0)).toBe(100);
      expect(hat.slips.map((x) => [x.id, x.count])).toEqual(want.slips.slice(0, hat.slips.length).map((x) => [x.id, x.count]));
    }

    const acks = await Promise.all(phones.map((p) => expectOk(p.emit<DrawAck>(HAT_EVENTS.draw, { gameId, blank: 0 }))));
    expect(acks.every((a) => !a.recorded && a.fill.blank === 0 && a.fill.tokens.length >= 1)).toBe(true);
    // Committed before acknowledged: the database already holds all fifty.
    const stored = await storedGames(server!, room.code, cookie);
    expect(stored[0]!.draws).toHaveLength(50);
    expect(new Set(acks.map((a) => a.fill.seed)).size).toBe(50);

    // Statistical check (fixed seeds, so it never flakes): chi-square of the class's first tokens
    // against the hat's slip counts, bins pooled to ≥ 5 expected, at the 0.1% level.
    const observed = want.slips.map((s) => acks.filter((a) => a.fill.tokens[0]!.id === s.id).length);
    expect(observed.reduce((a, b) => a + b, 0)).toBe(50);
    const { chi2, df } = chiSquare(
      observed,
      want.slips.map((s) => (50 * s.count) / HAT_SLIPS),
    );
    expect(df).toBeGreaterThanOrEqual(2);
    expect(chi2).toBeLessThan(CHI2_999[df]!);
    // Each drawn slip is the token the hat has on that slip, with the model's own probability.
    for (const a of acks) {
      const t = a.fill.tokens[0]!;
      const slip = want.slips.find((s) => s.id === t.id)!;
      expect(t.count).toBe(slip.count);
      expect(t.p).toBeCloseTo(slip.p, 12);
    }

    // The projector's chart for the current blank compares the same draws with the expected counts.
    const proj = hatOf(await projector.waitForSnapshot((s) => hatOf(s)?.staff?.blankBars?.draws === 50))!.staff!.blankBars!;
    expect(proj.blank).toBe(0);
    expect(proj.bars[0]!.expected).toBeCloseTo((50 * want.slips[0]!.count) / HAT_SLIPS, 9);
    expect(proj.bars.reduce((a, b) => a + b.observed, 0) + proj.other.observed).toBe(50);
    expect(proj.convergence.at(-1)!.n).toBe(50);

    // Blanks 2 and 3: each phone's hat now depends on its own story; hats come in batched calls.
    for (const blank of [1, 2]) {
      const callsBefore = inference.calls;
      await expectOk(host.emit(HAT_EVENTS.openBlank));
      await Promise.all(phones.map((p) => ready(p, blank)));
      // 50 hats (plus nothing else) in a handful of model calls, not 50.
      expect(inference.calls - callsBefore).toBeLessThanOrEqual(5);
      const draws = await Promise.all(phones.map((p) => expectOk(p.emit<DrawAck>(HAT_EVENTS.draw, { gameId, blank }))));
      expect(draws.every((d) => d.fill.blank === blank)).toBe(true);
      // The projector follows the blank being filled now.
      await projector.waitForSnapshot((s) => hatOf(s)?.staff?.blankBars?.blank === blank && hatOf(s)?.staff?.blankBars?.draws === 50);
    }
    expect(await host.emit(HAT_EVENTS.openBlank)).toMatchObject({ ok: false, code: "last_blank" });

    const done = await Promise.all(phones.map((p) => p.waitForSnapshot((s) => hatMineOf(s)?.phase === "done")));
    const texts = done.map((s) => mine(s).story.text);
    expect(new Set(texts).size).toBeGreaterThan(10);
    for (const s of done) {
      const story = mine(s).story;
      expect(story.drawn).toBe(3);
      expect(story.text).not.toContain("___");
      // Chain rule: the story's log2 probability is the sum over every drawn token.
      const sum = mine(s).fills.flatMap((f) => f.tokens).reduce((a, t) => a + Math.log2(t.p), 0);
      expect(story.log2Prob).toBeCloseTo(sum, 9);
      expect(story.perplexity).toBeGreaterThan(1);
      expect(story.least).not.toBeNull();
    }
    const finished = await expectOk(host.emit<{ snapshot: HostSnapshot }>(SESSION_EVENTS.finish));
    expect(gameOf(finished.snapshot).status).toBe("finished");
    expect(hatOf(finished.snapshot)!.staff!.progress.map((p) => p.drawn)).toEqual([50, 50, 50]);

    // Review and exports carry every draw (hat summary, tokens, probabilities, seed) and every story.
    const game = (await storedGames(server!, room.code, cookie))[0]!;
    expect(game.draws).toHaveLength(150);
    expect(game.stories).toHaveLength(50);
    const draw = game.draws.find((d) => d.blank === 0)!;
    expect(draw.hat.top.length).toBeGreaterThan(0);
    expect(draw.hat.top.reduce((a, t) => a + t.count, 0) + draw.hat.otherCount).toBe(HAT_SLIPS);
    expect(draw.tokens[0]!.p).toBeGreaterThan(0);
    expect(Number.isInteger(draw.seed)).toBe(true);
    expect(game.stories.map((s) => s.text).sort()).toEqual(texts.sort());
    const draws = await (await fetch(`${server!.url}/api/sessions/${room.code}/export/hat_draws.csv`, { headers: { cookie } })).text();
    expect(draws.trim().split(/\r?\n/)).toHaveLength(151);
    expect(draws.split("\n")[0]).toContain("hat_top");
    const stories = await (await fetch(`${server!.url}/api/sessions/${room.code}/export/hat_stories.csv`, { headers: { cookie } })).text();
    expect(stories.trim().split(/\r?\n/)).toHaveLength(51);
  });

  it("a student who reconnects mid-draw gets the same slip, and a duplicate draw returns the record", async () => {
    const slow = new FakeInference({ latencyMs: 150 });
    const { host, phones, room, cookie } = await classroom(2, slow);
    const gameId = gameOf(await startHat(host, { text: TEMPLATE })).id;
    const [ann, ben] = phones as [Phone, Phone];
    await ready(ann, 0);

    // Ann taps, and her connection drops before the answer arrives.
    void ann.socket.emitWithAck(HAT_EVENTS.draw, { gameId, blank: 0 }).catch(() => undefined);
    await new Promise((r) => setTimeout(r, 50));
    ann.socket.disconnect();
    ann.socket.connect();
    await new Promise<void>((resolve) => ann.socket.once("connect", () => resolve()));
    // Her phone asks again after the reconnect: it joins the draw in flight (or reads the record).
    const again = await expectOk(ann.emit<DrawAck>(HAT_EVENTS.draw, { gameId, blank: 0 }));
    const stored = (await storedGames(server!, room.code, cookie))[0]!;
    const record = stored.draws.filter((d) => d.participantId === ann.participantId);
    expect(record).toHaveLength(1);
    expect(again.fill).toMatchObject({ seed: record[0]!.seed, text: record[0]!.text, blank: 0 });
    // And her snapshot after the reconnect shows that same slip in her story.
    const shown = await ann.waitForSnapshot((s) => (hatMineOf(s)?.fills.length ?? 0) === 1);
    expect(mine(shown).fills[0]!.seed).toBe(record[0]!.seed);

    // A plain duplicate (double tap) returns the recorded draw and draws nothing new.
    const first = await expectOk(ben.emit<DrawAck>(HAT_EVENTS.draw, { gameId, blank: 0 }));
    const dup = await expectOk(ben.emit<DrawAck>(HAT_EVENTS.draw, { gameId, blank: 0 }));
    expect(first.recorded).toBe(false);
    expect(dup.recorded).toBe(true);
    expect(dup.fill).toEqual(first.fill);
  });

  it("a duplicate draw after a server restart returns the recorded slip; the game resumes from the database", async () => {
    const { host, phones } = await classroom(2);
    const gameId = gameOf(await startHat(host, { templateId: "capitals" })).id;
    const [ann, ben] = phones as [Phone, Phone];
    await ready(ann, 0);
    const before = await expectOk(ann.emit<DrawAck>(HAT_EVENTS.draw, { gameId, blank: 0 }));

    const port = server!.port;
    const dropped = Promise.all([ann, ben].map((p) => new Promise((resolve) => p.socket.once("disconnect", resolve))));
    await server!.stop();
    await dropped;
    ann.snapshot = null;
    ben.snapshot = null;
    server = await startServer(target!, new FakeInference(), { port, rng: seededRng(7) });

    // Phones reconnect by themselves with their tokens and land on the hat game with their slips.
    const back = await ann.waitForSnapshot((s) => hatOf(s)?.game.id === gameId && (hatMineOf(s)?.fills.length ?? 0) === 1, 60_000);
    expect(mine(back).fills[0]).toEqual(before.fill);
    const dup = await expectOk(ann.emit<DrawAck>(HAT_EVENTS.draw, { gameId, blank: 0 }));
    expect(dup).toMatchObject({ recorded: true, fill: before.fill });
    // Ben had not drawn: his hat is computed again and he can draw now.
    await ready(ben, 0);
    const bens = await expectOk(ben.emit<DrawAck>(HAT_EVENTS.draw, { gameId, blank: 0 }));
    expect(bens.recorded).toBe(false);
  });

  it("the dial reshapes every phone's hat live; host-only actions, rounds and bad input are refused", async () => {
    const { host, phones } = await classroom(3);
    const [ann] = phones as [Phone];
    const hat = (input: Record<string, unknown>) => ({ kind: "hat", input });
    expect(await ann.emit(SESSION_EVENTS.start, hat({ templateId: "capitals" }))).toMatchObject({ ok: false, code: "not_host" });
    expect(await host.emit(SESSION_EVENTS.start, hat({ templateId: "no-such" }))).toMatchObject({ ok: false, code: "template_not_found" });
    expect(await host.emit(SESSION_EVENTS.start, hat({ text: "only one ___ here" }))).toMatchObject({ ok: false, code: "template_blanks" });
    expect(await host.emit(SESSION_EVENTS.start, hat({ text: "x", templateId: "capitals" }))).toMatchObject({ ok: false, code: "bad_payload" });
    const gameId = gameOf(await startHat(host, { text: TEMPLATE })).id;
    // One activity at a time: no second game and no guess round while the hat game runs.
    expect(await host.emit(SESSION_EVENTS.start, hat({ text: TEMPLATE }))).toMatchObject({ ok: false, code: "activity_running" });
    expect(await host.emit(SESSION_EVENTS.start, guessRound({ mode: "round", prompt: "the cat" }))).toMatchObject({ ok: false, code: "activity_running" });

    const before = mine(await ready(ann, 0)).hat!;
    expect(before.cut.mass).toBe(0);
    await expectOk(host.emit(HAT_EVENTS.setDial, { temperature: 1, topP: 0.5, topK: null }));
    const after = mine(await ann.waitForSnapshot((s) => hatMineOf(s)?.hat?.dial.topP === 0.5));
    const want = expectedHat(THE, { temperature: 1, topP: 0.5, topK: null });
    expect(after.hat!.slips.map((s) => [s.id, s.count])).toEqual(want.slips.map((s) => [s.id, s.count]));
    expect(after.hat!.cut.mass).toBeCloseTo(want.cut.mass, 12);
    expect(after.hat!.cut.mass).toBeGreaterThan(0.3);
    // Drawing under the new dial only ever gives a token the nucleus kept.
    const draw = await expectOk(ann.emit<DrawAck>(HAT_EVENTS.draw, { gameId, blank: 0 }));
    expect(want.slips.map((s) => s.id)).toContain(draw.fill.tokens[0]!.id);
    expect(draw.fill.dial.topP).toBe(0.5);

    expect(await host.emit(HAT_EVENTS.setDial, { temperature: 0, topP: 1, topK: null })).toMatchObject({ ok: false, code: "bad_payload" });
    expect(await ann.emit(HAT_EVENTS.draw, { gameId, blank: 1 })).toMatchObject({ ok: false, code: "blank_not_open" });
    expect(await ann.emit(HAT_EVENTS.draw, { gameId: "other", blank: 0 })).toMatchObject({ ok: false, code: "no_game" });
    expect(await ann.emit(HAT_EVENTS.draw, { gameId, blank: "zero" })).toMatchObject({ ok: false, code: "bad_payload" });
    expect(await ann.emit(HAT_EVENTS.setDial, { temperature: 2, topP: 1, topK: null })).toMatchObject({ ok: false, code: "not_host" });

    // A student who joins mid-game gets a story and a hat at once.
    const late = await joinedPlayer(server!.url, phones[0]!.snapshot!.session.code, "Late");
    clients.push(late);
    const lateSnap = mine(await late.waitForSnapshot((s) => hatMineOf(s)?.phase === "ready"));
    expect(lateSnap.blank).toBe(0);
    expect(lateSnap.hat!.dial.topP).toBe(0.5);

    await expectOk(host.emit(SESSION_EVENTS.finish));
    expect(await phones[1]!.emit(HAT_EVENTS.draw, { gameId, blank: 0 })).toMatchObject({ ok: false, code: "game_finished" });
    // Ann's recorded draw still answers.
    expect(await ann.emit(HAT_EVENTS.draw, { gameId, blank: 0 })).toMatchObject({ ok: true, data: { recorded: true } });
    await startActivity(host, guessRound({ mode: "round", prompt: "the cat" }));
  });

  it("ending the session finishes a running game; its recorded draws stay", async () => {
    const { host, phones, room, cookie } = await classroom(2);
    const gameId = gameOf(await startHat(host, { text: TEMPLATE })).id;
    const [ann, ben] = phones as [Phone, Phone];
    await ready(ann, 0);
    const drawn = await expectOk(ann.emit<DrawAck>(HAT_EVENTS.draw, { gameId, blank: 0 }));

    await expectOk(host.emit(SESSION_EVENTS.end));
    await host.waitForSnapshot((s) => hatOf(s)?.game.status === "finished");
    const [stored] = await storedGames(server!, room.code, cookie);
    expect(stored!.status).toBe("finished");
    expect(stored!.draws).toEqual([expect.objectContaining({ seed: drawn.fill.seed })]);
    expect(await ben.emit(HAT_EVENTS.draw, { gameId, blank: 0 })).toMatchObject({ ok: false });
  });
});
