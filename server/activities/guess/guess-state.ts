// The guess activity's state: every round of the session (the current one last) and the texts the
// class writes. Plain data: rebuilt from the database on resume (guess-records.ts).
import type { ErrorCode } from "../../../contract/protocol/errors.ts";
import type {
  CompareMode,
  DistributionView,
  GuessPieces,
  HistogramBar,
  MyResultView,
  PickHow,
  PickView,
  RoundKind,
  RoundMetrics,
  RoundStatus,
  TokenProbView,
  TokenView,
} from "../../../contract/protocol/guess.ts";

export interface VoteState extends GuessPieces {
  participantId: string;
  tokenId: number;
  tokenText: string;
  /** The model's probability and rank of tokenId for this round's prefix. */
  p: number;
  rank: number;
  at: number;
}

/** Everything needed to ask the model again for the same numbers (after a restart, or to reproduce). */
export interface ModelRequest {
  model: string;
  modelSha256: string;
  prefixIds: number[];
  /** Set for the first round of a text, where the prefix is the tokenized prompt. */
  promptText: string | null;
  chat: boolean;
  topK: number;
  bottomK: number;
  temperature: number;
}

export interface CompareSideState {
  label: string;
  prompt: string;
  chat: boolean;
  request: ModelRequest;
  prefix: TokenView[];
  distribution: DistributionView | null;
}

export interface RoundState {
  id: string;
  number: number;
  kind: RoundKind;
  status: RoundStatus;
  /** The text shown: the prompt plus tokens appended so far. */
  prompt: string;
  /** Index into `threads` for guess rounds; null for compare rounds. */
  threadIndex: number | null;
  request: ModelRequest;
  prefix: TokenView[];
  distribution: DistributionView | null;
  compare: { mode: CompareMode; a: CompareSideState; b: CompareSideState } | null;
  /** The latest vote of each participant. A Map: copying it per vote is cheap at 1,000 voters. */
  votes: ReadonlyMap<string, VoteState>;
  /** Compare rounds: each phone's guess of the side the model is surer about. */
  predictions: ReadonlyMap<string, "a" | "b">;
  timer: { endsAt: number | null; remainingMs: number } | null;
  histogram: HistogramBar[] | null;
  metrics: RoundMetrics | null;
  results: Record<string, MyResultView> | null;
  pick: PickView | null;
  /** A sample is being drawn for the pick. */
  picking: boolean;
  error: ErrorCode | null;
  startedAt: number;
  closedAt: number | null;
}

export interface AppendedToken extends TokenProbView {
  how: PickHow;
  roundNumber: number;
  temperature: number | null;
  seed: number | null;
}

export interface ThreadState {
  prompt: string;
  /** Token ids of the tokenized prompt (with BOS), as the model saw them. */
  promptIds: number[];
  appended: AppendedToken[];
}

export interface Score {
  lossBits: number;
  rounds: number;
}

export interface GuessState {
  rounds: RoundState[];
  threads: ThreadState[];
  /** Each participant's total surprise over revealed rounds (derived from the rounds' results). */
  scores: ReadonlyMap<string, Score>;
}

export const emptyGuessState = (): GuessState => ({ rounds: [], threads: [], scores: new Map() });

export const currentRound = (state: GuessState): RoundState | null => state.rounds[state.rounds.length - 1] ?? null;

/** The running text of a thread: its prompt and everything appended. */
export const threadText = (thread: ThreadState): string => thread.prompt + thread.appended.map((t) => t.text).join("");

export const threadPrefixIds = (thread: ThreadState): number[] => [...thread.promptIds, ...thread.appended.map((t) => t.id)];

/** What the model answered for one request, trimmed to what a round keeps. */
export interface PreparedDistribution {
  prefix: TokenView[];
  distribution: DistributionView;
}

export type GuessCommand =
  | {
      type: "vote";
      participantId: string;
      roundId: string;
      pieces: GuessPieces;
      /** The first token of the mapped guess, with its model probability and rank. */
      token: { id: number; text: string; p: number; rank: number };
    }
  | { type: "predict"; participantId: string; roundId: string; side: "a" | "b" }
  | { type: "roundPrepared"; roundId: string; results: PreparedDistribution[] }
  | { type: "roundFailed"; roundId: string; code: ErrorCode }
  | { type: "close" }
  | { type: "timerFired"; roundId: string }
  | { type: "pick"; how: PickHow; temperature?: number }
  | { type: "tokenSampled"; roundId: string; token: TokenProbView; seed: number; temperature: number }
  | { type: "sampleFailed"; roundId: string; code: ErrorCode };

export type GuessOp =
  | { kind: "round"; round: RoundState }
  | { kind: "vote"; roundId: string; vote: VoteState }
  | { kind: "threads" };

export type GuessJob =
  | { kind: "prepare"; roundId: string; requests: ModelRequest[] }
  | { kind: "sample"; roundId: string; request: ModelRequest; temperature: number; seed: number };
