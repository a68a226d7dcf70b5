// socket.io edge of the rooms, on the "/rooms" namespace. The handshake decides who a socket is
// (host, projector, or phone); each handler then parses its payload, loads the room, applies one
// command through the service and acknowledges with { ok, data } or { ok: false, code, message }.
import type { Namespace, Socket } from "socket.io";
import type { AuthService } from "../auth/auth-service.ts";
import { secretId } from "../auth/tokens.ts";
import { sessionCookieOf } from "../http/auth-routes.ts";
import type { Logger } from "../logger.ts";
import {
  ackError,
  ackOk,
  handshakeSchema,
  inbound,
  PROTOCOL_VERSION,
  ROOM_EVENTS,
  roomCodeSchema,
  roomErrorText,
  type Ack,
  type HandshakeErrorData,
  type InboundEvent,
  type InboundPayload,
  type MyVoteView,
  type RoomErrorCode,
  type RoomRole,
} from "../protocol/room-protocol.ts";
import { cleanGuess } from "./guess-rule.ts";
import type { JoinGuard } from "./join-guard.ts";
import { socketRooms } from "./room-broadcaster.ts";
import type { RoomCommand } from "./room-commands.ts";
import type { LiveRoom, RoomService } from "./room-service.ts";
import { hostSnapshot, playerSnapshot, projectorSnapshot } from "./room-snapshot.ts";
import { currentRound, type RoomState } from "./room-state.ts";


export interface SocketData {
  code: string;
  role: RoomRole;
  participantId: string | null;
}

/**
 * Another activity on this namespace (the hat game): its event names, which this file leaves to it,
 * a hook that registers its handlers on every accepted socket (`data` is live: participantId is set
 * on join), and a veto on starting rounds while it runs.
 */
export interface RoomSocketExtension {
  events: readonly string[];
  attach(socket: Socket, data: Readonly<SocketData>): void;
  /** After a phone joined the room with a nickname. */
  joined?(socket: Socket, data: Readonly<SocketData>): Promise<void>;
  blockRounds?(code: string): Promise<RoomErrorCode | null>;
  /** After the host ended the session. */
  ended?(code: string): Promise<void>;
}

export interface RoomSocketDeps {
  service: RoomService;
  auth: AuthService;
  guard: JoinGuard;
  logger: Logger;
  newId: () => string;
  newSecret: () => string;
  extensions?: RoomSocketExtension[];
}

class HandshakeError extends Error {
  readonly data: HandshakeErrorData;
  constructor(code: RoomErrorCode) {
    super(code);
    this.data = { code, message: roomErrorText[code] };
  }
}

function snapshotFor(state: RoomState, data: SocketData) {
  if (data.role === "host") return hostSnapshot(state);
  if (data.role === "projector") return projectorSnapshot(state);
  return playerSnapshot(state, data.participantId);
}

/** Who is connecting, checked once per socket. Failures reach the client as `connect_error`. */
async function authenticate(socket: Socket, deps: RoomSocketDeps): Promise<SocketData> {
  const parsed = handshakeSchema.safeParse(socket.handshake.auth);
  if (!parsed.success) throw new HandshakeError(parsed.error.issues.some((i) => i.path[0] === "protocolVersion") ? "protocol_mismatch" : "bad_payload");
  const auth = parsed.data;
  if (auth.protocolVersion !== PROTOCOL_VERSION) throw new HandshakeError("protocol_mismatch");
  const address = socket.handshake.address;
  if (await deps.guard.isBlocked(address)) throw new HandshakeError("rate_limited");
  const code = roomCodeSchema.safeParse(auth.code);
  const room = code.success ? await deps.service.room(code.data) : null;
  if (!room) {
    const blocked = await deps.guard.recordMiss(address);
    throw new HandshakeError(blocked ? "rate_limited" : code.success ? "room_not_found" : "bad_code");
  }
  const state = room.state;
  if (auth.role === "host" || auth.role === "projector") {
    const account = await deps.auth.accountForSession(sessionCookieOf(socket.request));
    if (!account || account.id !== state.meta.ownerId) throw new HandshakeError("unauthorized");
    return { code: state.meta.code, role: auth.role, participantId: null };
  }
  if (auth.participantToken) {
    const hash = secretId(auth.participantToken);
    // Tokens are 192 random bits, so a miss is not counted against the address: after a database
    // reset a whole class behind one NAT would otherwise lock itself out.
    const participant = deps.service.participantByTokenHash(room, hash);
    if (!participant) throw new HandshakeError("participant_unknown");
    if (participant.kicked) throw new HandshakeError("kicked");
    return { code: state.meta.code, role: "player", participantId: participant.id };
  }
  return { code: state.meta.code, role: "player", participantId: null };
}

type Handler<E extends InboundEvent> = (payload: InboundPayload<E>, room: LiveRoom) => Promise<Ack<unknown>>;

export function registerRoomSockets(nsp: Namespace, deps: RoomSocketDeps): void {
  const { service, logger } = deps;
  const extensions = deps.extensions ?? [];
  const extensionEvents = new Set(extensions.flatMap((e) => e.events));

  nsp.use((socket, next) => {
    authenticate(socket, deps).then(
      (data) => {
        socket.data = data;
        next();
      },
      (error: unknown) => {
        if (error instanceof HandshakeError) return next(error);
        logger.error({ err: error }, "room handshake failed");
        next(new HandshakeError("internal"));
      },
    );
  });

  nsp.on("connection", (socket: Socket) => {
    const data = socket.data as SocketData;
    const { code } = data;
    const withRoom = async <T>(run: (room: LiveRoom) => Promise<Ack<T>>): Promise<Ack<T>> => {
      const room = await service.room(code);
      return room ? run(room) : ackError("room_not_found");
    };

    /** Parse, then run; every failure becomes an error ack and nothing escapes to socket.io. */
    function on<E extends InboundEvent>(event: E, roles: readonly RoomRole[], handler: Handler<E>): void {
      socket.on(event as string, (...args: unknown[]) => {
        const ack = typeof args.at(-1) === "function" ? (args.pop() as (response: Ack<unknown>) => void) : () => undefined;
        if (!roles.includes(data.role)) return ack(ackError(roles.includes("host") ? "not_host" : "bad_payload"));
        const parsed = inbound[event].safeParse(args[0] ?? {});
        if (!parsed.success) return ack(ackError("bad_payload"));
        withRoom((room) => handler(parsed.data as InboundPayload<E>, room)).then(ack, (error: unknown) => {
          logger.error({ err: error, event }, "room handler failed");
          ack(ackError("internal"));
        });
      });
    }

    const host = ["host"] as const;
    const dispatchHost = async (room: LiveRoom, command: RoomCommand) => {
      if (command.type === "startRound" || command.type === "startCompare") {
        for (const extension of extensions) {
          const blocked = (await extension.blockRounds?.(code)) ?? null;
          if (blocked) return ackError(blocked);
        }
      }
      const result = await service.dispatch(room, command);
      return result.ok ? ackOk({ snapshot: hostSnapshot(result.data) }) : ackError(result.code);
    };

    on(ROOM_EVENTS.roomSync, ["host", "projector", "player"], async (_p, room) => ackOk(snapshotFor(room.state, data)));

    on(ROOM_EVENTS.playerJoin, ["player"], async ({ nickname }, room) => {
      if (data.participantId) return ackError("already_joined");
      const participantId = deps.newId();
      const token = deps.newSecret();
      // Join the participant's socket room first, so the join's own snapshot reaches this socket.
      await socket.join(socketRooms.participant(code, participantId));
      const result = await service.dispatch(room, { type: "join", participantId, tokenHash: secretId(token), nickname });
      if (!result.ok) {
        await socket.leave(socketRooms.participant(code, participantId));
        return ackError(result.code);
      }
      data.participantId = participantId;
      await socket.leave(socketRooms.guests(code));
      for (const extension of extensions) await extension.joined?.(socket, data);
      return ackOk({ participantToken: token, snapshot: playerSnapshot(result.data, participantId) });
    });

    const scored = async (room: LiveRoom, guess: string, exact: boolean | undefined) => {
      const round = currentRound(room.state);
      if (!round || round.kind !== "guess") return { ok: false as const, code: "no_round" as const };
      if (round.status !== "voting") return { ok: false as const, code: round.status === "preparing" ? ("not_voting" as const) : ("voting_closed" as const) };
      const cleaned = cleanGuess(guess);
      if (!cleaned.ok) return cleaned;
      return service.scoreGuess(room, round, cleaned.guess, exact ?? false);
    };

    on(ROOM_EVENTS.playerPreviewGuess, ["player"], async ({ guess, exact }, room) => {
      const result = await scored(room, guess, exact);
      // The preview shows tokens only: a model probability here would let phones probe the answer.
      return result.ok ? ackOk(result.data.pieces) : ackError(result.code);
    });

    on(ROOM_EVENTS.playerVote, ["player"], async ({ guess, exact }, room) => {
      const participantId = data.participantId;
      if (!participantId) return ackError("not_joined");
      if (room.state.paused) return ackError("paused");
      const result = await scored(room, guess, exact);
      if (!result.ok) return ackError(result.code);
      const changed = currentRound(room.state)?.votes.has(participantId) ?? false;
      const applied = await service.dispatch(room, { type: "vote", participantId, ...result.data });
      if (!applied.ok) return ackError(applied.code);
      const { pieces, token } = result.data;
      const vote: MyVoteView = { ...pieces, tokenId: token.id, tokenText: token.text, at: currentRound(applied.data)?.votes.get(participantId)?.at ?? 0 };
      return ackOk({ vote, changed });
    });

    on(ROOM_EVENTS.hostStartRound, host, async (p, room) => dispatchHost(room, { type: "startRound", roundId: deps.newId(), ...p }));
    on(ROOM_EVENTS.hostStartCompare, host, async (p, room) => {
      if (p.mode !== "models") return dispatchHost(room, { type: "startCompare", roundId: deps.newId(), ...p });
      const modelB = service.models().find((m) => m.id === p.modelB);
      if (!modelB) return ackError("model_not_found");
      return dispatchHost(room, { type: "startCompare", roundId: deps.newId(), mode: "models", prompt: p.prompt, modelB: { id: modelB.id, sha256: modelB.sha256 } });
    });
    on(ROOM_EVENTS.hostCloseRound, host, async (_p, room) => dispatchHost(room, { type: "closeRound" }));
    on(ROOM_EVENTS.hostPickToken, host, async (p, room) => dispatchHost(room, { type: "pickToken", ...p }));
    on(ROOM_EVENTS.hostSkip, host, async (_p, room) => dispatchHost(room, { type: "skip" }));
    on(ROOM_EVENTS.hostSetPaused, host, async ({ paused }, room) => dispatchHost(room, { type: "setPaused", paused }));
    on(ROOM_EVENTS.hostSetLocked, host, async ({ locked }, room) => dispatchHost(room, { type: "setLocked", locked }));
    on(ROOM_EVENTS.hostRename, host, async (p, room) => dispatchHost(room, { type: "rename", ...p }));
    on(ROOM_EVENTS.hostKick, host, async ({ participantId }, room) => dispatchHost(room, { type: "kick", participantId }));
    on(ROOM_EVENTS.hostEndSession, host, async (_p, room) => {
      const ack = await dispatchHost(room, { type: "endSession" });
      if (ack.ok) for (const extension of extensions) await extension.ended?.(code);
      return ack;
    });

    // An event this protocol does not know still gets an answer, so a client never waits forever.
    socket.onAny((event: string, ...args: unknown[]) => {
      const ack = args.at(-1);
      if (!(event in inbound) && !extensionEvents.has(event) && typeof ack === "function") (ack as (r: Ack<never>) => void)(ackError("bad_payload"));
    });
    for (const extension of extensions) extension.attach(socket, data);

    socket.on("disconnect", () => {
      const participantId = data.participantId;
      if (!participantId) return;
      withRoom(async (room) => {
        await service.dispatch(room, { type: "disconnect", participantId });
        return ackOk(null);
      }).catch((error: unknown) => logger.error({ err: error }, "room disconnect failed"));
    });

    void welcome(socket, data).catch((error: unknown) => {
      logger.error({ err: error }, "room connection failed");
      socket.disconnect(true);
    });
  });

  /** Puts the socket in its rooms, counts a returning phone as connected, and sends its first snapshot. */
  async function welcome(socket: Socket, data: SocketData): Promise<void> {
    const { code, role, participantId } = data;
    const rooms = [socketRooms.all(code)];
    if (role === "host") rooms.push(socketRooms.host(code));
    else if (role === "projector") rooms.push(socketRooms.projector(code));
    else rooms.push(socketRooms.players(code), participantId ? socketRooms.participant(code, participantId) : socketRooms.guests(code));
    await socket.join(rooms);
    const room = await service.room(code);
    if (!room) return void socket.disconnect(true);
    if (participantId) {
      const result = await service.dispatch(room, { type: "connect", participantId });
      if (!result.ok) {
        socket.emit(ROOM_EVENTS.kicked, { code: "kicked", message: roomErrorText.kicked });
        return void socket.disconnect(true);
      }
    }
    socket.emit(ROOM_EVENTS.snapshot, snapshotFor(room.state, data));
  }
}
