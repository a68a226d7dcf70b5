// The state of the hat activity: the session's latest hat game, as the rules see it. Plain data,
// rebuilt from the database on resume. The hats themselves (each student's distribution) are not
// state: they are the model's answers, cached by the live side and recomputed when needed.
import type { ErrorCode } from "../../../contract/protocol/errors.ts";
import type { Dial, EntropyCompareView, FillStop } from "../../../contract/protocol/hat.ts";
import type { HatTemplate } from "./hat-templates.ts";

export interface HatGameMeta {
  id: string;
  sessionId: string;
  template: HatTemplate;
  model: { id: string; sha256: string };
  /** Token ids of each literal segment: the first with BOS; later ones as they extend a story. Null until tokenized. */
  segmentIds: number[][] | null;
  /** The known vs made-up entropy comparison, when the template is one of a built-in pair. */
  entropy: EntropyCompareView | null;
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
  meta: HatGameMeta;
  dial: Dial;
  /** The highest blank the class may draw; students fill blanks in order up to it. */
  openBlank: number;
  /** "starting" while the template is tokenized; "failed" when that did not work. */
  status: "starting" | "running" | "finished" | "failed";
  error: ErrorCode | null;
  endedAt: number | null;
  stories: Record<string, StoryState>;
  /** Participant ids in the order their stories started. */
  order: string[];
}

export interface HatState {
  game: HatGameState | null;
}

export type HatCommand =
  | { type: "gameReady"; gameId: string; segmentIds: number[][]; entropy: EntropyCompareView | null }
  | { type: "gameFailed"; gameId: string; code: ErrorCode }
  | { type: "setDial"; dial: Dial }
  | { type: "openNextBlank"; blank?: number }
  | { type: "requestDraw"; participantId: string; gameId: string; blank: number }
  | { type: "drawCommitted"; participantId: string; fill: FillState }
  | { type: "drawFailed"; participantId: string; blank: number };

/** The game row (dial, open blank, status) is the only thing the rules write; draws are committed by the draw job. */
export type HatOp = { kind: "game" };

export type HatJob =
  /** Tokenize the template and measure the known vs made-up entropies. */
  | { kind: "setup"; gameId: string }
  /** Compute these students' hats for their next blank: one batched model call. */
  | { kind: "prepareHats"; participantIds: string[] }
  /** The dial changed: reshape every cached hat (no model call). */
  | { kind: "reshapeHats" }
  /** Draw a fill with this seed and dial, commit it, and answer drawCommitted with the recorded fill. */
  | { kind: "draw"; participantId: string; blank: number; seed: number; dial: Dial };

export const blanksOf = (meta: HatGameMeta): number => meta.template.segments.length - 1;

/** The blank a story fills next, or null when every blank is filled. */
export function nextBlank(game: HatGameState, story: StoryState): number | null {
  const next = story.fills.length;
  return next < blanksOf(game.meta) ? next : null;
}

/** The token ids a story's next hat is conditioned on: segments and fills interleaved up to `blank`. */
export function storyPrefixIds(meta: HatGameMeta, story: StoryState, blank: number): number[] {
  const segments = meta.segmentIds;
  if (!segments) throw new RangeError("the template has not been tokenized yet");
  const ids: number[] = [...(segments[0] ?? [])];
  for (let k = 0; k < blank; k++) {
    const fill = story.fills[k];
    if (!fill) throw new RangeError(`blank ${k} of ${story.participantId} is not filled`);
    for (const t of fill.tokens) ids.push(t.id);
    ids.push(...(segments[k + 1] ?? []));
  }
  return ids;
}

/** Whether a story waits at an open blank with no draw in flight: its hat is worth computing now. */
export function readyToDraw(game: HatGameState, story: StoryState): boolean {
  const blank = nextBlank(game, story);
  return game.status === "running" && blank !== null && blank <= game.openBlank && story.pending === null;
}
