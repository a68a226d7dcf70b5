// The hat (Mad Libs) activity: a template with blanks; for each blank every phone gets its own hat
// of 10,000 slips built from the model's distribution given that student's story so far, and draws
// one. Events, inbound schemas and views; the session (session.ts) carries them.
import { z } from "zod";
import { TEMPLATE_MAX_CHARS, storableText } from "./limits.ts";


export const DIAL_LIMITS = {
  temperature: { min: 0.05, max: 5 },
  topP: { min: 0.05, max: 1 },
  topK: { min: 1, max: 1000 },
} as const;

export const HAT_EVENTS = {
  // Phone → server.
  draw: "hat:draw",
  // Host console → server.
  setDial: "hat:setDial",
  openBlank: "hat:openBlank",
} as const;

// ---------- inbound payloads ----------

export const dialSchema = z.object({
  temperature: z.number().min(DIAL_LIMITS.temperature.min).max(DIAL_LIMITS.temperature.max),
  topP: z.number().min(DIAL_LIMITS.topP.min).max(DIAL_LIMITS.topP.max),
  topK: z.number().int().min(DIAL_LIMITS.topK.min).max(DIAL_LIMITS.topK.max).nullable(),
});
export type Dial = z.infer<typeof dialSchema>;

export const hatStartSchema = z
  .object({
    templateId: z.string().min(1).max(60).optional(),
    text: storableText(TEMPLATE_MAX_CHARS, "template_too_long").optional(),
    title: storableText(120).optional(),
    maxTokens: z.number().int().min(1).max(8).optional(),
    dial: dialSchema.optional(),
  })
  .refine((v) => (v.templateId === undefined) !== (v.text === undefined), "Give a template id or a template text.");
export type HatStart = z.infer<typeof hatStartSchema>;

export const hatInbound = {
  /** `blank` is the blank the phone is showing, so a late or repeated tap cannot draw the next one. */
  [HAT_EVENTS.draw]: z.object({ gameId: z.string().min(1).max(100), blank: z.number().int().min(0).max(5) }),
  [HAT_EVENTS.setDial]: dialSchema,
  /** `blank` is the blank to open: one already open answers as done, so a repeated tap (or one sent again after a failover) opens one blank, not two. */
  [HAT_EVENTS.openBlank]: z.object({ blank: z.number().int().min(1).max(5).optional() }).strict().optional(),
} as const;

// ---------- outbound shapes ----------

export interface HatSlipView {
  id: number;
  text: string;
  /** Slips out of HAT_SLIPS (contract/numbers/hat). */
  count: number;
  /** Slips out of VISUAL_SLIPS (the picture of the hat), rounded the same way. */
  visual: number;
  /** Probability in the shaped hat. */
  q: number;
  /** The model's probability at temperature 1. */
  p: number;
}

/** One student's hat for one blank, after the dial. */
export interface HatView {
  blank: number;
  /** Which token of the blank this hat is for (0 = the first). */
  position: number;
  dial: Dial;
  total: number;
  /** Most likely first: every token with a visual slip, then more up to a dozen. */
  slips: HatSlipView[];
  /** Slips on tokens not listed above. */
  others: { tokens: number; count: number };
  /** Tokens that survived the cuts but are too rare for one slip in 10,000. */
  tooRare: { tokens: number; q: number };
  /** What top-k and top-p removed: its tempered mass, how many tokens, and the first few. */
  cut: { mass: number; tokens: number; first: { text: string; q: number }[] };
  /** The model's probability for tokens that cannot fill a blank (end of text, line breaks). */
  nonWordMass: number;
  /** Entropy of the slips, and of the model's own distribution at temperature 1. */
  entropyBits: number;
  modelEntropyBits: number;
}

export interface DrawnTokenView {
  id: number;
  text: string;
  /** The model's probability at temperature 1 (the chain rule uses it). */
  p: number;
  /** Slips this token had out of HAT_SLIPS when it was drawn. */
  count: number;
  /** The slip drawn, 0..HAT_SLIPS-1. */
  slip: number;
}

/** Why a blank stopped growing: the next token started a new word, or the blank reached its maximum. */
export type FillStop = "word_end" | "max_tokens";

export interface FillView {
  blank: number;
  text: string;
  tokens: DrawnTokenView[];
  seed: number;
  dial: Dial;
  stop: FillStop;
  drawnAt: number;
}

export type StoryPiece = { kind: "text"; text: string } | { kind: "fill"; blank: number; text: string; p: number; least: boolean } | { kind: "blank"; blank: number };

export interface StoryView {
  participantId: string;
  nickname: string;
  pieces: StoryPiece[];
  text: string;
  drawn: number;
  /** Chain rule over every drawn token: sum of log2 p. */
  log2Prob: number;
  /** 2^(-log2Prob / tokens); null before the first draw. */
  perplexity: number | null;
  /** The drawn token the model found least likely, and the word (fill) it is part of. */
  least: { blank: number; text: string; p: number; fill: string } | null;
}

export interface HatGameView {
  id: string;
  title: string;
  templateText: string;
  segments: string[];
  blanks: number;
  maxTokens: number;
  /** The last blank the class may draw (0-based). */
  openBlank: number;
  /** "starting" while the template is tokenized; "failed" (with `error`) when that did not work. */
  status: "starting" | "running" | "finished" | "failed";
  error: import("./errors.ts").ErrorCode | null;
  dial: Dial;
  model: { id: string; sha256: string };
  startedAt: number;
}

/** Where this phone is: waiting for the host, its hat being computed, ready to draw, drawing, or done. */
export type HatPhase = "waiting" | "preparing" | "ready" | "drawing" | "done";

export interface HatMeView {
  participantId: string;
  story: StoryView;
  /** The blank this phone fills next; null once every blank is filled. */
  blank: number | null;
  phase: HatPhase;
  hat: HatView | null;
  fills: FillView[];
}

export interface BlankBar {
  text: string;
  observed: number;
  /** Sum over draws of each draw's hat probability for this token. */
  expected: number;
}

export interface BlankBarsView {
  blank: number;
  draws: number;
  bars: BlankBar[];
  other: { observed: number; expected: number };
  /** Total variation distance between the class's draws and the hat after n draws. */
  convergence: { n: number; tvd: number }[];
}

export interface EntropySide {
  templateId: string;
  title: string;
  /** The text before the first blank. */
  prefix: string;
  bits: number;
  top: { text: string; p: number }[];
}

export interface EntropyCompareView {
  known: EntropySide;
  madeUp: EntropySide;
}

export interface BlankProgress {
  blank: number;
  drawn: number;
  /** Mean entropy (bits, temperature 1) of the hats this blank was drawn from. */
  meanEntropyBits: number | null;
}

export interface HatTemplateOption {
  id: string;
  title: string;
  text: string;
  lesson: string;
}

/** The parts only the host console and the projector get. */
export interface HatStaffView {
  stories: StoryView[];
  /** Stories not listed (the gallery shows at most HAT_GALLERY_MAX). */
  moreStories: number;
  progress: BlankProgress[];
  /** The class's draws for the blank being filled now, against the counts the hats predicted. */
  blankBars: BlankBarsView | null;
  entropy: EntropyCompareView | null;
  /** One student's hat for the open blank, at the current dial, so the class sees the dial reshape it (at blank 1 every hat is the same). */
  sampleHat: { nickname: string; hat: HatView } | null;
}

export interface HatSharedView {
  game: HatGameView;
  /** Null for phones. */
  staff: HatStaffView | null;
}

export interface HatFinale {
  title: string;
  stories: StoryView[];
}

export const HAT_GALLERY_MAX = 60;

export interface DrawAck {
  fill: FillView;
  /** True when this draw had already been made: the recorded slip is returned, nothing is redrawn. */
  recorded: boolean;
}
