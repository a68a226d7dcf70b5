// The state of one hat game, as the rules see it. Plain data, rebuilt from the database on resume.
// The hats themselves (each student's distribution) are not state: they are the model's answers,
// cached by the draw service and recomputed when needed.
import type { Dial, FillStop, HatErrorCode } from "../protocol/hat-protocol.ts";
import type { HatTemplate } from "./hat-templates.ts";

export interface HatGameMeta {
  id: string;
  roomId: string;
  template: HatTemplate;
  model: { id: string; sha256: string };
  /** Token ids of each literal segment: the first with BOS; later ones as they extend a story. */
  segmentIds: number[][];
  startedAt: number;
}

export interface DrawnToken {
  id: number;
  text: string;
  /** The model's probability at temperature 1. */
  p: number;
  /** Slips of this token out of 10,000 in the hat it was drawn from. */
  count: number;
  /** The slip index drawn. */
  slip: number;
}

/** The top of the hat a blank's first token was drawn from, kept with the draw for review. */
export interface HatSummary {
  top: { id: number; text: string; count: number }[];
  /** Slips on tokens outside `top`. */
  otherCount: number;
  cutMass: number;
  /** Entropy (bits) of the model's full distribution at temperature 1. */
  modelEntropyBits: number;
}

export interface FillState {
  blank: number;
  text: string;
  tokens: DrawnToken[];
  seed: number;
  dial: Dial;
  stop: FillStop;
  hat: HatSummary;
  drawnAt: number;
}

/** A draw the server has started: its seed and dial are fixed, so finishing it twice gives the same fill. */
export interface PendingDraw {
  blank: number;
  seed: number;
  dial: Dial;
  since: number;
}

export interface StoryState {
  participantId: string;
  fills: FillState[];
  pending: PendingDraw | null;
}

export interface HatGameState {
  seq: number;
  meta: HatGameMeta;
  dial: Dial;
  /** The highest blank the class may draw; students fill blanks in order up to it. */
  openBlank: number;
  status: "running" | "finished";
  endedAt: number | null;
  stories: Record<string, StoryState>;
  /** Participant ids in the order their stories started. */
  order: string[];
}

export type HatCommand =
  /** A participant of the room takes part (idempotent). */
  | { type: "addStory"; participantId: string }
  | { type: "setDial"; dial: Dial }
  | { type: "openNextBlank" }
  | { type: "requestDraw"; participantId: string; blank: number }
  | { type: "drawCommitted"; participantId: string; fill: FillState }
  | { type: "drawFailed"; participantId: string; blank: number }
  | { type: "finish" };

export type HatAudience = { to: "everyone" } | { to: "staff" } | { to: "participant"; participantId: string };

export type HatEffect =
  /** Write the game row (dial, open blank, status) before acknowledging. */
  | { type: "persistGame" }
  /** Compute these students' hats for their next blank: one batched model call. */
  | { type: "prepareHats"; participantIds: string[] }
  /** The dial changed: reshape every cached hat (no model call). */
  | { type: "reshapeHats" }
  /** Draw a fill with this seed and dial; the shell commits it, then sends drawCommitted. */
  | { type: "draw"; participantId: string; blank: number; seed: number; dial: Dial }
  | { type: "snapshot"; audience: HatAudience };

export interface HatRuleContext {
  now: number;
  /** Uniform in [0, 1); draw seeds come from here. */
  rng: () => number;
}

export type HatApplyResult = { ok: true; state: HatGameState; effects: HatEffect[] } | { ok: false; code: HatErrorCode };

export const blanksOf = (meta: HatGameMeta): number => meta.template.segments.length - 1;

/** The blank a story fills next, or null when every blank is filled. */
export function nextBlank(state: HatGameState, story: StoryState): number | null {
  const next = story.fills.length;
  return next < blanksOf(state.meta) ? next : null;
}

/** The token ids a story's next hat is conditioned on: segments and fills interleaved up to `blank`. */
export function storyPrefixIds(meta: HatGameMeta, story: StoryState, blank: number): number[] {
  const ids: number[] = [...(meta.segmentIds[0] ?? [])];
  for (let k = 0; k < blank; k++) {
    const fill = story.fills[k];
    if (!fill) throw new RangeError(`blank ${k} of ${story.participantId} is not filled`);
    for (const t of fill.tokens) ids.push(t.id);
    ids.push(...(meta.segmentIds[k + 1] ?? []));
  }
  return ids;
}
