// Writes the persist effects of a batch of commands, in order. Ops of the same owner and kind that
// queue up together go out in one statement (group commit), so a burst of a thousand votes costs a
// handful of writes. When a shared statement fails, its ops are retried one by one: one student's
// bad row never fails another student's write. Returns the commands whose writes failed.
import type { ActivityStore } from "./activity.ts";
import type { HostState, Owner } from "./host-machine.ts";

export interface PendingWrite {
  owner: Owner;
  op: unknown;
  /** Which command of the batch asked for it. */
  command: number;
}

export type OwnerStores = Record<Owner, ActivityStore>;

export interface WriteOptions {
  /** Wraps each statement group's write (a transaction that checks the room's lease, on several processes). */
  scope<T>(fn: () => Promise<T>): Promise<T>;
  onError(error: unknown, write: PendingWrite): void;
}

export async function writeBatch(stores: OwnerStores, sessionId: string, writes: PendingWrite[], state: HostState, { scope, onError }: WriteOptions): Promise<Set<number>> {
  const failed = new Set<number>();
  const stateOf = (owner: Owner) => (owner === "session" ? state : state.activities[owner]);
  let i = 0;
  while (i < writes.length) {
    const first = writes[i]!;
    const store = stores[first.owner];
    const kind = store.opKind(first.op);
    let j = i + 1;
    while (j < writes.length && writes[j]!.owner === first.owner && store.opKind(writes[j]!.op) === kind) j++;
    const group = writes.slice(i, j);
    i = j;
    try {
      await scope(() => store.write(sessionId, group.map((w) => w.op), stateOf(first.owner)));
    } catch (error) {
      if (group.length === 1) {
        onError(error, first);
        failed.add(first.command);
        continue;
      }
      for (const w of group) {
        try {
          await scope(() => store.write(sessionId, [w.op], stateOf(w.owner)));
        } catch (single) {
          onError(single, w);
          failed.add(w.command);
        }
      }
    }
  }
  return failed;
}
