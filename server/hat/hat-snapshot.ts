// Role-filtered views of a hat game. A phone sees its own story and hat only; the host and the
// projector see the gallery, the class's first-blank draws against the hat, and the metrics.
import {
  HAT_GALLERY_MAX,
  PROTOCOL_VERSION,
  type Blank1View,
  type BlankProgress,
  type EntropyCompareView,
  type FillView,
  type HatGameView,
  type HatPhase,
  type HatSlipView,
  type HatTemplateOption,
  type HatView,
  type PlayerHatSnapshot,
  type StaffHatSnapshot,
  type StoryPiece,
  type StoryView,
} from "../protocol/hat-protocol.ts";
import type { ShapedHat } from "./hat-shape.ts";
import { blanksOf, nextBlank, type FillState, type HatGameState, type StoryState } from "./hat-state.ts";
import { BUILT_IN_TEMPLATES } from "./hat-templates.ts";
import { HAT_SLIPS } from "./slip-counts.ts";

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

export function playerHatSnapshot(
  state: HatGameState | null,
  participantId: string | null,
  nickname: string,
  hat: PreparedHat | null,
  texts: readonly string[],
): PlayerHatSnapshot {
  const base = { protocolVersion: PROTOCOL_VERSION, seq: state?.seq ?? 0, viewer: "player" as const, game: state ? gameView(state) : null };
  const story = state && participantId ? state.stories[participantId] : undefined;
  if (!state || !story) return { ...base, me: null };
  const phase = playerPhase(state, story, hat);
  return {
    ...base,
    me: {
      participantId: story.participantId,
      story: storyView(state, story, nickname),
      blank: nextBlank(state, story),
      phase,
      hat: phase === "ready" && hat ? hatView(hat, texts) : null,
      fills: story.fills.map(fillView),
    },
  };
}

/** Draws of the first blank, in order: every story shares that prefix, so they share a hat. */
function firstFills(state: HatGameState): FillState[] {
  const fills: FillState[] = [];
  for (const id of state.order) {
    const fill = state.stories[id]?.fills[0];
    if (fill) fills.push(fill);
  }
  return fills.sort((a, b) => a.drawnAt - b.drawnAt);
}

const BLANK1_BARS = 10;

/**
 * The class's first-blank draws against the hat. Each draw adds its own hat's share of each token
 * to the expected counts, so the comparison stays exact even when the dial moved during the blank.
 */
export function blank1View(state: HatGameState): Blank1View | null {
  const fills = firstFills(state);
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
    .slice(0, BLANK1_BARS)
    .map(([text, e]) => ({ text, expected: e, observed: observed.get(text) ?? 0 }));
  const observedShown = bars.reduce((acc, b) => acc + b.observed, 0);
  const expectedShown = bars.reduce((acc, b) => acc + b.expected, 0);
  // Draws of tokens outside the bars (even outside every hat summary) land in "other".
  return {
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

export function staffHatSnapshot(
  state: HatGameState | null,
  viewer: "host" | "projector",
  nickname: (participantId: string) => string | null,
  entropy: EntropyCompareView | null,
): StaffHatSnapshot {
  const templates = viewer === "host" ? templateOptions() : [];
  if (!state) {
    return { protocolVersion: PROTOCOL_VERSION, seq: 0, viewer, game: null, stories: [], moreStories: 0, progress: [], blank1: null, entropy: null, templates };
  }
  const stories: StoryView[] = [];
  let active = 0;
  for (const id of state.order) {
    const story = state.stories[id];
    const name = nickname(id);
    if (!story || name === null) continue;
    active++;
    if (stories.length < HAT_GALLERY_MAX) stories.push(storyView(state, story, name));
  }
  return {
    protocolVersion: PROTOCOL_VERSION,
    seq: state.seq,
    viewer,
    game: gameView(state),
    stories,
    moreStories: active - stories.length,
    progress: progressView(state),
    blank1: blank1View(state),
    entropy,
    templates,
  };
}
