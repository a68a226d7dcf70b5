// The hat (Mad Libs sampling game) protocol: event names, inbound schemas, snapshot shapes and
// error codes. It rides on the room's socket and handshake (room-protocol.ts): the same protocol
// version, the same ack shape, the same participant token. Imports nothing but zod.
import { z } from "zod";
import { PROTOCOL_VERSION, roomErrorText, type RoomErrorCode } from "./room-protocol.ts";

export { PROTOCOL_VERSION };

/** The hat holds this many slips; counts shown on phones are out of it. */
export const HAT_TOTAL_SLIPS = 10_000;
/** The phone draws this many slips as a picture of the hat. */
export const HAT_VISUAL_SLIPS = 100;

export const DIAL_LIMITS = {
  temperature: { min: 0.05, max: 5 },
  topP: { min: 0.05, max: 1 },
  topK: { min: 1, max: 1000 },
} as const;

export const HAT_TEMPLATE_MAX_CHARS = 600;

export const HAT_EVENTS = {
  // Any role → server: the hat's snapshot for this socket (acked with it).
  sync: "hat:sync",
  // Phone → server.
  draw: "hat:draw",
  // Host console → server.
  hostStart: "hat:start",
  hostSetDial: "hat:setDial",
  hostOpenBlank: "hat:openBlank",
  hostFinish: "hat:finish",
  // Server → clients: a role-filtered snapshot after every change (staff ones are throttled).
  snapshot: "hat:snapshot",
} as const;

export type HatEventName = (typeof HAT_EVENTS)[keyof typeof HAT_EVENTS];

export const hatOnlyErrorText = {
  no_game: "There is no hat game in this room right now.",
  game_running: "A hat game is already running. Finish it first.",
  game_finished: "This hat game has finished.",
  blank_not_open: "The host has not opened this blank yet.",
  blank_out_of_order: "Fill the earlier blanks first.",
  hat_not_ready: "Your hat is still being filled. Try again in a second.",
  template_not_found: "There is no built-in template with that name.",
  template_blanks: "A template needs 2 to 6 blanks, each written as ___ (three underscores).",
  template_start: "Start the template with a few words before the first blank.",
  template_too_long: `Keep the template under ${HAT_TEMPLATE_MAX_CHARS} characters.`,
  template_max_tokens: "A blank can take 1 to 8 tokens.",
  last_blank: "All blanks are open already.",
} as const;

export const hatErrorText = { ...roomErrorText, ...hatOnlyErrorText } as const;
export type HatErrorCode = RoomErrorCode | keyof typeof hatOnlyErrorText;

export type HatAck<T> = { ok: true; data: T } | { ok: false; code: HatErrorCode; message: string };
export const hatAckOk = <T>(data: T): HatAck<T> => ({ ok: true, data });
export const hatAckError = (code: HatErrorCode): HatAck<never> => ({ ok: false, code, message: hatErrorText[code] });

// ---------- inbound payloads ----------

export const dialSchema = z.object({
  temperature: z.number().min(DIAL_LIMITS.temperature.min).max(DIAL_LIMITS.temperature.max),
  topP: z.number().min(DIAL_LIMITS.topP.min).max(DIAL_LIMITS.topP.max),
  topK: z.number().int().min(DIAL_LIMITS.topK.min).max(DIAL_LIMITS.topK.max).nullable(),
});
export type Dial = z.infer<typeof dialSchema>;

const empty = z.object({}).strict().optional();

export const hatInbound = {
  [HAT_EVENTS.sync]: empty,
  /** `blank` is the blank the phone is showing, so a late or repeated tap cannot draw the next one. */
  [HAT_EVENTS.draw]: z.object({ gameId: z.string().min(1).max(100), blank: z.number().int().min(0).max(5) }),
  [HAT_EVENTS.hostStart]: z
    .object({
      templateId: z.string().min(1).max(60).optional(),
      text: z.string().max(HAT_TEMPLATE_MAX_CHARS * 2).optional(),
      title: z.string().max(120).optional(),
      maxTokens: z.number().int().min(1).max(8).optional(),
      dial: dialSchema.optional(),
    })
    .refine((v) => (v.templateId === undefined) !== (v.text === undefined), "Give a template id or a template text."),
  [HAT_EVENTS.hostSetDial]: dialSchema,
  [HAT_EVENTS.hostOpenBlank]: empty,
  [HAT_EVENTS.hostFinish]: empty,
} as const;

export type HatInboundEvent = keyof typeof hatInbound;
export type HatInboundPayload<E extends HatInboundEvent> = z.output<(typeof hatInbound)[E]>;

// ---------- outbound shapes ----------

export interface HatSlipView {
  id: number;
  text: string;
  /** Slips out of HAT_TOTAL_SLIPS. */
  count: number;
  /** Slips out of HAT_VISUAL_SLIPS, rounded the same way. */
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
  /** Slips this token had out of HAT_TOTAL_SLIPS when it was drawn. */
  count: number;
  /** The slip drawn, 0..HAT_TOTAL_SLIPS-1. */
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
  status: "running" | "finished";
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

export interface Blank1Bar {
  text: string;
  observed: number;
  /** Sum over draws of each draw's hat probability for this token. */
  expected: number;
}

export interface Blank1View {
  draws: number;
  bars: Blank1Bar[];
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

interface HatSnapshotBase {
  protocolVersion: number;
  seq: number;
  /** Null when the room has no hat game (yet). */
  game: HatGameView | null;
}

export interface PlayerHatSnapshot extends HatSnapshotBase {
  viewer: "player";
  me: HatMeView | null;
}

export interface StaffHatSnapshot extends HatSnapshotBase {
  viewer: "host" | "projector";
  stories: StoryView[];
  /** Stories not listed (the gallery shows at most HAT_GALLERY_MAX). */
  moreStories: number;
  progress: BlankProgress[];
  blank1: Blank1View | null;
  entropy: EntropyCompareView | null;
  /** Built-in templates, for the host's picker (empty for the projector). */
  templates: HatTemplateOption[];
}

export const HAT_GALLERY_MAX = 60;

export type HatSnapshot = PlayerHatSnapshot | StaffHatSnapshot;

export interface DrawAck {
  fill: FillView;
  /** True when this draw had already been made: the recorded slip is returned, nothing is redrawn. */
  recorded: boolean;
  snapshot: PlayerHatSnapshot;
}

export interface HatHostAck {
  snapshot: StaffHatSnapshot;
}

type Handler<P, R> = (payload: P, ack: (response: HatAck<R>) => void) => void;
export interface HatClientToServerEvents {
  "hat:sync": Handler<Record<string, never> | undefined, HatSnapshot>;
  "hat:draw": Handler<{ gameId: string; blank: number }, DrawAck>;
  "hat:start": Handler<z.input<(typeof hatInbound)["hat:start"]>, HatHostAck>;
  "hat:setDial": Handler<Dial, HatHostAck>;
  "hat:openBlank": Handler<Record<string, never> | undefined, HatHostAck>;
  "hat:finish": Handler<Record<string, never> | undefined, HatHostAck>;
}

export interface HatServerToClientEvents {
  "hat:snapshot": (snapshot: HatSnapshot) => void;
}
