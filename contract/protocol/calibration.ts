// The calibration game: "when you say 90%, are you right 90% of the time?" The class answers short
// questions one at a time, each with a stated confidence; the model answers the same questions from
// its own distribution. The reveal sets both side by side. Correctness: docs/calibration.md.
import { z } from "zod";
import { ANSWER_MAX_CHARS, storableText } from "./limits.ts";

export const CALIBRATION_EVENTS = {
  // Phone → server.
  answer: "calibration:answer",
  // Host console → server.
  next: "calibration:next",
  reveal: "calibration:reveal",
  setThreshold: "calibration:setThreshold",
} as const;

/** The confidences a phone offers; "I don't know" is `null`. */
export const CONFIDENCE_LEVELS = [50, 60, 70, 80, 90, 100] as const;
export const QUESTIONS_MAX = 20;
/** The model's entropy threshold, in bits: above it, the model says "not sure". */
export const THRESHOLD_MAX_BITS = 12;

/** Where a question's fact comes from: seen often in training, seen once, made up, or the host's own. */
export const QUESTION_SOURCES = ["often", "once", "madeup", "custom"] as const;
export type QuestionSource = (typeof QUESTION_SOURCES)[number];

const line = (max: number) => storableText(max).pipe(z.string().trim().min(1, "bad_payload"));

export const questionSchema = z.object({
  /** What the class reads, e.g. "What is the capital of Norway?" */
  text: line(200),
  /** The words the model continues, e.g. "The capital of Norway is". */
  prompt: line(200),
  /** Accepted answers; none means nobody knows (a made-up subject). */
  answers: z.array(line(ANSWER_MAX_CHARS)).max(8).default([]),
  /** Buttons instead of a text box (e.g. Yes / No). */
  choices: z.array(line(40)).min(2).max(4).optional(),
  source: z.enum(QUESTION_SOURCES).default("custom"),
});
export type Question = z.infer<typeof questionSchema>;

export const thresholdSchema = z.number().min(0).max(THRESHOLD_MAX_BITS).nullable();

export const calibrationStartSchema = z
  .object({
    setId: z.string().min(1).max(60).optional(),
    title: storableText(120).optional(),
    questions: z.array(questionSchema).min(1).max(QUESTIONS_MAX).optional(),
    /** Null: the model always answers. */
    threshold: thresholdSchema.default(null),
  })
  .refine((v) => (v.setId === undefined) !== (v.questions === undefined), "Give a question set id or questions.");
export type CalibrationStart = z.infer<typeof calibrationStartSchema>;

const confidenceSchema = z
  .number()
  .int()
  .refine((c) => (CONFIDENCE_LEVELS as readonly number[]).includes(c), "bad_payload")
  .nullable();

export const calibrationInbound = {
  /** `question` is the question the phone shows, so a late tap cannot answer the next one. */
  [CALIBRATION_EVENTS.answer]: z.object({
    gameId: z.string().min(1).max(100),
    question: z.number().int().min(0).max(QUESTIONS_MAX - 1),
    answer: storableText(ANSWER_MAX_CHARS, "answer_too_long").default(""),
    confidence: confidenceSchema,
  }),
  /** `question` is the question to move to: one already reached answers as done, so a repeated tap (or one sent again after a failover) skips no question. */
  [CALIBRATION_EVENTS.next]: z.object({ question: z.number().int().min(1).max(QUESTIONS_MAX - 1).optional() }).strict().optional(),
  [CALIBRATION_EVENTS.reveal]: z.object({}).strict().optional(),
  [CALIBRATION_EVENTS.setThreshold]: z.object({ bits: thresholdSchema }),
} as const;

// ---------- outbound shapes ----------

export interface QuestionSetOption {
  id: string;
  title: string;
  lesson: string;
  questions: Question[];
}

/** A question as phones see it while it is open: never its answers. */
export interface OpenQuestionView {
  index: number;
  text: string;
  choices: string[] | null;
}

/** One reliability-diagram bin: stated confidence in [lo, hi), how often it was right. */
export interface BinView {
  lo: number;
  hi: number;
  n: number;
  meanConfidence: number;
  fractionRight: number;
}

/** "When you said 90% you were right 62% of the time", per stated level (or model bin). */
export interface LevelView {
  label: string;
  n: number;
  right: number;
}

export interface CalibrationSummary {
  /** Answers with a confidence (not "I don't know"). */
  answered: number;
  right: number;
  abstained: number;
  brier: number | null;
  ece: number | null;
  bins: BinView[];
  levels: LevelView[];
}

export interface TradeoffView {
  threshold: number | null;
  right: number;
  wrong: number;
  notSure: number;
}

export interface ModelAnswerView {
  /** The word the model writes when it takes its most likely token each time. */
  answer: string;
  /** The probability of its first token: the model's confidence. */
  p: number;
  entropyBits: number;
  correct: boolean;
  /** Above the threshold: the model says "not sure". */
  notSure: boolean;
  top: { text: string; p: number }[];
}

export interface QuestionRevealView {
  index: number;
  text: string;
  source: QuestionSource;
  answers: string[];
  classAnswered: number;
  classRight: number;
  classDontKnow: number;
  model: ModelAnswerView;
}

export interface CalibrationRevealView {
  /** Questions asked before the reveal (the model's figures cover the same ones). */
  asked: number;
  class: CalibrationSummary;
  model: CalibrationSummary;
  questions: QuestionRevealView[];
  /** The model on made-up subjects: its mean confidence, and how many it answered at ≥ 80%. */
  madeUp: { n: number; meanConfidence: number | null; confident: number; classDontKnow: number; classAnswers: number } | null;
  tradeoff: TradeoffView;
  /** The trade at every threshold where it changes, for the host's slider. */
  tradeoffCurve: TradeoffView[];
}

export type CalibrationStatus = "preparing" | "asking" | "revealed" | "failed";

export interface CalibrationView {
  gameId: string;
  title: string;
  status: CalibrationStatus;
  questionCount: number;
  /** The open question while asking; null otherwise. */
  question: OpenQuestionView | null;
  /** Phones that answered the open question. */
  answered: number;
  threshold: number | null;
  model: string;
  error: string | null;
  reveal: CalibrationRevealView | null;
}

/** What a revealed game leaves for the end of the session. */
export interface CalibrationFinale {
  title: string;
  reveal: CalibrationRevealView;
}

export interface MyAnswerView {
  index: number;
  answer: string;
  confidence: number | null;
  /** Known only after the reveal. */
  correct: boolean | null;
}

export interface CalibrationMine {
  /** This phone's answer to the open question, if any. */
  current: MyAnswerView | null;
  /** After the reveal: every answer, and this student's own calibration. */
  answers: MyAnswerView[] | null;
  summary: CalibrationSummary | null;
}

export interface AnswerAck {
  answer: MyAnswerView;
  changed: boolean;
}

/**
 * A host's own set, one question per line: `question | prompt the model continues | answer / other
 * accepted answer`. No answers (or "?") means nobody knows. A prompt ending in "Answer:" is a yes/no
 * question, answered with two buttons.
 */
export function parseQuestionLines(text: string): { ok: true; questions: Question[] } | { ok: false; line: number; message: string } {
  const questions: Question[] = [];
  const lines = text.split("\n");
  for (const [i, raw] of lines.entries()) {
    if (raw.trim() === "") continue;
    const [question, prompt, answers = ""] = raw.split("|").map((part) => part.trim());
    if (!question || !prompt) return { ok: false, line: i + 1, message: "Write it as: question | prompt the model continues | answer" };
    const accepted = answers === "?" ? [] : answers.split("/").map((a) => a.trim()).filter(Boolean);
    const parsed = questionSchema.safeParse({ text: question, prompt, answers: accepted, source: "custom", ...(/answer:\s*$/i.test(prompt) ? { choices: ["Yes", "No"] } : {}) });
    if (!parsed.success) return { ok: false, line: i + 1, message: "Keep questions and prompts under 200 characters and answers under 60." };
    questions.push(parsed.data);
  }
  if (questions.length === 0) return { ok: false, line: 1, message: "Write at least one question." };
  if (questions.length > QUESTIONS_MAX) return { ok: false, line: QUESTIONS_MAX + 1, message: `A set holds at most ${QUESTIONS_MAX} questions.` };
  return { ok: true, questions };
}
