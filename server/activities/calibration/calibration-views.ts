// What each role sees of a calibration game. Until the reveal nobody gets answers: not the
// class's, not the model's, not whether a phone's own answer was right (that would give it away).
import type { CalibrationFinale, CalibrationMine, CalibrationRevealView, CalibrationSummary, CalibrationView, MyAnswerView, QuestionRevealView } from "../../../contract/protocol/calibration.ts";
import { errorText } from "../../../contract/protocol/errors.ts";
import { abstains, binLabel, statedLabel, summarize, tradeoff, tradeoffCurve, type CalibrationPoint } from "../../../contract/numbers/calibration.ts";
import type { SessionState } from "../../session/session-state.ts";
import { answersTo, askedCount, type CalibrationGameState, type CalibrationState, type StudentAnswer } from "./calibration-state.ts";

/** The model counts as "confident" on a made-up subject at this probability or more. */
export const CONFIDENT = 0.8;

/** Live views count the students still in the room; the review counts everyone who answered. */
export type Counted = (participantId: string) => boolean;
const inRoom =
  (session: SessionState): Counted =>
  (participantId) =>
    session.participants.get(participantId)?.kicked === false;

/** A set of answers as points for the numbers: "I don't know" is left out and counted apart. */
export function classSummary(answers: readonly StudentAnswer[]): CalibrationSummary {
  const points: CalibrationPoint[] = [];
  let abstained = 0;
  for (const a of answers) {
    if (a.confidence === null) abstained += 1;
    else points.push({ confidence: a.confidence / 100, correct: a.correct });
  }
  return summarize(points, abstained, statedLabel);
}

/** Every answer of students still in the room, to the questions asked. */
function classAnswers(game: CalibrationGameState, counted: Counted): StudentAnswer[] {
  const out: StudentAnswer[] = [];
  for (const [participantId, byQuestion] of game.answers) {
    if (!counted(participantId)) continue;
    for (const [index, a] of byQuestion) if (index < askedCount(game)) out.push(a);
  }
  return out;
}

export function revealOf(game: CalibrationGameState, counted: Counted): CalibrationRevealView {
  const asked = askedCount(game);
  const model = (game.modelAnswers ?? []).slice(0, asked);
  const modelPoints = model.filter((m) => !abstains(m.entropyBits, game.threshold)).map((m) => ({ confidence: m.p, correct: m.correct }));
  const questions: QuestionRevealView[] = game.questions.slice(0, asked).map((question, index) => {
    const theirs = [...game.answers].filter(([id]) => counted(id)).flatMap(([, byQuestion]) => (byQuestion.has(index) ? [byQuestion.get(index)!] : []));
    const m = model[index]!;
    return {
      index,
      text: question.text,
      source: question.source,
      answers: question.answers,
      classAnswered: theirs.filter((a) => a.confidence !== null).length,
      classRight: theirs.filter((a) => a.confidence !== null && a.correct).length,
      classDontKnow: theirs.filter((a) => a.confidence === null).length,
      model: { answer: m.answer, p: m.p, entropyBits: m.entropyBits, correct: m.correct, notSure: abstains(m.entropyBits, game.threshold), top: m.top.slice(0, 5).map((t) => ({ text: t.text, p: t.p })) },
    };
  });
  const madeUpIndexes = questions.filter((q) => q.source === "madeup" || q.answers.length === 0).map((q) => q.index);
  const madeUpModel = madeUpIndexes.map((i) => model[i]!);
  return {
    asked,
    class: classSummary(classAnswers(game, counted)),
    model: summarize(modelPoints, model.length - modelPoints.length, binLabel),
    questions,
    madeUp:
      madeUpIndexes.length === 0
        ? null
        : {
            n: madeUpIndexes.length,
            meanConfidence: madeUpModel.reduce((s, m) => s + m.p, 0) / madeUpModel.length,
            confident: madeUpModel.filter((m) => m.p >= CONFIDENT).length,
            classDontKnow: madeUpIndexes.reduce((s, i) => s + questions[i]!.classDontKnow, 0),
            classAnswers: madeUpIndexes.reduce((s, i) => s + questions[i]!.classDontKnow + questions[i]!.classAnswered, 0),
          },
    tradeoff: tradeoff(model, game.threshold),
    tradeoffCurve: tradeoffCurve(model),
  };
}

export function calibrationShared(state: CalibrationState, session: SessionState): CalibrationView {
  const game = state.game!;
  const question = game.status === "asking" ? game.questions[game.index]! : null;
  return {
    gameId: game.id,
    title: game.title,
    status: game.status,
    questionCount: game.questions.length,
    question: question ? { index: game.index, text: question.text, choices: question.choices ?? null } : null,
    answered: game.status === "asking" ? answersTo(game, game.index).length : 0,
    threshold: game.threshold,
    model: game.model.id,
    error: game.error ? errorText[game.error] : null,
    reveal: game.status === "revealed" ? revealOf(game, inRoom(session)) : null,
  };
}

const myView = (index: number, a: StudentAnswer, revealed: boolean): MyAnswerView => ({ index, answer: a.answer, confidence: a.confidence, correct: revealed ? a.correct : null });

export function calibrationMine(state: CalibrationState, participantId: string): CalibrationMine | null {
  const game = state.game;
  if (!game) return null;
  const mine = game.answers.get(participantId);
  const revealed = game.status === "revealed";
  const current = game.status === "asking" ? mine?.get(game.index) : undefined;
  const all = mine ? [...mine].filter(([i]) => i < askedCount(game)).sort(([a], [b]) => a - b) : [];
  return {
    current: current ? myView(game.index, current, false) : null,
    answers: revealed ? all.map(([i, a]) => myView(i, a, true)) : null,
    summary: revealed ? classSummary(all.map(([, a]) => a)) : null,
  };
}

export function calibrationFinale(state: CalibrationState, session: SessionState): CalibrationFinale | null {
  const game = state.game;
  return game?.status === "revealed" ? { title: game.title, reveal: revealOf(game, inRoom(session)) } : null;
}

export function calibrationCounts(state: CalibrationState): Record<string, number> | null {
  const game = state.game;
  // The question goes with the count, so a screen never shows the last question's count on the next.
  return game?.status === "asking" ? { question: game.index, answered: answersTo(game, game.index).length } : null;
}
