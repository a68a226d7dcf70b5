// Sends snapshots and counts to the sockets of a room. Snapshots are rendered per role from the
// state passed in; counts and the host's participant list are throttled, because a thousand
// phones joining or voting would otherwise send a million messages.
import type { Namespace } from "socket.io";
import { ROOM_EVENTS, roomErrorText } from "../protocol/room-protocol.ts";
import type { Audience } from "./room-commands.ts";
import { hostSnapshot, playerBase, playerSnapshot, projectorSnapshot, roomCounts } from "./room-snapshot.ts";
import type { RoomState } from "./room-state.ts";

/** socket.io room names; every socket of a participant joins its own, so two tabs stay in step. */
export const socketRooms = {
  all: (code: string) => `all:${code}`,
  host: (code: string) => `host:${code}`,
  projector: (code: string) => `projector:${code}`,
  guests: (code: string) => `guests:${code}`,
  /** Every phone, joined or not. */
  players: (code: string) => `players:${code}`,
  participant: (code: string, id: string) => `p:${code}:${id}`,
};

export interface RoomBroadcaster {
  snapshot(state: RoomState, audience: Audience): void;
  counts(state: RoomState): void;
  kick(code: string, participantId: string): void;
  forget(code: string): void;
}

export interface BroadcastTiming {
  /** Counts to the host console and the projector: the live numbers the room watches. */
  staffCountsMs: number;
  /** Counts to phones: every write is one frame per phone, so a thousand phones get them less often. */
  phoneCountsMs: number;
  /** The host's full snapshot (participant list) while people join and vote. */
  staffMs: number;
}

/** Leading and trailing throttle: the first call sends at once, later ones at most every `ms`, with the latest state. */
function throttle(ms: number, send: (state: RoomState) => void) {
  const timers = new Map<string, { timer: NodeJS.Timeout; latest: RoomState | null }>();
  return {
    call(state: RoomState) {
      const code = state.meta.code;
      const pending = timers.get(code);
      if (pending) {
        pending.latest = state;
        return;
      }
      send(state);
      const entry = {
        latest: null as RoomState | null,
        timer: setTimeout(function flush() {
          const latest = entry.latest;
          if (!latest) return void timers.delete(code);
          entry.latest = null;
          send(latest);
          entry.timer = setTimeout(flush, ms);
        }, ms),
      };
      timers.set(code, entry);
    },
    forget(code: string) {
      const pending = timers.get(code);
      if (pending) clearTimeout(pending.timer);
      timers.delete(code);
    },
  };
}

export const DEFAULT_TIMING: BroadcastTiming = { staffCountsMs: 100, phoneCountsMs: 500, staffMs: 250 };

export function createRoomBroadcaster(nsp: Namespace, timing: BroadcastTiming = DEFAULT_TIMING): RoomBroadcaster {
  const sendHost = (state: RoomState) => nsp.to(socketRooms.host(state.meta.code)).emit(ROOM_EVENTS.snapshot, hostSnapshot(state));
  const staffCounts = throttle(timing.staffCountsMs, (state) =>
    nsp.to([socketRooms.host(state.meta.code), socketRooms.projector(state.meta.code)]).emit(ROOM_EVENTS.counts, roomCounts(state)),
  );
  const phoneCounts = throttle(timing.phoneCountsMs, (state) => nsp.to(socketRooms.players(state.meta.code)).emit(ROOM_EVENTS.counts, roomCounts(state)));
  const staff = throttle(timing.staffMs, sendHost);

  function toParticipant(state: RoomState, id: string, shared = playerBase(state)): void {
    nsp.to(socketRooms.participant(state.meta.code, id)).emit(ROOM_EVENTS.snapshot, playerSnapshot(state, id, shared));
  }

  return {
    snapshot(state, audience) {
      const code = state.meta.code;
      switch (audience.to) {
        case "participant":
          return toParticipant(state, audience.participantId);
        case "staff":
          return staff.call(state);
        case "everyone": {
          sendHost(state);
          nsp.to(socketRooms.projector(code)).emit(ROOM_EVENTS.snapshot, projectorSnapshot(state));
          const shared = playerBase(state);
          nsp.to(socketRooms.guests(code)).emit(ROOM_EVENTS.snapshot, playerSnapshot(state, null, shared));
          for (const id of state.participantOrder) {
            const p = state.participants.get(id);
            if (p && !p.kicked && p.connections > 0) toParticipant(state, id, shared);
          }
          return;
        }
      }
    },
    counts(state) {
      staffCounts.call(state);
      phoneCounts.call(state);
    },
    kick(code, participantId) {
      const room = socketRooms.participant(code, participantId);
      nsp.to(room).emit(ROOM_EVENTS.kicked, { code: "kicked", message: roomErrorText.kicked });
      nsp.in(room).disconnectSockets(true);
    },
    forget(code) {
      staffCounts.forget(code);
      phoneCounts.forget(code);
      staff.forget(code);
    },
  };
}
