// Instructors' lesson plans on PGlite and PostgreSQL.
import { planBodySchema } from "../../contract/protocol/lesson-plan.ts";
import { planOf, type PlanStore } from "../lesson-plans/plan-store.ts";
import type { PrismaClient } from "./generated/client.ts";
import { json, ms, parseJson } from "./json-column.ts";

export function prismaPlanStore(prisma: PrismaClient): PlanStore {
  const from = (r: { id: string; ownerId: string; body: unknown; updatedAt: Date }) =>
    planOf({ id: r.id, ownerId: r.ownerId, body: parseJson(planBodySchema, r.body, `plan ${r.id}`), updatedAt: ms(r.updatedAt) });
  return {
    async list(ownerId) {
      return (await prisma.lessonPlan.findMany({ where: { ownerId }, orderBy: { updatedAt: "desc" } })).map(from);
    },
    async get(id) {
      const r = await prisma.lessonPlan.findUnique({ where: { id } });
      return r ? from(r) : null;
    },
    async create({ id, ownerId, body, now }) {
      return from(await prisma.lessonPlan.create({ data: { id, ownerId, title: body.title, body: json(body), createdAt: new Date(now), updatedAt: new Date(now) } }));
    },
    async update(id, body, now) {
      const found = await prisma.lessonPlan.findUnique({ where: { id } });
      if (!found) return null;
      return from(await prisma.lessonPlan.update({ where: { id }, data: { title: body.title, body: json(body), updatedAt: new Date(now) } }));
    },
    async delete(id) {
      const r = await prisma.lessonPlan.deleteMany({ where: { id } });
      return r.count > 0;
    },
  };
}
