// The state of one live session, as the rules see it: who is in the room, the room's switches, the
// lesson plan's position, and which activity is on the screen. Plain data, rebuilt from the
// database on resume (session-records.ts). Each activity keeps its own state beside it.
import type { ActivityKind, SessionStatus } from "../../contract/protocol/session.ts";
import type { PlanBody } from "../../contract/protocol/lesson-plan.ts";

export interface SessionMeta {
  id: string;
  code: string;
  title: string;
  ownerId: string;
  model: { id: string; name: string; sha256: string };
  joinUrl: string;
  /** Drawn by the shell from joinUrl; not stored. */
  qrSvg: string;
  prompts: string[];
  /** The lesson plan this session follows, copied when the session was created; null without one. */
  plan: (PlanBody & { id: string }) | null;
  /** Most phones the room admits. */
  capacity: number;
  createdAt: number;
}

export interface ParticipantState {
  id: string;
  /** SHA-256 of the participant token; the token itself only ever lives on the phone. */
  tokenHash: string;
  nickname: string;
  /** nicknameKey(nickname), kept so duplicate checks do not normalize every name on every join. */
  nameKey: string;
  /** What the server changed about the typed name, told to the phone once ("You are Ben 2"). */
  nicknameNote: string | null;
  kicked: boolean;
  joinedAt: number;
  /** Open sockets; not stored, so 0 after a restart until phones reconnect. */
  connections: number;
}

export interface SessionState {
  seq: number;
  meta: SessionMeta;
  status: SessionStatus;
  locked: boolean;
  paused: boolean;
  /** The class sees who guesses most like the model (opt-in: some classes would rather not rank). */
  leaderboard: boolean;
  endedAt: number | null;
  /** A Map rather than an object: copy-on-write of a thousand entries is several times faster. */
  participants: ReadonlyMap<string, ParticipantState>;
  /** Join order, for stable lists. */
  participantOrder: string[];
  /** The activity on the screen. Its status comes from the activity's own state. */
  current: { kind: ActivityKind; id: string } | null;
  /** Index of the lesson-plan step started last; null before the first. */
  planStep: number | null;
}

export function newSessionState(meta: SessionMeta, seq: number): SessionState {
  return { seq, meta, status: "open", locked: false, paused: false, leaderboard: false, endedAt: null, participants: new Map(), participantOrder: [], current: null, planStep: null };
}

export function participantCount(state: SessionState): number {
  let n = 0;
  for (const p of state.participants.values()) if (!p.kicked) n++;
  return n;
}

export function connectedCount(state: SessionState): number {
  let n = 0;
  for (const p of state.participants.values()) if (!p.kicked && p.connections > 0) n++;
  return n;
}

/** Participants still in the room (not removed), in join order. */
export function presentIds(state: SessionState): string[] {
  return state.participantOrder.filter((id) => state.participants.get(id)?.kicked === false);
}
