// Every store in memory, the same set server/db/stores.ts builds on a database.
import { guessStore, memoryGuessRows } from "../../server/activities/guess/guess-store.ts";
import { hatStore, memoryHatRows } from "../../server/activities/hat/hat-store.ts";
import { memorySlideRows, slideStore } from "../../server/activities/slide/index.ts";
import { exploreStore, memoryExploreRows } from "../../server/activities/explore/index.ts";
import { calibrationStore, memoryCalibrationRows } from "../../server/activities/calibration/calibration-store.ts";
import type { Stores } from "../../server/db/stores.ts";
import { memoryPlanStore } from "../../server/lesson-plans/plan-store.ts";
import { memorySessionStore } from "../../server/session/session-store.ts";

export function memoryStores(): Stores {
  return {
    sessions: memorySessionStore(),
    activities: { guess: guessStore(memoryGuessRows()), hat: hatStore(memoryHatRows()), slide: slideStore(memorySlideRows()), calibration: calibrationStore(memoryCalibrationRows()), explore: exploreStore(memoryExploreRows()) },
    plans: memoryPlanStore(),
  };
}
