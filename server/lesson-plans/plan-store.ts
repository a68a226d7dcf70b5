// Instructors' own lesson plans: the store port, and its in-memory fake. The persistence folder
// implements it on PGlite and PostgreSQL (server/db/plan-rows.ts).
import type { LessonPlan, PlanBody } from "../../contract/protocol/lesson-plan.ts";

export interface PlanStore {
  list(ownerId: string): Promise<LessonPlan[]>;
  get(id: string): Promise<LessonPlan | null>;
  create(plan: { id: string; ownerId: string; body: PlanBody; now: number }): Promise<LessonPlan>;
  update(id: string, body: PlanBody, now: number): Promise<LessonPlan | null>;
  delete(id: string): Promise<boolean>;
}

export const planOf = (row: { id: string; ownerId: string; body: PlanBody; updatedAt: number }): LessonPlan => ({
  id: row.id,
  title: row.body.title,
  steps: row.body.steps.length,
  builtIn: false,
  ownerId: row.ownerId,
  updatedAt: row.updatedAt,
  body: row.body,
});

export function memoryPlanStore(): PlanStore {
  const plans = new Map<string, { id: string; ownerId: string; body: PlanBody; updatedAt: number }>();
  const copy = <T>(v: T): T => structuredClone(v);
  return {
    async list(ownerId) {
      return [...plans.values()].filter((p) => p.ownerId === ownerId).sort((a, b) => b.updatedAt - a.updatedAt).map((p) => copy(planOf(p)));
    },
    async get(id) {
      const p = plans.get(id);
      return p ? copy(planOf(p)) : null;
    },
    async create({ id, ownerId, body, now }) {
      plans.set(id, { id, ownerId, body: copy(body), updatedAt: now });
      return copy(planOf(plans.get(id)!));
    },
    async update(id, body, now) {
      const p = plans.get(id);
      if (!p) return null;
      plans.set(id, { ...p, body: copy(body), updatedAt: now });
      return copy(planOf(plans.get(id)!));
    },
    async delete(id) {
      return plans.delete(id);
    },
  };
}
