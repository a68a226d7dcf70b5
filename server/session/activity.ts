// What an activity is, to the session host: pure rules over its own state, the events phones and
// the host send it, a store, and a live side that runs its jobs (model calls) and renders its views.
// The host (session-host.ts) owns everything they share: loading, one command at a time, writing
// before announcing, timers, seq, throttled broadcasts, role-filtered snapshots and closing.
// docs/activities.md is the recipe for adding one.
import type { ZodType } from "zod";
import type { ActivityKind, ActivityViews, StartInput } from "../../contract/protocol/activities.ts";
import type { ActivityStatus, ErrorCode, Outcome, Role } from "../../contract/protocol/session.ts";
import type { InferencePort, ModelInfo } from "../../contract/inference/port.ts";
import type { ReviewTable, SessionReview } from "../../contract/http/review.ts";
import type { Logger } from "../logger.ts";
import type { SessionState } from "./session-state.ts";

/** Everything a rule may read besides its own state. The clock and randomness come from here. */
export interface RuleContext {
  now: number;
  /** Uniform in [0, 1); seeds for sampling and draws come from here. */
  rng: () => number;
  /** The session as it is (read-only). */
  session: SessionState;
  /** The models the server offers. */
  models: readonly ModelInfo[];
}

export type Audience = { to: "everyone" } | { to: "staff" } | { to: "participant"; participantId: string };

/** What a rule asks the host to do. `C` is the owner's command type, for timers. */
export type Effect<Op = unknown, Job = unknown, C = unknown> =
  /** Commit this before anything is announced or acknowledged. */
  | { type: "persist"; op: Op }
  /** Send fresh role-filtered snapshots. */
  | { type: "announce"; audience: Audience }
  /** Send live counts (throttled by the host). */
  | { type: "counts" }
  /** Dispatch `command` to the owner after `delayMs`, unless cleared first. */
  | { type: "setTimer"; key: string; delayMs: number; command: C }
  | { type: "clearTimer"; key: string }
  /**
   * Run a job on the live side (a model call, a draw); it answers with commands. `wait`: the ack
   * waits for it. `key`: a job with the same key already in flight is joined, not started again.
   */
  | { type: "run"; job: Job; wait?: boolean; key?: string }
  | { type: "disconnect"; participantId: string };

export type Applied<S, Op = unknown, Job = unknown, C = unknown> = { ok: true; state: S; effects: Effect<Op, Job, C>[] } | { ok: false; code: ErrorCode };

/** Changes to the session that an activity may have to follow. */
export type SessionEvent =
  | { type: "joined"; participantId: string }
  | { type: "kicked"; participantId: string }
  | { type: "paused" }
  | { type: "resumed" }
  | { type: "ended" };

export interface ActivityRules<K extends ActivityKind = ActivityKind, S = unknown, C extends { type: string } = { type: string }, Op = unknown, Job = unknown> {
  kind: K;
  /** The state of a session that never ran this activity. */
  initial(): S;
  /** A new instance with this id becomes current. The host has already checked that nothing runs. */
  start(state: S, input: StartInput<K>, id: string, ctx: RuleContext): Applied<S, Op, Job, C>;
  apply(state: S, command: C, ctx: RuleContext): Applied<S, Op, Job, C>;
  /** The instance on the screen when this kind is current, and whether it still runs. */
  current(state: S): { id: string; status: ActivityStatus } | null;
  /** The host pressed Finish (or Skip) while this instance was current and running. */
  finish(state: S, ctx: RuleContext): Applied<S, Op, Job, C>;
  react?(state: S, event: SessionEvent, ctx: RuleContext): Applied<S, Op, Job, C> | null;
  /** After loading from the database: re-arm timers, give up on work the old process lost. */
  resume?(state: S, ctx: RuleContext): Applied<S, Op, Job, C>;
  /** One line for a lesson-plan step that starts this activity, e.g. "Guess: Once upon a". */
  summarize(input: StartInput<K>): string;
}

/** What a job hands back: commands to dispatch, snapshots to send, and an error for the ack that waits. */
export interface JobOutcome<C> {
  commands?: C[];
  /**
   * Dispatched when one of `commands` cannot be committed (the database refused its write), so the
   * instance does not stay waiting for an answer that was lost: a guess round becomes "failed".
   */
  ifUncommitted?: C;
  announce?: Audience[];
  code?: ErrorCode;
}

/** One activity's side of one live session: caches, model calls and views. */
export interface ActivityLive<K extends ActivityKind = ActivityKind, S = unknown, C = unknown, Job = unknown> {
  run(job: Job, state: () => S): Promise<JobOutcome<C>>;
  shared(state: S, role: Role, session: SessionState): ActivityViews[K]["shared"];
  mine(state: S, participantId: string, session: SessionState): ActivityViews[K]["mine"] | null;
  finale(state: S, session: SessionState): ActivityViews[K]["finale"] | null;
  /** Live numbers for the throttled counts message, e.g. `{ votes: 12 }`. */
  counts?(state: S): Record<string, number> | null;
  /** A fresh load of the state (after a restart) may need caches primed. */
  close?(): Promise<void>;
}

export interface EventEnv<S> {
  participantId: string | null;
  state: S;
  session: SessionState;
  live: ActivityLive;
}

/**
 * An inbound socket event of an activity. The host parses the payload, checks the role, and either
 * answers a query (nothing changes) or dispatches the command and acknowledges once it is committed.
 */
export interface EventSpec<S = unknown, C = unknown> {
  event: string;
  roles: readonly Role[];
  schema: ZodType;
  /** A question that changes nothing, answered at once (a guess's tokens before it is sent). */
  answer?(payload: never, env: EventEnv<S>): Promise<Outcome<unknown>>;
  /** The command for this payload; may ask the model first (a guess is tokenized before it is a vote). */
  command?(payload: never, env: EventEnv<S>): Outcome<C> | Promise<Outcome<C>>;
  /** The ack's data for a phone, from the state before and after; host events answer with the host snapshot. */
  reply?(after: EventEnv<S>, command: C, before: EventEnv<S>): unknown;
}

export interface ActivityStore<S = unknown, Op = unknown> {
  /** The state of a session being resumed; `session` says who is still in the room. */
  load(session: SessionState): Promise<S>;
  /** Writes ops of one `opKind`, in order, in as few statements as it can; throws when it failed. */
  write(sessionId: string, ops: Op[], state: S): Promise<void>;
  /** Ops of the same kind that queue up together are written in one call (a class voting at once). */
  opKind(op: Op): string;
}

export interface LiveDeps<St> {
  store: St;
  inference: InferencePort | null;
  logger: Logger;
  clock: () => Date;
  /** Sends fresh snapshots when something outside the state changed (a student's hat is ready). */
  announce(audience: Audience): void;
  /** Runs a write of the job's own (outside the command's persist ops) under the room's lease. */
  fenced<T>(fn: () => Promise<T>): Promise<T>;
}

/** Everything the server knows about one activity; server/activities/registry.ts lists them. */
export interface ActivityModule<K extends ActivityKind = ActivityKind, S = unknown, C extends { type: string } = { type: string }, Op = unknown, Job = unknown> {
  rules: ActivityRules<K, S, C, Op, Job>;
  events: EventSpec<S, C>[];
  live(deps: LiveDeps<ActivityStore<S, Op>>): ActivityLive<K, S, C, Job>;
  /** Its section of the facilitators' review and JSON export, and its tables in the CSV export. */
  review: ActivityReview;
}

export interface ActivityReview {
  load(store: never, sessionId: string, nickname: (participantId: string) => string): Promise<Partial<SessionReview>>;
  tables(review: SessionReview, code: string): ReviewTable[];
}
