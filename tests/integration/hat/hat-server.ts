// A whole server for hat tests: the rooms' test server, with a seeded rng so every run draws the same seeds.
import type { InferencePort } from "../../../contract/inference/port.ts";
import type { TestDatabaseTarget } from "../../support/databases.ts";
import { startRoomServer, type RoomServer } from "../rooms/room-test-kit.ts";

export function startHatServer(target: TestDatabaseTarget, inference: InferencePort, options: { port?: number; rng?: () => number } = {}): Promise<RoomServer> {
  return startRoomServer(target, inference, options);
}
