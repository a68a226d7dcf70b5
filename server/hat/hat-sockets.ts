// socket.io edge of the hat. It rides on the rooms namespace: the rooms handshake has already decided
// who a socket is (host, projector, or phone with its participant token), so the hat only adds
// its own events. Each handler parses, checks the role, calls the service and acknowledges.
import type { Namespace, Socket } from "socket.io";
import type { Logger } from "../logger.ts";
import {
  HAT_EVENTS,
  hatAckError,
  hatAckOk,
  hatInbound,
  type HatAck,
  type HatInboundEvent,
  type HatInboundPayload,
  type HatSnapshot,
  type PlayerHatSnapshot,
  type StaffHatSnapshot,
} from "../protocol/hat-protocol.ts";
import type { RoomErrorCode, RoomRole } from "../protocol/room-protocol.ts";
import { socketRooms } from "../rooms/room-broadcaster.ts";
import type { RoomSocketExtension } from "../rooms/room-sockets.ts";
import type { HatBroadcaster, HatResult, HatService } from "./hat-service.ts";

/** What the rooms handshake put on the socket; `participantId` is filled in when a phone joins. */
interface Identity {
  code: string;
  role: RoomRole;
  participantId: string | null;
}

export function createHatBroadcaster(nsp: Namespace): HatBroadcaster {
  return {
    toParticipant: (code, participantId, snapshot: PlayerHatSnapshot) => void nsp.to(socketRooms.participant(code, participantId)).emit(HAT_EVENTS.snapshot, snapshot),
    toGuests: (code, snapshot) => void nsp.to(socketRooms.guests(code)).emit(HAT_EVENTS.snapshot, snapshot),
    toStaff: (code, viewer, snapshot: StaffHatSnapshot) =>
      void nsp.to(viewer === "host" ? socketRooms.host(code) : socketRooms.projector(code)).emit(HAT_EVENTS.snapshot, snapshot),
  };
}

type Handler<E extends HatInboundEvent> = (payload: HatInboundPayload<E>, who: Identity) => Promise<HatAck<unknown>>;

const toAck = <T>(result: HatResult<T>): HatAck<T> => (result.ok ? hatAckOk(result.data) : hatAckError(result.code));

export function hatSocketExtension(service: HatService, logger: Logger): RoomSocketExtension {
  return {
    events: Object.values(HAT_EVENTS),

    attach(socket: Socket, data: Readonly<Identity>) {
      function on<E extends HatInboundEvent>(event: E, roles: readonly RoomRole[], handler: Handler<E>): void {
        socket.on(event as string, (...args: unknown[]) => {
          const ack = typeof args.at(-1) === "function" ? (args.pop() as (response: HatAck<unknown>) => void) : () => undefined;
          if (!roles.includes(data.role)) return ack(hatAckError(roles.includes("host") ? "not_host" : "bad_payload"));
          const parsed = hatInbound[event].safeParse(args[0] ?? {});
          if (!parsed.success) return ack(hatAckError("bad_payload"));
          handler(parsed.data as HatInboundPayload<E>, { ...data }).then(ack, (error: unknown) => {
            logger.error({ err: error, event }, "hat handler failed");
            ack(hatAckError("internal"));
          });
        });
      }

      const host = ["host"] as const;
      on(HAT_EVENTS.sync, ["host", "projector", "player"], async (_p, who) => hatAckOk<HatSnapshot>(await service.snapshot(who.code, who.role, who.participantId)));
      on(HAT_EVENTS.draw, ["player"], async ({ gameId, blank }, who) => {
        if (!who.participantId) return hatAckError("not_joined");
        return toAck(await service.draw(who.code, who.participantId, gameId, blank));
      });
      on(HAT_EVENTS.hostStart, host, async (p, who) => {
        const result = await service.start(who.code, {
          ...(p.templateId !== undefined ? { templateId: p.templateId } : {}),
          ...(p.text !== undefined ? { text: p.text } : {}),
          ...(p.title !== undefined ? { title: p.title } : {}),
          ...(p.maxTokens !== undefined ? { maxTokens: p.maxTokens } : {}),
          ...(p.dial !== undefined ? { dial: p.dial } : {}),
        });
        return result.ok ? hatAckOk({ snapshot: result.data }) : hatAckError(result.code);
      });
      const hostStep = (result: HatResult<StaffHatSnapshot>) => (result.ok ? hatAckOk({ snapshot: result.data }) : hatAckError(result.code));
      on(HAT_EVENTS.hostSetDial, host, async (dial, who) => hostStep(await service.setDial(who.code, dial)));
      on(HAT_EVENTS.hostOpenBlank, host, async (_p, who) => hostStep(await service.openNextBlank(who.code)));
      on(HAT_EVENTS.hostFinish, host, async (_p, who) => hostStep(await service.finish(who.code)));

      // Every socket learns where the hat stands as soon as it connects (after a reload, too).
      service.snapshot(data.code, data.role, data.participantId).then(
        (snapshot) => socket.emit(HAT_EVENTS.snapshot, snapshot),
        (error: unknown) => logger.error({ err: error }, "hat welcome snapshot failed"),
      );
    },

    async joined(_socket: Socket, data: Readonly<Identity>): Promise<void> {
      if (data.participantId) await service.joined(data.code, data.participantId);
    },

    async blockRounds(code: string): Promise<RoomErrorCode | null> {
      return (await service.running(code)) ? "activity_running" : null;
    },

    // An ended session ends its hat game too: draws already recorded stay, no new ones start.
    async ended(code: string): Promise<void> {
      if (await service.running(code)) await service.finish(code);
    },
  };
}
