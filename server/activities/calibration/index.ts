// The calibration activity for the session host: its rules, its events, its live side (the model
// answers the whole question set once, in batched calls) and its part of the review and export.
import { CALIBRATION_EVENTS, calibrationInbound, type AnswerAck } from "../../../contract/protocol/calibration.ts";
import type { ErrorCode, Outcome } from "../../../contract/protocol/errors.ts";
import type { CalibrationGameReview } from "../../../contract/http/review.ts";
import type { ActivityLive, ActivityModule, EventEnv, JobOutcome, LiveDeps } from "../../session/activity.ts";
import { inferenceErrorCode } from "../../inference/error-codes.ts";
import { calibrationRules } from "./calibration-rules.ts";
import type { CalibrationCommand, CalibrationJob, CalibrationOp, CalibrationState } from "./calibration-state.ts";
import { gameStateOf, type CalibrationStore } from "./calibration-store.ts";
import { calibrationCounts, calibrationFinale, calibrationMine, calibrationShared, revealOf } from "./calibration-views.ts";
import { modelAnswers } from "./model-answers.ts";

type Env = EventEnv<CalibrationState>;
const iso = (ms: number) => new Date(ms).toISOString();

function live(deps: LiveDeps<CalibrationStore>): ActivityLive<"calibration", CalibrationState, CalibrationCommand, CalibrationJob> {
  return {
    async run(job, state) {
      const game = state().game;
      if (!game || game.id !== job.gameId) return {};
      const failed = (code: ErrorCode): JobOutcome<CalibrationCommand> => ({ commands: [{ type: "modelFailed", gameId: game.id, code }], code });
      if (!deps.inference) return failed("model_unavailable");
      try {
        const answers = await modelAnswers(deps.inference, game.model.id, game.questions);
        return { commands: [{ type: "modelAnswered", gameId: game.id, answers }], ifUncommitted: { type: "modelFailed", gameId: game.id, code: "internal" } };
      } catch (error) {
        const code = inferenceErrorCode(error);
        if (code === "inference_failed") deps.logger.error({ err: error, gameId: game.id }, "the model could not answer the question set");
        return failed(code);
      }
    },
    shared: (state, _role, session) => calibrationShared(state, session),
    mine: (state, participantId) => calibrationMine(state, participantId),
    finale: calibrationFinale,
    counts: calibrationCounts,
  };
}

async function loadReview(store: CalibrationStore, sessionId: string, nickname: (id: string) => string): Promise<{ calibrationGames: CalibrationGameReview[] }> {
  const { games, answers } = await store.rows.load(sessionId, { latestOnly: false });
  return {
    calibrationGames: games.map((row) => {
      const game = gameStateOf(row, answers);
      return {
        id: row.id,
        title: row.title,
        setId: row.setId,
        model: { id: row.modelId, sha256: row.modelSha256 },
        threshold: row.threshold,
        status: row.status,
        startedAt: iso(row.startedAt),
        revealedAt: row.revealedAt === null ? null : iso(row.revealedAt),
        questions: row.questions,
        modelAnswers: (row.modelAnswers ?? []).map((m) => ({ answer: m.answer, tokenId: m.tokenId, tokenText: m.tokenText, p: m.p, entropyBits: m.entropyBits, correct: m.correct, top: m.top })),
        answers: answers
          .filter((a) => a.gameId === row.id)
          .sort((a, b) => a.question - b.question || a.answeredAt - b.answeredAt)
          .map((a) => ({ participantId: a.participantId, nickname: nickname(a.participantId), question: a.question, answer: a.answer, confidence: a.confidence, correct: a.correct, answeredAt: iso(a.answeredAt) })),
        reveal: row.status === "revealed" ? revealOf(game, () => true) : null,
      };
    }),
  };
}

export const calibrationActivity: ActivityModule<"calibration", CalibrationState, CalibrationCommand, CalibrationOp, CalibrationJob> = {
  rules: calibrationRules,
  live: (deps) => live(deps as LiveDeps<CalibrationStore>),
  review: {
    load: (store: CalibrationStore, sessionId, nickname) => loadReview(store, sessionId, nickname),
    tables: (review, code) => [
      {
        name: "calibration_answers",
        columns: ["session_code", "game_id", "question", "question_text", "participant_id", "nickname", "answer", "confidence", "dont_know", "correct", "answered_at"],
        rows: review.calibrationGames.flatMap((g) =>
          g.answers.map((a) => [code, g.id, a.question + 1, g.questions[a.question]?.text ?? "", a.participantId, a.nickname, a.answer, a.confidence, a.confidence === null, a.confidence === null ? null : a.correct, a.answeredAt]),
        ),
      },
      {
        name: "calibration_model",
        columns: ["session_code", "game_id", "question", "question_text", "source", "prompt", "accepted_answers", "model_id", "model_sha256", "threshold_bits", "answer", "token_id", "token_text", "p", "entropy_bits", "correct", "not_sure"],
        rows: review.calibrationGames.flatMap((g) =>
          g.modelAnswers.map((m, i) => {
            const q = g.questions[i]!;
            const notSure = g.threshold !== null && m.entropyBits > g.threshold;
            return [code, g.id, i + 1, q.text, q.source, q.prompt, q.answers.join(" | "), g.model.id, g.model.sha256, g.threshold, m.answer, m.tokenId, m.tokenText, m.p, m.entropyBits, m.correct, notSure];
          }),
        ),
      },
    ],
  },
  events: [
    {
      event: CALIBRATION_EVENTS.answer,
      roles: ["player"],
      schema: calibrationInbound[CALIBRATION_EVENTS.answer],
      command(payload: { gameId: string; question: number; answer: string; confidence: number | null }, env: Env): Outcome<CalibrationCommand> {
        if (!env.participantId) return { ok: false, code: "not_joined" };
        return { ok: true, data: { type: "answer", participantId: env.participantId, ...payload } };
      },
      reply(after: Env, command, before: Env): AnswerAck {
        const id = after.participantId!;
        const question = command.type === "answer" ? command.question : 0;
        const given = after.state.game!.answers.get(id)!.get(question)!;
        const earlier = before.state.game?.answers.get(id)?.get(question);
        return { answer: { index: question, answer: given.answer, confidence: given.confidence, correct: null }, changed: earlier !== undefined };
      },
    },
    { event: CALIBRATION_EVENTS.next, roles: ["host"], schema: calibrationInbound[CALIBRATION_EVENTS.next], command: (p?: { question?: number }) => ({ ok: true, data: { type: "next", question: p?.question } }) },
    { event: CALIBRATION_EVENTS.reveal, roles: ["host"], schema: calibrationInbound[CALIBRATION_EVENTS.reveal], command: () => ({ ok: true, data: { type: "reveal" } }) },
    {
      event: CALIBRATION_EVENTS.setThreshold,
      roles: ["host"],
      schema: calibrationInbound[CALIBRATION_EVENTS.setThreshold],
      command: (payload: { bits: number | null }) => ({ ok: true, data: { type: "setThreshold", bits: payload.bits } }),
    },
  ],
};
