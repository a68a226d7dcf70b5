// Table tests of the guess activity's rules on the session host: each test name states the rule.
import { describe, expect, it } from "vitest";
import type { HostCommand } from "../../../../server/session/host-machine.ts";
import { currentRound } from "../../../../server/activities/guess/guess-state.ts";
import { hostSnapshot, playerSnapshot, projectorSnapshot, sessionCounts } from "../../../../server/session/session-snapshot.ts";
import { dist, effectsOf, g, guessOf, join, prefix, prepared, rejects, run, s, sources, start, vote, voting, world } from "../../session/host-world.ts";

const round = (w: ReturnType<typeof world>) => currentRound(guessOf(w))!;
const startRound = (id: string, input: Record<string, unknown>): HostCommand => start(id, { kind: "guess", input: { mode: "round", ...input } } as never);
const startContinue = (id: string): HostCommand => start(id, { kind: "guess", input: { mode: "continue" } });

describe("a guess round", () => {
  it("starting a round asks the model for the distribution and the ack waits for it", () => {
    const w = run(world(), startRound("r1", { prompt: "Once upon" }));
    expect(round(w).status).toBe("preparing");
    expect(effectsOf(w)).toContainEqual(expect.objectContaining({ type: "run", wait: true, job: expect.objectContaining({ kind: "prepare", roundId: "r1", requests: [expect.objectContaining({ promptText: "Once upon", topK: 50, temperature: 1, chat: false })] }) }));
    expect(w.state.session.current).toEqual({ kind: "guess", id: "r1" });
  });

  it("the model's answer opens voting and starts a text from the prompt's token ids", () => {
    const w = voting();
    expect(round(w).status).toBe("voting");
    expect(round(w).prefix).toEqual(prefix);
    expect(guessOf(w).threads).toEqual([{ prompt: "Once upon a time", promptIds: [1, 2, 3], appended: [] }]);
    expect(effectsOf(w)).toContainEqual({ type: "persist", op: { kind: "threads" } });
  });

  it("a vote can be changed until close, and only the latest counts", () => {
    const w = run(voting(), vote("a", 11, 0.25), vote("a", 10, 0.5), vote("b", 10, 0.5));
    expect(round(w).votes.get("a")?.tokenId).toBe(10);
    run(w, g({ type: "close" }));
    expect(round(w).histogram).toEqual([{ tokenId: 10, text: " t10", count: 2, share: 1, modelP: 0.5, modelRank: 1 }]);
  });

  it("every vote is persisted, including changed ones", () => {
    const w = run(voting(), vote("a", 11, 0.25));
    expect(effectsOf(w)[0]).toMatchObject({ type: "persist", op: { kind: "vote", roundId: "r1" } });
    run(w, vote("a", 10, 0.5));
    expect(effectsOf(w)[0]).toMatchObject({ type: "persist", op: { kind: "vote", vote: { tokenId: 10 } } });
  });

  it.each([
    ["a vote before the model answered is refused", () => run(world(), join("a"), startRound("r1", { prompt: "x" })), vote("a", 10, 0.5), "not_voting"],
    ["a vote after close is refused", () => run(voting(), g({ type: "close" })), vote("a", 10, 0.5), "voting_closed"],
    ["a vote for an old round is refused", () => voting(), vote("a", 10, 0.5, "r0"), "voting_closed"],
    ["a vote while paused is refused", () => run(voting(), s({ type: "setPaused", paused: true })), vote("a", 10, 0.5), "paused"],
    ["a vote from someone who never joined is refused", () => voting(), vote("zz", 10, 0.5), "not_joined"],
    ["a vote from a kicked student is refused", () => run(voting(), s({ type: "kick", participantIds: ["a"] })), vote("a", 10, 0.5), "kicked"],
    ["closing twice is refused", () => run(voting(), g({ type: "close" })), g({ type: "close" }), "not_voting"],
    ["closing with no round is refused", () => world(), g({ type: "close" }), "no_round"],
    ["a new round while one takes votes is refused with the one code", () => voting(), startRound("r2", { prompt: "y" }), "activity_running"],
    ["a new round while the model works is refused with the same code", () => run(world(), startRound("r1", { prompt: "x" })), startRound("r2", { prompt: "y" }), "activity_running"],
    ["continuing with no text is refused", () => world(), startContinue("r1"), "no_text"],
    ["a prepared prompt that does not exist is refused", () => world(), startRound("r1", { promptIndex: 9 }), "prompt_not_found"],
    ["picking before the reveal is refused", () => voting(), g({ type: "pick", how: "model_top" }), "not_revealed"],
    ["picking the class favourite with no votes is refused", () => run(voting(), g({ type: "close" })), g({ type: "pick", how: "favourite" }), "no_votes"],
  ] as const)("%s", (_rule, setup, command, code) => {
    expect(rejects(setup(), command)).toBe(code);
  });

  it("closing reveals histogram, metrics and each student's p, rank and surprise, and adds to their score", () => {
    const w = run(voting(), vote("a", 10, 0.5, "r1", 1), vote("b", 11, 0.25, "r1", 2), vote("c", 10, 0.5, "r1", 1), g({ type: "close" }));
    const r = round(w);
    expect(r.status).toBe("revealed");
    expect(r.metrics).toMatchObject({ voters: 3, favourite: { tokenId: 10, count: 2 }, modelTop: { id: 10 } });
    expect(r.metrics?.avgLossBits).toBeCloseTo((1 + 2 + 1) / 3, 12);
    // ½(|2/3 − ½| + |1/3 − ¼| + (1 − ¾)) = ½(1/6 + 1/12 + 1/4) = 0.25
    expect(r.metrics?.tvd).toBeCloseTo(0.25, 12);
    expect(r.results?.b).toEqual({ tokenId: 11, tokenText: " t11", p: 0.25, rank: 2, surpriseBits: 2 });
    expect(guessOf(w).scores.get("b")).toEqual({ lossBits: 2, rounds: 1 });
    expect(effectsOf(w)).toContainEqual({ type: "clearTimer", key: "guess:r1" });
  });

  it("after a reveal the round is finished: the host can start something else without picking a token", () => {
    const w = run(voting(), g({ type: "close" }));
    run(w, start("s1", { kind: "slide", input: { title: "Next", body: "" } }));
    expect(w.state.session.current).toEqual({ kind: "slide", id: "s1" });
    expect(rejects(w, g({ type: "pick", how: "model_top" }))).toBe("no_round");
  });

  it("a kicked student's vote no longer counts", () => {
    const w = run(voting(), vote("a", 10, 0.5), vote("b", 11, 0.25), s({ type: "kick", participantIds: ["b"] }), g({ type: "close" }));
    expect(round(w).metrics?.voters).toBe(1);
  });

  it("picking the class favourite appends it with its model probability, and the next round continues the text", () => {
    const w = run(voting(), vote("a", 11, 0.25), vote("b", 11, 0.25), vote("c", 10, 0.5), g({ type: "close" }), g({ type: "pick", how: "favourite" }));
    expect(guessOf(w).threads[0]?.appended).toEqual([{ id: 11, text: " t11", p: 0.25, how: "favourite", roundNumber: 1, temperature: null, seed: null }]);
    run(w, startContinue("r2"));
    expect(effectsOf(w)).toContainEqual(expect.objectContaining({ type: "run", job: expect.objectContaining({ requests: [expect.objectContaining({ prefixIds: [1, 2, 3, 11], promptText: null })] }) }));
    expect(round(w).prompt).toBe("Once upon a time t11");
  });

  it("picking the model's top token appends the most likely token", () => {
    const w = run(voting(), g({ type: "close" }), g({ type: "pick", how: "model_top" }));
    expect(guessOf(w).threads[0]?.appended[0]).toMatchObject({ id: 10, p: 0.5, how: "model_top" });
    expect(rejects(w, g({ type: "pick", how: "model_top" }))).toBe("already_picked");
  });

  it("a sample pick records a seed from ctx.rng and asks the model, then appends the drawn token", () => {
    const w = run(voting(), g({ type: "close" }), g({ type: "pick", how: "sample", temperature: 1.5 }));
    const job = effectsOf(w).find((e) => e.type === "run") as { job: { kind: string; seed: number; temperature: number } };
    expect(job.job).toMatchObject({ kind: "sample", temperature: 1.5 });
    expect(Number.isInteger(job.job.seed)).toBe(true);
    expect(rejects(w, g({ type: "pick", how: "model_top" }))).toBe("busy");
    run(w, g({ type: "tokenSampled", roundId: "r1", token: { id: 12, text: " lived", p: 0.125 }, seed: job.job.seed, temperature: 1.5 }));
    expect(round(w).pick).toEqual({ how: "sample", token: { id: 12, text: " lived", p: 0.125 }, temperature: 1.5, seed: job.job.seed });
  });

  it("the same rng seed gives the same sample seed", () => {
    const seeds = [voting(), voting()].map((w) => {
      run(w, g({ type: "close" }), g({ type: "pick", how: "sample", temperature: 1 }));
      return (effectsOf(w).find((e) => e.type === "run") as { job: { seed: number } }).job.seed;
    });
    expect(seeds[0]).toBe(seeds[1]);
  });

  it("a late model answer for a skipped round changes nothing", () => {
    const w = run(world(), startRound("r1", { prompt: "x" }), { to: "finish" });
    const before = w.state;
    run(w, prepared("r1"));
    expect(w.state).toBe(before);
    expect(w.effects).toEqual([]);
  });

  it("a failed model call fails the round, which no longer blocks anything", () => {
    const w = run(world(), startRound("r1", { prompt: "x" }), g({ type: "roundFailed", roundId: "r1", code: "model_unavailable" }));
    expect(round(w)).toMatchObject({ status: "failed", error: "model_unavailable" });
    run(w, startRound("r2", { prompt: "y" }));
    expect(round(w).id).toBe("r2");
  });
});

describe("timers", () => {
  const timed = () => run(world(), join("a"), startRound("r1", { prompt: "x", timerSeconds: 30 }));

  it("a timed round schedules its close as an effect once voting opens", () => {
    const w = timed();
    expect(effectsOf(w).some((e) => e.type === "setTimer")).toBe(false);
    run(w, prepared());
    expect(effectsOf(w)).toContainEqual({ type: "setTimer", key: "guess:r1", delayMs: 30_000, command: { type: "timerFired", roundId: "r1" } });
  });

  it("the timer closes the round; a stale timer for another round does nothing", () => {
    const w = run(timed(), prepared());
    run(w, g({ type: "timerFired", roundId: "old" }));
    expect(round(w).status).toBe("voting");
    run(w, g({ type: "timerFired", roundId: "r1" }));
    expect(round(w).status).toBe("revealed");
  });

  it("pausing keeps the remaining time and resuming schedules it again", () => {
    const w = run(timed(), prepared());
    run(w, s({ type: "setPaused", paused: true }));
    expect(effectsOf(w)).toContainEqual({ type: "clearTimer", key: "guess:r1" });
    const remaining = round(w).timer!.remainingMs;
    expect(remaining).toBeLessThanOrEqual(30_000);
    run(w, g({ type: "timerFired", roundId: "r1" }));
    expect(round(w).status).toBe("voting");
    run(w, s({ type: "setPaused", paused: false }));
    expect(effectsOf(w)).toContainEqual({ type: "setTimer", key: "guess:r1", delayMs: remaining, command: { type: "timerFired", roundId: "r1" } });
  });

  it("resuming after a restart re-arms a running timer and fails a round whose model call was lost", () => {
    const w = run(timed(), prepared(), { to: "resume" });
    expect(effectsOf(w)[0]).toMatchObject({ type: "setTimer", key: "guess:r1" });
    const lost = run(world(), startRound("r1", { prompt: "x" }), { to: "resume" });
    expect(round(lost)).toMatchObject({ status: "failed", error: "inference_failed" });
  });
});

describe("compare rounds", () => {
  const compare = (spec: Record<string, unknown>): HostCommand => start("c1", { kind: "guess", input: { mode: "compare", spec } } as never);
  const both = g({ type: "roundPrepared", roundId: "c1", results: [{ prefix, distribution: dist }, { prefix, distribution: { ...dist, entropyBits: 5 } }] });

  it("a chat compare asks for the raw and the chat-wrapped distribution of a model that has a template", () => {
    const w = run(world(), compare({ compare: "chat", prompt: "Tell me about Blake Bourne", model: "m2" }));
    const job = effectsOf(w).find((e) => e.type === "run") as { job: { requests: { chat: boolean; model: string }[] } };
    expect(job.job.requests.map((r) => [r.model, r.chat])).toEqual([
      ["m2", false],
      ["m2", true],
    ]);
  });

  it("a chat compare on a model without a chat template is refused", () => {
    expect(rejects(world(), compare({ compare: "chat", prompt: "x" }))).toBe("no_chat_template");
  });

  it("phones predict the surer side before the reveal, and the reveal says who was right", () => {
    const w = run(world(), join("a"), join("b"), compare({ compare: "prompts", prompt: "Albert Einstein was a", promptB: "Blake Bourne was a" }), both);
    expect(round(w).status).toBe("voting");
    expect(projectorSnapshot(sources(w)).activity?.view).toMatchObject({ round: { compare: { a: { distribution: null }, predictions: { a: 0, b: 0, surer: null } } } });
    run(w, g({ type: "predict", participantId: "a", roundId: "c1", side: "a" }), g({ type: "predict", participantId: "b", roundId: "c1", side: "b" }));
    expect(effectsOf(w)).toContainEqual(expect.objectContaining({ type: "persist" }));
    run(w, g({ type: "close" }));
    const view = projectorSnapshot(sources(w)).activity?.view as { round: { compare: { a: { distribution: { entropyBits: number } }; predictions: unknown } } };
    expect(view.round.compare.a.distribution.entropyBits).toBe(1.9);
    expect(view.round.compare.predictions).toEqual({ a: 1, b: 1, surer: "a" });
    expect(rejects(w, g({ type: "pick", how: "model_top" }))).toBe("compare_round");
  });

  it("a models compare sends each model's id and hash, and wraps only the one with a chat template", () => {
    const w = run(world(), compare({ compare: "models", prompt: "x", modelB: "m2", chat: true }));
    const job = effectsOf(w).find((e) => e.type === "run") as { job: { requests: { model: string; modelSha256: string; chat: boolean }[] } };
    expect(job.job.requests[0]).toMatchObject({ model: "m", modelSha256: "abc", chat: false });
    expect(job.job.requests[1]).toMatchObject({ model: "m2", modelSha256: "def", chat: true });
    expect(rejects(world(), compare({ compare: "models", prompt: "x", modelB: "nope" }))).toBe("model_not_found");
  });

  it("a temperature compare asks for the same prompt at both temperatures", () => {
    const w = run(world(), compare({ compare: "temperature", prompt: "x", temperatures: [0.3, 1.5] }));
    const job = effectsOf(w).find((e) => e.type === "run") as { job: { requests: { temperature: number }[] } };
    expect(job.job.requests.map((r) => r.temperature)).toEqual([0.3, 1.5]);
  });
});

describe("what each role sees", () => {
  it("nobody sees the histogram or the model's numbers before the reveal; the projector sees only the vote count", () => {
    const w = run(voting(), vote("a", 10, 0.5), vote("b", 11, 0.25));
    const src = sources(w);
    for (const snap of [projectorSnapshot(src), hostSnapshot(src), playerSnapshot(src, "a")]) {
      expect((snap.activity?.view as { round: { reveal: unknown } }).round.reveal).toBeNull();
      expect(JSON.stringify(snap)).not.toContain("entropyBits");
    }
    expect((projectorSnapshot(src).activity?.view as { round: { voteCount: number } }).round.voteCount).toBe(2);
    expect(sessionCounts(src).activity?.counts).toEqual({ votes: 2 });
  });

  it("a player's snapshot holds their own vote but not anyone else's, and no participant list", () => {
    const w = run(voting(), vote("a", 10, 0.5), vote("b", 11, 0.25));
    const snap = playerSnapshot(sources(w), "a");
    expect((snap.activity?.mine as { vote: { tokenId: number } }).vote.tokenId).toBe(10);
    expect(JSON.stringify(snap)).not.toContain("t11");
    expect(snap).not.toHaveProperty("participants");
    expect(JSON.stringify(snap)).not.toContain("h-a");
  });

  it("ending the session skips an open round and keeps the texts for the finale", () => {
    const w = run(voting(), g({ type: "close" }), g({ type: "pick", how: "model_top" }), start("r2", { kind: "guess", input: { mode: "continue" } }), s({ type: "end" }));
    expect(round(w).status).toBe("skipped");
    expect(w.state.session.status).toBe("ended");
    expect(rejects(w, start("r9", { kind: "guess", input: { mode: "round", prompt: "x" } }))).toBe("room_ended");
    expect(projectorSnapshot(sources(w)).finale).toEqual([{ kind: "guess", view: { threads: [expect.objectContaining({ prompt: "Once upon a time" })], podium: null } }]);
  });
});
