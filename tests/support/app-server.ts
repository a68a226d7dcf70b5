// Starts createApplication in-process on a random port with a real database.
import type { AddressInfo } from "node:net";
import { createApplication, type Application } from "../../server/app.ts";
import { openDatabase, type Database } from "../../server/db/database.ts";
import type { InferencePort } from "../../contract/inference/port.ts";
import { createLogger } from "../../server/logger.ts";
import type { TrainingData } from "../../server/training-data/training-data.ts";
import { createTestDatabase, type TestDatabaseTarget } from "./databases.ts";

export interface RunningApp {
  app: Application;
  db: Database;
  target: TestDatabaseTarget;
  url: string;
  stop(options?: { keepDatabase?: boolean }): Promise<void>;
}

export async function startApp(options: {
  kind: "pglite" | "postgres";
  inference?: InferencePort | null;
  trainingData?: TrainingData | null;
  target?: TestDatabaseTarget;
}): Promise<RunningApp> {
  const target = options.target ?? (await createTestDatabase(options.kind));
  const db = await openDatabase(target.env, { migrate: true });
  const app = createApplication({
    env: {},
    db,
    inference: options.inference ?? null,
    trainingData: options.trainingData ?? null,
    logger: createLogger("silent", false),
    clock: () => new Date(),
  });
  await new Promise<void>((resolve) => app.httpServer.listen(0, "127.0.0.1", resolve));
  const { port } = app.httpServer.address() as AddressInfo;
  return {
    app,
    db,
    target,
    url: `http://127.0.0.1:${port}`,
    async stop({ keepDatabase = false } = {}) {
      await app.close();
      await db.close();
      if (!keepDatabase) await target.drop();
    },
  };
}

/** A fetch that keeps cookies, like one browser. */
export function browser(base: string) {
  let cookie = "";
  return async function request(method: string, path: string, body?: unknown) {
    const res = await fetch(base + path, {
      method,
      headers: { ...(body === undefined ? {} : { "content-type": "application/json" }), ...(cookie ? { cookie } : {}) },
      body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
    });
    const setCookie = res.headers.get("set-cookie");
    if (setCookie) cookie = setCookie.split(";")[0] ?? "";
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read nested response fields freely
    return { status: res.status, setCookie, json: (await res.json()) as Record<string, unknown> & { data?: any; code?: string } };
  };
}
