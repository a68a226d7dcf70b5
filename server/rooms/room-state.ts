// The state of one live room, as the rules see it. Plain data: it is built from the database on
// resume (room-records.ts) and rendered per role by room-snapshot.ts.
import type {
  CompareMode,
  DistributionView,
  GuessPieces,
  HistogramBar,
  MyResultView,
  PickHow,
  PickView,
  RoomErrorCode,
  RoomPhase,
  RoundKind,
  RoundMetrics,
  RoundStatus,
  TokenProbView,
  TokenView,
} from "../protocol/room-protocol.ts";

export interface RoomMeta {
  id: string;
  code: string;
  title: string;
  ownerId: string;
  model: { id: string; name: string; sha256: string };
  joinUrl: string;
  /** Drawn by the shell from joinUrl; not stored. */
  qrSvg: string;
  prompts: string[];
  createdAt: number;
}

export interface ParticipantState {
  id: string;
  /** SHA-256 of the participant token; the token itself only ever lives on the phone. */
  tokenHash: string;
  nickname: string;
  /** nicknameKey(nickname), kept so duplicate checks do not normalize every name on every join. */
  nameKey: string;
  kicked: boolean;
  joinedAt: number;
  /** Open sockets; not stored, so 0 after a restart until phones reconnect. */
  connections: number;
  totalLossBits: number;
  roundsScored: number;
}

export interface VoteState extends GuessPieces {
  participantId: string;
  tokenId: number;
  tokenText: string;
  /** The model's probability and rank of tokenId for this round's prefix. */
  p: number;
  rank: number;
  at: number;
}

/** Everything needed to ask the model again for the same numbers (after a restart, or to reproduce). */
export interface ModelRequest {
  model: string;
  modelSha256: string;
  prefixIds: number[];
  /** Set for the first round of a text, where the prefix is the tokenized prompt. */
  promptText: string | null;
  chat: boolean;
  topK: number;
  bottomK: number;
  temperature: number;
}

export interface CompareSideState {
  label: string;
  prompt: string;
  chat: boolean;
  request: ModelRequest;
  prefix: TokenView[];
  distribution: DistributionView | null;
}

export interface RoundState {
  id: string;
  number: number;
  kind: RoundKind;
  status: RoundStatus;
  /** The text shown: the prompt plus tokens appended so far. */
  prompt: string;
  /** Index into `threads` for guess rounds; null for compare rounds. */
  threadIndex: number | null;
  request: ModelRequest;
  prefix: TokenView[];
  distribution: DistributionView | null;
  compare: { mode: CompareMode; a: CompareSideState; b: CompareSideState } | null;
  /** The latest vote of each participant. A Map: copying it per vote is cheap at 1,000 voters. */
  votes: ReadonlyMap<string, VoteState>;
  timer: { endsAt: number | null; remainingMs: number } | null;
  histogram: HistogramBar[] | null;
  metrics: RoundMetrics | null;
  results: Record<string, MyResultView> | null;
  pick: PickView | null;
  /** A sample is being drawn for the pick. */
  picking: boolean;
  error: RoomErrorCode | null;
  startedAt: number;
  closedAt: number | null;
}

export interface AppendedToken extends TokenProbView {
  how: PickHow;
  roundNumber: number;
  temperature: number | null;
  seed: number | null;
}

export interface ThreadState {
  prompt: string;
  /** Token ids of the tokenized prompt (with BOS), as the model saw them. */
  promptIds: number[];
  appended: AppendedToken[];
}

export interface RoomState {
  seq: number;
  meta: RoomMeta;
  phase: RoomPhase;
  locked: boolean;
  paused: boolean;
  endedAt: number | null;
  /** A Map rather than an object: copy-on-write of a thousand entries is several times faster. */
  participants: ReadonlyMap<string, ParticipantState>;
  /** Join order, for stable lists. */
  participantOrder: string[];
  rounds: RoundState[];
  threads: ThreadState[];
}

export const currentRound = (state: RoomState): RoundState | null => state.rounds[state.rounds.length - 1] ?? null;

/** The running text of a thread: its prompt and everything appended. */
export const threadText = (thread: ThreadState): string => thread.prompt + thread.appended.map((t) => t.text).join("");

export const threadPrefixIds = (thread: ThreadState): number[] => [...thread.promptIds, ...thread.appended.map((t) => t.id)];

export function newRoomState(meta: RoomMeta): RoomState {
  return { seq: 0, meta, phase: "lobby", locked: false, paused: false, endedAt: null, participants: new Map(), participantOrder: [], rounds: [], threads: [] };
}
