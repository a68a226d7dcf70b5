// Helpers for session integration tests: a real server (createApplication on a real database), an
// instructor with a session cookie, and socket.io clients for host, projector and phones.
import type { AddressInfo } from "node:net";
import { io as connect, type Socket } from "socket.io-client";
import { createApplication, type AppDeps, type Application } from "../../../server/app.ts";
import { openDatabase, type Database } from "../../../server/db/database.ts";
import type { InferencePort } from "../../../contract/inference/port.ts";
import type { CreatedSession } from "../../../contract/http/sessions.ts";
import type { ActivityStart } from "../../../contract/protocol/activities.ts";
import type { GuessMine, GuessView, RoundView } from "../../../contract/protocol/guess.ts";
import type { HatMeView, HatSharedView } from "../../../contract/protocol/hat.ts";
import { createLogger } from "../../../server/logger.ts";
import {
  PROTOCOL_VERSION,
  SESSION_EVENTS,
  SESSION_NAMESPACE,
  type Ack,
  type HandshakeErrorData,
  type HostSnapshot,
  type Role,
  type SessionCounts,
  type SessionSnapshot,
} from "../../../contract/protocol/session.ts";
import { createTestDatabase, type TestDatabaseTarget } from "../../support/databases.ts";
import { waitUntil } from "../../support/wait-until.ts";

export interface TestServer {
  app: Application;
  db: Database;
  url: string;
  port: number;
  stop(): Promise<void>;
}

/** Starts the whole server; `port` lets a restart come back where phones will look for it. */
export async function startServer(
  target: TestDatabaseTarget,
  inference: InferencePort | null,
  options: { port?: number; joinGuard?: AppDeps["joinGuard"]; rng?: () => number; roomCapacity?: number } = {},
): Promise<TestServer> {
  const db = await openDatabase(target.env, { migrate: true });
  const app = createApplication({
    env: {},
    db,
    inference,
    logger: createLogger(process.env.TEST_LOG_LEVEL ?? "silent", false),
    clock: () => new Date(),
    joinGuard: options.joinGuard,
    ...(options.rng ? { rng: options.rng } : {}),
    ...(options.roomCapacity ? { roomCapacity: options.roomCapacity } : {}),
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
export async function instructorCookie(server: TestServer, email = "ada@example.org"): Promise<string> {
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

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read nested response fields freely
export async function getJson<T = any>(server: TestServer, path: string, cookie?: string): Promise<{ status: number; json: T }> {
  const res = await fetch(server.url + path, { headers: cookie ? { cookie } : {} });
  return { status: res.status, json: (await res.json()) as T };
}

export async function createSession(server: TestServer, cookie: string, body: Record<string, unknown> = { title: "Test session" }): Promise<CreatedSession> {
  const res = await post(server.url, "/api/sessions", body, cookie);
  const json = (await res.json()) as { ok: boolean; data?: { session: CreatedSession }; code?: string };
  if (!json.ok || !json.data) throw new Error(`create session failed: ${res.status} ${json.code}`);
  return json.data.session;
}

export interface SessionClient {
  socket: Socket;
  /** Sent on every (re)connect once known, like a phone's localStorage. */
  token: string | undefined;
  /** Latest snapshot and counts received. */
  snapshot: SessionSnapshot | null;
  counts: SessionCounts | null;
  kicked: boolean;
  emit<T = unknown>(event: string, payload?: unknown): Promise<Ack<T>>;
  /** Resolves with the first snapshot (already held or arriving) that passes the test. */
  waitForSnapshot(test: (s: SessionSnapshot) => boolean, timeoutMs?: number): Promise<SessionSnapshot>;
  waitForCounts(test: (c: SessionCounts) => boolean, timeoutMs?: number): Promise<SessionCounts>;
  close(): void;
}

export interface ClientOptions {
  role?: Role;
  participantToken?: string;
  cookie?: string;
  protocolVersion?: number;
  /** The handshake's `auth`, taken as is (for malformed-handshake tests). */
  rawAuth?: unknown;
}

export function sessionClient(url: string, code: string, options: ClientOptions = {}): SessionClient {
  const auth = (send: (auth: object) => void) =>
    send(
      (options.rawAuth as object | undefined) ?? {
        protocolVersion: options.protocolVersion ?? PROTOCOL_VERSION,
        code,
        role: options.role ?? "player",
        ...(client.token ? { participantToken: client.token } : {}),
      },
    );
  const socket = connect(`${url}${SESSION_NAMESPACE}`, {
    auth,
    transports: ["websocket"],
    forceNew: true,
    reconnectionDelay: 100,
    reconnectionDelayMax: 500,
    ...(options.cookie ? { extraHeaders: { cookie: options.cookie } } : {}),
  });
  const waiters = new Set<() => void>();
  const client: SessionClient = {
    socket,
    token: options.participantToken,
    snapshot: null,
    counts: null,
    kicked: false,
    emit(event, payload) {
      return socket.timeout(30_000).emitWithAck(event, payload) as Promise<Ack<never>>;
    },
    waitForSnapshot(test, timeoutMs = 30_000) {
      return waitUntil(waiters, () => (client.snapshot && test(client.snapshot) ? client.snapshot : null), timeoutMs, () => `snapshot; latest: ${JSON.stringify(client.snapshot)?.slice(0, 600)}`);
    },
    waitForCounts(test, timeoutMs = 30_000) {
      return waitUntil(waiters, () => (client.counts && test(client.counts) ? client.counts : null), timeoutMs, () => `counts; latest: ${JSON.stringify(client.counts)}`);
    },
    close() {
      socket.close();
    },
  };
  const notify = () => {
    for (const w of [...waiters]) w();
  };
  socket.on(SESSION_EVENTS.snapshot, (s: SessionSnapshot) => {
    if (client.snapshot && s.seq < client.snapshot.seq) return;
    client.snapshot = s;
    notify();
  });
  socket.on(SESSION_EVENTS.counts, (c: SessionCounts) => {
    client.counts = c;
    notify();
  });
  socket.on(SESSION_EVENTS.kicked, () => {
    client.kicked = true;
  });
  return client;
}

/** Resolves when connected, or with the refusal's code. */
export function connected(client: SessionClient): Promise<{ ok: true } | { ok: false; code: string }> {
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

/** A phone that has joined: connected, nickname sent, token kept; `joinSeq` is the number of the snapshot its join answered with (older ones may still arrive). */
export async function joinedPlayer(url: string, code: string, nickname: string): Promise<SessionClient & { token: string; participantId: string; joinSeq: number }> {
  const client = sessionClient(url, code);
  const c = await connected(client);
  if (!c.ok) throw new Error(`join refused: ${c.code}`);
  const data = await expectOk(client.emit<{ participantToken: string; snapshot: { me: { id: string }; seq: number } }>(SESSION_EVENTS.join, { nickname }));
  client.token = data.participantToken;
  return Object.assign(client, { token: data.participantToken, participantId: data.snapshot.me.id, joinSeq: data.snapshot.seq });
}

/** Starts an activity from the host console; resolves with the host's snapshot. */
export async function startActivity(host: SessionClient, start: ActivityStart): Promise<HostSnapshot> {
  return (await expectOk(host.emit<{ snapshot: HostSnapshot }>(SESSION_EVENTS.start, start))).snapshot;
}

export const guessRound = (input: Extract<ActivityStart, { kind: "guess" }>["input"]): ActivityStart => ({ kind: "guess", input });

/** The current guess round of a snapshot, or null. */
export function roundOf(s: SessionSnapshot | null): RoundView | null {
  return s?.activity?.kind === "guess" ? (s.activity.view as GuessView).round : null;
}
export function guessViewOf(s: SessionSnapshot | null): GuessView | null {
  return s?.activity?.kind === "guess" ? (s.activity.view as GuessView) : null;
}
export function guessMineOf(s: SessionSnapshot | null): GuessMine | null {
  return s?.activity?.kind === "guess" ? (s.activity.mine as GuessMine | null) : null;
}
export function hatOf(s: SessionSnapshot | null): HatSharedView | null {
  return s?.activity?.kind === "hat" ? (s.activity.view as HatSharedView) : null;
}
export function hatMineOf(s: SessionSnapshot | null): HatMeView | null {
  return s?.activity?.kind === "hat" ? (s.activity.mine as HatMeView | null) : null;
}
