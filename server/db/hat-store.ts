// Hat games and their draws: the HatStore port, its Prisma implementation (PGlite and PostgreSQL)
// and an in-memory one; tests/integration/hat/hat-store.contract.test.ts runs one contract on all.
import type { HatDrawRow, HatGameRow, StoredHatGame } from "../hat/hat-records.ts";
import type { FillState } from "../hat/hat-state.ts";
import type { Prisma, PrismaClient } from "./generated/client.ts";

export interface RecordDrawResult {
  fill: FillState;
  /** True when this blank already had a draw: `fill` is that recorded one, and nothing was written. */
  recorded: boolean;
}

export interface HatStore {
  createGame(game: HatGameRow): Promise<void>;
  /** Writes the mutable fields: dial, open blank, status, end time. */
  updateGame(game: HatGameRow): Promise<void>;
  /** Commits a draw, unless the participant already drew this blank: then the recorded draw wins. */
  recordDraw(draw: HatDrawRow): Promise<RecordDrawResult>;
  /** The room's most recent game with all its draws (for resume). */
  latestGame(roomId: string): Promise<StoredHatGame | null>;
  /** Every game of the room, oldest first (for review and export). */
  roomGames(roomId: string): Promise<StoredHatGame[]>;
}

const json = (value: unknown) => value as Prisma.InputJsonValue;

function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && "code" in error && (error as { code: unknown }).code === "P2002";
}

type GameModel = Prisma.HatGameGetPayload<object>;
type DrawModel = Prisma.HatDrawGetPayload<object>;

const gameFrom = (g: GameModel): HatGameRow => ({
  id: g.id,
  roomId: g.roomId,
  title: g.title,
  template: g.template as unknown as HatGameRow["template"],
  segmentIds: g.segmentIds as unknown as number[][],
  modelId: g.modelId,
  modelSha256: g.modelSha256,
  dial: g.dial as unknown as HatGameRow["dial"],
  openBlank: g.openBlank,
  status: g.status as HatGameRow["status"],
  entropy: (g.entropy ?? null) as unknown as HatGameRow["entropy"],
  startedAt: g.startedAt.getTime(),
  endedAt: g.endedAt ? g.endedAt.getTime() : null,
});

const drawFrom = (d: DrawModel): HatDrawRow => ({
  gameId: d.gameId,
  participantId: d.participantId,
  fill: {
    blank: d.blank,
    text: d.text,
    tokens: d.tokens as unknown as FillState["tokens"],
    seed: d.seed,
    dial: d.dial as unknown as FillState["dial"],
    stop: d.stop as FillState["stop"],
    hat: d.hat as unknown as FillState["hat"],
    drawnAt: d.drawnAt.getTime(),
  },
});

const log2ProbOf = (fill: FillState) => fill.tokens.reduce((acc, t) => acc + Math.log2(t.p), 0);

function gameData(game: HatGameRow) {
  return {
    dial: json(game.dial),
    openBlank: game.openBlank,
    status: game.status,
    entropy: game.entropy === null ? undefined : json(game.entropy),
    endedAt: game.endedAt === null ? null : new Date(game.endedAt),
  };
}

export function createHatStore(prisma: PrismaClient): HatStore {
  async function withDraws(games: GameModel[]): Promise<StoredHatGame[]> {
    if (games.length === 0) return [];
    const draws = await prisma.hatDraw.findMany({ where: { gameId: { in: games.map((g) => g.id) } }, orderBy: { id: "asc" } });
    return games.map((g) => ({ game: gameFrom(g), draws: draws.filter((d) => d.gameId === g.id).map(drawFrom) }));
  }

  return {
    async createGame(game) {
      await prisma.hatGame.create({
        data: {
          ...gameData(game),
          id: game.id,
          roomId: game.roomId,
          title: game.title,
          template: json(game.template),
          segmentIds: json(game.segmentIds),
          modelId: game.modelId,
          modelSha256: game.modelSha256,
          startedAt: new Date(game.startedAt),
        },
      });
    },

    async updateGame(game) {
      await prisma.hatGame.update({ where: { id: game.id }, data: gameData(game) });
    },

    async recordDraw({ gameId, participantId, fill }) {
      try {
        await prisma.hatDraw.create({
          data: {
            gameId,
            participantId,
            blank: fill.blank,
            text: fill.text,
            tokens: json(fill.tokens),
            seed: fill.seed,
            dial: json(fill.dial),
            stop: fill.stop,
            hat: json(fill.hat),
            log2Prob: log2ProbOf(fill),
            drawnAt: new Date(fill.drawnAt),
          },
        });
        return { fill, recorded: false };
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
        // The unique key (game, participant, blank) caught a second draw: answer with the first.
        const existing = await prisma.hatDraw.findUniqueOrThrow({ where: { gameId_participantId_blank: { gameId, participantId, blank: fill.blank } } });
        return { fill: drawFrom(existing).fill, recorded: true };
      }
    },

    async latestGame(roomId) {
      const game = await prisma.hatGame.findFirst({ where: { roomId }, orderBy: { startedAt: "desc" } });
      if (!game) return null;
      return (await withDraws([game]))[0] ?? null;
    },

    async roomGames(roomId) {
      return withDraws(await prisma.hatGame.findMany({ where: { roomId }, orderBy: { startedAt: "asc" } }));
    },
  };
}

/** The same contract in memory; copies on the way in and out, as a database would. */
export function createMemoryHatStore(): HatStore {
  const games = new Map<string, HatGameRow>();
  const draws: HatDrawRow[] = [];
  const copy = <T>(value: T): T => structuredClone(value);
  const stored = (game: HatGameRow): StoredHatGame => copy({ game, draws: draws.filter((d) => d.gameId === game.id) });

  return {
    async createGame(game) {
      if (games.has(game.id)) throw new Error(`duplicate game ${game.id}`);
      games.set(game.id, copy(game));
    },
    async updateGame(game) {
      const existing = games.get(game.id);
      if (!existing) throw new Error(`no game ${game.id}`);
      const { dial, openBlank, status, endedAt } = copy(game);
      games.set(game.id, { ...existing, dial, openBlank, status, endedAt, entropy: game.entropy ?? existing.entropy });
    },
    async recordDraw(draw) {
      if (!games.has(draw.gameId)) throw new Error(`no game ${draw.gameId}`);
      const existing = draws.find((d) => d.gameId === draw.gameId && d.participantId === draw.participantId && d.fill.blank === draw.fill.blank);
      if (existing) return { fill: copy(existing.fill), recorded: true };
      draws.push(copy(draw));
      return { fill: copy(draw.fill), recorded: false };
    },
    async latestGame(roomId) {
      const latest = [...games.values()].filter((g) => g.roomId === roomId).sort((a, b) => b.startedAt - a.startedAt)[0];
      return latest ? stored(latest) : null;
    },
    async roomGames(roomId) {
      return [...games.values()]
        .filter((g) => g.roomId === roomId)
        .sort((a, b) => a.startedAt - b.startedAt)
        .map(stored);
    },
  };
}
