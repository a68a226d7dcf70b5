// The session's store port: the session row and its participants. The persistence folder implements
// it on PGlite and PostgreSQL (server/db/session-rows.ts); memorySessionStore() is the fake.
import type { ParticipantRow, SessionListItem, SessionRow, StoredSession } from "./session-records.ts";

export type CreateSessionResult = { ok: true } | { ok: false; reason: "code_taken" };

export interface SessionStore {
  /** Refuses a code that any session, past or present, already has. */
  createSession(session: SessionRow): Promise<CreateSessionResult>;
  /** Writes the mutable fields: status, switches, current activity, plan step, end time. */
  updateSession(session: SessionRow): Promise<void>;
  /** Inserts new participants and updates the nickname and kicked flag of known ones, in one write. */
  upsertParticipants(participants: ParticipantRow[]): Promise<void>;
  loadSession(code: string): Promise<StoredSession | null>;
  /** Newest first; only the owner's when ownerId is given. */
  listSessions(ownerId?: string): Promise<SessionListItem[]>;
  /** Deletes the session and, by cascade, every row about its students (participants, votes, texts,
   * draws): the rows are gone, not hidden. */
  deleteSession(id: string): Promise<void>;
  /** Sessions created before the cutoff, oldest first (the retention purge). */
  sessionsCreatedBefore(cutoffMs: number, limit: number): Promise<{ id: string; code: string }[]>;
}

/** The same contract in memory; copies on the way in and out, as a database would. */
export function memorySessionStore(): SessionStore {
  const sessions = new Map<string, SessionRow>();
  const participants = new Map<string, ParticipantRow>();
  const copy = <T>(value: T): T => structuredClone(value);
  return {
    async createSession(session) {
      if (sessions.has(session.id) || [...sessions.values()].some((r) => r.code === session.code)) return { ok: false, reason: "code_taken" };
      sessions.set(session.id, copy(session));
      return { ok: true };
    },
    async updateSession(session) {
      const existing = sessions.get(session.id);
      if (!existing) throw new Error(`no session ${session.id}`);
      const { status, locked, paused, leaderboard, currentKind, currentId, planStep, endedAt, title } = copy(session);
      sessions.set(session.id, { ...existing, status, locked, paused, leaderboard, currentKind, currentId, planStep, endedAt, title });
    },
    async upsertParticipants(rows) {
      for (const p of rows) {
        if (!sessions.has(p.sessionId)) throw new Error(`no session ${p.sessionId}`);
        const existing = participants.get(p.id);
        if (!existing && [...participants.values()].some((q) => q.tokenHash === p.tokenHash)) throw new Error("duplicate token hash");
        participants.set(p.id, existing ? { ...existing, nickname: p.nickname, kicked: p.kicked } : copy(p));
      }
    },
    async loadSession(code) {
      const session = [...sessions.values()].find((r) => r.code === code);
      if (!session) return null;
      return copy({ session, participants: [...participants.values()].filter((p) => p.sessionId === session.id) });
    },
    async listSessions(ownerId) {
      return [...sessions.values()]
        .filter((r) => ownerId === undefined || r.ownerId === ownerId)
        .sort((a, b) => b.createdAt - a.createdAt)
        .map((r) => ({
          id: r.id,
          code: r.code,
          title: r.title,
          ownerId: r.ownerId,
          modelId: r.modelId,
          status: r.status,
          createdAt: r.createdAt,
          endedAt: r.endedAt,
          participantCount: [...participants.values()].filter((p) => p.sessionId === r.id).length,
        }));
    },
    async deleteSession(id) {
      sessions.delete(id);
      for (const [pid, p] of participants) if (p.sessionId === id) participants.delete(pid);
    },
    async sessionsCreatedBefore(cutoffMs, limit) {
      return [...sessions.values()]
        .filter((r) => r.createdAt < cutoffMs)
        .sort((a, b) => a.createdAt - b.createdAt)
        .slice(0, limit)
        .map((r) => ({ id: r.id, code: r.code }));
    },
  };
}
