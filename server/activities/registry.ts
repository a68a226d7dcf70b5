// Every activity the server can run: one line each. The contract lists their start inputs and views
// (contract/protocol/activities.ts), the persistence folder their stores (server/db/stores.ts), and
// the pages their screens (app/_components/activities/registry.tsx). See docs/activities.md.
import type { ActivityKind } from "../../contract/protocol/activities.ts";
import type { ModuleMap } from "../session/session-host.ts";
import { guessActivity } from "./guess/index.ts";
import { hatActivity } from "./hat/index.ts";
import { slideActivity } from "./slide/index.ts";
import { calibrationActivity } from "./calibration/index.ts";
import { exploreActivity } from "./explore/index.ts";

// `satisfies` makes a missing activity a compile error; the cast then erases the per-kind types.
const modules = {
  guess: guessActivity,
  hat: hatActivity,
  slide: slideActivity,
  calibration: calibrationActivity,
  explore: exploreActivity,
} satisfies Record<ActivityKind, unknown>;

export const ACTIVITY_MODULES = modules as unknown as ModuleMap;
