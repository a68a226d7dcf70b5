// The slide activity: a short explanation on the projector (a title and a few lines), with the
// phones told to look up. It never blocks anything: it is "finished" as soon as it shows.
import { z } from "zod";
import { SLIDE_BODY_MAX_CHARS, storableText } from "./limits.ts";

export const slideStartSchema = z.object({
  title: storableText(120).pipe(z.string().trim().min(1, "bad_payload")),
  body: storableText(SLIDE_BODY_MAX_CHARS).default(""),
});
export type SlideStart = z.infer<typeof slideStartSchema>;

export interface SlideView {
  title: string;
  /** Paragraphs, split on blank lines. */
  paragraphs: string[];
}
