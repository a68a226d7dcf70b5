// The session's own rules: joining, connections, the host's controls over people and the room.
// Pure: apply(state, command, ctx) → { state, effects, events } or an error code. `events` tell the
// activities what changed (host-machine.ts passes them on), so a kicked student's vote stops counting.
import { NICKNAME_MAX_GRAPHEMES, type ErrorCode } from "../../contract/protocol/session.ts";
import type { Effect, RuleContext, SessionEvent } from "./activity.ts";
import { cleanNickname, nicknameKey, uniqueNickname } from "./nickname.ts";
import { participantCount, type ParticipantState, type SessionState } from "./session-state.ts";

export type SessionOp = { kind: "session" } | { kind: "participant"; participant: ParticipantState };

export type SessionCommand =
  | { type: "join"; participantId: string; tokenHash: string; nickname: string }
  | { type: "connect"; participantId: string }
  | { type: "disconnect"; participantId: string }
  /**
   * Sockets each participant has open, as counted across every process (after a takeover, and now
   * and then); `before` is what this room believed when the count began.
   */
  | { type: "recount"; connections: Record<string, number>; before: Record<string, number> }
  | { type: "rename"; participantId: string; nickname: string }
  | { type: "kick"; participantIds: string[] }
  | { type: "setPaused"; paused: boolean }
  | { type: "setLocked"; locked: boolean }
  | { type: "setLeaderboard"; on: boolean }
  | { type: "end" };

export type SessionApplied = { ok: true; state: SessionState; effects: Effect<SessionOp>[]; events: SessionEvent[] } | { ok: false; code: ErrorCode };

const fail = (code: ErrorCode): SessionApplied => ({ ok: false, code });
const done = (state: SessionState, effects: Effect<SessionOp>[], events: SessionEvent[] = []): SessionApplied => ({ ok: true, state, effects, events });
const unchanged = (state: SessionState): SessionApplied => ({ ok: true, state, effects: [], events: [] });

export const persistSession: Effect<SessionOp> = { type: "persist", op: { kind: "session" } };
const persistParticipant = (participant: ParticipantState): Effect<SessionOp> => ({ type: "persist", op: { kind: "participant", participant } });
const everyone: Effect<SessionOp> = { type: "announce", audience: { to: "everyone" } };
const staff: Effect<SessionOp> = { type: "announce", audience: { to: "staff" } };
const counts: Effect<SessionOp> = { type: "counts" };

function withParticipant(state: SessionState, participant: ParticipantState): SessionState {
  return { ...state, participants: new Map(state.participants).set(participant.id, participant) };
}

function takenNames(state: SessionState, except?: string): Set<string> {
  const taken = new Set<string>();
  for (const p of state.participants.values()) if (!p.kicked && p.id !== except) taken.add(p.nameKey);
  return taken;
}

function noteFor(cleaned: { name: string; cut: boolean }, nickname: string): string | null {
  if (nickname !== cleaned.name) return `Someone already has that name, so you are “${nickname}”.`;
  if (cleaned.cut) return `Nicknames are at most ${NICKNAME_MAX_GRAPHEMES} characters, so you are “${nickname}”.`;
  return null;
}

function join(state: SessionState, cmd: Extract<SessionCommand, { type: "join" }>, ctx: RuleContext): SessionApplied {
  if (state.status === "ended") return fail("room_ended");
  if (state.locked) return fail("room_locked");
  if (state.participants.has(cmd.participantId)) return fail("already_joined");
  if (participantCount(state) >= state.meta.capacity) return fail("room_full");
  const cleaned = cleanNickname(cmd.nickname);
  if (!cleaned.name) return fail("nickname_empty");
  const nickname = uniqueNickname(cleaned.name, takenNames(state));
  const participant: ParticipantState = {
    id: cmd.participantId,
    tokenHash: cmd.tokenHash,
    nickname,
    nameKey: nicknameKey(nickname),
    nicknameNote: noteFor(cleaned, nickname),
    kicked: false,
    joinedAt: ctx.now,
    connections: 1,
  };
  const next = { ...withParticipant(state, participant), participantOrder: [...state.participantOrder, participant.id] };
  return done(next, [persistParticipant(participant), { type: "announce", audience: { to: "participant", participantId: participant.id } }, staff, counts], [
    { type: "joined", participantId: participant.id },
  ]);
}

function connection(state: SessionState, participantId: string, delta: 1 | -1): SessionApplied {
  const p = state.participants.get(participantId);
  if (!p) return fail("participant_unknown");
  if (p.kicked) return delta === 1 ? fail("kicked") : unchanged(state);
  return done(withParticipant(state, { ...p, connections: Math.max(0, p.connections + delta) }), [staff, counts]);
}

function rename(state: SessionState, participantId: string, nickname: string): SessionApplied {
  const p = state.participants.get(participantId);
  if (!p || p.kicked) return fail("participant_not_found");
  const cleaned = cleanNickname(nickname);
  if (!cleaned.name) return fail("nickname_empty");
  // The host chose this name on purpose: a clash is refused rather than quietly turned into "Ben 2".
  if (takenNames(state, p.id).has(nicknameKey(cleaned.name))) return fail("nickname_taken");
  const renamed = { ...p, nickname: cleaned.name, nameKey: nicknameKey(cleaned.name), nicknameNote: `The host renamed you to “${cleaned.name}”.` };
  return done(withParticipant(state, renamed), [persistParticipant(renamed), { type: "announce", audience: { to: "participant", participantId } }, staff]);
}

function kick(state: SessionState, participantIds: string[]): SessionApplied {
  let next = state;
  const effects: Effect<SessionOp>[] = [];
  const events: SessionEvent[] = [];
  for (const id of new Set(participantIds)) {
    const p = next.participants.get(id);
    if (!p) return fail("participant_not_found");
    if (p.kicked) continue;
    const kicked = { ...p, kicked: true, connections: 0 };
    next = withParticipant(next, kicked);
    effects.push(persistParticipant(kicked), { type: "disconnect", participantId: id });
    events.push({ type: "kicked", participantId: id });
  }
  if (events.length === 0) return unchanged(state);
  return done(next, [...effects, everyone, counts], events);
}
function recount(state: SessionState, counted: Record<string, number>, before: Record<string, number>): SessionApplied {
  let participants: Map<string, ParticipantState> | null = null;
  const found: Effect<SessionOp>[] = [];
  for (const p of state.participants.values()) {
    // A phone that joined, came or went while the count was under way: what the room heard since is newer.
    if (!p.kicked && p.connections !== (before[p.id] ?? 0)) continue;
    const connections = p.kicked ? 0 : (counted[p.id] ?? 0);
    if (connections === p.connections) continue;
    (participants ??= new Map(state.participants)).set(p.id, { ...p, connections });
    // Snapshots to everyone skip phones counted as gone, so one found again gets the room as it is.
    if (p.connections === 0) found.push({ type: "announce", audience: { to: "participant", participantId: p.id } });
  }
  return participants ? done({ ...state, participants }, [staff, counts, ...found]) : unchanged(state);
}

export function applySession(state: SessionState, command: SessionCommand, ctx: RuleContext): SessionApplied {
  switch (command.type) {
    case "join":
      return join(state, command, ctx);
    case "connect":
      return connection(state, command.participantId, 1);
    case "disconnect":
      return connection(state, command.participantId, -1);
    case "recount":
      return recount(state, command.connections, command.before);
    case "rename":
      return rename(state, command.participantId, command.nickname);
    case "kick":
      return kick(state, command.participantIds);
    case "setPaused":
      if (state.status === "ended") return fail("room_ended");
      if (state.paused === command.paused) return unchanged(state);
      return done({ ...state, paused: command.paused }, [persistSession, everyone], [{ type: command.paused ? "paused" : "resumed" }]);
    case "setLeaderboard":
      if (state.status === "ended") return fail("room_ended");
      if (state.leaderboard === command.on) return unchanged(state);
      return done({ ...state, leaderboard: command.on }, [persistSession, everyone]);
    case "setLocked":
      if (state.status === "ended") return fail("room_ended");
      if (state.locked === command.locked) return unchanged(state);
      return done({ ...state, locked: command.locked }, [persistSession, everyone]);
    case "end":
      if (state.status === "ended") return fail("room_ended");
      return done({ ...state, status: "ended", endedAt: ctx.now }, [persistSession, everyone], [{ type: "ended" }]);
  }
}
