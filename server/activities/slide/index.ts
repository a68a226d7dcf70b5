// The slide activity: a short explanation on the projector, phones told to look up. Shown, never
// running, so it blocks nothing; the latest one is kept so a reload or a restart shows it again.
import type { SlideStart, SlideView } from "../../../contract/protocol/slide.ts";
import type { ActivityModule, ActivityStore, Applied } from "../../session/activity.ts";

export interface SlideState {
  slide: { id: string; title: string; body: string; shownAt: number } | null;
}
export type SlideOp = { kind: "slide" };
type SlideCommand = { type: "none" };

export interface SlideRow {
  id: string;
  sessionId: string;
  title: string;
  body: string;
  shownAt: number;
}

export interface SlideRows {
  save(slide: SlideRow): Promise<void>;
  latest(sessionId: string): Promise<SlideRow | null>;
  /** Every slide shown in the session, in order (for review). */
  all(sessionId: string): Promise<SlideRow[]>;
}

export type SlideStore = ActivityStore<SlideState, SlideOp> & { rows: SlideRows };

export function slideStore(rows: SlideRows): SlideStore {
  return {
    rows,
    async load(session) {
      const row = await rows.latest(session.meta.id);
      return { slide: row ? { id: row.id, title: row.title, body: row.body, shownAt: row.shownAt } : null };
    },
    opKind: (op) => op.kind,
    async write(sessionId, _ops, state) {
      if (state.slide) await rows.save({ sessionId, ...state.slide });
    },
  };
}

export function memorySlideRows(): SlideRows {
  const slides: SlideRow[] = [];
  return {
    async save(slide) {
      if (!slides.some((s) => s.id === slide.id)) slides.push(structuredClone(slide));
    },
    async latest(sessionId) {
      return structuredClone(slides.filter((s) => s.sessionId === sessionId).at(-1) ?? null);
    },
    async all(sessionId) {
      return structuredClone(slides.filter((s) => s.sessionId === sessionId));
    },
  };
}

export const slideView = (slide: { title: string; body: string }): SlideView => ({
  title: slide.title,
  paragraphs: slide.body
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean),
});

const unchanged = (state: SlideState): Applied<SlideState, SlideOp, never, SlideCommand> => ({ ok: true, state, effects: [] });

export const slideActivity: ActivityModule<"slide", SlideState, SlideCommand, SlideOp, never> = {
  rules: {
    kind: "slide",
    initial: () => ({ slide: null }),
    start: (_state, input: SlideStart, id, ctx) => ({
      ok: true,
      state: { slide: { id, title: input.title, body: input.body, shownAt: ctx.now } },
      effects: [{ type: "persist", op: { kind: "slide" } }],
    }),
    apply: (state) => unchanged(state),
    current: (state) => (state.slide ? { id: state.slide.id, status: "finished" } : null),
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
    shared: (state) => slideView(state.slide ?? { title: "", body: "" }),
    mine: () => null,
    finale: () => null,
  }),
};
