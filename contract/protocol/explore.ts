// The explore step: for a few minutes each phone runs the model itself (the solo explorer, see
// docs/explorer.md) while the projector suggests what to try. Like a slide, it never blocks anything.
import { z } from "zod";
import { PROMPT_MAX_CHARS, storableText } from "./limits.ts";

export const exploreStartSchema = z.object({
  minutes: z.number().int().min(1).max(30).default(5),
  /** Where every phone's prompt starts; empty leaves the explorer's own. */
  prompt: storableText(PROMPT_MAX_CHARS, "prompt_too_long").default(""),
});
export type ExploreStart = z.infer<typeof exploreStartSchema>;

export interface ExploreView {
  minutes: number;
  prompt: string;
  /** When the step started (ms since the epoch), for the projector's countdown. */
  startedAt: number;
}
