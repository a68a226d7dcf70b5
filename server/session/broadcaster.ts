// Sends snapshots and counts to the sockets of a session. Snapshots are rendered per role from the
// sources passed in; counts and the staff screens' updates while people join and vote are throttled.
import type { Namespace } from "socket.io";
import { SESSION_EVENTS, errorText } from "../../contract/protocol/session.ts";
import type { Audience } from "./activity.ts";
import { hostSnapshot, playerShared, playerSnapshot, projectorSnapshot, sessionCounts, type SnapshotSources } from "./session-snapshot.ts";
import { throttle } from "./throttle.ts";

/** socket.io room names; every socket of a participant joins its own, so two tabs stay in step. */
export const socketRooms = {
  host: (code: string) => `host:${code}`,
  projector: (code: string) => `projector:${code}`,
  guests: (code: string) => `guests:${code}`,
  /** Every phone, joined or not. */
  players: (code: string) => `players:${code}`,
  participant: (code: string, id: string) => `p:${code}:${id}`,
};

export interface SessionBroadcaster {
  snapshot(src: SnapshotSources, audience: Audience): void;
  counts(src: SnapshotSources): void;
  kick(code: string, participantId: string): void;
  forget(code: string): void;
  /** Disconnects every socket of a session (it was deleted); their reconnect finds no room. */
  disconnectAll(code: string): void;
  /** Sockets of this server watching a session (host, projector, phones). */
  watchers(code: string): number;
  /** Puts a socket (on this process or another) in a room, or takes it out: through the adapter, in order with broadcasts. */
  addToRoom(socketId: string, room: string): void;
  removeFromRoom(socketId: string, room: string): void;
  /** Sockets each participant of a session has open, on every process. */
  connections(code: string): Promise<Record<string, number>>;
}

export interface BroadcastTiming {
  /** Counts to the host console and the projector: the live numbers the room watches. */
  staffCountsMs: number;
  /** Counts to phones: every write is one frame per phone, so a thousand phones get them less often. */
  phoneCountsMs: number;
  /** The staff screens' full snapshots (participant list, gallery) while people join, vote and draw. */
  staffMs: number;
}

export const DEFAULT_TIMING: BroadcastTiming = { staffCountsMs: 100, phoneCountsMs: 500, staffMs: 250 };

export function createSessionBroadcaster(nsp: Namespace, timing: BroadcastTiming = DEFAULT_TIMING): SessionBroadcaster {
  const code = (src: SnapshotSources) => src.state.session.meta.code;
  const sendStaff = (src: SnapshotSources) => {
    nsp.to(socketRooms.host(code(src))).emit(SESSION_EVENTS.snapshot, hostSnapshot(src));
    nsp.to(socketRooms.projector(code(src))).emit(SESSION_EVENTS.snapshot, projectorSnapshot(src));
  };
  const staff = throttle(timing.staffMs, sendStaff);
  const staffCounts = throttle(timing.staffCountsMs, (src: SnapshotSources) =>
    nsp.to([socketRooms.host(code(src)), socketRooms.projector(code(src))]).emit(SESSION_EVENTS.counts, sessionCounts(src)),
  );
  const phoneCounts = throttle(timing.phoneCountsMs, (src: SnapshotSources) => nsp.to(socketRooms.players(code(src))).emit(SESSION_EVENTS.counts, sessionCounts(src)));

  const toParticipant = (src: SnapshotSources, id: string, shared = playerShared(src)) =>
    nsp.to(socketRooms.participant(code(src), id)).emit(SESSION_EVENTS.snapshot, playerSnapshot(src, id, shared));

  return {
    snapshot(src, audience) {
      switch (audience.to) {
        case "participant":
          return toParticipant(src, audience.participantId);
        case "staff":
          return staff.call(code(src), src);
        case "everyone": {
          // A full update replaces whatever the throttle still holds.
          staff.forget(code(src));
          sendStaff(src);
          const shared = playerShared(src);
          nsp.to(socketRooms.guests(code(src))).emit(SESSION_EVENTS.snapshot, playerSnapshot(src, null, shared));
          const s = src.state.session;
          for (const id of s.participantOrder) {
            const p = s.participants.get(id);
            if (p && !p.kicked && p.connections > 0) toParticipant(src, id, shared);
          }
          return;
        }
      }
    },
    counts(src) {
      staffCounts.call(code(src), src);
      phoneCounts.call(code(src), src);
    },
    kick(sessionCode, participantId) {
      const room = socketRooms.participant(sessionCode, participantId);
      nsp.to(room).emit(SESSION_EVENTS.kicked, { code: "kicked", message: errorText.kicked });
      nsp.in(room).disconnectSockets(true);
    },
    forget(sessionCode) {
      staff.forget(sessionCode);
      staffCounts.forget(sessionCode);
      phoneCounts.forget(sessionCode);
    },
    disconnectAll(sessionCode) {
      for (const room of [socketRooms.host, socketRooms.projector, socketRooms.players]) nsp.in(room(sessionCode)).disconnectSockets(true);
    },
    addToRoom(socketId, room) {
      nsp.in(socketId).socketsJoin(room);
    },
    removeFromRoom(socketId, room) {
      nsp.in(socketId).socketsLeave(room);
    },
    async connections(sessionCode) {
      // By participant room, not socket data: the owner's socketsJoin and this count's request go down
      // one adapter stream, so a phone whose join the owner handled before asking is counted.
      const prefix = socketRooms.participant(sessionCode, "");
      const counted: Record<string, number> = {};
      for (const s of await nsp.in(socketRooms.players(sessionCode)).fetchSockets()) {
        for (const room of s.rooms) {
          const id = room.startsWith(prefix) ? room.slice(prefix.length) : null;
          if (id) counted[id] = (counted[id] ?? 0) + 1;
        }
      }
      return counted;
    },
    watchers(sessionCode) {
      const rooms = nsp.adapter.rooms;
      return [socketRooms.host, socketRooms.projector, socketRooms.players].reduce((n, room) => n + (rooms.get(room(sessionCode))?.size ?? 0), 0);
    },
  };
}
