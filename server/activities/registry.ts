// Every activity the server can run: one line each. The contract lists their start inputs and views
// (contract/protocol/activities.ts), the persistence folder their stores (server/db/stores.ts), and
// the pages their screens (app/_components/activities/registry.ts). See docs/activities.md.
import type { ModuleMap } from "../session/session-host.ts";
import { guessActivity } from "./guess/index.ts";
import { hatActivity } from "./hat/index.ts";
import { slideActivity } from "./slide/index.ts";

export const ACTIVITY_MODULES = {
  guess: guessActivity,
  hat: hatActivity,
  slide: slideActivity,
} as unknown as ModuleMap;
