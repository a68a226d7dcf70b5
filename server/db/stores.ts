// Every store on PGlite and PostgreSQL, in one place: the session's, each activity's (one line
// each, see docs/activities.md), and the lesson plans'.
import { guessStore } from "../activities/guess/guess-store.ts";
import { hatStore } from "../activities/hat/hat-store.ts";
import { slideStore } from "../activities/slide/index.ts";
import { calibrationStore } from "../activities/calibration/calibration-store.ts";
import { exploreStore } from "../activities/explore/index.ts";
import type { ActivityStores } from "../session/session-host.ts";
import type { SessionStore } from "../session/session-store.ts";
import type { PlanStore } from "../lesson-plans/plan-store.ts";
import type { PrismaClient } from "./generated/client.ts";
import { prismaGuessRows } from "./guess-rows.ts";
import { prismaHatRows } from "./hat-rows.ts";
import { prismaPlanStore } from "./plan-rows.ts";
import { prismaSessionStore } from "./session-rows.ts";
import { prismaSlideRows } from "./slide-rows.ts";
import { prismaCalibrationRows } from "./calibration-rows.ts";
import { prismaExploreRows } from "./explore-rows.ts";

export interface Stores {
  sessions: SessionStore;
  activities: ActivityStores & { guess: ReturnType<typeof guessStore>; hat: ReturnType<typeof hatStore>; slide: ReturnType<typeof slideStore>;
    calibration: ReturnType<typeof calibrationStore>;
    explore: ReturnType<typeof exploreStore>;
  };
  plans: PlanStore;
}

export function prismaStores(prisma: PrismaClient): Stores {
  return {
    sessions: prismaSessionStore(prisma),
    activities: {
      guess: guessStore(prismaGuessRows(prisma)),
      hat: hatStore(prismaHatRows(prisma)),
      slide: slideStore(prismaSlideRows(prisma)),
      calibration: calibrationStore(prismaCalibrationRows(prisma)),
      explore: exploreStore(prismaExploreRows(prisma)),
    },
    plans: prismaPlanStore(prisma),
  };
}
