// The calibration activity's rows on PGlite and PostgreSQL: one row per game, one per answer.
import { z } from "zod";
import { questionSchema } from "../../contract/protocol/calibration.ts";
import { isErrorCode } from "../../contract/protocol/errors.ts";
import type { CalibrationAnswerRow, CalibrationGameRow, CalibrationRows } from "../activities/calibration/calibration-store.ts";
import type { PrismaClient } from "./generated/client.ts";
import { json, ms, msOrNull, parseJson } from "./json-column.ts";

const statusSchema = z.enum(["preparing", "asking", "revealed", "failed"]);
const tokenSchema = z.object({ id: z.number().int(), text: z.string(), p: z.number() });
const modelAnswersSchema = z
  .array(z.object({ answer: z.string(), tokenId: z.number().int(), tokenText: z.string(), p: z.number(), entropyBits: z.number(), correct: z.boolean(), top: z.array(tokenSchema) }))
  .nullable();
const errorSchema = z.string().refine(isErrorCode).nullable();

export function prismaCalibrationRows(prisma: PrismaClient): CalibrationRows {
  return {
    async saveGame(g) {
      const fields = {
        title: g.title,
        setId: g.setId,
        questions: json(g.questions),
        modelId: g.modelId,
        modelSha256: g.modelSha256,
        threshold: g.threshold,
        status: g.status,
        questionIndex: g.index,
        modelAnswers: g.modelAnswers === null ? undefined : json(g.modelAnswers),
        error: g.error,
        revealedAt: g.revealedAt === null ? null : new Date(g.revealedAt),
      };
      await prisma.calibrationGame.upsert({ where: { id: g.id }, create: { id: g.id, sessionId: g.sessionId, startedAt: new Date(g.startedAt), ...fields }, update: fields });
    },

    async saveAnswers(answers) {
      if (answers.length === 0) return;
      // One statement for a class answering at once; a changed mind replaces the earlier answer.
      await prisma.$executeRawUnsafe(
        `INSERT INTO "CalibrationAnswer" ("gameId", "participantId", "question", "answer", "confidence", "correct", "answeredAt")
         SELECT x."gameId", x."participantId", x."question", x."answer", x."confidence", x."correct", to_timestamp(x."answeredAt" / 1000.0) AT TIME ZONE 'UTC'
         FROM jsonb_to_recordset($1::jsonb) AS x("gameId" text, "participantId" text, "question" int, "answer" text, "confidence" int, "correct" boolean, "answeredAt" float8)
         ON CONFLICT ("gameId", "participantId", "question") DO UPDATE SET "answer" = EXCLUDED."answer", "confidence" = EXCLUDED."confidence",
           "correct" = EXCLUDED."correct", "answeredAt" = EXCLUDED."answeredAt"`,
        JSON.stringify(answers),
      );
    },

    async load(sessionId, { latestOnly }) {
      const games = await prisma.calibrationGame.findMany({ where: { sessionId }, orderBy: [{ startedAt: latestOnly ? "desc" : "asc" }, { id: "asc" }], ...(latestOnly ? { take: 1 } : {}) });
      const answers = await prisma.calibrationAnswer.findMany({ where: { gameId: { in: games.map((g) => g.id) } }, orderBy: { answeredAt: "asc" } });
      return {
        games: games.map(
          (g): CalibrationGameRow => ({
            id: g.id,
            sessionId: g.sessionId,
            title: g.title,
            setId: g.setId,
            questions: parseJson(z.array(questionSchema), g.questions, `calibration game ${g.id} questions`),
            modelId: g.modelId,
            modelSha256: g.modelSha256,
            threshold: g.threshold,
            status: parseJson(statusSchema, g.status, `calibration game ${g.id} status`),
            index: g.questionIndex,
            modelAnswers: parseJson(modelAnswersSchema, g.modelAnswers, `calibration game ${g.id} model answers`),
            error: parseJson(errorSchema, g.error, `calibration game ${g.id} error`),
            startedAt: ms(g.startedAt),
            revealedAt: msOrNull(g.revealedAt),
          }),
        ),
        answers: answers.map(
          (a): CalibrationAnswerRow => ({ gameId: a.gameId, participantId: a.participantId, question: a.question, answer: a.answer, confidence: a.confidence, correct: a.correct, answeredAt: ms(a.answeredAt) }),
        ),
      };
    },
  };
}
