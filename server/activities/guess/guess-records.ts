// The stored form of the guess activity (rows its store writes and reads), the zod schemas its
// JSON columns are parsed with on read, and the conversions between rows and the live state.
import { z } from "zod";
import type { RoundKind, RoundStatus, TokenView } from "../../../contract/protocol/guess.ts";
import type { ErrorCode } from "../../../contract/protocol/errors.ts";
import {
  emptyGuessState,
  type AppendedToken,
  type GuessState,
  type RoundState,
  type Score,
  type ThreadState,
  type VoteState,
} from "./guess-state.ts";

const tokenView = z.object({ id: z.number().int(), text: z.string(), special: z.boolean() });
const tokenProb = z.object({ id: z.number().int(), text: z.string(), p: z.number() });
const distribution = z.object({ model: z.string(), top: z.array(tokenProb), bottom: z.array(tokenProb), entropyBits: z.number(), restMass: z.number(), vocabSize: z.number() });
const modelRequest = z.object({
  model: z.string(),
  modelSha256: z.string(),
  prefixIds: z.array(z.number().int()),
  promptText: z.string().nullable(),
  chat: z.boolean(),
  topK: z.number(),
  bottomK: z.number(),
  temperature: z.number(),
});
const side = z.object({ label: z.string(), prompt: z.string(), chat: z.boolean(), request: modelRequest, prefix: z.array(tokenView), distribution: distribution.nullable() });
const bar = z.object({ tokenId: z.number(), text: z.string(), count: z.number(), share: z.number(), modelP: z.number(), modelRank: z.number() });
const result = z.object({ tokenId: z.number(), tokenText: z.string(), p: z.number(), rank: z.number(), surpriseBits: z.number() });
const pick = z.object({ how: z.enum(["favourite", "model_top", "sample"]), token: tokenProb, temperature: z.number().nullable(), seed: z.number().nullable() });

/** The parts of a round kept as one JSON document next to its columns. Older rounds lack `predictions`. */
export const roundDataSchema = z.object({
  threadIndex: z.number().int().nullable(),
  request: modelRequest,
  prefix: z.array(tokenView),
  distribution: distribution.nullable(),
  compare: z.object({ mode: z.enum(["chat", "prompts", "models", "temperature"]), a: side, b: side }).nullable(),
  timer: z.object({ endsAt: z.number().nullable(), remainingMs: z.number() }).nullable(),
  histogram: z.array(bar).nullable(),
  metrics: z
    .object({ voters: z.number(), avgLossBits: z.number().nullable(), tvd: z.number().nullable(), favourite: bar.nullable(), modelTop: tokenProb.nullable() })
    .nullable(),
  results: z.record(z.string(), result).nullable(),
  pick: pick.nullable(),
  error: z.string().nullable(),
  predictions: z.record(z.string(), z.enum(["a", "b"])).default({}),
});
export type RoundData = z.output<typeof roundDataSchema>;

export const tokenViewsSchema = z.array(tokenView);
export const appendedSchema = z.array(tokenProb.extend({ how: pick.shape.how, roundNumber: z.number(), temperature: z.number().nullable(), seed: z.number().nullable() }));
export const promptIdsSchema = z.array(z.number().int());

export interface RoundRow {
  id: string;
  sessionId: string;
  number: number;
  kind: RoundKind;
  status: RoundStatus;
  prompt: string;
  modelId: string;
  data: RoundData;
  startedAt: number;
  closedAt: number | null;
}

/** One vote as cast; a changed vote is a second row, and the latest per participant counts. */
export interface VoteRow {
  sessionId: string;
  roundId: string;
  participantId: string;
  guess: string;
  mapped: string;
  leadingSpaceAdded: boolean;
  tokens: TokenView[];
  tokenId: number;
  tokenText: string;
  p: number;
  rank: number;
  at: number;
}

export interface ThreadRow {
  position: number;
  prompt: string;
  promptIds: number[];
  appended: AppendedToken[];
}

export interface StoredGuess {
  rounds: RoundRow[];
  /** In cast order. load returns only the votes of rounds still open; review returns all. */
  votes: VoteRow[];
  threads: ThreadRow[];
}

export function roundRowOf(sessionId: string, round: RoundState): RoundRow {
  const { id, number, kind, status, prompt, startedAt, closedAt, votes: _votes, picking: _picking, predictions, ...rest } = round;
  return { id, sessionId, number, kind, status, prompt, modelId: round.request.model, data: { ...rest, predictions: Object.fromEntries(predictions) }, startedAt, closedAt };
}

export function voteRowOf(sessionId: string, roundId: string, v: VoteState): VoteRow {
  const { explanation: _explanation, ...rest } = v;
  return { ...rest, sessionId, roundId };
}

export const threadRowsOf = (threads: readonly ThreadState[]): ThreadRow[] => threads.map((t, position) => ({ position, ...t }));

function voteStateOf(row: VoteRow): VoteState {
  const { sessionId: _s, roundId: _r, ...rest } = row;
  return { ...rest, explanation: "" };
}

/** Rebuilds the live state from stored rows, after a restart or for a session not in memory. */
export function guessStateFromStored(stored: StoredGuess, present: (participantId: string) => boolean): GuessState {
  if (stored.rounds.length === 0 && stored.threads.length === 0) return emptyGuessState();
  const rounds: RoundState[] = [...stored.rounds]
    .sort((a, b) => a.number - b.number)
    .map((r) => {
      const { predictions, error, ...data } = r.data;
      return {
        ...data,
        error: error as ErrorCode | null,
        id: r.id,
        number: r.number,
        kind: r.kind,
        status: r.status,
        prompt: r.prompt,
        startedAt: r.startedAt,
        closedAt: r.closedAt,
        votes: new Map<string, VoteState>(),
        predictions: new Map(Object.entries(predictions)),
        picking: false,
      };
    });
  // Scores are not stored twice: they are the sum of each revealed round's personal results.
  const scores = new Map<string, Score>();
  for (const round of rounds) {
    for (const [pid, res] of Object.entries(round.results ?? {})) {
      const s = scores.get(pid) ?? { lossBits: 0, rounds: 0 };
      scores.set(pid, { lossBits: s.lossBits + res.surpriseBits, rounds: s.rounds + 1 });
    }
  }
  const byId = new Map(rounds.map((r) => [r.id, r]));
  for (const row of stored.votes) {
    const round = byId.get(row.roundId);
    if (round?.status === "voting" && present(row.participantId)) (round.votes as Map<string, VoteState>).set(row.participantId, voteStateOf(row));
  }
  const threads = [...stored.threads].sort((a, b) => a.position - b.position).map(({ prompt, promptIds, appended }) => ({ prompt, promptIds, appended }));
  return { rounds, threads, scores };
}
