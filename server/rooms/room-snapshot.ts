// Role-filtered views of a room. Phones never see another student's token or guess, and nobody
// sees the class histogram or the model's distribution before the reveal (no herding).
import {
  PHONE_REVEAL_ITEMS,
  PROTOCOL_VERSION,
  type CompareSideView,
  type HostSnapshot,
  type MeView,
  type ParticipantView,
  type PlayerSnapshot,
  type ProjectorSnapshot,
  type RoomCounts,
  type RoomView,
  type RoundView,
  type ThreadView,
} from "../protocol/room-protocol.ts";
import { explainPieces, promptNeedsSpace } from "./guess-rule.ts";
import { chainRule, visibleBars } from "./round-metrics.ts";
import { currentRound, type CompareSideState, type RoomState, type RoundState, type ThreadState } from "./room-state.ts";

export function participantCount(state: RoomState): number {
  let n = 0;
  for (const p of state.participants.values()) if (!p.kicked) n++;
  return n;
}

export function connectedCount(state: RoomState): number {
  let n = 0;
  for (const p of state.participants.values()) if (!p.kicked && p.connections > 0) n++;
  return n;
}

export function voteCount(round: RoundState | null): number {
  return round ? round.votes.size : 0;
}

export function roomView(state: RoomState): RoomView {
  return {
    code: state.meta.code,
    title: state.meta.title,
    phase: state.phase,
    locked: state.locked,
    paused: state.paused,
    model: { id: state.meta.model.id, name: state.meta.model.name },
    participantCount: participantCount(state),
    connectedCount: connectedCount(state),
    createdAt: state.meta.createdAt,
    endedAt: state.endedAt,
  };
}

function sideView(side: CompareSideState): CompareSideView | null {
  if (!side.distribution) return null;
  return { label: side.label, prompt: side.prompt, chat: side.chat, model: side.request.model, prefix: side.prefix, distribution: side.distribution };
}

export function roundView(round: RoundState): RoundView {
  // The model's numbers and the class histogram exist from the start, but stay hidden until the reveal.
  const revealed = round.status === "revealed" || round.status === "picked";
  const a = round.compare ? sideView(round.compare.a) : null;
  const b = round.compare ? sideView(round.compare.b) : null;
  const bars = round.histogram ? visibleBars(round.histogram) : null;
  return {
    id: round.id,
    number: round.number,
    kind: round.kind,
    status: round.status,
    prompt: round.prompt,
    prefix: round.prefix,
    guessNeedsSpace: promptNeedsSpace(round.prompt),
    timer: round.timer && round.status === "voting" ? { endsAt: round.timer.endsAt, remainingMs: round.timer.remainingMs } : null,
    voteCount: voteCount(round),
    reveal:
      revealed && round.kind === "guess" && round.distribution && round.metrics && bars
        ? { distribution: round.distribution, histogram: bars.bars, otherVotes: bars.otherVotes, metrics: round.metrics }
        : null,
    compare: revealed && round.compare && a && b ? { mode: round.compare.mode, a, b } : null,
    pick: round.pick,
    error: round.error,
  };
}

export function threadView(thread: ThreadState): ThreadView {
  return { prompt: thread.prompt, appended: thread.appended, ...chainRule(thread.appended.map((t) => t.p)) };
}

/**
 * A phone's screen shows a few bars, and a reveal goes to a thousand phones at once: a smaller
 * payload per phone is what keeps the reveal fast.
 */
function phoneRoundView(view: RoundView): RoundView {
  if (!view.reveal) return view;
  const { distribution, histogram, otherVotes } = view.reveal;
  const shown = histogram.slice(0, PHONE_REVEAL_ITEMS);
  const hidden = histogram.slice(PHONE_REVEAL_ITEMS).reduce((sum, bar) => sum + bar.count, 0);
  return {
    ...view,
    reveal: { ...view.reveal, distribution: { ...distribution, top: distribution.top.slice(0, PHONE_REVEAL_ITEMS), bottom: distribution.bottom.slice(0, 3) }, histogram: shown, otherVotes: otherVotes + hidden },
  };
}

function base(state: RoomState, forPhone = false) {
  const round = currentRound(state);
  const view = round ? roundView(round) : null;
  return {
    protocolVersion: PROTOCOL_VERSION,
    seq: state.seq,
    room: roomView(state),
    round: view && forPhone ? phoneRoundView(view) : view,
    threads: state.threads.map(threadView),
  };
}

export function meView(state: RoomState, participantId: string): MeView | null {
  const p = state.participants.get(participantId);
  if (!p || p.kicked) return null;
  const round = currentRound(state);
  const v = round?.votes.get(participantId);
  return {
    id: p.id,
    nickname: p.nickname,
    vote: v
      ? { guess: v.guess, mapped: v.mapped, leadingSpaceAdded: v.leadingSpaceAdded, tokens: v.tokens, explanation: explainPieces(v.mapped, v.tokens), tokenId: v.tokenId, tokenText: v.tokenText, at: v.at }
      : null,
    result: round?.results?.[participantId] ?? null,
    totalLossBits: p.totalLossBits,
    roundsScored: p.roundsScored,
  };
}

/** The parts every player shares, computed once per broadcast and combined with each `me`. */
export function playerBase(state: RoomState): Omit<PlayerSnapshot, "me"> {
  return { viewer: "player", ...base(state, true) };
}

export function playerSnapshot(state: RoomState, participantId: string | null, shared = playerBase(state)): PlayerSnapshot {
  return { ...shared, me: participantId ? meView(state, participantId) : null };
}

export function projectorSnapshot(state: RoomState): ProjectorSnapshot {
  return { viewer: "projector", ...base(state), join: { url: state.meta.joinUrl, qrSvg: state.meta.qrSvg } };
}

export function participantViews(state: RoomState): ParticipantView[] {
  const round = currentRound(state);
  return state.participantOrder.map((id) => {
    const p = state.participants.get(id)!;
    return {
      id: p.id,
      nickname: p.nickname,
      connected: p.connections > 0,
      kicked: p.kicked,
      votedThisRound: round?.votes.has(id) ?? false,
      totalLossBits: p.totalLossBits,
      roundsScored: p.roundsScored,
    };
  });
}

export function hostSnapshot(state: RoomState): HostSnapshot {
  return {
    viewer: "host",
    ...base(state),
    join: { url: state.meta.joinUrl, qrSvg: state.meta.qrSvg },
    prompts: state.meta.prompts,
    participants: participantViews(state),
  };
}

export function roomCounts(state: RoomState): RoomCounts {
  const round = currentRound(state);
  return {
    seq: state.seq,
    participantCount: participantCount(state),
    connectedCount: connectedCount(state),
    roundId: round?.id ?? null,
    voteCount: round?.status === "voting" ? voteCount(round) : 0,
  };
}
