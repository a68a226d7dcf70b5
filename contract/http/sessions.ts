// Request bodies and responses of the sessions and lesson-plan HTTP API, shared by the pages and
// the server.
import { z } from "zod";
import { PROMPT_MAX_CHARS, storableText } from "../protocol/limits.ts";
import type { HatTemplateOption } from "../protocol/hat.ts";
import type { QuestionSetOption } from "../protocol/calibration.ts";
import type { LessonPlanSummary } from "../protocol/lesson-plan.ts";

export const createSessionBody = z.object({
  title: storableText(120).pipe(z.string().trim().min(1, "Give the session a title.").max(120, "Use at most 120 characters.")),
  model: z.string().min(1).max(200).optional(),
  prompts: z.array(storableText(PROMPT_MAX_CHARS, `Keep prompts under ${PROMPT_MAX_CHARS} characters.`).pipe(z.string().trim().min(1))).max(100).default([]),
  /** A lesson plan to follow (built-in or the instructor's own). */
  planId: z.string().min(1).max(100).optional(),
});
export type CreateSessionBody = z.input<typeof createSessionBody>;

export interface CreatedSession {
  id: string;
  code: string;
  title: string;
  model: { id: string; name: string };
  joinUrl: string;
  qrSvg: string;
  /** Pages for the host console and the projector view. */
  hostUrl: string;
  projectorUrl: string;
}

/** What a phone needs before showing the nickname form. */
export interface SessionPublicInfo {
  code: string;
  title: string;
  locked: boolean;
  ended: boolean;
  full: boolean;
}

export interface ModelOption {
  id: string;
  name: string;
  kind: "base" | "instruct";
  hasChatTemplate: boolean;
}

export interface SessionOptions {
  models: ModelOption[];
  defaultModel: string | null;
  plans: LessonPlanSummary[];
  templates: HatTemplateOption[];
  questionSets: QuestionSetOption[];
}

export interface SessionListEntry {
  id: string;
  code: string;
  title: string;
  ownerId: string;
  modelId: string;
  status: "open" | "ended";
  createdAt: number;
  endedAt: number | null;
  participantCount: number;
}
