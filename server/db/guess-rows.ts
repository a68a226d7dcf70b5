// The guess activity's rows on PGlite and PostgreSQL: rounds, votes and the texts written.
import { z } from "zod";
import { appendedSchema, promptIdsSchema, roundDataSchema, tokenViewsSchema, type RoundRow, type ThreadRow, type VoteRow } from "../activities/guess/guess-records.ts";
import type { GuessRows } from "../activities/guess/guess-store.ts";
import type { PrismaClient } from "./generated/client.ts";
import { json, ms, msOrNull, parseJson } from "./json-column.ts";

const kindSchema = z.enum(["guess", "compare"]);
const statusSchema = z.enum(["preparing", "voting", "revealed", "picked", "skipped", "failed"]);

export function prismaGuessRows(prisma: PrismaClient): GuessRows {
  return {
    async upsertRound(round) {
      // A revealed round carries every student's result (~100 KB at 1,000 students); Prisma takes
      // hundreds of milliseconds to build that JSON into a query, the database a few.
      await prisma.$executeRawUnsafe(
        `INSERT INTO "Round" ("id", "roomId", "number", "kind", "status", "prompt", "modelId", "data", "startedAt", "closedAt")
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, to_timestamp($9::float8 / 1000.0) AT TIME ZONE 'UTC',
                 to_timestamp($10::float8 / 1000.0) AT TIME ZONE 'UTC')
         ON CONFLICT ("id") DO UPDATE SET "status" = EXCLUDED."status", "prompt" = EXCLUDED."prompt", "modelId" = EXCLUDED."modelId",
           "data" = EXCLUDED."data", "startedAt" = EXCLUDED."startedAt", "closedAt" = EXCLUDED."closedAt"`,
        round.id,
        round.sessionId,
        round.number,
        round.kind,
        round.status,
        round.prompt,
        round.modelId,
        JSON.stringify(round.data),
        round.startedAt,
        round.closedAt,
      );
    },

    async addVotes(votes) {
      if (votes.length === 0) return;
      // Prisma's createMany costs milliseconds per row to build; one JSON parameter expanded by the
      // database is several times faster, which keeps a thousand-vote burst within its ack budget.
      await prisma.$executeRawUnsafe(
        `INSERT INTO "Vote" ("roundId", "participantId", "guess", "mapped", "leadingSpaceAdded", "tokens", "tokenId", "tokenText", "p", "rank", "castAt")
         SELECT x."roundId", x."participantId", x."guess", x."mapped", x."leadingSpaceAdded", x."tokens", x."tokenId", x."tokenText", x."p", x."rank",
                to_timestamp(x."at" / 1000.0) AT TIME ZONE 'UTC'
         FROM jsonb_to_recordset($1::jsonb) AS x("roundId" text, "participantId" text, "guess" text, "mapped" text, "leadingSpaceAdded" boolean,
              "tokens" jsonb, "tokenId" int, "tokenText" text, "p" float8, "rank" int, "at" float8)`,
        JSON.stringify(votes),
      );
    },

    async saveThreads(sessionId, threads) {
      // Texts only grow: each write upserts every text (a handful per session).
      await prisma.$transaction(
        threads.map((t) =>
          prisma.guessText.upsert({
            where: { sessionId_position: { sessionId, position: t.position } },
            create: { sessionId, position: t.position, prompt: t.prompt, promptIds: json(t.promptIds), appended: json(t.appended) },
            update: { prompt: t.prompt, promptIds: json(t.promptIds), appended: json(t.appended) },
          }),
        ),
      );
    },

    async load(sessionId, { allVotes }) {
      const [rounds, votes, texts] = await Promise.all([
        prisma.round.findMany({ where: { sessionId } }),
        prisma.vote.findMany({ where: { round: allVotes ? { sessionId } : { sessionId, status: "voting" } }, orderBy: { id: "asc" } }),
        prisma.guessText.findMany({ where: { sessionId }, orderBy: { position: "asc" } }),
      ]);
      return {
        rounds: rounds.map(
          (r): RoundRow => ({
            id: r.id,
            sessionId: r.sessionId,
            number: r.number,
            kind: parseJson(kindSchema, r.kind, `round ${r.id} kind`),
            status: parseJson(statusSchema, r.status, `round ${r.id} status`),
            prompt: r.prompt,
            modelId: r.modelId,
            data: parseJson(roundDataSchema, r.data, `round ${r.id} data`),
            startedAt: ms(r.startedAt),
            closedAt: msOrNull(r.closedAt),
          }),
        ),
        votes: votes.map(
          (v): VoteRow => ({
            sessionId,
            roundId: v.roundId,
            participantId: v.participantId,
            guess: v.guess,
            mapped: v.mapped,
            leadingSpaceAdded: v.leadingSpaceAdded,
            tokens: parseJson(tokenViewsSchema, v.tokens, `vote ${v.id} tokens`),
            tokenId: v.tokenId,
            tokenText: v.tokenText,
            p: v.p,
            rank: v.rank,
            at: ms(v.castAt),
          }),
        ),
        threads: texts.map(
          (t): ThreadRow => ({
            position: t.position,
            prompt: t.prompt,
            promptIds: parseJson(promptIdsSchema, t.promptIds, `text ${t.position} ids`),
            appended: parseJson(appendedSchema, t.appended, `text ${t.position} tokens`),
          }),
        ),
      };
    },
  };
}
