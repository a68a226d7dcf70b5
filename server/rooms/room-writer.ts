// Writes one room's changes in the order the rules made them. Votes that queue up while a write is
// in flight go out together in one insert (group commit), so a burst of a thousand votes costs a
// handful of round trips, and each vote is still acknowledged only after its row is committed.
import type { RoomStore } from "../db/room-store.ts";
import type { PersistOp } from "./room-commands.ts";
import { participantRowOf, roomRowOf, roundRowOf, voteRowOf, type VoteRow } from "./room-records.ts";
import type { RoomState } from "./room-state.ts";

interface Job {
  op: PersistOp;
  resolve: () => void;
  reject: (error: unknown) => void;
}

export interface RoomWriter {
  write(op: PersistOp): Promise<void>;
  /** Resolves when everything queued so far is written. */
  idle(): Promise<void>;
}

export function createRoomWriter(store: RoomStore, currentState: () => RoomState): RoomWriter {
  const queue: Job[] = [];
  let running: Promise<void> | null = null;

  async function execute(batch: Job[]): Promise<void> {
    const first = batch[0]!.op;
    const state = currentState();
    const roomId = state.meta.id;
    switch (first.kind) {
      case "vote": {
        const rows: VoteRow[] = batch.map((j) => {
          const op = j.op as Extract<PersistOp, { kind: "vote" }>;
          return voteRowOf(roomId, op.roundId, op.vote);
        });
        return store.addVotes(rows);
      }
      case "room":
        // The row is written from the latest state, so one write covers every queued room change.
        return store.updateRoom(roomRowOf(state));
      case "participant":
        return store.upsertParticipant(participantRowOf(roomId, first.participant));
      case "round":
        return store.upsertRound(roundRowOf(roomId, first.round));
    }
  }

  function takeBatch(): Job[] {
    const first = queue.shift()!;
    const batch = [first];
    if (first.op.kind === "vote" || first.op.kind === "room") {
      while (queue[0]?.op.kind === first.op.kind && batch.length < 2000) batch.push(queue.shift()!);
    }
    return batch;
  }

  async function drain(): Promise<void> {
    while (queue.length > 0) {
      const batch = takeBatch();
      try {
        await execute(batch);
        for (const j of batch) j.resolve();
      } catch (error) {
        for (const j of batch) j.reject(error);
      }
    }
    running = null;
  }

  return {
    write(op) {
      return new Promise<void>((resolve, reject) => {
        queue.push({ op, resolve, reject });
        running ??= drain();
      });
    },
    async idle() {
      while (running) await running;
    },
  };
}
