// Writes one room's changes in the order the rules made them. Votes (and joins) that queue up
// together go out in one statement (group commit), so a burst of a thousand votes costs a handful
// of writes, and each vote is still acknowledged only after its row is committed.
import type { RoomStore } from "../db/room-store.ts";
import type { PersistOp } from "./room-commands.ts";
import { participantRowOf, roomRowOf, roundRowOf, voteRowOf, type VoteRow } from "./room-records.ts";
import type { RoomState } from "./room-state.ts";

/** How long the first vote of a burst waits for others to share its insert. */
const GROUP_COMMIT_MS = 3;

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
        return store.upsertParticipants(batch.map((j) => participantRowOf(roomId, (j.op as Extract<PersistOp, { kind: "participant" }>).participant)));
      case "round":
        return store.upsertRound(roundRowOf(roomId, first.round));
    }
  }

  function takeBatch(): Job[] {
    const first = queue.shift()!;
    const batch = [first];
    if (first.op.kind !== "round") {
      while (queue[0]?.op.kind === first.op.kind && batch.length < 2000) batch.push(queue.shift()!);
    }
    return batch;
  }

  async function drain(): Promise<void> {
    while (queue.length > 0) {
      // Group commit: an embedded database answers without real I/O, so without this pause the
      // first vote of a burst would be written before the next one was even read off its socket.
      if (queue[0]!.op.kind === "vote" || queue[0]!.op.kind === "participant") await new Promise((resolve) => setTimeout(resolve, GROUP_COMMIT_MS));
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
