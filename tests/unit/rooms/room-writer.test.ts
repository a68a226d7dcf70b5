import { describe, expect, it } from "vitest";
import { createMemoryRoomStore, type RoomStore } from "../../../server/db/room-store.ts";
import type { VoteRow } from "../../../server/rooms/room-records.ts";
import { roomRowOf } from "../../../server/rooms/room-records.ts";
import { apply } from "../../../server/rooms/room-rules.ts";
import { newRoomState, type RoomState } from "../../../server/rooms/room-state.ts";
import { createRoomWriter } from "../../../server/rooms/room-writer.ts";

const meta = { id: "room-1", code: "7KQ4MX", title: "W", ownerId: "u", model: { id: "m", name: "M", sha256: "s" }, joinUrl: "u", qrSvg: "", prompts: [], createdAt: 0 };

/** A memory store that records the size of every vote write. */
function countingStore(): RoomStore & { voteBatches: number[] } {
  const inner = createMemoryRoomStore();
  const voteBatches: number[] = [];
  return {
    ...inner,
    voteBatches,
    async addVotes(votes: VoteRow[]) {
      voteBatches.push(votes.length);
      await inner.addVotes(votes);
    },
  };
}

describe("room writer", () => {
  it("group-commits a burst of votes into a few writes, keeps their order, and resolves each only after its write", async () => {
    const store = countingStore();
    let state: RoomState = newRoomState(meta);
    await store.createRoom(roomRowOf(state));
    const ctx = { now: 1, rng: () => 0.5 };
    const run = (c: Parameters<typeof apply>[1]) => {
      const r = apply(state, c, ctx);
      if (!r.ok) throw new Error(r.code);
      state = r.state;
      return r.effects;
    };
    const writer = createRoomWriter(store, () => state);
    const writes: Promise<void>[] = [];
    const persist = (effects: ReturnType<typeof run>) => {
      for (const e of effects) if (e.type === "persist") writes.push(writer.write(e.op));
    };
    for (let i = 0; i < 200; i++) persist(run({ type: "join", participantId: `p${i}`, tokenHash: `h${i}`, nickname: `S${i}` }));
    persist(run({ type: "startRound", roundId: "r1", prompt: "x" }));
    const prefix = [{ id: 1, text: "<s>", special: true }];
    persist(run({ type: "roundPrepared", roundId: "r1", results: [{ prefix, distribution: { model: "m", top: [], bottom: [], entropyBits: 0, restMass: 1, vocabSize: 9 } }] }));
    const votes = Array.from({ length: 200 }, (_, i) => {
      persist(run({ type: "vote", participantId: `p${i}`, roundId: "r1", pieces: { guess: "g", mapped: " g", leadingSpaceAdded: true, tokens: [], explanation: "" }, token: { id: i % 7, text: "t", p: 0.1, rank: 1 } }));
      return writes.at(-1)!;
    });
    let settled = 0;
    for (const v of votes) void v.then(() => settled++);
    expect(settled).toBe(0);
    await Promise.all(writes);
    expect(store.voteBatches.reduce((a, b) => a + b, 0)).toBe(200);
    expect(store.voteBatches.length).toBeLessThanOrEqual(2);
    const stored = await store.loadRoom("7KQ4MX");
    expect(stored?.votes.map((v) => v.participantId)).toEqual(Array.from({ length: 200 }, (_, i) => `p${i}`));
    expect(stored?.participants).toHaveLength(200);
    await writer.idle();
  });

  it("a failed write rejects the writes in its batch and the writer keeps going", async () => {
    const store = createMemoryRoomStore();
    const state = newRoomState(meta);
    await store.createRoom(roomRowOf(state));
    const writer = createRoomWriter(store, () => state);
    const bad = writer.write({ kind: "vote", roundId: "missing", vote: { participantId: "x", guess: "", mapped: "", leadingSpaceAdded: false, tokens: [], explanation: "", tokenId: 1, tokenText: "", p: 1, rank: 1, at: 0 } });
    await expect(bad).rejects.toThrow();
    await expect(writer.write({ kind: "room" })).resolves.toBeUndefined();
  });
});
