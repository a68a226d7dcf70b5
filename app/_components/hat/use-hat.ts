"use client";
// The hat game over the room's own socket: the newest hat snapshot (by seq), fetched again on every
// (re)connect, and emits that resolve to the protocol's ack.
import { useCallback, useEffect, useRef, useState } from "react";
import type { Socket } from "socket.io-client";
import { HAT_EVENTS, type HatAck, type HatClientToServerEvents, type HatSnapshot } from "@/server/protocol/hat-protocol";

type AckData<E extends keyof HatClientToServerEvents> = Parameters<Parameters<HatClientToServerEvents[E]>[1]>[0] extends HatAck<infer T> ? T : never;

export interface HatConnection<S extends HatSnapshot> {
  snapshot: S | null;
  emit<E extends keyof HatClientToServerEvents>(event: E, payload: Parameters<HatClientToServerEvents[E]>[0]): Promise<HatAck<AckData<E>>>;
}

export function useHat<S extends HatSnapshot>(socket: Socket | null): HatConnection<S> {
  const [snapshot, setSnapshot] = useState<S | null>(null);
  const seqRef = useRef(-1);

  const accept = useCallback((next: HatSnapshot) => {
    if (next.seq < seqRef.current) return;
    seqRef.current = next.seq;
    setSnapshot(next as S);
  }, []);

  useEffect(() => {
    if (!socket) return;
    const sync = () => {
      socket.timeout(15_000).emit(HAT_EVENTS.sync, {}, (error: Error | null, response: HatAck<HatSnapshot>) => {
        if (!error && response.ok) accept(response.data);
      });
    };
    socket.on(HAT_EVENTS.snapshot, accept);
    socket.on("connect", sync);
    if (socket.connected) sync();
    return () => {
      socket.off(HAT_EVENTS.snapshot, accept);
      socket.off("connect", sync);
    };
  }, [socket, accept]);

  const emit = useCallback(
    <E extends keyof HatClientToServerEvents>(event: E, payload: Parameters<HatClientToServerEvents[E]>[0]) =>
      new Promise<HatAck<AckData<E>>>((resolve) => {
        if (!socket?.connected) {
          resolve({ ok: false, code: "internal", message: "Not connected. Waiting for the network…" });
          return;
        }
        socket.timeout(20_000).emit(event, payload, (error: Error | null, response: HatAck<AckData<E>>) => {
          if (error) return resolve({ ok: false, code: "internal", message: "The server did not answer in time. Try again." });
          const data = response.ok ? (response.data as { snapshot?: HatSnapshot }) : null;
          if (data && typeof data === "object" && data.snapshot) accept(data.snapshot);
          resolve(response);
        });
      }),
    [socket, accept],
  );

  return { snapshot, emit };
}

/**
 * Whether the hat should fill the screen: while its game runs, and after it finishes until the
 * host starts something else (a round with a different id than the one seen at the finish).
 */
export function useHatActive(snapshot: HatSnapshot | null, roundId: string | null): boolean {
  const [roundAtFinish, setRoundAtFinish] = useState<{ game: string; round: string | null } | null>(null);
  const game = snapshot?.game ?? null;
  useEffect(() => {
    if (game?.status === "finished" && roundAtFinish?.game !== game.id) setRoundAtFinish({ game: game.id, round: roundId });
  }, [game, roundId, roundAtFinish]);
  if (!game) return false;
  if (game.status === "running") return true;
  return roundAtFinish?.game === game.id && roundAtFinish.round === roundId;
}
