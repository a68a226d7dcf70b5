// What a live room answers, on the process that owns it. A socket (or an HTTP request) on any
// process turns into one of these calls; on one process they run here directly, on several they
// are forwarded to the room's owner (server/cluster). So every call and reply is plain JSON, and the
// socket a call comes from is known by its id: the owner puts it in rooms through the adapter.
import type { ZodType } from "zod";
import type { SessionPublicInfo } from "../../contract/http/sessions.ts";
import type { ActivityKind } from "../../contract/protocol/activities.ts";
import { ackError, ackOk, codeOfIssues, SESSION_EVENTS, sessionInbound, type Ack, type ErrorCode, type Role } from "../../contract/protocol/session.ts";
import { secretId } from "../auth/tokens.ts";
import type { EventEnv, EventSpec } from "./activity.ts";
import { socketRooms, type SessionBroadcaster } from "./broadcaster.ts";
import type { HostCommand, HostState } from "./host-machine.ts";
import type { JoinGuard } from "./join-guard.ts";
import type { Dispatched, LiveSession, ModuleMap, SessionHost } from "./session-host.ts";
import { participantCount } from "./session-state.ts";
import { hostSnapshot, playerSnapshot, projectorSnapshot } from "./session-snapshot.ts";

/** The socket a call comes from, as the edge that holds it knows it. */
export interface Caller {
  socketId: string;
  role: Role;
  participantId: string | null;
  /** The phone's network address (the school's, behind a NAT), for the join ceiling. */
  address: string;
}

export interface RoomCallMap {
  /** Who a connecting socket is: the room's owner account or one of its participants. */
  admit: { args: { role: Role; accountId: string | null; tokenHash: string | null }; reply: { ok: true; participantId: string | null } | { ok: false; code: ErrorCode } };
  /** A socket is in its rooms: count the phone as connected and send its first snapshot. */
  welcome: { args: { caller: Caller }; reply: { ok: true; snapshot: unknown } | { ok: false; code: ErrorCode } };
  /**
   * `callKey` is a secret the edge chooses once per event: a join's participant token, a start's or
   * next's activity id. A call sent again to a new owner (the first one committed it, then died
   * before answering) so finds what it made instead of making a second participant or activity.
   */
  event: { args: { caller: Caller; event: string; payload: unknown; callKey: string }; reply: { ack: Ack<unknown>; participantId?: string } };
  disconnect: { args: { participantId: string }; reply: { ok: true } };
  info: { args: object; reply: SessionPublicInfo & { ownerId: string } };
  remove: { args: object; reply: { ok: true } };
}
export type RoomCallKind = keyof RoomCallMap;
export type RoomCall<K extends RoomCallKind = RoomCallKind> = { kind: K } & RoomCallMap[K]["args"];
export type RoomReply<K extends RoomCallKind> = RoomCallMap[K]["reply"];

export interface RoomCalls {
  /** Runs a call on a room of this process; null when the room does not exist. */
  run<K extends RoomCallKind>(code: string, call: RoomCall<K>): Promise<RoomReply<K> | null>;
}

/** Routes a call to the room's owner: this process (one process, or a room it owns) or another one. */
export interface RoomRouter {
  call<K extends RoomCallKind>(code: string, call: RoomCall<K>): Promise<RoomReply<K> | null>;
}

export interface RoomCallDeps {
  host: SessionHost;
  modules: ModuleMap;
  guard: JoinGuard;
  broadcaster: SessionBroadcaster;
}

export function snapshotFor(live: LiveSession, caller: Pick<Caller, "role" | "participantId">) {
  if (caller.role === "host") return hostSnapshot(live.sources);
  if (caller.role === "projector") return projectorSnapshot(live.sources);
  return playerSnapshot(live.sources, caller.participantId);
}

type EventReply = RoomReply<"event">;

interface Handler {
  roles: readonly Role[];
  schema: ZodType;
  run(payload: unknown, live: LiveSession, caller: Caller, callKey: string): Promise<EventReply>;
}

export function createRoomCalls(deps: RoomCallDeps): RoomCalls {
  const { host, modules, guard, broadcaster } = deps;
  const handlers = new Map<string, Handler>();
  const code = (live: LiveSession) => live.state.session.meta.code;
  const hostAck = (result: Dispatched, live: LiveSession): EventReply => ({ ack: result.ok ? ackOk({ snapshot: hostSnapshot(live.sources) }) : ackError(result.code) });
  const command = (live: LiveSession, cmd: HostCommand) => host.dispatch(live, cmd);
  const on = (event: string, roles: readonly Role[], schema: ZodType, run: Handler["run"]) => handlers.set(event, { roles, schema, run });
  const hostOnly = ["host"] as const;
  const hostCommand = (event: keyof typeof sessionInbound, cmd: (p: never, callKey: string) => HostCommand) =>
    on(event, hostOnly, sessionInbound[event], async (p, live, _caller, callKey) => hostAck(await command(live, cmd(p as never, callKey)), live));

  on(SESSION_EVENTS.sync, ["host", "projector", "player"], sessionInbound[SESSION_EVENTS.sync], async (_p, live, caller) => ({ ack: ackOk(snapshotFor(live, caller)) }));
  on(SESSION_EVENTS.join, ["player"], sessionInbound[SESSION_EVENTS.join], async (p, live, caller, token) => {
    if (caller.participantId) return { ack: ackError("already_joined") };
    const joined = (participantId: string) => {
      broadcaster.removeFromRoom(caller.socketId, socketRooms.guests(code(live)));
      return { ack: ackOk({ participantToken: token, snapshot: playerSnapshot(live.sources, participantId) }), participantId };
    };
    const tokenHash = secretId(token);
    const again = host.participantByTokenHash(live, tokenHash);
    if (again) {
      if (again.kicked) return { ack: ackError("kicked") };
      broadcaster.addToRoom(caller.socketId, socketRooms.participant(code(live), again.id));
      return joined(again.id);
    }
    if (!(await guard.allowJoin(caller.address, code(live)))) return { ack: ackError("rate_limited") };
    const participantId = host.newId();
    // The participant's socket room first, so the join's own snapshot reaches this socket. Through
    // the adapter this reaches a socket on another process too, in order before that snapshot.
    const own = socketRooms.participant(code(live), participantId);
    broadcaster.addToRoom(caller.socketId, own);
    const result = await command(live, { to: "session", command: { type: "join", participantId, tokenHash, nickname: (p as { nickname: string }).nickname } });
    if (!result.ok) {
      broadcaster.removeFromRoom(caller.socketId, own);
      return { ack: ackError(result.code) };
    }
    return joined(participantId);
  });
  hostCommand(SESSION_EVENTS.start, (p, callKey) => ({ to: "start", start: p, id: callKey }));
  hostCommand(SESSION_EVENTS.next, (_p, callKey) => ({ to: "next", id: callKey }));
  hostCommand(SESSION_EVENTS.finish, () => ({ to: "finish" }));
  hostCommand(SESSION_EVENTS.pause, (p: { paused: boolean }) => ({ to: "session", command: { type: "setPaused", paused: p.paused } }));
  hostCommand(SESSION_EVENTS.leaderboard, (p: { on: boolean }) => ({ to: "session", command: { type: "setLeaderboard", on: p.on } }));
  hostCommand(SESSION_EVENTS.lock, (p: { locked: boolean }) => ({ to: "session", command: { type: "setLocked", locked: p.locked } }));
  hostCommand(SESSION_EVENTS.rename, (p: { participantId: string; nickname: string }) => ({ to: "session", command: { type: "rename", ...p } }));
  hostCommand(SESSION_EVENTS.kick, (p: { participantIds: string[] }) => ({ to: "session", command: { type: "kick", ...p } }));
  hostCommand(SESSION_EVENTS.end, () => ({ to: "session", command: { type: "end" } }));

  for (const kind of Object.keys(modules) as ActivityKind[]) {
    for (const spec of modules[kind].events as EventSpec[]) {
      on(spec.event, spec.roles, spec.schema, async (payload, live, caller) => {
        const env = (state: HostState): EventEnv<unknown> => ({ participantId: caller.participantId, state: state.activities[kind], session: state.session, live: live.lives[kind] });
        const before = env(live.state);
        if (spec.answer) {
          const answer = await spec.answer(payload as never, before);
          return { ack: answer.ok ? ackOk(answer.data) : ackError(answer.code) };
        }
        const cmd = await spec.command!(payload as never, before);
        if (!cmd.ok) return { ack: ackError(cmd.code) };
        const result = await command(live, { to: "activity", kind, command: cmd.data as { type: string } });
        if (!result.ok) return { ack: ackError(result.code) };
        if (caller.role === "host") return hostAck(result, live);
        // Anyone else hears only what its event's reply says, never the host's snapshot.
        return { ack: ackOk(spec.reply ? spec.reply(env(live.state), cmd.data, env(result.before)) : {}) };
      });
    }
  }

  const calls: { [K in RoomCallKind]: (live: LiveSession, call: RoomCall<K>) => Promise<RoomReply<K>> } = {
    async admit(live, { role, accountId, tokenHash }) {
      const session = live.state.session;
      if (role === "host" || role === "projector") return accountId !== null && accountId === session.meta.ownerId ? { ok: true, participantId: null } : { ok: false, code: "unauthorized" };
      if (tokenHash === null) return { ok: true, participantId: null };
      const participant = host.participantByTokenHash(live, tokenHash);
      if (!participant) return { ok: false, code: "participant_unknown" };
      return participant.kicked ? { ok: false, code: "kicked" } : { ok: true, participantId: participant.id };
    },
    async welcome(live, { caller }) {
      if (caller.participantId) {
        const result = await host.dispatch(live, { to: "session", command: { type: "connect", participantId: caller.participantId } });
        if (!result.ok) return { ok: false, code: "kicked" };
      }
      return { ok: true, snapshot: snapshotFor(live, caller) };
    },
    // Every event gets an answer: unknown names (even `constructor` or `__proto__`), a role that
    // may not send it, and payloads that do not parse.
    async event(live, { caller, event, payload, callKey }) {
      const handler = handlers.get(event);
      if (!handler) return { ack: ackError("bad_payload") };
      if (!handler.roles.includes(caller.role)) return { ack: ackError(handler.roles.includes("host") ? "not_host" : "bad_payload") };
      const parsed = handler.schema.safeParse(payload ?? {});
      if (!parsed.success) return { ack: ackError(codeOfIssues(parsed.error.issues)) };
      return handler.run(parsed.data, live, caller, callKey);
    },
    async disconnect(live, { participantId }) {
      await host.dispatch(live, { to: "session", command: { type: "disconnect", participantId } });
      return { ok: true };
    },
    async info(live) {
      const s = live.state.session;
      return { code: s.meta.code, title: s.meta.title, locked: s.locked, ended: s.status === "ended", full: participantCount(s) >= s.meta.capacity, ownerId: s.meta.ownerId };
    },
    async remove(live) {
      await host.remove(live.state.session.meta.code);
      return { ok: true };
    },
  };

  return {
    async run(roomCode, call) {
      const live = await host.session(roomCode);
      if (!live) return null;
      return (calls[call.kind] as (live: LiveSession, call: RoomCall) => Promise<RoomReply<typeof call.kind>>)(live, call);
    },
  };
}

/** One process: every room is here. */
export function localRouter(calls: RoomCalls): RoomRouter {
  return { call: (code, call) => calls.run(code, call) };
}
