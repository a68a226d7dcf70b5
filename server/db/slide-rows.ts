// The slides shown in a session, on PGlite and PostgreSQL.
import type { SlideRow, SlideRows } from "../activities/slide/index.ts";
import type { PrismaClient } from "./generated/client.ts";
import { ms } from "./json-column.ts";

export function prismaSlideRows(prisma: PrismaClient): SlideRows {
  const from = (s: { id: string; sessionId: string; title: string; body: string; shownAt: Date }): SlideRow => ({ ...s, shownAt: ms(s.shownAt) });
  return {
    async save(slide) {
      await prisma.slide.upsert({ where: { id: slide.id }, create: { ...slide, shownAt: new Date(slide.shownAt) }, update: {} });
    },
    async latest(sessionId) {
      const s = await prisma.slide.findFirst({ where: { sessionId }, orderBy: { shownAt: "desc" } });
      return s ? from(s) : null;
    },
    async all(sessionId) {
      return (await prisma.slide.findMany({ where: { sessionId }, orderBy: { shownAt: "asc" } })).map(from);
    },
  };
}
