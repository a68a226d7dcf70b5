// Rooms, participants, rounds and votes: the RoomStore port, its Prisma implementation (PGlite and
// PostgreSQL) and an in-memory one for fast tests. tests/integration/rooms/room-store.contract.test.ts
// runs one contract against all three.
import type { ParticipantRow, RoomListItem, RoomRow, RoundData, RoundRow, StoredRoom, VoteRow } from "../rooms/room-records.ts";
import type { RoomPhase, RoundKind, RoundStatus, TokenView } from "../protocol/room-protocol.ts";
import type { Prisma, PrismaClient } from "./generated/client.ts";

export type CreateRoomResult = { ok: true } | { ok: false; reason: "code_taken" };

export interface RoomStore {
  /** Refuses a code that any room, past or present, already has. */
  createRoom(room: RoomRow): Promise<CreateRoomResult>;
  /** Writes the room's mutable fields: phase, flags, threads, end time. */
  updateRoom(room: RoomRow): Promise<void>;
  /** Inserts new participants and updates the nickname and kicked flag of known ones, in one write. */
  upsertParticipants(participants: ParticipantRow[]): Promise<void>;
  upsertRound(round: RoundRow): Promise<void>;
  /** Appends votes in one write; the order given is the order they were cast. */
  addVotes(votes: VoteRow[]): Promise<void>;
  /** What a live room needs: everything but the votes of rounds that are no longer open. */
  loadRoom(code: string): Promise<StoredRoom | null>;
  /** Everything, for review and export. */
  loadReview(code: string): Promise<StoredRoom | null>;
  listRooms(): Promise<RoomListItem[]>;
}

const json = (value: unknown) => value as Prisma.InputJsonValue;
const ms = (d: Date) => d.getTime();
const msOrNull = (d: Date | null) => (d ? d.getTime() : null);

function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && "code" in error && (error as { code: unknown }).code === "P2002";
}

type RoomModel = Prisma.RoomGetPayload<object>;
type ParticipantModel = Prisma.RoomParticipantGetPayload<object>;
type RoundModel = Prisma.RoundGetPayload<object>;
type VoteModel = Prisma.VoteGetPayload<{ include: { round: { select: { roomId: true } } } }>;

const roomFrom = (r: RoomModel): RoomRow => ({
  id: r.id,
  code: r.code,
  title: r.title,
  ownerId: r.ownerId,
  modelId: r.modelId,
  modelName: r.modelName,
  modelSha256: r.modelSha256,
  joinUrl: r.joinUrl,
  prompts: r.prompts as string[],
  phase: r.phase as RoomPhase,
  locked: r.locked,
  paused: r.paused,
  threads: r.threads as unknown as RoomRow["threads"],
  createdAt: ms(r.createdAt),
  endedAt: msOrNull(r.endedAt),
});

const participantFrom = (p: ParticipantModel): ParticipantRow => ({
  id: p.id,
  roomId: p.roomId,
  tokenHash: p.tokenHash,
  nickname: p.nickname,
  kicked: p.kicked,
  joinedAt: ms(p.joinedAt),
});

const roundFrom = (r: RoundModel): RoundRow => ({
  id: r.id,
  roomId: r.roomId,
  number: r.number,
  kind: r.kind as RoundKind,
  status: r.status as RoundStatus,
  prompt: r.prompt,
  modelId: r.modelId,
  data: r.data as unknown as RoundData,
  startedAt: ms(r.startedAt),
  closedAt: msOrNull(r.closedAt),
});

const voteFrom = (v: VoteModel): VoteRow => ({
  roomId: v.round.roomId,
  roundId: v.roundId,
  participantId: v.participantId,
  guess: v.guess,
  mapped: v.mapped,
  leadingSpaceAdded: v.leadingSpaceAdded,
  tokens: v.tokens as unknown as TokenView[],
  tokenId: v.tokenId,
  tokenText: v.tokenText,
  p: v.p,
  rank: v.rank,
  at: ms(v.castAt),
});

function roomData(room: RoomRow) {
  return {
    title: room.title,
    phase: room.phase,
    locked: room.locked,
    paused: room.paused,
    threads: json(room.threads),
    prompts: json(room.prompts),
    endedAt: room.endedAt === null ? null : new Date(room.endedAt),
  };
}

/** A batch may name one participant twice (join, then rename); the last row wins. */
function lastPerId(rows: ParticipantRow[]): ParticipantRow[] {
  return [...new Map(rows.map((r) => [r.id, r])).values()];
}

export function createRoomStore(prisma: PrismaClient): RoomStore {
  async function load(code: string, allVotes: boolean): Promise<StoredRoom | null> {
    const room = await prisma.room.findUnique({ where: { code }, include: { participants: true, rounds: true } });
    if (!room) return null;
    const votes = await prisma.vote.findMany({
      where: { round: allVotes ? { roomId: room.id } : { roomId: room.id, status: "voting" } },
      include: { round: { select: { roomId: true } } },
      orderBy: { id: "asc" },
    });
    return { room: roomFrom(room), participants: room.participants.map(participantFrom), rounds: room.rounds.map(roundFrom), votes: votes.map(voteFrom) };
  }

  return {
    async createRoom(room) {
      try {
        await prisma.room.create({
          data: {
            ...roomData(room),
            id: room.id,
            code: room.code,
            ownerId: room.ownerId,
            modelId: room.modelId,
            modelName: room.modelName,
            modelSha256: room.modelSha256,
            joinUrl: room.joinUrl,
            createdAt: new Date(room.createdAt),
          },
        });
        return { ok: true };
      } catch (error) {
        if (isUniqueViolation(error)) return { ok: false, reason: "code_taken" };
        throw error;
      }
    },

    async updateRoom(room) {
      await prisma.room.update({ where: { id: room.id }, data: roomData(room) });
    },

    async upsertParticipants(rows) {
      if (rows.length === 0) return;
      // One statement for a batch (a class joining at once); the token hash never changes after insert.
      await prisma.$executeRawUnsafe(
        `INSERT INTO "RoomParticipant" ("id", "roomId", "tokenHash", "nickname", "kicked", "joinedAt")
         SELECT x."id", x."roomId", x."tokenHash", x."nickname", x."kicked", to_timestamp(x."joinedAt" / 1000.0) AT TIME ZONE 'UTC'
         FROM jsonb_to_recordset($1::jsonb) AS x("id" text, "roomId" text, "tokenHash" text, "nickname" text, "kicked" boolean, "joinedAt" float8)
         ON CONFLICT ("id") DO UPDATE SET "nickname" = EXCLUDED."nickname", "kicked" = EXCLUDED."kicked"`,
        JSON.stringify(lastPerId(rows)),
      );
    },

    async upsertRound(round) {
      // A revealed round carries every student's result (~100 KB at 1,000 students); Prisma takes
      // hundreds of milliseconds to build that JSON into a query, the database a few.
      await prisma.$executeRawUnsafe(
        `INSERT INTO "Round" ("id", "roomId", "number", "kind", "status", "prompt", "modelId", "data", "startedAt", "closedAt")
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, to_timestamp($9::float8 / 1000.0) AT TIME ZONE 'UTC',
                 to_timestamp($10::float8 / 1000.0) AT TIME ZONE 'UTC')
         ON CONFLICT ("id") DO UPDATE SET "status" = EXCLUDED."status", "prompt" = EXCLUDED."prompt", "modelId" = EXCLUDED."modelId",
           "data" = EXCLUDED."data", "startedAt" = EXCLUDED."startedAt", "closedAt" = EXCLUDED."closedAt"`,
        round.id,
        round.roomId,
        round.number,
        round.kind,
        round.status,
        round.prompt,
        round.modelId,
        JSON.stringify(round.data),
        round.startedAt,
        round.closedAt,
      );
    },

    async addVotes(votes) {
      if (votes.length === 0) return;
      // Prisma's createMany costs milliseconds per row to build; one JSON parameter expanded by the
      // database is several times faster, which keeps a thousand-vote burst within its ack budget.
      await prisma.$executeRawUnsafe(
        `INSERT INTO "Vote" ("roundId", "participantId", "guess", "mapped", "leadingSpaceAdded", "tokens", "tokenId", "tokenText", "p", "rank", "castAt")
         SELECT x."roundId", x."participantId", x."guess", x."mapped", x."leadingSpaceAdded", x."tokens", x."tokenId", x."tokenText", x."p", x."rank",
                to_timestamp(x."at" / 1000.0) AT TIME ZONE 'UTC'
         FROM jsonb_to_recordset($1::jsonb) AS x("roundId" text, "participantId" text, "guess" text, "mapped" text, "leadingSpaceAdded" boolean,
              "tokens" jsonb, "tokenId" int, "tokenText" text, "p" float8, "rank" int, "at" float8)`,
        JSON.stringify(votes),
      );
    },

    loadRoom: (code) => load(code, false),
    loadReview: (code) => load(code, true),

    async listRooms() {
      const rooms = await prisma.room.findMany({
        orderBy: { createdAt: "desc" },
        take: 500,
        include: { _count: { select: { participants: true, rounds: true } } },
      });
      return rooms.map((r) => ({
        id: r.id,
        code: r.code,
        title: r.title,
        ownerId: r.ownerId,
        modelId: r.modelId,
        phase: r.phase as RoomPhase,
        createdAt: ms(r.createdAt),
        endedAt: msOrNull(r.endedAt),
        participantCount: r._count.participants,
        roundCount: r._count.rounds,
      }));
    },
  };
}

/** The same contract in memory; copies on the way in and out, as a database would. */
export function createMemoryRoomStore(): RoomStore {
  const rooms = new Map<string, RoomRow>();
  const participants = new Map<string, ParticipantRow>();
  const rounds = new Map<string, RoundRow>();
  const votes: VoteRow[] = [];
  const copy = <T>(value: T): T => structuredClone(value);

  function load(code: string, allVotes: boolean): StoredRoom | null {
    const room = [...rooms.values()].find((r) => r.code === code);
    if (!room) return null;
    const roomRounds = [...rounds.values()].filter((r) => r.roomId === room.id);
    const open = new Set(roomRounds.filter((r) => allVotes || r.status === "voting").map((r) => r.id));
    return copy({
      room,
      participants: [...participants.values()].filter((p) => p.roomId === room.id),
      rounds: roomRounds,
      votes: votes.filter((v) => open.has(v.roundId)),
    });
  }

  return {
    async createRoom(room) {
      if (rooms.has(room.id) || [...rooms.values()].some((r) => r.code === room.code)) return { ok: false, reason: "code_taken" };
      rooms.set(room.id, copy(room));
      return { ok: true };
    },
    async updateRoom(room) {
      const existing = rooms.get(room.id);
      if (!existing) throw new Error(`no room ${room.id}`);
      const { title, phase, locked, paused, threads, prompts, endedAt } = copy(room);
      rooms.set(room.id, { ...existing, title, phase, locked, paused, threads, prompts, endedAt });
    },
    async upsertParticipants(rows) {
      for (const p of rows) {
        if (!rooms.has(p.roomId)) throw new Error(`no room ${p.roomId}`);
        const existing = participants.get(p.id);
        if (!existing && [...participants.values()].some((q) => q.tokenHash === p.tokenHash)) throw new Error("duplicate token hash");
        participants.set(p.id, existing ? { ...existing, nickname: p.nickname, kicked: p.kicked } : copy(p));
      }
    },
    async upsertRound(round) {
      if (!rooms.has(round.roomId)) throw new Error(`no room ${round.roomId}`);
      const clash = [...rounds.values()].find((r) => r.roomId === round.roomId && r.number === round.number && r.id !== round.id);
      if (clash) throw new Error("duplicate round number");
      const existing = rounds.get(round.id);
      rounds.set(round.id, existing ? { ...copy(round), roomId: existing.roomId, number: existing.number, kind: existing.kind } : copy(round));
    },
    async addVotes(batch) {
      for (const v of batch) {
        if (!rounds.has(v.roundId) || !participants.has(v.participantId)) throw new Error("vote for unknown round or participant");
      }
      votes.push(...copy(batch));
    },
    loadRoom: async (code) => load(code, false),
    loadReview: async (code) => load(code, true),
    async listRooms() {
      return [...rooms.values()]
        .sort((a, b) => b.createdAt - a.createdAt)
        .map((r) => ({
          id: r.id,
          code: r.code,
          title: r.title,
          ownerId: r.ownerId,
          modelId: r.modelId,
          phase: r.phase,
          createdAt: r.createdAt,
          endedAt: r.endedAt,
          participantCount: [...participants.values()].filter((p) => p.roomId === r.id).length,
          roundCount: [...rounds.values()].filter((x) => x.roomId === r.id).length,
        }));
    },
  };
}
