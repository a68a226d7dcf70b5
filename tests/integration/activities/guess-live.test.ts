// A real server on a random port, a real PGlite database, the fake inference port, and 30 phones.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeInference } from "../../../server/inference/fake.ts";
import type { CreatedSession } from "../../../contract/http/sessions.ts";
import { GUESS_EVENTS, type GuessPieces, type VoteAck } from "../../../contract/protocol/guess.ts";
import { SESSION_EVENTS, type HostSnapshot } from "../../../contract/protocol/session.ts";
import { rankOf } from "../../../server/activities/guess/round-metrics.ts";
import type { TestDatabaseTarget } from "../../support/databases.ts";
import {
  connected,
  createSession,
  createTestDatabase,
  expectOk,
  guessMineOf,
  guessRound,
  guessViewOf,
  instructorCookie,
  joinedPlayer,
  roundOf,
  sessionClient,
  startActivity,
  startServer,
  type SessionClient,
  type TestServer,
} from "../session/session-kit.ts";

const WORDS = ["mat", "dog", "hat", "cat", "red"];
const PROMPT = "the cat sat on the";

describe("a live guess-the-next-token round", () => {
  let target: TestDatabaseTarget;
  let server: TestServer;
  let cookie: string;
  const inference = new FakeInference();
  const clients: SessionClient[] = [];

  beforeAll(async () => {
    target = await createTestDatabase("pglite");
    server = await startServer(target, inference);
    cookie = await instructorCookie(server);
  });

  afterAll(async () => {
    for (const c of clients) c.close();
    await server.stop();
    await target.drop();
  });

  async function hostOf(room: CreatedSession): Promise<SessionClient> {
    const host = sessionClient(server.url, room.code, { role: "host", cookie });
    clients.push(host);
    expect(await connected(host)).toEqual({ ok: true });
    await host.waitForSnapshot((s) => s.viewer === "host");
    return host;
  }

  async function players(room: CreatedSession, n: number, prefix = "Student") {
    const list = await Promise.all(Array.from({ length: n }, (_, i) => joinedPlayer(server.url, room.code, `${prefix} ${i + 1}`)));
    clients.push(...list);
    return list;
  }

  it("30 phones join, vote and change votes; every vote is stored and the reveal's numbers match the model", async () => {
    const room = await createSession(server, cookie, { title: "Thirty phones", prompts: [PROMPT] });
    expect(room.code).toMatch(/^[34679ACDEFGHJKMNPQRTUVWXY]{6}$/);
    expect(room.joinUrl).toMatch(new RegExp(`/join/${room.code}$`));
    expect(room.qrSvg).toContain("<svg");
    const host = await hostOf(room);
    const projector = sessionClient(server.url, room.code, { role: "projector", cookie });
    clients.push(projector);
    const phones = await players(room, 30);
    await projector.waitForCounts((c) => c.participantCount === 30);

    const started = await startActivity(host, guessRound({ mode: "round", promptIndex: 0 }));
    expect(started.activity).toMatchObject({ kind: "guess", status: "running" });
    expect(roundOf(started)?.status).toBe("voting");
    const prefixIds = roundOf(started)!.prefix.map((t) => t.id);
    await Promise.all(phones.map((p) => p.waitForSnapshot((s) => roundOf(s)?.status === "voting")));
    expect(roundOf(phones[0]!.snapshot)?.prefix.map((t) => t.text)).toEqual(["<s>", " the", " cat", " sat", " on", " the"]);

    // Everyone votes; every third student then changes their mind.
    const acks = await Promise.all(phones.map((p, i) => expectOk(p.emit<VoteAck>(GUESS_EVENTS.vote, { guess: WORDS[i % 5] }))));
    expect(acks[0]!.vote).toMatchObject({ guess: "mat", mapped: " mat", leadingSpaceAdded: true, tokenText: " mat", explanation: "' mat' = 1 token" });
    expect(acks.every((a) => !a.changed)).toBe(true);
    const changers = phones.filter((_, i) => i % 3 === 0);
    const changed = await Promise.all(changers.map((p, k) => expectOk(p.emit<VoteAck>(GUESS_EVENTS.vote, { guess: WORDS[(k + 2) % 5] }))));
    expect(changed.every((a) => a.changed)).toBe(true);
    await projector.waitForCounts((c) => c.activity?.counts.votes === 30);
    // The projector sees a count, never the histogram, while voting is open.
    expect(roundOf(projector.snapshot)?.reveal).toBeNull();

    // Every vote, changed ones included, is in the database already (committed before its ack).
    const stored = await fetch(`${server.url}/api/sessions/${room.code}/review`, { headers: { cookie } }).then((r) => r.json());
    expect(stored.data.review.rounds[0].votes).toHaveLength(30 + changers.length);

    const closed = await expectOk(host.emit<{ snapshot: HostSnapshot }>(GUESS_EVENTS.close));
    expect(closed.snapshot.activity?.status).toBe("finished");
    const reveal = roundOf(closed.snapshot)!.reveal!;
    const model = await inference.distribution({ ids: prefixIds }, { includeProbs: true, topK: 50, bottomK: 5 });
    const probs = model.probs!;
    expect(reveal.distribution.top).toEqual(model.top);
    expect(reveal.distribution.entropyBits).toBeCloseTo(model.entropyBits, 12);
    expect(reveal.distribution.restMass).toBeCloseTo(model.restMass, 12);

    const finalWord = phones.map((_, i) => (i % 3 === 0 ? WORDS[(i / 3 + 2) % 5]! : WORDS[i % 5]!));
    const finalIds = await Promise.all(finalWord.map(async (w) => (await inference.tokenize(` ${w}`)).filter((t) => !t.special)[0]!.id));
    const counts = new Map<number, number>();
    for (const id of finalIds) counts.set(id, (counts.get(id) ?? 0) + 1);
    expect(reveal.histogram.map((b) => [b.tokenId, b.count])).toEqual(
      [...counts.entries()].sort((a, b) => b[1] - a[1] || probs[b[0]]! - probs[a[0]]! || a[0] - b[0]),
    );
    for (const bar of reveal.histogram) {
      expect(bar.modelP).toBeCloseTo(probs[bar.tokenId]!, 15);
      expect(bar.modelRank).toBe(rankOf(probs, bar.tokenId));
    }
    const tvd = 0.5 * probs.reduce((sum, p, id) => sum + Math.abs((counts.get(id) ?? 0) / 30 - p), 0);
    expect(reveal.metrics.tvd).toBeCloseTo(tvd, 10);
    const avgLoss = finalIds.reduce((sum, id) => sum - Math.log2(probs[id]!), 0) / 30;
    expect(reveal.metrics.avgLossBits).toBeCloseTo(avgLoss, 10);
    expect(reveal.metrics.modelTop).toEqual(model.top[0]);

    // Each phone gets its own p, rank and surprise.
    await Promise.all(phones.map((p) => p.waitForSnapshot((s) => roundOf(s)?.status === "revealed")));
    phones.forEach((phone, i) => {
      const me = guessMineOf(phone.snapshot)!;
      expect(me.result).toMatchObject({ tokenId: finalIds[i], p: probs[finalIds[i]!], rank: rankOf(probs, finalIds[i]!) });
      expect(me.result!.surpriseBits).toBeCloseTo(-Math.log2(probs[finalIds[i]!]!), 12);
      expect(me.totalLossBits).toBeCloseTo(me.result!.surpriseBits, 12);
    });

    // The model's top token is appended with its probability; the next round continues the text.
    const picked = await expectOk(host.emit<{ snapshot: HostSnapshot }>(GUESS_EVENTS.pick, { how: "model_top" }));
    const top = model.top[0]!;
    expect(guessViewOf(picked.snapshot)!.threads[0]!.appended).toEqual([{ id: top.id, text: top.text, p: top.p, how: "model_top", roundNumber: 1, temperature: null, seed: null }]);
    const next = await startActivity(host, guessRound({ mode: "continue" }));
    expect(roundOf(next)!.prefix.map((t) => t.id)).toEqual([...prefixIds, top.id]);
    expect(roundOf(next)!.prompt).toBe(PROMPT + top.text);
    // Every phone, not just the host's ack, sees the continued round open for votes.
    const nextId = roundOf(next)!.id;
    await Promise.all(phones.map((p) => p.waitForSnapshot((s) => roundOf(s)?.id === nextId && roundOf(s)?.status === "voting")));
  });

  it("a phone previews how its guess tokenizes, with the leading-space rule spelled out", async () => {
    const room = await createSession(server, cookie, { title: "Preview" });
    const host = await hostOf(room);
    const [phone] = await players(room, 1);
    expect(await phone!.emit(GUESS_EVENTS.preview, { guess: "dog" })).toMatchObject({ ok: false, code: "no_round" });
    await startActivity(host, guessRound({ mode: "round", prompt: PROMPT }));
    const preview = await expectOk(phone!.emit<GuessPieces>(GUESS_EVENTS.preview, { guess: "big red" }));
    expect(preview).toMatchObject({ guess: "big red", mapped: " big red", leadingSpaceAdded: true, explanation: "' big red' = ' big' + ' red' (2 tokens; the first one counts)" });
    expect(preview).not.toHaveProperty("p");
    const exact = await expectOk(phone!.emit<GuessPieces>(GUESS_EVENTS.preview, { guess: ".", exact: true }));
    expect(exact).toMatchObject({ mapped: ".", leadingSpaceAdded: false, explanation: "'.' = 1 token" });
  });

  it("a phone that disconnects mid-round comes back with the same participant, vote and score", async () => {
    const room = await createSession(server, cookie, { title: "Reconnect" });
    const host = await hostOf(room);
    const [phone, other] = await players(room, 2);
    await startActivity(host, guessRound({ mode: "round", prompt: PROMPT }));
    await expectOk(phone!.emit(GUESS_EVENTS.vote, { guess: "mat" }));
    phone!.close();
    await host.waitForSnapshot((s) => s.viewer === "host" && s.session.connectedCount === 1);

    const back = sessionClient(server.url, room.code, { participantToken: phone!.token });
    clients.push(back);
    const snap = await back.waitForSnapshot((s) => s.viewer === "player");
    expect(snap.viewer === "player" && snap.me).toMatchObject({ id: phone!.participantId, nickname: "Student 1" });
    expect(guessMineOf(snap)?.vote).toMatchObject({ guess: "mat", tokenText: " mat" });
    await host.waitForSnapshot((s) => s.viewer === "host" && s.session.connectedCount === 2 && s.session.participantCount === 2);

    await expectOk(other!.emit(GUESS_EVENTS.vote, { guess: "dog" }));
    await expectOk(host.emit(GUESS_EVENTS.close));
    const revealed = await back.waitForSnapshot((s) => roundOf(s)?.status === "revealed");
    expect(guessMineOf(revealed)?.result?.tokenText).toBe(" mat");
    expect(guessMineOf(revealed)?.roundsScored).toBe(1);
  });

  it("a timed round closes itself when the timer the rules asked for fires, and phones get the reveal", async () => {
    const room = await createSession(server, cookie, { title: "Timer" });
    const host = await hostOf(room);
    const [phone] = await players(room, 1);
    const started = await startActivity(host, guessRound({ mode: "round", prompt: PROMPT, timerSeconds: 5 }));
    expect(roundOf(started)!.timer).toMatchObject({ remainingMs: 5000, endsAt: expect.any(Number) });
    await expectOk(phone!.emit(GUESS_EVENTS.vote, { guess: "mat" }));
    const revealed = await phone!.waitForSnapshot((s) => roundOf(s)?.status === "revealed", 30_000);
    expect(guessMineOf(revealed)?.result?.tokenText).toBe(" mat");
    expect(await host.emit(GUESS_EVENTS.close)).toMatchObject({ ok: false, code: "not_voting" });
  });

  it("bad payloads, unknown events and out-of-phase actions get stable error codes, and the server keeps going", async () => {
    const room = await createSession(server, cookie, { title: "Bad input" });
    const host = await hostOf(room);
    const [phone] = await players(room, 1);
    expect(await phone!.emit(GUESS_EVENTS.vote, { guess: 42 })).toMatchObject({ ok: false, code: "bad_payload", message: expect.any(String) });
    expect(await phone!.emit(GUESS_EVENTS.vote, "not an object")).toMatchObject({ ok: false, code: "bad_payload" });
    expect(await phone!.emit(GUESS_EVENTS.vote, { guess: "x".repeat(5000) })).toMatchObject({ ok: false, code: "bad_payload" });
    expect(await phone!.emit(SESSION_EVENTS.join, { nickname: "again" })).toMatchObject({ ok: false, code: "already_joined" });
    expect(await phone!.emit("player:teleport", {})).toMatchObject({ ok: false, code: "bad_payload" });
    expect(await phone!.emit(GUESS_EVENTS.vote, { guess: "mat" })).toMatchObject({ ok: false, code: "no_round" });
    expect(await host.emit(GUESS_EVENTS.close)).toMatchObject({ ok: false, code: "no_round" });
    expect(await host.emit(SESSION_EVENTS.start, { kind: "guess", input: { mode: "bogus" } })).toMatchObject({ ok: false, code: "bad_payload" });
    expect(await host.emit(SESSION_EVENTS.start, guessRound({ mode: "round", promptIndex: 3 }))).toMatchObject({ ok: false, code: "prompt_not_found" });
    expect(await host.emit(SESSION_EVENTS.start, guessRound({ mode: "round", prompt: "x".repeat(1000) }))).toMatchObject({ ok: false, code: "prompt_too_long", message: expect.stringContaining("300") });
    expect(await host.emit(GUESS_EVENTS.pick, { how: "sample", temperature: 99 })).toMatchObject({ ok: false, code: "bad_payload" });
    await startActivity(host, guessRound({ mode: "round", prompt: PROMPT }));
    expect(await phone!.emit(GUESS_EVENTS.vote, { guess: "   " })).toMatchObject({ ok: false, code: "guess_empty" });
    expect(await host.emit(SESSION_EVENTS.start, guessRound({ mode: "round", prompt: "y" }))).toMatchObject({ ok: false, code: "activity_running" });
    expect(await host.emit(GUESS_EVENTS.pick, { how: "model_top" })).toMatchObject({ ok: false, code: "not_revealed" });
    await expectOk(host.emit(GUESS_EVENTS.close));
    expect(await phone!.emit(GUESS_EVENTS.vote, { guess: "mat" })).toMatchObject({ ok: false, code: "voting_closed" });
    expect(await host.emit(GUESS_EVENTS.pick, { how: "favourite" })).toMatchObject({ ok: false, code: "no_votes" });

    const refusals = await Promise.all([
      connected(sessionClient(server.url, room.code, { protocolVersion: 999 })),
      connected(sessionClient(server.url, "AAAAAA")),
      connected(sessionClient(server.url, "not a code")),
      connected(sessionClient(server.url, room.code, { participantToken: "made-up" })),
      connected(sessionClient(server.url, room.code, { rawAuth: { hello: "world" } })),
    ]);
    expect(refusals).toEqual([
      { ok: false, code: "protocol_mismatch" },
      { ok: false, code: "room_not_found" },
      { ok: false, code: "bad_code" },
      { ok: false, code: "participant_unknown" },
      { ok: false, code: "protocol_mismatch" },
    ]);
    expect((await fetch(`${server.url}/api/health`)).status).toBeLessThan(600);
    expect(await phone!.emit(SESSION_EVENTS.sync)).toMatchObject({ ok: true, data: { viewer: "player" } });
  });

  it("a student can never act as host: host events are refused, and host sockets need the owner's cookie", async () => {
    const room = await createSession(server, cookie, { title: "Who is host" });
    const [phone] = await players(room, 1);
    for (const event of [SESSION_EVENTS.start, GUESS_EVENTS.close, SESSION_EVENTS.kick, SESSION_EVENTS.lock, SESSION_EVENTS.end, SESSION_EVENTS.next]) {
      expect(await phone!.emit(event, {})).toMatchObject({ ok: false, code: "not_host" });
    }
    expect(await connected(sessionClient(server.url, room.code, { role: "host" }))).toEqual({ ok: false, code: "unauthorized" });
    expect(await connected(sessionClient(server.url, room.code, { role: "projector", cookie: "th_session=forged" }))).toEqual({ ok: false, code: "unauthorized" });
    const projector = sessionClient(server.url, room.code, { role: "projector", cookie });
    clients.push(projector);
    await projector.waitForSnapshot((s) => s.viewer === "projector");
    expect(await projector.emit(SESSION_EVENTS.start, guessRound({ mode: "round", prompt: "x" }))).toMatchObject({ ok: false, code: "not_host" });
    // A signed-in instructor who does not own the room is not its host either.
    const invite = await fetch(`${server.url}/api/accounts`, {
      method: "POST",
      headers: { "content-type": "application/json", cookie },
      body: JSON.stringify({ email: "bo@example.org", name: "Bo", role: "instructor", password: "other horse" }),
    });
    expect(invite.status).toBe(201);
    const signIn = await fetch(`${server.url}/api/auth/signin`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email: "bo@example.org", password: "other horse" }) });
    const otherCookie = signIn.headers.get("set-cookie")!.split(";")[0]!;
    expect(await connected(sessionClient(server.url, room.code, { role: "host", cookie: otherCookie }))).toEqual({ ok: false, code: "unauthorized" });
  });

  it("the host renames, kicks and locks; a kicked phone cannot come back, a locked room still lets phones rejoin", async () => {
    const room = await createSession(server, cookie, { title: "Control" });
    const host = await hostOf(room);
    const [a, b] = await players(room, 2);
    expect(await host.emit(SESSION_EVENTS.rename, { participantId: a!.participantId, nickname: "Student 2" })).toMatchObject({ ok: false, code: "nickname_taken" });
    const renamed = await expectOk(host.emit<{ snapshot: HostSnapshot }>(SESSION_EVENTS.rename, { participantId: a!.participantId, nickname: "Ann" }));
    expect(renamed.snapshot.participants.find((p) => p.id === a!.participantId)?.nickname).toBe("Ann");
    await a!.waitForSnapshot((s) => s.viewer === "player" && s.me?.nickname === "Ann" && (s.me.nicknameNote ?? "").includes("renamed"));

    const disconnected = new Promise((resolve) => b!.socket.once("disconnect", resolve));
    await expectOk(host.emit(SESSION_EVENTS.kick, { participantIds: [b!.participantId] }));
    await disconnected;
    expect(b!.kicked).toBe(true);
    expect(await connected(sessionClient(server.url, room.code, { participantToken: b!.token }))).toEqual({ ok: false, code: "kicked" });

    await expectOk(host.emit(SESSION_EVENTS.lock, { locked: true }));
    const latecomer = sessionClient(server.url, room.code);
    clients.push(latecomer);
    await connected(latecomer);
    expect(await latecomer.emit(SESSION_EVENTS.join, { nickname: "Late" })).toMatchObject({ ok: false, code: "room_locked" });
    a!.close();
    const back = sessionClient(server.url, room.code, { participantToken: a!.token });
    clients.push(back);
    expect(await connected(back)).toEqual({ ok: true });
  });

  it("sample picks record temperature and seed; compare rounds predict and reveal; the session exports as JSON and one CSV per table", async () => {
    const room = await createSession(server, cookie, { title: "Export me" });
    const host = await hostOf(room);
    const [phone] = await players(room, 1);
    await startActivity(host, guessRound({ mode: "round", prompt: PROMPT, timerSeconds: 60 }));
    await expectOk(phone!.emit(GUESS_EVENTS.vote, { guess: "=cmd()" }));
    await expectOk(host.emit(GUESS_EVENTS.close));
    const picked = await expectOk(host.emit<{ snapshot: HostSnapshot }>(GUESS_EVENTS.pick, { how: "sample", temperature: 0.7 }));
    const pick = roundOf(picked.snapshot)!.pick!;
    expect(pick).toMatchObject({ how: "sample", temperature: 0.7 });
    const replay = await inference.sample({ ids: roundOf(picked.snapshot)!.prefix.map((t) => t.id) }, { temperature: 0.7, seed: pick.seed! });
    expect(pick.token.id).toBe(replay.token.id);

    const compare = await startActivity(host, guessRound({ mode: "compare", spec: { compare: "models", prompt: "the dog", modelB: "fake-instruct", chat: true } }));
    expect(roundOf(compare)!.compare).toMatchObject({ mode: "models", a: { model: "fake-base", chat: false, distribution: null }, b: { model: "fake-instruct", chat: true } });
    expect(await host.emit(SESSION_EVENTS.start, guessRound({ mode: "compare", spec: { compare: "models", prompt: "the dog", modelB: "nope" } }))).toMatchObject({ ok: false, code: "activity_running" });
    expect(await expectOk(phone!.emit(GUESS_EVENTS.predict, { side: "b" }))).toEqual({ prediction: "b" });
    const revealed = await expectOk(host.emit<{ snapshot: HostSnapshot }>(GUESS_EVENTS.close));
    expect(roundOf(revealed.snapshot)!.compare!.predictions).toMatchObject({ a: 0, b: 1, surer: expect.stringMatching(/^[ab]$/) });
    expect(roundOf(revealed.snapshot)!.compare!.a.distribution?.entropyBits).toBeGreaterThan(0);
    expect(await host.emit(SESSION_EVENTS.start, guessRound({ mode: "compare", spec: { compare: "models", prompt: "the dog", modelB: "nope" } }))).toMatchObject({ ok: false, code: "model_not_found" });
    await expectOk(host.emit(SESSION_EVENTS.end));

    expect((await fetch(`${server.url}/api/sessions/${room.code}/export/votes.csv`)).status).toBe(401);
    const votes = await (await fetch(`${server.url}/api/sessions/${room.code}/export/votes.csv`, { headers: { cookie } })).text();
    const lines = votes.replace(/^\uFEFF/, "").trim().split(/\r?\n/);
    expect(lines[0]).toMatch(/^session_code,round,prompt,participant_id/);
    expect(lines).toHaveLength(2);
    expect(votes).toContain("'=cmd()");
    const rounds = await (await fetch(`${server.url}/api/sessions/${room.code}/export/rounds.csv`, { headers: { cookie } })).text();
    expect(rounds.trim().split(/\r?\n/)).toHaveLength(3);
    const sides = await (await fetch(`${server.url}/api/sessions/${room.code}/export/compare_sides.csv`, { headers: { cookie } })).text();
    expect(sides.trim().split(/\r?\n/)).toHaveLength(3);
    const json = await (await fetch(`${server.url}/api/sessions/${room.code}/export.json`, { headers: { cookie } })).json();
    expect(json.format).toBe("token-hat-session/2");
    expect(json.room.model).toMatchObject({ id: "fake-base", sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(json.rounds[0]).toMatchObject({ params: { topK: 50, temperature: 1, chat: false }, pick: { seed: pick.seed, temperature: 0.7 } });
    expect(json.rounds[0].prefixIds.length).toBeGreaterThan(1);
    expect(json.rounds[1].compare.b).toMatchObject({ model: "fake-instruct", chat: true });
    expect(json.rounds[1].compare.predictions).toEqual([{ participantId: phone!.participantId, nickname: "Student 1", side: "b" }]);
    const list = await (await fetch(`${server.url}/api/sessions`, { headers: { cookie } })).json();
    expect(list.data.sessions.some((r: { code: string; status: string }) => r.code === room.code && r.status === "ended")).toBe(true);
  });
});
