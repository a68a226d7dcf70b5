// The explore steps shown in a session, on PGlite and PostgreSQL.
import type { ExploreRow, ExploreRows } from "../activities/explore/index.ts";
import type { PrismaClient } from "./generated/client.ts";
import { ms } from "./json-column.ts";

export function prismaExploreRows(prisma: PrismaClient): ExploreRows {
  const from = (e: { id: string; sessionId: string; minutes: number; prompt: string; shownAt: Date }): ExploreRow => ({ ...e, shownAt: ms(e.shownAt) });
  return {
    async save(row) {
      await prisma.exploration.upsert({ where: { id: row.id }, create: { ...row, shownAt: new Date(row.shownAt) }, update: {} });
    },
    async latest(sessionId) {
      const e = await prisma.exploration.findFirst({ where: { sessionId }, orderBy: { shownAt: "desc" } });
      return e ? from(e) : null;
    },
    async all(sessionId) {
      return (await prisma.exploration.findMany({ where: { sessionId }, orderBy: { shownAt: "asc" } })).map(from);
    },
  };
}
