// The calibration store's rows: games (with the model's answers) and answers, replaced when a
// student changes their mind, on the in-memory fake, PGlite and PostgreSQL alike.
import { expect } from "vitest";
import type { CalibrationAnswerRow, CalibrationGameRow } from "../../../../server/activities/calibration/calibration-store.ts";
import { builtInQuestionSet } from "../../../../server/activities/calibration/question-sets.ts";
import { sessionWith, type ContractCase } from "./contract.ts";

const questions = builtInQuestionSet("quick-five")!.questions;

const game = (id: string, sessionId: string, startedAt = 1_700_000_000_000): CalibrationGameRow => ({
  id,
  sessionId,
  title: "Quick five",
  setId: "quick-five",
  questions,
  modelId: "m",
  modelSha256: "a".repeat(64),
  threshold: null,
  status: "preparing",
  index: 0,
  modelAnswers: null,
  error: null,
  startedAt,
  revealedAt: null,
});

const answer = (gameId: string, participantId: string, question: number, text: string, confidence: number | null, correct: boolean): CalibrationAnswerRow => ({
  gameId,
  participantId,
  question,
  answer: text,
  confidence,
  correct,
  answeredAt: 1_700_000_001_000 + question,
});

export const calibrationRowsCases: ContractCase[] = [
  {
    name: "calibration rows: a game, its model answers, threshold and status round-trip",
    async run(stores, k) {
      await sessionWith(stores, k, 0);
      const rows = stores.activities.calibration.rows;
      await rows.saveGame(game("c", k.session));
      expect((await rows.load(k.session, { latestOnly: true })).games).toEqual([game("c", k.session)]);
      const modelAnswers = questions.map((_, i) => ({ answer: "Oslo", tokenId: 40 + i, tokenText: " O", p: 0.9 - i / 10, entropyBits: 0.5 + i, correct: i === 0, top: [{ id: 40 + i, text: " O", p: 0.9 - i / 10 }] }));
      const changed: CalibrationGameRow = { ...game("c", k.session), status: "revealed", index: 4, threshold: 2.5, modelAnswers, revealedAt: 1_700_000_009_000 };
      await rows.saveGame(changed);
      expect((await rows.load(k.session, { latestOnly: true })).games).toEqual([changed]);
      expect((await rows.load("no-such-session", { latestOnly: true })).games).toEqual([]);
    },
  },
  {
    name: "calibration rows: answers are written in one batch, a changed mind replaces the earlier answer, latestOnly keeps the newest game",
    async run(stores, k) {
      await sessionWith(stores, k, 2);
      const rows = stores.activities.calibration.rows;
      await rows.saveGame(game("old", k.session, 1_700_000_000_000));
      await rows.saveGame(game("new", k.session, 1_700_000_100_000));
      await rows.saveAnswers([answer("old", k.p(1), 0, "Oslo", 90, true), answer("new", k.p(1), 0, "Bergen", 60, false), answer("new", k.p(2), 0, "", null, false)]);
      await rows.saveAnswers([answer("new", k.p(1), 0, "Oslo", 100, true), answer("new", k.p(1), 1, "Yes", 70, false)]);
      const latest = await rows.load(k.session, { latestOnly: true });
      expect(latest.games.map((g) => g.id)).toEqual(["new"]);
      const sorted = (list: CalibrationAnswerRow[]) => [...list].sort((a, b) => `${a.participantId}:${a.question}`.localeCompare(`${b.participantId}:${b.question}`));
      expect(sorted(latest.answers)).toEqual(sorted([answer("new", k.p(1), 0, "Oslo", 100, true), answer("new", k.p(1), 1, "Yes", 70, false), answer("new", k.p(2), 0, "", null, false)]));
      const all = await rows.load(k.session, { latestOnly: false });
      expect(all.games.map((g) => g.id)).toEqual(["old", "new"]);
      expect(all.answers).toHaveLength(4);
    },
  },
  {
    name: "calibration rows: an answer for a game that was never stored is refused",
    async run(stores, k) {
      await sessionWith(stores, k, 1);
      await expect(stores.activities.calibration.rows.saveAnswers([answer("missing", k.p(1), 0, "Oslo", 90, true)])).rejects.toThrow();
    },
  },
];
