"use client";
// One live connection to a room, for any role. Keeps the newest snapshot (by seq), applies count
// deltas, reconnects by itself, and turns every emit into a promise of an Ack.
import { useCallback, useEffect, useRef, useState } from "react";
import { io, type Socket } from "socket.io-client";
import {
  PROTOCOL_VERSION,
  ROOM_EVENTS,
  ROOMS_NAMESPACE,
  roomErrorText,
  type Ack,
  type ClientToServerEvents,
  type HandshakeErrorData,
  type RoomCounts,
  type RoomErrorCode,
  type RoomRole,
  type RoomSnapshot,
  type ServerToClientEvents,
} from "@/server/protocol/room-protocol";

type RoomSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
export type ConnectionState = "connecting" | "online" | "offline" | "refused";

const tokenKey = (code: string) => `token-hat:participant:${code}`;

export function storedParticipantToken(code: string): string | null {
  try {
    return localStorage.getItem(tokenKey(code));
  } catch {
    return null;
  }
}

export function storeParticipantToken(code: string, token: string | null): void {
  try {
    if (token) localStorage.setItem(tokenKey(code), token);
    else localStorage.removeItem(tokenKey(code));
  } catch {
    // Private mode without storage: the phone keeps its place only while the tab stays open.
  }
}

export interface RoomConnection<S extends RoomSnapshot> {
  snapshot: S | null;
  counts: RoomCounts | null;
  connection: ConnectionState;
  /** Why the server refused the connection or removed this phone. */
  refusal: { code: RoomErrorCode; message: string } | null;
  emit<E extends keyof ClientToServerEvents>(event: E, payload: Parameters<ClientToServerEvents[E]>[0]): Promise<Ack<AckData<E>>>;
  /** The live socket, for activities that share the room's connection (the hat game). */
  socket: Socket | null;
}

type AckData<E extends keyof ClientToServerEvents> = Parameters<Parameters<ClientToServerEvents[E]>[1]>[0] extends Ack<infer T> ? T : never;

export function useRoom<S extends RoomSnapshot>(code: string, role: RoomRole): RoomConnection<S> {
  const [snapshot, setSnapshot] = useState<S | null>(null);
  const [counts, setCounts] = useState<RoomCounts | null>(null);
  const [connection, setConnection] = useState<ConnectionState>("connecting");
  const [refusal, setRefusal] = useState<{ code: RoomErrorCode; message: string } | null>(null);
  const socketRef = useRef<RoomSocket | null>(null);
  const [socketState, setSocketState] = useState<RoomSocket | null>(null);
  const seqRef = useRef(-1);

  useEffect(() => {
    const socket: RoomSocket = io(ROOMS_NAMESPACE, {
      // Read on every (re)connect, so a phone that joined comes back as the same participant.
      auth: (send) => {
        const token = role === "player" ? storedParticipantToken(code) : null;
        send({ protocolVersion: PROTOCOL_VERSION, code, role, ...(token ? { participantToken: token } : {}) });
      },
      transports: ["websocket", "polling"],
      reconnectionDelayMax: 4000,
    });
    socketRef.current = socket;
    setSocketState(socket);
    seqRef.current = -1;
    socket.on("connect", () => {
      setConnection("online");
      setRefusal(null);
    });
    socket.on("disconnect", () => setConnection("offline"));
    socket.on("connect_error", (error: Error & { data?: HandshakeErrorData }) => {
      if (error.data?.code) {
        // A refusal with a code is final (bad room, kicked, not host): stop retrying.
        setRefusal({ code: error.data.code, message: error.data.message });
        setConnection("refused");
        if (role === "player" && (error.data.code === "participant_unknown" || error.data.code === "kicked")) storeParticipantToken(code, null);
      } else setConnection("offline");
    });
    socket.on(ROOM_EVENTS.snapshot, (next) => {
      if (next.seq < seqRef.current) return;
      seqRef.current = next.seq;
      setSnapshot(next as S);
    });
    socket.on(ROOM_EVENTS.counts, (next) => {
      if (next.seq < seqRef.current) return;
      setCounts(next);
    });
    socket.on(ROOM_EVENTS.kicked, (info) => {
      storeParticipantToken(code, null);
      setRefusal({ code: info.code, message: info.message });
      setConnection("refused");
    });
    return () => {
      socket.removeAllListeners();
      socket.disconnect();
    };
  }, [code, role]);

  const emit = useCallback(<E extends keyof ClientToServerEvents>(event: E, payload: Parameters<ClientToServerEvents[E]>[0]) => {
    return new Promise<Ack<AckData<E>>>((resolve) => {
      const socket = socketRef.current;
      if (!socket || !socket.connected) {
        resolve({ ok: false, code: "internal", message: "Not connected. Waiting for the network…" });
        return;
      }
      const emitter = socket.timeout(15_000) as unknown as {
        emit(event: string, payload: unknown, ack: (error: Error | null, response: Ack<AckData<E>>) => void): void;
      };
      emitter.emit(event, payload, (error, response) => {
        if (error) resolve({ ok: false, code: "internal", message: "The server did not answer in time. Try again." });
        else {
          if (response.ok && response.data && typeof response.data === "object" && "snapshot" in response.data) {
            const next = (response.data as { snapshot: S }).snapshot;
            if (next.seq >= seqRef.current) {
              seqRef.current = next.seq;
              setSnapshot(next);
            }
          }
          resolve(response);
        }
      });
    });
  }, []);

  return { snapshot, counts, connection, refusal, emit, socket: socketState as Socket | null };
}

export const errorText = (code: RoomErrorCode) => roomErrorText[code];
