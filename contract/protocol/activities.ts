// Every activity a session can run, in one list: how it is started (`{ kind, input }`, also a
// lesson-plan step) and the views it sends. Adding an activity adds one line to each of these.
// See docs/activities.md.
import { z } from "zod";
import { guessStartSchema, type GuessFinale, type GuessMine, type GuessView } from "./guess.ts";
import { hatStartSchema, type HatFinale, type HatMeView, type HatSharedView } from "./hat.ts";
import { slideStartSchema, type SlideView } from "./slide.ts";
import { exploreStartSchema, type ExploreView } from "./explore.ts";
import { calibrationStartSchema, type CalibrationFinale, type CalibrationMine, type CalibrationView } from "./calibration.ts";

export const activityStartSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("guess"), input: guessStartSchema }),
  z.object({ kind: z.literal("hat"), input: hatStartSchema }),
  z.object({ kind: z.literal("slide"), input: slideStartSchema }),
  z.object({ kind: z.literal("calibration"), input: calibrationStartSchema }),
  z.object({ kind: z.literal("explore"), input: exploreStartSchema }),
]);
export type ActivityStart = z.infer<typeof activityStartSchema>;
export type ActivityKind = ActivityStart["kind"];
export type StartInput<K extends ActivityKind> = Extract<ActivityStart, { kind: K }>["input"];

/** shared: what every viewer of a role gets; mine: one phone's own part; finale: the end-of-session view. */
export interface ActivityViews {
  guess: { shared: GuessView; mine: GuessMine; finale: GuessFinale };
  hat: { shared: HatSharedView; mine: HatMeView; finale: HatFinale };
  slide: { shared: SlideView; mine: null; finale: null };
  calibration: { shared: CalibrationView; mine: CalibrationMine; finale: CalibrationFinale };
  explore: { shared: ExploreView; mine: null; finale: null };
}
