// A server restart in the middle of a round, and rate limiting of room-code guesses.
import { afterEach, describe, expect, it } from "vitest";
import { FakeInference } from "../../../server/inference/fake.ts";
import { ROOM_EVENTS, type HostSnapshot, type PlayerSnapshot } from "../../../server/protocol/room-protocol.ts";
import { createJoinGuard } from "../../../server/session/join-guard.ts";
import type { TestDatabaseTarget } from "../../support/databases.ts";
import { connected, createRoom, createTestDatabase, expectOk, instructorCookie, joinedPlayer, roomClient, startRoomServer, type RoomClient, type RoomServer } from "./room-test-kit.ts";

const PROMPT = "the cat sat on the";

describe("rooms across a restart, and guessing codes", () => {
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

  it("a server restart mid-round resumes the session from the database; phones reconnect on their own and keep their votes", async () => {
    target = await createTestDatabase("pglite");
    server = await startRoomServer(target, new FakeInference());
    const cookie = await instructorCookie(server);
    const room = await createRoom(server, cookie, { title: "Restart", prompts: [PROMPT] });
    const host = roomClient(server.url, room.code, { role: "host", cookie });
    clients.push(host);
    await host.waitForSnapshot(() => true);
    const phones = await Promise.all(["Ann", "Ben", "Cy"].map((n) => joinedPlayer(server!.url, room.code, n)));
    clients.push(...phones);
    await expectOk(host.emit(ROOM_EVENTS.hostStartRound, { promptIndex: 0, timerSeconds: 600 }));
    await expectOk(phones[0]!.emit(ROOM_EVENTS.playerVote, { guess: "mat" }));
    await expectOk(phones[1]!.emit(ROOM_EVENTS.playerVote, { guess: "dog" }));

    const port = server.port;
    const dropped = Promise.all(phones.map((p) => new Promise((resolve) => p.socket.once("disconnect", resolve))));
    await server.stop();
    server = null;
    await dropped;
    for (const p of phones) p.snapshot = null;
    server = await startRoomServer(target, new FakeInference(), { port });

    // No one calls connect(): socket.io's reconnection finds the new process, and the handshake's token
    // brings each phone back as itself. The room is loaded from the database on the first request.
    const back = (await Promise.all(phones.map((p) => p.waitForSnapshot((s) => s.viewer === "player" && s.me !== null, 60_000)))) as PlayerSnapshot[];
    expect(back.map((s) => [s.me!.nickname, s.me!.vote?.tokenText ?? null])).toEqual([
      ["Ann", " mat"],
      ["Ben", " dog"],
      ["Cy", null],
    ]);
    expect(back[0]!.round).toMatchObject({ status: "voting", timer: { remainingMs: 600_000 } });
    await host.waitForSnapshot((s) => s.viewer === "host" && s.room.connectedCount === 3, 60_000);

    await expectOk(phones[2]!.emit(ROOM_EVENTS.playerVote, { guess: "hat" }));
    const closed = await expectOk(host.emit<{ snapshot: HostSnapshot }>(ROOM_EVENTS.hostCloseRound));
    expect(closed.snapshot.round!.reveal!.metrics.voters).toBe(3);
    const after = (await phones[0]!.waitForSnapshot((s) => s.round?.status === "revealed")) as PlayerSnapshot;
    expect(after.me?.result?.tokenText).toBe(" mat");
  });

  it("wrong room codes are rate limited per address, over sockets and HTTP alike", async () => {
    target = await createTestDatabase("pglite");
    server = await startRoomServer(target, new FakeInference(), { joinGuard: createJoinGuard({ missesPerMinute: 3, blockSeconds: 60 }) });
    const cookie = await instructorCookie(server);
    const room = await createRoom(server, cookie, { title: "Guarded" });
    const ok = roomClient(server.url, room.code);
    clients.push(ok);
    expect(await connected(ok)).toEqual({ ok: true });

    const codes = [];
    for (const guess of ["AAAAAA", "CCCCCC", "DDDDDD", "EEEEEE"]) codes.push((await connected(roomClient(server.url, guess))) as { code?: string });
    expect(codes.map((c) => c.code)).toEqual(["room_not_found", "room_not_found", "room_not_found", "rate_limited"]);
    // Blocked now, even for the right code, until the block expires.
    expect(await connected(roomClient(server.url, room.code))).toEqual({ ok: false, code: "rate_limited" });
    const http = await fetch(`${server.url}/api/rooms/${room.code}`);
    expect(http.status).toBe(429);
    expect(await http.json()).toMatchObject({ ok: false, code: "rate_limited" });
    // A phone that was already in keeps working.
    expect(await ok.emit(ROOM_EVENTS.playerJoin, { nickname: "Inside" })).toMatchObject({ ok: true });
  });
});
