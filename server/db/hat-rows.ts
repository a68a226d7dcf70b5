// The hat's rows on PGlite and PostgreSQL: games and their draws.
import { z } from "zod";
import { dialSchema, drawnTokensSchema, entropySchema, hatSummarySchema, segmentIdsSchema, templateSchema, type HatDrawRow, type HatGameRow, type StoredHatGame } from "../activities/hat/hat-records.ts";
import type { FillState } from "../activities/hat/hat-state.ts";
import type { HatRows } from "../activities/hat/hat-store.ts";
import type { Prisma, PrismaClient } from "./generated/client.ts";
import { isUniqueViolation, json, ms, msOrNull, parseJson } from "./json-column.ts";

type GameModel = Prisma.HatGameGetPayload<object>;
type DrawModel = Prisma.HatDrawGetPayload<object>;

const gameFrom = (g: GameModel): HatGameRow => ({
  id: g.id,
  sessionId: g.sessionId,
  title: g.title,
  template: parseJson(templateSchema, g.template, `hat game ${g.id} template`),
  segmentIds: parseJson(segmentIdsSchema, g.segmentIds, `hat game ${g.id} segments`),
  modelId: g.modelId,
  modelSha256: g.modelSha256,
  dial: parseJson(dialSchema, g.dial, `hat game ${g.id} dial`),
  openBlank: g.openBlank,
  status: parseJson(z.enum(["running", "finished"]), g.status, `hat game ${g.id} status`),
  entropy: parseJson(entropySchema, g.entropy ?? null, `hat game ${g.id} entropy`),
  startedAt: ms(g.startedAt),
  endedAt: msOrNull(g.endedAt),
});

const drawFrom = (d: DrawModel): HatDrawRow => ({
  gameId: d.gameId,
  participantId: d.participantId,
  fill: {
    blank: d.blank,
    text: d.text,
    tokens: parseJson(drawnTokensSchema, d.tokens, `draw ${d.id} tokens`),
    seed: d.seed,
    dial: parseJson(dialSchema, d.dial, `draw ${d.id} dial`),
    stop: parseJson(z.enum(["word_end", "max_tokens"]), d.stop, `draw ${d.id} stop`),
    hat: parseJson(hatSummarySchema, d.hat, `draw ${d.id} hat`),
    drawnAt: ms(d.drawnAt),
  },
});

const log2ProbOf = (fill: FillState) => fill.tokens.reduce((acc, t) => acc + Math.log2(t.p), 0);

export function prismaHatRows(prisma: PrismaClient): HatRows {
  async function withDraws(games: GameModel[]): Promise<StoredHatGame[]> {
    if (games.length === 0) return [];
    const draws = await prisma.hatDraw.findMany({ where: { gameId: { in: games.map((g) => g.id) } }, orderBy: { id: "asc" } });
    return games.map((g) => ({ game: gameFrom(g), draws: draws.filter((d) => d.gameId === g.id).map(drawFrom) }));
  }

  return {
    async saveGame(game) {
      const mutable = { dial: json(game.dial), openBlank: game.openBlank, status: game.status, entropy: game.entropy === null ? undefined : json(game.entropy), endedAt: game.endedAt === null ? null : new Date(game.endedAt) };
      await prisma.hatGame.upsert({
        where: { id: game.id },
        create: { ...mutable, id: game.id, sessionId: game.sessionId, title: game.title, template: json(game.template), segmentIds: json(game.segmentIds), modelId: game.modelId, modelSha256: game.modelSha256, startedAt: new Date(game.startedAt) },
        update: mutable,
      });
    },

    async recordDraw({ gameId, participantId, fill }) {
      try {
        await prisma.hatDraw.create({
          data: { gameId, participantId, blank: fill.blank, text: fill.text, tokens: json(fill.tokens), seed: fill.seed, dial: json(fill.dial), stop: fill.stop, hat: json(fill.hat), log2Prob: log2ProbOf(fill), drawnAt: new Date(fill.drawnAt) },
        });
        return { fill, recorded: false };
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
        // The unique key (game, participant, blank) caught a second draw: answer with the first.
        const existing = await prisma.hatDraw.findUniqueOrThrow({ where: { gameId_participantId_blank: { gameId, participantId, blank: fill.blank } } });
        return { fill: drawFrom(existing).fill, recorded: true };
      }
    },

    async latestGame(sessionId) {
      const game = await prisma.hatGame.findFirst({ where: { sessionId }, orderBy: { startedAt: "desc" } });
      return game ? ((await withDraws([game]))[0] ?? null) : null;
    },

    async sessionGames(sessionId) {
      return withDraws(await prisma.hatGame.findMany({ where: { sessionId }, orderBy: { startedAt: "asc" } }));
    },
  };
}
