"use client";
// One live connection to a session, for any role. Keeps the newest snapshot (by seq), applies count
// deltas, reconnects by itself, and turns every emit into a promise of an Ack.
import { useCallback, useEffect, useRef, useState } from "react";
import { io, type Socket } from "socket.io-client";
import {
  PROTOCOL_VERSION,
  SESSION_EVENTS,
  SESSION_NAMESPACE,
  type Ack,
  type ErrorCode,
  type HandshakeErrorData,
  type Role,
  type SessionCounts,
  type SessionSnapshot,
} from "@/contract/protocol/session";

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

/** How long an emit waits for its ack: long enough for a model call on a busy laptop. */
const ACK_TIMEOUT_MS = 20_000;

export interface SessionConnection<S extends SessionSnapshot> {
  snapshot: S | null;
  counts: SessionCounts | null;
  connection: ConnectionState;
  /** Why the server refused the connection or removed this phone. */
  refusal: { code: ErrorCode; message: string } | null;
  /** Sends an event and resolves with its ack; a snapshot in the ack is applied at once. */
  emit<T = unknown>(event: string, payload?: unknown): Promise<Ack<T>>;
}

export function useSession<S extends SessionSnapshot>(code: string, role: Role): SessionConnection<S> {
  const [snapshot, setSnapshot] = useState<S | null>(null);
  const [counts, setCounts] = useState<SessionCounts | null>(null);
  const [connection, setConnection] = useState<ConnectionState>("connecting");
  const [refusal, setRefusal] = useState<{ code: ErrorCode; message: string } | null>(null);
  const socketRef = useRef<Socket | null>(null);
  const seqRef = useRef(-1);

  const accept = useCallback((next: S) => {
    if (next.seq < seqRef.current) return;
    seqRef.current = next.seq;
    setSnapshot(next);
  }, []);

  useEffect(() => {
    const socket = io(SESSION_NAMESPACE, {
      // Read on every (re)connect, so a phone that joined comes back as the same participant.
      auth: (send) => {
        const token = role === "player" ? storedParticipantToken(code) : null;
        send({ protocolVersion: PROTOCOL_VERSION, code, role, ...(token ? { participantToken: token } : {}) });
      },
      transports: ["websocket", "polling"],
      reconnectionDelayMax: 4000,
    });
    socketRef.current = socket;
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
    socket.on(SESSION_EVENTS.snapshot, (next: S) => accept(next));
    socket.on(SESSION_EVENTS.counts, (next: SessionCounts) => {
      if (next.seq >= seqRef.current) setCounts(next);
    });
    socket.on(SESSION_EVENTS.kicked, (info: { code: ErrorCode; message: string }) => {
      storeParticipantToken(code, null);
      setRefusal(info);
      setConnection("refused");
    });
    return () => {
      socket.removeAllListeners();
      socket.disconnect();
    };
  }, [code, role, accept]);

  const emit = useCallback(
    <T>(event: string, payload: unknown = {}) =>
      new Promise<Ack<T>>((resolve) => {
        const socket = socketRef.current;
        if (!socket?.connected) return resolve({ ok: false, code: "internal", message: "Not connected. Waiting for the network…" });
        socket.timeout(ACK_TIMEOUT_MS).emit(event, payload, (error: Error | null, response: Ack<T>) => {
          if (error) return resolve({ ok: false, code: "internal", message: "The server did not answer in time. Try again." });
          const data = response.ok ? (response.data as { snapshot?: S } | null) : null;
          if (data && typeof data === "object" && data.snapshot) accept(data.snapshot);
          resolve(response);
        });
      }),
    [accept],
  );

  return { snapshot, counts, connection, refusal, emit };
}

/** The counts message if it is newer than the snapshot, for live numbers between snapshots. */
export function liveCounts(snapshot: SessionSnapshot, counts: SessionCounts | null) {
  const fresh = counts && counts.seq >= snapshot.seq ? counts : null;
  const activityCounts = fresh?.activity && fresh.activity.id === snapshot.activity?.id ? fresh.activity.counts : null;
  return {
    participants: fresh ? fresh.participantCount : snapshot.session.participantCount,
    connected: fresh ? fresh.connectedCount : snapshot.session.connectedCount,
    activity: activityCounts,
  };
}
