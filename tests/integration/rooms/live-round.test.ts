// A real server on a random port, a real PGlite database, the fake inference port, and 30 phones.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeInference } from "../../../server/inference/fake.ts";
import { ROOM_EVENTS, type CreatedRoom, type GuessPieces, type HostSnapshot, type PlayerSnapshot, type VoteAck } from "../../../server/protocol/room-protocol.ts";
import { rankOf } from "../../../server/activities/guess/round-metrics.ts";
import type { TestDatabaseTarget } from "../../support/databases.ts";
import { connected, createRoom, createTestDatabase, expectOk, instructorCookie, joinedPlayer, roomClient, startRoomServer, type RoomClient, type RoomServer } from "./room-test-kit.ts";

const WORDS = ["mat", "dog", "hat", "cat", "red"];
const PROMPT = "the cat sat on the";

describe("a live guess-the-next-token round", () => {
  let target: TestDatabaseTarget;
  let server: RoomServer;
  let cookie: string;
  const inference = new FakeInference();
  const clients: RoomClient[] = [];

  beforeAll(async () => {
    target = await createTestDatabase("pglite");
    server = await startRoomServer(target, inference);
    cookie = await instructorCookie(server);
  });

  afterAll(async () => {
    for (const c of clients) c.close();
    await server.stop();
    await target.drop();
  });

  async function hostOf(room: CreatedRoom): Promise<RoomClient> {
    const host = roomClient(server.url, room.code, { role: "host", cookie });
    clients.push(host);
    expect(await connected(host)).toEqual({ ok: true });
    await host.waitForSnapshot((s) => s.viewer === "host");
    return host;
  }

  async function players(room: CreatedRoom, n: number, prefix = "Student") {
    const list = await Promise.all(Array.from({ length: n }, (_, i) => joinedPlayer(server.url, room.code, `${prefix} ${i + 1}`)));
    clients.push(...list);
    return list;
  }

  it("30 phones join, vote and change votes; every vote is stored and the reveal's numbers match the model", async () => {
    const room = await createRoom(server, cookie, { title: "Thirty phones", prompts: [PROMPT] });
    expect(room.code).toMatch(/^[34679ACDEFGHJKMNPQRTUVWXY]{6}$/);
    expect(room.joinUrl).toMatch(new RegExp(`/join/${room.code}$`));
    expect(room.qrSvg).toContain("<svg");
    const host = await hostOf(room);
    const projector = roomClient(server.url, room.code, { role: "projector", cookie });
    clients.push(projector);
    const phones = await players(room, 30);
    await projector.waitForCounts((c) => c.participantCount === 30);

    const started = await expectOk(host.emit<{ snapshot: HostSnapshot }>(ROOM_EVENTS.hostStartRound, { promptIndex: 0 }));
    expect(started.snapshot.room.phase).toBe("voting");
    const prefixIds = started.snapshot.round!.prefix.map((t) => t.id);
    await Promise.all(phones.map((p) => p.waitForSnapshot((s) => s.round?.status === "voting")));
    expect((phones[0]!.snapshot as PlayerSnapshot).round?.prefix.map((t) => t.text)).toEqual(["<s>", " the", " cat", " sat", " on", " the"]);

    // Everyone votes; every third student then changes their mind.
    const acks = await Promise.all(phones.map((p, i) => expectOk(p.emit<VoteAck>(ROOM_EVENTS.playerVote, { guess: WORDS[i % 5] }))));
    expect(acks[0]!.vote).toMatchObject({ guess: "mat", mapped: " mat", leadingSpaceAdded: true, tokenText: " mat", explanation: "' mat' = 1 token" });
    expect(acks.every((a) => !a.changed)).toBe(true);
    const changers = phones.filter((_, i) => i % 3 === 0);
    const changed = await Promise.all(changers.map((p, k) => expectOk(p.emit<VoteAck>(ROOM_EVENTS.playerVote, { guess: WORDS[(k + 2) % 5] }))));
    expect(changed.every((a) => a.changed)).toBe(true);
    await projector.waitForCounts((c) => c.voteCount === 30);
    // The projector sees a count, never the histogram, while voting is open.
    expect(projector.snapshot?.round?.reveal).toBeNull();

    // Every vote, changed ones included, is in the database already (committed before its ack).
    const stored = await fetch(`${server.url}/api/rooms/${room.code}/review`, { headers: { cookie } }).then((r) => r.json());
    expect(stored.data.rounds[0].votes).toHaveLength(30 + changers.length);

    const closed = await expectOk(host.emit<{ snapshot: HostSnapshot }>(ROOM_EVENTS.hostCloseRound));
    const reveal = closed.snapshot.round!.reveal!;
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
    await Promise.all(phones.map((p) => p.waitForSnapshot((s) => s.round?.status === "revealed")));
    phones.forEach((phone, i) => {
      const me = (phone.snapshot as PlayerSnapshot).me!;
      expect(me.result).toMatchObject({ tokenId: finalIds[i], p: probs[finalIds[i]!], rank: rankOf(probs, finalIds[i]!) });
      expect(me.result!.surpriseBits).toBeCloseTo(-Math.log2(probs[finalIds[i]!]!), 12);
      expect(me.totalLossBits).toBeCloseTo(me.result!.surpriseBits, 12);
    });

    // The class favourite is appended with its model probability; the next round continues the text.
    const picked = await expectOk(host.emit<{ snapshot: HostSnapshot }>(ROOM_EVENTS.hostPickToken, { how: "favourite" }));
    const favourite = reveal.histogram[0]!;
    expect(picked.snapshot.threads[0]!.appended).toEqual([{ id: favourite.tokenId, text: favourite.text, p: favourite.modelP, how: "favourite", roundNumber: 1, temperature: null, seed: null }]);
    const next = await expectOk(host.emit<{ snapshot: HostSnapshot }>(ROOM_EVENTS.hostStartRound, {}));
    expect(next.snapshot.round!.prefix.map((t) => t.id)).toEqual([...prefixIds, favourite.tokenId]);
    expect(next.snapshot.round!.prompt).toBe(PROMPT + favourite.text);
  });

  it("a phone previews how its guess tokenizes, with the leading-space rule spelled out", async () => {
    const room = await createRoom(server, cookie, { title: "Preview" });
    const host = await hostOf(room);
    const [phone] = await players(room, 1);
    expect(await phone!.emit(ROOM_EVENTS.playerPreviewGuess, { guess: "dog" })).toMatchObject({ ok: false, code: "no_round" });
    await expectOk(host.emit(ROOM_EVENTS.hostStartRound, { prompt: PROMPT }));
    const preview = await expectOk(phone!.emit<GuessPieces>(ROOM_EVENTS.playerPreviewGuess, { guess: "big red" }));
    expect(preview).toMatchObject({ guess: "big red", mapped: " big red", leadingSpaceAdded: true, explanation: "' big red' = ' big' + ' red' (2 tokens; the first one counts)" });
    expect(preview).not.toHaveProperty("p");
    const exact = await expectOk(phone!.emit<GuessPieces>(ROOM_EVENTS.playerPreviewGuess, { guess: ".", exact: true }));
    expect(exact).toMatchObject({ mapped: ".", leadingSpaceAdded: false, explanation: "'.' = 1 token" });
  });

  it("a phone that disconnects mid-round comes back with the same participant, vote and score", async () => {
    const room = await createRoom(server, cookie, { title: "Reconnect" });
    const host = await hostOf(room);
    const [phone, other] = await players(room, 2);
    await expectOk(host.emit(ROOM_EVENTS.hostStartRound, { prompt: PROMPT }));
    await expectOk(phone!.emit(ROOM_EVENTS.playerVote, { guess: "mat" }));
    phone!.close();
    await host.waitForSnapshot((s) => s.viewer === "host" && s.room.connectedCount === 1);

    const back = roomClient(server.url, room.code, { participantToken: phone!.token });
    clients.push(back);
    const snap = (await back.waitForSnapshot((s) => s.viewer === "player")) as PlayerSnapshot;
    expect(snap.me).toMatchObject({ id: phone!.participantId, nickname: "Student 1", vote: { guess: "mat", tokenText: " mat" } });
    await host.waitForSnapshot((s) => s.viewer === "host" && s.room.connectedCount === 2 && s.room.participantCount === 2);

    await expectOk(other!.emit(ROOM_EVENTS.playerVote, { guess: "dog" }));
    await expectOk(host.emit(ROOM_EVENTS.hostCloseRound));
    const revealed = (await back.waitForSnapshot((s) => s.round?.status === "revealed")) as PlayerSnapshot;
    expect(revealed.me?.result?.tokenText).toBe(" mat");
    expect(revealed.me?.roundsScored).toBe(1);
  });

  it("a timed round closes itself when the timer the rules asked for fires, and phones get the reveal", async () => {
    const room = await createRoom(server, cookie, { title: "Timer" });
    const host = await hostOf(room);
    const [phone] = await players(room, 1);
    const started = await expectOk(host.emit<{ snapshot: HostSnapshot }>(ROOM_EVENTS.hostStartRound, { prompt: PROMPT, timerSeconds: 5 }));
    expect(started.snapshot.round!.timer).toMatchObject({ remainingMs: 5000, endsAt: expect.any(Number) });
    await expectOk(phone!.emit(ROOM_EVENTS.playerVote, { guess: "mat" }));
    const revealed = (await phone!.waitForSnapshot((s) => s.round?.status === "revealed", 30_000)) as PlayerSnapshot;
    expect(revealed.me?.result?.tokenText).toBe(" mat");
    expect(await host.emit(ROOM_EVENTS.hostCloseRound)).toMatchObject({ ok: false, code: "not_voting" });
  });

  it("bad payloads, unknown events and out-of-phase actions get stable error codes, and the server keeps going", async () => {
    const room = await createRoom(server, cookie, { title: "Bad input" });
    const host = await hostOf(room);
    const [phone] = await players(room, 1);
    expect(await phone!.emit(ROOM_EVENTS.playerVote, { guess: 42 })).toMatchObject({ ok: false, code: "bad_payload", message: expect.any(String) });
    expect(await phone!.emit(ROOM_EVENTS.playerVote, "not an object")).toMatchObject({ ok: false, code: "bad_payload" });
    expect(await phone!.emit(ROOM_EVENTS.playerVote, { guess: "x".repeat(5000) })).toMatchObject({ ok: false, code: "bad_payload" });
    expect(await phone!.emit(ROOM_EVENTS.playerJoin, { nickname: "again" })).toMatchObject({ ok: false, code: "already_joined" });
    expect(await phone!.emit("player:teleport", {})).toMatchObject({ ok: false, code: "bad_payload" });
    expect(await phone!.emit(ROOM_EVENTS.playerVote, { guess: "mat" })).toMatchObject({ ok: false, code: "no_round" });
    expect(await host.emit(ROOM_EVENTS.hostCloseRound)).toMatchObject({ ok: false, code: "no_round" });
    expect(await host.emit(ROOM_EVENTS.hostStartRound, { prompt: "x", promptIndex: 0 })).toMatchObject({ ok: false, code: "bad_payload" });
    expect(await host.emit(ROOM_EVENTS.hostStartRound, { promptIndex: 3 })).toMatchObject({ ok: false, code: "prompt_not_found" });
    expect(await host.emit(ROOM_EVENTS.hostPickToken, { how: "sample", temperature: 99 })).toMatchObject({ ok: false, code: "bad_payload" });
    await expectOk(host.emit(ROOM_EVENTS.hostStartRound, { prompt: PROMPT }));
    expect(await phone!.emit(ROOM_EVENTS.playerVote, { guess: "   " })).toMatchObject({ ok: false, code: "guess_empty" });
    expect(await host.emit(ROOM_EVENTS.hostStartRound, { prompt: "y" })).toMatchObject({ ok: false, code: "round_open" });
    expect(await host.emit(ROOM_EVENTS.hostPickToken, { how: "model_top" })).toMatchObject({ ok: false, code: "not_revealed" });
    await expectOk(host.emit(ROOM_EVENTS.hostCloseRound));
    expect(await phone!.emit(ROOM_EVENTS.playerVote, { guess: "mat" })).toMatchObject({ ok: false, code: "voting_closed" });
    expect(await host.emit(ROOM_EVENTS.hostPickToken, { how: "favourite" })).toMatchObject({ ok: false, code: "no_votes" });

    const refusals = await Promise.all([
      connected(roomClient(server.url, room.code, { protocolVersion: 999 })),
      connected(roomClient(server.url, "AAAAAA")),
      connected(roomClient(server.url, "not a code")),
      connected(roomClient(server.url, room.code, { participantToken: "made-up" })),
      connected(roomClient(server.url, room.code, { rawAuth: { hello: "world" } })),
    ]);
    expect(refusals).toEqual([
      { ok: false, code: "protocol_mismatch" },
      { ok: false, code: "room_not_found" },
      { ok: false, code: "bad_code" },
      { ok: false, code: "participant_unknown" },
      { ok: false, code: "protocol_mismatch" },
    ]);
    expect((await fetch(`${server.url}/api/health`)).status).toBeLessThan(600);
    expect(await phone!.emit(ROOM_EVENTS.roomSync)).toMatchObject({ ok: true, data: { viewer: "player" } });
  });

  it("a student can never act as host: host events are refused, and host sockets need the owner's cookie", async () => {
    const room = await createRoom(server, cookie, { title: "Who is host" });
    const [phone] = await players(room, 1);
    for (const event of [ROOM_EVENTS.hostStartRound, ROOM_EVENTS.hostCloseRound, ROOM_EVENTS.hostKick, ROOM_EVENTS.hostSetLocked, ROOM_EVENTS.hostEndSession]) {
      expect(await phone!.emit(event, {})).toMatchObject({ ok: false, code: "not_host" });
    }
    expect(await connected(roomClient(server.url, room.code, { role: "host" }))).toEqual({ ok: false, code: "unauthorized" });
    expect(await connected(roomClient(server.url, room.code, { role: "projector", cookie: "th_session=forged" }))).toEqual({ ok: false, code: "unauthorized" });
    const projector = roomClient(server.url, room.code, { role: "projector", cookie });
    clients.push(projector);
    await projector.waitForSnapshot((s) => s.viewer === "projector");
    expect(await projector.emit(ROOM_EVENTS.hostStartRound, { prompt: "x" })).toMatchObject({ ok: false, code: "not_host" });
    // A signed-in instructor who does not own the room is not its host either.
    const invite = await fetch(`${server.url}/api/accounts`, {
      method: "POST",
      headers: { "content-type": "application/json", cookie },
      body: JSON.stringify({ email: "bo@example.org", name: "Bo", role: "instructor", password: "other horse" }),
    });
    expect(invite.status).toBe(201);
    const signIn = await fetch(`${server.url}/api/auth/signin`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email: "bo@example.org", password: "other horse" }) });
    const otherCookie = signIn.headers.get("set-cookie")!.split(";")[0]!;
    expect(await connected(roomClient(server.url, room.code, { role: "host", cookie: otherCookie }))).toEqual({ ok: false, code: "unauthorized" });
  });

  it("the host renames, kicks and locks; a kicked phone cannot come back, a locked room still lets phones rejoin", async () => {
    const room = await createRoom(server, cookie, { title: "Control" });
    const host = await hostOf(room);
    const [a, b] = await players(room, 2);
    const renamed = await expectOk(host.emit<{ snapshot: HostSnapshot }>(ROOM_EVENTS.hostRename, { participantId: a!.participantId, nickname: "Student 2" }));
    expect(renamed.snapshot.participants.find((p) => p.id === a!.participantId)?.nickname).toBe("Student 2 2");
    await a!.waitForSnapshot((s) => (s as PlayerSnapshot).me?.nickname === "Student 2 2");

    const disconnected = new Promise((resolve) => b!.socket.once("disconnect", resolve));
    await expectOk(host.emit(ROOM_EVENTS.hostKick, { participantId: b!.participantId }));
    await disconnected;
    expect(b!.kicked).toBe(true);
    expect(await connected(roomClient(server.url, room.code, { participantToken: b!.token }))).toEqual({ ok: false, code: "kicked" });

    await expectOk(host.emit(ROOM_EVENTS.hostSetLocked, { locked: true }));
    const latecomer = roomClient(server.url, room.code);
    clients.push(latecomer);
    await connected(latecomer);
    expect(await latecomer.emit(ROOM_EVENTS.playerJoin, { nickname: "Late" })).toMatchObject({ ok: false, code: "room_locked" });
    a!.close();
    const back = roomClient(server.url, room.code, { participantToken: a!.token });
    clients.push(back);
    expect(await connected(back)).toEqual({ ok: true });
  });

  it("sample picks record temperature and seed; compare rounds show two distributions; the session exports as CSV and JSON", async () => {
    const room = await createRoom(server, cookie, { title: "Export me" });
    const host = await hostOf(room);
    const [phone] = await players(room, 1);
    await expectOk(host.emit(ROOM_EVENTS.hostStartRound, { prompt: PROMPT, timerSeconds: 60 }));
    await expectOk(phone!.emit(ROOM_EVENTS.playerVote, { guess: "=cmd()" }));
    await expectOk(host.emit(ROOM_EVENTS.hostCloseRound));
    const picked = await expectOk(host.emit<{ snapshot: HostSnapshot }>(ROOM_EVENTS.hostPickToken, { how: "sample", temperature: 0.7 }));
    const pick = picked.snapshot.round!.pick!;
    expect(pick).toMatchObject({ how: "sample", temperature: 0.7 });
    const replay = await inference.sample({ ids: picked.snapshot.round!.prefix.map((t) => t.id) }, { temperature: 0.7, seed: pick.seed! });
    expect(pick.token.id).toBe(replay.token.id);

    const compare = await expectOk(host.emit<{ snapshot: HostSnapshot }>(ROOM_EVENTS.hostStartCompare, { mode: "models", prompt: "the dog", modelB: "fake-instruct" }));
    expect(compare.snapshot.round!.compare).toMatchObject({ mode: "models", a: { model: "fake-base" }, b: { model: "fake-instruct" } });
    expect(await host.emit(ROOM_EVENTS.hostStartCompare, { mode: "models", prompt: "the dog", modelB: "nope" })).toMatchObject({ ok: false, code: "model_not_found" });
    await expectOk(host.emit(ROOM_EVENTS.hostEndSession));

    expect((await fetch(`${server.url}/api/rooms/${room.code}/export.csv`)).status).toBe(401);
    const csv = await (await fetch(`${server.url}/api/rooms/${room.code}/export.csv`, { headers: { cookie } })).text();
    const lines = csv.replace(/^\uFEFF/, "").trim().split(/\r?\n/);
    expect(lines[0]).toMatch(/^row_type,session_code,round_number/);
    expect(lines.filter((l) => l.startsWith("round,"))).toHaveLength(2);
    expect(lines.filter((l) => l.startsWith("vote,"))).toHaveLength(1);
    expect(csv).toContain("'=cmd()");
    const json = await (await fetch(`${server.url}/api/rooms/${room.code}/export.json`, { headers: { cookie } })).json();
    expect(json.format).toBe("token-hat-session/1");
    expect(json.room.model).toMatchObject({ id: "fake-base", sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(json.rounds[0]).toMatchObject({ params: { topK: 50, temperature: 1, chat: false }, pick: { seed: pick.seed, temperature: 0.7 } });
    expect(json.rounds[0].prefixIds.length).toBeGreaterThan(1);
    expect(json.rounds[1].compare.b.request.model).toBe("fake-instruct");
    const list = await (await fetch(`${server.url}/api/rooms`, { headers: { cookie } })).json();
    expect(list.data.rooms.some((r: { code: string; phase: string }) => r.code === room.code && r.phase === "ended")).toBe(true);
  });
});
