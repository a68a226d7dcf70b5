// A server restart in the middle of a round, and rate limiting of room-code guesses.
import { afterEach, describe, expect, it } from "vitest";
import { FakeInference } from "../../../server/inference/fake.ts";
import { GUESS_EVENTS } from "../../../contract/protocol/guess.ts";
import { SESSION_EVENTS, type HostSnapshot } from "../../../contract/protocol/session.ts";
import { createJoinGuard } from "../../../server/session/join-guard.ts";
import type { TestDatabaseTarget } from "../../support/databases.ts";
import {
  connected,
  createSession,
  createTestDatabase,
  expectOk,
  guessMineOf,
  guessRound,
  instructorCookie,
  joinedPlayer,
  roundOf,
  sessionClient,
  startActivity,
  startServer,
  type SessionClient,
  type TestServer,
} from "./session-kit.ts";

const PROMPT = "the cat sat on the";

describe("rooms across a restart, and guessing codes", () => {
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

  it("a server restart mid-round resumes the session from the database; phones reconnect on their own and keep their votes", async () => {
    target = await createTestDatabase("pglite");
    server = await startServer(target, new FakeInference());
    const cookie = await instructorCookie(server);
    const room = await createSession(server, cookie, { title: "Restart", prompts: [PROMPT] });
    const host = sessionClient(server.url, room.code, { role: "host", cookie });
    clients.push(host);
    await host.waitForSnapshot(() => true);
    const phones = await Promise.all(["Ann", "Ben", "Cy"].map((n) => joinedPlayer(server!.url, room.code, n)));
    clients.push(...phones);
    await startActivity(host, guessRound({ mode: "round", promptIndex: 0, timerSeconds: 600 }));
    await expectOk(phones[0]!.emit(GUESS_EVENTS.vote, { guess: "mat" }));
    await expectOk(phones[1]!.emit(GUESS_EVENTS.vote, { guess: "dog" }));

    const port = server.port;
    const dropped = Promise.all(phones.map((p) => new Promise((resolve) => p.socket.once("disconnect", resolve))));
    await server.stop();
    server = null;
    await dropped;
    for (const p of phones) p.snapshot = null;
    server = await startServer(target, new FakeInference(), { port });

    // No one calls connect(): socket.io's reconnection finds the new process, and the handshake's token
    // brings each phone back as itself. The room is loaded from the database on the first request.
    const back = await Promise.all(phones.map((p) => p.waitForSnapshot((s) => s.viewer === "player" && s.me !== null, 60_000)));
    expect(back.map((s) => [s.viewer === "player" ? s.me!.nickname : null, guessMineOf(s)?.vote?.tokenText ?? null])).toEqual([
      ["Ann", " mat"],
      ["Ben", " dog"],
      ["Cy", null],
    ]);
    expect(roundOf(back[0]!)).toMatchObject({ status: "voting", timer: { remainingMs: 600_000 } });
    await host.waitForSnapshot((s) => s.viewer === "host" && s.session.connectedCount === 3, 60_000);

    await expectOk(phones[2]!.emit(GUESS_EVENTS.vote, { guess: "hat" }));
    const closed = await expectOk(host.emit<{ snapshot: HostSnapshot }>(GUESS_EVENTS.close));
    expect(roundOf(closed.snapshot)!.reveal!.metrics.voters).toBe(3);
    const after = await phones[0]!.waitForSnapshot((s) => roundOf(s)?.status === "revealed");
    expect(guessMineOf(after)?.result?.tokenText).toBe(" mat");
  });

  it("wrong room codes are rate limited per address; phones and screens that prove they belong still get in", async () => {
    target = await createTestDatabase("pglite");
    server = await startServer(target, new FakeInference(), { joinGuard: createJoinGuard({ missesPer10Min: 3, blockSeconds: 60 }) });
    const cookie = await instructorCookie(server);
    const room = await createSession(server, cookie, { title: "Guarded" });
    const inside = await joinedPlayer(server.url, room.code, "Inside");
    clients.push(inside);
    const guest = sessionClient(server.url, room.code);
    clients.push(guest);
    expect(await connected(guest)).toEqual({ ok: true });

    const codes = [];
    for (const guess of ["AAAAAA", "CCCCCC", "DDDDDD", "EEEEEE"]) codes.push((await connected(sessionClient(server.url, guess))) as { code?: string });
    expect(codes.map((c) => c.code)).toEqual(["room_not_found", "room_not_found", "room_not_found", "rate_limited"]);
    // Blocked: a new phone learns nothing, not even that the right code exists, over sockets or HTTP.
    expect(await connected(sessionClient(server.url, room.code))).toEqual({ ok: false, code: "rate_limited" });
    const http = await fetch(`${server.url}/api/sessions/${room.code}`);
    expect(http.status).toBe(429);
    expect(await http.json()).toMatchObject({ ok: false, code: "rate_limited" });
    // A phone that was already in keeps working, and comes back with its token; the host's screens too.
    expect(await guest.emit(SESSION_EVENTS.join, { nickname: "Guest" })).toMatchObject({ ok: true });
    const back = sessionClient(server.url, room.code, { participantToken: inside.token });
    clients.push(back);
    expect(await connected(back)).toEqual({ ok: true });
    const projector = sessionClient(server.url, room.code, { role: "projector", cookie });
    clients.push(projector);
    expect(await connected(projector)).toEqual({ ok: true });
  });

  it("one address adds at most a ceiling of participants to one room; other rooms are not affected", async () => {
    target = await createTestDatabase("pglite");
    server = await startServer(target, new FakeInference(), { joinGuard: createJoinGuard({ joinsPerRoomPer10Min: 5 }) });
    const cookie = await instructorCookie(server);
    const room = await createSession(server, cookie, { title: "Stuffed" });
    const other = await createSession(server, cookie, { title: "Other" });
    const results = [];
    for (let i = 0; i < 7; i++) {
      const c = sessionClient(server.url, room.code);
      clients.push(c);
      await connected(c);
      results.push((await c.emit(SESSION_EVENTS.join, { nickname: `Bot ${i}` })).ok);
    }
    expect(results).toEqual([true, true, true, true, true, false, false]);
    const elsewhere = await joinedPlayer(server.url, other.code, "Real");
    clients.push(elsewhere);
    expect(elsewhere.participantId).toBeTruthy();
  });
});
