// The stored form of a room (rows the RoomStore writes and reads) and the conversions between it
// and the live RoomState. Times are epoch milliseconds here; the store maps them to timestamps.
import type { RoomPhase, RoundKind, RoundStatus, TokenView } from "../protocol/room-protocol.ts";
import { nicknameKey } from "./nickname.ts";
import type { ParticipantState, RoomMeta, RoomState, RoundState, ThreadState, VoteState } from "./room-state.ts";

export interface RoomRow {
  id: string;
  code: string;
  title: string;
  ownerId: string;
  modelId: string;
  modelName: string;
  modelSha256: string;
  joinUrl: string;
  prompts: string[];
  phase: RoomPhase;
  locked: boolean;
  paused: boolean;
  threads: ThreadState[];
  createdAt: number;
  endedAt: number | null;
}

export interface ParticipantRow {
  id: string;
  roomId: string;
  tokenHash: string;
  nickname: string;
  kicked: boolean;
  joinedAt: number;
}

/** The parts of a round kept as one JSON document next to its columns. */
export type RoundData = Omit<RoundState, "id" | "number" | "kind" | "status" | "prompt" | "startedAt" | "closedAt" | "votes" | "picking">;

export interface RoundRow {
  id: string;
  roomId: string;
  number: number;
  kind: RoundKind;
  status: RoundStatus;
  prompt: string;
  modelId: string;
  data: RoundData;
  startedAt: number;
  closedAt: number | null;
}

/** One vote as cast; a changed vote is a second row, and the latest per participant counts. */
export interface VoteRow {
  roomId: string;
  roundId: string;
  participantId: string;
  guess: string;
  mapped: string;
  leadingSpaceAdded: boolean;
  tokens: TokenView[];
  tokenId: number;
  tokenText: string;
  p: number;
  rank: number;
  at: number;
}

export interface StoredRoom {
  room: RoomRow;
  participants: ParticipantRow[];
  rounds: RoundRow[];
  /** In cast order. loadRoom returns only the votes of rounds still open; loadReview returns all. */
  votes: VoteRow[];
}

export interface RoomListItem {
  id: string;
  code: string;
  title: string;
  ownerId: string;
  modelId: string;
  phase: RoomPhase;
  createdAt: number;
  endedAt: number | null;
  participantCount: number;
  roundCount: number;
}

export function roomRowOf(state: RoomState): RoomRow {
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
    phase: state.phase,
    locked: state.locked,
    paused: state.paused,
    threads: state.threads,
    createdAt: meta.createdAt,
    endedAt: state.endedAt,
  };
}

export function participantRowOf(roomId: string, p: ParticipantState): ParticipantRow {
  return { id: p.id, roomId, tokenHash: p.tokenHash, nickname: p.nickname, kicked: p.kicked, joinedAt: p.joinedAt };
}

export function roundRowOf(roomId: string, round: RoundState): RoundRow {
  const { id, number, kind, status, prompt, startedAt, closedAt, votes: _votes, picking: _picking, ...data } = round;
  return { id, roomId, number, kind, status, prompt, modelId: round.request.model, data, startedAt, closedAt };
}

export function voteRowOf(roomId: string, roundId: string, v: VoteState): VoteRow {
  return {
    roomId,
    roundId,
    participantId: v.participantId,
    guess: v.guess,
    mapped: v.mapped,
    leadingSpaceAdded: v.leadingSpaceAdded,
    tokens: v.tokens,
    tokenId: v.tokenId,
    tokenText: v.tokenText,
    p: v.p,
    rank: v.rank,
    at: v.at,
  };
}

export function voteStateOf(row: VoteRow): VoteState {
  return {
    participantId: row.participantId,
    guess: row.guess,
    mapped: row.mapped,
    leadingSpaceAdded: row.leadingSpaceAdded,
    tokens: row.tokens,
    explanation: "",
    tokenId: row.tokenId,
    tokenText: row.tokenText,
    p: row.p,
    rank: row.rank,
    at: row.at,
  };
}

/**
 * Rebuilds the live state from the database, after a restart or for a room not in memory.
 * `seqBase` must exceed any seq the old process sent (the shell uses the time in µs).
 */
export function stateFromStored(stored: StoredRoom, qrSvg: string, seqBase = 0): RoomState {
  const { room } = stored;
  const meta: RoomMeta = {
    id: room.id,
    code: room.code,
    title: room.title,
    ownerId: room.ownerId,
    model: { id: room.modelId, name: room.modelName, sha256: room.modelSha256 },
    joinUrl: room.joinUrl,
    qrSvg,
    prompts: room.prompts,
    createdAt: room.createdAt,
  };
  const participants = new Map<string, ParticipantState>();
  const order = [...stored.participants].sort((a, b) => a.joinedAt - b.joinedAt || a.id.localeCompare(b.id));
  for (const p of order) {
    participants.set(p.id, { id: p.id, tokenHash: p.tokenHash, nickname: p.nickname, nameKey: nicknameKey(p.nickname), kicked: p.kicked, joinedAt: p.joinedAt, connections: 0, totalLossBits: 0, roundsScored: 0 });
  }
  const rounds: RoundState[] = [...stored.rounds]
    .sort((a, b) => a.number - b.number)
    .map((r) => ({ ...r.data, id: r.id, number: r.number, kind: r.kind, status: r.status, prompt: r.prompt, startedAt: r.startedAt, closedAt: r.closedAt, votes: new Map<string, VoteState>(), picking: false }));
  // Scores are not stored twice: they are the sum of each revealed round's personal results.
  for (const round of rounds) {
    for (const [pid, result] of Object.entries(round.results ?? {})) {
      const p = participants.get(pid);
      if (p) participants.set(pid, { ...p, totalLossBits: p.totalLossBits + result.surpriseBits, roundsScored: p.roundsScored + 1 });
    }
  }
  const byId = new Map(rounds.map((r) => [r.id, r]));
  for (const row of stored.votes) {
    const round = byId.get(row.roundId);
    if (round?.status === "voting" && participants.get(row.participantId)?.kicked === false) (round.votes as Map<string, VoteState>).set(row.participantId, voteStateOf(row));
  }
  return {
    seq: seqBase,
    meta,
    phase: room.phase,
    locked: room.locked,
    paused: room.paused,
    endedAt: room.endedAt,
    participants,
    participantOrder: order.map((p) => p.id),
    rounds,
    threads: room.threads,
  };
}
