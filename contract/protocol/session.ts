// The live session: the handshake, the session's own events (join, host controls, starting and
// finishing activities, the lesson plan), and the snapshot every role receives. An activity's own
// events and views live in its protocol file (guess.ts, hat.ts, slide.ts) and are listed in
// activities.ts. docs/protocol.md explains the flow around these definitions.
import { z } from "zod";
import { activityStartSchema, type ActivityKind, type ActivityStart, type ActivityViews } from "./activities.ts";
import { ROOM_CODE_ALPHABET, ROOM_CODE_LENGTH, storableText } from "./limits.ts";
import type { PlanStepView } from "./lesson-plan.ts";

export * from "./errors.ts";
export * from "./limits.ts";

export const SESSION_EVENTS = {
  // Phone → server.
  join: "session:join",
  // Any role → server: a fresh snapshot for this socket (acked with it).
  sync: "session:sync",
  // Host console → server.
  start: "session:start",
  next: "session:next",
  finish: "session:finish",
  pause: "session:pause",
  lock: "session:lock",
  leaderboard: "session:leaderboard",
  rename: "session:rename",
  kick: "session:kick",
  end: "session:end",
  // Server → clients.
  /** A full snapshot filtered for the receiving role and phone; sent on connect and after every change. */
  snapshot: "session:snapshot",
  /** Live counts only, throttled; the one delta between snapshots. */
  counts: "session:counts",
  /** Sent to a removed phone just before its socket is closed. */
  kicked: "session:kicked",
} as const;

/** Uppercases and drops spaces and dashes, so "7kq-4mx" finds 7KQ4MX. */
export function normalizeRoomCode(input: string): string {
  return input.toUpperCase().replace(/[\s-]/g, "");
}

const codeChars = new RegExp(`^[${ROOM_CODE_ALPHABET}]{${ROOM_CODE_LENGTH}}$`);
export const roomCodeSchema = z.string().max(32).transform(normalizeRoomCode).pipe(z.string().regex(codeChars));

export const roleSchema = z.enum(["player", "host", "projector"]);
export type Role = z.infer<typeof roleSchema>;

/** Socket handshake `auth`. Host and projector are authenticated by the `th_session` cookie. */
export const handshakeSchema = z.object({
  protocolVersion: z.number().int(),
  code: z.string().max(32),
  role: roleSchema.default("player"),
  /** The secret a phone got from `session:join`, kept in localStorage; brings the same participant back. */
  participantToken: z.string().min(1).max(200).optional(),
});
export type HandshakeAuth = z.input<typeof handshakeSchema>;

const empty = z.object({}).strict().optional();
const participantId = z.string().min(1).max(100);

export const sessionInbound = {
  [SESSION_EVENTS.join]: z.object({ nickname: storableText(200) }),
  [SESSION_EVENTS.sync]: empty,
  /** Start an activity: `{ kind, input }`, the same shape as a lesson-plan step. */
  [SESSION_EVENTS.start]: activityStartSchema,
  /** Start the lesson plan's next step. */
  [SESSION_EVENTS.next]: empty,
  /** Finish (or skip) whatever is running. */
  [SESSION_EVENTS.finish]: empty,
  [SESSION_EVENTS.pause]: z.object({ paused: z.boolean() }),
  [SESSION_EVENTS.lock]: z.object({ locked: z.boolean() }),
  [SESSION_EVENTS.leaderboard]: z.object({ on: z.boolean() }),
  [SESSION_EVENTS.rename]: z.object({ participantId, nickname: storableText(200) }),
  [SESSION_EVENTS.kick]: z.object({ participantIds: z.array(participantId).min(1).max(2000) }),
  [SESSION_EVENTS.end]: empty,
} as const;

// ---------- outbound shapes ----------

export type SessionStatus = "open" | "ended";
export type ActivityStatus = "running" | "finished";

export interface SessionView {
  code: string;
  title: string;
  status: SessionStatus;
  locked: boolean;
  paused: boolean;
  /** The host showed the leaderboard (lowest total surprise) and the podium at the end. */
  leaderboard: boolean;
  model: { id: string; name: string; hasChatTemplate: boolean };
  participantCount: number;
  connectedCount: number;
  createdAt: number;
  endedAt: number | null;
  /** Where the lesson plan is: the step shown (1-based) of how many; null without a plan. */
  plan: { title: string; step: number | null; steps: number } | null;
}

export interface MeView {
  id: string;
  nickname: string;
  /** Set when the server changed the typed nickname (a duplicate became "Ben 2", a long one was cut). */
  nicknameNote: string | null;
}

export interface ParticipantView {
  id: string;
  nickname: string;
  connected: boolean;
  joinedAt: number;
}

/** The activity on the screen, with this viewer's cut of it. */
export type CurrentActivity = {
  [K in ActivityKind]: { kind: K; id: string; status: ActivityStatus; view: ActivityViews[K]["shared"]; mine: ActivityViews[K]["mine"] | null };
}[ActivityKind];

/** What each activity left behind, for the screen at the end of the session (the texts written, the stories). */
export type Finale = { [K in ActivityKind]: { kind: K; view: ActivityViews[K]["finale"] } }[ActivityKind];

interface SnapshotBase {
  protocolVersion: number;
  /** Increases with every change; clients ignore a snapshot older than the one they hold. */
  seq: number;
  session: SessionView;
  activity: CurrentActivity | null;
  /** Filled once the session has ended. */
  finale: Finale[] | null;
}

export interface PlayerSnapshot extends SnapshotBase {
  viewer: "player";
  /** Null until this socket has joined. */
  me: MeView | null;
}

export interface ProjectorSnapshot extends SnapshotBase {
  viewer: "projector";
  join: { url: string; qrSvg: string };
  /** Who is in the room, for the lobby (names only). */
  names: string[];
}

export interface HostSnapshot extends SnapshotBase {
  viewer: "host";
  join: { url: string; qrSvg: string };
  prompts: string[];
  participants: ParticipantView[];
  /** The whole plan with presenter notes; only the host sees the notes. */
  plan: PlanStepView[] | null;
}

export type SessionSnapshot = PlayerSnapshot | ProjectorSnapshot | HostSnapshot;

export interface SessionCounts {
  seq: number;
  participantCount: number;
  connectedCount: number;
  /** The current activity's own live numbers, e.g. `{ votes: 12 }`. */
  activity: { id: string; counts: Record<string, number> } | null;
}

// ---------- ack data ----------

export interface JoinAck {
  /** Keep in localStorage and send as `auth.participantToken` on every (re)connect. */
  participantToken: string;
  snapshot: PlayerSnapshot;
}

/** Every host command answers with the host's new snapshot. */
export interface HostAck {
  snapshot: HostSnapshot;
}

/** The `data` of a failed handshake (`connect_error`): `error.message` is the code too. */
export interface HandshakeErrorData {
  code: import("./errors.ts").ErrorCode;
  message: string;
}

export type { ActivityKind, ActivityStart };
