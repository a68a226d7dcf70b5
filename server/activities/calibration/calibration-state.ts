// The state of the calibration activity: the session's latest calibration game as the rules see it.
// Plain data, rebuilt from the database on resume (the game row and its answers).
import type { ErrorCode } from "../../../contract/protocol/errors.ts";
import type { CalibrationStatus, Question } from "../../../contract/protocol/calibration.ts";

/** What the model said to one question, computed once when the game starts. */
export interface ModelAnswer {
  /** The word it writes taking its most likely token each time (up to the end of the word). */
  answer: string;
  /** Its first token, and that token's probability: the model's confidence. */
  tokenId: number;
  tokenText: string;
  p: number;
  entropyBits: number;
  correct: boolean;
  top: { id: number; text: string; p: number }[];
}

export interface StudentAnswer {
  answer: string;
  /** 50–100, or null for "I don't know". */
  confidence: number | null;
  correct: boolean;
  answeredAt: number;
}

export interface CalibrationGameState {
  id: string;
  sessionId: string;
  title: string;
  setId: string | null;
  questions: Question[];
  model: { id: string; sha256: string };
  /** Entropy (bits) above which the model says "not sure"; null: it always answers. */
  threshold: number | null;
  status: CalibrationStatus;
  /** The open question while asking; at the reveal, the last question asked. */
  index: number;
  modelAnswers: ModelAnswer[] | null;
  /** participantId → question index → answer. Maps, copied on write. */
  answers: ReadonlyMap<string, ReadonlyMap<number, StudentAnswer>>;
  error: ErrorCode | null;
  startedAt: number;
  revealedAt: number | null;
}

export interface CalibrationState {
  game: CalibrationGameState | null;
}

export type CalibrationCommand =
  | { type: "modelAnswered"; gameId: string; answers: ModelAnswer[] }
  | { type: "modelFailed"; gameId: string; code: ErrorCode }
  | { type: "answer"; participantId: string; gameId: string; question: number; answer: string; confidence: number | null }
  | { type: "next"; question?: number }
  | { type: "reveal" }
  | { type: "setThreshold"; bits: number | null };

export type CalibrationOp = { kind: "game" } | { kind: "answer"; gameId: string; participantId: string; question: number; answer: StudentAnswer };

/** Ask the model every question of the game, in batched calls. */
export type CalibrationJob = { kind: "modelAnswers"; gameId: string };

/** How many questions the class has seen: all up to the open one. */
export const askedCount = (game: CalibrationGameState) => (game.status === "preparing" || game.status === "failed" ? 0 : game.index + 1);

export function answersTo(game: CalibrationGameState, question: number): StudentAnswer[] {
  const out: StudentAnswer[] = [];
  for (const byQuestion of game.answers.values()) {
    const a = byQuestion.get(question);
    if (a) out.push(a);
  }
  return out;
}
