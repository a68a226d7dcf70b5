// The rules of guess and compare rounds: apply(state, command, ctx) → { state, effects } or an error
// code. Pure: the session, the clock and randomness come in ctx, and effects tell the host what to
// write, send, schedule and ask the model.
import type { ErrorCode } from "../../../contract/protocol/errors.ts";
import type { CompareSpec, GuessStart, PickHow, TokenProbView } from "../../../contract/protocol/guess.ts";
import type { ModelInfo } from "../../../contract/inference/port.ts";
import type { ActivityRules, Applied, Effect, RuleContext, SessionEvent } from "../../session/activity.ts";
import { roundMetrics, surpriseBits, tallyVotes, type ScoredVote } from "./round-metrics.ts";
import {
  currentRound,
  emptyGuessState,
  threadPrefixIds,
  threadText,
  type CompareSideState,
  type GuessCommand,
  type GuessJob,
  type GuessOp,
  type GuessState,
  type ModelRequest,
  type PreparedDistribution,
  type RoundState,
  type VoteState,
} from "./guess-state.ts";

export const MODEL_TOP_K = 50;
export const MODEL_BOTTOM_K = 5;

type Result = Applied<GuessState, GuessOp, GuessJob, GuessCommand>;
type Fx = Effect<GuessOp, GuessJob, GuessCommand>;

const fail = (code: ErrorCode): Result => ({ ok: false, code });
const done = (state: GuessState, effects: Fx[]): Result => ({ ok: true, state, effects });
/** A stale or repeated command (late model answer, old timer): nothing changes. */
const unchanged = (state: GuessState): Result => ({ ok: true, state, effects: [] });

const everyone: Fx = { type: "announce", audience: { to: "everyone" } };
const staff: Fx = { type: "announce", audience: { to: "staff" } };
const counts: Fx = { type: "counts" };
const persistRound = (round: RoundState): Fx => ({ type: "persist", op: { kind: "round", round } });
const persistThreads: Fx = { type: "persist", op: { kind: "threads" } };
const timerKey = (roundId: string) => `guess:${roundId}`;

function withRound(state: GuessState, round: RoundState): GuessState {
  return { ...state, rounds: [...state.rounds.slice(0, -1), round] };
}

const isCurrent = (round: RoundState, ctx: RuleContext) => ctx.session.current?.kind === "guess" && ctx.session.current.id === round.id;

function modelOf(ctx: RuleContext, id: string | undefined): ModelInfo | undefined {
  const wanted = id ?? ctx.session.meta.model.id;
  return ctx.models.find((m) => m.id === wanted);
}

function modelRequest(ctx: RuleContext, fields: Partial<ModelRequest>): ModelRequest {
  return {
    model: ctx.session.meta.model.id,
    modelSha256: ctx.session.meta.model.sha256,
    prefixIds: [],
    promptText: null,
    chat: false,
    topK: MODEL_TOP_K,
    bottomK: MODEL_BOTTOM_K,
    temperature: 1,
    ...fields,
  };
}

function newRound(state: GuessState, fields: Pick<RoundState, "id" | "kind" | "prompt" | "threadIndex" | "request" | "compare" | "timer">, now: number): RoundState {
  return {
    ...fields,
    number: state.rounds.length + 1,
    status: "preparing",
    prefix: [],
    distribution: null,
    votes: new Map(),
    predictions: new Map(),
    histogram: null,
    metrics: null,
    results: null,
    pick: null,
    picking: false,
    error: null,
    startedAt: now,
    closedAt: null,
  };
}

function begin(state: GuessState, round: RoundState): Result {
  const requests = round.compare ? [round.compare.a.request, round.compare.b.request] : [round.request];
  return done({ ...state, rounds: [...state.rounds, round] }, [persistRound(round), { type: "run", job: { kind: "prepare", roundId: round.id, requests }, wait: true }]);
}

function compareSides(spec: CompareSpec, ctx: RuleContext): { a: CompareSideState; b: CompareSideState } | ErrorCode {
  const side = (label: string, prompt: string, request: ModelRequest): CompareSideState => ({ label, prompt, chat: request.chat, request, prefix: [], distribution: null });
  const base = modelRequest(ctx, { promptText: spec.prompt });
  switch (spec.compare) {
    case "chat": {
      const model = modelOf(ctx, spec.model);
      if (!model) return "model_not_found";
      if (!model.hasChatTemplate) return "no_chat_template";
      const request = { ...base, model: model.id, modelSha256: model.sha256 };
      return { a: side("raw text", spec.prompt, request), b: side("wrapped in the chat markers", spec.prompt, { ...request, chat: true }) };
    }
    case "prompts":
      if (spec.promptB.trim() === "") return "no_text";
      return { a: side("prompt A", spec.prompt, base), b: side("prompt B", spec.promptB, { ...base, promptText: spec.promptB }) };
    case "models": {
      const a = modelOf(ctx, spec.modelA);
      const b = modelOf(ctx, spec.modelB);
      if (!a || !b) return "model_not_found";
      const chatA = Boolean(spec.chat && a.hasChatTemplate);
      const chatB = Boolean(spec.chat && b.hasChatTemplate);
      return {
        a: side(a.name, spec.prompt, { ...base, model: a.id, modelSha256: a.sha256, chat: chatA }),
        b: side(b.name, spec.prompt, { ...base, model: b.id, modelSha256: b.sha256, chat: chatB }),
      };
    }
    case "temperature": {
      const [ta, tb] = spec.temperatures;
      return { a: side(`temperature ${ta}`, spec.prompt, { ...base, temperature: ta }), b: side(`temperature ${tb}`, spec.prompt, { ...base, temperature: tb }) };
    }
  }
}

function start(state: GuessState, input: GuessStart, id: string, ctx: RuleContext): Result {
  const timerOf = (seconds: number | undefined) => (seconds ? { endsAt: null, remainingMs: seconds * 1000 } : null);
  if (input.mode === "compare") {
    if (input.spec.prompt.trim() === "") return fail("no_text");
    const sides = compareSides(input.spec, ctx);
    if (typeof sides === "string") return fail(sides);
    const request = sides.a.request;
    return begin(state, newRound(state, { id, kind: "compare", prompt: input.spec.prompt, threadIndex: null, request, compare: { mode: input.spec.compare, ...sides }, timer: null }, ctx.now));
  }
  if (input.mode === "continue") {
    const threadIndex = state.threads.length - 1;
    const thread = state.threads[threadIndex];
    if (!thread) return fail("no_text");
    const request = modelRequest(ctx, { prefixIds: threadPrefixIds(thread) });
    return begin(state, newRound(state, { id, kind: "guess", prompt: threadText(thread), threadIndex, request, compare: null, timer: timerOf(input.timerSeconds) }, ctx.now));
  }
  let prompt = input.prompt;
  if (input.promptIndex !== undefined) {
    prompt = ctx.session.meta.prompts[input.promptIndex];
    if (prompt === undefined) return fail("prompt_not_found");
  }
  if (prompt === undefined || prompt.trim() === "") return fail("no_text");
  return begin(state, newRound(state, { id, kind: "guess", prompt, threadIndex: null, request: modelRequest(ctx, { promptText: prompt }), compare: null, timer: timerOf(input.timerSeconds) }, ctx.now));
}

function vote(state: GuessState, cmd: Extract<GuessCommand, { type: "vote" }>, ctx: RuleContext): Result {
  const participant = ctx.session.participants.get(cmd.participantId);
  if (!participant) return fail("not_joined");
  if (participant.kicked) return fail("kicked");
  if (ctx.session.status === "ended") return fail("room_ended");
  const round = currentRound(state);
  if (!round || round.id !== cmd.roundId) return fail("voting_closed");
  if (round.kind === "compare") return fail("compare_round");
  if (round.status === "preparing") return fail("not_voting");
  if (round.status !== "voting") return fail("voting_closed");
  if (ctx.session.paused) return fail("paused");
  const v: VoteState = { ...cmd.pieces, participantId: cmd.participantId, tokenId: cmd.token.id, tokenText: cmd.token.text, p: cmd.token.p, rank: cmd.token.rank, at: ctx.now };
  const next = withRound(state, { ...round, votes: new Map(round.votes).set(cmd.participantId, v) });
  // The voter learns its vote from the ack; everyone else only needs the new count.
  return done(next, [{ type: "persist", op: { kind: "vote", roundId: round.id, vote: v } }, counts, staff]);
}

function predict(state: GuessState, cmd: Extract<GuessCommand, { type: "predict" }>, ctx: RuleContext): Result {
  const participant = ctx.session.participants.get(cmd.participantId);
  if (!participant || participant.kicked) return fail("not_joined");
  if (ctx.session.paused) return fail("paused");
  const round = currentRound(state);
  if (!round || round.id !== cmd.roundId || round.kind !== "compare" || round.status !== "voting") return fail("voting_closed");
  if (round.predictions.get(cmd.participantId) === cmd.side) return unchanged(state);
  const updated = { ...round, predictions: new Map(round.predictions).set(cmd.participantId, cmd.side) };
  return done(withRound(state, updated), [persistRound(updated), counts, staff, { type: "announce", audience: { to: "participant", participantId: cmd.participantId } }]);
}

function roundPrepared(state: GuessState, cmd: Extract<GuessCommand, { type: "roundPrepared" }>, ctx: RuleContext): Result {
  const round = currentRound(state);
  if (!round || round.id !== cmd.roundId || round.status !== "preparing") return unchanged(state);
  const [first, second] = cmd.results as [PreparedDistribution | undefined, PreparedDistribution | undefined];
  if (!first) return unchanged(state);
  const effects: Fx[] = [];
  let timer = round.timer;
  if (timer) {
    timer = ctx.session.paused ? { endsAt: null, remainingMs: timer.remainingMs } : { endsAt: ctx.now + timer.remainingMs, remainingMs: timer.remainingMs };
    if (!ctx.session.paused) effects.push({ type: "setTimer", key: timerKey(round.id), delayMs: timer.remainingMs, command: { type: "timerFired", roundId: round.id } });
  }
  if (round.kind === "compare" && round.compare) {
    if (!second) return unchanged(state);
    const withSide = (s: CompareSideState, r: PreparedDistribution) => ({ ...s, prefix: r.prefix, distribution: r.distribution, request: { ...s.request, prefixIds: r.prefix.map((t) => t.id) } });
    const compare = { ...round.compare, a: withSide(round.compare.a, first), b: withSide(round.compare.b, second) };
    // The phones predict first; the host reveals.
    const ready: RoundState = { ...round, status: "voting", prefix: first.prefix, distribution: first.distribution, compare, timer, startedAt: ctx.now };
    return done(withRound(state, ready), [persistRound(ready), everyone, counts, ...effects]);
  }
  let threads = state.threads;
  let threadIndex = round.threadIndex;
  const prefixIds = first.prefix.map((t) => t.id);
  const extra: Fx[] = [];
  if (threadIndex === null) {
    threads = [...threads, { prompt: round.prompt, promptIds: prefixIds, appended: [] }];
    threadIndex = threads.length - 1;
    extra.push(persistThreads);
  }
  const ready: RoundState = { ...round, status: "voting", threadIndex, prefix: first.prefix, distribution: first.distribution, request: { ...round.request, prefixIds }, timer, startedAt: ctx.now };
  return done({ ...withRound(state, ready), threads }, [persistRound(ready), ...extra, everyone, counts, ...effects]);
}

function roundFailed(state: GuessState, cmd: Extract<GuessCommand, { type: "roundFailed" }>): Result {
  const round = currentRound(state);
  if (!round || round.id !== cmd.roundId || round.status !== "preparing") return unchanged(state);
  const failed: RoundState = { ...round, status: "failed", error: cmd.code };
  return done(withRound(state, failed), [persistRound(failed), everyone]);
}

function reveal(state: GuessState, round: RoundState, ctx: RuleContext): Result {
  const closed: Fx[] = [{ type: "clearTimer", key: timerKey(round.id) }];
  if (round.kind === "compare") {
    const revealed: RoundState = { ...round, status: "revealed", timer: null, closedAt: ctx.now };
    return done(withRound(state, revealed), [...closed, persistRound(revealed), everyone]);
  }
  const present = (id: string) => ctx.session.participants.get(id)?.kicked === false;
  const counted = [...round.votes.values()].filter((v) => present(v.participantId));
  const scored: ScoredVote[] = counted.map((v) => ({ tokenId: v.tokenId, tokenText: v.tokenText, p: v.p, rank: v.rank }));
  const histogram = tallyVotes(scored);
  const metrics = roundMetrics(scored, histogram, round.distribution?.top[0] ?? null);
  const results: RoundState["results"] = {};
  // One copy of the scores for the whole reveal, not one per voter.
  const scores = new Map(state.scores);
  for (const v of counted) {
    const surprise = surpriseBits(v.p);
    results[v.participantId] = { tokenId: v.tokenId, tokenText: v.tokenText, p: v.p, rank: v.rank, surpriseBits: surprise };
    const s = scores.get(v.participantId) ?? { lossBits: 0, rounds: 0 };
    scores.set(v.participantId, { lossBits: s.lossBits + surprise, rounds: s.rounds + 1 });
  }
  const revealed: RoundState = { ...round, status: "revealed", histogram, metrics, results, timer: null, closedAt: ctx.now };
  return done({ ...withRound(state, revealed), scores }, [...closed, persistRound(revealed), everyone]);
}

function close(state: GuessState, ctx: RuleContext): Result {
  if (ctx.session.status === "ended") return fail("room_ended");
  const round = currentRound(state);
  if (!round || !isCurrent(round, ctx)) return fail("no_round");
  if (round.status === "preparing") return fail("busy");
  if (round.status !== "voting") return fail("not_voting");
  return reveal(state, round, ctx);
}

function timerFired(state: GuessState, roundId: string, ctx: RuleContext): Result {
  const round = currentRound(state);
  if (!round || round.id !== roundId || round.status !== "voting" || ctx.session.paused || !round.timer) return unchanged(state);
  return reveal(state, round, ctx);
}

function applyPick(state: GuessState, round: RoundState, how: PickHow, token: TokenProbView, temperature: number | null, seed: number | null): Result {
  const picked: RoundState = { ...round, status: "picked", pick: { how, token, temperature, seed }, picking: false };
  const threads = state.threads.map((t, i) => (i === round.threadIndex ? { ...t, appended: [...t.appended, { ...token, how, roundNumber: round.number, temperature, seed }] } : t));
  return done({ ...withRound(state, picked), threads }, [persistRound(picked), persistThreads, everyone]);
}

function pick(state: GuessState, cmd: Extract<GuessCommand, { type: "pick" }>, ctx: RuleContext): Result {
  if (ctx.session.status === "ended") return fail("room_ended");
  const round = currentRound(state);
  if (!round || !isCurrent(round, ctx)) return fail("no_round");
  if (round.kind === "compare") return fail("compare_round");
  if (round.pick) return fail("already_picked");
  if (round.picking) return fail("busy");
  if (round.status !== "revealed") return fail("not_revealed");
  if (cmd.how === "favourite") {
    const fav = round.histogram?.[0];
    if (!fav) return fail("no_votes");
    return applyPick(state, round, "favourite", { id: fav.tokenId, text: fav.text, p: fav.modelP }, null, null);
  }
  if (cmd.how === "model_top") {
    const top = round.distribution?.top[0];
    if (!top) return fail("no_round");
    return applyPick(state, round, "model_top", top, null, null);
  }
  const temperature = cmd.temperature ?? 1;
  // A 31-bit seed fits every sampler and a JSON number, and is recorded so the draw can be repeated.
  const seed = Math.floor(ctx.rng() * 2 ** 31);
  return done(withRound(state, { ...round, picking: true }), [{ type: "run", job: { kind: "sample", roundId: round.id, request: round.request, temperature, seed }, wait: true }]);
}

function tokenSampled(state: GuessState, cmd: Extract<GuessCommand, { type: "tokenSampled" }>): Result {
  const round = currentRound(state);
  if (!round || round.id !== cmd.roundId || !round.picking) return unchanged(state);
  return applyPick(state, round, "sample", cmd.token, cmd.temperature, cmd.seed);
}

function sampleFailed(state: GuessState, roundId: string): Result {
  const round = currentRound(state);
  if (!round || round.id !== roundId || !round.picking) return unchanged(state);
  return done(withRound(state, { ...round, picking: false }), []);
}

/** Stops a round that is still preparing or taking votes; its record stays, as "skipped". */
function skip(state: GuessState): Result {
  const round = currentRound(state);
  if (!round || (round.status !== "preparing" && round.status !== "voting")) return unchanged(state);
  const skipped: RoundState = { ...round, status: "skipped", timer: null };
  return done(withRound(state, skipped), [{ type: "clearTimer", key: timerKey(round.id) }, persistRound(skipped), everyone]);
}

function react(state: GuessState, event: SessionEvent, ctx: RuleContext): Result | null {
  const round = currentRound(state);
  switch (event.type) {
    case "kicked": {
      // A removed student's vote no longer counts in the live tally (predictions are tallied from
      // the people still in the room, so they need nothing here).
      if (!round || round.status !== "voting" || !round.votes.has(event.participantId)) return null;
      const votes = new Map(round.votes);
      votes.delete(event.participantId);
      return done(withRound(state, { ...round, votes }), []);
    }
    case "paused":
    case "resumed": {
      if (round?.status !== "voting" || !round.timer) return null;
      // A paused round keeps the time it had left, and gets it back on resume.
      const paused = event.type === "paused";
      const timer = paused ? { endsAt: null, remainingMs: Math.max(0, (round.timer.endsAt ?? ctx.now) - ctx.now) } : { endsAt: ctx.now + round.timer.remainingMs, remainingMs: round.timer.remainingMs };
      const updated = { ...round, timer };
      const timerFx: Fx = paused ? { type: "clearTimer", key: timerKey(round.id) } : { type: "setTimer", key: timerKey(round.id), delayMs: timer.remainingMs, command: { type: "timerFired", roundId: round.id } };
      return done(withRound(state, updated), [timerFx, persistRound(updated)]);
    }
    case "ended":
      return skip(state);
    case "joined":
      return null;
  }
}

function resume(state: GuessState, ctx: RuleContext): Result {
  const round = currentRound(state);
  if (!round) return unchanged(state);
  if (round.status === "preparing") {
    // The model call died with the old process; the host starts the round again.
    const failed: RoundState = { ...round, status: "failed", error: "inference_failed" };
    return done(withRound(state, failed), [persistRound(failed)]);
  }
  if (round.picking) return done(withRound(state, { ...round, picking: false }), []);
  if (round.status === "voting" && round.timer?.endsAt != null && !ctx.session.paused) {
    return done(state, [{ type: "setTimer", key: timerKey(round.id), delayMs: Math.max(0, round.timer.endsAt - ctx.now), command: { type: "timerFired", roundId: round.id } }]);
  }
  return unchanged(state);
}

function apply(state: GuessState, command: GuessCommand, ctx: RuleContext): Result {
  switch (command.type) {
    case "vote":
      return vote(state, command, ctx);
    case "predict":
      return predict(state, command, ctx);
    case "roundPrepared":
      return roundPrepared(state, command, ctx);
    case "roundFailed":
      return roundFailed(state, command);
    case "close":
      return close(state, ctx);
    case "timerFired":
      return timerFired(state, command.roundId, ctx);
    case "pick":
      return pick(state, command, ctx);
    case "tokenSampled":
      return tokenSampled(state, command);
    case "sampleFailed":
      return sampleFailed(state, command.roundId);
  }
}

const clip = (text: string, n = 50) => (text.length > n ? `${text.slice(0, n - 1)}…` : text);

export const guessRules: ActivityRules<"guess", GuessState, GuessCommand, GuessOp, GuessJob> = {
  kind: "guess",
  initial: emptyGuessState,
  start,
  apply,
  current(state) {
    const round = currentRound(state);
    if (!round) return null;
    return { id: round.id, status: round.status === "preparing" || round.status === "voting" || round.picking ? "running" : "finished" };
  },
  finish: (state) => skip(state),
  react,
  resume,
  summarize(input) {
    if (input.mode === "continue") return "Guess: the next token of the class's text";
    if (input.mode === "round") return input.prompt ? `Guess: “${clip(input.prompt)}”` : `Guess: prepared prompt ${(input.promptIndex ?? 0) + 1}`;
    const s = input.spec;
    switch (s.compare) {
      case "chat":
        return `Compare raw vs chat markers: “${clip(s.prompt)}”`;
      case "prompts":
        return `Compare “${clip(s.prompt, 30)}” with “${clip(s.promptB, 30)}”`;
      case "models":
        return `Compare two models: “${clip(s.prompt)}”`;
      case "temperature":
        return `Compare temperature ${s.temperatures[0]} vs ${s.temperatures[1]}: “${clip(s.prompt)}”`;
    }
  },
};
