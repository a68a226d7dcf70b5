// The guess activity's store port. The rows go through GuessRows, which the persistence folder
// implements on PGlite and PostgreSQL (server/db/guess-rows.ts) and memoryGuessRows() in memory;
// tests/integration/persistence runs one contract against all three.
import type { ActivityStore } from "../../session/activity.ts";
import { guessStateFromStored, roundRowOf, threadRowsOf, voteRowOf, type RoundRow, type StoredGuess, type ThreadRow, type VoteRow } from "./guess-records.ts";
import type { GuessOp, GuessState } from "./guess-state.ts";

export interface GuessRows {
  upsertRound(round: RoundRow): Promise<void>;
  /** Appends votes in one write; the order given is the order they were cast. */
  addVotes(votes: VoteRow[]): Promise<void>;
  /** Replaces the session's texts (they only ever grow). */
  saveThreads(sessionId: string, threads: ThreadRow[]): Promise<void>;
  /** `allVotes: false` returns only the votes of rounds still open (what a live session needs). */
  load(sessionId: string, options: { allVotes: boolean }): Promise<StoredGuess>;
}

export type GuessStore = ActivityStore<GuessState, GuessOp> & { rows: GuessRows };

export function guessStore(rows: GuessRows): GuessStore {
  return {
    rows,
    async load(session) {
      const stored = await rows.load(session.meta.id, { allVotes: false });
      return guessStateFromStored(stored, (id) => session.participants.get(id)?.kicked === false);
    },
    opKind: (op) => op.kind,
    async write(sessionId, ops, state) {
      const first = ops[0]!;
      switch (first.kind) {
        case "vote":
          return rows.addVotes(ops.map((op) => (op.kind === "vote" ? voteRowOf(sessionId, op.roundId, op.vote) : null)).filter((r): r is VoteRow => r !== null));
        case "round":
          // Only the latest write of a round matters; the state passed in is newer than any op.
          for (const id of new Set(ops.map((op) => (op.kind === "round" ? op.round.id : "")))) {
            const round = state.rounds.find((r) => r.id === id);
            if (round) await rows.upsertRound(roundRowOf(sessionId, round));
          }
          return;
        case "threads":
          return rows.saveThreads(sessionId, threadRowsOf(state.threads));
      }
    },
  };
}

/** The same rows in memory; copies on the way in and out, as a database would. */
export function memoryGuessRows(): GuessRows {
  const rounds = new Map<string, RoundRow>();
  const votes: VoteRow[] = [];
  const threads = new Map<string, ThreadRow[]>();
  const copy = <T>(value: T): T => structuredClone(value);
  return {
    async upsertRound(round) {
      const clash = [...rounds.values()].find((r) => r.sessionId === round.sessionId && r.number === round.number && r.id !== round.id);
      if (clash) throw new Error("duplicate round number");
      const existing = rounds.get(round.id);
      rounds.set(round.id, existing ? { ...copy(round), sessionId: existing.sessionId, number: existing.number, kind: existing.kind } : copy(round));
    },
    async addVotes(batch) {
      for (const v of batch) if (!rounds.has(v.roundId)) throw new Error("vote for an unknown round");
      votes.push(...copy(batch));
    },
    async saveThreads(sessionId, rows) {
      threads.set(sessionId, copy(rows));
    },
    async load(sessionId, { allVotes }) {
      const mine = [...rounds.values()].filter((r) => r.sessionId === sessionId);
      const open = new Set(mine.filter((r) => allVotes || r.status === "voting").map((r) => r.id));
      return copy({ rounds: mine, votes: votes.filter((v) => open.has(v.roundId)), threads: threads.get(sessionId) ?? [] });
    },
  };
}
