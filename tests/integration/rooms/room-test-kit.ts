// Helpers for room integration tests: a real server (createApplication on a real database),
// an instructor with a session cookie, and socket.io clients for host, projector and phones.
import type { AddressInfo } from "node:net";
import { io as connect, type Socket } from "socket.io-client";
import { createApplication, type AppDeps, type Application } from "../../../server/app.ts";
import { openDatabase, type Database } from "../../../server/db/database.ts";
import type { InferencePort } from "../../../contract/inference/port.ts";
import { createLogger } from "../../../server/logger.ts";
import {
  PROTOCOL_VERSION,
  ROOM_EVENTS,
  ROOMS_NAMESPACE,
  type Ack,
  type CreatedRoom,
  type HandshakeErrorData,
  type RoomCounts,
  type RoomRole,
  type RoomSnapshot,
} from "../../../server/protocol/room-protocol.ts";
import { createTestDatabase, type TestDatabaseTarget } from "../../support/databases.ts";
import { waitUntil } from "../../support/wait-until.ts";

export interface RoomServer {
  app: Application;
  db: Database;
  url: string;
  port: number;
  stop(): Promise<void>;
}

/** Starts the whole server; `port` lets a restart come back where phones will look for it. */
export async function startRoomServer(
  target: TestDatabaseTarget,
  inference: InferencePort | null,
  options: { port?: number; joinGuard?: AppDeps["joinGuard"]; rng?: () => number } = {},
): Promise<RoomServer> {
  const db = await openDatabase(target.env, { migrate: true });
  const app = createApplication({
    env: {},
    db,
    inference,
    logger: createLogger(process.env.TEST_LOG_LEVEL ?? "silent", false),
    clock: () => new Date(),
    joinGuard: options.joinGuard,
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

export { createTestDatabase };

/** Creates the first instructor (or signs in) and returns the session cookie. */
export async function instructorCookie(server: RoomServer, email = "ada@example.org"): Promise<string> {
  const token = await server.app.auth.issueSetupToken();
  const res = token
    ? await post(server.url, "/api/auth/setup", { token, email, name: "Ada", password: "correct horse" })
    : await post(server.url, "/api/auth/signin", { email, password: "correct horse" });
  const cookie = res.headers.get("set-cookie")?.split(";")[0];
  if (!cookie) throw new Error(`no session cookie (${res.status})`);
  return cookie;
}

export function post(base: string, path: string, body: unknown, cookie?: string): Promise<Response> {
  return fetch(base + path, { method: "POST", headers: { "content-type": "application/json", ...(cookie ? { cookie } : {}) }, body: JSON.stringify(body) });
}

export async function createRoom(server: RoomServer, cookie: string, body: Record<string, unknown> = { title: "Test session" }): Promise<CreatedRoom> {
  const res = await post(server.url, "/api/rooms", body, cookie);
  const json = (await res.json()) as { ok: boolean; data?: { room: CreatedRoom }; code?: string };
  if (!json.ok || !json.data) throw new Error(`create room failed: ${res.status} ${json.code}`);
  return json.data.room;
}

export interface RoomClient {
  socket: Socket;
  /** Sent on every (re)connect once known, like a phone's localStorage. */
  token: string | undefined;
  /** Latest snapshot and counts received. */
  snapshot: RoomSnapshot | null;
  counts: RoomCounts | null;
  kicked: boolean;
  emit<T = unknown>(event: string, payload?: unknown): Promise<Ack<T>>;
  /** Resolves with the first snapshot (already held or arriving) that passes the test. */
  waitForSnapshot(test: (s: RoomSnapshot) => boolean, timeoutMs?: number): Promise<RoomSnapshot>;
  waitForCounts(test: (c: RoomCounts) => boolean, timeoutMs?: number): Promise<RoomCounts>;
  close(): void;
}

export interface ClientOptions {
  role?: RoomRole;
  participantToken?: string;
  cookie?: string;
  protocolVersion?: number;
  /** The handshake's `auth`, taken as is (for malformed-handshake tests). */
  rawAuth?: unknown;
}

export function roomClient(url: string, code: string, options: ClientOptions = {}): RoomClient {
  const auth = (send: (auth: object) => void) =>
    send(
      (options.rawAuth as object | undefined) ?? {
        protocolVersion: options.protocolVersion ?? PROTOCOL_VERSION,
        code,
        role: options.role ?? "player",
        ...(client.token ? { participantToken: client.token } : {}),
      },
    );
  const socket = connect(`${url}${ROOMS_NAMESPACE}`, {
    auth,
    transports: ["websocket"],
    forceNew: true,
    reconnectionDelay: 100,
    reconnectionDelayMax: 500,
    ...(options.cookie ? { extraHeaders: { cookie: options.cookie } } : {}),
  });
  const waiters = new Set<() => void>();
  const client: RoomClient = {
    socket,
    token: options.participantToken,
    snapshot: null,
    counts: null,
    kicked: false,
    emit(event, payload) {
      return socket.timeout(30_000).emitWithAck(event, payload) as Promise<Ack<never>>;
    },
    waitForSnapshot(test, timeoutMs = 30_000) {
      return waitUntil(waiters, () => (client.snapshot && test(client.snapshot) ? client.snapshot : null), timeoutMs, () => "snapshot");
    },
    waitForCounts(test, timeoutMs = 30_000) {
      return waitUntil(waiters, () => (client.counts && test(client.counts) ? client.counts : null), timeoutMs, () => "counts");
    },
    close() {
      socket.close();
    },
  };
  const notify = () => {
    for (const w of [...waiters]) w();
  };
  socket.on(ROOM_EVENTS.snapshot, (s: RoomSnapshot) => {
    client.snapshot = s;
    notify();
  });
  socket.on(ROOM_EVENTS.counts, (c: RoomCounts) => {
    client.counts = c;
    notify();
  });
  socket.on(ROOM_EVENTS.kicked, () => {
    client.kicked = true;
  });
  return client;
}

/** Resolves when connected, or with the refusal's code. */
export function connected(client: RoomClient): Promise<{ ok: true } | { ok: false; code: string }> {
  if (client.socket.connected) return Promise.resolve({ ok: true });
  return new Promise((resolve) => {
    client.socket.once("connect", () => resolve({ ok: true }));
    client.socket.once("connect_error", (error: Error & { data?: HandshakeErrorData }) => resolve({ ok: false, code: error.data?.code ?? error.message }));
  });
}

export async function expectOk<T>(ack: Promise<Ack<T>> | Ack<T>): Promise<T> {
  const result = await ack;
  if (!result.ok) throw new Error(`expected ok, got ${result.code}: ${result.message}`);
  return result.data;
}

/** A phone that has joined: connected, nickname sent, token kept. */
export async function joinedPlayer(url: string, code: string, nickname: string): Promise<RoomClient & { token: string; participantId: string }> {
  const client = roomClient(url, code);
  const c = await connected(client);
  if (!c.ok) throw new Error(`join refused: ${c.code}`);
  const data = await expectOk(client.emit<{ participantToken: string; snapshot: { me: { id: string } } }>(ROOM_EVENTS.playerJoin, { nickname }));
  client.token = data.participantToken;
  return Object.assign(client, { token: data.participantToken, participantId: data.snapshot.me.id });
}
