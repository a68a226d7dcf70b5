// Entry point: `npm start` (production) and `npm run dev` (hot reload) both run this file.
import path from "node:path";
import next from "next";
import { createApplication } from "./app.ts";
import { ClusterError, clusterFromEnv } from "./cluster/cluster.ts";
import { DatabaseError, openDatabase } from "./db/database.ts";
import { EnvError, loadEnv } from "./env.ts";
import { createLogger } from "./logger.ts";
import { lanIPv4 } from "./session/join-link.ts";
import { createInference } from "./inference/index.ts";
import { loadTrainingData } from "./training-data/training-data.ts";
import { loadRegistry, type Registry } from "../contract/inference/model-registry.ts";

const ROOT = path.resolve(import.meta.dirname, "..");

/** Start-up failures the user can fix print one line and exit 1; anything else is a bug. */
function fail(message: string): never {
  console.error(`token-hat: ${message}`);
  process.exit(1);
}

async function main(): Promise<void> {
  let env;
  try {
    env = loadEnv();
  } catch (error) {
    if (error instanceof EnvError) fail(error.message);
    throw error;
  }
  const dev = env.NODE_ENV !== "production";
  const logger = createLogger(env.LOG_LEVEL, env.LOG_FORMAT === "pretty" || (env.LOG_FORMAT === "auto" && process.stdout.isTTY));

  let db;
  try {
    db = await openDatabase(env, { migrate: true });
  } catch (error) {
    if (error instanceof DatabaseError) fail(error.message);
    throw error;
  }
  logger.info({ database: db.kind, migrations: db.migrations }, "database ready");

  const trainingData = loadTrainingData(path.resolve(ROOT, env.TRAINING_DATA), logger);
  const inference = createInference({
    registryPath: path.resolve(ROOT, env.MODEL_REGISTRY),
    providers: env.INFERENCE_PROVIDERS,
    timeoutMs: env.INFERENCE_TIMEOUT_MS,
    ...(env.INFERENCE_THREADS !== undefined ? { threads: env.INFERENCE_THREADS } : {}),
    logger: logger.child({ part: "inference" }),
  });
  let listening = env.PORT;
  let cluster;
  try {
    cluster = await clusterFromEnv(env, db.prisma, logger, () => listening);
  } catch (error) {
    if (error instanceof ClusterError) fail(error.message);
    throw error;
  }
  const app = createApplication({ env, db, inference, trainingData, logger, clock: () => new Date(), registry: explorerRegistry(path.resolve(ROOT, env.MODEL_REGISTRY), logger), cluster });

  await new Promise<void>((resolve) => {
    app.httpServer.once("error", (error: NodeJS.ErrnoException) => {
      if (error.code === "EADDRINUSE") fail(`port ${env.PORT} on ${env.HOST} is already in use. Stop the other server or set PORT to a free port.`);
      if (error.code === "EACCES") fail(`not allowed to listen on port ${env.PORT}. Use a port above 1023 (PORT).`);
      if (error.code === "EADDRNOTAVAIL" || error.code === "ENOTFOUND") fail(`cannot listen on HOST=${env.HOST}: no such address on this machine.`);
      fail(`cannot listen on ${env.HOST}:${env.PORT}: ${error.message}`);
    });
    app.httpServer.listen(env.PORT, env.HOST, resolve);
  });
  const address = app.httpServer.address();
  const port = typeof address === "object" && address ? address.port : env.PORT;
  listening = port;
  const shownHost = env.HOST === "0.0.0.0" || env.HOST === "::" ? "localhost" : env.HOST;
  const base = env.PUBLIC_URL?.replace(/\/$/, "") ?? `http://${shownHost}:${port}`;
  logger.info(`Token Hat listening on ${base} (${dev ? "development" : "production"}, database: ${db.kind})`);
  const lan = lanIPv4();
  if (!env.PUBLIC_URL) logger.info(lan ? `Phones on this network join at http://${lan}:${port}` : "No network address found: phones cannot reach this machine. Connect it to the classroom network.");

  const setupToken = await app.auth.issueSetupToken();
  if (setupToken) {
    // Printed plainly so it stands out in any log format.
    console.log(`\nNo instructor account yet. Create the first one here (this link works once):\n  ${base}/setup?token=${setupToken}\n`);
  }

  const nextApp = next({ dev, dir: ROOT, hostname: shownHost, port, quiet: !dev });
  await nextApp.prepare();
  const handle = nextApp.getRequestHandler();
  const upgrade = nextApp.getUpgradeHandler();
  app.setPages({ handle: (req, res) => handle(req, res), upgrade: (req, socket, head) => upgrade(req, socket, head) });
  logger.info("pages ready");

  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    logger.info(`${signal}: shutting down`);
    const timer = setTimeout(() => process.exit(0), 5000);
    timer.unref();
    void app
      .close()
      .then(() => inference.close())
      .then(() => nextApp.close())
      .then(() => db.close())
      .finally(() => process.exit(0));
  };
  process.on("SIGINT", () => shutdown("SIGINT"));
  process.on("SIGTERM", () => shutdown("SIGTERM"));
}

main().catch((error: unknown) => {
  console.error("token-hat: failed to start:", error);
  process.exit(1);
});

/** The models the browser explorer offers; a missing registry leaves it without models (the inference health says why). */
function explorerRegistry(file: string, logger: { warn(msg: string): void }): Registry | null {
  try {
    return loadRegistry(file);
  } catch (error) {
    logger.warn(`the explorer has no models: ${(error as Error).message}`);
    return null;
  }
}
