// The stored form of a session (the rows the SessionStore writes and reads) and the conversions
// between them and the live SessionState. Times are epoch milliseconds here.
import type { ActivityKind } from "../../contract/protocol/activities.ts";
import type { PlanBody } from "../../contract/protocol/lesson-plan.ts";
import type { SessionStatus } from "../../contract/protocol/session.ts";
import { nicknameKey } from "./nickname.ts";
import type { ParticipantState, SessionMeta, SessionState } from "./session-state.ts";

export interface SessionRow {
  id: string;
  code: string;
  title: string;
  ownerId: string;
  modelId: string;
  modelName: string;
  modelSha256: string;
  joinUrl: string;
  prompts: string[];
  plan: (PlanBody & { id: string }) | null;
  planStep: number | null;
  capacity: number;
  status: SessionStatus;
  locked: boolean;
  paused: boolean;
  leaderboard: boolean;
  currentKind: ActivityKind | null;
  currentId: string | null;
  createdAt: number;
  endedAt: number | null;
}

export interface ParticipantRow {
  id: string;
  sessionId: string;
  tokenHash: string;
  nickname: string;
  kicked: boolean;
  joinedAt: number;
}

export interface StoredSession {
  session: SessionRow;
  participants: ParticipantRow[];
}

export interface SessionListItem {
  id: string;
  code: string;
  title: string;
  ownerId: string;
  modelId: string;
  status: SessionStatus;
  createdAt: number;
  endedAt: number | null;
  participantCount: number;
}

export function sessionRowOf(state: SessionState): SessionRow {
  const { meta } = state;
  return {
    id: meta.id,
    code: meta.code,
    title: meta.title,
    ownerId: meta.ownerId,
    modelId: meta.model.id,
    modelName: meta.model.name,
    modelSha256: meta.model.sha256,
    joinUrl: meta.joinUrl,
    prompts: meta.prompts,
    plan: meta.plan,
    planStep: state.planStep,
    capacity: meta.capacity,
    status: state.status,
    locked: state.locked,
    paused: state.paused,
    leaderboard: state.leaderboard,
    currentKind: state.current?.kind ?? null,
    currentId: state.current?.id ?? null,
    createdAt: meta.createdAt,
    endedAt: state.endedAt,
  };
}

export function participantRowOf(sessionId: string, p: ParticipantState): ParticipantRow {
  return { id: p.id, sessionId, tokenHash: p.tokenHash, nickname: p.nickname, kicked: p.kicked, joinedAt: p.joinedAt };
}

/**
 * Rebuilds the live state from the database, after a restart or for a session not in memory.
 * `seq` must exceed any seq the old process sent (the host uses the time in µs).
 */
export function sessionStateFromStored(stored: StoredSession, qrSvg: string, seq: number): SessionState {
  const row = stored.session;
  const meta: SessionMeta = {
    id: row.id,
    code: row.code,
    title: row.title,
    ownerId: row.ownerId,
    model: { id: row.modelId, name: row.modelName, sha256: row.modelSha256 },
    joinUrl: row.joinUrl,
    qrSvg,
    prompts: row.prompts,
    plan: row.plan,
    capacity: row.capacity,
    createdAt: row.createdAt,
  };
  const participants = new Map<string, ParticipantState>();
  const order = [...stored.participants].sort((a, b) => a.joinedAt - b.joinedAt || a.id.localeCompare(b.id));
  for (const p of order) {
    participants.set(p.id, { id: p.id, tokenHash: p.tokenHash, nickname: p.nickname, nameKey: nicknameKey(p.nickname), nicknameNote: null, kicked: p.kicked, joinedAt: p.joinedAt, connections: 0 });
  }
  return {
    seq,
    meta,
    status: row.status,
    locked: row.locked,
    paused: row.paused,
    leaderboard: row.leaderboard,
    endedAt: row.endedAt,
    participants,
    participantOrder: order.map((p) => p.id),
    current: row.currentKind && row.currentId ? { kind: row.currentKind, id: row.currentId } : null,
    planStep: row.planStep,
  };
}
