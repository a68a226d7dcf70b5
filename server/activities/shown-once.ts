// What the slide and the explore step share: an activity that is shown, never runs, and keeps one
// row per showing, so a reload or a restart shows the latest again and the review lists them all.
import type { ActivityStore } from "../session/activity.ts";

export interface ShownRow {
  id: string;
  sessionId: string;
  shownAt: number;
}

export interface ShownRows<R extends ShownRow> {
  save(row: R): Promise<void>;
  latest(sessionId: string): Promise<R | null>;
  /** Every showing in the session, in order (for review). */
  all(sessionId: string): Promise<R[]>;
}

/** The state is the latest showing, as its row without the session id. */
export type ShownState<R extends ShownRow> = { shown: Omit<R, "sessionId"> | null };
export type ShownOp = { kind: "shown" };
export type ShownStore<R extends ShownRow> = ActivityStore<ShownState<R>, ShownOp> & { rows: ShownRows<R> };

export function shownStore<R extends ShownRow>(rows: ShownRows<R>): ShownStore<R> {
  return {
    rows,
    async load(session) {
      const row = await rows.latest(session.meta.id);
      if (!row) return { shown: null };
      const { sessionId: _, ...shown } = row;
      return { shown };
    },
    opKind: (op) => op.kind,
    async write(sessionId, _ops, state) {
      if (state.shown) await rows.save({ ...state.shown, sessionId } as R);
    },
  };
}

export function memoryShownRows<R extends ShownRow>(): ShownRows<R> {
  const rows: R[] = [];
  return {
    async save(row) {
      if (!rows.some((r) => r.id === row.id)) rows.push(structuredClone(row));
    },
    async latest(sessionId) {
      return structuredClone(rows.filter((r) => r.sessionId === sessionId).at(-1) ?? null);
    },
    async all(sessionId) {
      return structuredClone(rows.filter((r) => r.sessionId === sessionId));
    },
  };
}
