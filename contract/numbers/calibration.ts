// The calibration game's numbers, one copy for the server, the pages and the tests: when an answer
// counts as right (docs/calibration.md), the reliability bins, the Brier score, the expected
// calibration error, and what the model's entropy threshold trades.
import type { BinView, CalibrationSummary, LevelView, TradeoffView } from "../protocol/calibration.ts";

const ARTICLES = new Set(["a", "an", "the"]);

/** Accents and case dropped, anything but letters and digits a space, a leading article gone. */
export function normaliseAnswer(text: string): string {
  const words = text
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim()
    .split(" ")
    .filter(Boolean);
  if (words.length > 1 && ARTICLES.has(words[0]!)) words.shift();
  return words.join(" ");
}

/** Right when it equals an accepted answer after normalising both. No accepted answers: nobody knows, so never right. */
export function isCorrect(answer: string, accepted: readonly string[]): boolean {
  const mine = normaliseAnswer(answer);
  return mine !== "" && accepted.some((a) => normaliseAnswer(a) === mine);
}

/** One answer given with a confidence in [0, 1]. */
export interface CalibrationPoint {
  confidence: number;
  correct: boolean;
}

export const BIN_COUNT = 10;

/** Ten bins of width 10%: [0, 0.1), …, [0.9, 1]; a confidence of exactly 1 falls in the last. Empty bins are left out. */
export function reliabilityBins(points: readonly CalibrationPoint[], binCount = BIN_COUNT): BinView[] {
  const bins = Array.from({ length: binCount }, (_, i) => ({ lo: i / binCount, hi: (i + 1) / binCount, n: 0, sumConfidence: 0, right: 0 }));
  for (const p of points) {
    const bin = bins[Math.min(binCount - 1, Math.floor(p.confidence * binCount))]!;
    bin.n += 1;
    bin.sumConfidence += p.confidence;
    if (p.correct) bin.right += 1;
  }
  return bins.filter((b) => b.n > 0).map((b) => ({ lo: b.lo, hi: b.hi, n: b.n, meanConfidence: b.sumConfidence / b.n, fractionRight: b.right / b.n }));
}

/** The mean of (confidence − outcome)², outcome 1 when right and 0 when wrong: 0 is perfect, 0.25 is always saying 50%. */
export function brierScore(points: readonly CalibrationPoint[]): number | null {
  if (points.length === 0) return null;
  return points.reduce((sum, p) => sum + (p.confidence - (p.correct ? 1 : 0)) ** 2, 0) / points.length;
}

/** The gap between stated confidence and fraction right, bin by bin, weighted by how many answers each bin holds. */
export function expectedCalibrationError(points: readonly CalibrationPoint[], binCount = BIN_COUNT): number | null {
  if (points.length === 0) return null;
  return reliabilityBins(points, binCount).reduce((sum, b) => sum + (b.n / points.length) * Math.abs(b.fractionRight - b.meanConfidence), 0);
}

/** Groups answers by a label (a stated level such as "90%", or a model bin such as "90–100%"), most answers first. */
export function levels(points: readonly CalibrationPoint[], labelOf: (confidence: number) => string): LevelView[] {
  const byLabel = new Map<string, LevelView & { order: number }>();
  for (const p of points) {
    const label = labelOf(p.confidence);
    const level = byLabel.get(label) ?? { label, n: 0, right: 0, order: p.confidence };
    level.n += 1;
    if (p.correct) level.right += 1;
    byLabel.set(label, level);
  }
  return [...byLabel.values()].sort((a, b) => b.order - a.order).map(({ label, n, right }) => ({ label, n, right }));
}

/** A stated level, e.g. 0.9 → "90%". */
export const statedLabel = (confidence: number) => `${Math.round(confidence * 100)}%`;
/** The model's bin, e.g. 0.93 → "90–100%". */
export function binLabel(confidence: number): string {
  const lo = Math.min(BIN_COUNT - 1, Math.floor(confidence * BIN_COUNT)) * (100 / BIN_COUNT);
  return `${lo}–${lo + 100 / BIN_COUNT}%`;
}

export function summarize(points: readonly CalibrationPoint[], abstained: number, labelOf: (confidence: number) => string): CalibrationSummary {
  return {
    answered: points.length,
    right: points.filter((p) => p.correct).length,
    abstained,
    brier: brierScore(points),
    ece: expectedCalibrationError(points),
    bins: reliabilityBins(points),
    levels: levels(points, labelOf),
  };
}

/** The model says "not sure" when its entropy is above the threshold; null means it always answers. */
export const abstains = (entropyBits: number, threshold: number | null) => threshold !== null && entropyBits > threshold;

export interface ModelDecision {
  entropyBits: number;
  correct: boolean;
}

export function tradeoff(answers: readonly ModelDecision[], threshold: number | null): TradeoffView {
  let right = 0;
  let wrong = 0;
  let notSure = 0;
  for (const a of answers) {
    if (abstains(a.entropyBits, threshold)) notSure += 1;
    else if (a.correct) right += 1;
    else wrong += 1;
  }
  return { threshold, right, wrong, notSure };
}

/** The trade with no threshold, then at each point where it changes: halfway between neighbouring entropies, highest first. */
export function tradeoffCurve(answers: readonly ModelDecision[]): TradeoffView[] {
  const entropies = [...new Set(answers.map((a) => a.entropyBits))].sort((a, b) => b - a);
  const thresholds = entropies.map((e, i) => (e + (entropies[i + 1] ?? 0)) / 2);
  return [tradeoff(answers, null), ...thresholds.map((t) => tradeoff(answers, t))];
}
