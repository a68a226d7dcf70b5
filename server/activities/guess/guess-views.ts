// Role-filtered views of the guess activity. Phones never see another student's guess, and nobody
// sees the class histogram or the model's numbers before the reveal (no herding).
import type { Role } from "../../../contract/protocol/session.ts";
import type { CompareSideView, GuessFinale, GuessMine, GuessView, LeaderView, PodiumView, RoundView, ThreadView } from "../../../contract/protocol/guess.ts";
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
    leaders: session.leaderboard && role !== "player" ? ranking(state, session).list.slice(0, 5) : null,
  };
}

interface Ranking {
  list: LeaderView[];
  placeOf: Map<string, number>;
}

// Scores change at reveals only, so a ranking is sorted once per reveal and shared by every phone's view.
const rankings = new WeakMap<GuessState["scores"], { participants: SessionState["participants"]; ranking: Ranking }>();

/** Everyone still in the room who has scored, lowest mean surprise first (more rounds, then name, break ties). */
function ranking(state: GuessState, session: SessionState): Ranking {
  const cached = rankings.get(state.scores);
  if (cached?.participants === session.participants) return cached.ranking;
  const rows: (Omit<LeaderView, "place"> & { id: string })[] = [];
  for (const [id, score] of state.scores) {
    const p = session.participants.get(id);
    if (!p || p.kicked || score.rounds === 0) continue;
    rows.push({ id, nickname: p.nickname, meanSurpriseBits: score.lossBits / score.rounds, rounds: score.rounds });
  }
  rows.sort((a, b) => a.meanSurpriseBits - b.meanSurpriseBits || b.rounds - a.rounds || a.nickname.localeCompare(b.nickname));
  const result: Ranking = { list: rows.map(({ id: _id, ...r }, i) => ({ place: i + 1, ...r })), placeOf: new Map(rows.map((r, i) => [r.id, i + 1])) };
  rankings.set(state.scores, { participants: session.participants, ranking: result });
  return result;
}

function podium(state: GuessState, session: SessionState): PodiumView {
  const { list } = ranking(state, session);
  const most = Math.max(0, ...list.map((l) => l.rounds));
  let surprising: PodiumView["surprising"] = null;
  let worst = -1;
  for (const round of state.rounds) {
    for (const [id, result] of Object.entries(round.results ?? {})) {
      const p = session.participants.get(id);
      if (!p || p.kicked || result.surpriseBits <= worst) continue;
      worst = result.surpriseBits;
      surprising = { nickname: p.nickname, guess: result.tokenText, p: result.p, prompt: round.prompt };
    }
  }
  return { best: list.filter((l) => l.rounds * 2 >= most).slice(0, 3), surprising };
}

export function guessMine(state: GuessState, participantId: string, session: SessionState): GuessMine {
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
    place: session.leaderboard && score ? placeOf(state, session, participantId) : null,
  };
}

function placeOf(state: GuessState, session: SessionState, participantId: string): GuessMine["place"] {
  const r = ranking(state, session);
  const place = r.placeOf.get(participantId);
  return place ? { place, of: r.list.length } : null;
}

export function guessFinale(state: GuessState, session: SessionState): GuessFinale | null {
  const written = state.threads.filter((t) => t.appended.length > 0);
  const board = session.leaderboard && state.scores.size > 0 ? podium(state, session) : null;
  return written.length > 0 || board ? { threads: written.map(threadView), podium: board } : null;
}

export function guessCounts(state: GuessState): Record<string, number> | null {
  const round = currentRound(state);
  if (!round || round.status !== "voting") return null;
  return round.kind === "compare" ? { predictions: round.predictions.size } : { votes: round.votes.size };
}
