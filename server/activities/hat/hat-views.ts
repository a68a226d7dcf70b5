// Role-filtered views of a hat game. A phone sees its own story and hat only; the host and the
// projector see the gallery, the class's draws for the current blank against the hats, and the metrics.
import {
  HAT_GALLERY_MAX,
  type BlankBarsView,
  type BlankProgress,
  type FillView,
  type HatFinale,
  type HatGameView,
  type HatMeView,
  type HatPhase,
  type HatSharedView,
  type HatSlipView,
  type HatTemplateOption,
  type HatView,
  type StoryPiece,
  type StoryView,
} from "../../../contract/protocol/hat.ts";
import type { Role } from "../../../contract/protocol/session.ts";
import type { SessionState } from "../../session/session-state.ts";
import type { ShapedHat } from "../../../contract/numbers/hat/hat-shape.ts";
import { blanksOf, nextBlank, type FillState, type HatGameState, type StoryState } from "./hat-state.ts";
import { BUILT_IN_TEMPLATES } from "./hat-templates.ts";
import { HAT_SLIPS } from "../../../contract/numbers/hat/slip-counts.ts";

/** The hat a phone is looking at: shaped for the current dial, with the model's own entropy. */
export interface PreparedHat {
  blank: number;
  shaped: ShapedHat;
  modelEntropyBits: number;
}

const LISTED_SLIPS = 12;

export function gameView(state: HatGameState): HatGameView {
  const { meta } = state;
  return {
    id: meta.id,
    title: meta.template.title,
    templateText: meta.template.text,
    segments: meta.template.segments,
    blanks: blanksOf(meta),
    maxTokens: meta.template.maxTokens,
    openBlank: state.openBlank,
    status: state.status,
    error: state.error,
    dial: state.dial,
    model: meta.model,
    startedAt: meta.startedAt,
  };
}

export function hatView(hat: PreparedHat, texts: readonly string[]): HatView {
  const { shaped } = hat;
  const listed = shaped.slips.filter((s, i) => s.visual > 0 || i < LISTED_SLIPS);
  const listedCount = listed.reduce((acc, s) => acc + s.count, 0);
  const slip = (s: ShapedHat["slips"][number]): HatSlipView => ({ id: s.id, text: texts[s.id] ?? "", count: s.count, visual: s.visual, q: s.q, p: s.p });
  return {
    blank: hat.blank,
    position: 0,
    dial: shaped.dial,
    total: HAT_SLIPS,
    slips: listed.map(slip),
    others: { tokens: shaped.slips.length - listed.length, count: HAT_SLIPS - listedCount },
    tooRare: shaped.tooRare,
    cut: { mass: shaped.cut.mass, tokens: shaped.cut.tokens, first: shaped.cut.first.map((c) => ({ text: texts[c.id] ?? "", q: c.q })) },
    nonWordMass: shaped.nonWordMass,
    entropyBits: shaped.entropyBits,
    modelEntropyBits: hat.modelEntropyBits,
  };
}

export const fillView = (fill: FillState): FillView => ({
  blank: fill.blank,
  text: fill.text,
  tokens: fill.tokens,
  seed: fill.seed,
  dial: fill.dial,
  stop: fill.stop,
  drawnAt: fill.drawnAt,
});

/** The story with its chain-rule probability, perplexity, and the least likely token drawn. */
export function storyView(state: HatGameState, story: StoryState, nickname: string): StoryView {
  const { segments } = state.meta.template;
  let log2Prob = 0;
  let tokens = 0;
  let least: StoryView["least"] = null;
  for (const fill of story.fills) {
    for (const t of fill.tokens) {
      log2Prob += Math.log2(t.p);
      tokens++;
      if (!least || t.p < least.p) least = { blank: fill.blank, text: t.text, p: t.p, fill: fill.text };
    }
  }
  const pieces: StoryPiece[] = [];
  let text = "";
  segments.forEach((segment, k) => {
    if (segment) pieces.push({ kind: "text", text: segment });
    text += segment;
    if (k === segments.length - 1) return;
    const fill = story.fills[k];
    if (fill) {
      const p = fill.tokens.reduce((acc, t) => acc * t.p, 1);
      // With a single draw "least likely" says nothing; flag it once there is a choice.
      pieces.push({ kind: "fill", blank: k, text: fill.text, p, least: story.fills.length > 1 && least?.blank === k });
      text += fill.text;
    } else {
      pieces.push({ kind: "blank", blank: k });
      text += " ___";
    }
  });
  return {
    participantId: story.participantId,
    nickname,
    pieces,
    text,
    drawn: story.fills.length,
    log2Prob,
    perplexity: tokens > 0 ? 2 ** (-log2Prob / tokens) : null,
    least,
  };
}

export function playerPhase(state: HatGameState, story: StoryState, hat: PreparedHat | null): HatPhase {
  const blank = nextBlank(state, story);
  if (blank === null) return "done";
  if (story.pending) return "drawing";
  if (state.status === "finished") return "done";
  if (blank > state.openBlank) return "waiting";
  return hat && hat.blank === blank ? "ready" : "preparing";
}

export function hatMine(state: HatGameState, participantId: string, nickname: string, hat: PreparedHat | null, texts: readonly string[]): HatMeView | null {
  const story = state.stories[participantId];
  if (!story) return null;
  const phase = playerPhase(state, story, hat);
  return {
    participantId: story.participantId,
    story: storyView(state, story, nickname),
    blank: nextBlank(state, story),
    phase,
    hat: phase === "ready" && hat ? hatView(hat, texts) : null,
    fills: story.fills.map(fillView),
  };
}

/** Draws of one blank, in the order they were made. */
function blankFills(state: HatGameState, blank: number): FillState[] {
  const fills: FillState[] = [];
  for (const id of state.order) {
    const fill = state.stories[id]?.fills[blank];
    if (fill) fills.push(fill);
  }
  return fills.sort((a, b) => a.drawnAt - b.drawnAt);
}

const BLANK_BARS = 10;

/**
 * The class's draws for one blank against the hats they came from. Each draw adds its own hat's
 * share of each token to the expected counts, so the comparison stays exact when the stories (and
 * so the hats) differ, and when the dial moved during the blank.
 */
export function blankBarsView(state: HatGameState, blank: number): BlankBarsView | null {
  const fills = blankFills(state, blank);
  if (fills.length === 0) return null;
  const observed = new Map<string, number>();
  const expected = new Map<string, number>();
  let expectedListed = 0;
  const points: { n: number; tvd: number }[] = [];
  const step = Math.max(1, Math.ceil(fills.length / 60));
  fills.forEach((fill, i) => {
    const first = fill.tokens[0]!;
    observed.set(first.text, (observed.get(first.text) ?? 0) + 1);
    for (const t of fill.hat.top) {
      expected.set(t.text, (expected.get(t.text) ?? 0) + t.count / HAT_SLIPS);
      expectedListed += t.count / HAT_SLIPS;
    }
    const n = i + 1;
    if (n % step === 0 || n === fills.length) points.push({ n, tvd: tvd(observed, expected, n, expectedListed) });
  });
  const bars = [...expected.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, BLANK_BARS)
    .map(([text, e]) => ({ text, expected: e, observed: observed.get(text) ?? 0 }));
  const observedShown = bars.reduce((acc, b) => acc + b.observed, 0);
  const expectedShown = bars.reduce((acc, b) => acc + b.expected, 0);
  // Draws of tokens outside the bars (even outside every hat summary) land in "other".
  return {
    blank,
    draws: fills.length,
    bars,
    other: { observed: fills.length - observedShown, expected: Math.max(0, fills.length - expectedShown) },
    convergence: points,
  };
}

/** Total variation distance between the draws so far and their hats, with the unlisted tail as one bucket. */
function tvd(observed: Map<string, number>, expected: Map<string, number>, n: number, expectedListed: number): number {
  let distance = 0;
  let observedListed = 0;
  for (const [text, e] of expected) {
    const o = observed.get(text) ?? 0;
    observedListed += o;
    distance += Math.abs(o / n - e / n);
  }
  distance += Math.abs((n - observedListed) / n - (n - expectedListed) / n);
  return distance / 2;
}

export function progressView(state: HatGameState): BlankProgress[] {
  return Array.from({ length: blanksOf(state.meta) }, (_, blank) => {
    let drawn = 0;
    let entropy = 0;
    for (const id of state.order) {
      const fill = state.stories[id]?.fills[blank];
      if (!fill) continue;
      drawn++;
      entropy += fill.hat.modelEntropyBits;
    }
    return { blank, drawn, meanEntropyBits: drawn > 0 ? entropy / drawn : null };
  });
}

export const templateOptions = (): HatTemplateOption[] => BUILT_IN_TEMPLATES.map((t) => ({ id: t.id, title: t.title, text: t.text, lesson: t.lesson }));

/** The blank the class is on: the highest open one that has draws, else the open one. */
function currentBlank(state: HatGameState): number {
  for (let k = state.openBlank; k > 0; k--) if (state.order.some((id) => state.stories[id]?.fills[k])) return k;
  return state.openBlank > 0 ? state.openBlank : 0;
}

/** Stories of the people still in the room, finished ones first, then by join order. */
export function galleryStories(state: HatGameState, session: SessionState): StoryView[] {
  const total = blanksOf(state.meta);
  const stories: StoryView[] = [];
  for (const id of state.order) {
    const story = state.stories[id];
    const p = session.participants.get(id);
    if (!story || !p || p.kicked) continue;
    stories.push(storyView(state, story, p.nickname));
  }
  return stories.sort((a, b) => Number(b.drawn === total) - Number(a.drawn === total));
}

export function hatShared(state: HatGameState, role: Role, session: SessionState): HatSharedView {
  const game = gameView(state);
  if (role === "player") return { game, staff: null };
  const all = galleryStories(state, session);
  const stories = all.slice(0, HAT_GALLERY_MAX);
  return {
    game,
    staff: {
      stories,
      moreStories: all.length - stories.length,
      progress: progressView(state),
      blankBars: blankBarsView(state, currentBlank(state)),
      entropy: state.meta.entropy,
      sampleHat: null,
    },
  };
}

export function hatFinale(state: HatGameState, session: SessionState): HatFinale | null {
  const stories = galleryStories(state, session).filter((s) => s.drawn > 0);
  return stories.length > 0 ? { title: state.meta.template.title, stories } : null;
}
