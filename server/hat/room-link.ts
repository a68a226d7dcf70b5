// What the hat reads from the rooms feature, adapted from its live room state.
import type { RoomService } from "../rooms/room-service.ts";
import type { ParticipantState } from "../rooms/room-state.ts";
import type { HatRoomInfo, HatRoomsPort } from "./hat-service.ts";

/** Participants by id, whether the room keeps them in a Map or a plain record. */
function participantOf(participants: unknown, id: string): ParticipantState | undefined {
  if (participants instanceof Map) return (participants as ReadonlyMap<string, ParticipantState>).get(id);
  return (participants as Record<string, ParticipantState>)[id];
}

export function hatRoomsFrom(rooms: RoomService): HatRoomsPort {
  return {
    async room(code): Promise<HatRoomInfo | null> {
      const live = await rooms.room(code);
      if (!live) return null;
      const { meta, phase, paused, participants, participantOrder } = live.state;
      const list: HatRoomInfo["participants"] = [];
      for (const id of participantOrder) {
        const p = participantOf(participants, id);
        if (p) list.push({ id, nickname: p.nickname, kicked: p.kicked, connected: p.connections > 0 });
      }
      return { id: meta.id, code: meta.code, model: { id: meta.model.id, sha256: meta.model.sha256 }, phase, paused, participants: list };
    },
  };
}
