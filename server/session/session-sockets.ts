// socket.io edge of live sessions, on the "/session" namespace. The handshake decides who a socket is
// (host, projector, or phone); every event becomes a call to the room (room-calls.ts), run here or on
// the process that owns the room, and its reply is the acknowledgement: { ok, data } or
// { ok: false, code, message }. Events from one phone are handled in the order they arrived.
import type { IncomingMessage } from "node:http";
import proxyAddr from "proxy-addr";
import type { Namespace, Socket } from "socket.io";
import { ackError, errorText, handshakeSchema, PROTOCOL_VERSION, roomCodeSchema, SESSION_EVENTS, type Ack, type ErrorCode, type HandshakeErrorData, type Role } from "../../contract/protocol/session.ts";
import type { AuthService } from "../auth/auth-service.ts";
import { newSecret, secretId } from "../auth/tokens.ts";
import { sessionCookieOf } from "../http/auth-routes.ts";
import type { Logger } from "../logger.ts";
import { socketRooms } from "./broadcaster.ts";
import type { JoinGuard } from "./join-guard.ts";
import type { Caller, RoomRouter } from "./room-calls.ts";

export interface SocketData {
  code: string;
  role: Role;
  participantId: string | null;
  address: string;
}

export interface SessionSocketDeps {
  rooms: RoomRouter;
  auth: AuthService;
  guard: JoinGuard;
  logger: Logger;
}

class HandshakeError extends Error {
  readonly data: HandshakeErrorData;
  constructor(code: ErrorCode) {
    super(code);
    this.data = { code, message: errorText[code] };
  }
}

// Behind a proxy on this machine (docs/deploy.md) the phone's own address is in X-Forwarded-For,
// as Express reads it for HTTP ("trust proxy": loopback).
const trustLoopback = proxyAddr.compile("loopback");
const addressOf = (req: IncomingMessage) => proxyAddr(req, trustLoopback);

/** Who is connecting, checked once per socket. Failures reach the client as `connect_error`. */
async function authenticate(socket: Socket, deps: SessionSocketDeps): Promise<SocketData> {
  const parsed = handshakeSchema.safeParse(socket.handshake.auth);
  if (!parsed.success) throw new HandshakeError(parsed.error.issues.some((i) => i.path[0] === "protocolVersion") ? "protocol_mismatch" : "bad_payload");
  const auth = parsed.data;
  if (auth.protocolVersion !== PROTOCOL_VERSION) throw new HandshakeError("protocol_mismatch");
  const address = addressOf(socket.request);
  const code = roomCodeSchema.safeParse(auth.code);
  // An address that has guessed too many codes may still bring back phones and screens that prove
  // they belong (a participant token, the owner's cookie); it learns nothing about other codes.
  const blocked = await deps.guard.isBlocked(address);
  const proves = auth.participantToken !== undefined || auth.role !== "player";
  const staff = auth.role === "host" || auth.role === "projector";
  const admitted =
    code.success && (!blocked || proves)
      ? await deps.rooms.call(code.data, {
          kind: "admit",
          role: auth.role,
          accountId: staff ? ((await deps.auth.accountForSession(sessionCookieOf(socket.request)))?.id ?? null) : null,
          tokenHash: !staff && auth.participantToken ? secretId(auth.participantToken) : null,
        })
      : null;
  if (!admitted) {
    const limited = blocked || (await deps.guard.recordMiss(address));
    throw new HandshakeError(limited ? "rate_limited" : code.success ? "room_not_found" : "bad_code");
  }
  // Tokens are 192 random bits, so a miss is not counted against the address: after a database
  // reset a whole class behind one NAT would otherwise lock itself out.
  if (!admitted.ok) throw new HandshakeError(blocked && admitted.code !== "kicked" ? "rate_limited" : admitted.code);
  return { code: code.data!, role: auth.role, participantId: admitted.participantId, address };
}

export function registerSessionSockets(nsp: Namespace, deps: SessionSocketDeps): void {
  const { rooms, logger } = deps;

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
    const caller = (): Caller => ({ socketId: socket.id, role: data.role, participantId: data.participantId, address: data.address });
    // One phone's events run in the order they came: a second vote never overtakes the first.
    let chain: Promise<unknown> = Promise.resolve();

    socket.onAny((event: string, ...args: unknown[]) => {
      const ack = typeof args.at(-1) === "function" ? (args.pop() as (response: Ack<unknown>) => void) : () => undefined;
      const run = async (): Promise<Ack<unknown>> => {
        const reply = await rooms.call(code, { kind: "event", caller: caller(), event, payload: args[0] ?? {}, callKey: newSecret() });
        if (!reply) return ackError("room_not_found");
        if (reply.participantId) data.participantId = reply.participantId;
        return reply.ack;
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
      void rooms.call(code, { kind: "disconnect", participantId }).catch((error: unknown) => logger.error({ err: error }, "session disconnect failed"));
    });

    void welcome(socket, data).catch((error: unknown) => {
      logger.error({ err: error }, "session connection failed");
      socket.disconnect(true);
    });
  });

  /** Puts the socket in its rooms, counts a returning phone as connected, and sends its first snapshot. */
  async function welcome(socket: Socket, data: SocketData): Promise<void> {
    const { code, role, participantId } = data;
    await socket.join(role === "host" ? [socketRooms.host(code)] : role === "projector" ? [socketRooms.projector(code)] : [socketRooms.players(code), participantId ? socketRooms.participant(code, participantId) : socketRooms.guests(code)]);
    const reply = await rooms.call(code, { kind: "welcome", caller: { socketId: socket.id, role, participantId, address: data.address } });
    if (!reply) return void socket.disconnect(true);
    if (!reply.ok) {
      socket.emit(SESSION_EVENTS.kicked, { code: "kicked", message: errorText.kicked });
      return void socket.disconnect(true);
    }
    socket.emit(SESSION_EVENTS.snapshot, reply.snapshot);
  }
}
