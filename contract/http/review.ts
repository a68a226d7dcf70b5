// What a facilitator's review and the JSON export hold: the session, its people, and one section
// per activity, with everything needed to reproduce each number (model id and SHA-256, prefix token
// ids, parameters and seeds). The CSV export is one tidy table per record type.
import type { DistributionView, HistogramBar, MyResultView, PickView, RoundMetrics, ThreadView, TokenView } from "../protocol/guess.ts";
import type { Dial, DrawnTokenView, EntropyCompareView, FillStop, StoryView } from "../protocol/hat.ts";
import type { PlanBody } from "../protocol/lesson-plan.ts";
import type { CalibrationRevealView, CalibrationStatus, ModelAnswerView, Question } from "../protocol/calibration.ts";

export const EXPORT_FORMAT = "token-hat-session/2";

export interface ReviewVote {
  participantId: string;
  nickname: string;
  guess: string;
  mapped: string;
  leadingSpaceAdded: boolean;
  tokens: TokenView[];
  tokenId: number;
  tokenText: string;
  p: number;
  rank: number;
  surpriseBits: number;
  at: string;
  /** The participant's last vote in a revealed round: the one the reveal scored. */
  counted: boolean;
}

export interface ReviewCompareSide {
  label: string;
  prompt: string;
  chat: boolean;
  model: string;
  temperature: number;
  prefixIds: number[];
  distribution: DistributionView | null;
}

export interface ReviewRound {
  id: string;
  number: number;
  kind: "guess" | "compare";
  status: string;
  prompt: string;
  model: { id: string; sha256: string };
  params: { topK: number; bottomK: number; temperature: number; chat: boolean };
  prefixIds: number[];
  prefix: TokenView[];
  distribution: DistributionView | null;
  compare: { mode: string; a: ReviewCompareSide; b: ReviewCompareSide; predictions: { participantId: string; nickname: string; side: "a" | "b" }[] } | null;
  histogram: HistogramBar[];
  metrics: RoundMetrics | null;
  results: Record<string, MyResultView>;
  pick: PickView | null;
  error: string | null;
  startedAt: string;
  closedAt: string | null;
  votes: ReviewVote[];
}

export interface GuessReview {
  rounds: ReviewRound[];
  threads: ThreadView[];
}

export interface HatDrawReview {
  participantId: string;
  nickname: string;
  blank: number;
  text: string;
  tokens: DrawnTokenView[];
  /** Probability of the whole fill: the product of its tokens' model probabilities. */
  p: number;
  seed: number;
  dial: Dial;
  stop: FillStop;
  /** The hat the first token came from: its most likely slips out of 10,000, and the rest. */
  hat: { top: { text: string; count: number }[]; otherCount: number; cutMass: number; modelEntropyBits: number };
  drawnAt: string;
}

export interface HatGameReview {
  id: string;
  title: string;
  templateId: string | null;
  templateText: string;
  segments: string[];
  /** Token ids of the literal segments, so each story's prefixes can be rebuilt exactly. */
  segmentIds: number[][];
  maxTokens: number;
  model: { id: string; sha256: string };
  /** The dial when the game ended (each draw records its own). */
  dial: Dial;
  status: "running" | "finished";
  entropy: EntropyCompareView | null;
  startedAt: string;
  endedAt: string | null;
  draws: HatDrawReview[];
  stories: StoryView[];
}

export interface HatReview {
  hatGames: HatGameReview[];
}

export interface SlideReview {
  slides: { id: string; title: string; body: string; shownAt: string }[];
}

export interface CalibrationAnswerReview {
  participantId: string;
  nickname: string;
  question: number;
  answer: string;
  /** 50–100, or null for "I don't know". */
  confidence: number | null;
  correct: boolean;
  answeredAt: string;
}

export interface CalibrationGameReview {
  id: string;
  title: string;
  setId: string | null;
  model: { id: string; sha256: string };
  /** The entropy threshold (bits) when the review was taken; null: the model always answered. */
  threshold: number | null;
  status: CalibrationStatus;
  startedAt: string;
  revealedAt: string | null;
  questions: Question[];
  /** The model's answer to every question, with its top tokens, probability and entropy. */
  modelAnswers: (Omit<ModelAnswerView, "notSure"> & { tokenId: number; tokenText: string })[];
  answers: CalibrationAnswerReview[];
  /** The figures over the questions asked, every student counted (removed ones too). */
  reveal: CalibrationRevealView | null;
}

export interface ExploreReview {
  explorations: { id: string; minutes: number; prompt: string; shownAt: string }[];
}

export interface CalibrationReview {
  calibrationGames: CalibrationGameReview[];
}

export interface ReviewParticipant {
  id: string;
  nickname: string;
  kicked: boolean;
  joinedAt: string;
  totalLossBits: number;
  roundsScored: number;
}

export interface SessionReview extends GuessReview, HatReview, SlideReview, CalibrationReview, ExploreReview {
  format: typeof EXPORT_FORMAT;
  room: {
    id: string;
    code: string;
    title: string;
    ownerId: string;
    model: { id: string; name: string; sha256: string };
    joinUrl: string;
    prompts: string[];
    status: string;
    createdAt: string;
    endedAt: string | null;
  };
  plan: (PlanBody & { id: string; step: number | null }) | null;
  participants: ReviewParticipant[];
}

export type CsvCell = string | number | boolean | null;

/** One record type as a table: every row has every column. */
export interface ReviewTable {
  name: string;
  columns: string[];
  rows: CsvCell[][];
}
