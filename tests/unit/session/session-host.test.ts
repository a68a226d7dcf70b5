// The session host's mailbox on in-memory stores and the fake model: group commit, a bad row that
// fails only its own command, memory that never runs ahead of the stores, and order.
import { describe, expect, it } from "vitest";
import { ACTIVITY_MODULES } from "../../../server/activities/registry.ts";
import { guessStore, memoryGuessRows, type GuessRows } from "../../../server/activities/guess/guess-store.ts";
import { currentRound, type GuessState } from "../../../server/activities/guess/guess-state.ts";
import { FakeInference } from "../../../server/inference/fake.ts";
import { createLogger } from "../../../server/logger.ts";
import type { SessionBroadcaster } from "../../../server/session/broadcaster.ts";
import { createSessionHost, type LiveSession } from "../../../server/session/session-host.ts";
import { memorySessionStore } from "../../../server/session/session-store.ts";
import { memoryStores } from "../../support/memory-stores.ts";
import { seededRng } from "../../support/seeded-rng.ts";

let watching = 0;
const quiet: SessionBroadcaster = { snapshot() {}, counts() {}, kick() {}, forget() {}, disconnectAll() {}, watchers: () => watching, addToRoom() {}, removeFromRoom() {}, connections: async () => ({}) };

let now = Date.now();

function setup(rows: GuessRows = memoryGuessRows()) {
  const sessions = memorySessionStore();
  let n = 0;
  const host = createSessionHost({
    sessions,
    stores: { ...memoryStores().activities, guess: guessStore(rows) },
    modules: ACTIVITY_MODULES,
    inference: new FakeInference(),
    broadcaster: quiet,
    logger: createLogger("silent", false),
    clock: () => new Date(now),
    rng: seededRng(3),
    newId: () => `id${n++}`,
  });
  return { host, sessions, rows };
}

async function votingSession(host: ReturnType<typeof setup>["host"], people: number): Promise<LiveSession> {
  const created = await host.create({ ownerId: "u", title: "T", prompts: [], plan: null, joinBase: "http://x" });
  if (!created.ok) throw new Error(created.code);
  const live = created.data;
  await Promise.all(Array.from({ length: people }, (_, i) => host.dispatch(live, { to: "session", command: { type: "join", participantId: `p${i}`, tokenHash: `h${i}`, nickname: `S${i}` } })));
  const started = await host.dispatch(live, { to: "start", start: { kind: "guess", input: { mode: "round", prompt: "the cat" } }, id: "r1" });
  if (!started.ok) throw new Error(started.code);
  return live;
}

const voteFor = (participantId: string, guess: string, tokenId = 5) => ({
  to: "activity" as const,
  kind: "guess" as const,
  command: { type: "vote" as const, participantId, roundId: "r1", pieces: { guess, mapped: ` ${guess}`, leadingSpaceAdded: true, tokens: [{ id: tokenId, text: ` ${guess}`, special: false }], explanation: "" }, token: { id: tokenId, text: ` ${guess}`, p: 0.1, rank: 1 } },
});

describe("the session host", () => {
  it("unloads a session nobody watches once it is idle, and loads it again, votes and all, on the next handshake", async () => {
    const { host } = setup();
    const live = await votingSession(host, 3);
    expect((await host.dispatch(live, voteFor("p0", "cat"))).ok).toBe(true);
    const code = live.state.session.meta.code;
    now += 20 * 60_000;
    watching = 1;
    expect(await host.unloadIdle()).toEqual([]);
    watching = 0;
    expect(await host.unloadIdle()).toEqual([code]);
    const again = await host.session(code);
    expect(again).not.toBe(live);
    expect(currentRound(again!.state.activities.guess as GuessState)?.votes.get("p0")?.guess).toBe("cat");
    expect(again!.state.session.participants.size).toBe(3);
    // Just used again: not idle.
    expect(await host.unloadIdle()).toEqual([]);
    await host.close();
    now = Date.now();
  });

  it("group-commits a burst of votes into a few writes, in order, and answers each only after its write", async () => {
    const inner = memoryGuessRows();
    const batches: number[] = [];
    const rows: GuessRows = { ...inner, addVotes: async (votes) => (batches.push(votes.length), inner.addVotes(votes)) };
    const { host } = setup(rows);
    const live = await votingSession(host, 200);
    const acks = Array.from({ length: 200 }, (_, i) => host.dispatch(live, voteFor(`p${i}`, "cat")));
    expect(currentRound(live.state.activities.guess as GuessState)?.votes.size).toBe(0);
    const results = await Promise.all(acks);
    expect(results.every((r) => r.ok)).toBe(true);
    expect(batches.reduce((a, b) => a + b, 0)).toBe(200);
    expect(batches.length).toBeLessThanOrEqual(2);
    const stored = await rows.load(live.state.session.meta.id, { allVotes: true });
    expect(stored.votes.map((v) => v.participantId)).toEqual(Array.from({ length: 200 }, (_, i) => `p${i}`));
    await host.close();
  });

  it("a row the store refuses fails only its own command; the others are kept, in memory and stored", async () => {
    const inner = memoryGuessRows();
    const rows: GuessRows = {
      ...inner,
      async addVotes(votes) {
        if (votes.some((v) => v.guess === "bad")) throw new Error("invalid byte sequence");
        await inner.addVotes(votes);
      },
    };
    const { host } = setup(rows);
    const live = await votingSession(host, 15);
    const results = await Promise.all(Array.from({ length: 15 }, (_, i) => host.dispatch(live, voteFor(`p${i}`, i === 7 ? "bad" : "good"))));
    expect(results.map((r) => r.ok)).toEqual(Array.from({ length: 15 }, (_, i) => i !== 7));
    expect(results[7]).toEqual({ ok: false, code: "internal" });
    const round = currentRound(live.state.activities.guess as GuessState)!;
    expect(round.votes.size).toBe(14);
    expect(round.votes.has("p7")).toBe(false);
    expect((await rows.load(live.state.session.meta.id, { allVotes: true })).votes).toHaveLength(14);
    await host.close();
  });

  it("a start whose write fails leaves the session as it was", async () => {
    const inner = memoryGuessRows();
    let fail = false;
    const rows: GuessRows = { ...inner, upsertRound: async (r) => (fail ? Promise.reject(new Error("no")) : inner.upsertRound(r)) };
    const { host } = setup(rows);
    const created = await host.create({ ownerId: "u", title: "T", prompts: [], plan: null, joinBase: "http://x" });
    if (!created.ok) throw new Error(created.code);
    fail = true;
    const r = await host.dispatch(created.data, { to: "start", start: { kind: "guess", input: { mode: "round", prompt: "the cat" } }, id: "r1" });
    expect(r.ok).toBe(false);
    expect(created.data.state.session.current).toBeNull();
    fail = false;
    expect((await host.dispatch(created.data, { to: "start", start: { kind: "guess", input: { mode: "round", prompt: "the cat" } }, id: "r2" })).ok).toBe(true);
    await host.close();
  });

  it("a model answer whose write fails fails the round, so nobody waits on 'reading the prompt'", async () => {
    const inner = memoryGuessRows();
    // The database refuses the prepared round (as PostgreSQL refused a NUL token text) but not the failed one.
    const rows: GuessRows = { ...inner, upsertRound: async (r) => (r.status === "voting" ? Promise.reject(new Error("22P05")) : inner.upsertRound(r)) };
    const { host } = setup(rows);
    const created = await host.create({ ownerId: "u", title: "T", prompts: [], plan: null, joinBase: "http://x" });
    if (!created.ok) throw new Error(created.code);
    const r = await host.dispatch(created.data, { to: "start", start: { kind: "guess", input: { mode: "round", prompt: "the cat" } }, id: "r1" });
    expect(r).toMatchObject({ ok: false, code: "internal" });
    const round = currentRound(created.data.state.activities.guess as GuessState)!;
    expect(round).toMatchObject({ status: "failed", error: "internal" });
    expect((await inner.load(created.data.state.session.meta.id, { allVotes: true })).rounds[0]!.status).toBe("failed");
    // Nothing runs any more: the host can start again.
    expect((await host.dispatch(created.data, { to: "start", start: { kind: "slide", input: { title: "Next", body: "" } }, id: "s1" })).ok).toBe(true);
    await host.close();
  });

  it("commands are applied in the order they were dispatched: the later vote counts", async () => {
    const { host } = setup();
    const live = await votingSession(host, 1);
    const first = host.dispatch(live, voteFor("p0", "dog", 7));
    const second = host.dispatch(live, voteFor("p0", "cat", 6));
    await Promise.all([first, second]);
    expect(currentRound(live.state.activities.guess as GuessState)?.votes.get("p0")?.tokenId).toBe(6);
    await host.close();
  });

  it("a session loaded from its rows resumes on the same activity", async () => {
    const { host, sessions, rows } = setup();
    const live = await votingSession(host, 2);
    await host.dispatch(live, voteFor("p0", "cat"));
    await host.close();
    let n = 0;
    const again = createSessionHost({
      sessions,
      stores: { ...memoryStores().activities, guess: guessStore(rows) },
      modules: ACTIVITY_MODULES,
      inference: new FakeInference(),
      broadcaster: quiet,
      logger: createLogger("silent", false),
      clock: () => new Date(),
      rng: seededRng(4),
      newId: () => `x${n++}`,
    });
    const resumed = await again.session(live.state.session.meta.code);
    expect(resumed?.state.session.current).toEqual({ kind: "guess", id: "r1" });
    expect(currentRound(resumed!.state.activities.guess as GuessState)?.votes.get("p0")?.guess).toBe("cat");
    expect(resumed!.state.session.seq).toBeGreaterThan(live.state.session.seq);
    await again.close();
  });
});
