// The calibration game's rules: a pure state machine. The model answers every question first
// (one job, batched calls); then the host opens the questions one at a time, phones answer each
// with a confidence, and the reveal shows how well stated confidence matched being right.
import type { ErrorCode } from "../../../contract/protocol/errors.ts";
import type { CalibrationStart } from "../../../contract/protocol/calibration.ts";
import { isCorrect } from "../../../contract/numbers/calibration.ts";
import type { ActivityRules, Applied, Effect, RuleContext, SessionEvent } from "../../session/activity.ts";
import type { CalibrationCommand, CalibrationGameState, CalibrationJob, CalibrationOp, CalibrationState, StudentAnswer } from "./calibration-state.ts";
import { builtInQuestionSet } from "./question-sets.ts";

type Result = Applied<CalibrationState, CalibrationOp, CalibrationJob, CalibrationCommand>;
type Fx = Effect<CalibrationOp, CalibrationJob, CalibrationCommand>;

const fail = (code: ErrorCode): Result => ({ ok: false, code });
const unchanged = (state: CalibrationState): Result => ({ ok: true, state, effects: [] });
const withGame = (game: CalibrationGameState, effects: Fx[]): Result => ({ ok: true, state: { game }, effects });

const everyone: Fx = { type: "announce", audience: { to: "everyone" } };
const persistGame: Fx = { type: "persist", op: { kind: "game" } };
const modelJob = (gameId: string, wait: boolean): Fx => ({ type: "run", job: { kind: "modelAnswers", gameId }, wait, key: `calibration:${gameId}` });

function start(_state: CalibrationState, input: CalibrationStart, id: string, ctx: RuleContext): Result {
  const set = input.setId !== undefined ? builtInQuestionSet(input.setId) : undefined;
  if (input.setId !== undefined && !set) return fail("question_set_not_found");
  const questions = set?.questions ?? input.questions ?? [];
  const game: CalibrationGameState = {
    id,
    sessionId: ctx.session.meta.id,
    title: input.title?.trim() || set?.title || "Calibration",
    setId: set?.id ?? null,
    questions: questions.map((question) => structuredClone(question)),
    model: { id: ctx.session.meta.model.id, sha256: ctx.session.meta.model.sha256 },
    threshold: input.threshold,
    status: "preparing",
    index: 0,
    modelAnswers: null,
    answers: new Map(),
    error: null,
    startedAt: ctx.now,
    revealedAt: null,
  };
  // The model answers before the first question opens, so the ack of session:start waits for it.
  return withGame(game, [persistGame, modelJob(id, true)]);
}

/** A phone's answer to the open question; it may change its mind until the host moves on. */
function answer(game: CalibrationGameState, command: Extract<CalibrationCommand, { type: "answer" }>, ctx: RuleContext): Result {
  if (game.id !== command.gameId) return fail("no_calibration");
  const participant = ctx.session.participants.get(command.participantId);
  if (!participant || participant.kicked) return fail("not_joined");
  if (ctx.session.status === "ended") return fail("room_ended");
  if (ctx.session.paused) return fail("paused");
  if (game.status === "preparing") return fail("busy");
  if (game.status !== "asking") return fail("calibration_finished");
  if (command.question !== game.index) return fail("question_closed");
  const question = game.questions[game.index]!;
  const text = command.answer.trim();
  if (command.confidence !== null && text === "") return fail("answer_empty");
  if (text !== "" && question.choices && !question.choices.includes(text)) return fail("not_a_choice");
  const given: StudentAnswer = { answer: text, confidence: command.confidence, correct: command.confidence !== null && isCorrect(text, question.answers), answeredAt: ctx.now };
  // A repeated answer is written again too (an upsert): an ack always follows a write of its own.
  const mine = new Map(game.answers.get(command.participantId));
  mine.set(game.index, given);
  const answers = new Map(game.answers);
  answers.set(command.participantId, mine);
  return withGame({ ...game, answers }, [
    { type: "persist", op: { kind: "answer", gameId: game.id, participantId: command.participantId, question: game.index, answer: given } },
    { type: "announce", audience: { to: "participant", participantId: command.participantId } },
    { type: "counts" },
  ]);
}

function reveal(game: CalibrationGameState, ctx: RuleContext): Result {
  return withGame({ ...game, status: "revealed", revealedAt: ctx.now }, [persistGame, everyone]);
}

function apply(state: CalibrationState, command: CalibrationCommand, ctx: RuleContext): Result {
  const game = state.game;
  if (!game) return fail("no_calibration");
  switch (command.type) {
    case "modelAnswered":
      if (game.id !== command.gameId || game.status !== "preparing") return unchanged(state);
      return withGame({ ...game, status: "asking", index: 0, modelAnswers: command.answers }, [persistGame, everyone]);
    case "modelFailed":
      if (game.id !== command.gameId || game.status !== "preparing") return unchanged(state);
      return withGame({ ...game, status: "failed", error: command.code }, [persistGame, everyone]);
    case "answer":
      return answer(game, command, ctx);
    case "next":
      if (game.status !== "asking") return fail(game.status === "preparing" ? "busy" : "calibration_finished");
      if (command.question !== undefined && command.question <= game.index) return unchanged(state);
      if (game.index + 1 >= game.questions.length) return fail("last_question");
      return withGame({ ...game, index: game.index + 1 }, [persistGame, everyone, { type: "counts" }]);
    case "reveal":
      if (game.status !== "asking") return fail(game.status === "preparing" ? "busy" : "calibration_finished");
      return reveal(game, ctx);
    case "setThreshold":
      // The threshold is the host's to move before and after the reveal: that is the lesson.
      if (game.status === "preparing" || game.status === "failed") return fail("busy");
      if (game.threshold === command.bits) return unchanged(state);
      return withGame({ ...game, threshold: command.bits }, [persistGame, everyone]);
  }
}

/** Finish while asking is the reveal; while the model still works, the game is given up. */
function finish(state: CalibrationState, ctx: RuleContext): Result {
  const game = state.game;
  if (!game) return unchanged(state);
  if (game.status === "asking") return reveal(game, ctx);
  if (game.status === "preparing") return withGame({ ...game, status: "failed", error: "no_calibration" }, [persistGame, everyone]);
  return unchanged(state);
}

function react(state: CalibrationState, event: SessionEvent, ctx: RuleContext): Result | null {
  return event.type === "ended" && state.game ? finish(state, ctx) : null;
}

/** A game whose model answers the old process lost asks the model again (the answers are deterministic). */
function resume(state: CalibrationState): Result {
  const game = state.game;
  if (game?.status !== "preparing") return unchanged(state);
  return withGame(game, [modelJob(game.id, false)]);
}

export const calibrationRules: ActivityRules<"calibration", CalibrationState, CalibrationCommand, CalibrationOp, CalibrationJob> = {
  kind: "calibration",
  initial: () => ({ game: null }),
  start,
  apply,
  current: (state) => (state.game ? { id: state.game.id, status: state.game.status === "preparing" || state.game.status === "asking" ? "running" : "finished" } : null),
  finish,
  react,
  resume,
  summarize(input) {
    const set = input.setId ? builtInQuestionSet(input.setId) : undefined;
    return `Calibration: ${set?.title ?? input.title ?? `${input.questions?.length ?? 0} questions`}`;
  },
};
