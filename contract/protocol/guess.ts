// The guess activity: a round shows a prompt, phones guess the next token, the reveal puts the
// class's histogram beside the model's distribution, and the host picks the token that is appended,
// so the class writes a text one token at a time. Compare rounds show two distributions side by side.
import { z } from "zod";
import { GUESS_MAX_CHARS, PROMPT_MAX_CHARS, storableText } from "./limits.ts";

export const GUESS_EVENTS = {
  // Phone → server.
  preview: "guess:preview",
  vote: "guess:vote",
  predict: "guess:predict",
  // Host console → server.
  close: "guess:close",
  pick: "guess:pick",
} as const;

const prompt = storableText(PROMPT_MAX_CHARS, "prompt_too_long");
const modelId = z.string().min(1).max(200);
const timerSeconds = z.number().int().min(5).max(3600);
const temperature = z.number().min(0.05).max(5);

export const compareSpecSchema = z.discriminatedUnion("compare", [
  /** The same prompt raw vs wrapped in a model's chat template (the room's model unless named). */
  z.object({ compare: z.literal("chat"), prompt, model: modelId.optional() }),
  /** Two prompts, e.g. a well-known subject vs a made-up name. */
  z.object({ compare: z.literal("prompts"), prompt, promptB: prompt }),
  /** One prompt, two models (A is the room's model unless named); `chat` wraps each side in its own template when it has one. */
  z.object({ compare: z.literal("models"), prompt, modelA: modelId.optional(), modelB: modelId, chat: z.boolean().optional() }),
  /** One prompt, the same model at two temperatures. */
  z.object({ compare: z.literal("temperature"), prompt, temperatures: z.tuple([temperature, temperature]) }),
]);
export type CompareSpec = z.infer<typeof compareSpecSchema>;
export type CompareMode = CompareSpec["compare"];

export const guessStartSchema = z.discriminatedUnion("mode", [
  /** A new text from a typed prompt, or a prepared one by index. */
  z.object({ mode: z.literal("round"), prompt: prompt.optional(), promptIndex: z.number().int().min(0).max(1000).optional(), timerSeconds: timerSeconds.optional() }),
  /** The next token of the text written so far. */
  z.object({ mode: z.literal("continue"), timerSeconds: timerSeconds.optional() }),
  z.object({ mode: z.literal("compare"), spec: compareSpecSchema }),
]);
export type GuessStart = z.infer<typeof guessStartSchema>;

export const guessInbound = {
  /** `exact: true` sends the guess as typed, without the automatic leading space. */
  [GUESS_EVENTS.preview]: z.object({ guess: storableText(GUESS_MAX_CHARS * 4), exact: z.boolean().optional() }),
  [GUESS_EVENTS.vote]: z.object({ guess: storableText(GUESS_MAX_CHARS * 4), exact: z.boolean().optional() }),
  /** Before a compare reveal: which side is the model surer about (lower entropy)? */
  [GUESS_EVENTS.predict]: z.object({ side: z.enum(["a", "b"]) }),
  [GUESS_EVENTS.close]: z.object({}).strict().optional(),
  [GUESS_EVENTS.pick]: z.discriminatedUnion("how", [
    z.object({ how: z.literal("favourite") }),
    z.object({ how: z.literal("model_top") }),
    z.object({ how: z.literal("sample"), temperature }),
  ]),
} as const;

// ---------- outbound shapes ----------

export type RoundKind = "guess" | "compare";
export type RoundStatus = "preparing" | "voting" | "revealed" | "picked" | "skipped" | "failed";
export type PickHow = "favourite" | "model_top" | "sample";

export interface TokenView {
  id: number;
  text: string;
  special: boolean;
}

export interface TokenProbView {
  id: number;
  text: string;
  p: number;
}

/** What the model computed for one prefix. `restMass` is the probability outside `top`. */
export interface DistributionView {
  model: string;
  top: TokenProbView[];
  bottom: TokenProbView[];
  entropyBits: number;
  restMass: number;
  vocabSize: number;
}

export interface HistogramBar {
  tokenId: number;
  text: string;
  count: number;
  /** count / voters */
  share: number;
  /** The model's probability of this token, and its rank (1 = most likely). */
  modelP: number;
  modelRank: number;
}

export interface RoundMetrics {
  voters: number;
  /** Mean of -log2 p(guess) over voters: the class's training loss in bits. */
  avgLossBits: number | null;
  /** Total variation distance between the class histogram and the model distribution (0 = same, 1 = disjoint). */
  tvd: number | null;
  favourite: HistogramBar | null;
  modelTop: TokenProbView | null;
}

export interface RoundReveal {
  distribution: DistributionView;
  /** Most voted first, ties by model probability; at most HISTOGRAM_MAX_BARS bars. */
  histogram: HistogramBar[];
  /** Votes for tokens beyond the bars shown (review and export keep every bar). */
  otherVotes: number;
  metrics: RoundMetrics;
}

export interface PickView {
  how: PickHow;
  /** `p` is the model's probability at temperature 1, the number the chain rule uses. */
  token: TokenProbView;
  temperature: number | null;
  seed: number | null;
}

export interface CompareSideView {
  label: string;
  prompt: string;
  chat: boolean;
  model: string;
  temperature: number;
  prefix: TokenView[];
  /** Null until the reveal: phones predict before they see the numbers. */
  distribution: DistributionView | null;
}

export interface PredictionTally {
  a: number;
  b: number;
  /** The side with the lower entropy, once revealed. */
  surer: "a" | "b" | null;
}

export interface TimerView {
  /** Epoch ms when the round closes; null while paused. */
  endsAt: number | null;
  remainingMs: number;
}

export interface RoundView {
  id: string;
  number: number;
  kind: RoundKind;
  status: RoundStatus;
  /** For guess rounds: the text the class continues; for compare rounds: side A's prompt. */
  prompt: string;
  /** The tokens the model is conditioned on (specials flagged), so phones can show boundaries. */
  prefix: TokenView[];
  /** True when the prompt does not end in whitespace, so a typed word gets a leading space. */
  guessNeedsSpace: boolean;
  timer: TimerView | null;
  voteCount: number;
  reveal: RoundReveal | null;
  compare: { mode: CompareMode; a: CompareSideView; b: CompareSideView; predictions: PredictionTally } | null;
  pick: PickView | null;
  error: import("./errors.ts").ErrorCode | null;
}

export interface AppendedTokenView extends TokenProbView {
  how: PickHow;
  roundNumber: number;
  temperature: number | null;
  seed: number | null;
}

/** A text written together: a prompt and the tokens appended one round at a time. */
export interface ThreadView {
  prompt: string;
  appended: AppendedTokenView[];
  /** Chain rule: the sum of log2 p over appended tokens. */
  log2Prob: number;
  /** 2^(-log2Prob / n); null before the first token. */
  perplexity: number | null;
}

export interface GuessPieces {
  /** What the student typed (cleaned). */
  guess: string;
  /** The text that was tokenized: the guess with a leading space when the rule added one. */
  mapped: string;
  leadingSpaceAdded: boolean;
  /** Every token of the mapped guess; the first one is the vote. */
  tokens: TokenView[];
  /** Human-readable, e.g. "' Bourne' = ' B' + 'ourne' (2 tokens; the first one counts)". */
  explanation: string;
}

export interface MyVoteView extends GuessPieces {
  tokenId: number;
  tokenText: string;
  at: number;
}

export interface MyResultView {
  tokenId: number;
  tokenText: string;
  p: number;
  rank: number;
  surpriseBits: number;
}

/** One line of the leaderboard: lowest mean surprise first. */
export interface LeaderView {
  place: number;
  nickname: string;
  meanSurpriseBits: number;
  rounds: number;
}

/** The end-of-session podium, when the host showed the leaderboard. */
export interface PodiumView {
  /** Who guessed most like the model: lowest mean surprise over at least half the rounds. */
  best: LeaderView[];
  /** The single guess the model found least likely. */
  surprising: { nickname: string; guess: string; p: number; prompt: string } | null;
}

export interface GuessView {
  round: RoundView | null;
  /** Every text written in this session, the current one last. */
  threads: ThreadView[];
  /** Whether there is a text to continue (the host's "next token" button). */
  canContinue: boolean;
  /** The top five by lowest mean surprise, for the screens, when the host turned the leaderboard on. */
  leaders: LeaderView[] | null;
}

export interface GuessMine {
  vote: MyVoteView | null;
  result: MyResultView | null;
  prediction: "a" | "b" | null;
  totalLossBits: number;
  roundsScored: number;
  /** This phone's place on the leaderboard, when it is on and the phone has scored. */
  place: { place: number; of: number } | null;
}

export interface GuessFinale {
  threads: ThreadView[];
  podium: PodiumView | null;
}

// ---------- ack data ----------

export type GuessPreviewAck = GuessPieces;

export interface VoteAck {
  vote: MyVoteView;
  /** True when this replaced an earlier vote in the same round. */
  changed: boolean;
}

export interface PredictAck {
  prediction: "a" | "b";
}
