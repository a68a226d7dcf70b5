// The hat game end to end over sockets: a real server, a real database (PGlite), socket.io phones,
// and the deterministic fake model, whose distributions the test can compute on its own.
import { afterEach, describe, expect, it } from "vitest";
import { hatSource, shapeHat } from "../../../server/activities/hat/hat-shape.ts";
import { fillView } from "../../../server/hat/hat-snapshot.ts";
import { HAT_SLIPS } from "../../../server/activities/hat/slip-counts.ts";
import { FAKE_VOCAB, FakeInference, fakeLogits } from "../../../server/inference/fake.ts";
import { softmax } from "../../../contract/numbers/distribution-math.ts";
import { HAT_EVENTS, type DrawAck, type HatHostAck, type PlayerHatSnapshot, type StaffHatSnapshot } from "../../../contract/protocol/hat.ts";
import { ROOM_EVENTS } from "../../../server/protocol/room-protocol.ts";
import type { SessionReview } from "../../../server/rooms/session-export.ts";
import type { TestDatabaseTarget } from "../../support/databases.ts";
import { createRoom, createTestDatabase, instructorCookie, joinedPlayer, roomClient, type RoomClient, type RoomServer } from "../rooms/room-test-kit.ts";
import { startHatServer } from "./hat-server.ts";
import { CHI2_999, chiSquare, hatOk, isPlayer, seededRng, watchHat, type HatWatcher } from "./hat-test-kit.ts";

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

interface Phone extends RoomClient {
  token: string;
  participantId: string;
  hat: HatWatcher;
}

describe("the hat game over sockets", () => {
  let target: TestDatabaseTarget | null = null;
  let server: RoomServer | null = null;
  const clients: RoomClient[] = [];

  afterEach(async () => {
    for (const c of clients.splice(0)) c.close();
    await server?.stop();
    await target?.drop();
    server = null;
    target = null;
  });

  async function classroom(students: number, inference = new FakeInference(), rngSeed = 20261123) {
    target = await createTestDatabase("pglite");
    server = await startHatServer(target, inference, { rng: seededRng(rngSeed) });
    const cookie = await instructorCookie(server);
    const room = await createRoom(server, cookie, { title: "Mad Libs" });
    const host = roomClient(server.url, room.code, { role: "host", cookie });
    const projector = roomClient(server.url, room.code, { role: "projector", cookie });
    clients.push(host, projector);
    const hostHat = watchHat(host);
    const projectorHat = watchHat(projector);
    const phones: Phone[] = [];
    for (let start = 0; start < students; start += 10) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(10, students - start) }, async (_, i) => {
          const p = await joinedPlayer(server!.url, room.code, `Student ${start + i + 1}`);
          return Object.assign(p, { hat: watchHat(p) });
        }),
      );
      phones.push(...batch);
    }
    clients.push(...phones);
    return { room, cookie, host, projector, hostHat, projectorHat, phones, inference };
  }

  const ready = (phone: Phone, blank: number) => phone.hat.waitFor<PlayerHatSnapshot>((s) => isPlayer(s) && s.me?.phase === "ready" && s.me.blank === blank);

  it("50 students draw through a 3-blank template: every draw committed, blank 1 matches the model's hat, stories diverge", async () => {
    const { room, cookie, host, projectorHat, phones, inference } = await classroom(50);
    const started = await hatOk(host.emit<HatHostAck>(HAT_EVENTS.hostStart, { text: TEMPLATE, maxTokens: 3 }));
    expect(started.snapshot.game).toMatchObject({ blanks: 3, openBlank: 0, status: "running" });
    const gameId = started.snapshot.game!.id;

    // Each phone shows its own hat: here all share the prefix, so all equal the model's hat after " the".
    const want = expectedHat(THE);
    const first = await Promise.all(phones.map((p) => ready(p, 0)));
    for (const s of first) {
      const hat = s.me!.hat!;
      expect(hat.total).toBe(HAT_SLIPS);
      expect(hat.slips.reduce((a, x) => a + x.count, 0) + hat.others.count).toBe(HAT_SLIPS);
      expect(hat.slips.reduce((a, x) => a + x.visual, 0)).toBe(100);
      expect(hat.slips.map((x) => [x.id, x.count])).toEqual(want.slips.slice(0, hat.slips.length).map((x) => [x.id, x.count]));
    }

    const acks = await Promise.all(phones.map((p) => hatOk(p.emit<DrawAck>(HAT_EVENTS.draw, { gameId, blank: 0 }))));
    expect(acks.every((a) => !a.recorded && a.fill.blank === 0 && a.fill.tokens.length >= 1)).toBe(true);
    // Committed before acknowledged: the database already holds all fifty.
    const stored = await server!.app.hat.games((await server!.app.rooms.room(room.code))!.state.meta.id);
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

    // The projector's blank-1 chart compares the same draws with the expected counts.
    const proj = await projectorHat.waitFor<StaffHatSnapshot>((s) => s.viewer === "projector" && s.blank1?.draws === 50);
    const bars = proj.blank1!.bars;
    expect(bars[0]!.expected).toBeCloseTo((50 * want.slips[0]!.count) / HAT_SLIPS, 9);
    expect(bars.reduce((a, b) => a + b.observed, 0) + proj.blank1!.other.observed).toBe(50);
    expect(proj.blank1!.convergence.at(-1)!.n).toBe(50);

    // Blanks 2 and 3: each phone's hat now depends on its own story; hats come in batched calls.
    for (const blank of [1, 2]) {
      const callsBefore = inference.calls;
      await hatOk(host.emit<HatHostAck>(HAT_EVENTS.hostOpenBlank));
      await Promise.all(phones.map((p) => ready(p, blank)));
      // 50 hats (plus nothing else) in a handful of model calls, not 50.
      expect(inference.calls - callsBefore).toBeLessThanOrEqual(5);
      const draws = await Promise.all(phones.map((p) => hatOk(p.emit<DrawAck>(HAT_EVENTS.draw, { gameId, blank }))));
      expect(draws.every((d) => d.fill.blank === blank)).toBe(true);
    }
    expect(await host.emit(HAT_EVENTS.hostOpenBlank)).toMatchObject({ ok: false, code: "last_blank" });

    const done = await Promise.all(phones.map((p) => p.hat.waitFor<PlayerHatSnapshot>((s) => isPlayer(s) && s.me?.phase === "done")));
    const texts = done.map((s) => s.me!.story.text);
    expect(new Set(texts).size).toBeGreaterThan(10);
    for (const s of done) {
      const story = s.me!.story;
      expect(story.drawn).toBe(3);
      expect(story.text).not.toContain("___");
      // Chain rule: the story's log2 probability is the sum over every drawn token.
      const sum = s.me!.fills.flatMap((f) => f.tokens).reduce((a, t) => a + Math.log2(t.p), 0);
      expect(story.log2Prob).toBeCloseTo(sum, 9);
      expect(story.perplexity).toBeGreaterThan(1);
      expect(story.least).not.toBeNull();
    }
    const finished = await hatOk(host.emit<HatHostAck>(HAT_EVENTS.hostFinish));
    expect(finished.snapshot.game!.status).toBe("finished");
    expect(finished.snapshot.progress.map((p) => p.drawn)).toEqual([50, 50, 50]);

    // Review and exports carry every draw (hat summary, tokens, probabilities, seed) and every story.
    const review = (await (await fetch(`${server!.url}/api/rooms/${room.code}/review`, { headers: { cookie } })).json()) as { data: SessionReview };
    const game = review.data.hatGames[0]!;
    expect(game.draws).toHaveLength(150);
    expect(game.stories).toHaveLength(50);
    const draw = game.draws.find((d) => d.blank === 0)!;
    expect(draw.hat.top.length).toBeGreaterThan(0);
    expect(draw.hat.top.reduce((a, t) => a + t.count, 0) + draw.hat.otherCount).toBe(HAT_SLIPS);
    expect(draw.tokens[0]!.p).toBeGreaterThan(0);
    expect(Number.isInteger(draw.seed)).toBe(true);
    expect(game.stories.map((s) => s.text).sort()).toEqual(texts.sort());
    const csv = await (await fetch(`${server!.url}/api/rooms/${room.code}/export.csv`, { headers: { cookie } })).text();
    expect(csv.split("\n").filter((line) => line.startsWith("hat_draw,"))).toHaveLength(150);
    expect(csv.split("\n").filter((line) => line.startsWith("hat_story,"))).toHaveLength(50);
    expect(csv.split("\n")[0]).toContain("hat_top");
  });

  it("a student who reconnects mid-draw gets the same slip, and a duplicate draw returns the record", async () => {
    const slow = new FakeInference({ latencyMs: 150 });
    const { host, phones } = await classroom(2, slow);
    const gameId = (await hatOk(host.emit<HatHostAck>(HAT_EVENTS.hostStart, { text: TEMPLATE }))).snapshot.game!.id;
    const [ann, ben] = phones as [Phone, Phone];
    await ready(ann, 0);

    // Ann taps, and her connection drops before the answer arrives.
    void ann.socket.emitWithAck(HAT_EVENTS.draw, { gameId, blank: 0 }).catch(() => undefined);
    await new Promise((r) => setTimeout(r, 50));
    ann.socket.disconnect();
    ann.socket.connect();
    await new Promise<void>((resolve) => ann.socket.once("connect", () => resolve()));
    // Her phone asks again after the reconnect: it joins the draw in flight (or reads the record).
    const again = await hatOk(ann.emit<DrawAck>(HAT_EVENTS.draw, { gameId, blank: 0 }));
    const stored = (await server!.app.hat.games((await server!.app.rooms.room(phones[0]!.snapshot!.room.code))!.state.meta.id))[0]!;
    const record = stored.draws.filter((d) => d.participantId === ann.participantId);
    expect(record).toHaveLength(1);
    expect(again.fill).toEqual(fillView(record[0]!.fill));
    // And her snapshot after the reconnect shows that same slip in her story.
    const shown = await ann.hat.waitFor<PlayerHatSnapshot>((s) => isPlayer(s) && (s.me?.fills.length ?? 0) === 1);
    expect(shown.me!.fills[0]!.seed).toBe(record[0]!.fill.seed);

    // A plain duplicate (double tap) returns the recorded draw and draws nothing new.
    const first = await hatOk(ben.emit<DrawAck>(HAT_EVENTS.draw, { gameId, blank: 0 }));
    const dup = await hatOk(ben.emit<DrawAck>(HAT_EVENTS.draw, { gameId, blank: 0 }));
    expect(first.recorded).toBe(false);
    expect(dup.recorded).toBe(true);
    expect(dup.fill).toEqual(first.fill);
  });

  it("a duplicate draw after a server restart returns the recorded slip; the game resumes from the database", async () => {
    const { host, phones } = await classroom(2);
    const gameId = (await hatOk(host.emit<HatHostAck>(HAT_EVENTS.hostStart, { templateId: "twinkle" }))).snapshot.game!.id;
    const [ann, ben] = phones as [Phone, Phone];
    await ready(ann, 0);
    const before = await hatOk(ann.emit<DrawAck>(HAT_EVENTS.draw, { gameId, blank: 0 }));

    const port = server!.port;
    const dropped = Promise.all([ann, ben].map((p) => new Promise((resolve) => p.socket.once("disconnect", resolve))));
    await server!.stop();
    await dropped;
    ann.hat.latest = null;
    ben.hat.latest = null;
    server = await startHatServer(target!, new FakeInference(), { port, rng: seededRng(7) });

    // Phones reconnect by themselves with their tokens and get their hat snapshots back.
    const back = await ann.hat.waitFor<PlayerHatSnapshot>((s) => isPlayer(s) && s.game?.id === gameId && (s.me?.fills.length ?? 0) === 1, 60_000);
    expect(back.me!.fills[0]).toEqual(before.fill);
    const dup = await hatOk(ann.emit<DrawAck>(HAT_EVENTS.draw, { gameId, blank: 0 }));
    expect(dup).toMatchObject({ recorded: true, fill: before.fill });
    // Ben had not drawn: his hat is computed again and he can draw now.
    await ready(ben, 0);
    const bens = await hatOk(ben.emit<DrawAck>(HAT_EVENTS.draw, { gameId, blank: 0 }));
    expect(bens.recorded).toBe(false);
  });

  it("the dial reshapes every phone's hat live; host-only actions, rounds and bad input are refused", async () => {
    const { host, phones } = await classroom(3);
    const [ann] = phones as [Phone];
    expect(await ann.emit(HAT_EVENTS.hostStart, { templateId: "twinkle" })).toMatchObject({ ok: false, code: "not_host" });
    expect(await host.emit(HAT_EVENTS.hostStart, { templateId: "no-such" })).toMatchObject({ ok: false, code: "template_not_found" });
    expect(await host.emit(HAT_EVENTS.hostStart, { text: "only one ___ here" })).toMatchObject({ ok: false, code: "template_blanks" });
    expect(await host.emit(HAT_EVENTS.hostStart, { text: "x", templateId: "twinkle" })).toMatchObject({ ok: false, code: "bad_payload" });
    const gameId = (await hatOk(host.emit<HatHostAck>(HAT_EVENTS.hostStart, { text: TEMPLATE }))).snapshot.game!.id;
    expect(await host.emit(HAT_EVENTS.hostStart, { text: TEMPLATE })).toMatchObject({ ok: false, code: "game_running" });
    // One activity at a time: no guess round while the hat game runs.
    expect(await host.emit(ROOM_EVENTS.hostStartRound, { prompt: "the cat" })).toMatchObject({ ok: false, code: "activity_running" });

    const before = (await ready(ann, 0)).me!.hat!;
    expect(before.cut.mass).toBe(0);
    await hatOk(host.emit(HAT_EVENTS.hostSetDial, { temperature: 1, topP: 0.5, topK: null }));
    const after = await ann.hat.waitFor<PlayerHatSnapshot>((s) => isPlayer(s) && s.me?.hat?.dial.topP === 0.5);
    const want = expectedHat(THE, { temperature: 1, topP: 0.5, topK: null });
    expect(after.me!.hat!.slips.map((s) => [s.id, s.count])).toEqual(want.slips.map((s) => [s.id, s.count]));
    expect(after.me!.hat!.cut.mass).toBeCloseTo(want.cut.mass, 12);
    expect(after.me!.hat!.cut.mass).toBeGreaterThan(0.3);
    // Drawing under the new dial only ever gives a token the nucleus kept.
    const draw = await hatOk(ann.emit<DrawAck>(HAT_EVENTS.draw, { gameId, blank: 0 }));
    expect(want.slips.map((s) => s.id)).toContain(draw.fill.tokens[0]!.id);
    expect(draw.fill.dial.topP).toBe(0.5);

    expect(await host.emit(HAT_EVENTS.hostSetDial, { temperature: 0, topP: 1, topK: null })).toMatchObject({ ok: false, code: "bad_payload" });
    expect(await ann.emit(HAT_EVENTS.draw, { gameId, blank: 1 })).toMatchObject({ ok: false, code: "blank_not_open" });
    expect(await ann.emit(HAT_EVENTS.draw, { gameId: "other", blank: 0 })).toMatchObject({ ok: false, code: "no_game" });
    expect(await ann.emit(HAT_EVENTS.draw, { gameId, blank: "zero" })).toMatchObject({ ok: false, code: "bad_payload" });
    expect(await ann.emit(HAT_EVENTS.hostSetDial, { temperature: 2, topP: 1, topK: null })).toMatchObject({ ok: false, code: "not_host" });

    // A student who joins mid-game gets a story and a hat at once.
    const late = await joinedPlayer(server!.url, phones[0]!.snapshot!.room.code, "Late");
    clients.push(late);
    const lateHat = watchHat(late, { sync: true });
    const lateSnap = await lateHat.waitFor<PlayerHatSnapshot>((s) => isPlayer(s) && s.me?.phase === "ready");
    expect(lateSnap.me!.blank).toBe(0);
    expect(lateSnap.me!.hat!.dial.topP).toBe(0.5);

    await hatOk(host.emit(HAT_EVENTS.hostFinish));
    expect(await phones[1]!.emit(HAT_EVENTS.draw, { gameId, blank: 0 })).toMatchObject({ ok: false, code: "game_finished" });
    // Ann's recorded draw still answers.
    expect(await ann.emit(HAT_EVENTS.draw, { gameId, blank: 0 })).toMatchObject({ ok: true, data: { recorded: true } });
    await hatOk(host.emit(ROOM_EVENTS.hostStartRound, { prompt: "the cat" }));
  });

  it("ending the session finishes a running game; its recorded draws stay", async () => {
    const { host, hostHat, phones } = await classroom(2);
    const gameId = (await hatOk(host.emit<HatHostAck>(HAT_EVENTS.hostStart, { text: TEMPLATE }))).snapshot.game!.id;
    const [ann, ben] = phones as [Phone, Phone];
    await ready(ann, 0);
    const drawn = await hatOk(ann.emit<DrawAck>(HAT_EVENTS.draw, { gameId, blank: 0 }));

    await hatOk(host.emit(ROOM_EVENTS.hostEndSession));
    await hostHat.waitFor<StaffHatSnapshot>((s) => !isPlayer(s) && s.game?.status === "finished");
    const roomId = (await server!.app.rooms.room(ann.snapshot!.room.code))!.state.meta.id;
    const [stored] = await server!.app.hat.games(roomId);
    expect(stored!.game.status).toBe("finished");
    expect(stored!.draws.map((d) => d.fill)).toEqual([expect.objectContaining({ seed: drawn.fill.seed })]);
    expect(await ben.emit(HAT_EVENTS.draw, { gameId, blank: 0 })).toMatchObject({ ok: false });
  });
});
