// Lesson plans: an ordered list of steps, each an activity to start (the same `{ kind, input }` as
// `session:start`) with presenter notes that only the host console shows.
import { z } from "zod";
import { activityStartSchema } from "./activities.ts";
import { NOTES_MAX_CHARS, PLAN_MAX_STEPS, storableText } from "./limits.ts";

export const planStepSchema = z.intersection(activityStartSchema, z.object({ notes: storableText(NOTES_MAX_CHARS).default("") }));
export type PlanStep = z.infer<typeof planStepSchema>;

export const planBodySchema = z.object({
  title: storableText(120).pipe(z.string().trim().min(1, "Give the plan a title.")),
  steps: z.array(planStepSchema).min(1, "A plan needs at least one step.").max(PLAN_MAX_STEPS, `A plan has at most ${PLAN_MAX_STEPS} steps.`),
});
export type PlanBody = z.infer<typeof planBodySchema>;

export interface PlanStepView {
  /** 1-based. */
  number: number;
  kind: PlanStep["kind"];
  /** A one-line description of what the step starts, e.g. "Guess: Once upon a". */
  summary: string;
  notes: string;
  /** The step the session is on (started most recently). */
  current: boolean;
  done: boolean;
}

export interface LessonPlanSummary {
  id: string;
  title: string;
  steps: number;
  /** Built-in plans ship with Token Hat and cannot be edited; copy one to change it. */
  builtIn: boolean;
  ownerId: string | null;
  updatedAt: number | null;
}

export interface LessonPlan extends LessonPlanSummary {
  body: PlanBody;
}
