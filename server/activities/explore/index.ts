// The explore step: for a few minutes every phone runs the model itself, in the browser (the solo
// explorer), and the projector suggests what to try. Nothing reaches the server while students
// explore, so the step only remembers that it was shown; like a slide, it blocks nothing.
import type { ExploreStart } from "../../../contract/protocol/explore.ts";
import type { ActivityModule } from "../../session/activity.ts";
import { memoryShownRows, shownStore, type ShownOp, type ShownRow, type ShownRows, type ShownState, type ShownStore } from "../shown-once.ts";

export interface ExploreRow extends ShownRow {
  minutes: number;
  prompt: string;
}
export type ExploreRows = ShownRows<ExploreRow>;
export type ExploreState = ShownState<ExploreRow>;
export type ExploreStore = ShownStore<ExploreRow>;
export const exploreStore = (rows: ExploreRows): ExploreStore => shownStore(rows);
export const memoryExploreRows = (): ExploreRows => memoryShownRows<ExploreRow>();

type ExploreCommand = { type: "none" };
const iso = (ms: number) => new Date(ms).toISOString();

export const exploreActivity: ActivityModule<"explore", ExploreState, ExploreCommand, ShownOp, never> = {
  rules: {
    kind: "explore",
    initial: () => ({ shown: null }),
    start: (_state, input: ExploreStart, id, ctx) => ({
      ok: true,
      state: { shown: { id, minutes: input.minutes, prompt: input.prompt, shownAt: ctx.now } },
      effects: [{ type: "persist", op: { kind: "shown" } }],
    }),
    apply: (state) => ({ ok: true, state, effects: [] }),
    current: (state) => (state.shown ? { id: state.shown.id, status: "finished" } : null),
    finish: (state) => ({ ok: true, state, effects: [] }),
    summarize: (input) => `Explore on your own: ${input.minutes} min`,
  },
  events: [],
  review: {
    async load(store: ExploreStore, sessionId) {
      return { explorations: (await store.rows.all(sessionId)).map((e) => ({ id: e.id, minutes: e.minutes, prompt: e.prompt, shownAt: iso(e.shownAt) })) };
    },
    tables: (review, code) => [
      { name: "explorations", columns: ["session_code", "minutes", "prompt", "shown_at"], rows: review.explorations.map((e) => [code, e.minutes, e.prompt, e.shownAt]) },
    ],
  },
  live: () => ({
    run: async () => ({}),
    shared: (state) => ({ minutes: state.shown?.minutes ?? 5, prompt: state.shown?.prompt ?? "", startedAt: state.shown?.shownAt ?? 0 }),
    mine: () => null,
    finale: () => null,
  }),
};
