// The live-room protocol: event names, inbound schemas, snapshot shapes and ack codes.
// Pages (phones, host console, projector) and the server both import this file, so it imports
// nothing but zod. docs/protocol.md explains the flow around these definitions.
import { z } from "zod";

/** Bumped whenever an event or payload changes incompatibly; a mismatch gets `protocol_mismatch`. */
export const PROTOCOL_VERSION = 1;

/** The socket.io namespace every room socket connects to: `io("/rooms", { auth })`. */
export const ROOMS_NAMESPACE = "/rooms";

/** Room codes avoid characters that read alike: no 0/O, 1/I/L, 5/S, 2/Z, 8/B. */
export const ROOM_CODE_ALPHABET = "34679ACDEFGHJKMNPQRTUVWXY";
export const ROOM_CODE_LENGTH = 6;

export const NICKNAME_MAX_GRAPHEMES = 24;
export const GUESS_MAX_CHARS = 100;
export const PROMPT_MAX_CHARS = 2000;
export const HISTOGRAM_MAX_BARS = 40;
/** Phones get the reveal's top tokens and bars cut to this many; the projector and host get all. */
export const PHONE_REVEAL_ITEMS = 10;

export const ROOM_EVENTS = {
  // Phone → server, each with an ack.
  playerJoin: "player:join",
  playerPreviewGuess: "player:previewGuess",
  playerVote: "player:vote",
  // Any role → server: ask for a fresh snapshot (acked with it).
  roomSync: "room:sync",
  // Host console → server, each with an ack.
  hostStartRound: "host:startRound",
  hostStartCompare: "host:startCompare",
  hostCloseRound: "host:closeRound",
  hostPickToken: "host:pickToken",
  hostSkip: "host:skip",
  hostSetPaused: "host:setPaused",
  hostSetLocked: "host:setLocked",
  hostRename: "host:rename",
  hostKick: "host:kick",
  hostEndSession: "host:endSession",
  // Server → clients.
  /** A full snapshot filtered for the receiving role; sent on connect and after every state change. */
  snapshot: "room:snapshot",
  /** Live counts only, throttled; the one delta between snapshots. */
  counts: "room:counts",
  /** Sent to a kicked phone just before its socket is closed. */
  kicked: "room:kicked",
} as const;

export type RoomEventName = (typeof ROOM_EVENTS)[keyof typeof ROOM_EVENTS];

/** Stable error codes for acks and failed handshakes, with the sentence each page shows. */
export const roomErrorText = {
  bad_payload: "The request was malformed. Reload the page and try again.",
  protocol_mismatch: "This page is out of date. Reload it to continue.",
  bad_code: "Room codes are 6 letters and digits, like 7KQ4MX.",
  room_not_found: "No room has that code. Check the code on the projector.",
  rate_limited: "Too many wrong codes from this network. Wait a minute and try again.",
  unauthorized: "Sign in as the instructor who created this room.",
  not_host: "Only the host can do that.",
  not_joined: "Join the room with a nickname first.",
  already_joined: "You have already joined this room.",
  participant_unknown: "This phone's place in the room was not found. Join again with a nickname.",
  kicked: "The host removed you from this room.",
  room_locked: "The room is locked: the host is not letting new people in.",
  room_ended: "This session has ended.",
  paused: "The host paused the room. Wait a moment.",
  nickname_empty: "Choose a nickname with at least one visible letter.",
  participant_not_found: "No one in this room has that id.",
  no_round: "There is no round to do that with.",
  busy: "The model is still working on the last request.",
  voting_closed: "Voting for this round has closed.",
  not_voting: "The round is not taking votes right now.",
  not_revealed: "Close the round and show the reveal first.",
  round_open: "Close or skip the current round first.",
  activity_running: "A hat game is running. Finish it before starting a round.",
  already_picked: "The next token of this round has already been chosen.",
  compare_round: "Compare rounds have no votes and no next token.",
  guess_empty: "Type a guess first.",
  guess_too_long: `Keep guesses under ${GUESS_MAX_CHARS} characters.`,
  no_text: "There is no text to continue yet. Type a prompt.",
  prompt_not_found: "There is no prepared prompt with that number.",
  no_votes: "Nobody voted, so there is no class favourite. Pick the model's top token or a sample instead.",
  model_not_found: "That model is not in the registry.",
  model_unavailable: "The model is not ready. Check the server's health page.",
  prompt_too_long: "The prompt is too long for the model.",
  inference_failed: "The model could not answer. Try again.",
  internal: "Something went wrong on the server.",
} as const;

export type RoomErrorCode = keyof typeof roomErrorText;

export type Ack<T> = { ok: true; data: T } | { ok: false; code: RoomErrorCode; message: string };
export type AckCallback<T> = (response: Ack<T>) => void;

export const ackOk = <T>(data: T): Ack<T> => ({ ok: true, data });
export const ackError = (code: RoomErrorCode): Ack<never> => ({ ok: false, code, message: roomErrorText[code] });

// ---------- inbound payloads ----------

/** Uppercases and drops spaces and dashes, so "7kq-4mx" finds 7KQ4MX. */
export function normalizeRoomCode(input: string): string {
  return input.toUpperCase().replace(/[\s-]/g, "");
}

const codeChars = new RegExp(`^[${ROOM_CODE_ALPHABET}]{${ROOM_CODE_LENGTH}}$`);
export const roomCodeSchema = z.string().max(32).transform(normalizeRoomCode).pipe(z.string().regex(codeChars));

export const roleSchema = z.enum(["player", "host", "projector"]);
export type RoomRole = z.infer<typeof roleSchema>;

/** Socket handshake `auth`. Host and projector are authenticated by the `th_session` cookie. */
export const handshakeSchema = z.object({
  protocolVersion: z.number().int(),
  code: z.string().max(32),
  role: roleSchema.default("player"),
  /** The secret a phone got from `player:join`, kept in localStorage; brings the same participant back. */
  participantToken: z.string().min(1).max(200).optional(),
});
export type HandshakeAuth = z.input<typeof handshakeSchema>;

const empty = z.object({}).strict().optional();
const guessText = z.string().max(GUESS_MAX_CHARS * 4);
const promptText = z.string().max(PROMPT_MAX_CHARS);
const modelId = z.string().min(1).max(200);

export const inbound = {
  [ROOM_EVENTS.playerJoin]: z.object({ nickname: z.string().max(200) }),
  /** `exact: true` sends the guess as typed, without the automatic leading space. */
  [ROOM_EVENTS.playerPreviewGuess]: z.object({ guess: guessText, exact: z.boolean().optional() }),
  [ROOM_EVENTS.playerVote]: z.object({ guess: guessText, exact: z.boolean().optional() }),
  [ROOM_EVENTS.roomSync]: empty,
  /** A typed prompt, a prepared one by index, or neither to continue the text written so far. */
  [ROOM_EVENTS.hostStartRound]: z
    .object({
      prompt: promptText.optional(),
      promptIndex: z.number().int().min(0).max(1000).optional(),
      timerSeconds: z.number().int().min(5).max(3600).optional(),
    })
    .refine((v) => v.prompt === undefined || v.promptIndex === undefined, "Give a prompt or a prompt index, not both."),
  [ROOM_EVENTS.hostStartCompare]: z.discriminatedUnion("mode", [
    /** The same prompt raw vs wrapped in the model's chat template. */
    z.object({ mode: z.literal("chat"), prompt: promptText }),
    /** Two prompts, e.g. a well-known subject vs a made-up name. */
    z.object({ mode: z.literal("prompts"), prompt: promptText, promptB: promptText }),
    /** One prompt, the room's model vs another. */
    z.object({ mode: z.literal("models"), prompt: promptText, modelB: modelId }),
  ]),
  [ROOM_EVENTS.hostCloseRound]: empty,
  [ROOM_EVENTS.hostPickToken]: z.discriminatedUnion("how", [
    z.object({ how: z.literal("favourite") }),
    z.object({ how: z.literal("model_top") }),
    z.object({ how: z.literal("sample"), temperature: z.number().min(0.05).max(5) }),
  ]),
  [ROOM_EVENTS.hostSkip]: empty,
  [ROOM_EVENTS.hostSetPaused]: z.object({ paused: z.boolean() }),
  [ROOM_EVENTS.hostSetLocked]: z.object({ locked: z.boolean() }),
  [ROOM_EVENTS.hostRename]: z.object({ participantId: z.string().min(1).max(100), nickname: z.string().max(200) }),
  [ROOM_EVENTS.hostKick]: z.object({ participantId: z.string().min(1).max(100) }),
  [ROOM_EVENTS.hostEndSession]: empty,
} as const;

export type InboundEvent = keyof typeof inbound;
export type InboundPayload<E extends InboundEvent> = z.output<(typeof inbound)[E]>;

// ---------- HTTP bodies ----------

export const createRoomBody = z.object({
  title: z.string().trim().min(1, "Give the session a title.").max(120, "Use at most 120 characters."),
  model: modelId.optional(),
  prompts: z.array(z.string().trim().min(1).max(PROMPT_MAX_CHARS)).max(100).default([]),
});
export type CreateRoomBody = z.input<typeof createRoomBody>;

// ---------- outbound shapes ----------

export type RoomPhase = "lobby" | "preparing" | "voting" | "revealed" | "ended";
export type RoundKind = "guess" | "compare";
export type RoundStatus = "preparing" | "voting" | "revealed" | "picked" | "skipped" | "failed";
export type PickHow = "favourite" | "model_top" | "sample";
export type CompareMode = "chat" | "prompts" | "models";

export interface TokenView {
  id: number;
  text: string;
  special: boolean;
}

export interface TokenProbView {
  id: number;
  text: string;
  p: number;
}

/** What the model computed for one prefix. `restMass` is the probability outside `top`. */
export interface DistributionView {
  model: string;
  top: TokenProbView[];
  bottom: TokenProbView[];
  entropyBits: number;
  restMass: number;
  vocabSize: number;
}

export interface HistogramBar {
  tokenId: number;
  text: string;
  count: number;
  /** count / voters */
  share: number;
  /** The model's probability of this token, and its rank (1 = most likely). */
  modelP: number;
  modelRank: number;
}

export interface RoundMetrics {
  voters: number;
  /** Mean of -log2 p(guess) over voters: the class's training loss in bits. */
  avgLossBits: number | null;
  /** Total variation distance between the class histogram and the model distribution (0 = same, 1 = disjoint). */
  tvd: number | null;
  favourite: HistogramBar | null;
  modelTop: TokenProbView | null;
}

export interface RoundReveal {
  distribution: DistributionView;
  /** Most voted first, ties by model probability; at most HISTOGRAM_MAX_BARS bars. */
  histogram: HistogramBar[];
  /** Votes for tokens beyond the bars shown (review and export keep every bar). */
  otherVotes: number;
  metrics: RoundMetrics;
}

export interface PickView {
  how: PickHow;
  /** `p` is the model's probability at temperature 1, the number the chain rule uses. */
  token: TokenProbView;
  temperature: number | null;
  seed: number | null;
}

export interface CompareSideView {
  label: string;
  prompt: string;
  chat: boolean;
  model: string;
  prefix: TokenView[];
  distribution: DistributionView;
}

export interface TimerView {
  /** Epoch ms when the round closes; null while paused. */
  endsAt: number | null;
  remainingMs: number;
}

export interface RoundView {
  id: string;
  number: number;
  kind: RoundKind;
  status: RoundStatus;
  /** For guess rounds: the text the class continues; for compare rounds: side A's prompt. */
  prompt: string;
  /** The tokens the model is conditioned on (specials flagged), so phones can show boundaries. */
  prefix: TokenView[];
  /** True when the prompt does not end in whitespace, so a typed word gets a leading space. */
  guessNeedsSpace: boolean;
  timer: TimerView | null;
  voteCount: number;
  reveal: RoundReveal | null;
  compare: { mode: CompareMode; a: CompareSideView; b: CompareSideView } | null;
  pick: PickView | null;
  error: RoomErrorCode | null;
}

export interface AppendedTokenView extends TokenProbView {
  how: PickHow;
  roundNumber: number;
  temperature: number | null;
  seed: number | null;
}

/** A text written together: a prompt and the tokens appended one round at a time. */
export interface ThreadView {
  prompt: string;
  appended: AppendedTokenView[];
  /** Chain rule: the sum of log2 p over appended tokens. */
  log2Prob: number;
  /** 2^(-log2Prob / n); null before the first token. */
  perplexity: number | null;
}

export interface RoomView {
  code: string;
  title: string;
  phase: RoomPhase;
  locked: boolean;
  paused: boolean;
  model: { id: string; name: string };
  participantCount: number;
  connectedCount: number;
  createdAt: number;
  endedAt: number | null;
}

export interface GuessPieces {
  /** What the student typed (cleaned). */
  guess: string;
  /** The text that was tokenized: the guess with a leading space when the rule added one. */
  mapped: string;
  leadingSpaceAdded: boolean;
  /** Every token of the mapped guess; the first one is the vote. */
  tokens: TokenView[];
  /** Human-readable, e.g. "' Bourne' = ' B' + 'ourne' (2 tokens; the first one counts)". */
  explanation: string;
}

export interface MyVoteView extends GuessPieces {
  tokenId: number;
  tokenText: string;
  at: number;
}

export interface MyResultView {
  tokenId: number;
  tokenText: string;
  p: number;
  rank: number;
  surpriseBits: number;
}

export interface MeView {
  id: string;
  nickname: string;
  /** The vote in the current round, if any. */
  vote: MyVoteView | null;
  /** The personal reveal of the current round once it is closed. */
  result: MyResultView | null;
  totalLossBits: number;
  roundsScored: number;
}

export interface ParticipantView {
  id: string;
  nickname: string;
  connected: boolean;
  kicked: boolean;
  votedThisRound: boolean;
  totalLossBits: number;
  roundsScored: number;
}

interface SnapshotBase {
  protocolVersion: number;
  /** Increases with every state change; clients ignore a snapshot older than the one they hold. */
  seq: number;
  room: RoomView;
  round: RoundView | null;
  threads: ThreadView[];
}

export interface PlayerSnapshot extends SnapshotBase {
  viewer: "player";
  /** Null until this socket has joined. */
  me: MeView | null;
}

export interface ProjectorSnapshot extends SnapshotBase {
  viewer: "projector";
  join: { url: string; qrSvg: string };
}

export interface HostSnapshot extends SnapshotBase {
  viewer: "host";
  join: { url: string; qrSvg: string };
  prompts: string[];
  participants: ParticipantView[];
}

export type RoomSnapshot = PlayerSnapshot | ProjectorSnapshot | HostSnapshot;

export interface RoomCounts {
  seq: number;
  participantCount: number;
  connectedCount: number;
  roundId: string | null;
  voteCount: number;
}

// ---------- ack data ----------

export interface JoinAck {
  /** Keep in localStorage and send as `auth.participantToken` on every (re)connect. */
  participantToken: string;
  snapshot: PlayerSnapshot;
}

export type GuessPreviewAck = GuessPieces;

export interface VoteAck {
  vote: MyVoteView;
  /** True when this replaced an earlier vote in the same round. */
  changed: boolean;
}

export interface HostAck {
  snapshot: HostSnapshot;
}

export interface RoomPublicInfo {
  code: string;
  title: string;
  locked: boolean;
  ended: boolean;
}

export interface CreatedRoom {
  id: string;
  code: string;
  title: string;
  model: { id: string; name: string };
  joinUrl: string;
  qrSvg: string;
  /** Pages for the host console and the projector view. */
  hostUrl: string;
  projectorUrl: string;
}

/** The typed maps socket.io uses; they describe, the zod schemas above validate. */
type Handler<P, R> = (payload: P, ack: AckCallback<R>) => void;
export interface ClientToServerEvents {
  "player:join": Handler<{ nickname: string }, JoinAck>;
  "player:previewGuess": Handler<{ guess: string; exact?: boolean }, GuessPreviewAck>;
  "player:vote": Handler<{ guess: string; exact?: boolean }, VoteAck>;
  "room:sync": Handler<Record<string, never> | undefined, RoomSnapshot>;
  "host:startRound": Handler<{ prompt?: string; promptIndex?: number; timerSeconds?: number }, HostAck>;
  "host:startCompare": Handler<z.input<(typeof inbound)["host:startCompare"]>, HostAck>;
  "host:closeRound": Handler<Record<string, never> | undefined, HostAck>;
  "host:pickToken": Handler<z.input<(typeof inbound)["host:pickToken"]>, HostAck>;
  "host:skip": Handler<Record<string, never> | undefined, HostAck>;
  "host:setPaused": Handler<{ paused: boolean }, HostAck>;
  "host:setLocked": Handler<{ locked: boolean }, HostAck>;
  "host:rename": Handler<{ participantId: string; nickname: string }, HostAck>;
  "host:kick": Handler<{ participantId: string }, HostAck>;
  "host:endSession": Handler<Record<string, never> | undefined, HostAck>;
}

export interface ServerToClientEvents {
  "room:snapshot": (snapshot: RoomSnapshot) => void;
  "room:counts": (counts: RoomCounts) => void;
  "room:kicked": (info: { code: "kicked"; message: string }) => void;
}

/** The `data` of a failed handshake (`connect_error`): `error.message` is the code too. */
export interface HandshakeErrorData {
  code: RoomErrorCode;
  message: string;
}
