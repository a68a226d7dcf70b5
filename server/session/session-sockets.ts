// socket.io edge of live sessions, on the "/session" namespace. The handshake decides who a socket is
// (host, projector, or phone); every event, the session's and each activity's, is handled the same
// way: parse, load, apply through the host, acknowledge with { ok, data } or { ok: false, code, message }.
// Events from one phone are handled in the order they arrived, one after the other.
import type { Namespace, Socket } from "socket.io";
import type { ZodType } from "zod";
import type { ActivityKind } from "../../contract/protocol/activities.ts";
import {
  ackError,
  ackOk,
  codeOfIssues,
  errorText,
  handshakeSchema,
  PROTOCOL_VERSION,
  roomCodeSchema,
  SESSION_EVENTS,
  sessionInbound,
  type Ack,
  type ErrorCode,
  type HandshakeErrorData,
  type Role,
} from "../../contract/protocol/session.ts";
import type { AuthService } from "../auth/auth-service.ts";
import { secretId } from "../auth/tokens.ts";
import { sessionCookieOf } from "../http/auth-routes.ts";
import type { Logger } from "../logger.ts";
import type { EventEnv, EventSpec } from "./activity.ts";
import { socketRooms } from "./broadcaster.ts";
import type { HostCommand, HostState } from "./host-machine.ts";
import type { JoinGuard } from "./join-guard.ts";
import type { Dispatched, LiveSession, ModuleMap, SessionHost } from "./session-host.ts";
import { hostSnapshot, playerSnapshot, projectorSnapshot } from "./session-snapshot.ts";

export interface SocketData {
  code: string;
  role: Role;
  participantId: string | null;
}

export interface SessionSocketDeps {
  host: SessionHost;
  modules: ModuleMap;
  auth: AuthService;
  guard: JoinGuard;
  logger: Logger;
  newSecret: () => string;
}

class HandshakeError extends Error {
  readonly data: HandshakeErrorData;
  constructor(code: ErrorCode) {
    super(code);
    this.data = { code, message: errorText[code] };
  }
}

export function snapshotFor(live: LiveSession, data: SocketData) {
  if (data.role === "host") return hostSnapshot(live.sources);
  if (data.role === "projector") return projectorSnapshot(live.sources);
  return playerSnapshot(live.sources, data.participantId);
}

/** Who is connecting, checked once per socket. Failures reach the client as `connect_error`. */
async function authenticate(socket: Socket, deps: SessionSocketDeps): Promise<SocketData> {
  const parsed = handshakeSchema.safeParse(socket.handshake.auth);
  if (!parsed.success) throw new HandshakeError(parsed.error.issues.some((i) => i.path[0] === "protocolVersion") ? "protocol_mismatch" : "bad_payload");
  const auth = parsed.data;
  if (auth.protocolVersion !== PROTOCOL_VERSION) throw new HandshakeError("protocol_mismatch");
  const address = socket.handshake.address;
  const code = roomCodeSchema.safeParse(auth.code);
  const live = code.success ? await deps.host.session(code.data) : null;
  // An address that has guessed too many codes may still bring back phones and screens that prove
  // they belong (a participant token, the owner's cookie); it learns nothing about other codes.
  const blocked = await deps.guard.isBlocked(address);
  const proves = auth.participantToken !== undefined || auth.role !== "player";
  if (!live || (blocked && !proves)) {
    const limited = blocked || (await deps.guard.recordMiss(address));
    throw new HandshakeError(limited ? "rate_limited" : code.success ? "room_not_found" : "bad_code");
  }
  const session = live.state.session;
  if (auth.role === "host" || auth.role === "projector") {
    const account = await deps.auth.accountForSession(sessionCookieOf(socket.request));
    if (!account || account.id !== session.meta.ownerId) throw new HandshakeError(blocked ? "rate_limited" : "unauthorized");
    return { code: session.meta.code, role: auth.role, participantId: null };
  }
  if (auth.participantToken) {
    // Tokens are 192 random bits, so a miss is not counted against the address: after a database
    // reset a whole class behind one NAT would otherwise lock itself out.
    const participant = deps.host.participantByTokenHash(live, secretId(auth.participantToken));
    if (!participant) throw new HandshakeError(blocked ? "rate_limited" : "participant_unknown");
    if (participant.kicked) throw new HandshakeError("kicked");
    return { code: session.meta.code, role: "player", participantId: participant.id };
  }
  return { code: session.meta.code, role: "player", participantId: null };
}

interface Handler {
  roles: readonly Role[];
  schema: ZodType;
  run(payload: unknown, live: LiveSession): Promise<Ack<unknown>>;
}

export function registerSessionSockets(nsp: Namespace, deps: SessionSocketDeps): void {
  const { host, logger, modules } = deps;

  nsp.use((socket, next) => {
    authenticate(socket, deps).then(
      (data) => {
        socket.data = data;
        next();
      },
      (error: unknown) => {
        if (error instanceof HandshakeError) return next(error);
        logger.error({ err: error }, "session handshake failed");
        next(new HandshakeError("internal"));
      },
    );
  });

  nsp.on("connection", (socket: Socket) => {
    const data = socket.data as SocketData;
    const { code } = data;
    const handlers = new Map<string, Handler>();
    // One phone's events run in the order they came: a second vote never overtakes the first.
    let chain: Promise<unknown> = Promise.resolve();

    const hostAck = (result: Dispatched, live: LiveSession): Ack<unknown> => (result.ok ? ackOk({ snapshot: hostSnapshot(live.sources) }) : ackError(result.code));
    const command = (live: LiveSession, cmd: HostCommand) => host.dispatch(live, cmd);
    const on = (event: string, roles: readonly Role[], schema: ZodType, run: Handler["run"]) => handlers.set(event, { roles, schema, run });
    const hostOnly = ["host"] as const;

    on(SESSION_EVENTS.sync, ["host", "projector", "player"], sessionInbound[SESSION_EVENTS.sync], async (_p, live) => ackOk(snapshotFor(live, data)));
    on(SESSION_EVENTS.join, ["player"], sessionInbound[SESSION_EVENTS.join], async (p, live) => {
      if (data.participantId) return ackError("already_joined");
      if (!(await deps.guard.allowJoin(socket.handshake.address, code))) return ackError("rate_limited");
      const participantId = host.newId();
      const token = deps.newSecret();
      // Join the participant's socket room first, so the join's own snapshot reaches this socket.
      await socket.join(socketRooms.participant(code, participantId));
      const result = await command(live, { to: "session", command: { type: "join", participantId, tokenHash: secretId(token), nickname: (p as { nickname: string }).nickname } });
      if (!result.ok) {
        await socket.leave(socketRooms.participant(code, participantId));
        return ackError(result.code);
      }
      data.participantId = participantId;
      await socket.leave(socketRooms.guests(code));
      return ackOk({ participantToken: token, snapshot: playerSnapshot(live.sources, participantId) });
    });
    on(SESSION_EVENTS.start, hostOnly, sessionInbound[SESSION_EVENTS.start], async (p, live) => hostAck(await command(live, { to: "start", start: p as never, id: host.newId() }), live));
    on(SESSION_EVENTS.next, hostOnly, sessionInbound[SESSION_EVENTS.next], async (_p, live) => hostAck(await command(live, { to: "next", id: host.newId() }), live));
    on(SESSION_EVENTS.finish, hostOnly, sessionInbound[SESSION_EVENTS.finish], async (_p, live) => hostAck(await command(live, { to: "finish" }), live));
    on(SESSION_EVENTS.pause, hostOnly, sessionInbound[SESSION_EVENTS.pause], async (p, live) => hostAck(await command(live, { to: "session", command: { type: "setPaused", paused: (p as { paused: boolean }).paused } }), live));
    on(SESSION_EVENTS.leaderboard, hostOnly, sessionInbound[SESSION_EVENTS.leaderboard], async (p, live) =>
      hostAck(await command(live, { to: "session", command: { type: "setLeaderboard", on: (p as { on: boolean }).on } }), live),
    );
    on(SESSION_EVENTS.lock, hostOnly, sessionInbound[SESSION_EVENTS.lock], async (p, live) => hostAck(await command(live, { to: "session", command: { type: "setLocked", locked: (p as { locked: boolean }).locked } }), live));
    on(SESSION_EVENTS.rename, hostOnly, sessionInbound[SESSION_EVENTS.rename], async (p, live) => hostAck(await command(live, { to: "session", command: { type: "rename", ...(p as { participantId: string; nickname: string }) } }), live));
    on(SESSION_EVENTS.kick, hostOnly, sessionInbound[SESSION_EVENTS.kick], async (p, live) => hostAck(await command(live, { to: "session", command: { type: "kick", ...(p as { participantIds: string[] }) } }), live));
    on(SESSION_EVENTS.end, hostOnly, sessionInbound[SESSION_EVENTS.end], async (_p, live) => hostAck(await command(live, { to: "session", command: { type: "end" } }), live));

    for (const kind of Object.keys(modules) as ActivityKind[]) {
      for (const spec of modules[kind].events as EventSpec[]) {
        const env = (live: LiveSession, state: HostState): EventEnv<unknown> => ({ participantId: data.participantId, state: state.activities[kind], session: state.session, live: live.lives[kind] });
        on(spec.event, spec.roles, spec.schema, async (payload, live) => {
          const before = env(live, live.state);
          if (spec.answer) {
            const answer = await spec.answer(payload as never, before);
            return answer.ok ? ackOk(answer.data) : ackError(answer.code);
          }
          const cmd = await spec.command!(payload as never, before);
          if (!cmd.ok) return ackError(cmd.code);
          const result = await command(live, { to: "activity", kind, command: cmd.data as { type: string } });
          if (!result.ok) return ackError(result.code);
          if (data.role === "host") return hostAck(result, live);
          // Anyone else hears only what its event's reply says, never the host's snapshot.
          return ackOk(spec.reply ? spec.reply(env(live, live.state), cmd.data, env(live, result.before)) : {});
        });
      }
    }

    // Every event with an ack gets an answer: unknown names (even `constructor` or `__proto__`),
    // a role that may not send it, and payloads that do not parse.
    socket.onAny((event: string, ...args: unknown[]) => {
      const ack = typeof args.at(-1) === "function" ? (args.pop() as (response: Ack<unknown>) => void) : () => undefined;
      const handler = handlers.get(event);
      if (!handler) return ack(ackError("bad_payload"));
      if (!handler.roles.includes(data.role)) return ack(ackError(handler.roles.includes("host") ? "not_host" : "bad_payload"));
      const parsed = handler.schema.safeParse(args[0] ?? {});
      if (!parsed.success) return ack(ackError(codeOfIssues(parsed.error.issues)));
      const run = async () => {
        const live = await host.session(code);
        return live ? handler.run(parsed.data, live) : ackError("room_not_found");
      };
      const result = data.role === "player" ? chain.then(run, run) : run();
      if (data.role === "player") chain = result.catch(() => undefined);
      result.then(ack, (error: unknown) => {
        logger.error({ err: error, event }, "session handler failed");
        ack(ackError("internal"));
      });
    });

    socket.on("disconnect", () => {
      const participantId = data.participantId;
      if (!participantId) return;
      void host
        .session(code)
        .then((live) => live && host.dispatch(live, { to: "session", command: { type: "disconnect", participantId } }))
        .catch((error: unknown) => logger.error({ err: error }, "session disconnect failed"));
    });

    void welcome(socket, data).catch((error: unknown) => {
      logger.error({ err: error }, "session connection failed");
      socket.disconnect(true);
    });
  });

  /** Puts the socket in its rooms, counts a returning phone as connected, and sends its first snapshot. */
  async function welcome(socket: Socket, data: SocketData): Promise<void> {
    const { code, role, participantId } = data;
    const rooms = role === "host" ? [socketRooms.host(code)] : role === "projector" ? [socketRooms.projector(code)] : [socketRooms.players(code), participantId ? socketRooms.participant(code, participantId) : socketRooms.guests(code)];
    await socket.join(rooms);
    const live = await host.session(code);
    if (!live) return void socket.disconnect(true);
    if (participantId) {
      const result = await host.dispatch(live, { to: "session", command: { type: "connect", participantId } });
      if (!result.ok) {
        socket.emit(SESSION_EVENTS.kicked, { code: "kicked", message: errorText.kicked });
        return void socket.disconnect(true);
      }
    }
    socket.emit(SESSION_EVENTS.snapshot, snapshotFor(live, data));
  }
}
