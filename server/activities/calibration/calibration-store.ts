// The calibration activity's store port. Rows go through CalibrationRows, implemented on PGlite and
// PostgreSQL in server/db/calibration-rows.ts and in memory by memoryCalibrationRows(); the
// store contract tests run one list of cases against all three.
import type { CalibrationStatus, Question } from "../../../contract/protocol/calibration.ts";
import type { ErrorCode } from "../../../contract/protocol/errors.ts";
import type { ActivityStore } from "../../session/activity.ts";
import type { CalibrationGameState, CalibrationOp, CalibrationState, ModelAnswer, StudentAnswer } from "./calibration-state.ts";

export interface CalibrationGameRow {
  id: string;
  sessionId: string;
  title: string;
  setId: string | null;
  questions: Question[];
  modelId: string;
  modelSha256: string;
  threshold: number | null;
  status: CalibrationStatus;
  index: number;
  modelAnswers: ModelAnswer[] | null;
  error: ErrorCode | null;
  startedAt: number;
  revealedAt: number | null;
}

export interface CalibrationAnswerRow extends StudentAnswer {
  gameId: string;
  participantId: string;
  question: number;
}

export interface CalibrationRows {
  saveGame(game: CalibrationGameRow): Promise<void>;
  /** Inserts or replaces (a changed mind) each student's answer, in one write. */
  saveAnswers(answers: CalibrationAnswerRow[]): Promise<void>;
  /** The session's games in the order they started, with their answers (for resume and review). */
  load(sessionId: string, options: { latestOnly: boolean }): Promise<{ games: CalibrationGameRow[]; answers: CalibrationAnswerRow[] }>;
}

export type CalibrationStore = ActivityStore<CalibrationState, CalibrationOp> & { rows: CalibrationRows };

export function gameRowOf(game: CalibrationGameState): CalibrationGameRow {
  return {
    id: game.id,
    sessionId: game.sessionId,
    title: game.title,
    setId: game.setId,
    questions: game.questions,
    modelId: game.model.id,
    modelSha256: game.model.sha256,
    threshold: game.threshold,
    status: game.status,
    index: game.index,
    modelAnswers: game.modelAnswers,
    error: game.error,
    startedAt: game.startedAt,
    revealedAt: game.revealedAt,
  };
}

export function gameStateOf(row: CalibrationGameRow, answers: readonly CalibrationAnswerRow[]): CalibrationGameState {
  const byParticipant = new Map<string, Map<number, StudentAnswer>>();
  for (const a of answers) {
    if (a.gameId !== row.id) continue;
    const mine = byParticipant.get(a.participantId) ?? new Map<number, StudentAnswer>();
    mine.set(a.question, { answer: a.answer, confidence: a.confidence, correct: a.correct, answeredAt: a.answeredAt });
    byParticipant.set(a.participantId, mine);
  }
  return {
    id: row.id,
    sessionId: row.sessionId,
    title: row.title,
    setId: row.setId,
    questions: row.questions,
    model: { id: row.modelId, sha256: row.modelSha256 },
    threshold: row.threshold,
    status: row.status,
    index: row.index,
    modelAnswers: row.modelAnswers,
    answers: byParticipant,
    error: row.error,
    startedAt: row.startedAt,
    revealedAt: row.revealedAt,
  };
}

export function calibrationStore(rows: CalibrationRows): CalibrationStore {
  return {
    rows,
    async load(session) {
      const { games, answers } = await rows.load(session.meta.id, { latestOnly: true });
      const latest = games.at(-1);
      return { game: latest ? gameStateOf(latest, answers) : null };
    },
    opKind: (op) => op.kind,
    async write(_sessionId, ops, state) {
      if (ops[0]!.kind === "game") {
        if (state.game) await rows.saveGame(gameRowOf(state.game));
        return;
      }
      // A student who changes their mind twice in one batch: only the last answer is written.
      const latest = new Map<string, CalibrationAnswerRow>();
      for (const op of ops) {
        if (op.kind === "answer") latest.set(`${op.participantId}:${op.question}`, { gameId: op.gameId, participantId: op.participantId, question: op.question, ...op.answer });
      }
      await rows.saveAnswers([...latest.values()]);
    },
  };
}

/** The same rows in memory; copies on the way in and out, as a database would. */
export function memoryCalibrationRows(): CalibrationRows {
  const games = new Map<string, CalibrationGameRow>();
  const answers = new Map<string, CalibrationAnswerRow>();
  const copy = <T>(value: T): T => structuredClone(value);
  return {
    async saveGame(game) {
      const existing = games.get(game.id);
      games.set(game.id, existing ? { ...copy(game), sessionId: existing.sessionId, startedAt: existing.startedAt } : copy(game));
    },
    async saveAnswers(batch) {
      for (const a of batch) if (!games.has(a.gameId)) throw new Error("answer for an unknown game");
      for (const a of batch) answers.set(`${a.gameId}:${a.participantId}:${a.question}`, copy(a));
    },
    async load(sessionId, { latestOnly }) {
      const mine = [...games.values()].filter((g) => g.sessionId === sessionId).sort((a, b) => a.startedAt - b.startedAt);
      const kept = latestOnly ? mine.slice(-1) : mine;
      const ids = new Set(kept.map((g) => g.id));
      return copy({ games: kept, answers: [...answers.values()].filter((a) => ids.has(a.gameId)) });
    },
  };
}
