// Role-filtered views of the guess activity. Phones never see another student's guess, and nobody
// sees the class histogram or the model's numbers before the reveal (no herding).
import type { Role } from "../../../contract/protocol/session.ts";
import type { CompareSideView, GuessFinale, GuessMine, GuessView, RoundView, ThreadView } from "../../../contract/protocol/guess.ts";
import { PHONE_REVEAL_ITEMS } from "../../../contract/protocol/limits.ts";
import type { SessionState } from "../../session/session-state.ts";
import { explainPieces, promptNeedsSpace } from "./guess-rule.ts";
import { chainRule, visibleBars } from "./round-metrics.ts";
import { currentRound, type CompareSideState, type GuessState, type RoundState, type ThreadState } from "./guess-state.ts";

const isRevealed = (round: RoundState) => round.status === "revealed" || round.status === "picked";

function sideView(side: CompareSideState, revealed: boolean): CompareSideView {
  return { label: side.label, prompt: side.prompt, chat: side.chat, model: side.request.model, temperature: side.request.temperature, prefix: side.prefix, distribution: revealed ? side.distribution : null };
}

function predictionTally(round: RoundState, present: (id: string) => boolean) {
  let a = 0;
  let b = 0;
  for (const [id, side] of round.predictions) {
    if (!present(id)) continue;
    if (side === "a") a++;
    else b++;
  }
  const ea = round.compare?.a.distribution?.entropyBits;
  const eb = round.compare?.b.distribution?.entropyBits;
  const surer = isRevealed(round) && ea !== undefined && eb !== undefined ? (ea <= eb ? "a" : "b") : null;
  return { a, b, surer } as const;
}

export function roundView(round: RoundState, session: SessionState): RoundView {
  const revealed = isRevealed(round);
  const bars = round.histogram ? visibleBars(round.histogram) : null;
  const present = (id: string) => session.participants.get(id)?.kicked === false;
  return {
    id: round.id,
    number: round.number,
    kind: round.kind,
    status: round.status,
    prompt: round.prompt,
    prefix: round.prefix,
    guessNeedsSpace: promptNeedsSpace(round.prompt),
    timer: round.timer && round.status === "voting" ? { endsAt: round.timer.endsAt, remainingMs: round.timer.remainingMs } : null,
    voteCount: round.votes.size,
    reveal:
      revealed && round.kind === "guess" && round.distribution && round.metrics && bars
        ? { distribution: round.distribution, histogram: bars.bars, otherVotes: bars.otherVotes, metrics: round.metrics }
        : null,
    compare:
      round.compare && round.status !== "preparing"
        ? { mode: round.compare.mode, a: sideView(round.compare.a, revealed), b: sideView(round.compare.b, revealed), predictions: predictionTally(round, present) }
        : null,
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
  const cut = (d: NonNullable<CompareSideView["distribution"]>) => ({ ...d, top: d.top.slice(0, PHONE_REVEAL_ITEMS), bottom: d.bottom.slice(0, 3) });
  let next = view;
  if (view.reveal) {
    const { distribution, histogram, otherVotes } = view.reveal;
    const hidden = histogram.slice(PHONE_REVEAL_ITEMS).reduce((sum, bar) => sum + bar.count, 0);
    next = { ...next, reveal: { ...view.reveal, distribution: cut(distribution), histogram: histogram.slice(0, PHONE_REVEAL_ITEMS), otherVotes: otherVotes + hidden } };
  }
  if (view.compare) {
    const side = (s: CompareSideView) => ({ ...s, distribution: s.distribution ? cut(s.distribution) : null });
    next = { ...next, compare: { ...view.compare, a: side(view.compare.a), b: side(view.compare.b) } };
  }
  return next;
}

export function guessShared(state: GuessState, role: Role, session: SessionState): GuessView {
  const round = currentRound(state);
  const view = round ? roundView(round, session) : null;
  return {
    round: view && role === "player" ? phoneRoundView(view) : view,
    // Phones get the text being written; the screens get every text.
    threads: role === "player" ? state.threads.slice(-1).map(threadView) : state.threads.map(threadView),
    canContinue: state.threads.length > 0,
  };
}

export function guessMine(state: GuessState, participantId: string): GuessMine {
  const round = currentRound(state);
  const v = round?.votes.get(participantId);
  const score = state.scores.get(participantId);
  return {
    vote: v
      ? { guess: v.guess, mapped: v.mapped, leadingSpaceAdded: v.leadingSpaceAdded, tokens: v.tokens, explanation: explainPieces(v.mapped, v.tokens), tokenId: v.tokenId, tokenText: v.tokenText, at: v.at }
      : null,
    result: round?.results?.[participantId] ?? null,
    prediction: round?.predictions.get(participantId) ?? null,
    totalLossBits: score?.lossBits ?? 0,
    roundsScored: score?.rounds ?? 0,
  };
}

export function guessFinale(state: GuessState): GuessFinale | null {
  const written = state.threads.filter((t) => t.appended.length > 0);
  return written.length > 0 ? { threads: written.map(threadView) } : null;
}

export function guessCounts(state: GuessState): Record<string, number> | null {
  const round = currentRound(state);
  if (!round || round.status !== "voting") return null;
  return round.kind === "compare" ? { predictions: round.predictions.size } : { votes: round.votes.size };
}
