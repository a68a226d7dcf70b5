// Table tests of the room rules: each test name states the rule it checks.
import { describe, expect, it } from "vitest";
import type { DistributionView, RoomErrorCode, TokenView } from "../../../server/protocol/room-protocol.ts";
import type { RoomCommand, RoomEffect, RuleContext } from "../../../server/rooms/room-commands.ts";
import { apply } from "../../../server/rooms/room-rules.ts";
import { hostSnapshot, playerSnapshot, projectorSnapshot, roomCounts } from "../../../server/rooms/room-snapshot.ts";
import { currentRound, newRoomState, type RoomState } from "../../../server/rooms/room-state.ts";
import { seededRng } from "./seeded-rng.ts";

const meta = {
  id: "room-1",
  code: "7KQ4MX",
  title: "Workshop",
  ownerId: "u1",
  model: { id: "m", name: "Model", sha256: "abc" },
  joinUrl: "http://x/join/7KQ4MX",
  qrSvg: "<svg/>",
  prompts: ["Once upon a time", "The capital of France is"],
  createdAt: 0,
};

const tok = (id: number, text: string, special = false): TokenView => ({ id, text, special });
const dist: DistributionView = {
  model: "m",
  top: [
    { id: 10, text: " there", p: 0.5 },
    { id: 11, text: " was", p: 0.25 },
    { id: 12, text: " lived", p: 0.125 },
  ],
  bottom: [],
  entropyBits: 1.9,
  restMass: 0.125,
  vocabSize: 100,
};
const prefix = [tok(1, "<s>", true), tok(2, "Once"), tok(3, " upon")];

interface World {
  state: RoomState;
  effects: RoomEffect[];
  ctx: RuleContext;
}

function world(): World {
  let now = 1_000;
  const rng = seededRng(1);
  return {
    state: newRoomState(meta),
    effects: [],
    ctx: {
      get now() {
        return (now += 10);
      },
      rng,
    },
  };
}

/** Applies commands in order; a rejected one throws with its code, so setup mistakes are loud. */
function run(w: World, ...commands: RoomCommand[]): World {
  for (const c of commands) {
    const r = apply(w.state, c, w.ctx);
    if (!r.ok) throw new Error(`${c.type} rejected: ${r.code}`);
    w.state = r.state;
    w.effects = r.effects;
  }
  return w;
}

function rejects(w: World, command: RoomCommand): RoomErrorCode {
  const r = apply(w.state, command, w.ctx);
  if (r.ok) throw new Error(`${command.type} was accepted`);
  return r.code;
}

const join = (id: string, nickname = id): RoomCommand => ({ type: "join", participantId: id, tokenHash: `h-${id}`, nickname });
const vote = (participantId: string, tokenId: number, p: number, roundId = "r1", rank = 1): RoomCommand => ({
  type: "vote",
  participantId,
  roundId,
  pieces: { guess: "x", mapped: " x", leadingSpaceAdded: true, tokens: [tok(tokenId, ` t${tokenId}`)], explanation: "" },
  token: { id: tokenId, text: ` t${tokenId}`, p, rank },
});
const prepared = (roundId = "r1"): RoomCommand => ({ type: "roundPrepared", roundId, results: [{ prefix, distribution: dist }] });

/** A room with three players and round r1 open for votes. */
function voting(): World {
  return run(world(), join("a"), join("b"), join("c"), { type: "startRound", roundId: "r1", promptIndex: 0 }, prepared());
}

describe("joining", () => {
  it("a join adds a participant, persists it and tells the host and counts", () => {
    const w = run(world(), join("a", "  Ada  "));
    expect(w.state.participants.get("a")).toMatchObject({ nickname: "Ada", connections: 1, kicked: false });
    expect(w.effects).toContainEqual({ type: "persist", op: { kind: "participant", participant: w.state.participants.get("a") } });
    expect(w.effects).toContainEqual({ type: "counts" });
  });

  it("a duplicate nickname gets a suffix", () => {
    const w = run(world(), join("a", "Ada"), join("b", "ada"));
    expect(w.state.participants.get("b")?.nickname).toBe("ada 2");
  });

  it.each([
    ["an invisible nickname is refused", (w: World) => w, join("x", "\u200B\u200B"), "nickname_empty"],
    ["a locked room refuses new joins", (w: World) => run(w, { type: "setLocked", locked: true }), join("x"), "room_locked"],
    ["an ended room refuses joins", (w: World) => run(w, { type: "endSession" }), join("x"), "room_ended"],
    ["the same participant id cannot join twice", (w: World) => run(w, join("x")), join("x"), "already_joined"],
  ] as const)("%s", (_rule, setup, command, code) => {
    expect(rejects(setup(world()), command)).toBe(code);
  });

  it("a kicked participant cannot connect again, but the lock does not stop a returning one", () => {
    const w = run(world(), join("a"), join("b"), { type: "setLocked", locked: true }, { type: "kick", participantId: "a" });
    expect(rejects(w, { type: "connect", participantId: "a" })).toBe("kicked");
    run(w, { type: "disconnect", participantId: "b" }, { type: "connect", participantId: "b" });
    expect(w.state.participants.get("b")?.connections).toBe(1);
  });
});

describe("a guess round", () => {
  it("starting a round asks the model for the distribution and waits in 'preparing'", () => {
    const w = run(world(), { type: "startRound", roundId: "r1", prompt: "Once upon" });
    expect(w.state.phase).toBe("preparing");
    const infer = w.effects.find((e) => e.type === "infer");
    expect(infer).toMatchObject({ roundId: "r1", infer: { kind: "distribution", request: { promptText: "Once upon", topK: 50, temperature: 1, chat: false } } });
  });

  it("the model's answer opens voting and starts a thread from the prompt's token ids", () => {
    const w = voting();
    expect(w.state.phase).toBe("voting");
    expect(currentRound(w.state)?.prefix).toEqual(prefix);
    expect(w.state.threads).toEqual([{ prompt: "Once upon a time", promptIds: [1, 2, 3], appended: [] }]);
  });

  it("a vote can be changed until close, and only the latest counts", () => {
    const w = run(voting(), vote("a", 11, 0.25), vote("a", 10, 0.5), vote("b", 10, 0.5));
    expect(currentRound(w.state)?.votes.get("a")?.tokenId).toBe(10);
    run(w, { type: "closeRound" });
    expect(currentRound(w.state)?.histogram).toEqual([{ tokenId: 10, text: " t10", count: 2, share: 1, modelP: 0.5, modelRank: 1 }]);
  });

  it("every vote is persisted, including changed ones", () => {
    const w = run(voting(), vote("a", 11, 0.25));
    expect(w.effects[0]).toMatchObject({ type: "persist", op: { kind: "vote", roundId: "r1" } });
    run(w, vote("a", 10, 0.5));
    expect(w.effects[0]).toMatchObject({ type: "persist", op: { kind: "vote", vote: { tokenId: 10 } } });
  });

  it.each([
    ["a vote before the model answered is refused", () => run(world(), join("a"), { type: "startRound", roundId: "r1", prompt: "x" }), vote("a", 10, 0.5), "not_voting"],
    ["a vote after close is refused", () => run(voting(), { type: "closeRound" }), vote("a", 10, 0.5), "voting_closed"],
    ["a vote for an old round is refused", () => voting(), vote("a", 10, 0.5, "r0"), "voting_closed"],
    ["a vote while paused is refused", () => run(voting(), { type: "setPaused", paused: true }), vote("a", 10, 0.5), "paused"],
    ["a vote from someone who never joined is refused", () => voting(), vote("zz", 10, 0.5), "not_joined"],
    ["a vote from a kicked student is refused", () => run(voting(), { type: "kick", participantId: "a" }), vote("a", 10, 0.5), "kicked"],
    ["closing twice is refused", () => run(voting(), { type: "closeRound" }), { type: "closeRound" } as RoomCommand, "not_voting"],
    ["closing with no round is refused", () => world(), { type: "closeRound" } as RoomCommand, "no_round"],
    ["a new round while one is open is refused", () => voting(), { type: "startRound", roundId: "r2", prompt: "y" } as RoomCommand, "round_open"],
    ["a new round while the model works is refused", () => run(world(), { type: "startRound", roundId: "r1", prompt: "x" }), { type: "startRound", roundId: "r2", prompt: "y" } as RoomCommand, "busy"],
    ["continuing with no text is refused", () => world(), { type: "startRound", roundId: "r1" } as RoomCommand, "no_text"],
    ["a prepared prompt that does not exist is refused", () => world(), { type: "startRound", roundId: "r1", promptIndex: 9 } as RoomCommand, "prompt_not_found"],
    ["picking before the reveal is refused", () => voting(), { type: "pickToken", how: "model_top" } as RoomCommand, "not_revealed"],
    ["picking the class favourite with no votes is refused", () => run(voting(), { type: "closeRound" }), { type: "pickToken", how: "favourite" } as RoomCommand, "no_votes"],
  ] as const)("%s", (_rule, setup, command, code) => {
    expect(rejects(setup(), command)).toBe(code);
  });

  it("closing reveals histogram, metrics and each student's p, rank and surprise, and adds to their loss", () => {
    const w = run(voting(), vote("a", 10, 0.5, "r1", 1), vote("b", 11, 0.25, "r1", 2), vote("c", 10, 0.5, "r1", 1), { type: "closeRound" });
    const round = currentRound(w.state)!;
    expect(w.state.phase).toBe("revealed");
    expect(round.metrics).toMatchObject({ voters: 3, favourite: { tokenId: 10, count: 2 }, modelTop: { id: 10 } });
    expect(round.metrics?.avgLossBits).toBeCloseTo((1 + 2 + 1) / 3, 12);
    // ½(|2/3 − ½| + |1/3 − ¼| + (1 − ¾)) = ½(1/6 + 1/12 + 1/4) = 0.25
    expect(round.metrics?.tvd).toBeCloseTo(0.25, 12);
    expect(round.results?.b).toEqual({ tokenId: 11, tokenText: " t11", p: 0.25, rank: 2, surpriseBits: 2 });
    expect(w.state.participants.get("b")).toMatchObject({ totalLossBits: 2, roundsScored: 1 });
    expect(w.effects).toContainEqual({ type: "clearTimer", roundId: "r1" });
  });

  it("a kicked student's vote no longer counts", () => {
    const w = run(voting(), vote("a", 10, 0.5), vote("b", 11, 0.25), { type: "kick", participantId: "b" }, { type: "closeRound" });
    expect(currentRound(w.state)?.metrics?.voters).toBe(1);
  });

  it("picking the class favourite appends it with its model probability, and the next round continues the text", () => {
    const w = run(voting(), vote("a", 11, 0.25), vote("b", 11, 0.25), vote("c", 10, 0.5), { type: "closeRound" }, { type: "pickToken", how: "favourite" });
    expect(w.state.phase).toBe("lobby");
    expect(w.state.threads[0]?.appended).toEqual([{ id: 11, text: " t11", p: 0.25, how: "favourite", roundNumber: 1, temperature: null, seed: null }]);
    run(w, { type: "startRound", roundId: "r2" });
    const infer = w.effects.find((e) => e.type === "infer");
    expect(infer).toMatchObject({ infer: { kind: "distribution", request: { prefixIds: [1, 2, 3, 11], promptText: null } } });
    expect(currentRound(w.state)?.prompt).toBe("Once upon a time t11");
  });

  it("picking the model's top token appends the most likely token", () => {
    const w = run(voting(), { type: "closeRound" }, { type: "pickToken", how: "model_top" });
    expect(w.state.threads[0]?.appended[0]).toMatchObject({ id: 10, p: 0.5, how: "model_top" });
    expect(rejects(w, { type: "pickToken", how: "model_top" })).toBe("already_picked");
  });

  it("a sample pick records a seed from ctx.rng and asks the model, then appends the drawn token", () => {
    const w = run(voting(), { type: "closeRound" }, { type: "pickToken", how: "sample", temperature: 1.5 });
    const infer = w.effects.find((e) => e.type === "infer");
    expect(infer).toMatchObject({ infer: { kind: "sample", temperature: 1.5 } });
    const seed = (infer as { infer: { seed: number } }).infer.seed;
    expect(Number.isInteger(seed)).toBe(true);
    expect(rejects(w, { type: "pickToken", how: "model_top" })).toBe("busy");
    run(w, { type: "tokenSampled", roundId: "r1", token: { id: 12, text: " lived", p: 0.125 }, seed, temperature: 1.5 });
    expect(currentRound(w.state)?.pick).toEqual({ how: "sample", token: { id: 12, text: " lived", p: 0.125 }, temperature: 1.5, seed });
  });

  it("the same rng seed gives the same sample seed", () => {
    const seeds = [voting(), voting()].map((w) => {
      run(w, { type: "closeRound" }, { type: "pickToken", how: "sample", temperature: 1 });
      return (w.effects.find((e) => e.type === "infer") as { infer: { seed: number } }).infer.seed;
    });
    expect(seeds[0]).toBe(seeds[1]);
  });

  it("a late model answer for a skipped round changes nothing", () => {
    const w = run(world(), { type: "startRound", roundId: "r1", prompt: "x" }, { type: "skip" });
    const before = w.state;
    run(w, prepared("r1"));
    expect(w.state).toBe(before);
    expect(w.effects).toEqual([]);
  });

  it("a failed model call fails the round and returns to the lobby", () => {
    const w = run(world(), { type: "startRound", roundId: "r1", prompt: "x" }, { type: "roundFailed", roundId: "r1", code: "model_unavailable" });
    expect(w.state.phase).toBe("lobby");
    expect(currentRound(w.state)).toMatchObject({ status: "failed", error: "model_unavailable" });
  });
});

describe("timers", () => {
  it("a timed round schedules its close as an effect once voting opens", () => {
    const w = run(world(), join("a"), { type: "startRound", roundId: "r1", prompt: "x", timerSeconds: 30 });
    expect(w.effects.some((e) => e.type === "setTimer")).toBe(false);
    run(w, prepared());
    expect(w.effects).toContainEqual({ type: "setTimer", roundId: "r1", delayMs: 30_000 });
  });

  it("the timer closes the round; a stale timer for another round does nothing", () => {
    const w = run(world(), join("a"), { type: "startRound", roundId: "r1", prompt: "x", timerSeconds: 30 }, prepared());
    run(w, { type: "timerFired", roundId: "old" });
    expect(w.state.phase).toBe("voting");
    run(w, { type: "timerFired", roundId: "r1" });
    expect(w.state.phase).toBe("revealed");
  });

  it("pausing keeps the remaining time and resuming schedules it again", () => {
    const w = run(world(), { type: "startRound", roundId: "r1", prompt: "x", timerSeconds: 30 }, prepared());
    run(w, { type: "setPaused", paused: true });
    expect(w.effects).toContainEqual({ type: "clearTimer", roundId: "r1" });
    const remaining = currentRound(w.state)!.timer!.remainingMs;
    expect(remaining).toBeLessThanOrEqual(30_000);
    run(w, { type: "timerFired", roundId: "r1" });
    expect(w.state.phase).toBe("voting");
    run(w, { type: "setPaused", paused: false });
    expect(w.effects).toContainEqual({ type: "setTimer", roundId: "r1", delayMs: remaining });
  });

  it("resuming after a restart re-arms a running timer and fails a round whose model call was lost", () => {
    const timed = run(world(), { type: "startRound", roundId: "r1", prompt: "x", timerSeconds: 30 }, prepared());
    run(timed, { type: "resume" });
    expect(timed.effects[0]).toMatchObject({ type: "setTimer", roundId: "r1" });
    const lost = run(world(), { type: "startRound", roundId: "r1", prompt: "x" }, { type: "resume" });
    expect(currentRound(lost.state)).toMatchObject({ status: "failed", error: "inference_failed" });
  });
});

describe("compare rounds", () => {
  it("a chat compare asks for the raw and the chat-wrapped distribution, and shows both at once", () => {
    const w = run(world(), { type: "startCompare", roundId: "c1", mode: "chat", prompt: "Who is Blake Bourne?" });
    const infer = w.effects.find((e) => e.type === "infer") as { infer: { request: { chat: boolean } }[] };
    expect(infer.infer.map((r) => r.request.chat)).toEqual([false, true]);
    run(w, { type: "roundPrepared", roundId: "c1", results: [{ prefix, distribution: dist }, { prefix, distribution: { ...dist, entropyBits: 5 } }] });
    expect(w.state.phase).toBe("revealed");
    const view = projectorSnapshot(w.state).round!;
    expect(view.compare?.a.distribution.entropyBits).toBe(1.9);
    expect(view.compare?.b.distribution.entropyBits).toBe(5);
    expect(rejects(w, { type: "pickToken", how: "model_top" })).toBe("compare_round");
  });

  it("a models compare sends the second model's id and hash", () => {
    const w = run(world(), { type: "startCompare", roundId: "c1", mode: "models", prompt: "x", modelB: { id: "m2", sha256: "def" } });
    const infer = w.effects.find((e) => e.type === "infer") as { infer: { request: { model: string; modelSha256: string } }[] };
    expect(infer.infer[1]?.request).toMatchObject({ model: "m2", modelSha256: "def" });
  });
});

describe("host controls and snapshots", () => {
  it("rename cleans and de-duplicates the new name", () => {
    const w = run(world(), join("a", "Ada"), join("b", "Bo"), { type: "rename", participantId: "b", nickname: " ada\u200B " });
    expect(w.state.participants.get("b")?.nickname).toBe("ada 2");
    expect(rejects(w, { type: "rename", participantId: "zz", nickname: "x" })).toBe("participant_not_found");
  });

  it("kick disconnects the phone and frees nothing else", () => {
    const w = run(world(), join("a"), { type: "kick", participantId: "a" });
    expect(w.effects).toContainEqual({ type: "disconnect", participantId: "a", code: "kicked" });
    expect(roomCounts(w.state).participantCount).toBe(0);
  });

  it("nobody sees the histogram or the model's numbers before the reveal; the projector sees only the vote count", () => {
    const w = run(voting(), vote("a", 10, 0.5), vote("b", 11, 0.25));
    for (const snap of [projectorSnapshot(w.state), hostSnapshot(w.state), playerSnapshot(w.state, "a")]) {
      expect(snap.round?.reveal).toBeNull();
      expect(JSON.stringify(snap)).not.toContain("entropyBits");
    }
    expect(projectorSnapshot(w.state).round?.voteCount).toBe(2);
    expect(roomCounts(w.state).voteCount).toBe(2);
  });

  it("a player's snapshot holds their own vote but not anyone else's, and no participant list", () => {
    const w = run(voting(), vote("a", 10, 0.5), vote("b", 11, 0.25));
    const snap = playerSnapshot(w.state, "a");
    expect(snap.me?.vote?.tokenId).toBe(10);
    expect(JSON.stringify(snap)).not.toContain("t11");
    expect(snap).not.toHaveProperty("participants");
    expect(JSON.stringify(snap)).not.toContain("h-a");
  });

  it("ending the session skips an open round and keeps the texts", () => {
    const w = run(voting(), { type: "endSession" });
    expect(w.state.phase).toBe("ended");
    expect(currentRound(w.state)?.status).toBe("skipped");
    expect(rejects(w, { type: "startRound", roundId: "r9", prompt: "x" })).toBe("room_ended");
  });

  it("every accepted change increases seq, so clients can drop stale snapshots", () => {
    const w = world();
    const seqs: number[] = [];
    for (const c of [join("a"), { type: "setLocked", locked: true } as RoomCommand, { type: "setPaused", paused: true } as RoomCommand]) {
      run(w, c);
      seqs.push(w.state.seq);
    }
    expect(seqs).toEqual([1, 2, 3]);
  });
});
