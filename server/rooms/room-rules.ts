// The rules of a live room: apply(state, command, ctx) → { state, effects } or an error code.
// Pure: no sockets, database, clock or timers; ctx carries the time and randomness, and effects
// tell the shell (room-service.ts) what to write, send, schedule and ask the model.
import type { PickHow, RoomErrorCode, TokenProbView } from "../protocol/room-protocol.ts";
import type { ApplyResult, InferRequest, PreparedDistribution, RoomCommand, RoomEffect, RuleContext } from "./room-commands.ts";
import { cleanNickname, nicknameKey, uniqueNickname } from "./nickname.ts";
import { roundMetrics, surpriseBits, tallyVotes, type ScoredVote } from "./round-metrics.ts";
import {
  currentRound,
  threadPrefixIds,
  threadText,
  type ModelRequest,
  type ParticipantState,
  type RoomState,
  type RoundState,
  type VoteState,
} from "./room-state.ts";

export const MODEL_TOP_K = 50;
export const MODEL_BOTTOM_K = 5;

type Result = ApplyResult<RoomState>;

const fail = (code: RoomErrorCode): Result => ({ ok: false, code });
const done = (state: RoomState, effects: RoomEffect[]): Result => ({ ok: true, state: { ...state, seq: state.seq + 1 }, effects });
/** A stale or repeated command (late model answer, old timer): nothing changes. */
const unchanged = (state: RoomState): Result => ({ ok: true, state, effects: [] });

const everyone = { type: "snapshot", audience: { to: "everyone" } } as const;
const staff = { type: "snapshot", audience: { to: "staff" } } as const;
const persistRoom = { type: "persist", op: { kind: "room" } } as const;
const persistRound = (round: RoundState): RoomEffect => ({ type: "persist", op: { kind: "round", round } });
const persistParticipant = (participant: ParticipantState): RoomEffect => ({ type: "persist", op: { kind: "participant", participant } });

function withRound(state: RoomState, round: RoundState): RoomState {
  return { ...state, rounds: [...state.rounds.slice(0, -1), round] };
}

function withParticipant(state: RoomState, participant: ParticipantState): RoomState {
  return { ...state, participants: new Map(state.participants).set(participant.id, participant) };
}

function takenNames(state: RoomState, except?: string): Set<string> {
  const taken = new Set<string>();
  for (const p of state.participants.values()) if (!p.kicked && p.id !== except) taken.add(p.nameKey);
  return taken;
}

function modelRequest(state: RoomState, fields: Partial<ModelRequest>): ModelRequest {
  return {
    model: state.meta.model.id,
    modelSha256: state.meta.model.sha256,
    prefixIds: [],
    promptText: null,
    chat: false,
    topK: MODEL_TOP_K,
    bottomK: MODEL_BOTTOM_K,
    temperature: 1,
    ...fields,
  };
}

function newRound(state: RoomState, fields: Pick<RoundState, "id" | "kind" | "prompt" | "threadIndex" | "request" | "compare" | "timer">, now: number): RoundState {
  return {
    ...fields,
    number: state.rounds.length + 1,
    status: "preparing",
    prefix: [],
    distribution: null,
    votes: new Map(),
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

/** Guards shared by host commands that start something new. */
function canStart(state: RoomState): RoomErrorCode | null {
  if (state.phase === "ended") return "room_ended";
  if (state.phase === "preparing") return "busy";
  if (state.phase === "voting") return "round_open";
  return null;
}

function join(state: RoomState, cmd: Extract<RoomCommand, { type: "join" }>, ctx: RuleContext): Result {
  if (state.phase === "ended") return fail("room_ended");
  if (state.locked) return fail("room_locked");
  if (state.participants.has(cmd.participantId)) return fail("already_joined");
  const cleaned = cleanNickname(cmd.nickname);
  if (!cleaned) return fail("nickname_empty");
  const nickname = uniqueNickname(cleaned, takenNames(state));
  const participant: ParticipantState = {
    id: cmd.participantId,
    tokenHash: cmd.tokenHash,
    nickname,
    nameKey: nicknameKey(nickname),
    kicked: false,
    joinedAt: ctx.now,
    connections: 1,
    totalLossBits: 0,
    roundsScored: 0,
  };
  const next = { ...withParticipant(state, participant), participantOrder: [...state.participantOrder, participant.id] };
  return done(next, [persistParticipant(participant), { type: "snapshot", audience: { to: "participant", participantId: participant.id } }, staff, { type: "counts" }]);
}

function connection(state: RoomState, participantId: string, delta: 1 | -1): Result {
  const p = state.participants.get(participantId);
  if (!p) return fail("participant_unknown");
  if (p.kicked) return delta === 1 ? fail("kicked") : unchanged(state);
  const next = withParticipant(state, { ...p, connections: Math.max(0, p.connections + delta) });
  return done(next, [staff, { type: "counts" }]);
}

function vote(state: RoomState, cmd: Extract<RoomCommand, { type: "vote" }>, ctx: RuleContext): Result {
  const participant = state.participants.get(cmd.participantId);
  if (!participant) return fail("not_joined");
  if (participant.kicked) return fail("kicked");
  if (state.phase === "ended") return fail("room_ended");
  const round = currentRound(state);
  if (!round || round.id !== cmd.roundId) return fail("voting_closed");
  if (round.kind === "compare") return fail("compare_round");
  if (round.status === "preparing") return fail("not_voting");
  if (round.status !== "voting") return fail("voting_closed");
  if (state.paused) return fail("paused");
  const v: VoteState = {
    ...cmd.pieces,
    participantId: cmd.participantId,
    tokenId: cmd.token.id,
    tokenText: cmd.token.text,
    p: cmd.token.p,
    rank: cmd.token.rank,
    at: ctx.now,
  };
  const next = withRound(state, { ...round, votes: new Map(round.votes).set(cmd.participantId, v) });
  // The voter learns its vote from the ack; everyone else only needs the new count.
  return done(next, [{ type: "persist", op: { kind: "vote", roundId: round.id, vote: v } }, { type: "counts" }, staff]);
}

function startRound(state: RoomState, cmd: Extract<RoomCommand, { type: "startRound" }>, ctx: RuleContext): Result {
  const blocked = canStart(state);
  if (blocked) return fail(blocked);
  let prompt: string | undefined = cmd.prompt;
  if (cmd.promptIndex !== undefined) {
    prompt = state.meta.prompts[cmd.promptIndex];
    if (prompt === undefined) return fail("prompt_not_found");
  }
  const timer = cmd.timerSeconds ? { endsAt: null, remainingMs: cmd.timerSeconds * 1000 } : null;
  let round: RoundState;
  if (prompt !== undefined && prompt.trim() !== "") {
    round = newRound(state, { id: cmd.roundId, kind: "guess", prompt, threadIndex: null, request: modelRequest(state, { promptText: prompt }), compare: null, timer }, ctx.now);
  } else if (prompt === undefined) {
    const threadIndex = state.threads.length - 1;
    const thread = state.threads[threadIndex];
    if (!thread) return fail("no_text");
    const request = modelRequest(state, { prefixIds: threadPrefixIds(thread) });
    round = newRound(state, { id: cmd.roundId, kind: "guess", prompt: threadText(thread), threadIndex, request, compare: null, timer }, ctx.now);
  } else {
    return fail("no_text");
  }
  const next = { ...state, phase: "preparing" as const, rounds: [...state.rounds, round] };
  return done(next, [persistRound(round), persistRoom, everyone, { type: "infer", roundId: round.id, infer: { kind: "distribution", request: round.request } }]);
}

function startCompare(state: RoomState, cmd: Extract<RoomCommand, { type: "startCompare" }>, ctx: RuleContext): Result {
  const blocked = canStart(state);
  if (blocked) return fail(blocked);
  if (cmd.prompt.trim() === "" || (cmd.mode === "prompts" && !cmd.promptB?.trim())) return fail("no_text");
  if (cmd.mode === "models" && !cmd.modelB) return fail("model_not_found");
  const base = modelRequest(state, { promptText: cmd.prompt });
  const side = (label: string, prompt: string, request: ModelRequest) => ({ label, prompt, chat: request.chat, request, prefix: [], distribution: null });
  const [a, b] =
    cmd.mode === "chat"
      ? [side("raw", cmd.prompt, base), side("chat template", cmd.prompt, { ...base, chat: true })]
      : cmd.mode === "prompts"
        ? [side("prompt A", cmd.prompt, base), side("prompt B", cmd.promptB!, { ...base, promptText: cmd.promptB! })]
        : [side(state.meta.model.id, cmd.prompt, base), side(cmd.modelB!.id, cmd.prompt, { ...base, model: cmd.modelB!.id, modelSha256: cmd.modelB!.sha256 })];
  const round = newRound(state, { id: cmd.roundId, kind: "compare", prompt: cmd.prompt, threadIndex: null, request: base, compare: { mode: cmd.mode, a, b }, timer: null }, ctx.now);
  const infer: InferRequest[] = [
    { kind: "distribution", request: a.request },
    { kind: "distribution", request: b.request },
  ];
  const next = { ...state, phase: "preparing" as const, rounds: [...state.rounds, round] };
  return done(next, [persistRound(round), persistRoom, everyone, { type: "infer", roundId: round.id, infer }]);
}

function roundPrepared(state: RoomState, cmd: Extract<RoomCommand, { type: "roundPrepared" }>, ctx: RuleContext): Result {
  const round = currentRound(state);
  if (!round || round.id !== cmd.roundId || round.status !== "preparing") return unchanged(state);
  const [first, second] = cmd.results as [PreparedDistribution | undefined, PreparedDistribution | undefined];
  if (!first) return unchanged(state);
  if (round.kind === "compare" && round.compare) {
    if (!second) return unchanged(state);
    const withSide = (s: typeof round.compare.a, r: PreparedDistribution) => ({ ...s, prefix: r.prefix, distribution: r.distribution, request: { ...s.request, prefixIds: r.prefix.map((t) => t.id) } });
    const compare = { ...round.compare, a: withSide(round.compare.a, first), b: withSide(round.compare.b, second) };
    const ready: RoundState = { ...round, status: "revealed", prefix: first.prefix, distribution: first.distribution, compare, closedAt: ctx.now };
    return done({ ...withRound(state, ready), phase: "revealed" }, [persistRound(ready), persistRoom, everyone]);
  }
  let threads = state.threads;
  let threadIndex = round.threadIndex;
  const prefixIds = first.prefix.map((t) => t.id);
  if (threadIndex === null) {
    threads = [...threads, { prompt: round.prompt, promptIds: prefixIds, appended: [] }];
    threadIndex = threads.length - 1;
  }
  const effects: RoomEffect[] = [];
  let timer = round.timer;
  if (timer) {
    timer = state.paused ? { endsAt: null, remainingMs: timer.remainingMs } : { endsAt: ctx.now + timer.remainingMs, remainingMs: timer.remainingMs };
    if (!state.paused) effects.push({ type: "setTimer", roundId: round.id, delayMs: timer.remainingMs });
  }
  const ready: RoundState = { ...round, status: "voting", threadIndex, prefix: first.prefix, distribution: first.distribution, request: { ...round.request, prefixIds }, timer, startedAt: ctx.now };
  return done({ ...withRound(state, ready), threads, phase: "voting" }, [persistRound(ready), persistRoom, everyone, { type: "counts" }, ...effects]);
}

function roundFailed(state: RoomState, cmd: Extract<RoomCommand, { type: "roundFailed" }>): Result {
  const round = currentRound(state);
  if (!round || round.id !== cmd.roundId || round.status !== "preparing") return unchanged(state);
  const failed: RoundState = { ...round, status: "failed", error: cmd.code };
  return done({ ...withRound(state, failed), phase: "lobby" }, [persistRound(failed), persistRoom, everyone]);
}

function close(state: RoomState, round: RoundState, ctx: RuleContext): Result {
  const counted = [...round.votes.values()].filter((v) => state.participants.get(v.participantId)?.kicked === false);
  const scored: ScoredVote[] = counted.map((v) => ({ tokenId: v.tokenId, tokenText: v.tokenText, p: v.p, rank: v.rank }));
  const histogram = tallyVotes(scored);
  const metrics = roundMetrics(scored, histogram, round.distribution?.top[0] ?? null);
  const results: RoundState["results"] = {};
  // One copy of the participants for the whole reveal, not one per voter.
  const participants = new Map(state.participants);
  for (const v of counted) {
    const surprise = surpriseBits(v.p);
    results[v.participantId] = { tokenId: v.tokenId, tokenText: v.tokenText, p: v.p, rank: v.rank, surpriseBits: surprise };
    const p = participants.get(v.participantId)!;
    participants.set(p.id, { ...p, totalLossBits: p.totalLossBits + surprise, roundsScored: p.roundsScored + 1 });
  }
  const closed: RoundState = { ...round, status: "revealed", histogram, metrics, results, timer: null, closedAt: ctx.now };
  return done({ ...withRound(state, closed), participants, phase: "revealed" }, [{ type: "clearTimer", roundId: round.id }, persistRound(closed), persistRoom, everyone]);
}

function closeRound(state: RoomState, ctx: RuleContext): Result {
  if (state.phase === "ended") return fail("room_ended");
  const round = currentRound(state);
  if (!round) return fail("no_round");
  if (round.kind === "compare") return fail("compare_round");
  if (round.status === "preparing") return fail("busy");
  if (round.status !== "voting") return fail("not_voting");
  return close(state, round, ctx);
}

function timerFired(state: RoomState, roundId: string, ctx: RuleContext): Result {
  const round = currentRound(state);
  if (!round || round.id !== roundId || round.status !== "voting" || state.paused || !round.timer) return unchanged(state);
  return close(state, round, ctx);
}

function applyPick(state: RoomState, round: RoundState, how: PickHow, token: TokenProbView, temperature: number | null, seed: number | null): Result {
  const pick = { how, token, temperature, seed };
  const picked: RoundState = { ...round, status: "picked", pick, picking: false };
  const threads = state.threads.map((t, i) =>
    i === round.threadIndex ? { ...t, appended: [...t.appended, { ...token, how, roundNumber: round.number, temperature, seed }] } : t,
  );
  return done({ ...withRound(state, picked), threads, phase: "lobby" }, [persistRound(picked), persistRoom, everyone]);
}

function pickToken(state: RoomState, cmd: Extract<RoomCommand, { type: "pickToken" }>, ctx: RuleContext): Result {
  if (state.phase === "ended") return fail("room_ended");
  const round = currentRound(state);
  if (!round) return fail("no_round");
  if (round.kind === "compare") return fail("compare_round");
  if (round.pick) return fail("already_picked");
  if (round.picking) return fail("busy");
  if (round.status !== "revealed" || state.phase !== "revealed") return fail("not_revealed");
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
  const next = withRound(state, { ...round, picking: true });
  return done(next, [{ type: "infer", roundId: round.id, infer: { kind: "sample", request: round.request, temperature, seed } }]);
}

function tokenSampled(state: RoomState, cmd: Extract<RoomCommand, { type: "tokenSampled" }>): Result {
  const round = currentRound(state);
  if (!round || round.id !== cmd.roundId || !round.picking) return unchanged(state);
  return applyPick(state, round, "sample", cmd.token, cmd.temperature, cmd.seed);
}

function sampleFailed(state: RoomState, roundId: string): Result {
  const round = currentRound(state);
  if (!round || round.id !== roundId || !round.picking) return unchanged(state);
  return done(withRound(state, { ...round, picking: false }), []);
}

function skip(state: RoomState): Result {
  if (state.phase === "ended") return fail("room_ended");
  const round = currentRound(state);
  if (!round) return fail("no_round");
  if (state.phase === "preparing" || state.phase === "voting") {
    const skipped: RoundState = { ...round, status: "skipped", timer: null, closedAt: round.closedAt ?? null };
    return done({ ...withRound(state, skipped), phase: "lobby" }, [{ type: "clearTimer", roundId: round.id }, persistRound(skipped), persistRoom, everyone]);
  }
  if (state.phase === "revealed") {
    // Moving on from a reveal without choosing a token: the round keeps its reveal, the text stays.
    return done({ ...withRound(state, { ...round, picking: false }), phase: "lobby" }, [persistRoom, everyone]);
  }
  return fail("no_round");
}

function setPaused(state: RoomState, paused: boolean, ctx: RuleContext): Result {
  if (state.phase === "ended") return fail("room_ended");
  if (state.paused === paused) return unchanged(state);
  const effects: RoomEffect[] = [];
  let next: RoomState = { ...state, paused };
  const round = currentRound(state);
  if (round?.status === "voting" && round.timer) {
    // A paused round keeps the time it had left, and gets it back on resume.
    const timer = paused
      ? { endsAt: null, remainingMs: Math.max(0, (round.timer.endsAt ?? ctx.now) - ctx.now) }
      : { endsAt: ctx.now + round.timer.remainingMs, remainingMs: round.timer.remainingMs };
    const updated = { ...round, timer };
    next = withRound(next, updated);
    effects.push(paused ? { type: "clearTimer", roundId: round.id } : { type: "setTimer", roundId: round.id, delayMs: timer.remainingMs }, persistRound(updated));
  }
  return done(next, [...effects, persistRoom, everyone]);
}

function setLocked(state: RoomState, locked: boolean): Result {
  if (state.phase === "ended") return fail("room_ended");
  if (state.locked === locked) return unchanged(state);
  return done({ ...state, locked }, [persistRoom, everyone]);
}

function rename(state: RoomState, participantId: string, nickname: string): Result {
  const p = state.participants.get(participantId);
  if (!p) return fail("participant_not_found");
  const cleaned = cleanNickname(nickname);
  if (!cleaned) return fail("nickname_empty");
  const unique = uniqueNickname(cleaned, takenNames(state, p.id));
  const renamed = { ...p, nickname: unique, nameKey: nicknameKey(unique) };
  return done(withParticipant(state, renamed), [persistParticipant(renamed), { type: "snapshot", audience: { to: "participant", participantId } }, staff]);
}

function kick(state: RoomState, participantId: string): Result {
  const p = state.participants.get(participantId);
  if (!p) return fail("participant_not_found");
  if (p.kicked) return unchanged(state);
  const kicked = { ...p, kicked: true, connections: 0 };
  let next = withParticipant(state, kicked);
  const round = currentRound(state);
  if (round?.status === "voting" && round.votes.has(participantId)) {
    // A removed student's vote no longer counts in the live tally.
    const votes = new Map(round.votes);
    votes.delete(participantId);
    next = withRound(next, { ...round, votes });
  }
  return done(next, [persistParticipant(kicked), { type: "disconnect", participantId, code: "kicked" }, staff, { type: "counts" }]);
}

function endSession(state: RoomState, ctx: RuleContext): Result {
  if (state.phase === "ended") return fail("room_ended");
  const effects: RoomEffect[] = [];
  let next: RoomState = { ...state, phase: "ended", endedAt: ctx.now };
  const round = currentRound(state);
  if (round && (round.status === "preparing" || round.status === "voting")) {
    const skipped: RoundState = { ...round, status: "skipped", timer: null };
    next = withRound(next, skipped);
    effects.push({ type: "clearTimer", roundId: round.id }, persistRound(skipped));
  }
  return done(next, [...effects, persistRoom, everyone]);
}

function resume(state: RoomState, ctx: RuleContext): Result {
  const round = currentRound(state);
  if (!round) return unchanged(state);
  if (round.status === "preparing") {
    // The model call died with the old process; the host starts the round again.
    const failed: RoundState = { ...round, status: "failed", error: "inference_failed" };
    return done({ ...withRound(state, failed), phase: "lobby" }, [persistRound(failed), persistRoom]);
  }
  let next = state;
  const effects: RoomEffect[] = [];
  if (round.picking) next = withRound(next, { ...round, picking: false });
  if (round.status === "voting" && round.timer?.endsAt != null && !state.paused) {
    effects.push({ type: "setTimer", roundId: round.id, delayMs: Math.max(0, round.timer.endsAt - ctx.now) });
  }
  return done(next, effects);
}

export function apply(state: RoomState, command: RoomCommand, ctx: RuleContext): Result {
  switch (command.type) {
    case "join":
      return join(state, command, ctx);
    case "connect":
      return connection(state, command.participantId, 1);
    case "disconnect":
      return connection(state, command.participantId, -1);
    case "vote":
      return vote(state, command, ctx);
    case "startRound":
      return startRound(state, command, ctx);
    case "startCompare":
      return startCompare(state, command, ctx);
    case "roundPrepared":
      return roundPrepared(state, command, ctx);
    case "roundFailed":
      return roundFailed(state, command);
    case "closeRound":
      return closeRound(state, ctx);
    case "timerFired":
      return timerFired(state, command.roundId, ctx);
    case "pickToken":
      return pickToken(state, command, ctx);
    case "tokenSampled":
      return tokenSampled(state, command);
    case "sampleFailed":
      return sampleFailed(state, command.roundId);
    case "skip":
      return skip(state);
    case "setPaused":
      return setPaused(state, command.paused, ctx);
    case "setLocked":
      return setLocked(state, command.locked);
    case "rename":
      return rename(state, command.participantId, command.nickname);
    case "kick":
      return kick(state, command.participantId);
    case "endSession":
      return endSession(state, ctx);
    case "resume":
      return resume(state, ctx);
  }
}
