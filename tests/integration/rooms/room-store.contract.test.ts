// One contract for the RoomStore, run against the in-memory store, PGlite and a real PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "../../../server/db/database.ts";
import { createMemoryRoomStore, createRoomStore, type RoomStore } from "../../../server/db/room-store.ts";
import type { ParticipantRow, RoomRow, RoundRow, VoteRow } from "../../../server/rooms/room-records.ts";
import { stateFromStored } from "../../../server/rooms/room-records.ts";
import { createTestDatabase, type TestDatabaseTarget } from "../../support/databases.ts";

const KINDS = ["memory", "pglite", "postgres"] as const;

const room = (id: string, code: string, createdAt = 1_700_000_000_000): RoomRow => ({
  id,
  code,
  title: `Session ${code}`,
  ownerId: "owner-1",
  modelId: "m",
  modelName: "Model",
  modelSha256: "a".repeat(64),
  joinUrl: `http://192.168.1.5:3000/join/${code}`,
  prompts: ["Once upon a time"],
  phase: "lobby",
  locked: false,
  paused: false,
  threads: [],
  createdAt,
  endedAt: null,
});

const participant = (id: string, roomId: string, nickname = id): ParticipantRow => ({ id, roomId, tokenHash: `hash-${id}`, nickname, kicked: false, joinedAt: 1_700_000_000_500 });

const round = (id: string, roomId: string, number: number, status: RoundRow["status"]): RoundRow => ({
  id,
  roomId,
  number,
  kind: "guess",
  status,
  prompt: "Once upon a time",
  modelId: "m",
  data: {
    threadIndex: 0,
    request: { model: "m", modelSha256: "a".repeat(64), prefixIds: [1, 2], promptText: "Once upon a time", chat: false, topK: 50, bottomK: 5, temperature: 1 },
    prefix: [{ id: 1, text: "<s>", special: true }, { id: 2, text: "Once", special: false }],
    distribution: { model: "m", top: [{ id: 9, text: " there", p: 0.5 }], bottom: [], entropyBits: 1.5, restMass: 0.5, vocabSize: 512 },
    compare: null,
    timer: null,
    histogram: null,
    metrics: null,
    results: status === "revealed" ? { p1: { tokenId: 9, tokenText: " there", p: 0.5, rank: 1, surpriseBits: 1 } } : null,
    pick: null,
    error: null,
  },
  startedAt: 1_700_000_001_000,
  closedAt: status === "revealed" ? 1_700_000_002_000 : null,
});

const vote = (roomId: string, roundId: string, participantId: string, tokenId: number, at: number): VoteRow => ({
  roomId,
  roundId,
  participantId,
  guess: "there",
  mapped: " there",
  leadingSpaceAdded: true,
  tokens: [{ id: tokenId, text: " there", special: false }],
  tokenId,
  tokenText: " there",
  p: 0.5,
  rank: 1,
  at,
});

// Each test uses its own room ids and codes, so one database per kind serves the whole file.
let serial = 0;
function ids() {
  serial += 1;
  const letters = "ACDEFGHJKMNPQRTUVWXY";
  const code = (n: number) => `7KQ${letters[Math.floor(n / 20) % 20]}${letters[n % 20]}X`;
  return { a: `room-${serial}-a`, b: `room-${serial}-b`, codeA: code(serial * 2), codeB: code(serial * 2 + 1), p: (n: number) => `p${n}-${serial}`, r: (n: number) => `round-${n}-${serial}` };
}

describe.each(KINDS)("room store on %s", (kind) => {
  let target: TestDatabaseTarget | null = null;
  let db: Database | null = null;
  let shared: RoomStore;

  beforeAll(async () => {
    if (kind === "memory") {
      shared = createMemoryRoomStore();
      return;
    }
    target = await createTestDatabase(kind);
    db = await openDatabase(target.env, { migrate: true });
    shared = createRoomStore(db.prisma);
  });

  afterAll(async () => {
    await db?.close().catch(() => undefined);
    await target?.drop();
  });

  const open = async () => shared;

  it("creates a room once per code and finds it by code", async () => {
    const store = await open();
    const k = ids();
    expect(await store.createRoom(room(k.a, k.codeA))).toEqual({ ok: true });
    expect(await store.createRoom(room(k.b, k.codeA))).toEqual({ ok: false, reason: "code_taken" });
    expect((await store.loadRoom(k.codeA))?.room).toEqual(room(k.a, k.codeA));
    expect(await store.loadRoom("AAAAAA")).toBeNull();
  });

  it("updates the room's phase, flags, threads and end time", async () => {
    const store = await open();
    const k = ids();
    await store.createRoom(room(k.a, k.codeA));
    const threads = [{ prompt: "Hi", promptIds: [1, 5], appended: [{ id: 9, text: " there", p: 0.5, how: "sample" as const, roundNumber: 1, temperature: 0.7, seed: 1234 }] }];
    const updated = { ...room(k.a, k.codeA), phase: "ended" as const, locked: true, paused: true, threads, endedAt: 1_700_000_009_000 };
    await store.updateRoom(updated);
    expect((await store.loadRoom(k.codeA))?.room).toEqual(updated);
  });

  it("inserts a batch of participants, the last row per id winning", async () => {
    const store = await open();
    const k = ids();
    await store.createRoom(room(k.a, k.codeA));
    const batch = Array.from({ length: 50 }, (_, i) => participant(k.p(i), k.a, `N${i}`));
    await store.upsertParticipants([...batch, { ...participant(k.p(3), k.a, "Renamed"), kicked: true }]);
    await store.upsertParticipants([]);
    const loaded = (await store.loadRoom(k.codeA))!.participants;
    expect(loaded).toHaveLength(50);
    expect(loaded.find((p) => p.id === k.p(3))).toEqual({ ...participant(k.p(3), k.a, "Renamed"), kicked: true });
    expect(loaded.find((p) => p.id === k.p(7))).toEqual(participant(k.p(7), k.a, "N7"));
  });

  it("upserts participants (rename, kick) without changing their token hash", async () => {
    const store = await open();
    const k = ids();
    await store.createRoom(room(k.a, k.codeA));
    await store.upsertParticipants([participant(k.p(1), k.a, "Ada")]);
    await store.upsertParticipants([{ ...participant(k.p(1), k.a, "Ada L"), kicked: true, tokenHash: "ignored" }]);
    expect((await store.loadRoom(k.codeA))?.participants).toEqual([{ ...participant(k.p(1), k.a, "Ada L"), kicked: true }]);
  });

  it("keeps every vote in cast order; a live load has only the open round's votes, a review has all", async () => {
    const store = await open();
    const k = ids();
    const [p1, p2] = [k.p(1), k.p(2)];
    await store.createRoom(room(k.a, k.codeA));
    await store.upsertParticipants([participant(p1, k.a)]);
    await store.upsertParticipants([participant(p2, k.a)]);
    await store.upsertRound(round(k.r(1), k.a, 1, "voting"));
    await store.addVotes([vote(k.a, k.r(1), p1, 9, 1_700_000_001_100)]);
    await store.upsertRound(round(k.r(1), k.a, 1, "revealed"));
    await store.upsertRound(round(k.r(2), k.a, 2, "voting"));
    await store.addVotes([vote(k.a, k.r(2), p1, 7, 1_700_000_003_100), vote(k.a, k.r(2), p2, 8, 1_700_000_003_200), vote(k.a, k.r(2), p1, 9, 1_700_000_003_300)]);
    await store.addVotes([]);

    const live = await store.loadRoom(k.codeA);
    expect(live?.votes.map((v) => [v.roundId, v.participantId, v.tokenId])).toEqual([
      [k.r(2), p1, 7],
      [k.r(2), p2, 8],
      [k.r(2), p1, 9],
    ]);
    expect(live?.votes[0]).toEqual(vote(k.a, k.r(2), p1, 7, 1_700_000_003_100));
    const review = await store.loadReview(k.codeA);
    expect(review?.votes).toHaveLength(4);
    expect(review?.rounds.find((r) => r.id === k.r(1))).toEqual(round(k.r(1), k.a, 1, "revealed"));
  });

  it("rebuilds live state from what it stored: latest vote per student, scores from revealed rounds", async () => {
    const store = await open();
    const k = ids();
    await store.createRoom(room(k.a, k.codeA));
    await store.upsertParticipants([participant("p1", k.a)]);
    await store.upsertRound(round(k.r(1), k.a, 1, "revealed"));
    await store.upsertRound(round(k.r(2), k.a, 2, "voting"));
    await store.addVotes([vote(k.a, k.r(2), "p1", 7, 1_700_000_003_100), vote(k.a, k.r(2), "p1", 9, 1_700_000_003_300)]);
    const state = stateFromStored((await store.loadRoom(k.codeA))!, "<svg/>");
    expect(state.participants.get("p1")).toMatchObject({ totalLossBits: 1, roundsScored: 1, connections: 0 });
    expect(state.rounds[1]?.votes.get("p1")?.tokenId).toBe(9);
  });

  it("lists rooms newest first with participant and round counts", async () => {
    const store = await open();
    const k = ids();
    await store.createRoom(room(k.a, k.codeA, 1_800_000_000_000 + serial * 1000));
    await store.createRoom(room(k.b, k.codeB, 1_800_000_000_500 + serial * 1000));
    await store.upsertParticipants([participant(k.p(1), k.a)]);
    await store.upsertRound(round(k.r(1), k.a, 1, "voting"));
    const list = (await store.listRooms()).filter((r) => r.id === k.a || r.id === k.b);
    expect(list.map((r) => [r.code, r.participantCount, r.roundCount])).toEqual([
      [k.codeB, 0, 0],
      [k.codeA, 1, 1],
    ]);
  });

  it("refuses a second round with the same number in a room", async () => {
    const store = await open();
    const k = ids();
    await store.createRoom(room(k.a, k.codeA));
    await store.upsertRound(round(k.r(1), k.a, 1, "voting"));
    await expect(store.upsertRound(round(k.r(9), k.a, 1, "voting"))).rejects.toThrow();
  });
});
