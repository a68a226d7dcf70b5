// The slide activity: a short explanation on the projector, phones told to look up. Shown, never
// running, so it blocks nothing; the latest one is kept so a reload or a restart shows it again.
import type { SlideStart, SlideView } from "../../../contract/protocol/slide.ts";
import type { ActivityModule, Applied } from "../../session/activity.ts";
import { memoryShownRows, shownStore, type ShownOp, type ShownRow, type ShownRows, type ShownState, type ShownStore } from "../shown-once.ts";

export interface SlideRow extends ShownRow {
  title: string;
  body: string;
}
export type SlideRows = ShownRows<SlideRow>;
export type SlideState = ShownState<SlideRow>;
type SlideCommand = { type: "none" };
export type SlideStore = ShownStore<SlideRow>;
export const slideStore = (rows: SlideRows): SlideStore => shownStore(rows);
export const memorySlideRows = (): SlideRows => memoryShownRows<SlideRow>();

export const slideView = (slide: { title: string; body: string }): SlideView => ({
  title: slide.title,
  paragraphs: slide.body
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean),
});

const unchanged = (state: SlideState): Applied<SlideState, ShownOp, never, SlideCommand> => ({ ok: true, state, effects: [] });

export const slideActivity: ActivityModule<"slide", SlideState, SlideCommand, ShownOp, never> = {
  rules: {
    kind: "slide",
    initial: () => ({ shown: null }),
    start: (_state, input: SlideStart, id, ctx) => ({
      ok: true,
      state: { shown: { id, title: input.title, body: input.body, shownAt: ctx.now } },
      effects: [{ type: "persist", op: { kind: "shown" } }],
    }),
    apply: (state) => unchanged(state),
    current: (state) => (state.shown ? { id: state.shown.id, status: "finished" } : null),
    finish: (state) => unchanged(state),
    summarize: (input) => `Slide: ${input.title}`,
  },
  events: [],
  review: {
    async load(store: SlideStore, sessionId) {
      return { slides: (await store.rows.all(sessionId)).map((s) => ({ id: s.id, title: s.title, body: s.body, shownAt: new Date(s.shownAt).toISOString() })) };
    },
    tables: (review, code) => [
      { name: "slides", columns: ["session_code", "title", "body", "shown_at"], rows: review.slides.map((s) => [code, s.title, s.body, s.shownAt]) },
    ],
  },
  live: () => ({
    run: async () => ({}),
    shared: (state) => slideView(state.shown ?? { title: "", body: "" }),
    mine: () => null,
    finale: () => null,
  }),
};
