// A whole server for hat tests, with a seeded rng so every run draws the same seeds.
import type { AddressInfo } from "node:net";
import { createApplication } from "../../../server/app.ts";
import { openDatabase } from "../../../server/db/database.ts";
import type { InferencePort } from "../../../server/inference/port.ts";
import { createLogger } from "../../../server/logger.ts";
import type { TestDatabaseTarget } from "../../support/databases.ts";
import type { RoomServer } from "../rooms/room-test-kit.ts";

export async function startHatServer(target: TestDatabaseTarget, inference: InferencePort, options: { port?: number; rng?: () => number } = {}): Promise<RoomServer> {
  const db = await openDatabase(target.env, { migrate: true });
  const app = createApplication({
    env: {},
    db,
    inference,
    logger: createLogger(process.env.TEST_LOG_LEVEL ?? "silent", false),
    clock: () => new Date(),
    ...(options.rng ? { rng: options.rng } : {}),
  });
  await new Promise<void>((resolve, reject) => {
    app.httpServer.once("error", reject);
    app.httpServer.listen(options.port ?? 0, "127.0.0.1", resolve);
  });
  const { port } = app.httpServer.address() as AddressInfo;
  return {
    app,
    db,
    port,
    url: `http://127.0.0.1:${port}`,
    async stop() {
      await app.close();
      await db.close();
    },
  };
}
