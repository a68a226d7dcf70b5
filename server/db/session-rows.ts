// The SessionStore on PGlite and PostgreSQL: the session row and its participants.
import { z } from "zod";
import { activityStartSchema } from "../../contract/protocol/activities.ts";
import { planBodySchema } from "../../contract/protocol/lesson-plan.ts";
import type { ParticipantRow, SessionListItem, SessionRow } from "../session/session-records.ts";
import type { SessionStore } from "../session/session-store.ts";
import type { PrismaClient, Prisma } from "./generated/client.ts";
import { isUniqueViolation, json, ms, msOrNull, parseJson } from "./json-column.ts";

const promptsSchema = z.array(z.string());
const planSchema = planBodySchema.extend({ id: z.string() }).nullable();
const kindSchema = activityStartSchema.options.map((o) => o.shape.kind.value);
const statusSchema = z.enum(["open", "ended"]);

type SessionModel = Prisma.SessionGetPayload<object>;

const sessionFrom = (r: SessionModel): SessionRow => ({
  id: r.id,
  code: r.code,
  title: r.title,
  ownerId: r.ownerId,
  modelId: r.modelId,
  modelName: r.modelName,
  modelSha256: r.modelSha256,
  joinUrl: r.joinUrl,
  prompts: parseJson(promptsSchema, r.prompts, `session ${r.code} prompts`),
  plan: parseJson(planSchema, r.plan ?? null, `session ${r.code} plan`),
  planStep: r.planStep,
  capacity: r.capacity,
  status: parseJson(statusSchema, r.status, `session ${r.code} status`),
  locked: r.locked,
  paused: r.paused,
  leaderboard: r.leaderboard,
  currentKind: r.currentKind && (kindSchema as string[]).includes(r.currentKind) ? (r.currentKind as SessionRow["currentKind"]) : null,
  currentId: r.currentId,
  createdAt: ms(r.createdAt),
  endedAt: msOrNull(r.endedAt),
});

function mutable(row: SessionRow) {
  return {
    title: row.title,
    status: row.status,
    locked: row.locked,
    paused: row.paused,
    leaderboard: row.leaderboard,
    currentKind: row.currentKind,
    currentId: row.currentId,
    planStep: row.planStep,
    endedAt: row.endedAt === null ? null : new Date(row.endedAt),
  };
}

/** A batch may name one participant twice (join, then rename); the last row wins. */
const lastPerId = (rows: ParticipantRow[]) => [...new Map(rows.map((r) => [r.id, r])).values()];

export function prismaSessionStore(prisma: PrismaClient): SessionStore {
  return {
    async createSession(row) {
      try {
        await prisma.session.create({
          data: {
            ...mutable(row),
            id: row.id,
            code: row.code,
            ownerId: row.ownerId,
            modelId: row.modelId,
            modelName: row.modelName,
            modelSha256: row.modelSha256,
            joinUrl: row.joinUrl,
            prompts: json(row.prompts),
            plan: row.plan === null ? undefined : json(row.plan),
            capacity: row.capacity,
            createdAt: new Date(row.createdAt),
          },
        });
        return { ok: true };
      } catch (error) {
        if (isUniqueViolation(error)) return { ok: false, reason: "code_taken" };
        throw error;
      }
    },

    async updateSession(row) {
      await prisma.session.update({ where: { id: row.id }, data: mutable(row) });
    },

    async upsertParticipants(rows) {
      if (rows.length === 0) return;
      // One statement for a batch (a class joining at once); the token hash never changes after insert.
      await prisma.$executeRawUnsafe(
        `INSERT INTO "RoomParticipant" ("id", "roomId", "tokenHash", "nickname", "kicked", "joinedAt")
         SELECT x."id", x."sessionId", x."tokenHash", x."nickname", x."kicked", to_timestamp(x."joinedAt" / 1000.0) AT TIME ZONE 'UTC'
         FROM jsonb_to_recordset($1::jsonb) AS x("id" text, "sessionId" text, "tokenHash" text, "nickname" text, "kicked" boolean, "joinedAt" float8)
         ON CONFLICT ("id") DO UPDATE SET "nickname" = EXCLUDED."nickname", "kicked" = EXCLUDED."kicked"`,
        JSON.stringify(lastPerId(rows)),
      );
    },

    async loadSession(code) {
      const row = await prisma.session.findUnique({ where: { code }, include: { participants: true } });
      if (!row) return null;
      return {
        session: sessionFrom(row),
        participants: row.participants.map((p) => ({ id: p.id, sessionId: p.sessionId, tokenHash: p.tokenHash, nickname: p.nickname, kicked: p.kicked, joinedAt: ms(p.joinedAt) })),
      };
    },

    async listSessions(ownerId?: string): Promise<SessionListItem[]> {
      const rows = await prisma.session.findMany({ ...(ownerId === undefined ? {} : { where: { ownerId } }), orderBy: { createdAt: "desc" }, take: 500, include: { _count: { select: { participants: true } } } });
      return rows.map((r) => ({
        id: r.id,
        code: r.code,
        title: r.title,
        ownerId: r.ownerId,
        modelId: r.modelId,
        status: r.status === "ended" ? "ended" : "open",
        createdAt: ms(r.createdAt),
        endedAt: msOrNull(r.endedAt),
        participantCount: r._count.participants,
      }));
    },
    async deleteSession(id) {
      // the schema's ON DELETE CASCADE takes participants, rounds, votes, texts, games, draws and slides
      await prisma.session.deleteMany({ where: { id } });
    },
    async sessionsCreatedBefore(cutoffMs, limit) {
      return prisma.session.findMany({ where: { createdAt: { lt: new Date(cutoffMs) } }, orderBy: { createdAt: "asc" }, take: limit, select: { id: true, code: true } });
    },
  };
}
