// Wires the whole server from its dependencies: HTTP API, pages, and sockets on one http.Server.
import { randomInt, randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import express, { type NextFunction, type Request, type Response } from "express";
import { Server as SocketServer } from "socket.io";
import { createAuthService, type AuthService } from "./auth/auth-service.ts";
import { createAccountStore } from "./db/account-store.ts";
import type { Database } from "./db/database.ts";
import type { Env } from "./env.ts";
import { authRoutes } from "./http/auth-routes.ts";
import { healthRoutes } from "./http/health-routes.ts";
import { sendError } from "./http/respond.ts";
import type { InferencePort } from "../contract/inference/port.ts";
import type { Logger } from "./logger.ts";
import { prismaStores, type Stores } from "./db/stores.ts";
import { trainingDataRoutes } from "./http/training-data-routes.ts";
import { sessionRoutes } from "./http/session-routes.ts";
import type { TrainingData } from "./training-data/training-data.ts";
import { ACTIVITY_MODULES } from "./activities/registry.ts";
import { createSessionBroadcaster } from "./session/broadcaster.ts";
import { createJoinGuard, type JoinGuard } from "./session/join-guard.ts";
import { createSessionHost, type SessionHost } from "./session/session-host.ts";
import { registerSessionSockets } from "./session/session-sockets.ts";
import { createRoomCalls, localRouter } from "./session/room-calls.ts";
import { memoryLimiters } from "./session/limiters.ts";
import type { Cluster } from "./cluster/cluster.ts";
import { SESSION_NAMESPACE } from "../contract/protocol/limits.ts";
import type { Registry } from "../contract/inference/model-registry.ts";
import { EXPLORER_ASSETS, explorerRoutes } from "./http/explorer-routes.ts";

export interface PageHandler {
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void>;
}

export interface AppDeps {
  env: Pick<Env, "PUBLIC_URL"> & Partial<Pick<Env, "ROOM_CAPACITY" | "RETENTION_DAYS">>;
  db: Database;
  inference: InferencePort | null;
  /** The bundled models' training text, searchable; null to leave the endpoint out. */
  trainingData?: TrainingData | null;
  logger: Logger;
  clock: () => Date;
  /** Uniform in [0, 1) for room codes and sampling seeds; defaults to crypto randomness. */
  rng?: () => number;
  /** Defaults to the Prisma stores on `db`. */
  stores?: Stores;
  /** Defaults to 20 wrong room codes per address per minute. */
  joinGuard?: JoinGuard;
  /** Most phones one room admits (default 1,000). */
  roomCapacity?: number;
  /** The bundled models, whose files the browser explorer downloads; null leaves it without models. */
  registry?: Registry | null;
  /** Several processes sharing rooms (REDIS_URL, server/cluster); none runs one process alone. */
  cluster?: Cluster | null;
}

/** Codes must not be predictable, so the default rng is the operating system's. */
const cryptoRng = () => randomInt(0, 2 ** 47) / 2 ** 47;

export interface Application {
  httpServer: Server;
  io: SocketServer;
  auth: AuthService;
  host: SessionHost;
  /** Attach the Next.js page handler once it is prepared; until then pages answer 503. */
  setPages(pages: PageHandler): void;
  close(): Promise<void>;
}

export function createApplication(deps: AppDeps): Application {
  const { env, db, inference, logger, clock } = deps;
  const cluster = deps.cluster ?? null;
  const limiters = cluster?.limiters ?? memoryLimiters;
  const auth = createAuthService(createAccountStore(db.prisma), clock, limiters);
  let pages: PageHandler | null = null;

  const baseUrl = (req: Request) => env.PUBLIC_URL?.replace(/\/$/, "") ?? `${req.protocol}://${req.get("host") ?? "localhost"}`;

  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", "loopback");
  const httpServer = createServer(app);
  const io = new SocketServer(httpServer, { serveClient: false, destroyUpgrade: false, maxHttpBufferSize: 16_384, ...(cluster ? { adapter: cluster.adapter } : {}) });

  // Live sessions: one socket.io namespace, one host running every activity, one set of stores.
  // With a cluster, the stores write through its client, so a room's writes check the room's lease.
  const stores = deps.stores ?? prismaStores(cluster?.prisma ?? db.prisma);
  const joinGuard = deps.joinGuard ?? createJoinGuard({}, limiters);
  const sessionSockets = io.of(SESSION_NAMESPACE);
  const capacity = deps.roomCapacity ?? env.ROOM_CAPACITY;
  const broadcaster = createSessionBroadcaster(sessionSockets);
  const host = createSessionHost({
    sessions: stores.sessions,
    stores: stores.activities,
    modules: ACTIVITY_MODULES,
    inference,
    broadcaster,
    logger,
    clock,
    rng: deps.rng ?? cryptoRng,
    newId: randomUUID,
    ...(capacity !== undefined ? { capacity } : {}),
    ...(cluster ? { fence: cluster.fence } : {}),
  });
  const calls = createRoomCalls({ host, modules: ACTIVITY_MODULES, guard: joinGuard, broadcaster });
  const runtime = cluster?.start({ host, calls, broadcaster }) ?? null;
  const rooms = runtime?.router ?? localRouter(calls);
  // Idle sessions leave memory once a minute (see SessionHost.unloadIdle).
  const sweep = setInterval(() => void host.unloadIdle().catch((error: unknown) => logger.error({ err: error }, "unloading idle sessions failed")), 60_000);
  sweep.unref();
  // The retention purge (RETENTION_DAYS): at start, then hourly. Off unless set.
  const purge = () => {
    const days = env.RETENTION_DAYS;
    if (!days) return;
    const cutoff = clock().getTime() - days * 86_400_000;
    void host
      .purgeCreatedBefore(cutoff)
      .then((n) => n && logger.info({ sessions: n, days }, "sessions past the retention period deleted"))
      .catch((error: unknown) => logger.error({ err: error }, "retention purge failed"));
  };
  purge();
  const purgeTimer = setInterval(purge, 3_600_000);
  purgeTimer.unref();
  registerSessionSockets(sessionSockets, { rooms, auth, guard: joinGuard, logger });

  const api = express.Router();
  api.use(express.json({ limit: "64kb" }));
  api.use(
    healthRoutes({
      db,
      inference,
      trainingData: deps.trainingData ?? null,
      pagesReady: () => pages !== null,
      ...(cluster ? { cluster: () => ({ process: cluster.leases.owner, rooms: cluster.leases.held.size, sockets: sessionSockets.sockets.size }) } : {}),
    }),
  );
  if (deps.trainingData) api.use(trainingDataRoutes(deps.trainingData));
  api.use(authRoutes({ auth, secureCookies: env.PUBLIC_URL?.startsWith("https:") ?? false, baseUrl }));
  api.use(
    sessionRoutes({ auth, host, rooms, plans: stores.plans, guard: joinGuard, publicUrl: env.PUBLIC_URL, baseUrl, sessions: stores.sessions, stores: stores.activities, modules: ACTIVITY_MODULES, newId: randomUUID, clock }),
  );
  const explorer = explorerRoutes(deps.registry ?? null);
  api.use(explorer.api);
  api.use((_req, res) => sendError(res, "not_found"));
  api.use((error: unknown, req: Request, res: Response, _next: NextFunction) => {
    // Body-parser and the router mark the client's mistakes with a 4xx status (broken JSON, a bad
    // charset or Content-Encoding, bad percent-encoding in the path): a warning and a 4xx answer.
    const status = (error as { status?: unknown }).status;
    if (typeof status === "number" && status >= 400 && status < 500) {
      logger.warn({ path: req.path, status, reason: (error as Error).message }, "bad request");
      if (res.headersSent) return;
      return sendError(res, status === 413 ? "payload_too_large" : status === 415 ? "unsupported_encoding" : "malformed_request");
    }
    logger.error({ err: error }, "api handler failed");
    if (!res.headersSent) sendError(res, "internal");
  });
  if (runtime) app.use(runtime.routes);
  app.use("/api", api);
  app.use(EXPLORER_ASSETS, explorer.files);
  app.use((req, res) => {
    if (!pages) {
      res.status(503).type("text").send("Token Hat is starting; reload in a few seconds.");
      return;
    }
    void pages.handle(req, res);
  });

  httpServer.on("upgrade", (req, socket, head) => {
    // socket.io answers its own upgrades; the rest (Next.js dev reloads) go to the page handler.
    if (req.url?.startsWith("/socket.io")) return;
    if (pages) void pages.upgrade(req, socket, head);
    else socket.destroy();
  });

  return {
    httpServer,
    io,
    auth,
    host,
    setPages(handler) {
      pages = handler;
    },
    async close() {
      clearInterval(sweep);
      clearInterval(purgeTimer);
      await cluster?.stopTaking();
      await host.close();
      await cluster?.close();
      await io.close();
      await new Promise<void>((resolve) => httpServer.close(() => resolve()));
    },
  };
}
