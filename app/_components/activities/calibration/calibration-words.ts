// The calibration figures in words, the same on the projector, the phones and the review.
import type { CalibrationSummary, LevelView } from "@/contract/protocol/calibration";

export const pct = (v: number) => `${Math.round(v * 100)}%`;
export const score = (v: number | null) => (v === null ? "–" : v.toFixed(2));

export const BRIER_MEANING = "Brier score: the average of (how sure − right)². 0 is perfect; always saying 50% scores 0.25. Lower is better.";
export const ECE_MEANING = "Calibration error: the average gap between how sure and how often right. 0 means “90% sure” is right 90% of the time.";

/** "When you said 90% you were right 62% of the time (8 answers)". */
export function levelLine(level: LevelView, who: string, verb = "said"): string {
  return `When ${who} ${verb} ${level.label}, ${who === "you" ? "you were" : `${who} was`} right ${pct(level.right / level.n)} of the time (${level.n} ${level.n === 1 ? "answer" : "answers"}).`;
}

/** The levels worth a line: the most confident ones with answers, at most `max`. */
export function headlineLevels(summary: CalibrationSummary, max = 2): LevelView[] {
  return summary.levels.slice(0, max);
}

export const SOURCE_WORDS = { often: "seen often in training", once: "seen once in training", madeup: "made up: nobody knows", custom: "your own question" } as const;
