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
import { newSecret } from "./auth/tokens.ts";
import { createRoomStore, type RoomStore } from "./db/room-store.ts";
import { roomRoutes } from "./http/room-routes.ts";
import { createJoinGuard, type JoinGuard } from "./rooms/join-guard.ts";
import { createRoomBroadcaster } from "./rooms/room-broadcaster.ts";
import { createRoomService, type RoomService } from "./rooms/room-service.ts";
import { ROOMS_NAMESPACE } from "./protocol/room-protocol.ts";
import { registerRoomSockets } from "./rooms/room-sockets.ts";
import { createHatStore, type HatStore } from "./db/hat-store.ts";
import { createHatService, type HatService } from "./hat/hat-service.ts";
import { createHatBroadcaster, hatSocketExtension } from "./hat/hat-sockets.ts";
import { hatRoomsFrom } from "./hat/room-link.ts";
import { trainingDataRoutes } from "./http/training-data-routes.ts";
import type { TrainingData } from "./training-data/training-data.ts";

export interface PageHandler {
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void>;
}

export interface AppDeps {
  env: Pick<Env, "PUBLIC_URL">;
  db: Database;
  inference: InferencePort | null;
  /** The bundled models' training text, searchable; null to leave the endpoint out. */
  trainingData?: TrainingData | null;
  logger: Logger;
  clock: () => Date;
  /** Uniform in [0, 1) for room codes and sampling seeds; defaults to crypto randomness. */
  rng?: () => number;
  /** Defaults to the Prisma store on `db`. */
  roomStore?: RoomStore;
  /** Defaults to 20 wrong room codes per address per minute. */
  joinGuard?: JoinGuard;
  /** Defaults to the Prisma hat store on `db`. */
  hatStore?: HatStore;
}

/** Codes must not be predictable, so the default rng is the operating system's. */
const cryptoRng = () => randomInt(0, 2 ** 47) / 2 ** 47;

export interface Application {
  httpServer: Server;
  io: SocketServer;
  auth: AuthService;
  rooms: RoomService;
  hat: HatService;
  /** Attach the Next.js page handler once it is prepared; until then pages answer 503. */
  setPages(pages: PageHandler): void;
  close(): Promise<void>;
}

export function createApplication(deps: AppDeps): Application {
  const { env, db, inference, logger, clock } = deps;
  const auth = createAuthService(createAccountStore(db.prisma), clock);
  let pages: PageHandler | null = null;

  const baseUrl = (req: Request) => env.PUBLIC_URL?.replace(/\/$/, "") ?? `${req.protocol}://${req.get("host") ?? "localhost"}`;

  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", "loopback");
  const httpServer = createServer(app);
  const io = new SocketServer(httpServer, { serveClient: false, destroyUpgrade: false, maxHttpBufferSize: 16_384 });

  // Live rooms: one socket.io namespace, one service holding the rooms, one store.
  const roomStore = deps.roomStore ?? createRoomStore(db.prisma);
  const joinGuard = deps.joinGuard ?? createJoinGuard();
  const roomSockets = io.of(ROOMS_NAMESPACE);
  const rooms = createRoomService({
    store: roomStore,
    inference,
    broadcaster: createRoomBroadcaster(roomSockets),
    logger,
    clock,
    rng: deps.rng ?? cryptoRng,
    newId: randomUUID,
  });
  // The hat game is one more activity in a room: same namespace, handshake and participants.
  const hatStore = deps.hatStore ?? createHatStore(db.prisma);
  const hat = createHatService({
    store: hatStore,
    inference,
    rooms: hatRoomsFrom(rooms),
    broadcaster: createHatBroadcaster(roomSockets),
    logger,
    clock,
    rng: deps.rng ?? cryptoRng,
    newId: randomUUID,
  });
  registerRoomSockets(roomSockets, { service: rooms, auth, guard: joinGuard, logger, newId: randomUUID, newSecret, extensions: [hatSocketExtension(hat, logger)] });

  const api = express.Router();
  api.use(express.json({ limit: "64kb" }));
  api.use(healthRoutes({ db, inference, trainingData: deps.trainingData ?? null, pagesReady: () => pages !== null }));
  if (deps.trainingData) api.use(trainingDataRoutes(deps.trainingData));
  api.use(authRoutes({ auth, secureCookies: env.PUBLIC_URL?.startsWith("https:") ?? false, baseUrl }));
  api.use(roomRoutes({ auth, service: rooms, store: roomStore, guard: joinGuard, publicUrl: env.PUBLIC_URL, baseUrl, hatGames: (roomId) => hat.games(roomId) }));
  api.use((_req, res) => sendError(res, "not_found"));
  api.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    // Malformed JSON is the client's fault; anything else is a bug, logged once here.
    if (error instanceof SyntaxError || (error as { type?: string }).type === "entity.too.large") return sendError(res, "bad_request");
    logger.error({ err: error }, "api handler failed");
    if (!res.headersSent) sendError(res, "internal");
  });
  app.use("/api", api);
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
    rooms,
    hat,
    setPages(handler) {
      pages = handler;
    },
    async close() {
      await hat.close();
      await rooms.close();
      await io.close();
      await new Promise<void>((resolve) => httpServer.close(() => resolve()));
    },
  };
}
